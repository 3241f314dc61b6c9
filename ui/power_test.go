package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// fileFeedList is a feed list over a real urls file and the fixture's
// cache, edited with the config package as the CLI's is: only the page
// discovery of a (which needs the network) is left out.
type fileFeedList struct {
	path  string
	store *cache.Store
	// unsubscribed are the server ids of the synced feeds Remove was
	// given, which a real list unsubscribes on their servers.
	unsubscribed []string
}

func newFileFeedList(t *testing.T, f *fixture, extra string) *fileFeedList {
	t.Helper()
	var b strings.Builder
	b.WriteString("# the fixture's feeds\n")
	for _, fd := range f.feeds {
		b.WriteString(fd.URL + " " + config.FormatTagLine("", fd.Tags) + "\n")
	}
	b.WriteString(extra)
	l := &fileFeedList{path: filepath.Join(t.TempDir(), "urls"), store: f.store}
	if err := os.WriteFile(l.path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return l
}

func (l *fileFeedList) sync(ctx context.Context) error {
	list, _, err := config.LoadFeedList(l.path)
	if err != nil {
		return err
	}
	return l.store.SyncSubscriptions(ctx, list.Subscriptions)
}

func (l *fileFeedList) Queries(context.Context) ([]news.Subscription, error) {
	list, _, err := config.LoadFeedList(l.path)
	return list.Queries, err
}

func (l *fileFeedList) Lookup(_ context.Context, url string) (news.Subscription, error) {
	return config.LookupURL(l.path, url)
}

func (l *fileFeedList) Add(ctx context.Context, target, title string, tags []string) (news.Feed, error) {
	if err := config.AddURL(l.path, news.Subscription{URL: target, Title: title, Tags: tags}); err != nil {
		return news.Feed{}, err
	}
	if err := l.sync(ctx); err != nil {
		return news.Feed{}, err
	}
	feeds, err := l.store.Feeds(ctx)
	for _, f := range feeds {
		if f.URL == target {
			return f, err
		}
	}
	return news.Feed{}, fmt.Errorf("%s not stored (%v)", target, err)
}

func (l *fileFeedList) Remove(ctx context.Context, f news.Feed) error {
	if f.Account != "" {
		l.unsubscribed = append(l.unsubscribed, f.RemoteID)
		return l.store.UnsubscribeRemote(ctx, f.ID)
	}
	if _, err := config.RemoveURL(l.path, f.URL); err != nil {
		return err
	}
	return l.sync(ctx)
}

func (l *fileFeedList) Edit(ctx context.Context, url, title string, tags []string) error {
	if err := config.UpdateURL(l.path, url, title, tags); err != nil {
		return err
	}
	return l.sync(ctx)
}

func (h *harness) lines() []string { return strings.Split(h.view(), "\n") }

// Query feeds sit under the virtual feeds, count their unread articles,
// open as a list, and follow a mark at once.
func TestQueryFeedRows(t *testing.T) {
	f := newFixture(t)
	list := newFileFeedList(t, f, `"query:River in tech:tags # \"tech\" and title =~ \"river\"" daily`+"\n"+
		`"query:Third stories:title =~ \"story 3 \""`+"\n")
	deps := f.deps()
	deps.FeedList = list
	h := newHarness(t, deps, testSettings(), 80, 24)
	lines := h.lines()
	if !strings.Contains(lines[4], "River in tech") || !strings.HasSuffix(strings.TrimRight(lines[4], " "), "10") ||
		!strings.Contains(lines[5], "Third stories") || !strings.HasSuffix(strings.TrimRight(lines[5], " "), "3") {
		t.Fatalf("the query feeds are not under Starred with their counts:\n%s", h.view())
	}
	h.press("j", "j", "j", "enter") // River in tech
	h.requireView("River in tech · 10", "Tech Daily story", "Go Blog story")
	if strings.Contains(h.view(), "World News story") {
		t.Fatalf("the query feed lists another tag's feed:\n%s", h.view())
	}
	h.press("m") // read the first
	h.press("q")
	if row, _ := h.m.feeds.selected(); row.kind != rowQuery || row.unread != 9 {
		t.Fatalf("after a mark, the query feed's row is %+v", row)
	}
	// A tag's row counts its feeds alone: the query feed's tag is not one.
	if slices.ContainsFunc(h.m.feeds.rows, func(r feedRow) bool { return r.tag == "daily" }) {
		t.Error("the query feed's tag became a row")
	}
}

// u hides what has nothing unread, on the feeds screen and in a list.
func TestHideRead(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	if _, err := f.store.MarkAllRead(context.Background(), news.Filter{FeedIDs: []int64{f.feeds[0].ID}}); err != nil {
		t.Fatal(err)
	}
	h.run(h.m.reloadFeeds())
	h.press("u")
	h.requireView("Feeds (unread only)", "Tech Daily", "Showing only feeds with unread articles")
	if strings.Contains(h.view(), "World News") || strings.Contains(h.view(), "#news") {
		t.Fatalf("u left a feed with nothing unread:\n%s", h.view())
	}
	h.press("u")
	h.requireView("World News", "#news", "Showing every feed")

	h.press("enter") // All
	h.requireView("All articles · 18")
	h.press("u")
	h.requireView("All articles · 10", "Showing unread articles only")
	h.press("u")
	h.requireView("All articles · 18")
}

// O lists by date, then title, then feed, and round again.
func TestSortList(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("enter") // All
	first := func() string { a, _ := h.m.items.row(0); return a.Title }
	newest := first()
	h.press("O")
	if got := first(); got != "Go Blog story 1 about the river flood" || !strings.Contains(h.statusLine(), "Sorted by title") {
		t.Fatalf("by title, first %q, status %q", got, h.statusLine())
	}
	h.press("O")
	if a, _ := h.m.items.row(0); a.FeedTitle != "Go Blog" || !strings.Contains(h.statusLine(), "Sorted by feed") {
		t.Fatalf("by feed, first %+v, status %q", a, h.statusLine())
	}
	h.press("O")
	if got := first(); got != newest {
		t.Fatalf("back to date, first %q, want %q", got, newest)
	}
}

// a adds a feed (then asks its tags), E edits a feed's tags and name, d
// removes one after asking: all in the urls file, keeping the rest of it.
func TestManageFeeds(t *testing.T) {
	f := newFixture(t)
	list := newFileFeedList(t, f, "# my query feeds\n"+`"query:Old:age > 100"`+"\n")
	deps := f.deps()
	deps.FeedList = list
	h := newHarness(t, deps, testSettings(), 100, 30)

	h.press("a")
	h.requireView("Add the feed at")
	h.typeText("http://127.0.0.1/new.xml")
	h.press("enter")
	h.requireView("Tags (and \"~name\") for http://127.0.0.1/new.xml")
	h.typeText(`science "~The New Feed"`)
	h.press("enter")
	h.requireView("The New Feed", "#science")
	if row, _ := h.m.feeds.selected(); row.feed.Title != "The New Feed" {
		t.Fatalf("after a, the cursor is on %q, not on the feed just added", row.title)
	}
	if last := f.refresher.asked[len(f.refresher.asked)-1]; len(last) != 1 {
		t.Fatalf("the new feed was not fetched: asked %v", f.refresher.asked)
	}
	urls, _ := os.ReadFile(list.path)
	if !strings.HasSuffix(string(urls), `"query:Old:age > 100"`+"\n"+`http://127.0.0.1/new.xml science "~The New Feed"`+"\n") {
		t.Fatalf("urls after a:\n%s", urls)
	}

	// E on World News: its tags, as the file has them, to edit.
	h.press("G", "k", "k", "k")
	if row, _ := h.m.feeds.selected(); row.feed.Title != "World News" {
		t.Fatalf("cursor on %+v", row)
	}
	h.press("E")
	if v := h.m.prompt.input.Value(); v != "news" {
		t.Fatalf("E offers %q", v)
	}
	h.press("backspace", "backspace", "backspace", "backspace")
	h.typeText(`world "~The World"`)
	h.press("enter")
	h.requireView("The World", "#world", "Saved the tags and name")
	if urls, _ := os.ReadFile(list.path); !strings.Contains(string(urls), "http://127.0.0.1/world.xml world \"~The World\"\n") {
		t.Fatalf("urls after E:\n%s", urls)
	}

	// d asks; n keeps the feed, y removes it.
	h.press("d")
	if !strings.Contains(h.statusLine(), "Remove The World? Its starred articles stay.") {
		t.Fatalf("d asks %q", h.statusLine())
	}
	h.press("n")
	h.requireView("The World")
	h.press("d", "y")
	if slices.ContainsFunc(h.m.feeds.rows, func(r feedRow) bool { return r.title == "The World" }) || !strings.Contains(h.statusLine(), "Removed The World") {
		t.Fatalf("after d y:\n%s", h.view())
	}
	urls, _ = os.ReadFile(list.path)
	if strings.Contains(string(urls), "world.xml") || !strings.HasPrefix(string(urls), "# the fixture's feeds\n") ||
		!strings.Contains(string(urls), "# my query feeds\n") {
		t.Fatalf("urls after d:\n%s", urls)
	}

	// A query feed is edited and removed the same way.
	h.press("g", "j", "j", "j")
	h.press("E")
	if v := h.m.prompt.input.Value(); v != "" {
		t.Fatalf("E on the query feed offers %q", v)
	}
	h.typeText(`archive "~Ancient"`)
	h.press("enter")
	if urls, _ := os.ReadFile(list.path); !strings.Contains(string(urls), `"query:Old:age > 100" archive "~Ancient"`) {
		t.Fatalf("urls after E on the query feed:\n%s", urls)
	}
	h.requireView("Ancient")
	h.press("d")
	if !strings.Contains(h.statusLine(), "Remove the query feed Ancient?") {
		t.Fatalf("d on the query feed asks %q", h.statusLine())
	}
	h.press("y")
	if slices.ContainsFunc(h.m.feeds.rows, func(r feedRow) bool { return r.title == "Ancient" }) {
		t.Fatalf("the query feed stayed:\n%s", h.view())
	}
	// Without a feed list the keys say so.
	h2 := newHarness(t, f.deps(), testSettings(), 80, 24)
	h2.press("a")
	if !strings.Contains(h2.statusLine(), "cannot be edited here") {
		t.Fatalf("a without a feed list: %q", h2.statusLine())
	}
}

// d keeps a removed feed's starred articles, and the feeds screen still
// counts them: All and Unread say what their lists hold.
func TestRemovedFeedsStarredArticlesCount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	list := newFileFeedList(t, f, "")
	deps := f.deps()
	deps.FeedList = list
	world, err := f.store.Articles(ctx, news.Filter{FeedIDs: []int64{f.feeds[0].ID}, Unread: true, Limit: 1})
	if err != nil || len(world) != 1 {
		t.Fatal(world, err)
	}
	if err := f.store.SetStarred(ctx, []int64{world[0].ID}, true); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, deps, testSettings(), 80, 24)
	h.press("G", "k", "k")
	if row, _ := h.m.feeds.selected(); row.feed.Title != "World News" {
		t.Fatalf("cursor on %+v", row)
	}
	h.press("d", "y")
	h.requireView("Removed World News")
	all, unread := mustCount(t, f, news.Filter{}), mustCount(t, f, news.Filter{Unread: true})
	if all != 11 || unread != 11 {
		t.Fatalf("the cache lists %d articles, %d unread: want the starred one with the other feeds' 10", all, unread)
	}
	rows := h.m.feeds.rows
	if rows[0].number != all || rows[1].number != unread || rows[2].number != 1 || !strings.Contains(h.lines()[0], fmt.Sprintf("%d unread", unread)) {
		t.Fatalf("All %d, Unread %d, Starred %d; the cache: %d, %d, 1\n%s", rows[0].number, rows[1].number, rows[2].number, all, unread, h.view())
	}
	h.press("g", "enter")
	h.requireView(fmt.Sprintf("All articles · %d", all), world[0].Title)
}

