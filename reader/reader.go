// Package reader gets an article ready to read, online or off: the copy
// extracted earlier, the feed's own text when that is already the whole
// story, or the web page fetched and extracted now and kept for next time.
// When the page cannot be had it falls back, and says so, rather than
// leaving the reader with nothing.
package reader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// Store is what the reader needs of the cache; cache.Store satisfies it.
type Store interface {
	ArticleByURL(ctx context.Context, url string) (news.Article, error)
	Page(ctx context.Context, pageURL string) ([]byte, time.Time, error)
	SavePage(ctx context.Context, pageURL string, data []byte, text string) error
	SavePictures(ctx context.Context, pageURL string, pictures []news.Picture) error
	Pictures(ctx context.Context, pageURL string) ([]news.Picture, error)
	Similar(ctx context.Context, id int64, limit int) ([]news.Article, error)
}

// PageFetcher downloads web pages; feed.Fetcher satisfies it.
type PageFetcher interface {
	FetchPage(ctx context.Context, pageURL string) (feed.Page, error)
	FetchImage(ctx context.Context, imageURL string, maxBytes int64) (feed.Page, error)
}

// Service opens articles and followed links.
type Service struct {
	store Store
	pages PageFetcher
	// fullText says, for an article, whether to use the feed's text, the
	// page, or decide by the text's length (config's full-text setting).
	fullText func(a news.Article) config.FullText
	// noPictures is set when pictures are not shown (images = "none"):
	// they are then not fetched either.
	noPictures bool
	// sites are the per-site extraction rules; nil has none.
	sites *article.SiteRules
}

// New returns a Service. fullText may be nil, meaning "auto" for every feed.
func New(store Store, pages PageFetcher, fullText func(a news.Article) config.FullText) *Service {
	if fullText == nil {
		fullText = func(news.Article) config.FullText { return config.FullTextAuto }
	}
	return &Service{store: store, pages: pages, fullText: fullText}
}

// Story returns the text to show for a cached feed item, as mode says:
// "never" is the feed's own text; "always" is the web page, the copy
// extracted before or the page fetched and extracted now; "auto" is the
// page unless the feed's text is the whole story already; "" is the mode
// set for the item's feed. When the page fails, the feed's text comes back
// with a Notice saying why.
func (s *Service) Story(ctx context.Context, a news.Article, mode config.FullText) (*article.Article, error) {
	if mode == "" {
		mode = s.fullText(a)
	}
	if mode != config.FullTextNever && isFetchable(a.URL) {
		if saved, _, err := s.saved(ctx, a.URL); err == nil {
			return saved, nil
		} else if !errors.Is(err, cache.ErrNotFound) {
			return nil, err
		}
	}
	if mode == config.FullTextNever || !isFetchable(a.URL) ||
		(mode == config.FullTextAuto && article.IsFullStory(a.Content, a.Summary)) {
		return s.feedText(ctx, a, true), nil
	}
	page, err := s.extract(ctx, a.URL, FeedText(a))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		fallback := s.feedText(ctx, a, siteAnswered(err))
		fallback.Notice = article.FallbackNotice(err) + " (" + err.Error() + ")"
		return fallback, nil
	}
	return page, nil
}

// FeedText is the article as the feed gave it, for readers who want to
// compare it with the page, and as the fallback. It has no pictures: the
// Service's stories have theirs.
func FeedText(a news.Article) *article.Article {
	content := a.Content
	if strings.TrimSpace(content) == "" {
		content = a.Summary
	}
	return article.FromFeed(a.Title, a.URL, a.Author, a.Published, content)
}

// feedText is FeedText with its pictures, kept beside the stored article
// as a page's are beside the page; fetch says whether those not tried yet
// are fetched now.
func (s *Service) feedText(ctx context.Context, a news.Article, fetch bool) *article.Article {
	text := FeedText(a)
	if a.ID != 0 {
		s.addPictures(ctx, cache.FeedTextKey(a.ID), text, fetch)
	}
	return text
}

// Follow opens a link from an article inside byline. A page read before
// opens from the cache, with or without a network; a link to an article
// byline already holds (the welcome feed's byline: links, say) opens that.
func (s *Service) Follow(ctx context.Context, url string) (*article.Article, error) {
	if saved, _, err := s.saved(ctx, url); err == nil {
		return saved, nil
	} else if !errors.Is(err, cache.ErrNotFound) {
		return nil, err
	}
	if !isFetchable(url) {
		known, err := s.store.ArticleByURL(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", url, err)
		}
		return s.feedText(ctx, known, true), nil
	}
	page, err := s.extract(ctx, url, nil)
	if err != nil {
		if known, kerr := s.store.ArticleByURL(ctx, url); kerr == nil && ctx.Err() == nil {
			fallback := s.feedText(ctx, known, siteAnswered(err))
			fallback.Notice = article.FallbackNotice(err) + " (" + err.Error() + ")"
			return fallback, nil
		}
		return nil, err
	}
	return page, nil
}

