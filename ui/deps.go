package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// Store is the part of the cache the TUI reads and writes; *cache.Store
// satisfies it.
type Store interface {
	Feeds(ctx context.Context) ([]news.Feed, error)
	Articles(ctx context.Context, f news.Filter) ([]news.Article, error)
	Count(ctx context.Context, f news.Filter) (int, error)
	SetRead(ctx context.Context, ids []int64, read bool) error
	SetStarred(ctx context.Context, ids []int64, starred bool) error
	MarkAllRead(ctx context.Context, f news.Filter) (int, error)
	Search(ctx context.Context, query string, limit int) ([]news.Hit, error)
	// SearchCount is how many articles Search would find with no limit.
	SearchCount(ctx context.Context, query string) (int, error)
	// Waiting counts the marks of synced articles not yet on their
	// servers, by account.
	Waiting(ctx context.Context) (map[string]int, error)
	// QueryFeeds counts the articles of query feeds (Subscription.Query).
	QueryFeeds(ctx context.Context, subs []news.Subscription) ([]news.Feed, error)
}

// FeedList is the feed list (the urls file) as the reader edits it. The
// CLI's keeps the cache's subscriptions in line with the file after every
// change, and edits the file in place, keeping its comments and order.
type FeedList interface {
	// Queries returns the query feeds, read from the file as it is now.
	Queries(ctx context.Context) ([]news.Subscription, error)
	// Add subscribes to target, a feed or a web page whose feed is found,
	// under title (empty: the feed's own) with tags, and returns the new
	// subscription.
	Add(ctx context.Context, target, title string, tags []string) (news.Feed, error)
	// Lookup returns the line of the feed or query feed with the URL.
	Lookup(ctx context.Context, url string) (news.Subscription, error)
	// Remove unsubscribes from the feed or query feed f (a query feed's
	// URL is its query: token); a sync account's feed is unsubscribed on
	// its server. Starred articles stay.
	Remove(ctx context.Context, f news.Feed) error
	// Edit gives the feed or query feed with the URL a title and tags.
	Edit(ctx context.Context, url, title string, tags []string) error
}

// Reader turns stored articles and links into readable articles.
type Reader interface {
	// Story returns the article's text as mode says ("" is the feed's
	// setting, "never" the feed's text, "always" the page): cached full
	// text, the feed's text, or a freshly extracted page; offline it falls
	// back with Notice set.
	Story(ctx context.Context, a news.Article, mode config.FullText) (*article.Article, error)
	// Follow opens a link found in an article.
	Follow(ctx context.Context, url string) (*article.Article, error)
	// Similar lists up to limit cached articles about the same story.
	Similar(ctx context.Context, a news.Article, limit int) ([]news.Article, error)
}

// Renderer draws an article as styled terminal text at a width, with its
// pictures drawn as pics says; article.RenderPictures is the one byline
// uses. It must be safe for concurrent use.
type Renderer interface {
	Render(a *article.Article, width int, style article.Style, pics article.Pictures) (article.Rendering, error)
}

type renderFunc func(a *article.Article, width int, style article.Style, pics article.Pictures) (article.Rendering, error)

func (f renderFunc) Render(a *article.Article, width int, style article.Style, pics article.Pictures) (article.Rendering, error) {
	return f(a, width, style, pics)
}

// Refresher refreshes feeds in the background.
type Refresher interface {
	// Refresh fetches the feeds (nil means all) and reports each finished
	// feed; the channel closes when the refresh ends.
	Refresh(ctx context.Context, feedIDs []int64) <-chan refresh.Progress
}

// Deps are the TUI's collaborators. Store and Reader are required; a nil
// Renderer means article.RenderPictures; without a Refresher the refresh keys say
// refreshing is off.
type Deps struct {
	Store     Store
	Reader    Reader
	Renderer  Renderer
	Refresher Refresher
	// FeedList, when set, gives the query feeds and lets a, d and E edit
	// the feed list; without one there are no query feeds and those keys
	// say editing is off.
	FeedList FeedList
	// Tick schedules a message after d, as tea.Tick does (nil means
	// tea.Tick); tests pass one that fires when they say, with the clock
	// Now moved on.
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
	// Now is the clock for relative ages and double clicks; nil means
	// time.Now. Tests pass a fixed clock so views are reproducible.
	Now func() time.Time
	// Getenv reads the environment (NO_COLOR, COLORFGBG, BROWSER); nil means
	// os.Getenv.
	Getenv func(string) string
	// Warnings are the feed list's problems ("path:line: text") not shown
	// before, for the status line: printed before the reader's screen
	// they were seen only after quitting.
	Warnings []string
}
