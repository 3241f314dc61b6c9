package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

func TestFetchPage(t *testing.T) {
	latin1 := []byte("<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9</title></head><body><p>Caf\xe9 \xfcber alles</p></body></html>")
	other := []byte("<html><body><p>another page, long enough to reuse a pooled buffer</p></body></html>")
	var mu sync.Mutex
	var seen http.Header
	mux := http.NewServeMux()
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/2026/03/story.html", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/2026/03/story.html", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		_, _ = w.Write(latin1)
	})
	mux.HandleFunc("/other", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(other) })
	srv := serve(t, mux.ServeHTTP)

	f := NewFetcher(Options{UserAgent: "byline-test/2"})
	page, err := f.FetchPage(context.Background(), srv.URL+"/story")
	if err != nil {
		t.Fatal(err)
	}
	if page.URL != srv.URL+"/2026/03/story.html" {
		t.Errorf("URL = %q, want the URL after the redirect", page.URL)
	}
	if page.ContentType != "text/html; charset=iso-8859-1" {
		t.Errorf("ContentType = %q", page.ContentType)
	}
	if !bytes.Equal(page.Body, latin1) {
		t.Errorf("Body = %q, want the raw bytes %q", page.Body, latin1)
	}
	// The download buffer is pooled: a later fetch must not overwrite the
	// body already returned.
	if _, err := f.FetchPage(context.Background(), srv.URL+"/other"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(page.Body, latin1) {
		t.Errorf("Body changed after another fetch: %q", page.Body)
	}
	mu.Lock()
	defer mu.Unlock()
	if ua := seen.Get("User-Agent"); ua != "byline-test/2" {
		t.Errorf("User-Agent = %q", ua)
	}
	if accept := seen.Get("Accept"); accept != "text/html,application/xhtml+xml,*/*;q=0.8" {
		t.Errorf("Accept = %q", accept)
	}
}

func TestFetchPageHTTPErrors(t *testing.T) {
	tests := []struct {
		code       int
		retryAfter string
		want       string
	}{
		{code: 404, want: "HTTP 404 Not Found"},
		{code: 410, want: "HTTP 410 Gone (the page was removed)"},
		{code: 429, retryAfter: "60", want: "HTTP 429 Too Many Requests (the server asks to retry after"},
		{code: 500, want: "HTTP 500 Internal Server Error"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.code)
				_, _ = w.Write([]byte("<html>error page</html>"))
			})
			page, err := NewFetcher(Options{}).FetchPage(context.Background(), srv.URL+"/a")
			mustContain(t, err, "fetch page "+srv.URL+"/a", tt.want)
			if strings.Contains(err.Error(), "feed") {
				t.Errorf("error %q speaks of a feed", err)
			}
			var herr *HTTPError
			if !errors.As(err, &herr) || herr.StatusCode != tt.code {
				t.Errorf("error %v does not wrap an HTTPError %d", err, tt.code)
			}
			if tt.retryAfter != "" && herr != nil && herr.RetryAfter.IsZero() {
				t.Errorf("RetryAfter not set for %d", tt.code)
			}
			if page.Body != nil || page.URL != "" {
				t.Errorf("page = %+v, want none", page)
			}
		})
	}
}

func TestFetchPageRefusesOtherSchemes(t *testing.T) {
	f := NewFetcher(Options{})
	f.client.Transport = failingTransport{t}
	for _, u := range []string{"byline:welcome/keys", "file:///etc/passwd", "javascript:alert(1)", "mailto:a@example.com", "/relative"} {
		_, err := f.FetchPage(context.Background(), u)
		mustContain(t, err, u, "unsupported URL scheme")
	}
}

func TestFetchPageLimits(t *testing.T) {
	big := bytes.Repeat([]byte("<p>word</p>"), 10<<10)
	srv := serveBytes(t, "text/html", big)
	_, err := NewFetcher(Options{MaxBodyBytes: 64 << 10}).FetchPage(context.Background(), srv.URL)
	mustContain(t, err, "body exceeds 64 KiB")

	slow := serve(t, hang)
	_, err = NewFetcher(Options{Timeout: 200 * time.Millisecond}).FetchPage(context.Background(), slow.URL)
	mustContain(t, err, "timed out after 200ms")
}

// TestFetchPageSharesHostLimit shows that pages and feeds of one site queue
// for the same per-host slots.
func TestFetchPageSharesHostLimit(t *testing.T) {
	var inFlight, most atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			old := most.Load()
			if n <= old || most.CompareAndSwap(old, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		if strings.HasSuffix(r.URL.Path, ".xml") {
			_, _ = w.Write(rssFeed("feed", 1))
			return
		}
		_, _ = w.Write([]byte("<html><body><p>page</p></body></html>"))
	})
	f := NewFetcher(Options{PerHost: 1})
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			if i%2 == 0 {
				if res := f.Fetch(context.Background(), srv.URL+"/feed.xml", news.Validators{}); res.Err != nil {
					t.Error(res.Err)
				}
				return
			}
			if _, err := f.FetchPage(context.Background(), fmt.Sprintf("%s/page/%d", srv.URL, i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if m := most.Load(); m != 1 {
		t.Errorf("%d requests ran at once with PerHost 1", m)
	}
}

func TestFetchImageKeepsItsOwnLimit(t *testing.T) {
	img := bytes.Repeat([]byte{0x89}, 3000)
	var accept atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/small.png", func(w http.ResponseWriter, r *http.Request) {
		accept.Store(r.Header.Get("Accept"))
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(img)
	})
	mux.HandleFunc("/missing.png", http.NotFound)
	srv := serve(t, mux.ServeHTTP)

	f := NewFetcher(Options{})
	got, err := f.FetchImage(context.Background(), srv.URL+"/small.png", 4096)
	if err != nil || !bytes.Equal(got.Body, img) || got.ContentType != "image/png" {
		t.Fatalf("FetchImage = %d bytes, %q, %v", len(got.Body), got.ContentType, err)
	}
	if a, _ := accept.Load().(string); !strings.HasPrefix(a, "image/webp,image/png,image/jpeg") {
		t.Errorf("Accept = %q", a)
	}
	if _, err := f.FetchImage(context.Background(), srv.URL+"/small.png", 2048); err == nil || !strings.Contains(err.Error(), "exceeds 2 KiB") {
		t.Errorf("over the image limit: %v", err)
	}
	var herr *HTTPError
	if _, err := f.FetchImage(context.Background(), srv.URL+"/missing.png", 4096); !errors.As(err, &herr) || herr.StatusCode != 404 {
		t.Errorf("404: %v", err)
	}
	if _, err := f.FetchImage(context.Background(), "file:///etc/passwd", 4096); err == nil {
		t.Error("a file: URL was fetched")
	}
}
