package refresh

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/bylinehq/byline/account"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/news"
)

// Cache is what a whole refresh needs of the store, the work after it
// included; cache.Store satisfies it.
type Cache interface {
	Store
	Feeds(ctx context.Context) ([]news.Feed, error)
	Retain(ctx context.Context, r cache.Retention) (int, error)
	IndexPending(ctx context.Context, budget time.Duration) (int, error)
	Maintain(ctx context.Context) error
}

// Budgets for the search indexing and index merging that follow a
// refresh. Indexing is most of the cost of storing articles (a cold
// refresh of 200 large feeds leaves two seconds of it), so a refresh does
// it only in FinishBudget, and only if it can finish it there: a larger
// backlog is left to the next search, which indexes what is pending first,
// and, in the reader, to the background right after its refresh, for up to
// catchUpBudget.
const (
	FinishBudget  = 100 * time.Millisecond
	catchUpBudget = 2 * time.Minute
)

// Finish does what follows a refresh: retention (read, unstarred articles
// older than keep-days go, and those past max-items; each feed's own
// settings where it has them), then indexing new articles for search and
// merging the index's segments, which share budget: the merging gets at
// least half of it, so that segments do not pile up when each refresh
// leaves a backlog.
//
// The indexing is done only if all that is pending fits in its half, as a
// first small batch's pace predicts: a part of a larger backlog indexed
// here made the user wait for nothing, the next search indexing the rest
// first all the same (the refresh after a cold one spent 50 ms of its 0.4 s
// on 250 of 9,000 pending articles). Such a backlog is left to the next
// search and the reader's background catch-up.
func Finish(ctx context.Context, store Cache, rules Rules, budget time.Duration) error {
	deadline := time.Now().Add(budget)
	if rules.hasRetention() {
		feeds, err := store.Feeds(ctx)
		if err != nil {
			return err
		}
		if _, err := store.Retain(ctx, rules.retention(feeds, time.Now())); err != nil {
			return err
		}
	}
	if err := indexIfItFits(ctx, store, time.Until(deadline)/2); err != nil {
		return err
	}
	if least := time.Now().Add(budget / 2); deadline.Before(least) {
		deadline = least
	}
	merge, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	return store.Maintain(merge)
}

// indexIfItFits indexes what is pending if its first batch's pace says
// the rest takes at most budget.
func indexIfItFits(ctx context.Context, store Cache, budget time.Duration) error {
	start := time.Now()
	before, err := store.IndexPending(ctx, 0)
	if err != nil || before == 0 {
		return err
	}
	// The smallest positive budget is one batch, the first and smallest.
	left, err := store.IndexPending(ctx, time.Nanosecond)
	if err != nil || left == 0 || left == before {
		return err
	}
	spent := time.Since(start)
	perArticle := spent / time.Duration(before-left)
	if rest := budget - spent; time.Duration(left)*perArticle <= rest {
		_, err = store.IndexPending(ctx, rest)
	}
	return err
}

// Background runs refreshes for the interactive reader, which wants the
// progress as a stream it can wait on between frames.
type Background struct {
	Store    BackgroundStore
	Fetcher  Fetcher
	Accounts []account.Client
	Rules    Rules
}

// BackgroundStore is what a Background refresh needs of the cache;
// cache.Store satisfies it.
type BackgroundStore interface {
	Cache
	SyncStore
}

// Refresh fetches the feeds with the given ids (nil: all) and sends the
// progress after every feed; the channel closes when the refresh is over,
// Finish's work included, so that the reader never starts another refresh
// while this one still stores articles. Whatever stops it (the feeds
// cannot be listed, a result cannot be stored, Finish fails) is sent as a
// last event with Err set. Indexing the new articles for search then goes
// on in the background, a batch per transaction, until it is done or ctx
// ends; a refresh started meanwhile waits at most a batch for the cache.
func (b Background) Refresh(ctx context.Context, feedIDs []int64) <-chan Progress {
	events := make(chan Progress)
	go func() {
		send := func(p Progress) {
			select {
			case events <- p:
			case <-ctx.Done():
			}
		}
		err := b.run(ctx, feedIDs, send)
		if err != nil && ctx.Err() == nil {
			send(Progress{Err: err})
		}
		close(events) // the reader shows the refresh as done from here
		if err == nil {
			// What is left when ctx ends, the next search or refresh does.
			_ = Finish(ctx, b.Store, Rules{}, catchUpBudget)
		}
	}()
	return events
}

func (b Background) run(ctx context.Context, feedIDs []int64, send func(Progress)) error {
	feeds, err := b.Store.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	if feedIDs != nil {
		feeds = slices.DeleteFunc(feeds, func(f news.Feed) bool { return !slices.Contains(feedIDs, f.ID) })
	}
	// The urls file's feeds are fetched; synced ones come with their
	// accounts' syncs.
	var local []news.Feed
	var accounts []account.Client
	for _, f := range feeds {
		if f.Account == "" {
			local = append(local, f)
		}
	}
	for _, c := range b.Accounts {
		if feedIDs == nil || slices.ContainsFunc(feeds, func(f news.Feed) bool { return f.Account == c.Name() }) {
			accounts = append(accounts, c)
		}
	}
	if _, _, err := Refresh(ctx, b.Store, b.Fetcher, local, b.Rules, accounts, time.Now(), send); err != nil {
		return fmt.Errorf("refresh stopped, nothing after this was saved: %w", err)
	}
	if err := Finish(ctx, b.Store, b.Rules, FinishBudget); err != nil {
		return fmt.Errorf("after the refresh (retention, search indexing): %w", err)
	}
	return nil
}
