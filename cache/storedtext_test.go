package cache

import (
	"strings"
	"testing"

	"github.com/bylinehq/byline/news"
)

// Long text is stored compressed and reads back exactly; a search still
// finds words in it; a row written as plain TEXT (by a byline from before
// compression) reads as it was; a damaged value is an error, not garbage.
func TestStoredTextRoundTrip(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	long := item("long", 1)
	long.Summary = "<p>" + strings.Repeat("A summary that runs on. ", 40) + "</p>"
	long.Content = "<p>" + strings.Repeat("Tidal pools hold anemones and ", 200) + "a <b>quillwort</b>.</p>"
	short := item("short", 2)
	mustSave(t, s, id, okResult(long, short))
	mustIndex(t, s)

	var summaryType, contentType string
	a := articleByGUID(t, s, "long")
	if err := s.db.QueryRowContext(ctx, "SELECT typeof(summary), typeof(content) FROM article_text WHERE id = ?", a.ID).Scan(&summaryType, &contentType); err != nil {
		t.Fatal(err)
	}
	if summaryType != "blob" || contentType != "blob" {
		t.Errorf("long text stored as %s, %s; want compressed blobs", summaryType, contentType)
	}
	// The summary is packed with the content: its own column is empty.
	var summaryBytes int
	if err := s.db.QueryRowContext(ctx, "SELECT length(summary) FROM article_text WHERE id = ?", a.ID).Scan(&summaryBytes); err != nil || summaryBytes != 0 {
		t.Errorf("summary column holds %d bytes, %v; want the pair in the content column", summaryBytes, err)
	}
	for _, a := range []news.Article{articleByGUID(t, s, "long"), mustArticles(t, s, news.Filter{})[1]} {
		if a.Summary != long.Summary || a.Content != long.Content {
			t.Errorf("article %d: the pair read back as %.40q, %.40q", a.ID, a.Summary, a.Content)
		}
	}
	if a.Summary != long.Summary || a.Content != long.Content {
		t.Errorf("long text changed on the way through the cache")
	}
	if b := articleByGUID(t, s, "short"); b.Summary != short.Summary || b.Content != short.Content {
		t.Errorf("short text: %q, %q", b.Summary, b.Content)
	}
	if hits := mustSearch(t, s, "quillwort"); len(hits) != 1 || hits[0].Article.GUID != "long" {
		t.Errorf("search in compressed content: %v", hitGUIDs(hits))
	}
	// Unchanged on the next refresh: compared after unpacking, not rewritten.
	if n := mustSave(t, s, id, okResult(long, short)); n != 0 {
		t.Errorf("unchanged items added %d", n)
	}

	if _, err := s.db.ExecContext(ctx, "UPDATE article_text SET content = ? WHERE id = ?", "<p>plain as before</p>", a.ID); err != nil {
		t.Fatal(err)
	}
	if got := articleByGUID(t, s, "long").Content; got != "<p>plain as before</p>" {
		t.Errorf("TEXT row read as %q", got)
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE article_text SET content = x'28b52ffd0000dead' WHERE id = ?", a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Articles(ctx, news.Filter{}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged stored text: %v", err)
	}
	// A pair whose summary length runs past its end is damage too.
	cut := textEncoder().EncodeAll([]byte(pairMagic+"\x7fabc"), nil)
	if _, err := s.db.ExecContext(ctx, "UPDATE article_text SET summary = x'', content = ? WHERE id = ?", cut, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Articles(ctx, news.Filter{}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged pair: %v", err)
	}
}

func TestTextBytesCountsUncompressedText(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	it := item("g", 1)
	it.Content = strings.Repeat("long content ", 100) // stored compressed
	mustSave(t, s, id, okResult(it))
	want := int64(len(it.Title) + len(it.Author) + len(it.URL) + len(it.GUID) + len(it.Summary) + len(it.Content))
	if got, err := s.TextBytes(ctx); err != nil || got != want {
		t.Errorf("TextBytes = %d, %v; want %d", got, err, want)
	}
}
