package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/news"
)

// addAccount stores what a sync of the account home brings: two feeds of
// its server, the first in the server's category "golang", with 3 and 2
// unread entries; the second's first entry was read on the server.
func addAccount(t testing.TB, store *cache.Store) {
	t.Helper()
	ctx := context.Background()
	ids, err := store.SaveRemoteFeeds(ctx, "home", []news.RemoteFeed{
		{ID: "11", URL: "http://127.0.0.1/planet.xml", Title: "Planet Go", Tags: []string{"golang"}},
		{ID: "12", URL: "http://127.0.0.1/lobsters.xml", Title: "Lobsters"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var items []news.RemoteItem
	for i, feedID := range []string{"11", "11", "11", "12", "12", "12"} {
		items = append(items, news.RemoteItem{
			Item: news.Item{
				GUID: fmt.Sprint(100 + i), URL: fmt.Sprintf("http://127.0.0.1/synced/%d", i),
				Title: fmt.Sprintf("Synced story %d", i+1), Content: "<p>Synced text.</p>",
				Published: now0.Add(-time.Duration(i+1) * time.Minute),
			},
			FeedID: feedID,
			Read:   i == 3,
		})
	}
	if _, err := store.SaveRemoteItems(ctx, "home", ids, cache.PrepareRemote(items), nil); err != nil {
		t.Fatal(err)
	}
}

// rowLine is the feeds screen's line of the row titled title (after its
// marker and before its count), trimmed on the right.
func (h *harness) rowLine(title string) string {
	h.t.Helper()
	for _, l := range h.lines() {
		if strings.Trim(strings.TrimRight(strings.TrimSpace(l), "0123456789"), " !") == title {
			return strings.TrimRight(l, " ")
		}
	}
	h.t.Fatalf("no row %q:\n%s", title, h.view())
	return ""
}

// selectRow moves the cursor to the row titled title.
func (h *harness) selectRow(title string) {
	h.t.Helper()
	i := slices.IndexFunc(h.m.feeds.rows, func(r feedRow) bool { return r.title == title })
	if i < 0 {
		h.t.Fatalf("no row %q:\n%s", title, h.view())
	}
	h.press("g")
	for range i {
		h.press("j")
	}
}

// A sync account is a group of the feeds screen: a row named after it,
// counting its unread articles, with its feeds under it, after the urls
// file's; its server's categories are tags like any other.
func TestAccountIsAFeedGroup(t *testing.T) {
	f := newFixture(t)
	addAccount(t, f.store)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)

	var titles []string
	for _, r := range h.m.feeds.rows {
		titles = append(titles, r.title)
	}
	want := []string{"All", "Unread", "Starred", "#golang", "#news", "#tech", "World News", "Tech Daily", "Go Blog", "home", "Planet Go", "Lobsters"}
	if !slices.Equal(titles, want) {
		t.Fatalf("rows = %q, want %q", titles, want)
	}
	// Its feeds are indented under it; the urls file's are not.
	if l := h.rowLine("home"); !strings.HasPrefix(l, "  home ") || !strings.HasSuffix(l, " 5") {
		t.Fatalf("the account's row = %q", l)
	}
	if l := h.rowLine("Planet Go"); !strings.HasPrefix(l, "    Planet Go ") || !strings.HasSuffix(l, " 3") {
		t.Fatalf("the account's feed = %q", l)
	}
	if l := h.rowLine("Go Blog"); !strings.HasPrefix(l, "! Go Blog ") {
		t.Fatalf("a local feed = %q", l)
	}
	if l := h.rowLine("#golang"); !strings.HasSuffix(l, " 3") {
		t.Fatalf("the server's category as a tag = %q", l)
	}
	if h.rowLine("All") == "" || !strings.Contains(h.view(), "Feeds · 23 unread") {
		t.Fatalf("the header does not count the synced articles:\n%s", h.view())
	}

	// enter lists the account's articles, every feed of it.
	h.selectRow("home")
	h.press("enter")
	if h.m.screen != articlesScreen || h.m.items.count != 6 {
		t.Fatalf("the account's list: screen %v, %d articles:\n%s", h.m.screen, h.m.items.count, h.view())
	}
	h.requireView("home", "Synced story 1", "Synced story 6")
	h.press("esc")

	// R on its row syncs that account alone: the refresh is of its feeds.
	h.press("R")
	planet, lobsters := h.m.feeds.rows[10].feed.ID, h.m.feeds.rows[11].feed.ID
	if got := f.refresher.asked[len(f.refresher.asked)-1]; !slices.Equal(got, []int64{planet, lobsters}) {
		t.Fatalf("R on the account's row refreshed %v, want %v", got, []int64{planet, lobsters})
	}

	// The cursor stays on the account's row when the counts change, and
	// u hides the accounts' rows that have nothing unread with their feeds.
	h.selectRow("Lobsters")
	h.press("enter", "A", "y", "esc")
	if row, _ := h.m.feeds.selected(); row.title != "Lobsters" {
		t.Fatalf("after marking Lobsters read the cursor is on %q", row.title)
	}
	if l := h.rowLine("home"); !strings.HasSuffix(l, " 3") {
		t.Fatalf("the account's row after Lobsters was read = %q", l)
	}
	h.press("u")
	h.rowLine("home")
	if slices.ContainsFunc(h.m.feeds.rows, func(r feedRow) bool { return r.title == "Lobsters" }) {
		t.Fatalf("u kept a feed with nothing unread:\n%s", h.view())
	}
	h.selectRow("Planet Go")
	h.press("enter", "A", "y", "esc", "g")
	if slices.ContainsFunc(h.m.feeds.rows, func(r feedRow) bool { return r.kind == rowAccount }) {
		t.Fatalf("u kept an account with nothing unread:\n%s", h.view())
	}
}

// d unsubscribes a synced feed on its server, asking first as for a
// local one; E says its tags are the server's; the urls file is not
// touched, even where it lists the same URL.
func TestSyncedFeedIsManagedOnItsServer(t *testing.T) {
	f := newFixture(t)
	addAccount(t, f.store)
	list := newFileFeedList(t, f, "http://127.0.0.1/planet.xml\n")
	if err := list.sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	deps := f.deps()
	deps.FeedList = list
	h := newHarness(t, deps, testSettings(), 100, 30)

	h.selectRow("Lobsters")
	h.press("E")
	if status := h.statusLine(); !strings.Contains(status, "The tags and name of Lobsters are home's: change them on its server") {
		t.Fatalf("E on a synced feed: %q", status)
	}
	h.selectRow("Planet Go")
	h.press("d")
	if status := h.statusLine(); !strings.Contains(status, "Unsubscribe from Planet Go on home's server? Its starred articles stay.") {
		t.Fatalf("d on a synced feed asks %q", status)
	}
	h.press("y")
	if !slices.Equal(list.unsubscribed, []string{"11"}) || !strings.Contains(h.statusLine(), "Unsubscribed from Planet Go on home") {
		t.Fatalf("d y: unsubscribed %q, status %q", list.unsubscribed, h.statusLine())
	}
	var synced, local int
	for _, r := range h.m.feeds.rows {
		if r.title == "Planet Go" && r.synced() {
			synced++
		}
		if r.feed.URL == "http://127.0.0.1/planet.xml" && r.feed.Account == "" {
			local++
		}
	}
	if synced != 0 || local != 1 {
		t.Fatalf("after d y: %d synced Planet Go rows (want 0), %d local ones (want 1):\n%s", synced, local, h.view())
	}
}
