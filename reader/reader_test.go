package reader_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/reader"
)

const story = `<!doctype html><html><head><title>The page</title></head><body><article><h1>The page</h1>
<p>This is the whole story as the web page tells it, with many more words than the feed's teaser could ever hold.</p>
<p>It goes on for a while so that the extractor is sure it is an article and not a navigation page or a stub.</p>
<p>A <a href="/next">next page</a> follows.</p></article></body></html>`

// setup serves a feed with one teaser item and its page, refreshes it into
// a real cache and returns the stored article.
func setup(t *testing.T) (*cache.Store, *feed.Fetcher, *httptest.Server, news.Article, *atomic.Int32) {
	t.Helper()
	var pageHits atomic.Int32
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>F</title><item><title>Teaser</title><link>%s/page</link><guid>1</guid>
<description>Only the teaser…</description></item></channel></rss>`, srv.URL)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		pageHits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, story)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	store, err := cache.Open(filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	fetcher := feed.NewFetcher(feed.Options{})
	if err := store.SyncSubscriptions(ctx, []news.Subscription{{URL: srv.URL + "/feed"}, {URL: feed.WelcomeURL}}); err != nil {
		t.Fatal(err)
	}
	feeds, _ := store.Feeds(ctx)
	for _, f := range feeds {
		if _, err := store.SaveResult(ctx, f.ID, fetcher.Fetch(ctx, f.URL, news.Validators{})); err != nil {
			t.Fatal(err)
		}
	}
	a, err := store.ArticleByURL(ctx, srv.URL+"/page")
	if err != nil {
		t.Fatal(err)
	}
	return store, fetcher, srv, a, &pageHits
}

func TestStoryFetchesOnceThenReadsOffline(t *testing.T) {
	store, fetcher, srv, a, hits := setup(t)
	svc := reader.New(store, fetcher, nil)
	ctx := context.Background()
	first, err := svc.Story(ctx, a, "")
	if err != nil || first.Source != "page" || !strings.Contains(first.Text, "whole story") {
		t.Fatalf("open: %v %+v", err, first)
	}
	srv.Close()
	again, err := svc.Story(ctx, a, "")
	if err != nil || again.Text != first.Text || hits.Load() != 1 {
		t.Fatalf("offline open: %v, %d page fetches", err, hits.Load())
	}
	// The extracted text is searchable too.
	if _, err := store.IndexPending(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	hitsFound, err := store.Search(ctx, "extractor", 5)
	if err != nil || len(hitsFound) != 1 || hitsFound[0].ID != a.ID {
		t.Errorf("search of extracted text: %v %+v", err, hitsFound)
	}
}

func TestStoryHonoursFullTextSetting(t *testing.T) {
	store, fetcher, _, a, hits := setup(t)
	never := reader.New(store, fetcher, func(news.Article) config.FullText { return config.FullTextNever })
	got, err := never.Story(context.Background(), a, "")
	if err != nil || got.Source != "feed" || hits.Load() != 0 {
		t.Fatalf("full-text never: %v source %q, %d fetches", err, got.Source, hits.Load())
	}
}

// A mode asked for wins over the feed's setting: the reader's t key asks
// for the page of a "never" feed and the feed's text of a kept page.
func TestStoryModeOverridesTheFeedsSetting(t *testing.T) {
	store, fetcher, _, a, hits := setup(t)
	never := reader.New(store, fetcher, func(news.Article) config.FullText { return config.FullTextNever })
	ctx := context.Background()
	page, err := never.Story(ctx, a, config.FullTextAlways)
	if err != nil || page.Source != "page" || hits.Load() != 1 {
		t.Fatalf("always on a never feed: %v source %q, %d fetches", err, page.Source, hits.Load())
	}
	text, err := never.Story(ctx, a, config.FullTextNever)
	if err != nil || text.Source != "feed" || !strings.Contains(text.Text, "Only the teaser") || hits.Load() != 1 {
		t.Fatalf("never with the page kept: %v source %q, %d fetches", err, text.Source, hits.Load())
	}
}

func TestStoryFallsBackToFeedTextWithNotice(t *testing.T) {
	store, fetcher, srv, a, _ := setup(t)
	srv.Close()
	got, err := reader.New(store, fetcher, nil).Story(context.Background(), a, "")
	if err != nil || got.Source != "feed" || !strings.Contains(got.Text, "Only the teaser") || got.Notice == "" {
		t.Fatalf("fallback: %v %+v", err, got)
	}
}

func TestFollowWelcomeLinksOffline(t *testing.T) {
	store, fetcher, srv, _, _ := setup(t)
	srv.Close()
	got, err := reader.New(store, fetcher, nil).Follow(context.Background(), "byline:welcome/keys")
	if err != nil || got.Title != "Keys" {
		t.Fatalf("follow byline:welcome/keys: %v %+v", err, got)
	}
	if _, err := reader.New(store, fetcher, nil).Follow(context.Background(), "javascript:alert(1)"); err == nil {
		t.Error("a javascript: link was followed")
	}
}
