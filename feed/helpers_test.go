package feed

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// rssFeed is an RSS 2.0 document of n items shaped like a real blog's feed:
// guid, link, date, author, a summary and a few KB of HTML content.
func rssFeed(title string, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>%s</title><link>https://example.com/</link><description>A test feed</description>
`, title)
	for i := range n {
		date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Hour)
		fmt.Fprintf(&b, `<item><title>Post number %d: on &amp; about things</title>
<link>https://example.com/posts/%d</link><guid isPermaLink="false">post-%d</guid>
<pubDate>%s</pubDate><dc:creator>Writer %d</dc:creator>
<description>A short summary of post %d, with &lt;b&gt;markup&lt;/b&gt;.</description>
<content:encoded><![CDATA[%s]]></content:encoded></item>
`, i, i, i, date.Format(time.RFC1123Z), i%3, i, articleHTML(i))
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// atomFeed is rssFeed's Atom 1.0 counterpart.
func atomFeed(title string, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title><link href="https://example.com/"/>
<id>urn:test:feed</id><updated>2026-01-01T00:00:00Z</updated>
`, title)
	for i := range n {
		date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Hour)
		fmt.Fprintf(&b, `<entry><title>Entry %d</title><link rel="alternate" href="https://example.com/entries/%d"/>
<id>urn:test:entry:%d</id><published>%s</published><updated>%s</updated><author><name>Writer %d</name></author>
<summary>Summary of entry %d.</summary><content type="html"><![CDATA[%s]]></content></entry>
`, i, i, i, date.Format(time.RFC3339), date.Format(time.RFC3339), i%3, i, articleHTML(i))
	}
	b.WriteString("</feed>\n")
	return []byte(b.String())
}

func articleHTML(i int) string {
	var b strings.Builder
	for p := range 8 {
		fmt.Fprintf(&b, "<p>Paragraph %d of article %d. It has <a href=\"/link/%d\">a link</a>, some <em>emphasis</em>, and enough words to look like prose about feeds, terminals and reading.</p>\n", p, i, p)
	}
	return b.String()
}

// serveBytes answers every request with body and contentType.
func serveBytes(t *testing.T, contentType string, body []byte) *httptest.Server {
	t.Helper()
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	})
}

// serve starts a loopback server that is closed when the test ends.
func serve(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// mustContain fails the test unless err's message contains every part.
func mustContain(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error %q does not contain %q", err, p)
		}
	}
}
