package article

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/bylinehq/byline/internal/highlight"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/bylinehq/byline/sanitize"
)

const (
	// minWords: a text with fewer words is too short to stand for the
	// story when another candidate has more.
	minWords = 30
	// teaserWords: a paywalled page with fewer words shows only the part
	// of the story that is free, and the Article says so.
	teaserWords = 250
)

const paywallNotice = "This page shows only the start of the story; the rest is for subscribers. Open it in the browser to read it all."

// Extract reads an HTML page (the raw bytes, the Content-Type header and
// the page's URL after redirects) and returns its article, cleaned up.
//
// The text is the best of several candidates (see chooseBody): readability's
// pick, the container the page marks as its article, the JSON-LD
// articleBody; a page that is no article (a shop, an index) gives its main
// text. A page behind a paywall gives the free part with a Notice.
// Extract returns an error wrapping ErrNotHTML for a PDF, an image and the
// like, ErrNoArticle when the page has no text at all, and another error
// when the page cannot be read; the caller then shows the feed's text
// (FromFeed) with FallbackNotice.
func Extract(body []byte, contentType, pageURL string) (*Article, error) {
	return extract(body, contentType, pageURL, nil)
}

// extract is Extract with a site's rule, or nil: the rule strips what it
// names before anything else, and its body, when the page has one, is the
// story.
func extract(body []byte, contentType, pageURL string, rule *siteRule) (art *Article, err error) {
	if err := checkHTML(body, contentType); err != nil {
		return nil, fmt.Errorf("read page %s: %w", pageURL, err)
	}
	// readability and the Markdown converter walk arbitrary markup; one
	// odd page must cost its article, not the program.
	defer func() {
		if r := recover(); r != nil {
			art, err = nil, fmt.Errorf("read page %s: %v", pageURL, r)
		}
	}()
	doc, err := html.Parse(bytes.NewReader(decodeHTML(body, contentType)))
	if err != nil {
		return nil, fmt.Errorf("read page %s: %w", pageURL, err)
	}
	meta := readPageMeta(doc, pageURL)
	// The byline is read before the clean-up, which may take the box it
	// is in.
	byline := pageByline(doc)
	openNoscripts(doc)
	dropUnseen(doc)
	if rule != nil {
		rule.stripFrom(doc)
	}
	// Related blocks and clutter go before readability sees the page: it
	// may drop a related block whose links are wanted, or keep an ad.
	related := removeClutter(doc, true, meta.base)

	// readability takes the page apart as it reads it; the other
	// candidates are looked for in a copy.
	page := cloneTree(doc)
	parser := readability.NewParser()
	// Classes let the second clean-up below recognise what readability kept.
	parser.KeepClasses = true
	found, readErr := parser.ParseAndMutate(doc, meta.base)
	var content *html.Node
	source := SourcePage
	if readErr == nil && found.Node != nil {
		content = found.Node
		fixAtoms(content)
	}
	if ruled := rule.bodyOf(page); ruled != nil {
		content, source = ruled, SourcePage
	} else {
		content, source = chooseBody(content, page, meta.jsonLD.Body, meta.base)
	}
	if content == nil {
		if readErr != nil {
			return nil, fmt.Errorf("read page %s: %w", pageURL, readErr)
		}
		return nil, fmt.Errorf("read page %s: %w", pageURL, ErrNoArticle)
	}

	a := &Article{
		URL:       sanitize.Line(pageURL),
		Title:     sanitize.Line(meta.headline(firstNonEmpty(found.Title(), meta.tag("og:title", "twitter:title"), meta.jsonLD.Headline, meta.title))),
		Author:    cleanAuthor(firstNonEmpty(chooseByline(found.Byline(), byline, &meta), meta.jsonLD.Author, pageAuthor(&meta))),
		Site:      sanitize.Line(firstNonEmpty(found.SiteName(), meta.tag("og:site_name", "application-name"), meta.jsonLD.Site, siteOf(pageURL))),
		Lang:      sanitize.Line(firstNonEmpty(meta.language(), found.Language())),
		Published: meta.published(),
		Source:    source,
	}
	if image, followable, ok := resolveLink(meta.base, firstNonEmpty(
		meta.tag("og:image", "og:image:url", "twitter:image", "twitter:image:src"), meta.jsonLD.Image, found.ImageURL())); ok && followable {
		a.Image = image
	}
	dropHidden(content)
	related = append(related, removeClutter(content, false, meta.base)...)
	related = append(related, removeRepeats(content, a.Title, a.Author)...)
	dropPullQuotes(content)
	related = append(related, trimEdges(content)...)
	addStandfirst(page, content, meta.tag("og:description", "description", "twitter:description"))
	addFootnotes(page, content)
	if err := a.setBody(content, meta.base, related); err != nil {
		return nil, fmt.Errorf("read page %s: %w", pageURL, err)
	}
	words := countWords(a.Text)
	if words == 0 {
		return nil, fmt.Errorf("read page %s: %w", pageURL, ErrNoArticle)
	}
	if meta.paywalled && words < teaserWords {
		a.Notice = paywallNotice
	}
	return a, nil
}

