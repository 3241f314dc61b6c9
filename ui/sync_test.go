package ui

import (
	"fmt"
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
