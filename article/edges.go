package article

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The edges of a body are where boilerplate gathers: after the story's
// last paragraph come the author's biography, "follow us", tags, dates,
// credits and links to other stories; before its first, the kicker, the
// date and the credits of the lead picture. trimEdges takes off what
// follows the last paragraph of prose when it does not read as prose
// itself: short lines and blocks made of links.

// textUnit is a block that holds no other block: a paragraph, a heading,
// a list item, a table cell's text.
type textUnit struct {
	node             *html.Node
	chars, linkChars int
}

// textUnits returns root's units in document order.
func textUnits(root *html.Node) []textUnit {
	var units []textUnit
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || invisible(c) {
				continue
			}
			switch {
			case isProseContainer(c) || c.DataAtom == atom.Li && hasBlockChild(c):
				visit(c)
			case isBlock(c) || c.DataAtom == atom.Td || c.DataAtom == atom.Th:
				chars, linkChars := runeCounts(c)
				if chars > 0 {
					units = append(units, textUnit{node: c, chars: chars, linkChars: linkChars})
				}
			}
		}
	}
	visit(root)
	return units
}

func (u textUnit) isProse() bool {
	return u.chars >= minProseRunes && u.linkChars*3 < u.chars
}

// minTailRunes: after the story's last paragraph, a shorter line is a
// date, a name, a label ("PDF", "Permalink"). A sign-off ("Bis morgen.")
// is longer and stays.
const minTailRunes = 20

// trimEdges removes the units before the body's first unit of prose and
// after its last that are very short, or mostly links and no sentence
// ("Next: the harbour in winter"). Headings, footnotes and list items are
// left alone, and so is a body without prose: it is a list of short lines
// (a recipe, a table) that the reader wants whole.
//
// The links of what goes are returned, to be listed as related: a link
// line after the story is most often one to another story.
func trimEdges(root *html.Node) []rawLink {
	units := textUnits(root)
	last := -1
	for i := len(units) - 1; i >= 0; i-- {
		if units[i].isProse() {
			last = i
			break
		}
	}
	if last < 0 {
		return nil
	}
	var links []rawLink
	drop := func(u textUnit) {
		links = append(links, linksIn(u.node)...)
		detach(u.node)
	}
	for _, u := range units {
		if u.isProse() {
			break
		}
		if !isHeading(u.node) && u.isEdgeClutter() {
			drop(u)
		}
	}
	for _, u := range units[last+1:] {
		if u.isEdgeClutter() {
			drop(u)
		}
	}
	return links
}

// isEdgeClutter matches a unit that, outside the story's paragraphs, is
// not part of it: very short, or mostly links and no sentence.
func (u textUnit) isEdgeClutter() bool {
	if u.node.DataAtom == atom.Li || inFootnotes(u.node) {
		return false
	}
	linkHeavy := 2*u.linkChars >= u.chars && (10*u.linkChars >= 9*u.chars || !endsSentence(u.node))
	return u.chars < minTailRunes || linkHeavy
}

// endsSentence reports whether n's text ends as a sentence does.
func endsSentence(n *html.Node) bool {
	text, _ := shortText(n, 4096)
	text = strings.TrimRight(text, " \"'”’»)")
	r, _ := utf8.DecodeLastRuneInString(text)
	return strings.ContainsRune(".!?…。！？", r)
}

// inFootnotes reports whether n is inside a list of notes.
func inFootnotes(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if role := attr(p, "role"); role == "doc-endnotes" || role == "doc-footnote" || role == "doc-endnote" {
			return true
		}
		for _, key := range []string{"class", "id"} {
			if v := strings.ToLower(attr(p, key)); strings.Contains(v, "footnote") || strings.Contains(v, "endnote") {
				return true
			}
		}
	}
	return false
}
