package ui

import (
	"context"
	"time"

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
