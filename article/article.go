// Package article turns a web page, or a feed item's HTML, into the story
// alone: readable Markdown with numbered links, plain text, and a rendering
// for the terminal.
//
// The body carries a marker after each link text ("the council [3]") and a
// line per image ("[image: a flooded street] [4]"); the targets are listed
// once, by number, after the body, so that the text reads cleanly and every
// link can still be opened by its number. Links that the page groups under
// headings such as "Related" or "Read more" leave the body and are listed
// as related links.
//
// Everything here reads hostile input: every string that reaches an Article
// has passed the sanitizer, and only validated http(s) URLs (and byline's
// own "byline:" links) are ever offered as openable.
package article

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/bylinehq/byline/news"
)

var (
	// ErrNoArticle means the page has no article text to show. The caller
	// falls back to the feed's text (FromFeed).
	ErrNoArticle = errors.New("no article text found on the page")
	// ErrNotHTML means the link is something else, such as a PDF; its
	// message suggests opening it in the browser.
	ErrNotHTML = errors.New("not a web page")
)

// Source values say where an Article's text came from.
const (
	SourcePage   = "page"
	SourceFeed   = "feed"
	SourceJSONLD = "json-ld"
)

// Link is one numbered link of an article.
// Its JSON form is part of `byline read --format json` and `byline links
// --json`, a contract for scripts.
type Link struct {
	N    int    `json:"n"`
	Text string `json:"text"`
	URL  string `json:"url"`
	// Related is set for links from the page's "Related" and "Read more"
	// blocks, which are not part of the story's text.
	Related bool `json:"related"`
	// Followable is set when byline may open URL: an absolute http(s) URL
	// that passed validation, or a "byline:" link to an article inside
	// byline. Other links (mailto:, javascript:, relative junk) are listed
	// but cannot be opened.
	Followable bool `json:"followable"`
}

// Article is a cleaned-up story.
type Article struct {
	URL, Title, Author, Site, Lang, Image string
	Published                             time.Time // zero when unknown
	// Markdown is the body alone, with "[n]" markers after link texts and
	// "[image: alt] [n]" lines for images; no link targets appear in it.
	Markdown string
	// Text is the body as plain paragraphs separated by blank lines,
	// without markers or images.
	Text string
	// Links lists the body's links in reading order, then the related
	// links; numbering runs on across both, and a URL keeps the number of
	// its first occurrence.
	Links []Link
	// Source is SourcePage, SourceFeed or SourceJSONLD.
	Source string
	// Notice tells the reader why the text may be incomplete; it is empty
	// when all went well.
	Notice string
	// Pictures are the article's images as kept in the cache (the lead
	// image and those of the body, by URL), for drawing; they are stored
	// beside the page, not in it.
	Pictures []news.Picture `json:"-"`
}

// FallbackNotice words, for the reader, why the feed's text is shown
// instead of the page: err is what Extract or the page fetch returned.
func FallbackNotice(err error) string {
	if errors.Is(err, ErrNoArticle) {
		return "The page has no article text that byline could find; showing the feed's text."
	}
	return "The page could not be read; showing the feed's text."
}

// ThinnerThan reports whether a page's text is too short to stand for the
// story when other, the feed's text, says more: the page is a stub, or no
// article.
func (a *Article) ThinnerThan(other *Article) bool {
	words := countWords(a.Text)
	return words < minWords && words < countWords(other.Text)
}

// PlainText is the body as plain paragraphs: no title, no link markers, no
// link lists.
func (a *Article) PlainText() string { return a.Text }

// MarkdownDocument is the whole article as Markdown: the title, a line of
// metadata, the Notice as a quote, the body, then the numbered "Links" and
// "Related" lists.
func (a *Article) MarkdownDocument() string { return a.markdownDocument(true) }

// markdownDocument is MarkdownDocument, with the link lists or without
// them (for a rendering, which draws them itself: DrawLinkSections).
func (a *Article) markdownDocument(linkLists bool) string {
	var b strings.Builder
	b.Grow(len(a.Markdown) + 128*len(a.Links) + 256)
	if a.Title != "" {
		b.WriteString("# ")
		b.WriteString(escapeInline(a.Title))
		b.WriteString("\n\n")
	}
	if meta := a.metadataLine(); meta != "" {
		b.WriteString(meta)
		b.WriteString("\n\n")
	}
	if a.Notice != "" {
		b.WriteString("> ")
		b.WriteString(escapeInline(a.Notice))
		b.WriteString("\n\n")
	}
	if a.Markdown != "" {
		b.WriteString(a.Markdown)
		b.WriteString("\n\n")
	}
	if linkLists {
		a.writeLinkList(&b, "Links", false)
		a.writeLinkList(&b, "Related", true)
	}
	// The title and link texts are text: a "&#27;" in them must not turn
	// into a control when the document is rendered.
	return neutralizeCharRefs(strings.TrimRight(b.String(), "\n") + "\n")
}

// metadataLine is "site · author · date · url", leaving out what is unknown.
func (a *Article) metadataLine() string {
	var parts []string
	for _, s := range []string{a.Site, a.Author} {
		if s != "" {
			parts = append(parts, escapeInline(s))
		}
	}
	if !a.Published.IsZero() {
		parts = append(parts, a.Published.Format("2006-01-02"))
	}
	if target, followable, ok := resolveLink(nil, a.URL); ok {
		parts = append(parts, markdownURL(target, followable))
	}
	return escapeLineStart(strings.Join(parts, " · "))
}

func (a *Article) writeLinkList(b *strings.Builder, heading string, related bool) {
	wrote := false
	for _, l := range a.Links {
		if l.Related != related {
			continue
		}
		if !wrote {
			b.WriteString("## ")
			b.WriteString(heading)
			b.WriteString("\n\n")
			wrote = true
		}
		b.WriteString("- [")
		b.WriteString(strconv.Itoa(l.N))
		b.WriteString("] ")
		if l.Text != "" && l.Text != l.URL {
			b.WriteString(escapeInline(l.Text))
			b.WriteString(" — ")
		}
		b.WriteString(markdownURL(l.URL, l.Followable))
		if !l.Followable {
			b.WriteString(" (not openable)")
		}
		b.WriteByte('\n')
	}
	if wrote {
		b.WriteByte('\n')
	}
}

// jsonArticle is the shape `byline read --format json` prints.
type jsonArticle struct {
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	Author    string  `json:"author"`
	Site      string  `json:"site"`
	Published *string `json:"published"`
	Lang      string  `json:"lang"`
	Image     string  `json:"image"`
	Markdown  string  `json:"markdown"`
	Text      string  `json:"text"`
	Links     []Link  `json:"links"`
}

// JSON is the article as indented JSON: url, title, author, site,
// published (RFC 3339, or null when unknown), lang, image, markdown, text
// and links.
func (a *Article) JSON() ([]byte, error) {
	out := jsonArticle{
		URL: a.URL, Title: a.Title, Author: a.Author, Site: a.Site, Lang: a.Lang, Image: a.Image,
		Markdown: a.Markdown, Text: a.Text, Links: a.Links,
	}
	if !a.Published.IsZero() {
		p := a.Published.Format(time.RFC3339)
		out.Published = &p
	}
	if out.Links == nil {
		out.Links = []Link{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Keep "<", ">" and "&" readable in the Markdown and URLs.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
