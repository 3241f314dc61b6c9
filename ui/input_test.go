package ui

import (
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/config"
)

func TestMouseWheelClickAndDoubleClick(t *testing.T) {
	f := newFixture(t)
	now := now0
	deps := f.deps()
	deps.Now = func() time.Time { return now }
	h := newHarness(t, deps, testSettings(), 80, 24)
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if h.m.feeds.cursor != wheelStep {
		t.Fatalf("wheel: cursor = %d", h.m.feeds.cursor)
	}
	h.send(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 2}) // Unread
	if h.m.feeds.cursor != 1 || h.m.screen != feedsScreen {
		t.Fatalf("click: cursor %d screen %d", h.m.feeds.cursor, h.m.screen)
	}
	now = now.Add(time.Second) // too slow for a double click
	h.send(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 2})
	if h.m.screen != feedsScreen {
		t.Fatal("two slow clicks opened the feed")
	}
	now = now.Add(100 * time.Millisecond)
	h.send(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 2})
	if h.m.screen != articlesScreen || h.m.items.source.title != "Unread" {
		t.Fatalf("double click: screen %d list %q", h.m.screen, h.m.items.source.title)
	}
	h.send(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 3})
	now = now.Add(100 * time.Millisecond)
	h.send(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 3})
	if h.m.screen != readerScreen || !strings.Contains(h.view(), "World News story 3") {
		t.Fatalf("double click on an article:\n%s", h.view())
	}
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if h.offset() != wheelStep {
		t.Fatalf("wheel in the reader: offset %d", h.offset())
	}
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if h.offset() != 0 {
		t.Fatalf("wheel up: offset %d", h.offset())
	}
}

func TestClickOnLinkMarkerHighlightsIt(t *testing.T) {
	_, h := openFirstArticle(t, 80, 24)
	m := h.m.reader.markers[0]
	h.send(tea.MouseClickMsg{Button: tea.MouseLeft, X: m.col + 1, Y: m.line})
	if n, ok := h.m.reader.highlighted(); !ok || n != 1 {
		t.Fatalf("click on [1] highlighted %d, %v", n, ok)
	}
}

func TestWideLayoutPutsListBesideReader(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 140, 40)
	h.press("enter")
	lines := strings.Split(h.view(), "\n")
	if !strings.Contains(lines[0], "│Choose an article and press enter.") {
		t.Fatalf("no reader pane beside the list:\n%s", h.view())
	}
	h.press("enter")
	lines = strings.Split(h.view(), "\n")
	if !strings.HasPrefix(lines[0], "All articles · 18") || !strings.Contains(lines[2], "│   World News story 1") {
		t.Fatalf("list and reader not side by side:\n%s", h.view())
	}
	if len(lines) != 40 {
		t.Fatalf("%d lines, want 40", len(lines))
	}
	// Back moves the focus to the list; the article stays in view while
	// it is the one selected.
	h.press("esc")
	if h.m.screen != articlesScreen || !strings.Contains(h.view(), "│   World News story 1") {
		t.Fatalf("after esc:\n%s", h.view())
	}
	h.press("j")
	if h.m.items.cursor != 1 || strings.Contains(h.view(), "│   World News story 1") {
		t.Fatalf("after esc, j:\n%s", h.view())
	}
	// Narrowing the terminal shows one screen at a time.
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	if strings.Contains(strings.Split(h.view(), "\n")[1], "│") {
		t.Fatalf("narrow view still split:\n%s", h.view())
	}
}

func TestBackgroundColorPicksPalette(t *testing.T) {
	f := newFixture(t)
	s := testSettings()
	s.Theme = config.ThemeAuto
	h := newHarness(t, f.deps(), s, 80, 24)
	if h.m.palette != paletteDark {
		t.Fatal("auto should start dark")
	}
	h.press("enter", "enter")
	before := f.renderer.count()
	h.send(tea.BackgroundColorMsg{Color: color.White})
	if h.m.palette != paletteLight || h.m.reader.bodyFor.style != "light" || f.renderer.count() != before+1 {
		t.Fatalf("palette %d, style %q, renders %d→%d", h.m.palette, h.m.reader.bodyFor.style, before, f.renderer.count())
	}
	// A fixed theme ignores the terminal.
	s.Theme = config.ThemeDark
	h2 := newHarness(t, f.deps(), s, 80, 24)
	h2.send(tea.BackgroundColorMsg{Color: color.White})
	if h2.m.palette != paletteDark {
		t.Fatal("theme = dark was overridden")
	}
}

