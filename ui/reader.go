package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/news"
)

// similarLimit is how many "From your feeds" articles a page lists.
const similarLimit = 5

// openRequest is what the reader was asked to show: a stored article (from
// the list or "From your feeds") or a followed link.
type openRequest struct {
	stored news.Article // ID is 0 for a followed link
	url    string
	// text is the text of a stored article to show: "" the reader's
	// choice for its feed, "never" the feed's own, "always" the page's.
	text config.FullText
	// push keeps the history and adds the page after the current one;
	// replace swaps the current page (t switching texts); otherwise the
	// page starts a new history (an article from the list).
	push, replace bool
}

func (o openRequest) isStored() bool { return o.stored.ID != 0 }

// page is one entry of the reader's history.
type page struct {
	open    openRequest
	doc     *article.Article
	id      string // see pageID
	similar []news.Article
	offset  int // first visible line, restored on back and forward
	// highlight indexes the reader's markers; -1 is none.
	highlight int
}

// linkMarker is where a "[n]" link marker sits in the reader's lines.
type linkMarker struct {
	line int
	col  int // in cells
	text string
	n    int
}

// readerView shows one article, and keeps the history of links followed
// from it.
type readerView struct {
	pages []page
	at    int // index of the current page in pages
	// from is the list article the history began with; 0 when closed.
	from int64
	// loading names what is being opened; the current page stays on
	// screen until it arrives.
	loading string
	req     int // the newest open request; older answers are dropped
	body    *renderedBody
	bodyFor renderKey
	lines   []string // header, body and "From your feeds", styled
	// bodyStart is the line of lines where the body starts.
	bodyStart int
	plain     []string // lines without escape sequences, to find markers in
	markers   []linkMarker
	width     int
	height    int
	number    string // digits typed before enter, to follow link N
}

func (r *readerView) current() (*page, bool) {
	if r.at < 0 || r.at >= len(r.pages) {
		return nil, false
	}
	return &r.pages[r.at], true
}

// renderKey is the key the current page's body is rendered under.
func (r *readerView) renderKey(style article.Style, pics article.Pictures) (renderKey, bool) {
	p, ok := r.current()
	if !ok {
		return renderKey{}, false
	}
	return renderKey{doc: p.id, width: r.width, style: style, pics: pics}, true
}

func pageKey(o openRequest) string {
	if !o.isStored() {
		return "url:" + o.url
	}
	key := "article:" + strconv.FormatInt(o.stored.ID, 10)
	switch o.text {
	case config.FullTextNever:
		key += "#feed"
	case config.FullTextAlways:
		key += "#page"
	}
	return key
}

// show makes doc the current page: a new history, or the next entry of
// the current one (dropping any forward entries).
func (r *readerView) show(o openRequest, doc *article.Article, id string, similar []news.Article) {
	cur, ok := r.current()
	p := page{open: o, doc: doc, id: id, similar: similar, highlight: -1}
	switch {
	case ok && o.replace:
		*cur = p
	case ok && o.push:
		r.pages = append(r.pages[:r.at+1], p)
	default:
		r.pages = []page{p}
	}
	r.at = len(r.pages) - 1
	r.body, r.bodyFor = nil, renderKey{}
	r.number = ""
}

// cancelOpen drops the answer to the open in flight, if any.
func (r *readerView) cancelOpen() {
	r.req++
	r.loading = ""
}

func (r *readerView) setSize(width, height int) { r.width, r.height = width, height }

