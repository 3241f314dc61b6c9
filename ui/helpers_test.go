package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/reader"
	"github.com/bylinehq/byline/refresh"
)

// now0 is the tests' clock, so relative ages never change.
var now0 = time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return now0 }

// fixture is a real cache with three feeds, and fakes for the reader,
// renderer and refresher, which live in other packages.
type fixture struct {
	store     *cache.Store
	reader    *fakeReader
	renderer  *countingRenderer
	refresher *fakeRefresher
	feeds     []news.Feed // in urls-file order: World News, Tech Daily, Go Blog
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	store := openStore(t)
	ctx := context.Background()
	subs := []news.Subscription{
		{URL: "http://127.0.0.1/world.xml", Tags: []string{"news"}},
		{URL: "http://127.0.0.1/tech.xml", Tags: []string{"tech"}},
		{URL: "http://127.0.0.1/go.xml", Tags: []string{"tech"}},
	}
	if err := store.SyncSubscriptions(ctx, subs); err != nil {
		t.Fatal(err)
	}
	feeds, err := store.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	titles := []string{"World News", "Tech Daily", "Go Blog"}
	counts := []int{8, 6, 4}
	hour := 0
	for i, fd := range feeds {
		var items []news.Item
		for n := range counts[i] {
			hour += 5
			items = append(items, news.Item{
				GUID:      fmt.Sprintf("%d-%d", i, n),
				URL:       fmt.Sprintf("http://127.0.0.1/%s/%d", strings.ToLower(strings.Fields(titles[i])[0]), n),
				Title:     fmt.Sprintf("%s story %d about the river flood", titles[i], n+1),
				Author:    "Ada Lovelace",
				Summary:   "<p>Summary.</p>",
				Content:   fmt.Sprintf("<p>Feed text of %s story %d.</p>", titles[i], n+1),
				Published: now0.Add(-time.Duration(hour) * time.Hour),
			})
		}
		r := feed.Result{URL: fd.URL, Status: feed.StatusOK, Feed: &feed.Document{Title: titles[i], Items: items}}
		if _, err := store.SaveResult(ctx, fd.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	// The Go Blog's last refresh failed.
	failed := feed.Result{URL: feeds[2].URL, Status: feed.StatusFailed, Err: errors.New("HTTP 500 Internal Server Error")}
	if _, err := store.SaveResult(ctx, feeds[2].ID, failed); err != nil {
		t.Fatal(err)
	}
	if feeds, err = store.Feeds(ctx); err != nil {
		t.Fatal(err)
	}
	return &fixture{
		store:     store,
		reader:    newFakeReader(),
		renderer:  &countingRenderer{},
		refresher: &fakeRefresher{},
		feeds:     feeds,
	}
}

// openStore opens an empty cache in a temporary directory.
func openStore(t testing.TB) *cache.Store {
	t.Helper()
	store, err := cache.Open(filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

func (f *fixture) deps() Deps {
	return Deps{
		Store: f.store, Reader: f.reader, Renderer: f.renderer, Refresher: f.refresher,
		Now: clock, Getenv: func(string) string { return "" },
	}
}

// testSettings are the defaults without the refresh on start, which
// tests that want it turn on.
func testSettings() config.Settings {
	s := config.Default()
	s.RefreshOnStart = false
	s.Theme = config.ThemeDark
	s.Browser = "true" // a browser that does nothing, should a test start one
	return s
}

// fakeReader serves articles made up from their titles: a long body
// with numbered links, so scrolling and link following can be tested.
type fakeReader struct {
	mu       sync.Mutex
	offline  bool // Follow fails as if the network were down
	opened   []string
	followed []string
	similar  map[int64][]news.Article
	docs     map[string]*article.Article // by URL, in place of fakeDoc's
}

func newFakeReader() *fakeReader { return &fakeReader{similar: map[int64][]news.Article{}} }

// Story gives the feed's text when asked for it, else the made-up page.
func (f *fakeReader) Story(_ context.Context, a news.Article, mode config.FullText) (*article.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if mode == config.FullTextNever {
		return reader.FeedText(a), nil
	}
	f.opened = append(f.opened, a.URL)
	if doc, ok := f.docs[a.URL]; ok {
		return doc, nil
	}
	return fakeDoc(a.URL, a.Title), nil
}

func (f *fakeReader) Follow(_ context.Context, url string) (*article.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.followed = append(f.followed, url)
	if f.offline {
		return nil, fmt.Errorf("fetch %s: %w", url, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: network is unreachable")})
	}
	return fakeDoc(url, "Page at "+url), nil
}

func (f *fakeReader) Similar(_ context.Context, a news.Article, limit int) ([]news.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.similar[a.ID]
	return s[:min(limit, len(s))], nil
}

// fakeDoc is a 40-paragraph article whose paragraphs 3, 20 and 35 carry
// links [1], [2] and [3].
func fakeDoc(url, title string) *article.Article {
	var md strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&md, "Paragraph %d of %s.", i, title)
		switch i {
		case 3:
			md.WriteString(" See the council [1].")
		case 20:
			md.WriteString(" The mayor [2] spoke.")
		case 35:
			md.WriteString(" Photos [3].")
		}
		md.WriteString("\n\n")
	}
	return &article.Article{
		URL: url, Title: title, Author: "Ada Lovelace", Site: "Example Site",
		Published: now0.Add(-3 * time.Hour),
		Markdown:  md.String(),
		Links: []article.Link{
			{N: 1, Text: "the council", URL: url + "/council", Followable: true},
			{N: 2, Text: "The mayor", URL: url + "/mayor", Followable: true},
			{N: 3, Text: "Photos", URL: "mailto:photos@example.com"},
		},
	}
}

// countingRenderer is the real renderer, counting the renderings asked of it.
type countingRenderer struct {
	mu    sync.Mutex
	calls []renderKey
}

func (c *countingRenderer) Render(a *article.Article, width int, style article.Style, pics article.Pictures) (article.Rendering, error) {
	c.mu.Lock()
	c.calls = append(c.calls, renderKey{doc: a.URL, width: width, style: style, pics: pics})
	c.mu.Unlock()
	return article.RenderPictures(a, width, style, pics)
}

func (c *countingRenderer) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.calls)
}

// fakeRefresher replays scripted progress events.
type fakeRefresher struct {
	mu     sync.Mutex
	asked  [][]int64
	events []refresh.Progress
}

func (f *fakeRefresher) Refresh(_ context.Context, feedIDs []int64) <-chan refresh.Progress {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, feedIDs)
	ch := make(chan refresh.Progress, len(f.events))
	for _, e := range f.events {
		ch <- e
	}
	close(ch)
	return ch
}