// FromFeed builds an Article from a feed item's HTML: used when the feed
// already has the whole story (IsFullStory), and as the fallback when the
// page cannot be read. It cleans and numbers the links like Extract.
func FromFeed(title, pageURL, author string, published time.Time, content string) (a *Article) {
	a = &Article{
		URL:       sanitize.Line(pageURL),
		Title:     sanitize.Line(title),
		Author:    cleanAuthor(author),
		Site:      siteOf(pageURL),
		Published: published,
		Source:    SourceFeed,
	}
	defer func() {
		if r := recover(); r != nil {
			a.Markdown, a.Text, a.Links = "", "", nil
			a.Notice = feedUnreadableNotice
		}
	}()
	base, _ := url.Parse(pageURL)
	root, err := parseFragment(content)
	if err != nil {
		a.Notice = feedUnreadableNotice
		return a
	}
	dropHidden(root)
	related := removeClutter(root, false, base)
	related = append(related, removeRepeats(root, a.Title, a.Author)...)
	dropPullQuotes(root)
	if err := a.setBody(root, base, related); err != nil {
		a.Notice = feedUnreadableNotice
	}
	return a
}

const feedUnreadableNotice = "The feed's text for this article could not be read; open it in the browser."

// setBody sanitizes a cleaned body, numbers its links (then the related
// ones) and fills Markdown, Text and Links.
func (a *Article) setBody(content *html.Node, base *url.URL, related []rawLink) error {
	sanitizeTree(content)
	links := newLinkIndex(base)
	numbers := make(linkNumbers)
	var placeholders []*html.Node
	for n := range descendants(content, 0) {
		var num int
		switch n.DataAtom {
		case atom.A:
			num = links.add(attr(n, "href"), linkLabel(n), false)
		case atom.Iframe:
			if page, site, ok := videoLink(attr(n, "src")); ok {
				num = links.add(page, "video: "+videoTitle(n, site), false)
			}
		case atom.Img:
			src, inline := imageSource(n)
			switch {
			case src == "" && !inline && strings.TrimSpace(attr(n, "alt")) == "":
				placeholders = append(placeholders, n)
			case src != "" && !insideLink(n):
				// An image inside a link is opened by the link's number.
				num = links.add(src, imageLabel(n), false)
			}
		}
		if num != 0 {
			numbers[n] = num
		}
	}
	// Removing images that show nothing lets the converter tidy the white
	// space around them.
	for _, n := range placeholders {
		detach(n)
	}
	for pre := range descendants(content, atom.Pre) {
		setCodeLanguage(pre)
	}
	for _, l := range related {
		links.add(l.href, l.text, true)
	}
	md, text, left, err := convertBody(content, numbers)
	if err != nil {
		return err
	}
	a.Markdown, a.Text, a.Links = md, text, links.links
	if left > 0 {
		a.Notice = fmt.Sprintf("This page is very long: about %d more words follow where this text stops. Open it in the browser to read them.", left)
	}
	return nil
}

// sanitizeTree cleans every text and attribute of a body once the HTML
// parser has decoded its character references: "&#27;" is a raw ESC by
// now.
func sanitizeTree(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			c.Data = sanitize.Text(c.Data)
		case html.ElementNode:
			for i := range c.Attr {
				c.Attr[i].Val = sanitize.Text(c.Attr[i].Val)
			}
			sanitizeTree(c)
		}
	}
}

// setCodeLanguage names the language of a code block in the class the
// Markdown converter reads, as one the highlighter knows, or "text".
// Glamour highlights every code block: given no language, or one it does
// not know, it tries every lexer on the code, which costs milliseconds a
// block; "text" costs next to nothing.
func setCodeLanguage(pre *html.Node) {
	lang := "text"
	for _, n := range append([]*html.Node{pre}, childElements(pre, atom.Code)...) {
		for class := range strings.FieldsSeq(attr(n, "class")) {
			name, ok := strings.CutPrefix(class, "language-")
			if !ok {
				name, ok = strings.CutPrefix(class, "lang-")
			}
			if ok && codeLanguageName.MatchString(name) && highlight.Lexer(name) != nil {
				lang = name
			}
		}
	}
	setAttr(pre, "class", "language-"+lang)
}

// codeLanguageName keeps the fence's info string plain: a backquote there
// would end the fence.
var codeLanguageName = regexp.MustCompile(`^[A-Za-z0-9+#._-]{1,32}$`)

func childElements(n *html.Node, a atom.Atom) []*html.Node {
	var children []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isElement(c, a) {
			children = append(children, c)
		}
	}
	return children
}

func setAttr(n *html.Node, key, value string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			n.Attr[i].Val = value
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: value})
}

// fixAtoms sets each element's DataAtom from its tag name: readability
// renames elements (a <td> becomes a <p>) and creates new ones by name
// only, leaving DataAtom stale or empty.
func fixAtoms(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			c.DataAtom = atom.Lookup([]byte(c.Data))
			fixAtoms(c)
		}
	}
}

func insideLink(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if isElement(p, atom.A) {
			return true
		}
	}
	return false
}

