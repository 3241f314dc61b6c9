package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/news"
)

const longLink = "https://www.example-news-site.com/2025/06/02/politics/article/18/20-things-the-council-agreed-on-sunday.html"

// longLinks opens the first story as a page whose links have long URLs,
// with two "From your feeds" articles.
func longLinks(t *testing.T, width, height int) (*fixture, *harness) {
	t.Helper()
	f := newFixture(t)
	all, err := f.store.Articles(t.Context(), news.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	f.reader.similar[all[0].ID] = []news.Article{all[9], all[15]}
	doc := fakeDoc(all[0].URL, all[0].Title)
	doc.Links[0].URL = longLink
	doc.Links[1].Text = "A statement from the mayor's office about what the council agreed to do next"
	doc.Links[1].URL = "https://www.example-news-site.com/2025/06/02/mayor.html"
	doc.Notice = "The page could not be read; showing the feed's text."
	f.reader.docs = map[string]*article.Article{all[0].URL: doc}
	h := newHarness(t, f.deps(), testSettings(), width, height)
	h.press("enter", "enter")
	return f, h
}

func requireFits(t *testing.T, v string, width int) {
	t.Helper()
	for i, line := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(line); w > width {
			t.Fatalf("line %d is %d cells wide, more than %d: %q", i, w, width, line)
		}
	}
}

// The link list cuts a long URL in its middle, never its end, and its
// footer fits the pane, beside the list at 120 columns too (#10, item 24).
func TestLinkListCutsURLsInTheMiddle(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {140, 40}} {
		_, h := longLinks(t, size[0], size[1])
		h.press("L")
		v := h.view()
		requireFits(t, v, size[0])
		row := ""
		for _, line := range strings.Split(v, "\n") {
			if strings.Contains(line, "[1]") {
				row = line
			}
		}
		if !strings.Contains(row, "sunday.html") || !strings.Contains(row, "https://www.example") || !strings.Contains(row, "…") {
			t.Fatalf("%dx%d: the URL is not cut in its middle: %q\n%s", size[0], size[1], row, v)
		}
		for _, want := range []string{"follow link", "open in browser", "copy URL", "filter", "back"} {
			if !strings.Contains(v, want) {
				t.Fatalf("%dx%d: the footer lost %q:\n%s", size[0], size[1], want, v)
			}
		}
	}
}

// Help shows every key of every action and the mouse, and at 80×24 it
// scrolls to what does not fit (#10, item 24).
func TestHelpShowsEveryKeyAndScrolls(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("?")
	seen := ""
	for range 30 {
		v := h.view()
		requireFits(t, v, 80)
		if n := len(strings.Split(v, "\n")); n != 24 {
			t.Fatalf("help has %d lines at 80×24", n)
		}
		seen += v
		h.press("j")
	}
	for _, want := range []string{"enter/l/→", "esc/h/←/backspace", "pgdown/space", "wheel", "double click",
		"Press ? or esc to close."} {
		if !strings.Contains(seen, want) {
			t.Fatalf("help never shows %q:\n%s", want, seen)
		}
	}
	h.press("?")
	if h.m.help.active {
		t.Fatal("? did not close help")
	}
}

// The reader's link sections look alike: a blank line before each, the
// same heading, URLs on one line cut in their middle rather than wrapped
// at a dot; the notice is said once (#10, item 25).
func TestLinkSectionsAreConsistent(t *testing.T) {
	_, h := longLinks(t, 80, 24)
	h.press("G")
	v := h.view()
	requireFits(t, v, 80)
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		for _, heading := range []string{"Links", "From your feeds"} {
			if strings.TrimSpace(l) == "## "+heading && (i == 0 || strings.TrimSpace(lines[i-1]) != "") {
				t.Fatalf("no blank line before %q:\n%s", heading, v)
			}
		}
		if strings.TrimSpace(l) == "From your feeds" {
			t.Fatalf("From your feeds is not a heading like Links:\n%s", v)
		}
		if strings.HasSuffix(strings.TrimSpace(l), "example-news-site.") {
			t.Fatalf("a URL wraps at a dot:\n%s", v)
		}
	}
	for _, want := range []string{"## Links", "## From your feeds", "sunday.html", "[4] Tech Daily story 2"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the link sections lack %q:\n%s", want, v)
		}
	}
	h.press("g")
	if n := strings.Count(h.view(), "could not be read"); n != 1 {
		t.Fatalf("the notice is shown %d times:\n%s", n, h.view())
	}
}

// A "From your feeds" article that is one of the page's own links is
// listed once, as the link, and the status line's URL leaves a space
// before the counts.
func TestSimilarArticleThatIsALinkIsListedOnce(t *testing.T) {
	f := newFixture(t)
	all, err := f.store.Articles(t.Context(), news.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	f.reader.similar[all[0].ID] = []news.Article{all[9], all[15]}
	doc := fakeDoc(all[0].URL, all[0].Title)
	doc.Links[1].URL = all[9].URL // the mayor link is the Tech Daily story
	doc.Links[0].URL = longLink
	f.reader.docs = map[string]*article.Article{all[0].URL: doc}
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter", "enter", "L")
	if v := h.view(); strings.Count(v, all[9].URL) != 1 || !strings.Contains(v, "Links · 4 of 4") {
		t.Fatalf("the page is listed twice:\n%s", v)
	}
	h.press("esc", "tab")
	if st := h.statusLine(); !strings.Contains(st, ".html 17 unread") {
		t.Fatalf("status = %q", st)
	}
}