// harness drives a Model as a Program would, but synchronously: every
// command runs to completion and its message goes back into Update.
type harness struct {
	t         testing.TB
	m         Model
	quit      bool
	clipboard string
	raw       []string // what tea.Raw sent, in order
	clears    int      // tea.ClearScreen requests
}

func newHarness(t testing.TB, deps Deps, settings config.Settings, width, height int) *harness {
	t.Helper()
	h := &harness{t: t, m: New(deps, settings)}
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: width, Height: height})
	return h
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	next, cmd := h.m.Update(msg)
	h.m = next.(Model)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(30 * time.Second): // a hang guard: at load 25 on 2 cores, 5 s was not always enough
		h.t.Fatal("a command did not finish")
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tea.QuitMsg:
		h.quit = true
	case tea.RawMsg:
		h.raw = append(h.raw, fmt.Sprint(msg.Msg))
	default:
		switch reflect.TypeOf(msg).Name() {
		case "setClipboardMsg":
			h.clipboard = reflect.ValueOf(msg).String()
			return
		case "clearScreenMsg":
			h.clears++
			return
		case "sequenceMsg": // tea.Sequence: its commands, in order
			v := reflect.ValueOf(msg)
			for i := range v.Len() {
				h.run(v.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		h.send(msg)
	}
}

// press sends keys by name: "j", "enter", "ctrl+d", "shift+tab", "space".
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyPress(k))
	}
}

func keyPress(k string) tea.KeyPressMsg {
	named := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "backspace": tea.KeyBackspace,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	}
	var mod tea.KeyMod
	base := k
	for _, p := range []struct {
		prefix string
		mod    tea.KeyMod
	}{{"ctrl+", tea.ModCtrl}, {"shift+", tea.ModShift}, {"alt+", tea.ModAlt}} {
		if rest, ok := strings.CutPrefix(base, p.prefix); ok {
			mod |= p.mod
			base = rest
		}
	}
	if code, ok := named[base]; ok {
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	if base == "space" {
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(base)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: base}
}

// typeText types s one character at a time.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (h *harness) view() string { return ansi.Strip(h.m.View().Content) }

func (h *harness) requireView(contains ...string) {
	h.t.Helper()
	v := h.view()
	for _, c := range contains {
		if !strings.Contains(v, c) {
			h.t.Fatalf("view lacks %q:\n%s", c, v)
		}
	}
}

// statusLine is the status line, or a long message over several lines
// joined back into one, as the user reads it.
func (h *harness) statusLine() string {
	lines := strings.Split(ansi.Strip(h.m.statusView()), "\n")
	if len(lines) == 1 {
		return lines[0]
	}
	var b strings.Builder
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "/") {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return " " + b.String()
}
