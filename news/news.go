// Package news holds the domain types every part of byline shares: the
// subscriptions, the articles and the ways of selecting them. It does no I/O;
// the cache stores these types, the sources (feeds, sync accounts) produce
// them and the reader and the CLI show them.
package news

import "time"

// Subscription is one line of the feed list: a URL, the user's tags and an
// optional title that overrides the feed's own.
type Subscription struct {
	URL   string
	Title string
	Tags  []string
	// Query is set for a query feed, newsboat's "query:NAME:EXPRESSION"
	// line: a virtual feed of the cached articles that match the filter
	// expression (package filter). URL is then the line's query:… token
	// and Title the NAME; it is never fetched.
	Query string
}

// Item is one entry of a feed as a source delivers it, before it is stored.
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

// Validators are the HTTP cache validators of the last successful fetch,
// sent back as If-None-Match / If-Modified-Since.
type Validators struct {
	ETag         string
	LastModified string
}

// Feed is a subscription as byline knows it, with its fetch state and counts.
type Feed struct {
	ID      int64
	URL     string
	Title   string // the user's title if set, else the feed's own, else the URL
	SiteURL string
	Tags    []string
	// Account names the sync account whose server holds the subscription;
	// empty for a feed of the urls file.
	Account string
	// RemoteID is the server's id of a synced feed.
	RemoteID   string
	Validators Validators
	// LastAttempt and LastSuccess are zero until the first refresh.
	LastAttempt time.Time
	LastSuccess time.Time
	LastError   string // empty after a success
	MovedTo     string // permanent redirect seen on the last fetch
	Gone        bool   // the server said 410
	RetryAfter  time.Time
	Unread      int
	Total       int
	// Query is set for a query feed (see Subscription.Query). It has no
	// ID and no fetch state; its counts are of the articles it matches.
	Query string
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
// Articles of feeds no longer in the feed list are selected only if starred.
type Filter struct {
	Unread  bool
	Starred bool
	FeedIDs []int64 // any of these feeds; empty means all
	Tag     string
	// Query is an expression in the filter language (package filter,
	// newsboat's) that the articles must match as well; empty matches all.
	Query  string
	Order  Order
	Limit  int // 0 means no limit
	Offset int
}

// Order is the order a Filter lists articles in; each breaks ties newest
// first.
type Order string

const (
	// NewestFirst lists by date, the newest first (the zero Order).
	NewestFirst Order = ""
	// ByTitle lists by title, A to Z, ignoring case.
	ByTitle Order = "title"
	// ByFeed lists by the feed's title, A to Z, ignoring case.
	ByFeed Order = "feed"
)

// Hit is a search result.
type Hit struct {
	Article
	Snippet string  // plain text around the match; matched terms are not marked up
	Rank    float64 // higher is a better match (the negated bm25 score)
}

// Picture is an image of a story (a kept page, or an article's feed text)
// as byline keeps it: shrunk and re-encoded for the terminal, so that the
// story shows it offline. A picture fetched and refused is kept too, as
// the record of why, so that it is not fetched each time the story opens.
type Picture struct {
	// Src is the image's absolute URL, as the story's links give it.
	Src           string
	Width, Height int
	// Format is "jpeg" or "png".
	Format string
	Data   []byte
	// Small is a copy at most 480 pixels a side, in the same format, for
	// drawing small; nil when the picture is that small itself.
	Small []byte
	// Refused, when set, says why the picture was not kept (a tracking
	// pixel: RefusedTrackingPixel; too large; unreadable; gone from its
	// server). A refused picture has no Format or Data.
	Refused string
}

// RefusedTrackingPixel is Picture.Refused for an image of a pixel or two,
// known once its header is read: it is there to tell a server the story
// was read, and its line leaves the story.
const RefusedTrackingPixel = "tracking pixel"

// Flag is an article state that byline and a sync server share.
type Flag string

const (
	FlagRead    Flag = "read"
	FlagStarred Flag = "starred"
)

// Mark is a change of an article's flag made in byline that waits in the
// outbox to reach its account's server.
type Mark struct {
	Seq       int64 // order of the changes; a later mark of the same flag replaces an earlier one
	ArticleID int64
	RemoteID  string // the server's id of the article
	Flag      Flag
	On        bool
}

// RemoteFeed is a subscription as a sync account's server lists it.
type RemoteFeed struct {
	ID      string
	URL     string
	Title   string
	SiteURL string
	Tags    []string // the server's categories, folders or labels
	Error   string   // why the server's last fetch of the feed failed, if it did
}

// RemoteItem is an entry as a sync account's server delivers it.
type RemoteItem struct {
	Item           // Item.GUID is the server's id of the entry
	FeedID  string // the RemoteFeed it belongs to
	Read    bool
	Starred bool
}

// RemoteState is the whole of a server's read and starred state: the ids of
// its unread entries and of its starred ones. Every synced entry missing
// from Unread is read.
type RemoteState struct {
	Unread, Starred map[string]bool
}
