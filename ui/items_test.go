package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// bigStore is a real cache holding n articles in one feed, one a minute
// apart, titled "Article 1" (newest) to "Article n".
func bigStore(t testing.TB, n int) *cache.Store {
	t.Helper()
	store := openStore(t)
	ctx := context.Background()
	if err := store.SyncSubscriptions(ctx, []news.Subscription{{URL: "http://127.0.0.1/big.xml"}}); err != nil {
		t.Fatal(err)
	}
	feeds, err := store.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items := make([]news.Item, n)
	for i := range items {
		items[i] = news.Item{
			GUID:      fmt.Sprint(i + 1),
			URL:       fmt.Sprintf("http://127.0.0.1/a/%d", i+1),
			Title:     fmt.Sprintf("Article %d", i+1),
			Published: now0.Add(-time.Duration(i+1) * time.Minute),
		}
	}
	r := feed.Result{URL: feeds[0].URL, Status: feed.StatusOK, Feed: &feed.Document{Title: "Big", Items: items}}
	if _, err := store.SaveResult(ctx, feeds[0].ID, r); err != nil {
		t.Fatal(err)
	}
	return store
}

func bigHarness(t testing.TB, n, width, height int) *harness {
	t.Helper()
	deps := Deps{Store: bigStore(t, n), Reader: newFakeReader(), Renderer: &countingRenderer{}, Now: clock}
	h := newHarness(t, deps, testSettings(), width, height)
	h.press("enter") // All
	return h
}

func (h *harness) selectedTitle() string {
	a, ok := h.m.items.selected()
	if !ok {
		return "(not loaded)"
	}
	return a.Title
}

func TestArticleListLoadsInPages(t *testing.T) {
	h := bigHarness(t, 2500, 80, 24)
	if h.m.items.total() != 2500 || len(h.m.items.rows) != pageSize {
		t.Fatalf("total %d, loaded %d; want 2500 and one page", h.m.items.total(), len(h.m.items.rows))
	}
	h.requireView("All articles · 2500", "Article 1 ", "Article 22 ")
	h.press("G")
	if h.selectedTitle() != "Article 2500" || h.m.items.base != 2400 {
		t.Fatalf("G: %q, window at %d", h.selectedTitle(), h.m.items.base)
	}
	h.requireView("Article 2500 ", "Article 2479 ")
	h.press("g")
	if h.selectedTitle() != "Article 1" || h.m.items.base != 0 {
		t.Fatalf("g: %q, window at %d", h.selectedTitle(), h.m.items.base)
	}
	for range 80 { // 80 pages of 22 rows: past the window limit
		h.press("pgdown")
		if len(h.m.items.rows) > maxWindow {
			t.Fatalf("window grew to %d rows", len(h.m.items.rows))
		}
	}
	want := fmt.Sprintf("Article %d", h.m.items.cursor+1)
	if h.selectedTitle() != want {
		t.Fatalf("after paging the cursor shows %q, want %q", h.selectedTitle(), want)
	}
	for range 80 {
		h.press("pgup")
	}
	if h.selectedTitle() != "Article 1" {
		t.Fatalf("paging back up ended on %q", h.selectedTitle())
	}
}

func TestUnreadListPagesStayInPlaceAfterReading(t *testing.T) {
	h := newHarness(t, Deps{Store: bigStore(t, 500), Reader: newFakeReader(), Renderer: &countingRenderer{}, Now: clock}, testSettings(), 80, 24)
	h.press("j", "enter") // Unread
	for range 10 {
		h.press("m", "j") // read ten articles: they leave the cache's unread set
	}
	if h.m.items.total() != 500 {
		t.Fatalf("the list shrank to %d while reading it", h.m.items.total())
	}
	for h.m.items.cursor < 260 {
		h.press("pgdown")
	}
	for i := h.m.items.base; i < h.m.items.end(); i++ {
		a, _ := h.m.items.row(i)
		if want := fmt.Sprintf("Article %d", i+1); a.Title != want {
			t.Fatalf("row %d is %q, want %q: pages shifted", i, a.Title, want)
		}
	}
}

func TestLatePageForAnotherListIsDropped(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter")
	gen := h.m.items.gen
	h.press("esc", "j", "j", "enter") // Starred: empty
	h.send(pageLoadedMsg{list: gen, offset: 0, articles: []news.Article{{ID: 99, Title: "Stale"}}, total: 1})
	if strings.Contains(h.view(), "Stale") || !strings.Contains(h.view(), "No articles here.") {
		t.Fatalf("stale page shown:\n%s", h.view())
	}
}

func TestNextUnreadSeeksIntoUnloadedPages(t *testing.T) {
	store := bigStore(t, 700)
	ctx := context.Background()
	// Everything but article 650 is read.
	if _, err := store.MarkAllRead(ctx, news.Filter{}); err != nil {
		t.Fatal(err)
	}
	all, err := store.Articles(ctx, news.Filter{Offset: 649, Limit: 1})
	if err != nil || len(all) != 1 {
		t.Fatal(err)
	}
	if err := store.SetRead(ctx, []int64{all[0].ID}, false); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Deps{Store: store, Reader: newFakeReader(), Renderer: &countingRenderer{}, Now: clock}, testSettings(), 80, 24)
	h.press("enter", "n")
	if h.selectedTitle() != "Article 650" || h.m.screen != readerScreen {
		t.Fatalf("n found %q (screen %d)", h.selectedTitle(), h.m.screen)
	}
	h.press("n") // 650 is read now: round the whole list, page by page, for nothing
	if !strings.Contains(h.statusLine(), "No unread articles") || h.selectedTitle() != "Article 650" {
		t.Fatalf("n past the last unread: %q on %q", h.statusLine(), h.selectedTitle())
	}
	h.press("esc", "m", "g", "N") // unread again; from the top, N goes round from the bottom
	if h.selectedTitle() != "Article 650" || !strings.Contains(h.statusLine(), "Wrapped around to the bottom") {
		t.Fatalf("N found %q (%q)", h.selectedTitle(), h.statusLine())
	}
}

