package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestFirstFrameBeforeAnything(t *testing.T) {
	f := newFixture(t)
	m := New(f.deps(), testSettings())
	if got := m.View().Content; got != "Loading…" {
		t.Fatalf("view before a size = %q", got)
	}
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	v := next.(Model).View()
	if !strings.Contains(v.Content, "Feeds · loading…") || !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion {
		t.Fatalf("first frame: alt=%v mouse=%v\n%s", v.AltScreen, v.MouseMode, v.Content)
	}
}

func TestFeedsScreenListsVirtualFeedsTagsAndFeeds(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	lines := strings.Split(h.view(), "\n")
	want := []string{"Feeds · 18 unread", "All", "Unread", "Starred", "#news", "#tech", "World News", "Tech Daily", "! Go Blog"}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Fatalf("line %d = %q, want %q\n%s", i, lines[i], w, h.view())
		}
	}
	if !strings.Contains(lines[6], "8") || !strings.Contains(lines[5], "10") {
		t.Fatalf("unread counts missing:\n%s", h.view())
	}
	if len(lines) != 24 {
		t.Fatalf("view has %d lines, want 24", len(lines))
	}
}

func TestFeedsNavigationAndError(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("G")
	if row, _ := h.m.feeds.selected(); row.title != "Go Blog" {
		t.Fatalf("G selected %q", row.title)
	}
	h.press("e")
	if !strings.Contains(h.view(), "The last refresh failed (just now): HTTP 500 Internal Server Error") {
		t.Fatalf("e did not show the error:\n%s", h.view())
	}
	h.press("q") // any key but a movement closes it, and does nothing else
	if strings.Contains(h.view(), "HTTP 500") || h.quit {
		t.Fatalf("error not dismissed (quit %v):\n%s", h.quit, h.view())
	}
	h.press("g", "j", "down")
	if h.m.feeds.cursor != 2 {
		t.Fatalf("cursor = %d, want 2", h.m.feeds.cursor)
	}
	h.press("up")
	if h.m.feeds.cursor != 1 {
		t.Fatalf("cursor = %d, want 1", h.m.feeds.cursor)
	}
	h.press("end", "home", "ctrl+d")
	if h.m.feeds.cursor == 0 {
		t.Fatal("ctrl+d did not move")
	}
	h.press("ctrl+u", "pgdown", "pgup")
	if h.m.feeds.cursor != 0 {
		t.Fatalf("cursor = %d after paging back, want 0", h.m.feeds.cursor)
	}
	h.press("n")
	if row, _ := h.m.feeds.selected(); row.title != "World News" {
		t.Fatalf("n went to %q, want the first feed with unread articles", row.title)
	}
}

func TestArticlesScreenNewestFirstWithMarks(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter") // All
	if h.m.screen != articlesScreen {
		t.Fatalf("screen = %d", h.m.screen)
	}
	lines := strings.Split(h.view(), "\n")
	if !strings.HasPrefix(lines[0], "All articles · 18") {
		t.Fatalf("header = %q", lines[0])
	}
	// Newest first: the fixture dates World News first.
	if !strings.Contains(lines[1], "● ") || !strings.Contains(lines[1], "World News story 1") ||
		!strings.Contains(lines[1], "World News") || !strings.HasSuffix(strings.TrimRight(lines[1], " "), "5h") {
		t.Fatalf("first row = %q", lines[1])
	}
	h.press("s")
	if a, _ := h.m.items.selected(); !a.Starred || !strings.Contains(strings.Split(h.view(), "\n")[1], "★") {
		t.Fatalf("s did not star:\n%s", h.view())
	}
	h.press("m")
	if a, _ := h.m.items.selected(); !a.Read || h.m.feeds.totalUnread() != 17 {
		t.Fatalf("m: read=%v unread=%d", a.Read, h.m.feeds.totalUnread())
	}
	h.press("esc")
	if h.m.screen != feedsScreen || !strings.Contains(h.view(), "Feeds · 17 unread") {
		t.Fatalf("esc did not go back with fresh counts:\n%s", h.view())
	}
}

func TestQuitBacksOutThenQuits(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter", "enter")
	if h.m.screen != readerScreen {
		t.Fatalf("screen = %d, want reader", h.m.screen)
	}
	h.press("q")
	if h.m.screen != articlesScreen || h.quit {
		t.Fatalf("q in reader: screen=%d quit=%v", h.m.screen, h.quit)
	}
	h.press("q")
	if h.m.screen != feedsScreen || h.quit {
		t.Fatalf("q in list: screen=%d quit=%v", h.m.screen, h.quit)
	}
	h.press("q")
	if !h.quit {
		t.Fatal("q on the feeds screen did not quit")
	}
	h2 := newHarness(t, f.deps(), testSettings(), 80, 24)
	h2.press("enter", "enter", "ctrl+c")
	if !h2.quit {
		t.Fatal("ctrl+c in the reader did not quit")
	}
}

func TestEscapeSequencesNeverReachTheScreen(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter")
	hostile := "Evil\x1b]52;c;cm0gLXJmIC8=\x07 title\x1b[2J\nsecond line"
	a, _ := h.m.items.selected()
	a.Title, a.FeedTitle = hostile, hostile
	h.m.items.replace(a)
	h.send(browserDoneMsg{url: "http://x/", err: errors.New(hostile)})
	raw := h.m.View().Content
	for _, bad := range []string{"\x1b]52", "\x1b[2J", "\x07", "second line\n"} {
		if strings.Contains(raw, bad) {
			t.Fatalf("view carries %q", bad)
		}
	}
	h.requireView("Evil title second line")
}