func mustCount(t *testing.T, f *fixture, filter news.Filter) int {
	t.Helper()
	n, err := f.store.Count(context.Background(), filter)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fakeTicks records what the reader schedules; fire delivers them.
type fakeTicks struct {
	mu      sync.Mutex
	pending []func(time.Time) tea.Msg
	asked   []time.Duration
}

func (f *fakeTicks) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, d)
	f.pending = append(f.pending, fn)
	return nil
}

func (f *fakeTicks) fire(h *harness, at time.Time) {
	h.t.Helper()
	f.mu.Lock()
	pending := f.pending
	f.pending = nil
	f.mu.Unlock()
	for _, fn := range pending {
		h.send(fn(at))
	}
}

// storingRefresher stores new items in the fixture's cache, as a refresh
// would, and reports them.
type storingRefresher struct {
	store *cache.Store
	feeds []news.Feed
	items map[int64][]news.Item // per feed id, what the next refresh brings
	asked [][]int64
}

func (r *storingRefresher) Refresh(ctx context.Context, feedIDs []int64) <-chan refresh.Progress {
	r.asked = append(r.asked, feedIDs)
	ch := make(chan refresh.Progress, len(feedIDs))
	var sum refresh.Summary
	for i, id := range feedIDs {
		fd := r.feeds[slices.IndexFunc(r.feeds, func(f news.Feed) bool { return f.ID == id })]
		res := feed.Result{URL: fd.URL, Status: feed.StatusOK, Feed: &feed.Document{Items: r.items[id]}}
		n, err := r.store.SaveResult(ctx, id, res)
		if err != nil {
			panic(err)
		}
		sum.OK++
		sum.New += n
		ch <- refresh.Progress{Done: i + 1, Total: len(feedIDs), Summary: sum, Last: refresh.Outcome{Feed: fd, Result: res, New: n}}
	}
	r.items = nil
	close(ch)
	return ch
}