func imageLabel(img *html.Node) string {
	if alt := strings.TrimSpace(attr(img, "alt")); alt != "" {
		return "image: " + alt
	}
	return "image"
}

// checkHTML refuses what is not a web page. The type the server (or a
// local file's name) gives decides; no type, or a generic one, gets the
// bytes sniffed. text/plain counts as generic: servers send it for files
// they have no type for, and reading a page as HTML in a terminal runs
// nothing, whereas refusing it leaves the reader with nothing. XML counts
// as generic too: servers send XHTML pages as text/xml.
func checkHTML(body []byte, contentType string) error {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = ""
	}
	switch mediaType {
	case "text/html", "application/xhtml+xml":
		return nil
	case "", "text/plain", "application/octet-stream", "binary/octet-stream", "text/xml", "application/xml":
		sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(skipPrologue(body)))
		if sniffed == "text/html" || startsLikePage(body) {
			return nil
		}
		if mediaType == "" || strings.HasSuffix(mediaType, "octet-stream") {
			mediaType = sniffed
		}
	}
	return fmt.Errorf("%w: the link is %s; open it in the browser instead", ErrNotHTML, describeType(mediaType))
}

func describeType(mediaType string) string {
	kind, _, _ := strings.Cut(mediaType, "/")
	switch {
	case mediaType == "application/pdf":
		return "a PDF document"
	case kind == "image":
		return "an image (" + mediaType + ")"
	case kind == "video":
		return "a video (" + mediaType + ")"
	case kind == "audio":
		return "an audio file (" + mediaType + ")"
	case mediaType == "":
		return "not HTML"
	}
	return mediaType + ", not HTML"
}

// articleBodyNode turns articleBody into a body: it is plain text with line
// breaks between paragraphs, though some sites put HTML in it.
func articleBodyNode(body string) *html.Node {
	if strings.Contains(body, "</p>") || strings.Contains(body, "<br") {
		if root, err := parseFragment(body); err == nil {
			return root
		}
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, para := range strings.Split(body, "\n") {
		if para = strings.TrimSpace(para); para != "" {
			p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
			p.AppendChild(&html.Node{Type: html.TextNode, Data: para})
			root.AppendChild(p)
		}
	}
	return root
}

// parseFragment parses HTML as the inside of a <div>. The parser accepts
// any markup; it only refuses elements nested deeper than it allows.
func parseFragment(content string) (*html.Node, error) {
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(content), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root, nil
}

// authorTags are the <meta> tags that name the author, readability's
// first, so that byline names who it names. article:author is often a
// profile URL rather than a name.
var authorTags = []string{"dc:creator", "dc.creator", "dcterm:creator", "dcterms.creator", "author", "parsely-author",
	"article:author", "sailthru.author", "byl"}

// pageAuthor reads the author from <meta> tags.
func pageAuthor(m *pageMeta) string {
	for _, key := range authorTags {
		if a := m.tag(key); a != "" && !strings.Contains(a, "://") {
			return a
		}
	}
	return ""
}

// chooseByline picks between readability's byline, which comes from the
// page's metadata or else from its markup once the clean-up has run, and
// the one read from the markup before it: the clean-up may have taken the
// byline's box, and readability then takes a dateline for it.
func chooseByline(readabilitys, before string, m *pageMeta) string {
	if before == "" || readabilitys == before ||
		readabilitys != "" && (readabilitys == strings.TrimSpace(m.jsonLD.Author) || slices.Contains(m.authors, readabilitys)) {
		return readabilitys
	}
	return before
}

var byPrefix = regexp.MustCompile(`(?i)^(by|von|par|por|door|di)\s+`)

// cleanAuthor makes "By Jane Doe" "Jane Doe".
func cleanAuthor(s string) string {
	s = byPrefix.ReplaceAllString(sanitize.Line(s), "")
	if onlyADate(s) {
		// A byline element that holds the date ("6 January 2025, 20:47
		// UTC") is no author: shown as one, the date came twice.
		return ""
	}
	return s
}

// dateWords are the words a written date or time is made of, besides numbers.
var dateWords = func() map[string]bool {
	m := map[string]bool{"at": true, "on": true, "am": true, "pm": true, "a": true, "p": true, "m": true, "h": true}
	for _, w := range strings.Fields(`january february march april may june july august september october november december
		jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
		mon tue tues wed thu thur thurs fri sat sun utc gmt`) {
		m[w] = true
	}
	return m
}()

// onlyADate says whether s is a date or time and nothing else: numbers,
// month and day names, zones (UTC, CET), "at" and "p.m.".
func onlyADate(s string) bool {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	digits := false
	for _, w := range words {
		switch {
		case strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }) < 0:
			digits = true
		case dateWords[strings.ToLower(w)]:
		case len(w) >= 2 && len(w) <= 5 && strings.ToUpper(w) == w: // a zone: CET, AEST
		default:
			return false
		}
	}
	return digits
}

// siteOf is the host of an http(s) URL without "www.", the site's name
// when the page gives none.
func siteOf(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return sanitize.Line(strings.TrimPrefix(u.Hostname(), "www."))
}
