package article

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The standfirst (the dek, the lead paragraph under the headline) often
// sits in the article's header, outside the container that holds the
// body, and the candidates leave it behind. addStandfirst looks for it
// after the headline, by the class names pages give it or by the page's
// description, and puts it back at the top of the body when the body
// lacks it.

// dekNames are the class-name and id words that mark a standfirst, in the
// languages news is read in.
var dekNames = map[string]bool{
	"standfirst": true, "dek": true, "deck": true, "lede": true, "lead": true, "leadin": true, "intro": true,
	"introduction": true, "summary": true, "excerpt": true, "subtitle": true, "subheadline": true,
	"subhead": true, "strapline": true, "abstract": true, "description": true, "perex": true, "chapeau": true,
	"chapo": true, "sapo": true, "entradilla": true, "bajada": true, "sumario": true, "copete": true,
	"vorspann": true, "anriss": true, "einleitung": true, "teaser": true,
}

const (
	// dekScan is how many elements after the headline are looked at.
	dekScan = 60
	// A standfirst is a sentence or a few: not a label, not a page.
	minDekRunes = 30
	maxDekRunes = 800
)

func namesDek(n *html.Node) bool {
	return hasNamePart(n, func(part string) bool { return dekNames[part] }, "class", "id", "itemprop")
}

// hasNamePart reports whether a word of n's attributes keys, lower-cased
// and split at white space, hyphens and underscores ("article-lead"),
// matches.
func hasNamePart(n *html.Node, match func(string) bool, keys ...string) bool {
	for _, key := range keys {
		for token := range strings.FieldsSeq(strings.ToLower(attr(n, key))) {
			for part := range strings.FieldsFuncSeq(token, isNameSeparator) {
				if match(part) {
					return true
				}
			}
		}
	}
	return false
}

// addStandfirst finds the standfirst in page, the document before
// readability, and inserts it at the top of body unless body has it.
func addStandfirst(page, body *html.Node, description string) {
	var h1 *html.Node
	for n := range descendants(page, atom.H1) {
		h1 = n
		break
	}
	if h1 == nil {
		return
	}
	descKey := textKey(description)
	bodyText := strings.Join(strings.Fields(plainText(body)), " ")
	seen := 0
	var dek *html.Node
	for n := nextElement(h1, true); n != nil && seen < dekScan; n = nextElement(n, false) {
		seen++
		if invisible(n) || !isBlock(n) && n.DataAtom != atom.Span {
			continue
		}
		if namesDek(n) || descKey != "" && strings.HasPrefix(textKey(plainText(n)), descKey) {
			chars, linkChars := runeCounts(n)
			if chars < minDekRunes || chars > maxDekRunes || 3*linkChars >= chars {
				continue
			}
			dek = n
			break
		}
	}
	if dek == nil {
		return
	}
	text := strings.Join(strings.Fields(plainText(dek)), " ")
	if key := text[:min(len(text), 60)]; strings.Contains(bodyText, key) {
		return
	}
	p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
	p.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	first := body
	for {
		children, allBlocks := blockChildren(first)
		if !allBlocks || len(children) != 1 || !isWrapper(children[0]) {
			break
		}
		first = children[0]
	}
	first.InsertBefore(p, first.FirstChild)
}

// textKey is the start of a text with white space collapsed, to find one
// text in another.
func textKey(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) < minDekRunes {
		return ""
	}
	return s[:min(len(s), 50)]
}

// nextElement is the element after n in document order, skipping n's
// descendants when skipChildren is set.
func nextElement(n *html.Node, skipChildren bool) *html.Node {
	if !skipChildren && n.FirstChild != nil {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				return c
			}
		}
	}
	for ; n != nil; n = n.Parent {
		for s := n.NextSibling; s != nil; s = s.NextSibling {
			if s.Type == html.ElementNode {
				return s
			}
		}
	}
	return nil
}

// addFootnotes appends to body the page's notes that the body points to
// but lacks: the list of notes often follows the container of the text,
// where the candidates leave it behind.
func addFootnotes(page, body *html.Node) {
	targets := make(map[string]bool)
	for a := range descendants(body, atom.A) {
		if id, ok := strings.CutPrefix(attr(a, "href"), "#"); ok && id != "" {
			targets[id] = true
		}
	}
	if len(targets) == 0 {
		return
	}
	bodyText := strings.Join(strings.Fields(plainText(body)), " ")
	for n := range descendants(page, 0) {
		if !inFootnotes(n) || inFootnotes(n.Parent) || !holdsTarget(n, targets) {
			continue
		}
		text := strings.Join(strings.Fields(plainText(n)), " ")
		if text == "" || strings.Contains(bodyText, text[:min(len(text), 60)]) {
			continue
		}
		body.AppendChild(cloneTree(n))
		return
	}
}

// holdsTarget reports whether n or an element under it has one of the ids.
func holdsTarget(n *html.Node, ids map[string]bool) bool {
	if ids[attr(n, "id")] {
		return true
	}
	for d := range descendants(n, 0) {
		if ids[attr(d, "id")] {
			return true
		}
	}
	return false
}