// Fetch reads a URL afresh, as `byline read URL` does, and keeps the result.
// When the network fails it falls back to the copy kept from before, with
// a Notice giving its date; without one the error stands.
func (s *Service) Fetch(ctx context.Context, url string) (*article.Article, error) {
	page, err := s.extract(ctx, url, nil)
	if err == nil {
		return page, nil
	}
	if errors.Is(err, article.ErrNotHTML) || ctx.Err() != nil {
		return nil, err
	}
	saved, fetched, serr := s.saved(ctx, url)
	if serr != nil {
		return nil, err
	}
	saved.Notice = fmt.Sprintf("Could not fetch the page (%v); showing the copy saved %s.", err, fetched.Local().Format("2006-01-02 15:04"))
	return saved, nil
}

// Similar lists cached articles from other feeds about the same thing.
func (s *Service) Similar(ctx context.Context, a news.Article, limit int) ([]news.Article, error) {
	return s.store.Similar(ctx, a.ID, limit)
}

// extract fetches, extracts and keeps a page. It is the only place pages
// enter the cache, so a page read once always reads again offline. A page
// thinner than feedText, when there is one, is not kept: it is not the
// story (ErrNoArticle).
func (s *Service) extract(ctx context.Context, url string, feedText *article.Article) (*article.Article, error) {
	if !isFetchable(url) {
		return nil, fmt.Errorf("open %q: only http and https links can be fetched", url)
	}
	page, err := s.pages.FetchPage(ctx, url)
	if err != nil {
		return nil, err
	}
	whole := s.singlePage(ctx, page)
	a, err := s.sites.Extract(whole.Body, whole.ContentType, whole.URL)
	if err != nil {
		return nil, err // it names the page
	}
	// The story is the page the reader opened, whichever version was read.
	a.URL = page.URL
	if feedText != nil && a.ThinnerThan(feedText) {
		return nil, fmt.Errorf("read page %s: %w", page.URL, article.ErrNoArticle)
	}
	data, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("keep %s: %w", url, err)
	}
	if err := s.store.SavePage(ctx, url, data, a.Text); err != nil {
		return nil, err
	}
	if !s.noPictures {
		// A new copy of the page: its pictures are fetched anew.
		a.SetPictures(s.keepPictures(ctx, url, a, nil))
	}
	return a, nil
}

func (s *Service) saved(ctx context.Context, url string) (*article.Article, time.Time, error) {
	data, fetched, err := s.store.Page(ctx, url)
	if err != nil {
		return nil, time.Time{}, err
	}
	var a article.Article
	if err := json.Unmarshal(data, &a); err != nil {
		// A copy this version cannot read is as good as none.
		return nil, time.Time{}, fmt.Errorf("saved copy of %s: %w", url, cache.ErrNotFound)
	}
	s.addPictures(ctx, url, &a, false)
	return &a, fetched, nil
}

func isFetchable(url string) bool {
	return strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://")
}

// PrefetchResult counts a Prefetch.
type PrefetchResult struct{ Extracted, Failed int }

// Prefetch extracts and keeps the pages of articles, jobs at a time, so
// they read offline later; an article whose feed text is the whole story
// has the pictures of that text kept instead. Articles whose page (or
// whose feed text's pictures) are kept already cost a lookup and no
// fetch. The fetcher's per-host limit is shared with feed fetching, so no
// site is hammered.
func (s *Service) Prefetch(ctx context.Context, articles []news.Article, jobs int) PrefetchResult {
	var (
		mu  sync.Mutex
		res PrefetchResult
		wg  sync.WaitGroup
	)
	work := make(chan news.Article)
	for range max(jobs, 1) {
		wg.Go(func() {
			for a := range work {
				got, err := s.Story(ctx, a, "")
				mu.Lock()
				switch {
				case err != nil || got.Notice != "" && got.Source == article.SourceFeed:
					res.Failed++
				case got.Source != article.SourceFeed:
					res.Extracted++
				}
				mu.Unlock()
			}
		})
	}
	for _, a := range articles {
		select {
		case work <- a:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	return res
}