// handleKey scrolls, moves the highlight, collects a typed link number,
// walks the history, or asks the root for what reaches past the reader.
func (r *readerView) handleKey(msg tea.KeyPressMsg, k *KeyMap) (intent, bool) {
	if isDigit(msg) {
		if len(r.number) < 4 {
			r.number += msg.Text
		}
		return intent{}, true
	}
	if p, ok := r.current(); ok {
		if to, ok := moveKey(msg, k, p.offset, r.maxOffset(), r.height); ok {
			r.scrollTo(to)
			return intent{}, true
		}
	}
	switch {
	case key.Matches(msg, k.NextLink):
		r.moveHighlight(1)
	case key.Matches(msg, k.PrevLink):
		r.moveHighlight(-1)
	case key.Matches(msg, k.Follow):
		return r.chosenLink(), true
	case key.Matches(msg, k.LinkList):
		if _, ok := r.current(); ok {
			return intent{kind: showLinksIntent}, true
		}
	case key.Matches(msg, k.Forward):
		if r.step(1) {
			return intent{kind: renderIntent}, true
		}
	case key.Matches(msg, k.ToggleText):
		return r.toggleText(), true
	case key.Matches(msg, k.Back):
		return r.back(), true
	case key.Matches(msg, k.SaveStory):
		return intent{kind: saveStoryIntent}, true
	case key.Matches(msg, k.PipeStory):
		return intent{kind: pipeStoryIntent}, true
	default:
		return intent{}, false
	}
	return intent{}, true
}

// back clears a typed number, else cancels an open in flight, else goes
// back one followed link, else asks to leave the reader.
func (r *readerView) back() intent {
	switch {
	case r.number != "":
		r.number = ""
	case r.loading != "" && len(r.pages) > 0:
		r.cancelOpen()
	case r.step(-1):
		return intent{kind: renderIntent}
	default:
		return intent{kind: leaveIntent}
	}
	return intent{}
}

// chosenLink follows the link whose number was typed, else the
// highlighted one.
func (r *readerView) chosenLink() intent {
	var n int
	switch h, ok := r.highlighted(); {
	case r.number != "":
		n, _ = strconv.Atoi(r.number)
		r.number = ""
	case ok:
		n = h
	default:
		return intent{info: "Press tab to pick a link, or type its number, then enter"}
	}
	t, ok := r.target(n)
	if !ok {
		return intent{err: fmt.Errorf("there is no link %d", n)}
	}
	return intent{kind: followIntent, target: t}
}

// follow asks for a link, or a "From your feeds" article, to open after
// the current page; back returns to where the reader was.
func (r *readerView) follow(t target) intent {
	o := openRequest{stored: t.stored, url: t.url, push: true}
	label := t.url
	switch {
	case o.isStored():
		label = oneLine(t.stored.Title)
	case !t.followable:
		return intent{err: fmt.Errorf("link %d (%s) cannot be opened here", t.n, t.url)}
	}
	return r.open(o, label)
}

// openArticle asks for a stored article, starting a new history.
func (r *readerView) openArticle(a news.Article) intent {
	r.from = a.ID
	return r.open(openRequest{stored: a}, oneLine(a.Title))
}

// openedFrom is the list article the reader was opened on, if it is open.
func (r *readerView) openedFrom() (int64, bool) { return r.from, r.from != 0 }

// close drops the history and any open in flight.
func (r *readerView) close() {
	r.cancelOpen()
	r.pages, r.at, r.from = nil, -1, 0
	r.body, r.bodyFor, r.number = nil, renderKey{}, ""
	r.lines, r.plain, r.markers = nil, nil, nil
}

// toggleText asks for the other text of a stored article in place of
// the current one: the page's for the feed's, or the other way round.
func (r *readerView) toggleText() intent {
	p, ok := r.current()
	if !ok || !p.open.isStored() {
		return intent{info: "Only articles from your feeds have a feed text to switch to"}
	}
	o := p.open
	o.push, o.replace = false, true
	if p.doc.Source == article.SourceFeed {
		o.text = config.FullTextAlways
		return r.open(o, "the full text")
	}
	o.text = config.FullTextNever
	return r.open(o, "the feed's text")
}

