package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
	"golang.org/x/text/encoding/charmap"
)

func TestFetchOK(t *testing.T) {
	var mu sync.Mutex
	var seen http.Header
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")
		_, _ = w.Write(rssFeed("Good feed", 5))
	})
	f := NewFetcher(Options{UserAgent: "byline-test/1"})
	res := f.Fetch(context.Background(), srv.URL+"/feed.xml", news.Validators{})
	if res.Err != nil || res.Status != StatusOK {
		t.Fatalf("status %v, err %v", res.Status, res.Err)
	}
	if res.URL != srv.URL+"/feed.xml" || res.Feed.Title != "Good feed" || len(res.Feed.Items) != 5 || res.Duration <= 0 {
		t.Errorf("result = %+v", res)
	}
	if want := (news.Validators{ETag: `"v1"`, LastModified: "Thu, 01 Jan 2026 00:00:00 GMT"}); res.Validators != want {
		t.Errorf("validators = %+v, want %+v", res.Validators, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if ua := seen.Get("User-Agent"); ua != "byline-test/1" {
		t.Errorf("User-Agent = %q", ua)
	}
	if accept := seen.Get("Accept"); !strings.HasPrefix(accept, "application/rss+xml") || !strings.Contains(accept, "application/atom+xml") {
		t.Errorf("Accept = %q, want feed types first", accept)
	}
	if seen.Get("If-None-Match") != "" || seen.Get("If-Modified-Since") != "" {
		t.Errorf("sent validators on a first fetch: %v", seen)
	}
}

func TestFetchDefaultUserAgent(t *testing.T) {
	got := make(chan string, 1)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got <- r.UserAgent()
		_, _ = w.Write(rssFeed("t", 1))
	})
	NewFetcher(Options{}).Fetch(context.Background(), srv.URL, news.Validators{})
	if ua := <-got; ua != DefaultOptions().UserAgent {
		t.Errorf("User-Agent = %q, want %q", ua, DefaultOptions().UserAgent)
	}
}

func TestFetchConditionalGet(t *testing.T) {
	const etag, lastModified = `"abc123"`, "Fri, 02 Jan 2026 10:00:00 GMT"
	var mu sync.Mutex
	var gotINM, gotIMS []string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotINM = append(gotINM, r.Header.Get("If-None-Match"))
		gotIMS = append(gotIMS, r.Header.Get("If-Modified-Since"))
		mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastModified)
		_, _ = w.Write(rssFeed("t", 3))
	})
	f := NewFetcher(Options{})
	first := f.Fetch(context.Background(), srv.URL, news.Validators{})
	if first.Status != StatusOK {
		t.Fatalf("first fetch: %v %v", first.Status, first.Err)
	}
	second := f.Fetch(context.Background(), srv.URL, first.Validators)
	if second.Status != StatusNotModified || second.Err != nil {
		t.Fatalf("second fetch: %v %v", second.Status, second.Err)
	}
	if second.Feed != nil {
		t.Errorf("304 produced a feed: %+v", second.Feed)
	}
	if second.Validators != first.Validators {
		t.Errorf("validators after 304 = %+v, want %+v kept", second.Validators, first.Validators)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(gotINM) != 2 || gotINM[1] != etag || gotIMS[1] != lastModified {
		t.Errorf("server saw If-None-Match %q, If-Modified-Since %q", gotINM, gotIMS)
	}
}

