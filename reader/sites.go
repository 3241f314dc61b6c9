package reader

import (
	"context"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/feed"
)

// UseSiteRules makes the Service read the sites that rules name by their
// rules (config's [[site]] tables): their body, what they strip, and the
// one-page or print version they follow.
func (s *Service) UseSiteRules(rules *article.SiteRules) { s.sites = rules }

// singlePage returns the page to read instead of page when its site's rule
// follows a one-page or print link and the page has one, fetched; else
// page. A version that cannot be fetched leaves the page as it was.
func (s *Service) singlePage(ctx context.Context, page feed.Page) feed.Page {
	next, ok := s.sites.SinglePage(page.Body, page.ContentType, page.URL)
	if !ok {
		return page
	}
	whole, err := s.pages.FetchPage(ctx, next)
	if err != nil {
		return page
	}
	return whole
}