// open makes o the request in flight, named label until it arrives. A
// request that starts a new history drops the current one at once.
func (r *readerView) open(o openRequest, label string) intent {
	r.req++
	r.loading = label
	if !o.push && !o.replace {
		r.pages, r.at = nil, -1
	}
	return intent{kind: openPageIntent, req: r.req, open: o}
}

// answered says whether the answer to request req is still wanted, and
// stops waiting for it if so.
func (r *readerView) answered(req int) bool {
	if req != r.req {
		return false
	}
	r.loading = ""
	return true
}

// storedArticle is the feed article on screen, if the page is one.
func (r *readerView) storedArticle() (news.Article, bool) {
	if p, ok := r.current(); ok && p.open.isStored() {
		return p.open.stored, true
	}
	return news.Article{}, false
}

// updateArticle shows an article's new flags wherever the history holds it.
func (r *readerView) updateArticle(a news.Article) {
	for i := range r.pages {
		if r.pages[i].open.stored.ID == a.ID {
			r.pages[i].open.stored = a
		}
	}
}

// hasBody says whether the current page is drawn as k.
func (r *readerView) hasBody(k renderKey) bool { return r.bodyFor == k }

// setBody makes body, rendered as k, the current page's body.
func (r *readerView) setBody(k renderKey, body *renderedBody) { r.body, r.bodyFor = body, k }

// hasPage says whether a page is on screen.
func (r *readerView) hasPage() bool { _, ok := r.current(); return ok }

// currentLink is what o and y act on in the reader: the highlighted link,
// else the page; title is the link's text or the page's title.
func (r *readerView) currentLink() (url, title string) {
	if n, ok := r.highlighted(); ok {
		if t, ok := r.target(n); ok {
			return t.url, t.text
		}
	}
	if p, ok := r.current(); ok {
		title = p.open.stored.Title
		if p.doc != nil && p.doc.Title != "" {
			title = p.doc.Title
		}
		return pageURL(p), title
	}
	return "", ""
}

// step moves through the history by delta pages, keeping each page's
// scroll position.
func (r *readerView) step(delta int) bool {
	to := r.at + delta
	if to < 0 || to >= len(r.pages) {
		return false
	}
	r.at = to
	r.body, r.bodyFor = nil, renderKey{}
	r.number = ""
	return true
}

// maxLinkNumber is the highest number the renderer gave a link; "From
// your feeds" articles are numbered after it.
func maxLinkNumber(doc *article.Article) int {
	n := 0
	for _, l := range doc.Links {
		n = max(n, l.N)
	}
	return n
}

// layout composes the page's lines and finds its link markers. It runs
// when the page, its rendering, the width or the styles change, never per
// frame; the body's lines and markers come prepared (see renderedBody), so
// it costs no more for a long article than for a short one.
func (r *readerView) layout(st *Styles, now time.Time) {
	p, ok := r.current()
	if !ok {
		r.lines, r.plain, r.markers = nil, nil, nil
		return
	}
	width := max(10, r.width)
	head := headerLines(p, st, width, now)
	body := []string{margin + st.Dim.Render("Rendering…")}
	bodyPlain := []string{ansi.Strip(body[0])}
	if r.body != nil {
		body, bodyPlain = r.body.lines, r.body.plain
	}
	n := len(head) + len(body)
	r.bodyStart = len(head)
	r.lines = append(append(make([]string, 0, n), head...), body...)
	r.plain = make([]string, 0, n)
	for _, l := range head {
		r.plain = append(r.plain, ansi.Strip(l))
	}
	r.plain = append(r.plain, bodyPlain...)
	r.markers = findMarkers(r.plain[:len(head)], 0, maxLinkNumber(p.doc)+len(p.similar), r.markers[:0])
	if r.body != nil {
		for _, m := range r.body.markers {
			m.line += len(head)
			r.markers = append(r.markers, m)
		}
	}
	if r.body != nil {
		// Until the body arrives the page is too short to hold the
		// offset and the highlight that back or forward restores. A new
		// width moves the lines: the highlight is scrolled back into view.
		if p.highlight >= len(r.markers) {
			p.highlight = -1
		}
		p.offset = r.clampOffset(p.offset)
		if m, ok := r.highlightedMarker(); ok && !r.onScreen(m.line) {
			p.offset = r.clampOffset(m.line - r.height/3)
		}
	}
}