func TestFetchHTTPErrors(t *testing.T) {
	retryDate := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		code       int
		retryAfter string
		want       string
		gone       bool
		retryAt    time.Time
	}{
		{code: 404, want: "HTTP 404 Not Found"},
		{code: 500, want: "HTTP 500 Internal Server Error"},
		{code: 410, want: "HTTP 410 Gone", gone: true},
		{code: 429, retryAfter: "120", want: "HTTP 429 Too Many Requests (the server asks to retry after", retryAt: time.Now().Add(120 * time.Second)},
		{code: 503, retryAfter: retryDate.Format(http.TimeFormat), want: "HTTP 503 Service Unavailable", retryAt: retryDate},
		{code: 503, retryAfter: "soon", want: "HTTP 503 Service Unavailable"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code, tt.retryAfter), func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.code)
				_, _ = w.Write([]byte("<html>error page</html>"))
			})
			old := news.Validators{ETag: `"keep"`}
			res := NewFetcher(Options{}).Fetch(context.Background(), srv.URL, old)
			if res.Status != StatusFailed || res.Feed != nil {
				t.Fatalf("status %v, feed %v", res.Status, res.Feed)
			}
			mustContain(t, res.Err, srv.URL, tt.want)
			var herr *HTTPError
			if !errors.As(res.Err, &herr) || herr.StatusCode != tt.code {
				t.Errorf("error %v is not an HTTPError %d", res.Err, tt.code)
			}
			if res.Gone != tt.gone {
				t.Errorf("Gone = %v", res.Gone)
			}
			if d := res.RetryAfter.Sub(tt.retryAt); d < -5*time.Second || d > 5*time.Second || res.RetryAfter.IsZero() != tt.retryAt.IsZero() {
				t.Errorf("RetryAfter = %v, want about %v", res.RetryAfter, tt.retryAt)
			}
			if res.Validators != old {
				t.Errorf("validators = %+v, want the old ones kept", res.Validators)
			}
		})
	}
}

func TestFetchRefusesOtherSchemes(t *testing.T) {
	f := NewFetcher(Options{})
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/feed", "javascript:alert(1)", "/relative/feed", "", "byline:other"} {
		res := f.Fetch(context.Background(), u, news.Validators{})
		if res.Status != StatusFailed {
			t.Errorf("%q: status %v", u, res.Status)
		}
		mustContain(t, res.Err, "unsupported URL scheme")
	}
	res := f.Fetch(context.Background(), "http:///feed", news.Validators{})
	mustContain(t, res.Err, "no host")
}

// failingTransport fails every request, to prove a fetch made none.
type failingTransport struct{ t *testing.T }

func (ft failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ft.t.Errorf("unexpected request to %s", r.URL)
	return nil, errors.New("no network in this test")
}

func TestFetchWelcomeFeed(t *testing.T) {
	f := NewFetcher(Options{})
	f.client.Transport = failingTransport{t}
	res := f.Fetch(context.Background(), WelcomeURL, news.Validators{})
	if res.Status != StatusOK || res.Err != nil {
		t.Fatalf("status %v, err %v", res.Status, res.Err)
	}
	items := res.Feed.Items
	if len(items) < 4 || len(items) > 6 {
		t.Fatalf("welcome feed has %d items, want 4–6", len(items))
	}
	assertClean(t, res.Feed)
	slugs := make(map[string]bool)
	for _, it := range items {
		if !strings.HasPrefix(it.URL, WelcomeURL+"/") || it.GUID != it.URL {
			t.Errorf("item %q: URL %q, GUID %q; want both byline:welcome/<slug>", it.Title, it.URL, it.GUID)
		}
		if it.Published.IsZero() || it.Content == "" || it.Title == "" {
			t.Errorf("item %q lacks a date, title or content", it.URL)
		}
		slugs[it.URL] = true
	}
	// Every link between the articles must lead to one of them.
	internal := regexp.MustCompile(`href="(byline:[^"]*)"`)
	for _, it := range items {
		for _, m := range internal.FindAllStringSubmatch(it.Content, -1) {
			if !slugs[m[1]] {
				t.Errorf("item %q links to %q, which is not in the feed", it.URL, m[1])
			}
		}
	}
	again := f.Fetch(context.Background(), WelcomeURL, news.Validators{})
	if fmt.Sprint(again.Feed) != fmt.Sprint(res.Feed) {
		t.Error("welcome feed differs between fetches")
	}
}

