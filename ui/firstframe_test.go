package ui

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/account"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/refresh"
)

// hangingServer listens on 127.0.0.1, accepts every connection and never
// answers on it: a server that is down behind a proxy, or stuck. It
// counts the connections.
func hangingServer(t testing.TB) (url string, accepted *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted = new(atomic.Int32)
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range conns {
					c.Close()
				}
				return
			}
			accepted.Add(1)
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "http://" + ln.Addr().String(), accepted
}

// startupDeps are the fixture's, with the cache holding the account
// home's feeds too, and the real background refresh with the account's
// client when url is set (none when it is empty) and the real fetcher.
func startupDeps(t testing.TB, url string) Deps {
	t.Helper()
	f := newFixture(t)
	settings := config.Default()
	var clients []account.Client
	if url != "" {
		c, err := account.New(config.Account{Name: "home", Type: config.AccountMiniflux, URL: url,
			Username: "me", PasswordEnv: "BYLINE_PASSWORD"}, account.Options{
			ConnectTimeout: settings.ConnectTimeout, Timeout: 10 * time.Minute, MaxBodyBytes: 1 << 20,
			Getenv: func(string) string { return "secret" },
		})
		if err != nil {
			t.Fatal(err)
		}
		clients = []account.Client{c}
		// The cache was synced with this server before: a sync with
		// another server would first unsubscribe the old server's feeds,
		// and the first frame would race that.
		if _, err := f.store.AccountState(context.Background(), "home", c.Server()); err != nil {
			t.Fatal(err)
		}
	}
	addAccount(t, f.store)
	rules, err := refresh.NewRules(settings)
	if err != nil {
		t.Fatal(err)
	}
	deps := f.deps()
	deps.Refresher = refresh.Background{Store: f.store, Fetcher: feed.NewFetcher(settings.FeedOptions()),
		Accounts: clients, Rules: rules}
	return deps
}

// liveHarness runs a Model as a Program does: Init's commands, and those of
// every message after, run at once on goroutines of their own, their
// messages taken in one at a time, a frame drawn after each. Commands
// still running when ctx ends are left to end.
type liveHarness struct {
	t    testing.TB
	ctx  context.Context
	m    Model
	msgs chan tea.Msg
}

// newLiveHarness starts the reader with the refresh on start on.
func newLiveHarness(t testing.TB, ctx context.Context, deps Deps, width, height int) *liveHarness {
	t.Helper()
	s := testSettings()
	s.RefreshOnStart = true
	p := &liveHarness{t: t, ctx: ctx, m: New(deps, s), msgs: make(chan tea.Msg)}
	p.m.ctx = ctx
	p.spawn(p.m.Init())
	p.take(tea.WindowSizeMsg{Width: width, Height: height})
	return p
}

func (p *liveHarness) spawn(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				p.spawn(c)
			}
		default:
			select {
			case p.msgs <- msg:
			case <-p.ctx.Done():
			}
		}
	}()
}

func (p *liveHarness) take(msg tea.Msg) {
	next, cmd := p.m.Update(msg)
	p.m = next.(Model)
	p.spawn(cmd)
}

// runUntil takes messages in until done, asked after every frame and
// every 10 ms, and returns the frame then; it fails the test after 30 s.
func (p *liveHarness) runUntil(done func() bool) string {
	p.t.Helper()
	timeout := time.After(30 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		frame := ansi.Strip(p.m.View().Content)
		if done() {
			return frame
		}
		select {
		case msg := <-p.msgs:
			p.take(msg)
		case <-tick.C:
		case <-timeout:
			p.t.Fatalf("gave up after 30 s; the last frame:\n%s", frame)
		}
	}
}

// firstFrame is the first frame that shows the feeds from the cache.
func (p *liveHarness) firstFrame() string { return p.runUntil(func() bool { return p.m.feeds.loaded }) }

// The reader's first frame never waits for an account's server: with the
// refresh on start syncing an account whose server accepts and never
// answers, the feeds from the cache, its feeds among them, are on screen
// while the sync waits.
func TestFirstFrameDoesNotWaitForTheServer(t *testing.T) {
	url, accepted := hangingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := newLiveHarness(t, ctx, startupDeps(t, url), 120, 40)
	frame := p.firstFrame()
	for _, want := range []string{"Feeds · 23 unread", "home", "Planet Go", "World News"} {
		if !strings.Contains(frame, want) {
			t.Fatalf("the first frame lacks %q:\n%s", want, frame)
		}
	}
	// The sync did go to the server, which will not answer it before the
	// client's timeout of 10 minutes, long after runUntil's 30 s.
	p.runUntil(func() bool { return accepted.Load() > 0 })
}

// BenchmarkFirstFrame measures the reader's start to its first frame
// with the feeds (see liveHarness), the refresh on start on, over a cache
// with local and synced feeds: with no account configured, with an
// account whose server accepts and never answers, and with one whose port
// is closed. The three should be alike: no server is waited on.
func BenchmarkFirstFrame(b *testing.B) {
	cases := []struct {
		name string
		url  func(b *testing.B) string
	}{
		{"no-account", func(*testing.B) string { return "" }},
		{"account-server-hangs", func(b *testing.B) string { url, _ := hangingServer(b); return url }},
		{"account-port-closed", func(b *testing.B) string { return "http://" + closedPort(b) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			deps := startupDeps(b, c.url(b))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				ctx, cancel := context.WithCancel(context.Background())
				newLiveHarness(b, ctx, deps, 120, 40).firstFrame()
				b.StopTimer()
				cancel()
				b.StartTimer()
			}
		})
	}
}
