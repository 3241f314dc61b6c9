package ui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// An item without a title is named by the first words of its text, or
// by its link, wherever titles show (#10, item 27).
func TestUntitledArticlesAreNamed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Untitled</title>
<item><guid>1</guid><link>http://%[1]s/1</link><description>&lt;p&gt;Trains were stopped for &lt;b&gt;three hours&lt;/b&gt; on Monday morning while the river rose above its banks&lt;/p&gt;</description><pubDate>Mon, 02 Jun 2025 07:00:00 GMT</pubDate></item>
<item><guid>2</guid><link>http://%[1]s/only-a-link</link><pubDate>Mon, 02 Jun 2025 06:00:00 GMT</pubDate></item>
</channel></rss>`, r.Host)
	}))
	t.Cleanup(srv.Close)
	h := newHarness(t, fetchedHome(t, srv.URL+"/feed.xml"), testSettings(), 100, 24)
	h.press("enter")
	h.requireView("Trains were stopped for three hours on Monday", srv.URL+"/only-a-link")
	h.press("enter")
	if got := h.statusLine(); !strings.Contains(got, "Trains were stopped") {
		t.Fatalf("the reader's status names it %q", got)
	}
}
