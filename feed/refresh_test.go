package feed

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

// concurrency counts requests in flight and remembers the most seen at once.
type concurrency struct {
	now, peak atomic.Int32
}

func (c *concurrency) enter() {
	n := c.now.Add(1)
	for {
		peak := c.peak.Load()
		if n <= peak || c.peak.CompareAndSwap(peak, n) {
			return
		}
	}
}

func (c *concurrency) leave() { c.now.Add(-1) }

// countingFeed serves a small feed slowly enough for requests to overlap.
func countingFeed(c *concurrency) http.HandlerFunc {
	body := rssFeed("counted", 2)
	return func(w http.ResponseWriter, r *http.Request) {
		c.enter()
		defer c.leave()
		time.Sleep(30 * time.Millisecond)
		_, _ = w.Write(body)
	}
}

// collect drains a refresh, failing the test if it does not finish in time.
func collect(t *testing.T, ch <-chan Result, within time.Duration) map[string]Result {
	t.Helper()
	got := make(map[string]Result)
	deadline := time.After(within)
	for {
		select {
		case res, ok := <-ch:
			if !ok {
				return got
			}
			if _, dup := got[res.URL]; dup {
				t.Errorf("two results for %s", res.URL)
			}
			got[res.URL] = res
		case <-deadline:
			t.Fatalf("refresh not finished after %v (%d results so far)", within, len(got))
		}
	}
}

func TestRefreshPerHostLimit(t *testing.T) {
	var c concurrency
	srv := serve(t, countingFeed(&c))
	var jobs []Job
	for i := range 12 {
		jobs = append(jobs, Job{URL: srv.URL + "/feed/" + strconv.Itoa(i)})
	}
	f := NewFetcher(Options{Jobs: 8, PerHost: 2})
	got := collect(t, f.Refresh(context.Background(), jobs), 10*time.Second)
	if len(got) != len(jobs) {
		t.Fatalf("got %d results for %d jobs", len(got), len(jobs))
	}
	for _, res := range got {
		if res.Status != StatusOK {
			t.Errorf("%s: %v", res.URL, res.Err)
		}
	}
	if peak := c.peak.Load(); peak != 2 {
		t.Errorf("at most %d requests at once to one host, want 2", peak)
	}
}

func TestRefreshJobsLimit(t *testing.T) {
	var c concurrency
	var jobs []Job
	for range 12 {
		jobs = append(jobs, Job{URL: serve(t, countingFeed(&c)).URL})
	}
	f := NewFetcher(Options{Jobs: 3, PerHost: 2})
	got := collect(t, f.Refresh(context.Background(), jobs), 10*time.Second)
	if len(got) != len(jobs) {
		t.Fatalf("got %d results for %d jobs", len(got), len(jobs))
	}
	if peak := c.peak.Load(); peak != 3 {
		t.Errorf("at most %d requests at once, want 3", peak)
	}
}

func TestRefreshMixedGoodAndBad(t *testing.T) {
	good := serveBytes(t, "application/rss+xml", rssFeed("good", 3))
	html := serveBytes(t, "text/html", []byte("<html><body>home</body></html>"))
	malformed := serveBytes(t, "application/rss+xml", []byte("<rss><channel><title>x</chan"))
	missing := serve(t, http.NotFound)
	slow := serve(t, hang)
	want := map[string]string{ // URL → error text; "" for success
		good.URL + "/a":      "",
		good.URL + "/b":      "",
		WelcomeURL:           "",
		html.URL:             "got an HTML page",
		malformed.URL:        "malformed feed",
		missing.URL:          "HTTP 404 Not Found",
		slow.URL:             "timed out",
		"file:///etc/passwd": "unsupported URL scheme",
	}
	var jobs []Job
	for u := range want {
		jobs = append(jobs, Job{URL: u})
	}
	f := NewFetcher(Options{Timeout: 500 * time.Millisecond})
	got := collect(t, f.Refresh(context.Background(), jobs), 10*time.Second)
	if len(got) != len(want) {
		t.Fatalf("got %d results for %d jobs", len(got), len(want))
	}
	for u, wantErr := range want {
		res := got[u]
		if wantErr == "" {
			if res.Status != StatusOK || res.Feed == nil || len(res.Feed.Items) == 0 {
				t.Errorf("%s: %v %v", u, res.Status, res.Err)
			}
			continue
		}
		if res.Status != StatusFailed {
			t.Errorf("%s: status %v", u, res.Status)
		}
		mustContain(t, res.Err, wantErr)
	}
}

func TestRefreshCancel(t *testing.T) {
	var started sync.WaitGroup
	started.Add(4)
	var once [4]sync.Once
	var n atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if i := n.Add(1) - 1; i < 4 {
			once[i].Do(started.Done)
		}
		<-r.Context().Done()
	})
	var jobs []Job
	for i := range 20 {
		jobs = append(jobs, Job{URL: srv.URL + "/feed/" + strconv.Itoa(i), Validators: news.Validators{ETag: strconv.Itoa(i)}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	// One host; with Jobs and PerHost both 4, four requests start and hang.
	f := NewFetcher(Options{Jobs: 4, PerHost: 4})
	ch := f.Refresh(ctx, jobs)
	started.Wait()
	cancel()
	start := time.Now()
	got := collect(t, ch, 5*time.Second)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("closing took %v after cancel", d)
	}
	if len(got) != len(jobs) {
		t.Fatalf("got %d results for %d jobs", len(got), len(jobs))
	}
	for i, job := range jobs {
		res := got[job.URL]
		if res.Status != StatusFailed || !errors.Is(res.Err, context.Canceled) {
			t.Errorf("%s: status %v, err %v; want failed with context.Canceled", job.URL, res.Status, res.Err)
		}
		if res.Validators.ETag != strconv.Itoa(i) {
			t.Errorf("%s: validators %+v not kept", job.URL, res.Validators)
		}
	}
	if started := n.Load(); started > 4 {
		t.Errorf("%d requests reached the server, want at most 4 (Jobs)", started)
	}
}

func TestRefreshNoJobs(t *testing.T) {
	got := collect(t, NewFetcher(Options{}).Refresh(context.Background(), nil), time.Second)
	if len(got) != 0 {
		t.Errorf("got %d results", len(got))
	}
}

func TestRefreshNonsenseOptions(t *testing.T) {
	f := NewFetcher(Options{Jobs: -1, PerHost: -2, Timeout: -time.Second, MaxBodyBytes: -5, MaxRedirects: -1})
	got := collect(t, f.Refresh(context.Background(), []Job{{URL: WelcomeURL}}), 5*time.Second)
	if res := got[WelcomeURL]; res.Status != StatusOK {
		t.Errorf("welcome with defaulted options: %v %v", res.Status, res.Err)
	}
}

// A job's own User-Agent is sent for that feed alone.
func TestRefreshJobUserAgent(t *testing.T) {
	var mu sync.Mutex
	agents := map[string]string{}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.URL.Path] = r.UserAgent()
		mu.Unlock()
		_, _ = w.Write(rssFeed("t", 1))
	})
	f := NewFetcher(Options{UserAgent: "byline-test/1"})
	for range f.Refresh(context.Background(), []Job{{URL: srv.URL + "/own", UserAgent: "Mozilla/5.0 (own)"}, {URL: srv.URL + "/usual"}}) {
	}
	mu.Lock()
	defer mu.Unlock()
	if agents["/own"] != "Mozilla/5.0 (own)" || agents["/usual"] != "byline-test/1" {
		t.Errorf("User-Agents sent: %v", agents)
	}
}
