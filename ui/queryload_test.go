package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/bylinehq/byline/news"
)

// slowQueries is a Store that counts the query feeds only once release
// is closed.
type slowQueries struct {
	Store
	release chan struct{}
}

func (s slowQueries) QueryFeeds(ctx context.Context, subs []news.Subscription) ([]news.Feed, error) {
	select {
	case <-s.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.Store.QueryFeeds(ctx, subs)
}

// The feed list is drawn without waiting for the query feeds' counts,
// which may read every article: their rows are there from the first
// frame, the counts come in after, and the cursor stays on its row.
func TestFeedListDoesNotWaitForQueryCounts(t *testing.T) {
	f := newFixture(t)
	deps := f.deps()
	deps.FeedList = newFileFeedList(t, f, `"query:River in tech:tags # \"tech\" and title =~ \"river\""`+"\n")
	release := make(chan struct{})
	deps.Store = slowQueries{Store: deps.Store, release: release}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := newLiveHarness(t, ctx, deps, 80, 24)

	lines := strings.Split(p.firstFrame(), "\n")
	if !strings.Contains(lines[4], "River in tech") || strings.TrimSpace(strings.ReplaceAll(lines[4], "River in tech", "")) != "" ||
		!strings.Contains(strings.Join(lines, "\n"), "World News") {
		t.Fatalf("want the feeds and the query feed's row, not yet counted:\n%s", strings.Join(lines, "\n"))
	}
	for range 3 {
		p.take(keyPress("j"))
	}
	if row, _ := p.m.feeds.selected(); row.kind != rowQuery {
		t.Fatalf("three rows down is %+v, want the query feed", row)
	}

	close(release)
	frame := p.runUntil(func() bool { row, _ := p.m.feeds.selected(); return row.unread == 10 })
	lines = strings.Split(frame, "\n")
	if !strings.Contains(lines[4], "River in tech") || !strings.HasSuffix(strings.TrimRight(lines[4], " "), "10") {
		t.Fatalf("the query feed's count did not come in:\n%s", frame)
	}
	if row, _ := p.m.feeds.selected(); row.kind != rowQuery || p.m.feedsLoading {
		t.Fatalf("after the counts the cursor is on %+v (loading %v)", row, p.m.feedsLoading)
	}
}