// margin lines up the reader's own lines with the renderer's left margin.
const margin = "  "

// headerLines is what the rendered document does not say: the feed a
// stored article came from. The renderer draws the title, site, author,
// date, URL and any notice about the text.
func headerLines(p *page, st *Styles, width int, now time.Time) []string {
	var lines []string
	add := func(style func(...string) string, text string) {
		for _, l := range strings.Split(ansi.Wrap(text, max(1, width-2*len(margin)), ""), "\n") {
			lines = append(lines, margin+style(l))
		}
	}
	if a := p.open.stored; p.open.isStored() {
		from := "From " + oneLine(a.FeedTitle)
		if when := ago(now, a.Published); when != "" {
			from += " · " + when
		}
		add(st.Dim.Render, from)
	}
	return lines
}

// highlightedLink is the number and URL of the highlighted link, which
// the status line shows instead of where the reader is.
func (r *readerView) highlightedLink() (int, string, bool) {
	if n, ok := r.highlighted(); ok {
		if t, ok := r.target(n); ok {
			return n, oneLine(t.url), true
		}
	}
	return 0, "", false
}

// where names the page for the status line.
func (r *readerView) where() string {
	if r.number != "" {
		return "Follow link " + r.number + " (enter)"
	}
	if r.loading != "" {
		return "Opening " + r.loading + "…"
	}
	p, ok := r.current()
	if !ok {
		return "Reader"
	}
	where := "Reading"
	if p.doc.Source == article.SourceFeed {
		where = "Feed text" // t switches to the page's text
	}
	if len(r.pages) > 1 {
		where += fmt.Sprintf(" %d/%d", r.at+1, len(r.pages))
	}
	title := p.doc.Title
	if title == "" {
		title = pageURL(p)
	}
	return where + " · " + oneLine(title)
}

// pageURL is the address the page was read from.
func pageURL(p *page) string {
	switch {
	case p.doc != nil && p.doc.URL != "":
		return p.doc.URL
	case p.open.isStored():
		return p.open.stored.URL
	}
	return p.open.url
}

func (r *readerView) maxOffset() int { return max(0, len(r.lines)-r.height) }

// scrollTo scrolls to a line, dropping a highlight it scrolls off
// screen: enter, o and y act on the highlight, which must be in sight.
func (r *readerView) scrollTo(offset int) {
	p, ok := r.current()
	if !ok {
		return
	}
	p.offset = r.clampOffset(offset)
	if m, ok := r.highlightedMarker(); ok && !r.onScreen(m.line) {
		p.highlight = -1
	}
}

func (r *readerView) clampOffset(offset int) int { return max(0, min(offset, r.maxOffset())) }

// onScreen says whether a line of the page is in view.
func (r *readerView) onScreen(line int) bool {
	p, ok := r.current()
	return ok && line >= p.offset && line < p.offset+r.height
}

func (r *readerView) highlightedMarker() (linkMarker, bool) {
	p, ok := r.current()
	if !ok || p.highlight < 0 || p.highlight >= len(r.markers) {
		return linkMarker{}, false
	}
	return r.markers[p.highlight], true
}

func (r *readerView) scrollBy(delta int) {
	if p, ok := r.current(); ok {
		r.scrollTo(p.offset + delta)
	}
}