// With reload-every set, the reader refreshes the feeds that are due, on
// its own; the list keeps its cursor and its lines where they were, and
// the status line and the notifications say what came.
func TestAutoReload(t *testing.T) {
	f := newFixture(t)
	refresher := &storingRefresher{store: f.store, feeds: f.feeds}
	ticks := &fakeTicks{}
	now := time.Now() // the cache dates refreshes with the real clock
	deps := f.deps()
	deps.Refresher, deps.Tick = refresher, ticks.tick
	deps.Now = func() time.Time { return now }
	notified := filepath.Join(t.TempDir(), "notified")
	script := filepath.Join(t.TempDir(), "notify")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s|' \"$@\" > "+notified+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := testSettings()
	s.ReloadEvery = 30 * time.Minute
	hour := time.Hour
	s.Feeds = map[string]config.FeedSettings{f.feeds[2].URL: {Reload: &hour}} // the Go Blog: hourly
	s.NotifyCommand = []string{script, "--from", "byline"}
	h := newHarness(t, deps, s, 80, 12)
	if len(ticks.asked) != 1 || ticks.asked[0] != time.Minute {
		t.Fatalf("the reader scheduled %v, want a look every minute", ticks.asked)
	}

	// In the All list, the cursor on the 6th article, 5 lines down.
	h.press("enter", "j", "j", "j", "j", "j")
	before, _ := h.m.items.selected()
	line := h.m.items.cursor - h.m.items.top
	screenBefore := h.lines()[line+1]

	// Nothing is due yet: the feeds were refreshed a moment ago.
	ticks.fire(h, now)
	if len(refresher.asked) != 0 || len(ticks.pending) != 1 {
		t.Fatalf("refreshed %v before anything was due; %d looks pending", refresher.asked, len(ticks.pending))
	}

	// 31 minutes on, the two half-hourly feeds are due, not the hourly one.
	now = now.Add(31 * time.Minute)
	refresher.items = map[int64][]news.Item{
		f.feeds[0].ID: {newItem("w-new-1", now), newItem("w-new-2", now.Add(-time.Minute))},
		f.feeds[1].ID: {newItem("t-new-1", now)},
	}
	ticks.fire(h, now)
	if len(refresher.asked) != 1 || !slices.Equal(refresher.asked[0], []int64{f.feeds[0].ID, f.feeds[1].ID}) {
		t.Fatalf("refreshed %v, want the World News and Tech Daily", refresher.asked)
	}
	if !strings.Contains(h.statusLine(), "Reloaded: 3 new in 2 feeds") {
		t.Fatalf("status %q", h.statusLine())
	}
	after, _ := h.m.items.selected()
	if after.ID != before.ID || h.m.items.cursor-h.m.items.top != line || h.lines()[line+1] != screenBefore {
		t.Fatalf("the reload moved the list: cursor on %q at line %d, was %q at %d\n%s",
			after.Title, h.m.items.cursor-h.m.items.top, before.Title, line, h.view())
	}
	if !strings.Contains(h.view(), "All articles · 21") {
		t.Fatalf("the list does not count what came:\n%s", h.view())
	}
	eventually(t, func() bool { b, _ := os.ReadFile(notified); return string(b) == "--from|byline|3 new in 2 feeds|" })

	// An hour on, the Go Blog is due too; nothing new: nothing said.
	now = now.Add(time.Hour)
	h.m.status.clear()
	ticks.fire(h, now)
	if len(refresher.asked) != 2 || len(refresher.asked[1]) != 3 || strings.Contains(h.statusLine(), "Reloaded") {
		t.Fatalf("second reload: asked %v, status %q", refresher.asked, h.statusLine())
	}
}