// hang blocks until the client gives up, as a server that never answers.
func hang(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

func TestFetchTimeouts(t *testing.T) {
	drip := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(`<rss version="2.0"><channel><title>slow`))
		for {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
				_, _ = w.Write([]byte(" "))
				w.(http.Flusher).Flush()
			}
		}
	}
	for name, h := range map[string]http.HandlerFunc{"never answers": hang, "dripping body": drip} {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, h)
			res := NewFetcher(Options{Timeout: 300 * time.Millisecond}).Fetch(context.Background(), srv.URL, news.Validators{})
			mustContain(t, res.Err, "timed out after 300ms")
			if !errors.Is(res.Err, context.DeadlineExceeded) {
				t.Errorf("error %v does not wrap context.DeadlineExceeded", res.Err)
			}
			if res.Duration > 3*time.Second {
				t.Errorf("took %v", res.Duration)
			}
		})
	}
}

func TestFetchBodyLimit(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 100<<10)
	withLength := serveBytes(t, "application/rss+xml", big)
	chunked := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush() // no Content-Length: the limit must count
		for range 10 {
			_, _ = w.Write(big[:10<<10])
		}
	})
	f := NewFetcher(Options{MaxBodyBytes: 64 << 10})
	for _, srv := range []string{withLength.URL, chunked.URL} {
		res := f.Fetch(context.Background(), srv, news.Validators{})
		mustContain(t, res.Err, "body exceeds 64 KiB")
	}
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func serveGzip(t *testing.T, body []byte) *httptest.Server {
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("request did not accept gzip: %v", r.Header)
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(body)
	})
}

func TestFetchGzip(t *testing.T) {
	good := serveGzip(t, gzipped(t, rssFeed("Compressed", 3)))
	res := NewFetcher(Options{}).Fetch(context.Background(), good.URL, news.Validators{})
	if res.Status != StatusOK || res.Feed.Title != "Compressed" {
		t.Fatalf("gzip feed: %v %v", res.Status, res.Err)
	}

	// A bomb: 21 gzip members of 1 MiB of zeros each (a multi-member
	// stream is valid gzip): about 21 KiB on the wire, 21 MiB inflated.
	bomb := bytes.Repeat(gzipped(t, make([]byte, 1<<20)), 21)
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb is %d bytes compressed", len(bomb))
	}
	srv := serveGzip(t, bomb)
	res = NewFetcher(Options{}).Fetch(context.Background(), srv.URL, news.Validators{})
	mustContain(t, res.Err, "body exceeds 20 MiB")
}

func TestFetchRedirects(t *testing.T) {
	mux := http.NewServeMux()
	srv := serve(t, mux.ServeHTTP)
	redirect := func(from, to string, code int) {
		mux.HandleFunc(from, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, code) })
	}
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(rssFeed("Moved", 1)) })
	redirect("/loop-a", "/loop-b", http.StatusFound)
	redirect("/loop-b", "/loop-a", http.StatusFound)
	for i := range 6 {
		redirect(fmt.Sprintf("/hop/%d", i), fmt.Sprintf("/hop/%d", i+1), http.StatusFound)
	}
	redirect("/hop/6", "/feed", http.StatusFound)
	redirect("/old", "/middle", http.StatusMovedPermanently)
	redirect("/middle", "/feed", http.StatusFound)
	redirect("/old308", "/feed", http.StatusPermanentRedirect)
	redirect("/temp", "/temp2", http.StatusFound)
	redirect("/temp2", "/feed", http.StatusTemporaryRedirect)

	f := NewFetcher(Options{MaxRedirects: 5})
	ctx := context.Background()

	mustContain(t, f.Fetch(ctx, srv.URL+"/loop-a", news.Validators{}).Err, "redirect loop")
	mustContain(t, f.Fetch(ctx, srv.URL+"/hop/0", news.Validators{}).Err, "more than 5 redirects")
	if res := NewFetcher(Options{MaxRedirects: 7}).Fetch(ctx, srv.URL+"/hop/0", news.Validators{}); res.Status != StatusOK {
		t.Errorf("7 redirects with MaxRedirects 7: %v", res.Err)
	}
	for path, wantMoved := range map[string]string{"/old": srv.URL + "/feed", "/old308": srv.URL + "/feed", "/temp": "", "/feed": ""} {
		res := f.Fetch(ctx, srv.URL+path, news.Validators{})
		if res.Status != StatusOK {
			t.Errorf("%s: %v %v", path, res.Status, res.Err)
		}
		if res.MovedTo != wantMoved {
			t.Errorf("%s: MovedTo = %q, want %q", path, res.MovedTo, wantMoved)
		}
	}
}

