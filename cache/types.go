package cache

import (
	"time"

	"github.com/bylinehq/byline/feed"
)

// Feed is a subscription as the cache knows it, with its fetch state and counts.
type Feed struct {
	ID         int64
	URL        string
	Title      string // the user's title if set, else the feed's own, else the URL
	SiteURL    string
	Tags       []string
	Validators feed.Validators
	// LastAttempt and LastSuccess are zero until the first refresh.
	LastAttempt time.Time
	LastSuccess time.Time
	LastError   string // empty after a success
	MovedTo     string // permanent redirect seen on the last fetch
	Gone        bool   // the server said 410
	RetryAfter  time.Time
	Unread      int
	Total       int
}

// Article is one stored item.
type Article struct {
	ID        int64
	FeedID    int64
	FeedTitle string
	GUID      string
	URL       string
	Title     string
	Author    string
	Summary   string
	Content   string
	Published time.Time // the feed's date, or when byline first saw the item
	Fetched   time.Time // when byline first stored it
	Read      bool
	Starred   bool
}

// Filter selects articles. Zero values select everything, newest first.
// Articles of feeds no longer in the urls file are selected only if starred.
type Filter struct {
	Unread  bool
	Starred bool
	FeedIDs []int64 // any of these feeds; empty means all
	Tag     string
	Limit   int // 0 means no limit
	Offset  int
}

// Hit is a search result.
type Hit struct {
	Article
	Snippet string  // plain text around the match; matched terms are not marked up
	Rank    float64 // higher is a better match (the negated bm25 score)
}