// moveHighlight moves to the next (dir +1) or previous (dir -1) link
// marker, starting from the visible part when nothing is highlighted, and
// scrolls it into view.
func (r *readerView) moveHighlight(dir int) bool {
	p, ok := r.current()
	if !ok || len(r.markers) == 0 {
		return false
	}
	next := p.highlight + dir
	if p.highlight < 0 {
		next = -1
		for i, m := range r.markers {
			if dir > 0 && m.line >= p.offset {
				next = i
				break
			}
			if dir < 0 && m.line < p.offset+r.height {
				next = i
			}
		}
		if next < 0 {
			next = 0
			if dir < 0 {
				next = len(r.markers) - 1
			}
		}
	}
	next = (next + len(r.markers)) % len(r.markers)
	p.highlight = next
	if m := r.markers[next]; !r.onScreen(m.line) {
		r.scrollTo(m.line - r.height/3)
	}
	return true
}

// highlighted returns the link number under the highlight.
func (r *readerView) highlighted() (int, bool) {
	m, ok := r.highlightedMarker()
	return m.n, ok
}

// target is what link number n leads to: a link of the page, or one of
// the "From your feeds" articles.
type target struct {
	n      int
	text   string
	url    string
	stored news.Article // ID set for a "From your feeds" article
	// followable is false for links byline cannot open itself (the
	// renderer's judgement: images, mail addresses and the like).
	followable bool
}

func (r *readerView) targets() []target {
	p, ok := r.current()
	if !ok {
		return nil
	}
	var ts []target
	for _, l := range p.doc.Links {
		ts = append(ts, target{n: l.N, text: oneLine(l.Text), url: l.URL, followable: l.Followable})
	}
	base := maxLinkNumber(p.doc)
	for i, a := range p.similar {
		ts = append(ts, target{n: base + i + 1, text: oneLine(a.Title), url: a.URL, stored: a, followable: true})
	}
	return ts
}

func (r *readerView) target(n int) (target, bool) {
	for _, t := range r.targets() {
		if t.n == n {
			return t, true
		}
	}
	return target{}, false
}

// scrollPercent says where the view is in the page.
func (r *readerView) scrollPercent() string {
	p, ok := r.current()
	if !ok || len(r.lines) == 0 {
		return ""
	}
	if r.maxOffset() == 0 {
		return "all"
	}
	return fmt.Sprintf("%d%%", p.offset*100/r.maxOffset())
}

func (r *readerView) View(st *Styles) string {
	p, ok := r.current()
	if !ok {
		msg := "Choose an article and press enter."
		if r.loading != "" {
			msg = "Opening " + r.loading + "…"
		}
		return st.Dim.Render(fitWidth(msg, r.width)) + strings.Repeat("\n", max(0, r.height-1))
	}
	start := min(p.offset, r.maxOffset())
	end := min(len(r.lines), start+r.height)
	shown := make([]string, 0, r.height)
	// A body drawn for a wider window stays until the new rendering comes:
	// cut, so that no line wraps and breaks the screen. Only the lines on
	// screen are cut, so a resize costs nothing per line of the article.
	cut := r.body != nil && r.body.width > max(10, r.width)
	for i := start; i < end; i++ {
		line := r.lines[i]
		if cut {
			line = ansi.Truncate(line, r.width, "")
		}
		if p.highlight >= 0 && p.highlight < len(r.markers) && r.markers[p.highlight].line == i {
			m := r.markers[p.highlight]
			line = ansi.Cut(line, 0, m.col) + st.Link.Render(m.text) +
				ansi.Cut(line, m.col+len(m.text), ansi.StringWidth(line))
		}
		shown = append(shown, line)
	}
	for len(shown) < r.height {
		shown = append(shown, "")
	}
	return strings.Join(shown, "\n")
}

// highlightAt highlights the link marker at a screen row and column of
// the reader, if one is there.
func (r *readerView) highlightAt(row, col int) bool {
	p, ok := r.current()
	if !ok {
		return false
	}
	line := p.offset + row
	for i, m := range r.markers {
		if m.line == line && col >= m.col && col < m.col+len(m.text) {
			p.highlight = i
			return true
		}
	}
	return false
}
