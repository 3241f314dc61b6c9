package ui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/reader"
)

// openFirstArticle opens All and its newest article.
func openFirstArticle(t *testing.T, width, height int) (*fixture, *harness) {
	t.Helper()
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), width, height)
	h.press("enter", "enter")
	if _, ok := h.m.reader.current(); !ok {
		t.Fatalf("no article open:\n%s", h.view())
	}
	return f, h
}

func (h *harness) offset() int {
	p, _ := h.m.reader.current()
	return p.offset
}

func TestReaderShowsHeaderBodyAndMarksRead(t *testing.T) {
	f, h := openFirstArticle(t, 80, 24)
	h.requireView("From World News · 5h ago", "World News story 1 about the river flood",
		"Example Site · Ada Lovelace · 2025-06-02 · http://127.0.0.1/world/0", "Paragraph 1 of", "Reading · World News story 1")
	if got := h.statusLine(); !strings.Contains(got, "17 unread") || !strings.Contains(got, "0%") {
		t.Fatalf("status = %q", got)
	}
	n, err := f.store.Count(t.Context(), news.Filter{Unread: true})
	if err != nil || n != 17 {
		t.Fatalf("unread in the cache = %d, %v; want 17", n, err)
	}
	if a, _ := h.m.items.selected(); !a.Read {
		t.Fatal("the list still shows the article unread")
	}
}

func TestReaderDoesNotMarkReadWhenTurnedOff(t *testing.T) {
	f := newFixture(t)
	s := testSettings()
	s.MarkReadOnOpen = false
	h := newHarness(t, f.deps(), s, 80, 24)
	h.press("enter", "enter")
	if h.m.feeds.totalUnread() != 18 {
		t.Fatalf("unread = %d, want 18", h.m.feeds.totalUnread())
	}
}

func TestReaderScrolling(t *testing.T) {
	_, h := openFirstArticle(t, 80, 24)
	body := h.m.reader.height
	h.press("j", "j", "down")
	if h.offset() != 3 {
		t.Fatalf("offset = %d after three lines down", h.offset())
	}
	h.press("k", "up")
	if h.offset() != 1 {
		t.Fatalf("offset = %d, want 1", h.offset())
	}
	h.press("space")
	if h.offset() != 1+body {
		t.Fatalf("space: offset = %d, want %d", h.offset(), 1+body)
	}
	h.press("pgup", "ctrl+d")
	if h.offset() != 1+body/2 {
		t.Fatalf("ctrl+d: offset = %d, want %d", h.offset(), 1+body/2)
	}
	h.press("ctrl+u", "pgdown")
	if h.offset() != 1+body {
		t.Fatalf("pgdown: offset = %d", h.offset())
	}
	h.press("G")
	if h.offset() != h.m.reader.maxOffset() || !strings.Contains(h.statusLine(), "100%") {
		t.Fatalf("G: offset %d of %d, status %q", h.offset(), h.m.reader.maxOffset(), h.statusLine())
	}
	h.requireView("Links", "[3] Photos", "(not openable)")
	h.press("g")
	if h.offset() != 0 {
		t.Fatalf("g: offset = %d", h.offset())
	}
}

func TestTabHighlightsLinksAndScrollsThemIntoView(t *testing.T) {
	_, h := openFirstArticle(t, 80, 24)
	h.press("tab")
	if n, ok := h.m.reader.highlighted(); !ok || n != 1 {
		t.Fatalf("first tab highlighted %d, %v", n, ok)
	}
	h.press("tab")
	n, _ := h.m.reader.highlighted()
	m := h.m.reader.markers[h.m.reader.pages[0].highlight]
	if n != 2 || m.line < h.offset() || m.line >= h.offset()+h.m.reader.height {
		t.Fatalf("link %d at line %d is not in view (offset %d)", n, m.line, h.offset())
	}
	// The highlight is drawn: the marker is styled differently from the rest of its line.
	raw := h.m.View().Content
	if !strings.Contains(ansi.Strip(raw), "The mayor [2]") {
		t.Fatalf("marker line not shown:\n%s", ansi.Strip(raw))
	}
	h.press("shift+tab")
	if n, _ := h.m.reader.highlighted(); n != 1 {
		t.Fatalf("shift+tab went to %d, want 1", n)
	}
	h.press("shift+tab") // wraps around to the last marker
	if n, _ := h.m.reader.highlighted(); n != 3 {
		t.Fatalf("shift+tab from the first went to %d, want the last", n)
	}
}

