package cli_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bylinehq/byline/bench/feedserver"
	_ "modernc.org/sqlite"
)

type articleState struct{ read, starred bool }

// feedHome starts a feedserver with opts and a home subscribed to its feeds.
func feedHome(t *testing.T, opts feedserver.Options) (*feedserver.Server, *home) {
	t.Helper()
	srv, err := feedserver.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	h := newHome(t, "")
	if err := srv.WriteURLs(filepath.Join(h.dir, "urls")); err != nil {
		t.Fatal(err)
	}
	return srv, h
}

// flipMark flips article id's read flag (or its star) with `byline mark`
// and, if the command succeeded (the user was told so), records the new
// state in want.
func (h *home) flipMark(t *testing.T, when string, id int64, read bool, want map[int64]articleState) bool {
	s := want[id]
	var action string
	if read {
		s.read = !s.read
		action = map[bool]string{true: "read", false: "unread"}[s.read]
	} else {
		s.starred = !s.starred
		action = map[bool]string{true: "star", false: "unstar"}[s.starred]
	}
	if r := h.run("mark", action, itoa(id)); r.code != 0 {
		t.Errorf("%s: mark %s %d during a refresh: exit %d: %s", when, action, id, r.code, r.stderr)
		return false
	}
	want[id] = s
	return true
}

// checkMarks fails the test unless every article in want has the state
// recorded there, and returns how many it checked.
func (h *home) checkMarks(t *testing.T, when string, want map[int64]articleState) int {
	got := map[int64]articleState{}
	for _, a := range h.list() {
		got[a.ID] = articleState{a.Read, a.Starred}
	}
	for id, s := range want {
		if got[id] != s {
			t.Fatalf("%s: article %d is %+v, but the user was told %+v", when, id, got[id], s)
		}
	}
	return len(want)
}

// TestKilledRefreshLosesNothing kills `byline refresh` with SIGKILL at random
// moments while a second process keeps marking articles. Every mark that
// exited 0 was acknowledged to the user and must survive; the database must
// pass integrity_check after every kill; the marking process must never fail
// with "database is locked".
//
// Quick: 10 kills. BYLINE_LONG=1: 30.
func TestKilledRefreshLosesNothing(t *testing.T) {
	srv, h := feedHome(t, feedserver.Options{Feeds: 40, Items: 50, Hosts: 10, ItemWords: 150, Latency: 2 * time.Millisecond, Seed: 7})
	start := time.Now()
	h.ok("refresh")
	fullRefresh := time.Since(start)

	articles := h.list()
	if len(articles) != 40*50 {
		t.Fatalf("first refresh stored %d articles, want %d", len(articles), 40*50)
	}
	want := map[int64]articleState{}
	killAt := rand.New(rand.NewPCG(1, 2))
	pick := rand.New(rand.NewPCG(3, 4)) // used by the marking goroutine only
	kills := 10
	if longMode() {
		kills = 30
	}
	for i := range kills {
		srv.Bump() // every feed has a new item, so the refresh writes

		ctx, cancel := context.WithCancel(context.Background())
		refresh := h.command(ctx, "refresh")
		if err := refresh.Start(); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			for j := range 3 {
				h.flipMark(t, fmt.Sprintf("kill %d", i), articles[pick.IntN(len(articles))].ID, j%2 == 0, want)
			}
		})
		time.Sleep(time.Duration(killAt.Int64N(int64(fullRefresh) + 1)))
		refresh.Process.Signal(syscall.SIGKILL)
		refresh.Wait()
		cancel()
		wg.Wait()

		checkIntegrity(t, h.db())
		h.checkMarks(t, fmt.Sprintf("kill %d", i), want)
	}
	// The cache still works normally afterwards.
	h.ok("refresh")
	checkIntegrity(t, h.db())
}

// TestTwoProcessesAtOnce runs two refreshes and a stream of marks together,
// as a cron job and an open reader would.
func TestTwoProcessesAtOnce(t *testing.T) {
	srv, h := feedHome(t, feedserver.Options{Feeds: 40, Items: 50, Hosts: 10, ItemWords: 150, Seed: 9})
	h.ok("refresh")
	articles := h.list()
	srv.Bump()

	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if r := h.run("refresh"); r.code != 0 || strings.Contains(r.stderr, "locked") {
				t.Errorf("concurrent refresh: exit %d: %s", r.code, r.stderr)
			}
		})
	}
	wg.Go(func() {
		for _, a := range articles[:20] {
			if r := h.run("mark", "star", itoa(a.ID)); r.code != 0 {
				t.Errorf("mark during refresh: exit %d: %s", r.code, r.stderr)
			}
		}
	})
	wg.Wait()
	if n := len(h.list("--starred")); n != 20 {
		t.Errorf("starred %d of 20", n)
	}
	if n := len(h.list()); n != 40*51 {
		t.Errorf("articles after concurrent refreshes: %d, want %d", n, 40*51)
	}
	checkIntegrity(t, h.db())
}

func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var verdict string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&verdict); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	if verdict != "ok" {
		t.Fatalf("integrity_check: %s", verdict)
	}
}
