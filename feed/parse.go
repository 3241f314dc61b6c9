package feed

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/sanitize"
)

// ErrNotFeed means a document is neither RSS, Atom nor JSON Feed.
var ErrNotFeed = errors.New("not a feed")

// errHTMLPage is the common case of ErrNotFeed: the user subscribed to a
// site's home page rather than its feed.
var errHTMLPage = fmt.Errorf("%w (got an HTML page; try `byline add` to discover its feed)", ErrNotFeed)

// parser is shared: its format parsers and translators hold no state, so one
// value is safe for concurrent use. The RSS translator's search for a lead
// image parses every item's HTML, a third of the parse time, for a field
// byline does not use.
var parser = func() *gofeed.Parser {
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return p
}()

// Parse parses an RSS (0.9x, 1.0, 2.0), Atom (0.3, 1.0) or JSON Feed
// document. contentType is the response's Content-Type header, for its
// charset; baseURL is where the document came from, to resolve relative
// links against.
//
// The encoding is taken from a byte order mark, else from the charset in
// contentType, else from the XML declaration (the precedence of RFC 7303).
// A document that is valid UTF-8 containing non-ASCII is read as UTF-8 even
// when it declares a legacy 8-bit charset: servers that label everything
// ISO-8859-1 are far more common than legacy text that happens to be valid
// UTF-8. Invalid UTF-8 becomes U+FFFD.
//
// Every string in the result has passed the sanitizer: titles, authors and
// links through sanitize.Line (titles and authors with HTML entities
// decoded), summaries and content (which keep their HTML) through
// sanitize.Text.
func Parse(body []byte, contentType, baseURL string) (*Document, error) {
	// Sanitizing the whole document first removes escape sequences with
	// their payloads (gofeed would drop only the control bytes and leave
	// "[31m" behind) and repairs invalid UTF-8, which encoding/xml rejects.
	// The parsed strings pass the sanitizer again, for what entities and
	// JSON escapes decode to. (An unterminated OSC or DCS swallows the rest
	// of the document, as it would on a terminal; raw ESC is not legal XML
	// anyway.)
	doc := sanitize.Text(string(toUTF8(body, contentType)))
	if strings.TrimSpace(doc) == "" {
		return nil, errors.New("empty document")
	}
	if err := checkShape(doc); err != nil {
		return nil, fmt.Errorf("malformed feed: %w", err)
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		base = nil
	}
	if gf, err := parseFastGuarded(doc); err == nil {
		return convert(gf, base, nil), nil
	}
	stashed, stash := stashCDATA(doc)
	gf, err := parseGuarded(stashed)
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		if looksLikeHTML(doc, contentType) {
			return nil, errHTMLPage
		}
		return nil, fmt.Errorf("%w (no RSS, Atom or JSON Feed root found)", ErrNotFeed)
	case err != nil:
		return nil, fmt.Errorf("malformed feed: %w", err)
	case gf.FeedType == "json" && !strings.Contains(gf.FeedVersion, "jsonfeed.org/version/"):
		// gofeed takes any JSON object for a feed; a JSON Feed names its version.
		return nil, fmt.Errorf("%w (JSON without a JSON Feed version)", ErrNotFeed)
	}
	return convert(gf, base, stash), nil
}

// parseFastGuarded runs the fast parser; should it ever panic, gofeed
// parses the document instead, as it does whatever the fast parser
// declines.
func parseFastGuarded(doc string) (gf *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			gf, err = nil, errDecline
		}
	}()
	return parseFast(doc)
}

// parseGuarded runs gofeed, turning a panic inside it into an error: it is
// third-party code fed hostile input, and one bad feed must not take the
// whole refresh down.
func parseGuarded(doc string) (gf *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			gf, err = nil, fmt.Errorf("feed parser failed: %v", r)
		}
	}()
	return parser.Parse(strings.NewReader(doc))
}

func convert(gf *gofeed.Feed, base *url.URL, stash cdataStash) *Document {
	f := &Document{
		Title:   plainLine(stash.restore(gf.Title)),
		SiteURL: resolve(base, stash.restore(gf.Link)),
		Items:   make([]news.Item, 0, len(gf.Items)),
	}
	for _, it := range gf.Items {
		if it == nil {
			continue
		}
		item := news.Item{
			URL:       resolve(base, stash.restore(it.Link)),
			Title:     plainLine(stash.restore(it.Title)),
			Author:    plainLine(stash.restore(authorNames(it.Authors))),
			Summary:   sanitize.Text(stash.restore(it.Description)),
			Content:   sanitize.Text(stash.restore(it.Content)),
			Published: utcOrZero(it.PublishedParsed),
			Updated:   utcOrZero(it.UpdatedParsed),
		}
		date := it.Published
		if date == "" {
			date = it.Updated
		}
		item.GUID = itemGUID(stash.restore(it.GUID), date, item)
		f.Items = append(f.Items, item)
	}
	return f
}

// plainLine makes a one-line field plain text. Atom titles of type "html",
// and many RSS titles in practice, arrive with their entities still escaped
// ("AT&amp;T"); they are shown as text, so one level of escaping goes.
func plainLine(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return sanitize.Line(s)
}

// itemGUID keeps items identifiable across refreshes: the feed's guid, else
// the item's link, else a hash of title and date, which stays the same as
// long as the entry does.
func itemGUID(guid, date string, item news.Item) string {
	if guid := sanitize.Line(guid); guid != "" {
		return guid
	}
	if item.URL != "" {
		return item.URL
	}
	sum := sha1.Sum([]byte(item.Title + "\n" + strings.TrimSpace(date)))
	return "sha1:" + hex.EncodeToString(sum[:])
}

func authorNames(people []*gofeed.Person) string {
	var names []string
	for _, p := range people {
		switch {
		case p == nil:
		case p.Name != "":
			names = append(names, p.Name)
		case p.Email != "":
			names = append(names, p.Email)
		}
	}
	return strings.Join(names, ", ")
}

func utcOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// resolve makes a link from the document absolute. A link that does not
// parse is kept as text: it is still worth showing.
func resolve(base *url.URL, link string) string {
	link = sanitize.Line(link)
	if link == "" || base == nil {
		return link
	}
	ref, err := url.Parse(link)
	if err != nil {
		return link
	}
	return base.ResolveReference(ref).String()
}

func looksLikeHTML(doc, contentType string) bool {
	if mediaType, _, err := mime.ParseMediaType(contentType); err == nil &&
		(mediaType == "text/html" || mediaType == "application/xhtml+xml") {
		return true
	}
	head := strings.ToLower(doc[:min(len(doc), 1024)])
	return strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html")
}
