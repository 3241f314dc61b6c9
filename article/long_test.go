package article

import (
	"strings"
	"testing"
)

// A page far longer than anyone reads in a terminal is cut at a block,
// and the reader is told how much was left out and where to find it.
func TestVeryLongPageIsCut(t *testing.T) {
	page := newsPage(120_000)
	a, err := Extract(page, "text/html; charset=utf-8", benchURL)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Markdown) < maxBodyMarkdown || len(a.Markdown) > maxBodyMarkdown+8<<10 {
		t.Errorf("body of %d bytes; want it cut just past %d", len(a.Markdown), maxBodyMarkdown)
	}
	if !strings.Contains(a.Notice, "more words follow") || !strings.Contains(a.Notice, "browser") {
		t.Errorf("notice %q", a.Notice)
	}
	words := len(strings.Fields(a.Text))
	if words < 30_000 || words > 60_000 {
		t.Errorf("%d words kept", words)
	}
	if !strings.Contains(a.MarkdownDocument(), "> This page is very long") {
		t.Error("the notice is not in the document")
	}

	short, err := Extract(newsPage(10_000), "text/html; charset=utf-8", benchURL)
	if err != nil {
		t.Fatal(err)
	}
	if short.Notice != "" || len(strings.Fields(short.Text)) < 9_000 {
		t.Errorf("a 10,000-word page: notice %q, %d words", short.Notice, len(strings.Fields(short.Text)))
	}
}
