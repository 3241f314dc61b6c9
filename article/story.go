package article

import (
	"net/url"
	"strings"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Finding the story is a choice between candidates, each a different guess
// at where a page keeps it: readability's pick, the container the page's
// own markup names as the article body, and the JSON-LD articleBody. Each
// is measured by its prose, the text in blocks that read as sentences
// rather than as links or labels, and the one with the most prose wins,
// readability's by a margin since its clean-up is the most careful.

// candidate is one guess at the story's body.
type candidate struct {
	node   *html.Node
	source string
	prose  int // runes of text in prose blocks
}

// proseStats measures a body: the runes of its text in blocks that read as
// prose, and of all its text.
func proseStats(root *html.Node) (prose, total int) {
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || invisible(c) {
				continue
			}
			if isProseContainer(c) {
				visit(c)
				continue
			}
			if !isBlock(c) {
				continue
			}
			chars, linkChars := runeCounts(c)
			total += chars
			if chars >= minProseRunes && linkChars*3 < chars {
				prose += chars - linkChars
			}
		}
	}
	if isBlock(root) && !isProseContainer(root) {
		chars, linkChars := runeCounts(root)
		if chars >= minProseRunes && linkChars*3 < chars {
			return chars - linkChars, chars
		}
		return 0, chars
	}
	visit(root)
	return prose, total
}

// minProseRunes is the shortest block that counts as prose: a sentence of
// a dozen words, or about thirty CJK characters.
const minProseRunes = 60

// isProseContainer matches the wrappers whose children, not themselves,
// are the units of text.
func isProseContainer(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.Section, atom.Article, atom.Main, atom.Body, atom.Html, atom.Form, atom.Center,
		atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Tr, atom.Td, atom.Th,
		atom.Figure, atom.Header, atom.Footer, atom.Aside, atom.Details, atom.Span, atom.Font:
		return hasBlockChild(n)
	}
	return false
}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isBlock(c) || c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Tbody) {
			return true
		}
	}
	return false
}

// runeCounts returns the non-space runes of n's text and of its link text,
// a Chinese, Japanese or Korean character counting as two: one says about
// what a word does, and a sentence of them is half as long as one in a
// language written with an alphabet.
func runeCounts(n *html.Node) (chars, linkChars int) {
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, inLink bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				k := nonSpaceRunes(c.Data)
				chars += k
				if inLink {
					linkChars += k
				}
			case c.Type == html.ElementNode && !invisible(c):
				walk(c, inLink || c.DataAtom == atom.A)
			}
		}
	}
	walk(n, false)
	return chars, linkChars
}

func nonSpaceRunes(s string) int {
	k := 0
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		switch {
		case r >= 0x1100 && isCJK(r):
			k += 2
		case !isSpace(r):
			k++
		}
		i += size
	}
	return k
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// bodyCandidate is the container the page's markup names as the article:
// an element marked as the articleBody, one whose class or id says it holds
// the story's text, else the page's <article>, else its <main>. Among
// several, the one with the most prose.
func bodyCandidate(doc *html.Node) *candidate {
	var best [3]*candidate // by rank: named body, <article>, <main>
	for n := range descendants(doc, 0) {
		rank := bodyRank(n)
		if rank < 0 {
			continue
		}
		prose := proseScore(n)
		if prose == 0 {
			continue
		}
		if best[rank] == nil || prose > best[rank].prose {
			best[rank] = &candidate{node: n, source: SourcePage, prose: prose}
		}
	}
	for _, c := range best {
		if c != nil && c.prose >= minProseRunes {
			return c
		}
	}
	return nil
}

// bodyRank is 0 for an element marked as the article's body, 1 for an
// <article>, 2 for the main content, and -1 for anything else.
func bodyRank(n *html.Node) int {
	if n.Type != html.ElementNode {
		return -1
	}
	switch n.DataAtom {
	case atom.Article, atom.Div, atom.Section, atom.Main, atom.Td:
	default:
		return -1
	}
	if attr(n, "itemprop") == "articleBody" || namesArticleBody(attr(n, "class")) || namesArticleBody(attr(n, "id")) {
		if namesComment(n) {
			return -1 // a reader's post ("comment-text user-post-text")
		}
		return 0
	}
	switch {
	case n.DataAtom == atom.Article || attr(n, "role") == "article":
		return 1
	case n.DataAtom == atom.Main || attr(n, "role") == "main":
		return 2
	}
	return -1
}

// articleBodyNames are what class names and ids of a story's container say,
// with hyphens and underscores taken out and lower-cased: "entry-content",
// "article__body", "storyBody".
var articleBodyNames = []string{
	"articlebody", "articlecontent", "articletext", "articleinner", "entrycontent", "entrybody", "postcontent",
	"postbody", "posttext", "postentry", "storybody", "storycontent", "storytext", "contentbody", "bodytext",
	"textcontent", "richtext", "fulltext", "singlecontent", "blogcontent", "newscontent", "newstext", "newsbody",
	"maincontent", "pagecontent", "contentmain", "fieldbody", "artcontent", "itemfulltext",
}

func namesArticleBody(v string) bool {
	if v == "" {
		return false
	}
	folded := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == '_':
			return -1
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, v)
	for _, name := range articleBodyNames {
		if strings.Contains(folded, name) {
			return true
		}
	}
	return false
}

