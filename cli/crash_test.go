package cli_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bylinehq/byline/bench/feedserver"
)

// TestKilledFullTextRefreshLosesNothing is TestKilledRefreshLosesNothing
// with full-text prefetching: `byline refresh --full-text` fetches feeds,
// then fetches, extracts and stores article pages, and is killed with
// SIGKILL at a random moment of that while a second process keeps marking
// articles read, unread, starred and unstarred. After every kill the
// database must pass integrity_check and every mark that exited 0 (was
// acknowledged to the user) must be in it.
//
// Quick: 10 kills. BYLINE_LONG=1: 50.
func TestKilledFullTextRefreshLosesNothing(t *testing.T) {
	kills := 10
	if longMode() {
		kills = 50
	}
	const feeds, items, bumps = 20, 30, 5
	srv, h := feedHome(t, feedserver.Options{Feeds: feeds, Items: items, Hosts: 5, ItemWords: 100, // under 150 words: a teaser, so the page is fetched
		Latency: 2 * time.Millisecond, Seed: 13, Pages: true})

	// A first full run, then a timed round like the ones to be killed:
	// every round adds `bumps` items to every feed, so it stores
	// feeds×bumps new articles and then fetches and extracts their pages.
	h.ok("refresh", "--full-text")
	for range bumps {
		srv.Bump()
	}
	pagesBefore := srv.Stats().Pages
	start := time.Now()
	out := h.ok("refresh", "--full-text")
	window := time.Since(start)
	if n := srv.Stats().Pages - pagesBefore; n < feeds*bumps || !strings.Contains(out, "; 0 could not be read") {
		t.Fatalf("the timed round fetched %d pages, want %d:\n%s", n, feeds*bumps, out)
	}
	articles := h.list()
	t.Logf("a round (%d new articles and pages) takes %v; %d articles so far", feeds*bumps, window.Round(time.Millisecond), len(articles))

	want := map[int64]articleState{}
	killAt := rand.New(rand.NewPCG(5, 6))
	pick := rand.New(rand.NewPCG(7, 8)) // the marking goroutine's only
	var killed, finished, inPrefetch, marks, statesChecked int
	for i := range kills {
		for range bumps {
			srv.Bump()
		}
		pagesBefore := srv.Stats().Pages
		ctx, cancel := context.WithCancel(context.Background())
		refresh := h.command(ctx, "refresh", "--full-text")
		if err := refresh.Start(); err != nil {
			t.Fatal(err)
		}
		var stop atomic.Bool
		var wg sync.WaitGroup
		wg.Go(func() {
			// At least two marks per round, more while the refresh lasts.
			for j := 0; j < 2 || !stop.Load(); j++ {
				if h.flipMark(t, fmt.Sprintf("kill %d", i), articles[pick.IntN(len(articles))].ID, j%2 == 0, want) {
					marks++
				}
			}
		})
		// Any moment of the run; every other kill in its second half, where
		// the pages are fetched, extracted and stored.
		at := killAt.Int64N(int64(window) + 1)
		if i%2 == 1 {
			at = int64(window)/2 + killAt.Int64N(int64(window)/2+1)
		}
		time.Sleep(time.Duration(at))
		refresh.Process.Signal(syscall.SIGKILL)
		err := refresh.Wait()
		stop.Store(true)
		cancel()
		wg.Wait()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && exitErr.Sys().(syscall.WaitStatus).Signaled() {
			killed++
		} else if err == nil {
			finished++ // it ended before its kill came; the checks hold all the same
		} else {
			t.Fatalf("kill %d: refresh: %v", i, err)
		}
		pages := srv.Stats().Pages - pagesBefore
		if pages > 0 {
			inPrefetch++
		}
		t.Logf("kill %d: after %d pages of this round", i, pages)

		checkIntegrity(t, h.db())
		statesChecked += h.checkMarks(t, fmt.Sprintf("kill %d", i), want)
	}
	t.Logf("%d runs: %d killed mid-run (%d of them once page fetching had begun), %d finished before the kill; "+
		"%d acknowledged marks; %d article states checked after kills (%d distinct articles)",
		kills, killed, inPrefetch, finished, marks, statesChecked, len(want))
	if killed < kills/3 { // on a busy machine a round may end before its kill now and then, not often
		t.Errorf("only %d of %d runs were killed mid-run", killed, kills)
	}
	// The cache still works normally afterwards, kept pages included.
	out = h.ok("refresh", "--full-text")
	if !strings.Contains(out, "; 0 could not be read") {
		t.Errorf("refresh after the kills:\n%s", out)
	}
	checkIntegrity(t, h.db())

	// Kept pages read offline: with the server gone, the newest articles
	// still open as their extracted pages.
	srv.Close()
	for _, a := range h.list("--limit", "10") {
		// Without its kept page the article would fall back to the feed's
		// text with a notice on stderr, the fetch having failed.
		if r := h.run("read", itoa(a.ID)); r.code != 0 || r.stderr != "" || r.stdout == "" {
			t.Errorf("article %d offline: exit %d, stderr %q", a.ID, r.code, r.stderr)
		}
	}
}
