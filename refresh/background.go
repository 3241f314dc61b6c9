package refresh

import (
	"context"
	"fmt"
	"slices"
	"time"

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

// indexBudget bounds the search indexing after a refresh. It is generous:
// the 10,000 articles of a cold refresh of 200 large feeds take a few
// seconds, and whatever is left is indexed after the next refresh.
const indexBudget = 2 * time.Minute

// Finish does what follows a refresh: retention (read, unstarred articles
// older than keep-days go, and those past max-items; each feed's own
// settings where it has them), then indexing the new articles' text for
// search (their titles and summaries are searchable at once; bodies are
// indexed here in large batches, which costs far less than one small
// batch per feed), then merging the index.
func Finish(ctx context.Context, store Cache, rules Rules) error {
	if rules.hasRetention() {
		feeds, err := store.Feeds(ctx)
		if err != nil {
			return err
		}
		if _, err := store.Retain(ctx, rules.retention(feeds, time.Now())); err != nil {
			return err
		}
	}
	if _, err := store.IndexPending(ctx, indexBudget); err != nil {
		return err
	}
	return store.Maintain(ctx)
}

// Background runs refreshes for the interactive reader, which wants the
// progress as a stream it can wait on between frames.
type Background struct {
	Store   Cache
	Fetcher Fetcher
	Rules   Rules
}

// Refresh fetches the feeds with the given ids (nil: all) and sends the
// progress after every feed; the channel closes when the refresh is over,
// Finish's work included, so that the reader never starts another refresh
// while this one still writes. Whatever stops it (the feeds cannot be
// listed, a result cannot be stored, Finish fails) is sent as a last
// event with Err set.
func (b Background) Refresh(ctx context.Context, feedIDs []int64) <-chan Progress {
	events := make(chan Progress)
	go func() {
		defer close(events)
		send := func(p Progress) {
			select {
			case events <- p:
			case <-ctx.Done():
			}
		}
		if err := b.run(ctx, feedIDs, send); err != nil {
			if ctx.Err() == nil {
				send(Progress{Err: err})
			}
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
	if _, err := Run(ctx, b.Store, b.Fetcher, feeds, b.Rules, time.Now(), send); err != nil {
		return fmt.Errorf("refresh stopped, nothing after this was saved: %w", err)
	}
	if err := Finish(ctx, b.Store, b.Rules); err != nil {
		return fmt.Errorf("after the refresh (retention, search indexing): %w", err)
	}
	return nil
}
