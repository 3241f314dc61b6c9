// Package feed fetches and parses subscriptions: one shared HTTP client with
// conditional GET, bounded concurrency with a per-host limit, charset
// handling, and gofeed for RSS, Atom and JSON Feed. Every string it returns
// has passed the sanitizer, so callers can store and show it as is.
package feed

import (
	"time"

	"github.com/bylinehq/byline/news"
)

// Document is a parsed feed document.
type Document struct {
	Title   string
	SiteURL string
	Items   []news.Item
}

// Status says how a fetch ended.
type Status int

const (
	// StatusOK means the feed was fetched and parsed; Result.Feed is set.
	StatusOK Status = iota
	// StatusNotModified means the server answered 304: nothing was parsed.
	StatusNotModified
	// StatusFailed means Result.Err says what went wrong.
	StatusFailed
)

func (s Status) String() string {
	switch s {
	case StatusOK:
		return "ok"
	case StatusNotModified:
		return "not modified"
	default:
		return "failed"
	}
}

// Result is the outcome of fetching one feed.
type Result struct {
	URL        string
	Status     Status
	Feed       *Document       // set when Status is StatusOK
	Validators news.Validators // to store for the next conditional GET
	// MovedTo is the final URL after a permanent redirect (301/308), so the
	// user can be told to update the subscription.
	MovedTo string
	// Gone is set when the server answered 410.
	Gone bool
	// RetryAfter is when the server (429/503) asked us to come back; zero if it did not.
	RetryAfter time.Time
	Err        error
	Duration   time.Duration
}

// Options configure a Fetcher. Zero fields take the defaults from config.Default.
type Options struct {
	UserAgent      string
	ConnectTimeout time.Duration
	Timeout        time.Duration // whole request, per feed
	MaxBodyBytes   int64         // decompressed bytes
	MaxRedirects   int
	Jobs           int // feeds fetched at once
	PerHost        int // requests to one host at once
}
