package cli_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// titlesServer serves a feed with a CJK title and items titled in CJK,
// in Latin letters, and not at all (one with text, one with only a link).
func titlesServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title>
<item><guid>1</guid><title>東京で大雨、交通機関に影響</title><link>http://%[2]s/1</link><pubDate>Mon, 02 Jun 2025 09:00:00 GMT</pubDate></item>
<item><guid>2</guid><title>Heavy rain in Tokyo</title><link>http://%[2]s/2</link><pubDate>Mon, 02 Jun 2025 08:00:00 GMT</pubDate></item>
<item><guid>3</guid><link>http://%[2]s/3</link><description>&lt;p&gt;Trains were stopped for &lt;b&gt;three hours&lt;/b&gt; on Monday morning while the river rose above its banks near the station&lt;/p&gt;</description><pubDate>Mon, 02 Jun 2025 07:00:00 GMT</pubDate></item>
<item><guid>4</guid><link>http://%[2]s/only-a-link</link><pubDate>Mon, 02 Jun 2025 06:00:00 GMT</pubDate></item>
</channel></rss>`, strings.TrimPrefix(r.URL.Path, "/"), r.Host)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestTablesLineUpWideCharactersAndNameUntitledItems: CJK characters
// take two cells, which shifted the columns after them; an item without
// a title was a blank row (#10, item 27).
func TestTablesLineUpWideCharactersAndNameUntitledItems(t *testing.T) {
	srv := titlesServer(t)
	h := newHome(t, srv.URL+"/日本のニュース\n"+srv.URL+"/World\n")
	h.ok("refresh")
	out := h.ok("list")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("list:\n%s", out)
	}
	// The title column starts at one cell for every row.
	col := -1
	for _, l := range lines {
		for _, title := range []string{"東京で大雨", "Heavy rain in Tokyo", "Trains were stopped", "only-a-link"} {
			i := strings.Index(l, title)
			if i < 0 {
				continue
			}
			at := ansi.StringWidth(l[:i])
			if title == "only-a-link" {
				at = ansi.StringWidth(l[:strings.Index(l, "http://")])
			}
			if col >= 0 && at != col {
				t.Fatalf("the title column moves (%d, then %d):\n%s", col, at, out)
			}
			col = at
		}
	}
	if !strings.Contains(out, "Trains were stopped for three hours on Monday") || !strings.Contains(out, srv.URL+"/only-a-link") {
		t.Fatalf("untitled items are not named by their text or link:\n%s", out)
	}
	feeds := h.ok("feeds")
	lines = strings.Split(strings.TrimRight(feeds, "\n"), "\n")
	status := ansi.StringWidth(lines[0][:strings.Index(lines[0], "STATUS")])
	for _, l := range lines[1:] {
		if i := strings.LastIndex(l, " ok"); i < 0 || ansi.StringWidth(l[:i+1]) != status {
			t.Fatalf("the status column moves:\n%s", feeds)
		}
	}
}
