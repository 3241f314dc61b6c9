// Package feed fetches and parses subscriptions: one shared HTTP client with
// conditional GET, bounded concurrency with a per-host limit, charset
// handling, and gofeed for RSS, Atom and JSON Feed. Every string it returns
// has passed the sanitizer, so callers can store and show it as is.
package feed

import "time"

// Subscription is one line of the feed list: a URL, the user's tags and an
// optional title that overrides the feed's own.
type Subscription struct {
	URL   string
	Title string
	Tags  []string
}

// Item is one entry of a parsed feed.
type Item struct {
	// GUID identifies the item across refreshes: the feed's guid, else its
	// link, else a hash of title and date.
	GUID      string
	URL       string
	Title     string
	Author    string
	Summary   string
	Content   string
	Published time.Time // zero when the feed gives none
	Updated   time.Time // zero when the feed gives none
}

// Feed is a parsed feed document.
type Feed struct {
	Title   string
	SiteURL string
	Items   []Item
}

// Validators are the HTTP cache validators of the last successful fetch,
// sent back as If-None-Match / If-Modified-Since.
type Validators struct {
	ETag         string
	LastModified string
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
	Feed       *Feed      // set when Status is StatusOK
	Validators Validators // to store for the next conditional GET
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