func TestFollowHighlightedLinkAndBackRestoresScroll(t *testing.T) {
	f, h := openFirstArticle(t, 80, 24)
	h.press("tab", "tab") // link 2, far enough down to scroll
	before := h.offset()
	if before == 0 {
		t.Fatal("the second link should have scrolled the page")
	}
	h.press("enter")
	if got := f.reader.followed; len(got) != 1 || got[0] != "http://127.0.0.1/world/0/mayor" {
		t.Fatalf("followed %v", got)
	}
	h.requireView("Page at http://127.0.0.1/world/0/mayor", "Reading 2/2")
	if h.offset() != 0 {
		t.Fatalf("the followed page opened at line %d", h.offset())
	}
	h.press("j")
	h.press("esc")
	if h.offset() != before || !strings.Contains(h.view(), "World News story 1") {
		t.Fatalf("back: offset %d, want %d\n%s", h.offset(), before, h.view())
	}
	if n, _ := h.m.reader.highlighted(); n != 2 {
		t.Fatalf("back lost the highlight: %d", n)
	}
	h.press("]")
	if !strings.Contains(h.view(), "Page at http://127.0.0.1/world/0/mayor") || h.offset() != 1 {
		t.Fatalf("] did not go forward to where it was (offset %d):\n%s", h.offset(), h.view())
	}
	h.press("backspace", "backspace")
	if h.m.screen != articlesScreen {
		t.Fatalf("back from the first page should leave the reader, screen = %d", h.m.screen)
	}
}

func TestTypedNumberFollowsLink(t *testing.T) {
	f, h := openFirstArticle(t, 80, 24)
	h.press("1")
	if !strings.Contains(h.statusLine(), "Follow link 1") {
		t.Fatalf("status = %q", h.statusLine())
	}
	h.press("esc") // clears the number, stays on the page
	if h.m.reader.number != "" || h.m.screen != readerScreen {
		t.Fatal("esc should clear the typed number first")
	}
	h.press("1", "enter")
	if len(f.reader.followed) != 1 || !strings.HasSuffix(f.reader.followed[0], "/council") {
		t.Fatalf("followed %v", f.reader.followed)
	}
	h.press("esc", "9", "enter")
	if !strings.Contains(h.statusLine(), "there is no link 9") {
		t.Fatalf("status = %q", h.statusLine())
	}
	h.press("3", "enter")
	if !strings.Contains(h.statusLine(), "cannot be opened here") || len(f.reader.followed) != 1 {
		t.Fatalf("a mailto link was followed: %q %v", h.statusLine(), f.reader.followed)
	}
	h.press("enter")
	if !strings.Contains(h.statusLine(), "Press tab") {
		t.Fatalf("enter with nothing chosen: %q", h.statusLine())
	}
}

