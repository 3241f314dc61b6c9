package feed

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/bylinehq/byline/news"
)

// acceptArticle asks for the HTML of an article rather than any alternative
// the server could negotiate, while still taking whatever it has.
const acceptArticle = "text/html,application/xhtml+xml,*/*;q=0.8"

// Page is an article's web page as the server sent it.
type Page struct {
	// URL is where the page was found, after redirects; relative links in
	// the page resolve against it.
	URL         string
	ContentType string
	// Body is the raw bytes: the page declares its own charset in <meta>,
	// so decoding is left to the HTML reader.
	Body []byte
}

// FetchPage downloads the web page of an article with the same client, per-host
// limit, timeout, body limit, redirect rules and User-Agent as feeds, so that
// reading articles never hammers a site that a refresh is also fetching.
// Only http and https URLs are fetched. An answer other than 2xx is an error
// that wraps *HTTPError.
func (f *Fetcher) FetchPage(ctx context.Context, pageURL string) (Page, error) {
	d, err := f.download(ctx, pageURL, news.Validators{}, acceptArticle)
	if err != nil {
		return Page{}, fmt.Errorf("fetch page %s: %w", pageURL, err)
	}
	defer d.release()
	if d.code < 200 || d.code > 299 {
		herr := &HTTPError{StatusCode: d.code}
		if d.code == http.StatusTooManyRequests || d.code == http.StatusServiceUnavailable {
			herr.RetryAfter = parseRetryAfter(d.header.Get("Retry-After"), time.Now())
		}
		return Page{}, fmt.Errorf("fetch page %s: %w", pageURL, pageHTTPError{herr})
	}
	return Page{
		URL:         d.finalURL,
		ContentType: d.header.Get("Content-Type"),
		// The download's buffer goes back to the pool: the page keeps a copy.
		Body: bytes.Clone(d.body.Bytes()),
	}, nil
}

// acceptImages names the formats byline can draw, so that a server that
// negotiates sends one of them rather than AVIF or SVG.
const acceptImages = "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"

// FetchImage downloads an image of a page like FetchPage, politeness and
// limits included, reading at most maxBytes of it.
func (f *Fetcher) FetchImage(ctx context.Context, imageURL string, maxBytes int64) (Page, error) {
	d, err := f.downloadUpTo(ctx, imageURL, news.Validators{}, acceptImages, maxBytes)
	if err != nil {
		return Page{}, fmt.Errorf("fetch image %s: %w", imageURL, err)
	}
	defer d.release()
	if d.code < 200 || d.code > 299 {
		return Page{}, fmt.Errorf("fetch image %s: %w", imageURL, pageHTTPError{&HTTPError{StatusCode: d.code}})
	}
	return Page{URL: d.finalURL, ContentType: d.header.Get("Content-Type"), Body: bytes.Clone(d.body.Bytes())}, nil
}

// pageHTTPError words an HTTPError for a page rather than a feed: the
// HTTPError message for 410 tells the user to unsubscribe.
type pageHTTPError struct{ *HTTPError }

func (e pageHTTPError) Error() string {
	if e.StatusCode == http.StatusGone {
		return "HTTP 410 Gone (the page was removed)"
	}
	return e.HTTPError.Error()
}

func (e pageHTTPError) Unwrap() error { return e.HTTPError }