// namesComment reports whether n's class or id has the word "comment".
func namesComment(n *html.Node) bool {
	return hasNamePart(n, func(part string) bool { return part == "comment" || part == "comments" }, "class", "id")
}

// cloneTree copies n and everything under it.
func cloneTree(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	if len(n.Attr) > 0 {
		c.Attr = append([]html.Attribute(nil), n.Attr...)
	}
	for child := n.FirstChild; child != nil; child = child.NextSibling {
		c.AppendChild(cloneTree(child))
	}
	return c
}

// chooseBody picks the story's body among readability's (nil when it found
// none), the container that page, a copy of the page before readability,
// names as the article, the JSON-LD articleBody and, when none of them has
// prose, the page's whole body.
//
// Readability is trusted unless it strayed: when the named container's
// prose is mostly not in readability's pick and the pick's mostly not in
// the container, readability chose something else on the page (a sidebar,
// a table, a log-in box), and the container wins unless it has far less
// prose; when they overlap, the container wins only with twice the prose,
// readability having kept part of it (one of several posts of a thread, a
// table inside the story), and only if readability's pick does not begin
// where the story does: a pick that does holds the story, and the rest of
// the container follows it (a gallery, a live feed).
func chooseBody(readable, page *html.Node, jsonBody string, base *url.URL) (*html.Node, string) {
	best := candidate{node: readable, source: SourcePage}
	if readable != nil {
		best.prose = proseScore(readable)
	}
	if c := bodyCandidate(page); c != nil {
		strayed := sharedProse(c.node, readable) < 0.5 && (readable == nil || sharedProse(readable, c.node) < 0.5)
		if strayed && 2*c.prose >= best.prose || c.prose > 2*best.prose && !startsWith(readable, c.node, best.prose) {
			best = *c
			// The container is cleaned as readability cleans its own pick,
			// unless that takes half its prose away.
			if r := readWithin(c.node, base); r != nil {
				if p := proseScore(r); 2*p >= c.prose {
					best.node, best.prose = r, p
				}
			}
		}
	}
	if countWords(jsonBody) >= minWords {
		node := articleBodyNode(jsonBody)
		if prose := proseScore(node); prose > 2*best.prose {
			best = candidate{node: node, source: SourceJSONLD, prose: prose}
		}
	}
	if best.node == nil || best.prose == 0 && countWords(plainText(best.node)) < minWords {
		for b := range descendants(page, atom.Body) {
			return b, SourcePage
		}
	}
	return best.node, best.source
}

// proseScore is a body's prose, or a quarter of its text when it has no
// prose at all (a list of short lines, a recipe): some text is better than
// none.
func proseScore(n *html.Node) int {
	prose, total := proseStats(n)
	if prose == 0 {
		return total / 4
	}
	return prose
}

// sharedProse is the share of a's prose blocks that b has too (0 when b is
// nil), compared by the start of their text.
func sharedProse(a, b *html.Node) float64 {
	if b == nil {
		return 0
	}
	var keys []string
	for blk := range proseBlocks(a) {
		if text, _ := shortText(blk, 4096); text != "" {
			// A copy, not a slice: a slice keeps the block's whole text,
			// and a 5 MB page has 14,000 blocks.
			keys = append(keys, strings.Clone(text[:min(len(text), 48)]))
		}
	}
	if len(keys) == 0 {
		return 1
	}
	other := plainText(b)
	found := 0
	for _, k := range keys {
		if strings.Contains(other, k) {
			found++
		}
	}
	return float64(found) / float64(len(keys))
}

// startsWith reports whether readability's pick, of the given prose,
// begins where the container's prose does, but for a standfirst: it then
// has the story from its first paragraph, and what more the container has
// comes after the story (a gallery, a live feed, the comments).
func startsWith(readable, container *html.Node, prose int) bool {
	if readable == nil {
		return false
	}
	text := plainText(readable)
	before := 0
	for blk := range proseBlocks(container) {
		if key, _ := shortText(blk, 4096); key != "" && strings.Contains(text, key[:min(len(key), 48)]) {
			return 4*before < prose
		}
		chars, linkChars := runeCounts(blk)
		before += chars - linkChars
	}
	return false
}

// proseBlocks yields the blocks of root that count as prose.
func proseBlocks(root *html.Node) func(yield func(*html.Node) bool) {
	return func(yield func(*html.Node) bool) {
		var visit func(n *html.Node) bool
		visit = func(n *html.Node) bool {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.ElementNode || invisible(c) {
					continue
				}
				if isProseContainer(c) {
					if !visit(c) {
						return false
					}
					continue
				}
				if !isBlock(c) {
					continue
				}
				if chars, linkChars := runeCounts(c); chars >= minProseRunes && linkChars*3 < chars && !yield(c) {
					return false
				}
			}
			return true
		}
		visit(root)
	}
}

// readWithin runs readability on container alone, to clean it the way
// readability cleans what it picks itself.
func readWithin(container *html.Node, base *url.URL) *html.Node {
	doc := &html.Node{Type: html.DocumentNode}
	root := &html.Node{Type: html.ElementNode, Data: "html", DataAtom: atom.Html}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	doc.AppendChild(root)
	root.AppendChild(body)
	body.AppendChild(cloneTree(container))
	parser := readability.NewParser()
	parser.KeepClasses = true
	found, err := parser.ParseAndMutate(doc, base)
	if err != nil || found.Node == nil {
		return nil
	}
	fixAtoms(found.Node)
	return found.Node
}
