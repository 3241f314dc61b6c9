package article

import (
	"strings"
	"testing"
)

// A byline that holds only the date is no author: the reader's metadata
// line said the date twice, "6 January 2025, 20:47 UTC · 2025-01-06"
// (#10, item 28).
func TestDateBylineIsNoAuthor(t *testing.T) {
	var body strings.Builder
	for range 6 {
		body.WriteString("<p>The harbour reopened on Monday after the storm, and the fishing boats went back out before dawn to find the nets where they had left them.</p>")
	}
	for _, byline := range []string{"6 January 2025, 20:47 UTC", "Monday 6 January 2025 20:47 GMT", "Jan. 6, 2025 at 8:47 p.m.", "06/01/2025 20:47"} {
		page := `<!doctype html><html><head><title>Harbour reopens</title>
<meta property="article:published_time" content="2025-01-06T20:47:00Z"></head><body><article><h1>Harbour reopens</h1>
<p class="byline">` + byline + `</p>` + body.String() + `</article></body></html>`
		a, err := Extract([]byte(page), "text/html", "https://news.example/harbour")
		if err != nil {
			t.Fatal(err)
		}
		if a.Author != "" {
			t.Errorf("byline %q: author %q", byline, a.Author)
		}
		meta := a.metadataLine()
		if strings.Count(meta, "2025") != 1 {
			t.Errorf("byline %q: the date shows twice: %q", byline, meta)
		}
	}
	// A name stays a name, dates near it or not.
	if got := cleanAuthor("By Ada Lovelace, 6 January 2025"); got != "Ada Lovelace, 6 January 2025" {
		t.Errorf("cleanAuthor kept %q", got)
	}
	if got := cleanAuthor("May Wong"); got != "May Wong" {
		t.Errorf("cleanAuthor kept %q", got)
	}
}
