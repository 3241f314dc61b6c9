package ui

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/news"
)

// renderKey names one rendering of a page: the page's text (see pageID),
// the width, the style and how its pictures are drawn (mode, height and
// cell size), so a picture is drawn once per page, width and mode.
type renderKey struct {
	doc   string
	width int
	style article.Style
	pics  article.Pictures
}

// pageID names what a page shows: the request and a hash of the Markdown
// and of the "From your feeds" articles, so that an article whose text
// changed since it was last read is not shown from an old rendering.
func pageID(o openRequest, doc *article.Article, similar []news.Article) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(doc.MarkdownDocument()))
	for _, a := range similar {
		fmt.Fprintf(h, "\x00%d\x00%s\x00%s", a.ID, a.Title, a.FeedTitle)
	}
	return pageKey(o) + "@" + strconv.FormatUint(h.Sum64(), 16)
}

// renderedBody is a page's body drawn for the reader: its lines, their
// text without escape sequences, and the link markers in them. A command
// prepares it off the UI goroutine, since for a long article splitting and
// searching the lines takes as long as a frame many times over; it is
// never changed afterwards, so model copies share it.
type renderedBody struct {
	lines   []string
	plain   []string
	markers []linkMarker
	width   int // the width it was rendered for
	size    int // bytes held, for the cache's bound
	// pictures are the pictures drawn in lines (Line indexes lines).
	pictures []article.Placed
}

// prepareBody splits a rendering into lines, adds the sections drawn
// under it, and finds the markers of the page's links, numbered 1 to
// highest.
func prepareBody(r article.Rendering, sections []string, width, highest int) *renderedBody {
	text := r.Text
	b := &renderedBody{width: width, size: 2 * len(text), pictures: r.Pictures}
	for _, p := range r.Pictures {
		b.size += len(p.Drawing.Seq)
	}
	b.lines = append(strings.Split(strings.TrimRight(text, "\n"), "\n"), sections...)
	for _, l := range sections {
		b.size += 2 * len(l)
	}
	b.plain = make([]string, len(b.lines))
	for i, l := range b.lines {
		b.plain[i] = ansi.Strip(l)
	}
	b.markers = findMarkers(b.plain, 0, highest, nil)
	return b
}

// fromYourFeeds is the section under a stored article that lists the
// cached articles about the same story, numbered after the page's links.
func fromYourFeeds(doc *article.Article, similar []news.Article, now time.Time) article.LinkSection {
	s := article.LinkSection{Heading: "From your feeds"}
	base := maxLinkNumber(doc)
	for i, a := range similar {
		text := a.Title + " — " + a.FeedTitle
		if age := relativeAge(now, a.Published); age != "" {
			text += " · " + age
		}
		s.Entries = append(s.Entries, article.LinkEntry{N: base + i + 1, Text: text, URL: a.URL, Followable: true})
	}
	return s
}

var markerPattern = regexp.MustCompile(`\[(\d{1,4})\]`)

// findMarkers appends the "[n]" markers, 1 ≤ n ≤ highest, found in plain
// lines that start at line first of the page.
func findMarkers(plain []string, first, highest int, into []linkMarker) []linkMarker {
	for i, l := range plain {
		if !strings.Contains(l, "[") {
			continue
		}
		for _, m := range markerPattern.FindAllStringSubmatchIndex(l, -1) {
			n, _ := strconv.Atoi(l[m[2]:m[3]])
			if n < 1 || n > highest {
				continue
			}
			into = append(into, linkMarker{line: first + i, col: ansi.StringWidth(l[:m[0]]), text: l[m[0]:m[1]], n: n})
		}
	}
	return into
}

// renderCache keeps recent renderings, so going back, toggling the theme
// or resizing back and forth does not render again. It is the only cache
// of renderings byline has; only Update touches it.
type renderCache struct {
	entries map[renderKey]*renderedBody
	order   []renderKey // oldest first
	size    int
}

// maxRenderBytes bounds the renderings kept; a long article rendered with
// colours is a few megabytes.
const maxRenderBytes = 48 << 20

func newRenderCache() *renderCache { return &renderCache{entries: map[renderKey]*renderedBody{}} }

func (c *renderCache) get(k renderKey) (*renderedBody, bool) {
	b, ok := c.entries[k]
	return b, ok
}

func (c *renderCache) put(k renderKey, b *renderedBody) {
	if old, ok := c.entries[k]; ok {
		c.size -= old.size
	} else {
		c.order = append(c.order, k)
	}
	c.entries[k] = b
	c.size += b.size
	for c.size > maxRenderBytes && len(c.order) > 1 {
		oldest := c.order[0]
		c.order = c.order[1:]
		c.size -= c.entries[oldest].size
		delete(c.entries, oldest)
	}
}