func newItem(guid string, at time.Time) news.Item {
	return news.Item{GUID: guid, URL: "http://127.0.0.1/" + guid, Title: "Breaking " + guid, Published: at}
}

func eventually(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("gave up waiting")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// notify = "osc" writes OSC 9 and OSC 777, wrapped for tmux inside it.
func TestOSCNotification(t *testing.T) {
	plain := oscNotification("12 new in 4 feeds", false)
	if plain != "\x1b]9;byline: 12 new in 4 feeds\x07\x1b]777;notify;byline;12 new in 4 feeds\x07" {
		t.Errorf("plain: %q", plain)
	}
	wrapped := oscNotification("12 new; \x1b]evil\x07", true)
	// The sanitizer takes the escape sequence out; the ; would end the text.
	if !strings.HasPrefix(wrapped, "\x1bPtmux;\x1b\x1b]9;byline: 12 new,\x07\x1b\\") || strings.Count(wrapped, "\x1bPtmux;") != 2 {
		t.Errorf("in tmux: %q", wrapped)
	}
	f := newFixture(t)
	s := testSettings()
	s.Notify = config.NotifyOSC
	h := newHarness(t, f.deps(), s, 80, 24)
	msg := h.m.notify("3 new in 1 feed")()
	if raw, ok := msg.(tea.RawMsg); !ok || raw.Msg != oscNotification("3 new in 1 feed", false) {
		t.Fatalf("notify sends %#v", msg)
	}
}

// S saves the story as Markdown in save-dir, never over another file; |
// pipes it, after its header, to pipe-command.
func TestSaveAndPipeStory(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	out := filepath.Join(t.TempDir(), "piped")
	script := filepath.Join(t.TempDir(), "pipe")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ncat > "+out+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := testSettings()
	s.SaveDir = dir
	s.PipeCommand = []string{script}
	h := newHarness(t, f.deps(), s, 80, 24)
	h.press("enter", "enter") // All, the newest story
	h.press("S")
	h.press("S")
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	slices.Sort(files)
	want := []string{filepath.Join(dir, "world-news-story-1-about-the-river-flood-2.md"), filepath.Join(dir, "world-news-story-1-about-the-river-flood.md")}
	if !slices.Equal(files, want) || !strings.Contains(h.statusLine(), "Saved "+dir) {
		t.Fatalf("saved %q, status %q", files, h.statusLine())
	}
	md, _ := os.ReadFile(want[1])
	if !strings.HasPrefix(string(md), "# World News story 1 about the river flood") || !strings.Contains(string(md), "Paragraph 40 of") {
		t.Fatalf("saved Markdown:\n%.300s", md)
	}

	msg := h.m.pipeStory()()
	ready, ok := msg.(pipeReadyMsg)
	if !ok {
		t.Fatalf("| gives %#v", msg)
	}
	ready.cmd.SetStdin(os.Stdin) // as tea.Exec does: the story goes in, not the keyboard
	ready.cmd.SetStdout(os.Stdout)
	if err := ready.cmd.Run(); err != nil {
		t.Fatal(err)
	}
	piped, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(piped), "Title: World News story 1 about the river flood\nURL: http://127.0.0.1/world/0\nFeed: World News\nDate: ") ||
		!strings.Contains(string(piped), "\n\n# World News story 1") {
		t.Fatalf("piped:\n%.400s", piped)
	}

	// In the list too, without opening the story; and without a
	// pipe-command, | says how to set one.
	h.press("q", "j", "S")
	if !strings.Contains(h.statusLine(), "world-news-story-2") {
		t.Fatalf("S in the list: %q", h.statusLine())
	}
	s.PipeCommand = nil
	h2 := newHarness(t, f.deps(), s, 80, 24)
	h2.press("enter", "|")
	if !strings.Contains(h2.statusLine(), "Set pipe-command in config.toml") {
		t.Fatalf("| without pipe-command: %q", h2.statusLine())
	}
}

