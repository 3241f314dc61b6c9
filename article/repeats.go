package article

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// bylineScan is how many of the body's first blocks may repeat the title,
// the byline or the date shown above the body.
const bylineScan = 6

// removeRepeats removes from a body what the reader would see twice: the
// title and byline that the article's header already shows, and short
// lines that recur through the body ("Advertisement", "Story continues
// below", a bare site name), which are boilerplate however they are worded.
// It returns the links of what it removes, to be listed as related.
func removeRepeats(root *html.Node, title, author string) []rawLink {
	var links []rawLink
	remove := func(n *html.Node) {
		links = append(links, linksIn(n)...)
		detach(n)
	}
	blocks := leafBlocks(root)
	texts := make([]string, len(blocks))
	for i, b := range blocks {
		texts[i], _ = shortText(b, 200)
	}
	names := nameWords(author)
	titleSeen := false
	for i := range min(len(blocks), bylineScan) {
		switch {
		case texts[i] == "":
		case isHeading(blocks[i]):
			if !titleSeen && title != "" && strings.EqualFold(texts[i], title) {
				titleSeen = true
				remove(blocks[i])
			}
		case isBylineText(texts[i], names):
			remove(blocks[i])
		}
	}
	counts := make(map[string]int)
	keys := make([]string, len(blocks))
	for i, b := range blocks {
		if b.Parent != nil && !isHeading(b) {
			keys[i] = repeatKey(texts[i])
			if keys[i] != "" {
				// A line that is a link is one line per target: the
				// same words to other pages are other links.
				keys[i] += "\x00" + soleLink(b)
			}
			counts[keys[i]]++
		}
	}
	for i, b := range blocks {
		if keys[i] != "" && counts[keys[i]] > 1 {
			remove(b)
		}
	}
	return links
}

// soleLink is the target of the one link that makes up all of n's text,
// or "".
func soleLink(n *html.Node) string {
	chars, linkChars := runeCounts(n)
	var href string
	links := 0
	for a := range descendants(n, atom.A) {
		href = attr(a, "href")
		links++
	}
	if links != 1 || linkChars < chars {
		return ""
	}
	return href
}

// repeatKey is the text of a short line that may be boilerplate, folded
// for comparison, or "" for anything longer or without letters (a "* * *"
// separator is not boilerplate).
func repeatKey(text string) string {
	if text == "" || len(text) > 60 || countWords(text) > 8 || !strings.ContainsFunc(text, unicode.IsLetter) {
		return ""
	}
	return strings.ToLower(text)
}

// leafBlocks returns the blocks of a body that hold no other block, in
// document order, leaving out lists, tables, code and quotes: lines there
// may repeat on purpose.
func leafBlocks(root *html.Node) []*html.Node {
	var leaves []*html.Node
	var visit func(*html.Node) bool
	visit = func(n *html.Node) (hasBlock bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || invisible(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Pre, atom.Blockquote:
				hasBlock = true
				continue
			}
			if visit(c) {
				hasBlock = true
			} else if isBlock(c) {
				leaves = append(leaves, c)
				hasBlock = true
			}
		}
		return hasBlock
	}
	visit(root)
	return leaves
}

// bylineWords may appear in a byline or dateline besides the names.
var bylineWords = map[string]bool{
	"by": true, "and": true, "on": true, "at": true, "in": true, "published": true, "updated": true,
	"posted": true, "last": true, "min": true, "mins": true, "minute": true, "minutes": true, "read": true,
	"am": true, "pm": true, "utc": true, "gmt": true, "hours": true, "hour": true, "ago": true,
	"staff": true, "writer": true, "reporter": true, "correspondent": true, "editor": true,
}

var monthNames = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true,
}

// nameWords are the lower-cased words of the author names.
func nameWords(author string) map[string]bool {
	words := make(map[string]bool)
	for _, w := range strings.FieldsFunc(strings.ToLower(author), isWordBreak) {
		if w != "and" {
			words[w] = true
		}
	}
	return words
}

func isWordBreak(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }

// isBylineText matches a short line made of the author's name, "By", a
// date and words such as "Updated" or "min read", with at most two other
// words ("Jane Doe, Staff Writer · 2 March 2026 · 4 min read"). A sentence
// that mentions the author ("Jane Doe reports from Kyiv") has more.
func isBylineText(text string, names map[string]bool) bool {
	words := strings.FieldsFunc(strings.ToLower(text), isWordBreak)
	if len(words) == 0 || len(words) > 15 {
		return false
	}
	signal, other := words[0] == "by", 0
	for _, w := range words {
		switch {
		case names[w], monthNames[w], w == "published", w == "updated", w == "posted":
			signal = true
		case bylineWords[w] || strings.ContainsFunc(w, unicode.IsDigit):
		default:
			other++
		}
	}
	return signal && other <= 2
}

func detach(n *html.Node) {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}

// minPullQuoteRunes: a shorter quote repeated in the text is a phrase,
// not a pull quote.
const minPullQuoteRunes = 20

// dropPullQuotes removes the pull quotes of a body: a quote block (a
// <blockquote>, an <aside>, or an element its class names a pull quote)
// whose words the body says again elsewhere. The reader reads them once,
// where the story says them.
func dropPullQuotes(root *html.Node) {
	var quotes []*html.Node
	for n := range descendants(root, 0) {
		if n.DataAtom == atom.Blockquote || n.DataAtom == atom.Aside || namesPullQuote(n) {
			quotes = append(quotes, n)
		}
	}
	if len(quotes) == 0 {
		return
	}
	all := quoteKey(plainText(root))
	for _, q := range quotes {
		if q.Parent == nil {
			continue
		}
		key := quoteKey(plainText(q))
		if len([]rune(key)) >= minPullQuoteRunes && strings.Count(all, key) >= 2 {
			all = strings.Replace(all, key, "", 1)
			detach(q)
		}
	}
}

func namesPullQuote(n *html.Node) bool {
	names := strings.ToLower(attr(n, "class"))
	return strings.Contains(names, "pullquote") || strings.Contains(names, "pull-quote") || strings.Contains(names, "pullout")
}

// quoteKey is a text's letters and digits, lower-cased: a pull quote
// repeats the words, not the quotation marks or the line breaks.
func quoteKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}