func TestNoColorMeansPlain(t *testing.T) {
	f := newFixture(t)
	deps := f.deps()
	deps.Getenv = func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}
	s := testSettings()
	s.Theme = config.ThemeAuto
	h := newHarness(t, deps, s, 80, 24)
	h.send(tea.BackgroundColorMsg{Color: color.White})
	if h.m.palette != palettePlain {
		t.Fatalf("palette = %d", h.m.palette)
	}
	h.press("enter", "enter")
	if h.m.reader.bodyFor.style != "plain" {
		t.Fatalf("rendered in %q", h.m.reader.bodyFor.style)
	}
	if raw := h.m.View().Content; strings.Contains(raw, "\x1b[38;") || strings.Contains(raw, "\x1b[48;") {
		t.Fatal("colours in a NO_COLOR view")
	}
}

func TestNewKeyMap(t *testing.T) {
	km, err := NewKeyMap(map[string][]string{"up": {"ctrl+p", "K"}, "search": {}, "quit": {"ctrl++"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(km.Up.Keys(), []string{"ctrl+p", "K"}) || km.Search.Enabled() || !slices.Equal(km.Quit.Keys(), []string{"ctrl++"}) {
		t.Fatalf("up %v search %v quit %v", km.Up.Keys(), km.Search.Enabled(), km.Quit.Keys())
	}
	if km.Up.Help().Desc != "up" {
		t.Fatalf("rebinding lost the help text: %q", km.Up.Help().Desc)
	}
	for _, bad := range []map[string][]string{
		{"jump": {"x"}},
		{"up": {"shift+k"}},
		{"up": {"hyperspace+k"}},
		{"up": {"kk"}},
		{"up": {"f99"}},
		{"up": {"\t"}},
	} {
		if _, err := NewKeyMap(bad); err == nil {
			t.Errorf("NewKeyMap(%q) accepted it", bad)
		}
	}
	if a := DefaultKeyMap().Actions(); len(a) != len(keyActions) || a[0].Name != "up" || a[0].Binding.Keys()[0] != "k" {
		t.Fatalf("Actions = %v", a)
	}
}

func TestBrowserCommand(t *testing.T) {
	const link = "https://example.com/a b?x=1;rm -rf"
	cases := []struct {
		configured, env, goos string
		wantArgs              []string
		interactive           bool
	}{
		{"", "", "linux", []string{"xdg-open", link}, false},
		{"", "", "darwin", []string{"open", link}, false},
		{"", "", "windows", []string{"rundll32", "url.dll,FileProtocolHandler", link}, false},
		{"", "firefox:chromium", "linux", []string{"firefox", link}, false},
		{"w3m -o confirm_qq=0", "firefox", "linux", []string{"w3m", "-o", "confirm_qq=0", link}, true},
		{"/usr/bin/lynx", "", "linux", []string{"/usr/bin/lynx", link}, true},
		{"chromium --app=%s", "", "linux", []string{"chromium", "--app=" + link}, false},
	}
	for _, c := range cases {
		cmd, interactive, err := browserCommand(c.configured, c.env, c.goos, link, "")
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if !slices.Equal(cmd.Args, c.wantArgs) || interactive != c.interactive {
			t.Errorf("%+v: args %q interactive %v", c, cmd.Args, interactive)
		}
	}
	for _, bad := range []string{"file:///etc/passwd", "javascript:alert(1)", "mailto:a@b", "http://", "-oProxyCommand=x"} {
		if _, _, err := browserCommand("", "", "linux", bad, ""); err == nil {
			t.Errorf("browserCommand accepted %q", bad)
		}
	}
}
