package cache

import (
	"bytes"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

func TestSavePageStoresAndReplaces(t *testing.T) {
	s := mustOpen(t)
	clock := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	const url = "http://127.0.0.1/story"
	if _, _, err := s.Page(ctx, url); !errors.Is(err, ErrNotFound) {
		t.Errorf("Page before saving: %v", err)
	}
	if err := s.SavePage(ctx, url, []byte(`{"v":1}`), "first"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	if err := s.SavePage(ctx, url, []byte(`{"v":2}`), "second"); err != nil {
		t.Fatal(err)
	}
	data, fetched, err := s.Page(ctx, url)
	if err != nil || !bytes.Equal(data, []byte(`{"v":2}`)) || !fetched.Equal(clock) {
		t.Errorf("Page = %s, %v, %v; want the second copy at %v", data, fetched, err, clock)
	}
	if err := s.SavePage(ctx, "", []byte("x"), "x"); err == nil {
		t.Error("SavePage with no URL succeeded")
	}
	if err := s.SavePage(ctx, "http://127.0.0.1/empty", nil, ""); err != nil {
		t.Errorf("empty page: %v", err)
	}
}

func TestPageTextIsSearchable(t *testing.T) {
	s := mustOpen(t)
	ids := subscribe(t, s, urls(2)...)
	shared := item("a", 1)
	mustSave(t, s, ids[0], okResult(shared, item("b", 2)))
	mustSave(t, s, ids[1], okResult(shared))
	mustIndex(t, s)

	// A page saved after its articles is indexed into each of them.
	if err := s.SavePage(ctx, shared.URL, []byte("{}"), "The extracted story mentions narwhals."); err != nil {
		t.Fatal(err)
	}
	if got := indexedIDs(t, s, "articles_fts", "narwhals"); len(got) != 0 {
		t.Errorf("page text indexed before IndexPending: %v", got)
	}
	mustIndex(t, s)
	if got := hitGUIDs(mustSearch(t, s, "narwhals")); !slices.Equal(got, []string{"a", "a"}) {
		t.Errorf("page text: %v", got)
	}
	// Replacing the page replaces its words.
	if err := s.SavePage(ctx, shared.URL, []byte("{}"), "Corrected: walruses."); err != nil {
		t.Fatal(err)
	}
	mustIndex(t, s)
	if got := mustSearch(t, s, "narwhals"); len(got) != 0 {
		t.Errorf("old page text still found: %v", hitGUIDs(got))
	}

	// A page saved before its article (a followed link that a feed
	// carries later) is indexed with the article, even one without content.
	later := item("c", 3)
	later.Content = ""
	if err := s.SavePage(ctx, later.URL, []byte("{}"), "Aardvarks ahead."); err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, ids[0], okResult(later))
	mustIndex(t, s)
	if got := hitGUIDs(mustSearch(t, s, "aardvarks")); !slices.Equal(got, []string{"c"}) {
		t.Errorf("page saved first: %v", got)
	}
	integrityCheck(t, s.db)
}

func TestArticleByURL(t *testing.T) {
	s := mustOpen(t)
	subs := urls(3)
	ids := subscribe(t, s, subs...)
	older, newer, hidden := item("older", 1), item("newer", 2), item("hidden", 3)
	newer.URL, hidden.URL = older.URL, older.URL
	mustSave(t, s, ids[0], okResult(older))
	mustSave(t, s, ids[1], okResult(newer))
	mustSave(t, s, ids[2], okResult(hidden, item("other", 4)))
	subscribe(t, s, subs[:2]...)

	a, err := s.ArticleByURL(ctx, older.URL)
	if err != nil || a.GUID != "newer" || a.FeedID != ids[1] {
		t.Errorf("ArticleByURL = %s in feed %d, %v; want the newest listed one", a.GUID, a.FeedID, err)
	}
	if a, err := s.ArticleByURL(ctx, item("other", 0).URL); err != nil || a.GUID != "other" {
		t.Errorf("article of an unsubscribed feed: %q, %v", a.GUID, err)
	}
	for _, url := range []string{"http://127.0.0.1/nowhere", ""} {
		if _, err := s.ArticleByURL(ctx, url); !errors.Is(err, ErrNotFound) {
			t.Errorf("ArticleByURL(%q) = %v", url, err)
		}
	}
}

func TestPurgeRemovesPagesWithTheirArticles(t *testing.T) {
	s := mustOpen(t)
	ids := subscribe(t, s, urls(2)...)
	purged, starred, shared := item("purged", 1), item("starred", 2), item("shared", 1)
	mustSave(t, s, ids[0], okResult(purged, starred, shared))
	mustSave(t, s, ids[1], okResult(shared))
	// Feed 0's articles are read, one of them starred; feed 1's copy of
	// the shared article stays unread.
	if _, err := s.MarkAllRead(ctx, news.Filter{FeedIDs: ids[:1]}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, []int64{articleByGUID(t, s, "starred").ID}, true); err != nil {
		t.Fatal(err)
	}

	cutoff := day0.Add(90 * time.Hour)
	s.now = func() time.Time { return cutoff.Add(time.Hour) }
	for _, url := range []string{purged.URL, starred.URL, shared.URL, "http://127.0.0.1/followed-recently"} {
		if err := s.SavePage(ctx, url, []byte("{}"), "text"); err != nil {
			t.Fatal(err)
		}
	}
	s.now = func() time.Time { return cutoff.Add(-time.Hour) }
	if err := s.SavePage(ctx, "http://127.0.0.1/followed-long-ago", []byte("{}"), "text"); err != nil {
		t.Fatal(err)
	}

	if n, err := s.Purge(ctx, cutoff); err != nil || n != 2 {
		t.Fatalf("Purge = %d, %v; want 2 (purged, and feed 0's copy of shared)", n, err)
	}
	for url, want := range map[string]bool{
		purged.URL:                           false,
		starred.URL:                          true,
		shared.URL:                           true,
		"http://127.0.0.1/followed-recently": true,
		"http://127.0.0.1/followed-long-ago": false,
	} {
		if _, _, err := s.Page(ctx, url); (err == nil) != want {
			t.Errorf("page %s kept %v, want %v (%v)", url, err == nil, want, err)
		}
	}
	assertCountersMatchRows(t, s)
	integrityCheck(t, s.db)
}

// TestMigrateV1ToCurrent makes a cache with schema 1 only, fills it, and
// opens it with every migration: data, flags, counts and search survive,
// and the new tables work.
func TestMigrateV1ToCurrent(t *testing.T) {
	migrations, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "byline.db")
	v1, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer v1.Close()
	v1.SetMaxOpenConns(1)
	if _, err := v1.ExecContext(ctx, migrations[0].sql+"; PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, url := range []string{"http://127.0.0.1/a.xml", "http://127.0.0.1/b.xml"} {
		var id int64
		if err := v1.QueryRowContext(ctx, "INSERT INTO feeds (url, position) VALUES (?, ?) RETURNING id", url, i).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if _, err := v1.ExecContext(ctx, "INSERT INTO feed_tags (feed_id, position, tag) VALUES (?, 0, 'news')", ids[0]); err != nil {
		t.Fatal(err)
	}
	// Articles are written as schema 1's SaveResult wrote them: the row
	// (its trigger counted it) and a complete index row.
	var want []news.Article
	for _, a := range []struct {
		feed          int64
		guid          string
		read, starred bool
	}{
		{ids[0], "one", true, false},
		{ids[0], "two", true, true},
		{ids[0], "three", false, false},
		{ids[1], "four", false, false},
	} {
		it := item(a.guid, len(a.guid))
		var id int64
		err := v1.QueryRowContext(ctx, `INSERT INTO articles (feed_id, guid, url, title, author, summary, content, published, fetched)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.feed, it.GUID, it.URL, it.Title, it.Author, it.Summary, it.Content, it.Published.Unix(), day0.Unix()).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v1.ExecContext(ctx, "INSERT INTO articles_fts (rowid, title, author, summary, content, full_text) VALUES (?, ?, ?, ?, ?, '')",
			id, plainText(it.Title), plainText(it.Author), plainText(it.Summary), plainText(it.Content)); err != nil {
			t.Fatal(err)
		}
		if _, err := v1.ExecContext(ctx, "UPDATE articles SET read = ?, starred = ? WHERE id = ?", a.read, a.starred, id); err != nil {
			t.Fatal(err)
		}
		want = append(want, news.Article{ID: id, FeedID: a.feed, GUID: it.GUID, URL: it.URL, Title: it.Title, Author: it.Author,
			Summary: it.Summary, Content: it.Content, Published: it.Published.Local(), Fetched: day0.Local(), Read: a.read, Starred: a.starred})
	}
	one := want[0]
	// The newest article was purged: its id must not come back.
	var purgedID int64
	if err := v1.QueryRowContext(ctx, `INSERT INTO articles (feed_id, guid, published, fetched) VALUES (?, 'purged', 0, 0) RETURNING id`, ids[1]).Scan(&purgedID); err != nil {
		t.Fatal(err)
	}
	if _, err := v1.ExecContext(ctx, "DELETE FROM articles WHERE id = ?", purgedID); err != nil {
		t.Fatal(err)
	}
	v1.Close()

	s := mustOpenPath(t, path)
	var version int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("user_version %d, %v", version, err)
	}
	for _, w := range want {
		got, err := s.Article(ctx, w.ID)
		w.FeedTitle = got.FeedTitle
		if err != nil || got != w || got.FeedTitle == "" {
			t.Errorf("article after migration:\n%+v, %v\nwant\n%+v", got, err, w)
		}
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 2 {
		t.Fatalf("feeds after migration: %d, %v", len(feeds), err)
	}
	if f := feeds[0]; f.ID != ids[0] || f.Total != 3 || f.Unread != 1 || !slices.Equal(f.Tags, []string{"news"}) {
		t.Errorf("first feed after migration: %+v", f)
	}
	if f := feeds[1]; f.ID != ids[1] || f.Total != 1 || f.Unread != 1 || len(f.Tags) != 0 {
		t.Errorf("second feed after migration: %+v", f)
	}
	// Schema 1 indexed content at once; nothing is queued.
	if got := pendingIDs(t, s); len(got) != 0 {
		t.Errorf("queued after migration: %v", got)
	}
	if got := hitGUIDs(mustSearch(t, s, "content three")); !slices.Equal(got, []string{"three"}) {
		t.Errorf("search after migration: %v", got)
	}

	if similar, err := s.Similar(ctx, one.ID, 5); err != nil || len(similar) != 3 || slices.Contains(guids(similar), "one") {
		t.Errorf("similar after migration: %v, %v", guids(similar), err)
	}

	// The new schema at work on the migrated file: pages, counters, purge.
	if err := s.SavePage(ctx, one.URL, []byte("{}"), "Migrated page about otters."); err != nil {
		t.Fatal(err)
	}
	mustIndex(t, s)
	if got := hitGUIDs(mustSearch(t, s, "otters")); !slices.Equal(got, []string{"one"}) {
		t.Errorf("page search after migration: %v", got)
	}
	mustSave(t, s, ids[0], okResult(item("five", 5)))
	if five := articleByGUID(t, s, "five"); five.ID <= purgedID {
		t.Errorf("new article id %d reuses a purged one (%d)", five.ID, purgedID)
	}
	if n, err := s.Purge(ctx, day0.Add(100*time.Hour)); err != nil || n != 1 {
		t.Errorf("purge after migration: %d, %v; want only the read, unstarred one", n, err)
	}
	if _, _, err := s.Page(ctx, one.URL); !errors.Is(err, ErrNotFound) {
		t.Errorf("page of the purged article: %v", err)
	}
	assertCountersMatchRows(t, s)
	integrityCheck(t, s.db)
}

func TestPicturesKeptWithTheirPage(t *testing.T) {
	s := mustOpen(t)
	clock := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	const page = "http://127.0.0.1/story"
	pics := []news.Picture{
		{Src: "http://127.0.0.1/lead.jpg", Width: 800, Height: 450, Format: "jpeg", Data: []byte{0xff, 0xd8, 1}, Small: []byte{0xff, 0xd8, 2}},
		{Src: "http://127.0.0.1/chart.png", Width: 300, Height: 200, Format: "png", Data: []byte{0x89, 'P', 2}},
	}
	if err := s.SavePictures(ctx, page, pics); !errors.Is(err, ErrNotFound) {
		t.Fatalf("pictures of a page not kept: %v", err)
	}
	if err := s.SavePage(ctx, page, []byte("{}"), "text"); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePictures(ctx, page, pics); err != nil {
		t.Fatal(err)
	}
	got, err := s.Pictures(ctx, page)
	if err != nil || len(got) != 2 || got[0].Src != pics[0].Src || !bytes.Equal(got[1].Data, pics[1].Data) || got[1].Width != 300 || got[0].Format != "jpeg" ||
		!bytes.Equal(got[0].Small, pics[0].Small) || got[1].Small != nil {
		t.Fatalf("Pictures = %+v, %v", got, err)
	}
	// Saving again replaces the set; a new copy of the page keeps it.
	if err := s.SavePictures(ctx, page, pics[1:]); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePage(ctx, page, []byte("{}"), "text again"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Pictures(ctx, page); len(got) != 1 || got[0].Src != pics[1].Src {
		t.Fatalf("after replacing: %+v", got)
	}
	// Retention takes the pictures with the page.
	clock = clock.Add(48 * time.Hour)
	if _, err := s.Purge(ctx, clock.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Pictures(ctx, page); err != nil || len(got) != 0 {
		t.Fatalf("pictures outlived their page: %+v, %v", got, err)
	}
}

// A story shown from its feed's text has pictures too: they are kept by
// FeedTextKey beside the article (no page is kept for it) and go with the
// article. A picture refused is recorded, with why and no bytes, so that
// it is not fetched each time the story opens.
func TestFeedTextPicturesGoWithTheirArticle(t *testing.T) {
	s := mustOpen(t)
	ids := subscribe(t, s, urls(1)...)
	mustSave(t, s, ids[0], okResult(item("a", 1), item("b", 2)))
	a, b := articleByGUID(t, s, "a"), articleByGUID(t, s, "b")
	pics := []news.Picture{
		{Src: "http://127.0.0.1/photo.jpg", Width: 640, Height: 480, Format: "jpeg", Data: []byte{0xff, 0xd8, 1}},
		{Src: "http://127.0.0.1/beacon.gif", Refused: news.RefusedTrackingPixel},
		{Src: "http://127.0.0.1/huge.png", Refused: "image too large: 60000×60000 pixels"},
	}
	if err := s.SavePictures(ctx, FeedTextKey(a.ID+b.ID+100), pics); !errors.Is(err, ErrNotFound) {
		t.Fatalf("pictures of an article not kept: %v", err)
	}
	for _, x := range []news.Article{a, b} {
		if err := s.SavePictures(ctx, FeedTextKey(x.ID), pics); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Pictures(ctx, FeedTextKey(a.ID))
	if err != nil || len(got) != 3 || got[0].Refused != "" || !bytes.Equal(got[0].Data, pics[0].Data) ||
		got[1].Refused != news.RefusedTrackingPixel || got[2].Refused != pics[2].Refused {
		t.Fatalf("Pictures = %+v, %v", got, err)
	}
	// The article's URL names no kept page: its feed text's pictures are not the page's.
	if got, err := s.Pictures(ctx, a.URL); err != nil || len(got) != 0 {
		t.Fatalf("pictures of the page %s: %+v, %v", a.URL, got, err)
	}
	// Retention takes a's pictures with it, and leaves b's.
	if err := s.SetRead(ctx, []int64{a.ID}, true); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Purge(ctx, day0.Add(90*time.Minute)); err != nil || n != 1 {
		t.Fatalf("purge: %d, %v", n, err)
	}
	if got, err := s.Pictures(ctx, FeedTextKey(a.ID)); err != nil || len(got) != 0 {
		t.Fatalf("pictures outlived their article: %+v, %v", got, err)
	}
	if got, err := s.Pictures(ctx, FeedTextKey(b.ID)); err != nil || len(got) != 3 {
		t.Fatalf("the other article's pictures: %+v, %v", got, err)
	}
	integrityCheck(t, s.db)
}
