package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// readerFeedList is the urls file as the reader's a, d and E edit it
// (ui.FeedList): each edit changes the file in place and brings the
// cache's subscriptions in line, as the add and remove commands do.
type readerFeedList struct {
	e       *env
	store   *cache.Store
	fetcher *feed.Fetcher
	mu      sync.Mutex // one edit of the file at a time
}

func (l *readerFeedList) path() string { return l.e.paths.URLsFile() }

func (l *readerFeedList) Queries(context.Context) ([]news.Subscription, error) {
	list, _, err := config.LoadFeedList(l.path())
	return list.Queries, err
}

func (l *readerFeedList) Lookup(_ context.Context, url string) (news.Subscription, error) {
	return config.LookupURL(l.path(), url)
}

// Add subscribes as `byline add` does, finding the feed of a page; the
// reader fetches it.
func (l *readerFeedList) Add(ctx context.Context, target, title string, tags []string) (news.Feed, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	found, err := discoverFeeds(ctx, l.fetcher, target)
	if err != nil {
		return news.Feed{}, err
	}
	sub := news.Subscription{URL: found[0], Title: title, Tags: tags}
	if err := config.AddURL(l.path(), sub); errors.Is(err, config.ErrDuplicate) {
		return news.Feed{}, fmt.Errorf("already subscribed to %s", sub.URL)
	} else if err != nil {
		return news.Feed{}, err
	}
	if err := l.e.syncSubscriptions(ctx, l.store); err != nil {
		return news.Feed{}, err
	}
	feeds, err := l.store.Feeds(ctx)
	if err != nil {
		return news.Feed{}, err
	}
	for _, f := range feeds {
		if f.URL == sub.URL {
			return f, nil
		}
	}
	return news.Feed{}, fmt.Errorf("add %s: the feed list has it, the cache does not", sub.URL)
}

func (l *readerFeedList) Remove(ctx context.Context, f news.Feed) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f.Account != "" {
		return l.e.unsubscribeRemote(ctx, l.store, f)
	}
	removed, err := config.RemoveURL(l.path(), f.URL)
	if err != nil {
		return err
	}
	if len(removed) == 0 {
		return fmt.Errorf("remove %s: it is no longer in %s", f.URL, l.path())
	}
	return l.e.syncSubscriptions(ctx, l.store)
}

func (l *readerFeedList) Edit(ctx context.Context, url, title string, tags []string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := config.UpdateURL(l.path(), url, title, tags); err != nil {
		return err
	}
	return l.e.syncSubscriptions(ctx, l.store)
}

// discoverFeeds finds the feeds at target, a feed's URL or a web page's.
func discoverFeeds(ctx context.Context, fetcher *feed.Fetcher, target string) ([]string, error) {
	target = strings.TrimSpace(target)
	if !isWebURL(target) {
		return nil, fmt.Errorf("add %q: only http and https URLs can be subscribed to", target)
	}
	found, err := fetcher.Discover(ctx, target)
	if err != nil {
		return nil, fmt.Errorf("add %s: %w", target, err)
	}
	return found, nil
}
