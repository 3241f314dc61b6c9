package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bylinehq/byline/account"
	"github.com/bylinehq/byline/refresh"
)

// R syncs accounts too: their steps show while the refresh runs, and an
// account whose server cannot be reached leaves "offline: N changes
// waiting" in the status line.
func TestRefreshShowsAccountSyncAndWaitingChanges(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 120, 24)
	step := refresh.Progress{Account: &refresh.AccountResult{Name: "home", Step: "entries: 120 new"}}
	h.m.refresh = refreshState{running: true}
	next, _ := h.m.Update(refreshProgressMsg{progress: step, events: make(chan refresh.Progress)})
	h.m = next.(Model)
	if status := h.statusLine(); !strings.Contains(status, "home: entries: 120 new") {
		t.Fatalf("status while syncing = %q", status)
	}

	down := fmt.Errorf("account home: %w: cannot reach rss.example (connection refused)", account.ErrOffline)
	f.refresher.events = append(progressEvents(f.feeds, nil, 1),
		refresh.Progress{Account: &refresh.AccountResult{Name: "home", Done: true, Waiting: 3, Err: down}})
	h.m.refresh = refreshState{}
	h.press("R")
	status := h.statusLine()
	if !h.m.status.offline || !strings.Contains(status, "offline: 3 changes waiting") || !strings.Contains(status, "cannot reach rss.example") {
		t.Fatalf("status after a sync with the server down = %q", status)
	}
}

// What an account's sync brought counts as a feed's does: in the status
// line (with what the ignore rules kept out) and in the notification.
func TestSyncedNewsIsToldAsLocalNews(t *testing.T) {
	f := newFixture(t)
	notified := filepath.Join(t.TempDir(), "notified")
	script := filepath.Join(t.TempDir(), "notify")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$1\" > "+notified+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := testSettings()
	s.NotifyCommand = []string{script}
	h := newHarness(t, f.deps(), s, 120, 24)
	events := progressEvents(f.feeds, nil, 0)
	events[0].Last.New, events[0].New, events[0].Ignored = 2, 2, 1
	for i := range events[1:] {
		events[i+1].New, events[i+1].Ignored = 2, 1
	}
	f.refresher.events = append(events,
		refresh.Progress{Account: &refresh.AccountResult{Name: "home", Done: true, New: 3, Ignored: 4}})
	h.press("R")
	if status := h.statusLine(); !strings.Contains(status, "and home: 5 new articles, 5 ignored") {
		t.Fatalf("status after a refresh and a sync = %q", status)
	}
	eventually(t, func() bool { b, _ := os.ReadFile(notified); return string(b) == "5 new in 1 feed and home" })

	// An account alone.
	f.refresher.events = []refresh.Progress{{Account: &refresh.AccountResult{Name: "home", Done: true, New: 1}}}
	h.press("R")
	eventually(t, func() bool { b, _ := os.ReadFile(notified); return string(b) == "1 new in home" })
}

// The marks a sync sent, and the flags the server changed, are told in
// the status line as byline sync tells them: after the server is back,
// "offline: N changes waiting" gives way to where they went.
func TestSyncSaysWhatItSent(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 120, 24)
	down := fmt.Errorf("account home: %w: cannot reach rss.example (connection refused)", account.ErrOffline)
	f.refresher.events = []refresh.Progress{{Account: &refresh.AccountResult{Name: "home", Done: true, Waiting: 6, Err: down}}}
	h.press("R")
	if status := h.statusLine(); !strings.Contains(status, "offline: 6 changes waiting") {
		t.Fatalf("status with the server down = %q", status)
	}
	f.refresher.events = append(progressEvents(f.feeds, nil, 0),
		refresh.Progress{Account: &refresh.AccountResult{Name: "home", Done: true, Pushed: 6, Changed: 2}})
	h.press("R")
	status := h.statusLine()
	if h.m.status.offline || strings.Contains(status, "waiting") || !strings.Contains(status, "Refreshed 3 feeds and home: 0 new articles, 6 changes sent, 2 read/starred changes from the server") {
		t.Fatalf("status after the server came back = %q", status)
	}
}

// A sync of an account alone (R on its row) is told as a sync, not as a
// refresh of no feed.
func TestSyncAloneIsToldAsASync(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 120, 24)
	f.refresher.events = []refresh.Progress{{Account: &refresh.AccountResult{Name: "home", Done: true, New: 2, Pushed: 1}}}
	h.press("R")
	if status := h.statusLine(); !strings.Contains(status, "Synced home: 2 new articles, 1 change sent") || strings.Contains(status, "0 feeds") {
		t.Fatalf("status after a sync alone = %q", status)
	}
}
