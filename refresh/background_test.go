package refresh_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// damage closes store, overwrites the root page of table and opens the
// cache again.
func damage(t *testing.T, store *cache.Store, table string) *cache.Store {
	t.Helper()
	path := store.Path()
	store.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var root int64
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = ?", table).Scan(&root); err != nil {
		t.Fatal(err)
	}
	db.Close()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xa5}, 4096), (root-1)*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	reopened, err := cache.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reopened.Close() })
	return reopened
}

// lastEvent runs a background refresh to its end and returns its last
// event and how many there were.
func lastEvent(b refresh.Background) (refresh.Progress, int) {
	var last refresh.Progress
	n := 0
	for p := range b.Refresh(context.Background(), nil) {
		last, n = p, n+1
	}
	return last, n
}

// Issue 10: the reader's background refresh dropped the error of listing
// the feeds (and said "Nothing to refresh") and that of the work after
// the refresh (retention, indexing); both reach the reader now.
func TestBackgroundReportsWhatItCouldNotDo(t *testing.T) {
	serveOld := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, `<rss version="2.0"><channel><title>T</title>
<item><title>Old</title><link>http://example.test/old</link><guid>old</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item></channel></rss>`)
	}
	fetcher := feed.NewFetcher(feed.Options{})

	t.Run("listing the feeds", func(t *testing.T) {
		store, _ := setup(t, 2, serveOld)
		store = damage(t, store, "feeds")
		last, _ := lastEvent(refresh.Background{Store: store, Fetcher: fetcher})
		if !errors.Is(last.Err, cache.ErrDamaged) || !strings.Contains(last.Err.Error(), store.Path()) {
			t.Fatalf("last event %+v: want the damaged cache named", last)
		}
	})

	t.Run("retention after the refresh", func(t *testing.T) {
		store, _ := setup(t, 2, serveOld)
		if last, _ := lastEvent(refresh.Background{Store: store, Fetcher: fetcher, Rules: keepDays(t, 30)}); last.Err != nil || last.Done != 2 {
			t.Fatalf("first refresh: %+v", last)
		}
		if _, err := store.MarkAllRead(context.Background(), news.Filter{}); err != nil {
			t.Fatal(err)
		}
		// The feeds answer "not modified", so only the purge after the
		// refresh meets the damaged page: the index of kept web pages,
		// which a deleted article's page is looked up in.
		store = damage(t, store, "sqlite_autoindex_pages_1")
		last, n := lastEvent(refresh.Background{Store: store, Fetcher: fetcher, Rules: keepDays(t, 30)})
		if n != 3 || !errors.Is(last.Err, cache.ErrDamaged) || !strings.Contains(last.Err.Error(), store.Path()) {
			t.Fatalf("%d events, last %+v: want the two feeds, then the purge's error", n, last)
		}
	})
}

// keepDays is the rules of a config.toml that says only keep-days = days.
func keepDays(t *testing.T, days int) refresh.Rules {
	t.Helper()
	s := config.Default()
	s.KeepDays = days
	return mustRules(t, s)
}
