package cache

import (
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

func TestSyncSubscriptionsOrderTitlesAndTags(t *testing.T) {
	s := mustOpen(t)
	subscribe(t, s,
		news.Subscription{URL: "http://127.0.0.1/b.xml", Title: "Bee", Tags: []string{"news", " tech ", "", "news"}},
		news.Subscription{URL: "http://127.0.0.1/a.xml"},
		news.Subscription{URL: "http://127.0.0.1/b.xml", Title: "Repeated line, ignored"},
	)
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 2 {
		t.Fatalf("%d feeds, want 2", len(feeds))
	}
	b, a := feeds[0], feeds[1]
	if b.URL != "http://127.0.0.1/b.xml" || b.Title != "Bee" || !slices.Equal(b.Tags, []string{"news", "tech"}) {
		t.Errorf("first feed %q %q %q", b.URL, b.Title, b.Tags)
	}
	if a.URL != "http://127.0.0.1/a.xml" || a.Title != a.URL || len(a.Tags) != 0 {
		t.Errorf("second feed %q %q %q", a.URL, a.Title, a.Tags)
	}

	// Reordered, retitled and retagged: same feeds, new settings.
	subscribe(t, s,
		news.Subscription{URL: "http://127.0.0.1/a.xml", Title: "Ay", Tags: []string{"tech"}},
		news.Subscription{URL: "http://127.0.0.1/b.xml"},
	)
	feeds, err = s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if feeds[0].ID != a.ID || feeds[0].Title != "Ay" || !slices.Equal(feeds[0].Tags, []string{"tech"}) ||
		feeds[1].ID != b.ID || feeds[1].Title != b.URL || len(feeds[1].Tags) != 0 {
		t.Errorf("after resync: %+v", feeds)
	}
}

func TestSyncSubscriptionsUnchangedWritesNothing(t *testing.T) {
	path := t.TempDir() + "/byline.db"
	s := mustOpenPath(t, path)
	subs := []news.Subscription{{URL: "http://127.0.0.1/a.xml", Title: "A", Tags: []string{"x", "y"}}, {URL: "http://127.0.0.1/b.xml"}}
	subscribe(t, s, subs...)

	// PRAGMA data_version changes on a connection when another one commits.
	watcher, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	watcher.SetMaxOpenConns(1)
	dataVersion := func() (v int) {
		if err := watcher.QueryRow("PRAGMA data_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := dataVersion()
	if err := s.SyncSubscriptions(ctx, subs); err != nil {
		t.Fatal(err)
	}
	if after := dataVersion(); after != before {
		t.Error("syncing the same subscriptions wrote to the database")
	}
	subscribe(t, s, subs[:1]...)
	if after := dataVersion(); after == before {
		t.Error("dropping a subscription wrote nothing")
	}
}

func TestUnsubscribeKeepsArticlesAndResubscribeRestores(t *testing.T) {
	s := mustOpen(t)
	subs := urls(2)
	ids := subscribe(t, s, subs...)
	mustSave(t, s, ids[0], okResult(item("a1", 1), item("a2", 2)))
	mustSave(t, s, ids[1], okResult(item("b1", 3), item("b2", 4), item("b3", 5)))
	starred := articleByGUID(t, s, "b2")
	if err := s.SetStarred(ctx, []int64{starred.ID}, true); err != nil {
		t.Fatal(err)
	}

	subscribe(t, s, subs[0])
	if got := feedIDs(t, s); !slices.Equal(got, ids[:1]) {
		t.Errorf("feeds after unsubscribing: %v", got)
	}
	// The list shows the subscribed feed plus the starred article.
	for _, f := range []news.Filter{{}, {Unread: true}} {
		if got := guids(mustArticles(t, s, f)); !slices.Equal(got, []string{"b2", "a2", "a1"}) {
			t.Errorf("%+v: %v", f, got)
		}
		if n := mustCount(t, s, f); n != 3 {
			t.Errorf("Count(%+v) = %d, want 3", f, n)
		}
	}
	if got := guids(mustArticles(t, s, news.Filter{Starred: true})); !slices.Equal(got, []string{"b2"}) {
		t.Errorf("starred: %v", got)
	}
	// Nothing was deleted: an id the user holds still opens.
	if a, err := s.Article(ctx, articleByGUID(t, s, "b3").ID); err != nil || a.GUID != "b3" {
		t.Errorf("unsubscribed feed's article: %v %v", a.GUID, err)
	}

	subscribe(t, s, subs...)
	if got := guids(mustArticles(t, s, news.Filter{})); !slices.Equal(got, []string{"b3", "b2", "b1", "a2", "a1"}) {
		t.Errorf("after resubscribing: %v", got)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if feeds[1].ID != ids[1] || feeds[1].Total != 3 || feeds[1].Unread != 3 {
		t.Errorf("resubscribed feed: %+v", feeds[1])
	}
}

func TestSaveResultUpsertKeepsFlagsAndVanishedItems(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	if n := mustSave(t, s, id, okResult(item("one", 1), item("two", 2), item("three", 3))); n != 3 {
		t.Fatalf("first save: %d new, want 3", n)
	}
	one := articleByGUID(t, s, "one")
	if err := s.SetRead(ctx, []int64{one.ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, []int64{one.ID}, true); err != nil {
		t.Fatal(err)
	}

	changed := item("one", 1)
	changed.Title = "Rewritten headline"
	changed.Content = "<p>Corrected body mentioning zeppelins.</p>"
	// "three" left the feed; "four" is new.
	if n := mustSave(t, s, id, okResult(changed, item("two", 2), item("four", 4))); n != 1 {
		t.Errorf("second save: %d new, want 1", n)
	}
	got, err := s.Article(ctx, one.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != changed.Title || got.Content != changed.Content || !got.Read || !got.Starred {
		t.Errorf("updated item: %+v", got)
	}
	if got := guids(mustArticles(t, s, news.Filter{})); !slices.Equal(got, []string{"four", "three", "two", "one"}) {
		t.Errorf("articles: %v", got)
	}
	// The index follows the update.
	mustIndex(t, s)
	if hits := mustSearch(t, s, "zeppelins"); len(hits) != 1 || hits[0].ID != one.ID {
		t.Errorf("search new text: %v", hitGUIDs(hits))
	}
	if hits := mustSearch(t, s, "Title of one"); len(hits) != 0 {
		t.Errorf("search old title: %v", hitGUIDs(hits))
	}
}

func TestSaveResultGUIDIdentity(t *testing.T) {
	s := mustOpen(t)
	ids := subscribe(t, s, urls(2)...)
	sameURL := item("x", 2)
	sameURL.URL = item("y", 0).URL
	// One GUID twice in a result is one article.
	if n := mustSave(t, s, ids[0], okResult(item("y", 1), sameURL, item("y", 1))); n != 2 {
		t.Errorf("%d new, want 2", n)
	}
	// The same GUID in another feed is another article.
	if n := mustSave(t, s, ids[1], okResult(item("y", 1))); n != 1 {
		t.Errorf("other feed: %d new, want 1", n)
	}
	if n := mustCount(t, s, news.Filter{}); n != 3 {
		t.Errorf("%d articles, want 3", n)
	}
}

func TestSaveResultDates(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	firstSeen := time.Date(2025, 1, 10, 8, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return firstSeen }

	undated := item("undated", 0)
	undated.Published = time.Time{}
	updatedOnly := item("updated-only", 0)
	updatedOnly.Published, updatedOnly.Updated = time.Time{}, firstSeen.Add(-48*time.Hour)
	future := item("future", 0)
	future.Published = firstSeen.Add(365 * 24 * time.Hour)
	mustSave(t, s, id, okResult(undated, updatedOnly, future))

	later := firstSeen.Add(6 * time.Hour)
	s.now = func() time.Time { return later }
	mustSave(t, s, id, okResult(undated, updatedOnly, future))

	for guid, want := range map[string]time.Time{
		"undated":      firstSeen, // when byline first saw it, not each refresh
		"updated-only": updatedOnly.Updated,
		"future":       firstSeen,
	} {
		a := articleByGUID(t, s, guid)
		if !a.Published.Equal(want) || !a.Fetched.Equal(firstSeen) {
			t.Errorf("%s: published %v fetched %v, want %v and %v", guid, a.Published, a.Fetched, want, firstSeen)
		}
	}
}

func feedByID(t *testing.T, s *Store, id int64) news.Feed {
	t.Helper()
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("feed %d not listed", id)
	return news.Feed{}
}

func TestSaveResultFetchStates(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	clock := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	ok := okResult(item("a", 1))
	ok.Validators = news.Validators{ETag: `"v1"`, LastModified: "Sat, 01 Feb 2025 00:00:00 GMT"}
	ok.Feed.SiteURL = "http://127.0.0.1/"
	mustSave(t, s, id, ok)
	f := feedByID(t, s, id)
	if f.Title != "A Feed" || f.SiteURL != "http://127.0.0.1/" || f.Validators != ok.Validators ||
		!f.LastAttempt.Equal(clock) || !f.LastSuccess.Equal(clock) || f.LastError != "" {
		t.Fatalf("after ok: %+v", f)
	}

	clock = clock.Add(time.Hour)
	failed := feed.Result{
		Status:     feed.StatusFailed,
		Err:        errors.New("503 Service Unavailable: " + strings.Repeat("é", 2000)),
		Gone:       true,
		RetryAfter: clock.Add(30 * time.Minute),
		MovedTo:    "http://127.0.0.1/new.xml",
	}
	if n := mustSave(t, s, id, failed); n != 0 {
		t.Errorf("failure added %d items", n)
	}
	f = feedByID(t, s, id)
	if !strings.HasPrefix(f.LastError, "503 Service Unavailable") || len(f.LastError) > maxErrorBytes || !utf8.ValidString(f.LastError) {
		t.Errorf("last error %d bytes, valid %v: %.40q", len(f.LastError), utf8.ValidString(f.LastError), f.LastError)
	}
	if !f.Gone || !f.RetryAfter.Equal(failed.RetryAfter) || f.MovedTo != failed.MovedTo || !f.LastAttempt.Equal(clock) {
		t.Errorf("after failure: %+v", f)
	}
	if !f.LastSuccess.Equal(clock.Add(-time.Hour)) || f.Validators != ok.Validators || f.Total != 1 {
		t.Errorf("failure lost earlier state: %+v", f)
	}

	// A 304 changes no article, even if handed items, and is a success.
	clock = clock.Add(time.Hour)
	notModified := okResult(item("ignored", 5))
	notModified.Status = feed.StatusNotModified
	if n := mustSave(t, s, id, notModified); n != 0 {
		t.Errorf("304 added %d items", n)
	}
	f = feedByID(t, s, id)
	if f.Total != 1 || f.LastError != "" || f.Gone || !f.RetryAfter.IsZero() || f.MovedTo != "" ||
		!f.LastSuccess.Equal(clock) || f.Validators != ok.Validators {
		t.Errorf("after 304: %+v", f)
	}
	notModified.Validators = news.Validators{ETag: `"v2"`}
	mustSave(t, s, id, notModified)
	if f = feedByID(t, s, id); f.Validators != notModified.Validators {
		t.Errorf("304 with new validators kept %+v", f.Validators)
	}

	// The feed's own title never hides the user's, and an empty one keeps the last.
	subscribe(t, s, news.Subscription{URL: f.URL, Title: "Mine"})
	untitled := okResult()
	untitled.Feed.Title = ""
	mustSave(t, s, id, untitled)
	if f = feedByID(t, s, id); f.Title != "Mine" {
		t.Errorf("title %q, want the user's", f.Title)
	}
	subscribe(t, s, news.Subscription{URL: f.URL})
	if f = feedByID(t, s, id); f.Title != "A Feed" {
		t.Errorf("title %q, want the feed's last", f.Title)
	}
}

func TestSaveResultUnknownFeed(t *testing.T) {
	s := mustOpen(t)
	if _, err := s.SaveResult(ctx, 9999, okResult(item("a", 1))); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "9999") {
		t.Errorf("SaveResult to unknown feed: %v", err)
	}
}
