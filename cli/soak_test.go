package cli_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/bench/feedserver"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// TestSoak refreshes many feeds round after round in one process, as the
// reader does when left open, while a tenth of the feeds fail at random
// each round (HTTP 500, a reset before the answer, a reset mid-body). After
// every round the goroutines and open file descriptors must return to their
// counts before the first, and RSS must stay flat.
//
// It runs in-process (refresh.Run and refresh.Finish over one feed.Fetcher
// and one cache.Store, wired as cli/refresh.go wires them) so that it can
// count this process's goroutines and descriptors. Quick: 200 feeds × 5
// rounds. BYLINE_SOAK=1: 2,000 feeds × 20 rounds.
func TestSoak(t *testing.T) {
	feeds, rounds := 200, 5
	if os.Getenv("BYLINE_SOAK") != "" {
		feeds, rounds = 2000, 20
	}
	srv, err := feedserver.Start(feedserver.Options{Feeds: feeds, Items: 20, ItemWords: 150, Seed: 5, FailRate: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })

	ctx := context.Background()
	store, err := cache.Open(filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	subs := make([]news.Subscription, 0, feeds)
	for _, u := range srv.URLs() {
		subs = append(subs, news.Subscription{URL: u})
	}
	if err := store.SyncSubscriptions(ctx, subs); err != nil {
		t.Fatal(err)
	}
	fetcher := feed.NewFetcher(feed.Options{UserAgent: "byline-soak", Timeout: 20 * time.Second})

	base := takeSample()
	t.Logf("before: %s", base)
	type point struct {
		sample
		round   int
		dur     time.Duration
		summary refresh.Summary
	}
	var curve []point
	for round := 1; round <= rounds; round++ {
		if round > 1 {
			srv.Bump() // a new item in every feed, and a new 10% that fail
		}
		all, err := store.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		sum, err := refresh.Run(ctx, store, fetcher, all, refresh.Rules{}, time.Now(), nil)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		t.Logf("round %d: run %v", round, time.Since(start))
		if err := refresh.Finish(ctx, store, refresh.Rules{}, refresh.FinishBudget); err != nil {
			t.Fatalf("round %d: finish: %v", round, err)
		}
		dur := time.Since(start)
		if sum.OK+sum.Failed != feeds || sum.Failed < feeds*3/100 || sum.Failed > feeds*20/100 {
			t.Errorf("round %d: %+v; want all %d feeds fetched, about 10%% failed", round, sum, feeds)
		}
		// Idle keep-alive connections are a pool, not a leak: the server
		// drops them, as servers do, before anything is counted.
		s := settle(base, srv.DropIdleConns)
		curve = append(curve, point{s, round, dur, sum})
	}

	var b strings.Builder
	fmt.Fprintf(&b, "soak: %d feeds × %d rounds, 10%% failing\n| round | ok | failed | new | refresh+finish | goroutines | fds | RSS MiB | heap MiB |\n|---|---|---|---|---|---|---|---|---|\n", feeds, rounds)
	fmt.Fprintf(&b, "| before | | | | | %d | %d | %.1f | %.1f |\n", base.goroutines, base.fds, base.rssMiB(), base.heapMiB())
	for _, p := range curve {
		fmt.Fprintf(&b, "| %d | %d | %d | %d | %.2f s | %d | %d | %.1f | %.1f |\n", p.round, p.summary.OK, p.summary.Failed, p.summary.New,
			p.dur.Seconds(), p.goroutines, p.fds, p.rssMiB(), p.heapMiB())
	}
	t.Log("\n" + b.String())

	for _, p := range curve {
		if p.goroutines > base.goroutines+goroutineSlack || p.fds > base.fds+fdSlack {
			t.Errorf("round %d: %d goroutines, %d fds; before the first round %d and %d", p.round, p.goroutines, p.fds, base.goroutines, base.fds)
		}
	}
	ref := curve[min(2, len(curve)-1)] // round 3: caches and pools have filled
	if last := curve[len(curve)-1]; float64(last.rssKB) > 1.25*float64(ref.rssKB) {
		t.Errorf("RSS grew from %.1f MiB after round %d to %.1f MiB after round %d", ref.rssMiB(), ref.round, last.rssMiB(), last.round)
	}
}

// The runtime and the timers of database/sql may hold a goroutine or two
// more at any moment; a leak grows with every feed or round.
const (
	goroutineSlack = 2
	fdSlack        = 1
)

type sample struct {
	goroutines, fds int
	rssKB           int64
	heap            uint64
}

func (s sample) rssMiB() float64  { return float64(s.rssKB) / 1024 }
func (s sample) heapMiB() float64 { return float64(s.heap) / (1 << 20) }
func (s sample) String() string {
	return fmt.Sprintf("%d goroutines, %d fds, RSS %.1f MiB, heap %.1f MiB", s.goroutines, s.fds, s.rssMiB(), s.heapMiB())
}

func takeSample() sample {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s := sample{goroutines: runtime.NumGoroutine(), heap: m.HeapInuse}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		s.fds = len(fds)
	}
	s.rssKB = statusKB("/proc/self/status", "VmRSS:")
	return s
}

// settle samples until goroutines and descriptors are back within the
// slack of base, for up to ten seconds: connections closing and their
// goroutines exiting take a moment.
func settle(base sample, dropIdle func()) sample {
	deadline := time.Now().Add(10 * time.Second)
	for {
		dropIdle()
		time.Sleep(50 * time.Millisecond)
		s := takeSample()
		if (s.goroutines <= base.goroutines+goroutineSlack && s.fds <= base.fds+fdSlack) || time.Now().After(deadline) {
			return s
		}
		time.Sleep(200 * time.Millisecond)
	}
}
