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

// linkEntry is one numbered line of a link section.
type linkEntry struct {
	n          int
	text, url  string
	followable bool
}

// linkSections draws, under the body, the page's links, its related
// links and its "From your feeds" articles, alike: a blank line and a
// heading, then "• [n] text — URL" on one line where it fits, else the
// text wrapped and the URL on a line of its own, cut in its middle rather
// than wrapped (which broke it at a dot).
func linkSections(st *Styles, doc *article.Article, similar []news.Article, width int, now time.Time) []string {
	var links, related, fromFeeds []linkEntry
	for _, l := range doc.Links {
		e := linkEntry{n: l.N, text: oneLine(l.Text), url: oneLine(l.URL), followable: l.Followable}
		if l.Related {
			related = append(related, e)
		} else {
			links = append(links, e)
		}
	}
	base := maxLinkNumber(doc)
	for i, a := range similar {
		text := oneLine(a.Title) + " — " + oneLine(a.FeedTitle)
		if age := relativeAge(now, a.Published); age != "" {
			text += " · " + age
		}
		fromFeeds = append(fromFeeds, linkEntry{n: base + i + 1, text: text, url: oneLine(a.URL), followable: true})
	}
	avail := max(10, width-2*len(margin))
	var out []string
	for _, s := range []struct {
		heading string
		entries []linkEntry
	}{{"Links", links}, {"Related", related}, {"From your feeds", fromFeeds}} {
		if len(s.entries) == 0 {
			continue
		}
		out = append(out, "", margin+st.Heading.Render("## "+s.heading), "")
		for _, e := range s.entries {
			out = append(out, linkEntryLines(st, e, avail)...)
		}
	}
	return out
}

func linkEntryLines(st *Styles, e linkEntry, avail int) []string {
	const indent = "  " // under the text, past the bullet
	const closed = " (not openable)"
	number := fmt.Sprintf("• [%d] ", e.n)
	urlWidth := ansi.StringWidth(e.url)
	if !e.followable {
		urlWidth += len(closed)
	}
	url := func(width int) string {
		if !e.followable {
			return st.Dim.Render(strings.TrimRight(fitURL(e.url, max(1, width-len(closed))), " ") + closed)
		}
		return article.Hyperlink(e.url, st.URL.Render(strings.TrimRight(fitURL(e.url, width), " ")))
	}
	if e.text == "" || e.text == e.url {
		return []string{margin + st.Body.Render(number) + url(avail-ansi.StringWidth(number))}
	}
	whole := number + e.text + " — "
	if ansi.StringWidth(whole)+urlWidth <= avail {
		return []string{margin + st.Body.Render(whole) + url(urlWidth)}
	}
	var lines []string
	for i, l := range strings.Split(ansi.Wrap(number+e.text, avail, ""), "\n") {
		if i > 0 {
			l = indent + l
		}
		lines = append(lines, margin+st.Body.Render(l))
	}
	return append(lines, margin+indent+url(avail-len(indent)))
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
