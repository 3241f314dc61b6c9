package hostile

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// TestCasesAgainstTheFetcher runs every case through byline's fetcher and
// extractor in-process (cli/hostile_test.go runs the real binary): each
// must fail with the error its Case names, or be harmless, and the server
// must let go of every connection once it is closed.
func TestCasesAgainstTheFetcher(t *testing.T) {
	before := runtime.NumGoroutine()
	marker := "HOSTILE-UNIT-MARKER-7f3a"
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte(marker), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := Start(Options{DripEvery: 20 * time.Millisecond, Items: 2000, Depth: 100_000, SecretFile: secret})
	if err != nil {
		t.Fatal(err)
	}
	// 4 MiB a body, not the default 20: the oversized cases must reach the
	// limit within the 1 s timeout even on a loaded machine (a gzip bomb
	// inflating 20 MiB in 1 s was not always).
	f := feed.NewFetcher(feed.Options{Timeout: time.Second, MaxBodyBytes: 4 << 20})
	ctx := context.Background()
	for _, c := range srv.Cases() {
		start := time.Now()
		var msg string
		if c.Page {
			page, err := f.FetchPage(ctx, srv.URL(c.Name))
			if err == nil {
				_, err = article.Extract(page.Body, page.ContentType, page.URL)
			}
			if err != nil {
				msg = err.Error()
			}
		} else {
			res := f.Fetch(ctx, srv.URL(c.Name), news.Validators{})
			if res.Err != nil {
				msg = res.Err.Error()
			} else {
				var all strings.Builder
				all.WriteString(res.Feed.Title)
				for _, it := range res.Feed.Items {
					all.WriteString(it.Title + it.URL + it.Summary + it.Content)
				}
				if strings.Contains(all.String(), marker) {
					t.Errorf("%s: the secret file was read", c.Name)
				}
				if strings.Contains(all.String(), "lollollol") {
					t.Errorf("%s: an entity was expanded", c.Name)
				}
				if c.Name == "items-100k" && len(res.Feed.Items) != 2000 {
					t.Errorf("%s: %d items", c.Name, len(res.Feed.Items))
				}
			}
		}
		if len(c.Want) > 0 && msg == "" {
			t.Errorf("%s: no error", c.Name)
		} else if !c.Explains(msg) {
			t.Errorf("%s: error %q names none of %q", c.Name, msg, c.Want)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: took %v", c.Name, d)
		}
	}
	for _, u := range append(srv.GoodURLs(), srv.LinksURL()) {
		if res := f.Fetch(ctx, u, news.Validators{}); res.Err != nil || len(res.Feed.Items) == 0 {
			t.Errorf("good feed %s: %v", u, res.Err)
		}
	}
	srv.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+10 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	// The fetcher's idle connections are gone with the server; what is
	// left is a few runtime goroutines at most.
	if n := runtime.NumGoroutine(); n > before+10 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