// R on a tag's row refreshes that tag's feeds; elsewhere, all of them.
func TestRefreshTagRow(t *testing.T) {
	f := newFixture(t)
	f.refresher.events = progressEvents(f.feeds[1:], nil, 0)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("j", "j", "j", "j", "R") // #tech
	h.press("g", "R")                // All
	want := [][]int64{{f.feeds[1].ID, f.feeds[2].ID}, nil}
	if len(f.refresher.asked) != 2 || !slices.Equal(f.refresher.asked[0], want[0]) || f.refresher.asked[1] != nil {
		t.Fatalf("asked %v, want %v", f.refresher.asked, want)
	}
}

// The new keys are rebindable like the others, and in the help.
func TestNewKeysRebind(t *testing.T) {
	km, err := NewKeyMap(map[string][]string{"add-feed": {"+"}, "save-story": {"ctrl+s"}, "hide-read": {"U"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(km.AddFeed.Keys(), []string{"+"}) || !slices.Equal(km.SaveStory.Keys(), []string{"ctrl+s"}) {
		t.Errorf("rebound: %v %v", km.AddFeed.Keys(), km.SaveStory.Keys())
	}
	if _, err := NewKeyMap(map[string][]string{"remove-feed": {"j"}}); err == nil || !strings.Contains(err.Error(), "down") {
		t.Errorf("d rebound onto j: %v", err)
	}
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 140, 40)
	h.press("?")
	h.requireView("a add a feed", "d remove the feed", "E edit tags, name", "u hide/show read",
		"O sort: date, title, feed", "S save as Markdown", "| pipe to pipe-command")
}

// A feed's own browser opens its links; others open in the global one.
func TestFeedBrowser(t *testing.T) {
	own, ownArgv := fakeBrowser(t)
	global, globalArgv := fakeBrowser(t)
	f := newFixture(t)
	s := testSettings()
	s.Browser = global
	s.Feeds = map[string]config.FeedSettings{f.feeds[1].URL: {Browser: own + " --feed %u"}}
	h := newHarness(t, f.deps(), s, 80, 24)
	h.press("G", "k", "o") // Tech Daily's row: its site
	if got := waitForArgv(t, ownArgv); !slices.Equal(got, []string{"--feed", "http://127.0.0.1/tech.xml"}) {
		t.Fatalf("the feed's browser got %q", got)
	}
	h.press("g", "enter", "o") // All: the newest, a World News article
	if got := waitForArgv(t, globalArgv); len(got) != 1 || got[0] != "http://127.0.0.1/world/0" {
		t.Fatalf("the global browser got %q", got)
	}
}
