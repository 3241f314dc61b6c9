package article

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// invisible elements hold no reading text.
func invisible(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Svg:
		return n.Type == html.ElementNode
	}
	return false
}

// shortText returns n's text with white space collapsed, or ok=false as
// soon as it is longer than limit bytes: the labels looked for ("Related",
// "Advertisement") are short, and most elements are not.
func shortText(n *html.Node, limit int) (text string, ok bool) {
	text, _, ok = limitedText(n, limit, false)
	return text, ok
}

// limitedText is shortText, leaving out the text of links when
// outsideLinks is set; hasLinks says whether n has any.
func limitedText(n *html.Node, limit int, outsideLinks bool) (text string, hasLinks, ok bool) {
	t := textWriter{limit: limit}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !t.full; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				t.text(c.Data)
			case c.Type != html.ElementNode || invisible(c):
			case c.DataAtom == atom.A && outsideLinks:
				hasLinks = true
				t.space = true
			default:
				hasLinks = hasLinks || c.DataAtom == atom.A
				// Block boundaries separate words even without white space.
				t.space = t.space || isBlock(c) || c.DataAtom == atom.Br
				walk(c)
				t.space = t.space || isBlock(c)
			}
		}
	}
	walk(n)
	if t.full {
		return "", hasLinks, false
	}
	return t.b.String(), hasLinks, true
}

// wordCounts returns how many words n's text has, how many of them are
// link text, and how many links it has.
func wordCounts(n *html.Node) (words, inLinks, links int) {
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, inLink bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				w := countWords(c.Data)
				words += w
				if inLink {
					inLinks += w
				}
			case c.Type == html.ElementNode && !invisible(c):
				if c.DataAtom == atom.A {
					links++
				}
				walk(c, inLink || c.DataAtom == atom.A)
			}
		}
	}
	walk(n, false)
	return words, inLinks, links
}

// countWords counts runs of non-space characters without allocating.
func countWords(s string) int {
	words, inWord := 0, false
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		if isSpace(r) {
			inWord = false
		} else if !inWord {
			inWord = true
			words++
		}
		i += size
	}
	return words
}

func decodeRune(s string, i int) (rune, int) {
	if s[i] < utf8.RuneSelf {
		return rune(s[i]), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// isSpace is unicode.IsSpace with a fast path for ASCII.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// plainText renders a body as plain paragraphs separated by blank lines.
// List items and table rows are lines of their own; images are left out.
func plainText(root *html.Node) string {
	var t textWriter
	t.node(root)
	return strings.TrimSpace(t.b.String())
}

// textWriter collapses white space the way a browser does and turns block
// boundaries into line and paragraph breaks.
type textWriter struct {
	b      strings.Builder
	space  bool // a space is due before the next word
	breaks int  // line breaks due before the next text: 0, 1 or 2
	// limit, when set, stops the writing once the text is longer; full
	// says it was reached.
	limit int
	full  bool
}

func (t *textWriter) lineBreak(n int) { t.breaks = max(t.breaks, n) }

func (t *textWriter) write(s string) {
	if s == "" || t.full {
		return
	}
	switch {
	case t.b.Len() == 0:
	case t.breaks > 0:
		t.b.WriteString("\n\n"[:t.breaks])
	case t.space:
		t.b.WriteByte(' ')
	}
	t.breaks, t.space = 0, false
	if t.limit > 0 && t.b.Cap() == 0 {
		// One buffer for the most a limited text can take, rather than a
		// run of growing ones.
		t.b.Grow(t.limit + utf8.UTFMax + 1)
	}
	t.b.WriteString(s)
	t.full = t.limit > 0 && t.b.Len() > t.limit
}

// text writes the words of s, one space between them.
func (t *textWriter) text(s string) {
	for i := 0; i < len(s) && !t.full; {
		r, size := decodeRune(s, i)
		if isSpace(r) {
			t.space = true
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			r, size := decodeRune(s, j)
			if isSpace(r) {
				break
			}
			j += size
		}
		t.write(s[i:j])
		i = j
	}
}

func (t *textWriter) node(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			t.text(c.Data)
		case c.Type != html.ElementNode || invisible(c):
		case c.DataAtom == atom.Img, c.DataAtom == atom.Figcaption:
			// A caption goes with its picture, which the text leaves out.
		case c.DataAtom == atom.Br:
			t.lineBreak(1)
		case c.DataAtom == atom.Pre:
			t.lineBreak(2)
			t.write(strings.Trim(textContent(c), "\n"))
			t.lineBreak(2)
		case c.DataAtom == atom.Li:
			t.lineBreak(1)
			t.write(listMarker(c))
			t.space = true
			t.node(c)
			t.lineBreak(1)
		case c.DataAtom == atom.Tr:
			t.lineBreak(1)
			t.node(c)
			t.lineBreak(1)
		case c.DataAtom == atom.Td || c.DataAtom == atom.Th:
			if hasCellBefore(c) {
				t.space = true
				t.write("|")
				t.space = true
			}
			t.node(c)
		case isBlock(c):
			t.lineBreak(2)
			t.node(c)
			t.lineBreak(2)
		default:
			t.node(c)
		}
	}
}

func hasCellBefore(cell *html.Node) bool {
	for s := cell.PrevSibling; s != nil; s = s.PrevSibling {
		if isElement(s, atom.Td) || isElement(s, atom.Th) {
			return true
		}
	}
	return false
}

// listMarker is "-" for an unordered list item and "3." for the third
// item of an ordered list.
func listMarker(li *html.Node) string {
	if li.Parent == nil || li.Parent.DataAtom != atom.Ol {
		return "-"
	}
	n := 1
	if start, err := strconv.Atoi(attr(li.Parent, "start")); err == nil {
		n = start
	}
	for s := li.PrevSibling; s != nil; s = s.PrevSibling {
		if isElement(s, atom.Li) {
			n++
		}
	}
	return strconv.Itoa(n) + "."
}

// textContent is all of n's text as it stands, white space included.
func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			} else if c.Type == html.ElementNode && !invisible(c) {
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Center: true,
	atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Li: true, atom.Main: true, atom.Nav: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Ul: true, atom.Caption: true, atom.Tr: true,
}

func isBlock(n *html.Node) bool { return n.Type == html.ElementNode && blockElements[n.DataAtom] }

func isHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return n.Type == html.ElementNode
	}
	return false
}
