package refresh_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

func rss(n int) string {
	items := ""
	for i := range n {
		items += fmt.Sprintf("<item><title>Story %d</title><link>http://example.test/%d</link><guid>g%d</guid></item>", i, i, i)
	}
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>` + items + `</channel></rss>`
}

// setup serves n feeds of 3 items each and subscribes a real cache to them.
func setup(t *testing.T, n int, handler func(w http.ResponseWriter, r *http.Request)) (*cache.Store, []news.Feed) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(handler))
	t.Cleanup(srv.Close)
	store, err := cache.Open(filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	subs := make([]news.Subscription, n)
	for i := range subs {
		subs[i] = news.Subscription{URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)}
	}
	ctx := context.Background()
	if err := store.SyncSubscriptions(ctx, subs); err != nil {
		t.Fatal(err)
	}
	feeds, err := store.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return store, feeds
}

func TestRunCountsAndReportsEveryFeed(t *testing.T) {
	store, feeds := setup(t, 6, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed/5" {
			http.Error(w, "nope", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, rss(3))
	})
	feeds[4].Gone = true // a feed that said 410 last time is not fetched again
	var reports []refresh.Progress
	sum, err := refresh.Run(context.Background(), store, feed.NewFetcher(feed.Options{}), feeds, refresh.Rules{}, time.Now(),
		func(p refresh.Progress) { reports = append(reports, p) })
	if err != nil {
		t.Fatal(err)
	}
	want := refresh.Summary{OK: 4, Failed: 1, Skipped: 1, New: 12}
	if sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	if len(reports) != 6 || reports[5].Done != 6 || reports[5].Total != 6 || reports[5].Summary != sum {
		t.Errorf("progress reports: %d, last %+v", len(reports), reports[len(reports)-1])
	}
}

func TestRunCancelledKeepsWhatFinished(t *testing.T) {
	var served atomic.Int32
	release := make(chan struct{})
	store, feeds := setup(t, 10, func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) > 3 {
			select { // the rest hang until the refresh is cancelled
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		fmt.Fprint(w, rss(2))
	})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	var ok int
	done := make(chan struct{})
	var sum refresh.Summary
	var err error
	go func() {
		defer close(done)
		sum, err = refresh.Run(ctx, store, feed.NewFetcher(feed.Options{Jobs: 4}), feeds, refresh.Rules{}, time.Now(), func(p refresh.Progress) {
			if ok = p.OK; ok == 3 {
				cancel()
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if sum.OK != 3 || sum.Failed != 0 || sum.New != 6 {
		t.Errorf("summary after cancel: %+v (cancelled feeds are not failures)", sum)
	}
	n, cerr := store.Count(context.Background(), news.Filter{})
	if cerr != nil || n != 6 {
		t.Errorf("stored %d articles (%v), want the 6 that finished", n, cerr)
	}
}

func TestRunStopsOnStorageError(t *testing.T) {
	store, feeds := setup(t, 5, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, rss(1)) })
	store.Close()
	_, err := refresh.Run(context.Background(), store, feed.NewFetcher(feed.Options{}), feeds, refresh.Rules{}, time.Now(), nil)
	if err == nil {
		t.Fatal("a closed store must fail the run")
	}
}

func TestBackgroundReportsStorageFailure(t *testing.T) {
	store, _ := setup(t, 3, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, rss(1)) })
	// Feeds are read, then every save fails: the store is closed under the refresh.
	failing := closingStore{store}
	var last refresh.Progress
	for p := range (refresh.Background{Store: failing, Fetcher: feed.NewFetcher(feed.Options{})}).Refresh(context.Background(), nil) {
		last = p
	}
	if last.Err == nil {
		t.Fatalf("last event %+v carries no error", last)
	}
}

// closingStore closes the cache once the feeds have been read.
type closingStore struct{ *cache.Store }

func (c closingStore) Feeds(ctx context.Context) ([]news.Feed, error) {
	feeds, err := c.Store.Feeds(ctx)
	c.Store.Close()
	return feeds, err
}

// Run only stores: however long the network keeps the writer waiting, the
// articles wait for Finish, which indexes them when they fit its budget.
func TestRunLeavesIndexingToFinish(t *testing.T) {
	store, feeds := setup(t, 4, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed/3" {
			time.Sleep(300 * time.Millisecond) // the others are stored long before
		}
		items := ""
		for i := range 20 {
			items += fmt.Sprintf(`<item><title>Story %d</title><guid>%s-%d</guid>
				<description>A teaser.</description>
				<content:encoded><![CDATA[<p>The long text of story %d, about lighthouses.</p>]]></content:encoded></item>`, i, r.URL.Path, i, i)
		}
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>`+items+`</channel></rss>`)
	})
	ctx := context.Background()
	sum, err := refresh.Run(ctx, store, feed.NewFetcher(feed.Options{}), feeds, refresh.Rules{}, time.Now(), nil)
	if err != nil || sum.New != 80 {
		t.Fatalf("Run: %+v, %v", sum, err)
	}
	if left, err := store.IndexPending(ctx, 0); err != nil || left != 80 {
		t.Errorf("%d articles left to index after Run (%v); want all 80", left, err)
	}
	if err := refresh.Finish(ctx, store, refresh.Rules{}, refresh.FinishBudget); err != nil {
		t.Fatal(err)
	}
	if left, err := store.IndexPending(ctx, 0); err != nil || left != 0 {
		t.Errorf("%d articles left to index after Finish (%v); want none", left, err)
	}
}

// Finish indexes what is pending when all of it fits in its budget, and
// otherwise leaves it for the next search, having indexed no more than
// the first batch that told it the pace.
func TestFinishIndexesOnlyWhatFitsItsBudget(t *testing.T) {
	var items atomic.Int32
	items.Store(1000)
	store, feeds := setup(t, 2, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rss(int(items.Load())))
	})
	ctx := context.Background()
	fetcher := feed.NewFetcher(feed.Options{})
	if sum, err := refresh.Run(ctx, store, fetcher, feeds, refresh.Rules{}, time.Now(), nil); err != nil || sum.New != 2000 {
		t.Fatalf("Run: %+v, %v", sum, err)
	}
	// 2,000 articles take far more than the 5 ms the indexing gets.
	if err := refresh.Finish(ctx, store, refresh.Rules{}, 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	left, err := store.IndexPending(ctx, 0)
	if err != nil || left < 2000-64 || left == 0 {
		t.Fatalf("%d of 2,000 left after a 10 ms Finish (%v); want all but the first batch", left, err)
	}
	hits, err := store.Search(ctx, "story", 0)
	if err != nil || len(hits) != 2000 {
		t.Fatalf("search found %d of 2,000 (%v): it must index what Finish left", len(hits), err)
	}

	// Two new articles a feed fit: Finish indexes them all.
	items.Store(1002)
	if sum, err := refresh.Run(ctx, store, fetcher, feeds, refresh.Rules{}, time.Now(), nil); err != nil || sum.New != 4 {
		t.Fatalf("second Run: %+v, %v", sum, err)
	}
	if err := refresh.Finish(ctx, store, refresh.Rules{}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if left, err := store.IndexPending(ctx, 0); err != nil || left != 0 {
		t.Errorf("%d left after a Finish with a minute (%v); want none", left, err)
	}
}
