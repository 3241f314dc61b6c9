package ui

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// fetchedHome subscribes a real cache to urls and stores what the real
// fetcher makes of each, as a refresh would.
func fetchedHome(t *testing.T, urls ...string) Deps {
	t.Helper()
	store := openStore(t)
	ctx := t.Context()
	var subs []news.Subscription
	for _, u := range urls {
		subs = append(subs, news.Subscription{URL: u})
	}
	if err := store.SyncSubscriptions(ctx, subs); err != nil {
		t.Fatal(err)
	}
	feeds, err := store.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fetcher := feed.NewFetcher(feed.Options{Timeout: 5 * time.Second, ConnectTimeout: time.Second})
	for _, fd := range feeds {
		if _, err := store.SaveResult(ctx, fd.ID, fetcher.Fetch(ctx, fd.URL, news.Validators{})); err != nil {
			t.Fatal(err)
		}
	}
	return Deps{Store: store, Reader: newFakeReader(), Now: time.Now, Getenv: func(string) string { return "" }}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// e shows why a feed failed in full, wrapped, naming its URL once (#10,
// item 10).
func TestFeedErrorIsShownInFull(t *testing.T) {
	url := "http://" + closedPort(t) + "/a/rather/long/path/to/the/feed/that/does/not/fit/on/one/line.xml"
	for _, size := range [][2]int{{80, 24}, {140, 40}} {
		h := newHarness(t, fetchedHome(t, url), testSettings(), size[0], size[1])
		h.press("G", "e")
		v := h.view()
		if !strings.Contains(words(v), "connection refused") {
			t.Fatalf("%dx%d: the reason is cut off:\n%s", size[0], size[1], v)
		}
		if n := strings.Count(strings.Join(strings.Fields(v), ""), url); n != 1 { // wrapped lines joined
			t.Fatalf("%dx%d: the URL is named %d times:\n%s", size[0], size[1], n, v)
		}
		for i, line := range strings.Split(v, "\n") {
			if len([]rune(line)) > size[0] {
				t.Fatalf("%dx%d: line %d is too wide: %q", size[0], size[1], i, line)
			}
		}
		h.press("esc")
		if strings.Contains(h.view(), "connection refused") {
			t.Fatalf("esc did not close the error:\n%s", h.view())
		}
	}
}

// A status message longer than the line is shown whole, over as many
// lines as it takes, until the next key.
func TestLongStatusMessageIsShownInFull(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	long := "fetch http://127.0.0.1:9/a/long/path/page.html: dial tcp 127.0.0.1:9: connect: connection refused, and then some more words to read"
	h.send(browserDoneMsg{url: "http://x/", err: fmt.Errorf("%s", long)})
	v := h.view()
	if !strings.Contains(words(v), long) {
		t.Fatalf("the message is cut:\n%s", v)
	}
	if lines := strings.Split(v, "\n"); len(lines) != 24 {
		t.Fatalf("the view has %d lines, want 24", len(lines))
	}
	h.press("j")
	if strings.Contains(h.view(), "some more words") {
		t.Fatal("the message outlived the next key")
	}
}

// A feed that moved for good (301) is marked on the feeds screen and e
// says where it went (#10, item 15).
func TestMovedFeedIsMarkedAndExplained(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/old.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new.xml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/new.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Moving Feed</title>
<item><guid>1</guid><title>Still here</title><link>http://127.0.0.1/1</link></item></channel></rss>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h := newHarness(t, fetchedHome(t, srv.URL+"/old.xml"), testSettings(), 80, 24)
	h.requireView("! Moving Feed")
	h.press("G", "e")
	if v := words(h.view()); !strings.Contains(v, "Moved for good") || !strings.Contains(v, srv.URL+"/new.xml") {
		t.Fatalf("e does not tell of the move:\n%s", h.view())
	}
}