func TestFromYourFeedsAreNumberedAfterLinks(t *testing.T) {
	f := newFixture(t)
	all, err := f.store.Articles(t.Context(), news.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	f.reader.similar[all[0].ID] = []news.Article{all[9], all[15]}
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter", "enter", "G")
	h.requireView("From your feeds", "[4] Tech Daily story 2 about the river flood — Tech Daily · 2d",
		"[5] Go Blog story 2 about the river flood — Go Blog · 3d")
	h.press("5", "enter")
	h.requireView("Go Blog story 2 about the river flood", "Reading 2/2")
	if len(f.reader.opened) != 2 || f.reader.opened[1] != all[15].URL {
		t.Fatalf("opened %v", f.reader.opened)
	}
}

func TestLinkListFiltersFollowsAndOpens(t *testing.T) {
	f, h := openFirstArticle(t, 80, 24)
	h.press("L")
	h.requireView("Links · 3 of 3", "[1] the council", "[2] The mayor", "[3] Photos")
	h.press("/")
	h.typeText("may")
	h.requireView("Links · 1 of 3", "/may")
	if strings.Contains(h.view(), "the council") {
		t.Fatalf("filter kept a non-matching link:\n%s", h.view())
	}
	h.press("esc") // clears the filter
	h.requireView("Links · 3 of 3")
	h.press("j", "y")
	if h.clipboard != "http://127.0.0.1/world/0/mayor" {
		t.Fatalf("y copied %q", h.clipboard)
	}
	h.press("o")
	if !strings.Contains(h.statusLine(), "Opened http://127.0.0.1/world/0/mayor") {
		t.Fatalf("o: %q", h.statusLine())
	}
	h.press("enter")
	if h.m.links.active || len(f.reader.followed) != 1 {
		t.Fatalf("enter in the link list: active=%v followed=%v", h.m.links.active, f.reader.followed)
	}
	h.press("L", "esc")
	if h.m.links.active || h.m.screen != readerScreen {
		t.Fatal("esc should close the link list only")
	}
}

func TestOpenAndCopyInReader(t *testing.T) {
	_, h := openFirstArticle(t, 80, 24)
	h.press("y")
	if h.clipboard != "http://127.0.0.1/world/0" {
		t.Fatalf("y copied %q", h.clipboard)
	}
	h.press("tab", "y")
	if h.clipboard != "http://127.0.0.1/world/0/council" {
		t.Fatalf("y with a highlight copied %q", h.clipboard)
	}
	h.press("tab", "tab", "o") // link 3 is a mailto: address
	if !strings.Contains(h.statusLine(), "only http and https") {
		t.Fatalf("o on mailto: %q", h.statusLine())
	}
}

func TestOfflineFollowShowsMarker(t *testing.T) {
	f, h := openFirstArticle(t, 80, 24)
	f.reader.offline = true
	h.press("1", "enter")
	if !strings.Contains(h.statusLine(), "offline") || !strings.Contains(h.statusLine(), "dial tcp") {
		t.Fatalf("status = %q", h.statusLine())
	}
	h.requireView("World News story 1") // the page stays
}

func TestNextUnreadFromReaderOpensIt(t *testing.T) {
	f, h := openFirstArticle(t, 80, 24)
	h.press("n")
	h.requireView("World News story 2 about the river flood")
	h.press("N") // story 1 is read now: round to the bottom
	if !strings.Contains(h.statusLine(), "Wrapped around to the bottom") || !strings.Contains(h.view(), "Go Blog story 4") {
		t.Fatalf("status = %q\n%s", h.statusLine(), h.view())
	}
	if len(f.reader.opened) != 3 {
		t.Fatalf("opened %v", f.reader.opened)
	}
}

func TestStaleOpenIsDropped(t *testing.T) {
	_, h := openFirstArticle(t, 80, 24)
	// An answer for an older request arrives late.
	late := articleOpenedMsg{req: h.m.reader.req - 1, open: openRequest{url: "http://127.0.0.1/late"}, doc: fakeDoc("http://127.0.0.1/late", "Late")}
	h.send(late)
	if strings.Contains(h.view(), "Late") {
		t.Fatal("a stale answer replaced the page")
	}
	stale := renderedMsg{key: renderKey{doc: "article:1", width: 7, style: "dark"}, body: prepareBody(article.Rendering{Text: "STALE"}, nil, 7, 0)}
	h.send(stale)
	if strings.Contains(h.view(), "STALE") {
		t.Fatal("a rendering for another width was shown")
	}
}

func TestResizeRerendersOnceSettled(t *testing.T) {
	f, h := openFirstArticle(t, 80, 24)
	calls := f.renderer.count()
	next, cmd := h.m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.m = next.(Model)
	next, cmd2 := h.m.Update(tea.WindowSizeMsg{Width: 90, Height: 30})
	h.m = next.(Model)
	if f.renderer.count() != calls {
		t.Fatal("rendered during the resize")
	}
	h.run(cmd) // the first debounce timer: stale, does nothing
	if f.renderer.count() != calls {
		t.Fatal("a superseded resize rendered")
	}
	h.run(cmd2)
	if f.renderer.count() != calls+1 || h.m.reader.bodyFor.width != 90 {
		t.Fatalf("renders %d→%d, width %d", calls, f.renderer.count(), h.m.reader.bodyFor.width)
	}
	// Back to 80: the earlier rendering is reused.
	next, cmd = h.m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.m = next.(Model)
	h.run(cmd)
	if f.renderer.count() != calls+1 || h.m.reader.bodyFor.width != 80 {
		t.Fatalf("resizing back rendered again: %d", f.renderer.count())
	}
	// Until the re-render, a narrower screen shows the old rendering cut.
	next, _ = h.m.Update(tea.WindowSizeMsg{Width: 60, Height: 30})
	h.m = next.(Model)
	for i, line := range strings.Split(h.view(), "\n") {
		if w := ansi.StringWidth(line); w > 60 {
			t.Fatalf("line %d is %d cells wide on a 60-cell screen", i, w)
		}
	}
}

func TestToggleBetweenFeedTextAndFullText(t *testing.T) {
	f, h := openFirstArticle(t, 80, 24)
	h.press("t")
	h.requireView("Feed text of World News story 1.", "Feed text · World News story 1")
	if strings.Contains(h.view(), "Paragraph 1 of") {
		t.Fatalf("still the page text:\n%s", h.view())
	}
	if len(h.m.reader.pages) != 1 {
		t.Fatalf("t added to the history: %d pages", len(h.m.reader.pages))
	}
	h.press("t")
	h.requireView("Paragraph 1 of")
	if got := f.reader.opened; len(got) != 2 || got[1] != "http://127.0.0.1/world/0" {
		t.Fatalf("full text came from %v", got)
	}
	// A followed page has no feed text.
	h.press("tab", "enter", "t")
	if !strings.Contains(h.statusLine(), "Only articles from your feeds") {
		t.Fatalf("status = %q", h.statusLine())
	}
}

func TestLeavingWhileOpeningDropsTheArticle(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter")
	next, open := h.m.Update(keyPress("enter"))
	h.m = next.(Model)
	if !strings.Contains(h.view(), "Opening World News story 1") {
		t.Fatalf("no loading state:\n%s", h.view())
	}
	h.press("esc")
	h.run(open) // the answer arrives after the user left
	if _, ok := h.m.reader.current(); ok || h.m.feeds.totalUnread() != 18 {
		t.Fatalf("a dropped open was shown or marked read (unread %d)", h.m.feeds.totalUnread())
	}
}

// The feed text t switches to is the reader's: an item whose content is
// only white space shows its summary, as `byline read ID` does.
func TestFeedTextIsTheReadersFeedText(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>The page</title></head><body><article><h1>The page</h1>
<p>This is the whole story as the web page tells it, with many more words than the feed's teaser could ever hold.</p>
<p>It goes on for a while so that the extractor is sure it is an article and not a navigation page or a stub.</p></article></body></html>`)
	}))
	t.Cleanup(srv.Close)
	store := openStore(t)
	ctx := t.Context()
	if err := store.SyncSubscriptions(ctx, []news.Subscription{{URL: srv.URL + "/feed"}}); err != nil {
		t.Fatal(err)
	}
	feeds, _ := store.Feeds(ctx)
	item := news.Item{GUID: "1", URL: srv.URL + "/page", Title: "Teaser", Content: " \n\t ",
		Summary: "<p>Only the summary says this.</p>", Published: now0.Add(-time.Hour)}
	r := feed.Result{URL: feeds[0].URL, Status: feed.StatusOK, Feed: &feed.Document{Title: "F", Items: []news.Item{item}}}
	if _, err := store.SaveResult(ctx, feeds[0].ID, r); err != nil {
		t.Fatal(err)
	}
	fetcher := feed.NewFetcher(feed.Options{Timeout: 5 * time.Second})
	always := func(news.Article) config.FullText { return config.FullTextAlways }
	deps := Deps{Store: store, Reader: reader.New(store, fetcher, always), Renderer: &countingRenderer{},
		Now: clock, Getenv: func(string) string { return "" }}
	h := newHarness(t, deps, testSettings(), 80, 24)
	h.press("enter", "enter")
	h.requireView("the whole story as the web page tells it")
	h.press("t")
	h.requireView("Feed text · Teaser", "Only the summary says this.")
}

// The pane beside the list shows the list's selected article, or
// nothing: never a story of a list left behind (#10, item 21).
func TestReaderPaneShowsTheSelectedArticleOrNothing(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 140, 40)
	h.press("j", "j", "j", "j", "j", "enter") // World News
	h.press("enter")                          // its newest story
	h.requireView("│   World News story 1 about the river flood")
	h.press("esc", "esc", "j", "enter") // back to the feeds, Tech Daily
	if v := h.view(); strings.Contains(v, "World News story 1") {
		t.Fatalf("the reader still shows World News beside Tech Daily:\n%s", v)
	}
	h.requireView("│Choose an article and press enter.")
	h.press("enter")
	h.requireView("│   Tech Daily story 1 about the river flood")
	h.press("esc", "j") // the cursor leaves the story shown
	if v := h.view(); strings.Contains(v, "│   Tech Daily story 1") {
		t.Fatalf("the reader shows story 1 beside story 2 selected:\n%s", v)
	}
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown, X: 2, Y: 5}) // the wheel over the list too
	h.press("k", "enter", "esc")
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown, X: 2, Y: 5})
	if v := h.view(); strings.Contains(v, "│   Tech Daily story 1") {
		t.Fatalf("the wheel moved the list but the reader stayed:\n%s", v)
	}
}

// The highlighted link's URL is in the status line, and a highlight
// scrolled off screen is dropped, so enter, o and y never act on a link
// the reader cannot see (#10, item 22).
func TestHighlightedLinkIsShownAndDroppedOffScreen(t *testing.T) {
	f, h := openFirstArticle(t, 80, 24)
	h.press("tab")
	if got := h.statusLine(); !strings.Contains(got, "[1] http://127.0.0.1/world/0/council") {
		t.Fatalf("the status line does not name the highlighted link: %q", got)
	}
	h.press("G") // link 1 scrolls off the top
	if n, ok := h.m.reader.highlighted(); ok {
		t.Fatalf("link %d is still highlighted off screen", n)
	}
	h.press("y")
	if h.clipboard != "http://127.0.0.1/world/0" {
		t.Fatalf("y copied %q, want the page", h.clipboard)
	}
	h.press("enter")
	if len(f.reader.followed) != 0 || !strings.Contains(h.statusLine(), "Press tab") {
		t.Fatalf("enter followed %v (%q)", f.reader.followed, h.statusLine())
	}
	// The wheel scrolls it away too.
	h.press("g", "tab")
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if _, ok := h.m.reader.highlighted(); ok && h.offset() > h.m.reader.markers[0].line {
		t.Fatal("the wheel left an off-screen link highlighted")
	}
}

// A long highlighted URL in the status line is cut in its middle.
func TestHighlightedLongURLKeepsItsEnd(t *testing.T) {
	_, h := longLinks(t, 80, 24)
	h.press("tab")
	if got := h.statusLine(); !strings.Contains(got, "[1] https://www.example") || !strings.Contains(got, "sunday.html") {
		t.Fatalf("status = %q", got)
	}
}
