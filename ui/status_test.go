package ui

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// progressEvents scripts a refresh of feeds in which the ones at the
// indexes in failed fail with err.
func progressEvents(feeds []news.Feed, failed map[int]error, newPerFeed int) []refresh.Progress {
	var events []refresh.Progress
	var sum refresh.Summary
	for i, fd := range feeds {
		r := feed.Result{URL: fd.URL, Status: feed.StatusOK}
		n := newPerFeed
		if err, ok := failed[i]; ok {
			r = feed.Result{URL: fd.URL, Status: feed.StatusFailed, Err: err}
			n = 0
			sum.Failed++
		} else {
			sum.OK++
		}
		sum.New += n
		events = append(events, refresh.Progress{Done: i + 1, Total: len(feeds), Summary: sum,
			Last: refresh.Outcome{Feed: fd, Result: r, New: n}})
	}
	return events
}

func dialError(host string) error {
	return fmt.Errorf("fetch http://%s/: %w", host, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")})
}

func TestRefreshOnStartRunsInBackground(t *testing.T) {
	f := newFixture(t)
	f.refresher.events = progressEvents(f.feeds, nil, 0)
	s := testSettings()
	s.RefreshOnStart = true
	h := newHarness(t, f.deps(), s, 80, 24)
	if len(f.refresher.asked) != 1 || f.refresher.asked[0] != nil {
		t.Fatalf("refresh on start asked for %v", f.refresher.asked)
	}
	if h.m.refresh.running || !strings.Contains(h.statusLine(), "Refreshed 3 feeds: 0 new articles") {
		t.Fatalf("status = %q", h.statusLine())
	}
}

func TestRefreshShowsProgressWhileRunning(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	events := progressEvents(f.feeds, nil, 0)
	h.m.refresh = refreshState{running: true}
	// Update alone: the command it returns waits on the channel.
	next, cmd := h.m.Update(refreshProgressMsg{progress: events[0], events: make(chan refresh.Progress)})
	h.m = next.(Model)
	if cmd == nil {
		t.Fatal("no command re-arms the wait for the next event")
	}
	status := h.statusLine()
	if !strings.Contains(status, "1/3") || !strings.Contains(status, "33%") {
		t.Fatalf("status while refreshing = %q", status)
	}
}

func TestRefreshKeys(t *testing.T) {
	f := newFixture(t)
	f.refresher.events = progressEvents(f.feeds[:1], nil, 2)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("R")
	h.press("G", "r")                     // Go Blog
	h.press("g", "j", "j", "j", "j", "r") // #tech
	h.press("enter", "r")                 // in the #tech list
	want := [][]int64{nil, {f.feeds[2].ID}, {f.feeds[1].ID, f.feeds[2].ID}, {f.feeds[1].ID, f.feeds[2].ID}}
	if len(f.refresher.asked) != len(want) {
		t.Fatalf("asked %v, want %v", f.refresher.asked, want)
	}
	for i := range want {
		if !slices.Equal(f.refresher.asked[i], want[i]) {
			t.Fatalf("refresh %d asked %v, want %v", i, f.refresher.asked[i], want[i])
		}
	}
	if !strings.Contains(h.statusLine(), "Refreshed 1 feed: 2 new articles") {
		t.Fatalf("status = %q", h.statusLine())
	}
}

func TestRefreshWithEveryFeedUnreachableIsOffline(t *testing.T) {
	f := newFixture(t)
	f.refresher.events = progressEvents(f.feeds, map[int]error{0: dialError("a"), 1: dialError("b"), 2: &net.DNSError{Err: "no such host", Name: "c"}}, 0)
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("R")
	if !h.m.status.offline || !strings.Contains(h.statusLine(), "offline") {
		t.Fatalf("not offline: %q", h.statusLine())
	}
	// One server failing is not being offline.
	f.refresher.events = progressEvents(f.feeds, map[int]error{0: errors.New("HTTP 500")}, 1)
	h.press("R")
	if h.m.status.offline || !strings.Contains(h.statusLine(), "1 failed") {
		t.Fatalf("offline=%v status %q", h.m.status.offline, h.statusLine())
	}
}

func TestRefreshWithoutRefresher(t *testing.T) {
	f := newFixture(t)
	deps := f.deps()
	deps.Refresher = nil
	h := newHarness(t, deps, testSettings(), 80, 24)
	h.press("R")
	if !strings.Contains(h.statusLine(), "not available") {
		t.Fatalf("status = %q", h.statusLine())
	}
}

func TestHelpIsGeneratedFromKeyMap(t *testing.T) {
	f := newFixture(t)
	s := testSettings()
	s.Keys = map[string][]string{"toggle-star": {"S", "f"}}
	h := newHarness(t, f.deps(), s, 140, 40)
	h.press("?")
	h.requireView("Keys", "S/f", "toggle star", "tab", "next link", "L", "link list")
	h.press("?")
	if h.m.help.active {
		t.Fatal("? did not close help")
	}
	h.press("enter", "f")
	if a, _ := h.m.items.selected(); !a.Starred {
		t.Fatal("the rebound key did not star")
	}
}

func TestInvalidKeysShowInStatusLine(t *testing.T) {
	f := newFixture(t)
	s := testSettings()
	s.Keys = map[string][]string{"fly": {"x"}, "up": {"ctlr+k"}}
	h := newHarness(t, f.deps(), s, 80, 24)
	if st := h.statusLine(); !strings.Contains(st, `unknown action "fly"`) {
		t.Fatalf("status = %q", st)
	}
	h.press("j", "k") // the defaults still work
	if h.m.feeds.cursor != 0 {
		t.Fatalf("cursor = %d", h.m.feeds.cursor)
	}
}

func TestIsNetworkDown(t *testing.T) {
	proxied := &net.OpError{Op: "proxyconnect", Net: "tcp", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}
	for _, c := range []struct {
		err  error
		down bool
	}{
		{dialError("a"), true},
		{fmt.Errorf("fetch: %w", proxied), true},
		{&net.DNSError{Err: "no such host", Name: "x"}, true},
		{&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset")}, false},
		{errors.New("HTTP 500"), false},
		{nil, false},
	} {
		if got := isNetworkDown(c.err); got != c.down {
			t.Errorf("isNetworkDown(%v) = %v", c.err, got)
		}
	}
}

func TestRefreshStoppedByTheCacheSaysSo(t *testing.T) {
	f := newFixture(t)
	events := progressEvents(f.feeds[:1], nil, 1)
	// The refresher's error says what stopped (refresh.Background words it).
	f.refresher.events = append(events, refresh.Progress{Err: errors.New("refresh stopped, nothing after this was saved: disk I/O error")})
	h := newHarness(t, f.deps(), testSettings(), 80, 24)
	h.press("R")
	if status := h.statusLine(); !strings.Contains(status, "refresh stopped") || !strings.Contains(status, "disk I/O error") {
		t.Fatalf("status = %q", status)
	}
}
