package feed

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/bylinehq/byline/news"
)

// WelcomeURL is the subscription to the feed that ships inside byline. It
// is fetched without touching the network.
const WelcomeURL = "byline:welcome"

// acceptFeeds prefers the feed formats, then generic XML and JSON, so that
// servers doing content negotiation send the feed rather than a page.
const acceptFeeds = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, */*;q=0.5"

// DefaultOptions returns the settings that NewFetcher uses for zero fields.
func DefaultOptions() Options {
	return Options{
		UserAgent:      "byline/dev",
		ConnectTimeout: 10 * time.Second,
		Timeout:        30 * time.Second,
		MaxBodyBytes:   20 << 20,
		MaxRedirects:   10,
		Jobs:           64,
		PerHost:        2,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	o.UserAgent = cmp.Or(o.UserAgent, d.UserAgent)
	o.ConnectTimeout = positiveOr(o.ConnectTimeout, d.ConnectTimeout)
	o.Timeout = positiveOr(o.Timeout, d.Timeout)
	o.MaxBodyBytes = positiveOr(o.MaxBodyBytes, d.MaxBodyBytes)
	o.MaxRedirects = positiveOr(o.MaxRedirects, d.MaxRedirects)
	o.Jobs = positiveOr(o.Jobs, d.Jobs)
	o.PerHost = positiveOr(o.PerHost, d.PerHost)
	return o
}

// positiveOr treats a negative setting like an unset one.
func positiveOr[T int | int64 | time.Duration](v, fallback T) T {
	if v > 0 {
		return v
	}
	return fallback
}

// Fetcher downloads feeds. It holds one HTTP client, so connections are
// reused across feeds and refreshes, and one HostLimiter, so no host gets
// more than Options.PerHost requests at once. It is safe for concurrent use.
type Fetcher struct {
	opts   Options
	client *http.Client
	hosts  *HostLimiter
	large  chan struct{} // large-body slots, see largeBody
}

// NewFetcher returns a Fetcher; zero fields of opts take DefaultOptions.
func NewFetcher(opts Options) *Fetcher {
	opts = opts.withDefaults()
	dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   opts.ConnectTimeout,
		MaxIdleConns:          max(100, opts.Jobs*opts.PerHost),
		MaxIdleConnsPerHost:   opts.PerHost,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		// Compression stays on: the Transport asks for gzip and decompresses,
		// so the body limit below counts decompressed bytes.
	}
	f := &Fetcher{opts: opts, hosts: NewHostLimiter(opts.PerHost), large: make(chan struct{}, largeBodySlots)}
	f.client = &http.Client{Transport: transport, CheckRedirect: f.checkRedirect}
	return f
}

// Hosts returns the limiter this Fetcher uses, so that other requests to the
// same sites (article pages) share the per-host limit.
func (f *Fetcher) Hosts() *HostLimiter { return f.hosts }

// Fetch downloads and parses one feed, sending v as conditional-GET
// validators. It never panics and always returns a Result for feedURL;
// Result.Err carries the URL. On failure the validators passed in are
// returned, so they are not lost.
func (f *Fetcher) Fetch(ctx context.Context, feedURL string, v news.Validators) Result {
	start := time.Now()
	res := f.fetch(ctx, feedURL, v)
	res.URL = feedURL
	res.Duration = time.Since(start)
	if res.Err != nil {
		res.Status = StatusFailed
		res.Feed = nil
		res.Validators = v
		res.Err = fmt.Errorf("fetch %s: %w", feedURL, res.Err)
	}
	return res
}

func (f *Fetcher) fetch(ctx context.Context, feedURL string, v news.Validators) Result {
	if feedURL == WelcomeURL {
		feed, err := Parse(welcomeXML, "application/rss+xml", WelcomeURL)
		return Result{Status: StatusOK, Feed: feed, Err: err}
	}
	d, err := f.download(ctx, feedURL, v, acceptFeeds)
	if err != nil {
		return Result{Err: err}
	}
	defer d.release()
	res := Result{Validators: v}
	if d.permanent {
		res.MovedTo = d.finalURL
	}
	switch code := d.code; {
	case code == http.StatusNotModified:
		// A 304 may carry fresh validators; otherwise the old ones hold.
		res.Status = StatusNotModified
		fresh := d.validators()
		if fresh.ETag != "" {
			res.Validators.ETag = fresh.ETag
		}
		if fresh.LastModified != "" {
			res.Validators.LastModified = fresh.LastModified
		}
	case code < 200 || code > 299:
		herr := &HTTPError{StatusCode: code}
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			herr.RetryAfter = parseRetryAfter(d.header.Get("Retry-After"), time.Now())
		}
		res.Err, res.Gone, res.RetryAfter = herr, code == http.StatusGone, herr.RetryAfter
	default:
		res.Feed, res.Err = Parse(d.body.Bytes(), d.header.Get("Content-Type"), d.finalURL)
		res.Validators = d.validators()
	}
	return res
}

// HTTPError is an answer other than 2xx or 304.
type HTTPError struct {
	StatusCode int
	// RetryAfter is when a 429 or 503 asked to be tried again; zero if it did not.
	RetryAfter time.Time
}

func (e *HTTPError) Error() string {
	msg := "HTTP " + strconv.Itoa(e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		msg += " " + text
	}
	switch {
	case e.StatusCode == http.StatusGone:
		msg += " (the feed was removed for good; unsubscribe from it)"
	case !e.RetryAfter.IsZero():
		msg += " (the server asks to retry after " + e.RetryAfter.UTC().Format(time.RFC3339) + ")"
	}
	return msg
}

// maxRetryAfter caps what a server can ask for, so a huge number neither
// overflows nor silences a feed forever.
const maxRetryAfter = 30 * 24 * time.Hour

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(h string, now time.Time) time.Time {
	if h == "" {
		return time.Time{}
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs < 0 {
			return time.Time{}
		}
		return now.Add(time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second)
	}
	when, err := http.ParseTime(h)
	if err != nil {
		return time.Time{}
	}
	if limit := now.Add(maxRetryAfter); when.After(limit) {
		return limit
	}
	return when
}