func TestMarkAllReadAsksFirst(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter", "A")
	if !strings.Contains(h.statusLine(), "Mark every article in All articles read? (y/n)") {
		t.Fatalf("status = %q", h.statusLine())
	}
	h.press("n")
	if h.m.feeds.totalUnread() != 18 || !strings.Contains(h.statusLine(), "Nothing changed") {
		t.Fatalf("n changed something: %d, %q", h.m.feeds.totalUnread(), h.statusLine())
	}
	h.press("A", "y")
	if h.m.feeds.totalUnread() != 0 || !strings.Contains(h.statusLine(), "Marked 18 articles read") {
		t.Fatalf("y: unread %d, %q", h.m.feeds.totalUnread(), h.statusLine())
	}
	if strings.Contains(h.view(), "●") {
		t.Fatalf("rows still unread:\n%s", h.view())
	}
}

func TestMarkFeedReadFromFeedsScreen(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("G", "A", "y") // Go Blog
	if h.m.feeds.totalUnread() != 14 {
		t.Fatalf("unread = %d, want 14", h.m.feeds.totalUnread())
	}
}

func TestSearchShowsResultsAsList(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("/")
	h.typeText("tech")
	if !strings.Contains(h.statusLine(), "Search: tech") {
		t.Fatalf("prompt = %q", h.statusLine())
	}
	h.press("enter")
	if h.m.screen != articlesScreen {
		t.Fatalf("screen = %d", h.m.screen)
	}
	h.requireView("Search: tech · 6 found", "Tech Daily story")
	h.press("A", "y")
	if h.m.feeds.totalUnread() != 12 {
		t.Fatalf("marking the results read left %d unread", h.m.feeds.totalUnread())
	}
	h.press("/", "esc")
	if h.m.search.active || h.m.screen != articlesScreen {
		t.Fatal("esc did not cancel the search prompt")
	}
	h.press("/")
	h.typeText("zzzqqq")
	h.press("enter")
	h.requireView("Search: zzzqqq · 0 found", "No articles here.")
}

// n and N go round past the end of a list and say so; in a list they
// open the unread article they find, as in the reader (#10, item 23).
func TestNextUnreadWrapsAroundAndOpens(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter", "j", "n") // All; the second story is unread
	if h.m.screen != readerScreen || !strings.Contains(h.view(), "World News story 2 about the river flood") {
		t.Fatalf("n in the list did not open the unread story under the cursor:\n%s", h.view())
	}
	h.press("esc", "G", "m") // the last story, read now
	h.press("n")
	if h.m.screen != readerScreen || !strings.Contains(h.view(), "World News story 1 about the river flood") {
		t.Fatalf("n at the end did not go round to the first unread:\n%s", h.view())
	}
	if !strings.Contains(h.statusLine(), "Wrapped around to the top") {
		t.Fatalf("going round was not said: %q", h.statusLine())
	}
	h.press("N") // story 1 is read now: back round to the bottom for the last unread
	if !strings.Contains(h.view(), "Go Blog story 3 about the river flood") || !strings.Contains(h.statusLine(), "Wrapped around to the bottom") {
		t.Fatalf("N from the top:\n%s", h.view())
	}
}

// On the feeds screen n goes round too.
func TestNextUnreadFeedWrapsAround(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("G", "n")
	if row, _ := h.m.feeds.selected(); row.title != "World News" || !strings.Contains(h.statusLine(), "Wrapped around to the top") {
		t.Fatalf("n on the last feed went to %q (%q)", row.title, h.statusLine())
	}
}

// A read or star change the cache refuses is taken back on screen, and
// the error says why (#10: a failed flag save never rolled back).
func TestFailedFlagSaveRollsBack(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter")
	if err := f.store.Close(); err != nil { // every write fails from now on
		t.Fatal(err)
	}
	h.press("s")
	if a, _ := h.m.items.selected(); a.Starred || strings.Contains(h.view(), "★") {
		t.Fatalf("the star the cache refused is still shown:\n%s", h.view())
	}
	if !strings.Contains(h.statusLine(), "was not changed: set starred") || !strings.Contains(h.statusLine(), "closed") {
		t.Fatalf("status = %q, want the cache's error", h.statusLine())
	}
	h.press("m")
	if a, _ := h.m.items.selected(); a.Read {
		t.Fatal("the read mark the cache refused is still shown")
	}
}

// A search that finds more than the list shows says how many it found in
// all, not the length of the list (#10, item 11).
func TestSearchSaysHowManyOfHowMany(t *testing.T) {
	h := bigHarness(t, 2500, 80, 24)
	h.press("/")
	h.typeText("article")
	h.press("enter")
	h.requireView("Search: article · 200 of 2,500 found", "Article 1 ")
	if h.m.items.total() != searchLimit {
		t.Fatalf("listed %d, want the first %d", h.m.items.total(), searchLimit)
	}
}