func TestFetchBadBodies(t *testing.T) {
	tests := []struct {
		name, contentType string
		body              []byte
		want              string
	}{
		{"HTML instead of a feed", "text/html; charset=utf-8", []byte("<!doctype html><html><body>home page</body></html>"), "not a feed (got an HTML page; try `byline add` to discover its feed)"},
		{"empty body", "application/rss+xml", nil, "empty document"},
		{"malformed XML", "application/rss+xml", []byte(`<rss version="2.0"><channel><title>x</title><item><title>a</ite`), "malformed feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serveBytes(t, tt.contentType, tt.body)
			res := NewFetcher(Options{}).Fetch(context.Background(), srv.URL, news.Validators{})
			if res.Status != StatusFailed || res.Feed != nil {
				t.Fatalf("status %v", res.Status)
			}
			mustContain(t, res.Err, srv.URL, tt.want)
		})
	}
}

func TestFetchHeaderCharset(t *testing.T) {
	body, err := charmap.Windows1252.NewEncoder().Bytes([]byte(`<rss version="2.0"><channel><title>Café “news”</title></channel></rss>`))
	if err != nil {
		t.Fatal(err)
	}
	srv := serveBytes(t, "application/rss+xml; charset=windows-1252", body)
	res := NewFetcher(Options{}).Fetch(context.Background(), srv.URL, news.Validators{})
	if res.Err != nil || res.Feed.Title != "Café “news”" {
		t.Fatalf("title %q, err %v", res.Feed.Title, res.Err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := map[string]time.Time{
		"":                              {},
		"0":                             now,
		"90":                            now.Add(90 * time.Second),
		"-5":                            {},
		"99999999999999":                now.Add(maxRetryAfter),
		"Thu, 01 Jan 2026 01:00:00 GMT": now.Add(time.Hour),
		"Sun, 01 Jan 2034 00:00:00 GMT": now.Add(maxRetryAfter),
		"tomorrow":                      {},
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); !got.Equal(want) {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestFetchDropsUnusableValidators(t *testing.T) {
	long := `"` + strings.Repeat("e", 2000) + `"`
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"old"` {
			w.Header().Set("ETag", `"new"`) // a 304 may refresh one validator
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", long)
		w.Header().Set("Last-Modified", long)
		_, _ = w.Write(rssFeed("t", 1))
	})
	f := NewFetcher(Options{})
	res := f.Fetch(context.Background(), srv.URL, news.Validators{})
	if res.Status != StatusOK || res.Validators != (news.Validators{}) {
		t.Errorf("status %v (%v), validators %+v; want OK with none", res.Status, res.Err, res.Validators)
	}
	res = f.Fetch(context.Background(), srv.URL, news.Validators{ETag: `"old"`, LastModified: "Wed, 31 Dec 2025 00:00:00 GMT"})
	if want := (news.Validators{ETag: `"new"`, LastModified: "Wed, 31 Dec 2025 00:00:00 GMT"}); res.Status != StatusNotModified || res.Validators != want {
		t.Errorf("304: status %v, validators %+v; want %+v", res.Status, res.Validators, want)
	}
}
