package cache

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

var ctx = context.Background()

// mustOpen opens a new cache in a temporary directory, closed at cleanup.
func mustOpen(t testing.TB) *Store {
	t.Helper()
	return mustOpenPath(t, filepath.Join(t.TempDir(), "byline.db"))
}

func mustOpenPath(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// subscribe makes urls the subscriptions and returns their feed ids in order.
func subscribe(t testing.TB, s *Store, subs ...news.Subscription) []int64 {
	t.Helper()
	if err := s.SyncSubscriptions(ctx, subs); err != nil {
		t.Fatal(err)
	}
	return feedIDs(t, s)
}

func feedIDs(t testing.TB, s *Store) []int64 {
	t.Helper()
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(feeds))
	for i, f := range feeds {
		ids[i] = f.ID
	}
	return ids
}

func urls(n int) []news.Subscription {
	subs := make([]news.Subscription, n)
	for i := range subs {
		subs[i] = news.Subscription{URL: fmt.Sprintf("http://127.0.0.1/feed%d.xml", i)}
	}
	return subs
}

// day0 is a fixed, past publication date the tests count from.
var day0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// item is a distinct item dated day0 plus n hours.
func item(guid string, hours int) news.Item {
	return news.Item{
		GUID:      guid,
		URL:       "http://127.0.0.1/" + guid,
		Title:     "Title of " + guid,
		Author:    "Ada Lovelace",
		Summary:   "<p>Summary of " + guid + ".</p>",
		Content:   "<p>Content of <b>" + guid + "</b>.</p>",
		Published: day0.Add(time.Duration(hours) * time.Hour),
	}
}

func okResult(items ...news.Item) feed.Result {
	return feed.Result{URL: "http://127.0.0.1/feed.xml", Status: feed.StatusOK, Feed: &feed.Document{Title: "A Feed", Items: items}}
}

func mustSave(t testing.TB, s *Store, feedID int64, r feed.Result) int {
	t.Helper()
	n, err := s.SaveResult(ctx, feedID, r)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// mustIndex completes the search index for everything saved so far.
func mustIndex(t testing.TB, s *Store) {
	t.Helper()
	if left, err := s.IndexPending(ctx, time.Minute); err != nil || left != 0 {
		t.Fatalf("IndexPending: %d left, %v", left, err)
	}
}

func mustArticles(t testing.TB, s *Store, f news.Filter) []news.Article {
	t.Helper()
	as, err := s.Articles(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func mustCount(t testing.TB, s *Store, f news.Filter) int {
	t.Helper()
	n, err := s.Count(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// articleByGUID finds one stored article by GUID, whatever its feed.
func articleByGUID(t testing.TB, s *Store, guid string) news.Article {
	t.Helper()
	var id int64
	if err := s.db.QueryRowContext(ctx, "SELECT id FROM articles WHERE guid = ?", guid).Scan(&id); err != nil {
		t.Fatalf("article %q: %v", guid, err)
	}
	a, err := s.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func guids(as []news.Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.GUID
	}
	return out
}

// integrityCheck runs PRAGMA integrity_check and the FTS5 index checks,
// and checks that every article has its text row.
func integrityCheck(t testing.TB, db *sql.DB) {
	t.Helper()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		t.Fatalf("integrity_check: %q, %v", result, err)
	}
	var orphans int
	err := db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM article_text WHERE id NOT IN (SELECT id FROM articles)) +
		(SELECT count(*) FROM articles WHERE id NOT IN (SELECT id FROM article_text))`).Scan(&orphans)
	if err != nil || orphans != 0 {
		t.Fatalf("articles and article_text differ by %d rows (%v)", orphans, err)
	}
	for _, ix := range []ftsIndex{articleIndex, titleIndex} {
		if _, err := db.ExecContext(ctx, "INSERT INTO "+ix.table+" ("+ix.table+", rank) VALUES ('integrity-check', 0)"); err != nil {
			t.Fatalf("%s integrity-check: %v", ix.table, err)
		}
	}
}
