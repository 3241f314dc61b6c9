package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"sync"

	"github.com/bylinehq/byline/news"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrNoFeeds means Discover found no feed for a page.
var ErrNoFeeds = errors.New("no feeds found")

// commonFeedPaths are where sites that do not link their feed usually put it.
var commonFeedPaths = []string{"/feed", "/rss", "/rss.xml", "/atom.xml", "/index.xml", "/feed.xml", "/feed.json"}

const acceptPages = "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, " +
	"application/feed+json, application/xml;q=0.9, */*;q=0.8"

// Discover returns the feed URLs for a page: the page itself if it is a
// feed; else the feeds its <link rel="alternate"> elements point to, in
// document order; else whichever of the common feed paths on its site
// answer with a feed. Finding none is an error wrapping ErrNoFeeds.
func (f *Fetcher) Discover(ctx context.Context, pageURL string) ([]string, error) {
	if pageURL == WelcomeURL {
		return []string{WelcomeURL}, nil
	}
	d, err := f.download(ctx, pageURL, news.Validators{}, acceptPages)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", pageURL, err)
	}
	defer d.release()
	if d.body == nil {
		return nil, fmt.Errorf("discover %s: %w", pageURL, &HTTPError{StatusCode: d.code})
	}
	contentType := d.header.Get("Content-Type")
	if _, err := Parse(d.body.Bytes(), contentType, d.finalURL); err == nil {
		return []string{pageURL}, nil
	}
	if links := alternateLinks(d.body.Bytes(), d.finalURL); len(links) > 0 {
		return links, nil
	}
	if found := f.probe(ctx, d.finalURL); len(found) > 0 {
		return found, nil
	}
	return nil, fmt.Errorf("discover %s: %w: the page links to no feed, and none of %s on its site is one",
		pageURL, ErrNoFeeds, strings.Join(commonFeedPaths, " "))
}

// alternateLinks returns the feed URLs a page declares, resolved against its
// <base> or its own URL, without duplicates.
func alternateLinks(page []byte, pageURL string) []string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	var links []string
	seen := make(map[string]bool)
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return links
		case html.StartTagToken, html.SelfClosingTagToken:
			tag := z.Token()
			switch tag.DataAtom {
			case atom.Base:
				if href := attr(tag, "href"); href != "" {
					if ref, err := base.Parse(href); err == nil {
						base = ref
					}
				}
			case atom.Link:
				if !isFeedLink(tag) {
					continue
				}
				ref, err := base.Parse(strings.TrimSpace(attr(tag, "href")))
				if err != nil || (ref.Scheme != "http" && ref.Scheme != "https") {
					continue
				}
				if link := ref.String(); !seen[link] {
					seen[link] = true
					links = append(links, link)
				}
			}
		}
	}
}

func isFeedLink(tag html.Token) bool {
	if attr(tag, "href") == "" || !hasToken(attr(tag, "rel"), "alternate") {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(attr(tag, "type"))
	if err != nil {
		return false
	}
	switch mediaType {
	case "application/rss+xml", "application/atom+xml", "application/feed+json":
		return true
	case "application/json":
		// Early JSON Feeds were announced as plain JSON, but so is every
		// WordPress page's REST API link; only take those that say "feed".
		return strings.Contains(strings.ToLower(attr(tag, "title")+" "+attr(tag, "href")), "feed")
	}
	return false
}

func attr(tag html.Token, name string) string {
	for _, a := range tag.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, token string) bool {
	for _, t := range strings.Fields(list) {
		if strings.EqualFold(t, token) {
			return true
		}
	}
	return false
}

// probe tries the common feed paths on pageURL's site at once (the host
// limiter still paces them) and returns those that are feeds, in list order.
func (f *Fetcher) probe(ctx context.Context, pageURL string) []string {
	origin, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	candidates := make([]string, len(commonFeedPaths))
	ok := make([]bool, len(commonFeedPaths))
	var wg sync.WaitGroup
	for i, path := range commonFeedPaths {
		candidates[i] = (&url.URL{Scheme: origin.Scheme, Host: origin.Host, Path: path}).String()
		wg.Go(func() {
			ok[i] = f.Fetch(ctx, candidates[i], news.Validators{}).Status == StatusOK
		})
	}
	wg.Wait()
	var found []string
	for i, c := range candidates {
		if ok[i] {
			found = append(found, c)
		}
	}
	return found
}
