package article

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/bylinehq/byline/picture"
	"github.com/bylinehq/byline/sanitize"
)

// markdownConverter is shared: html-to-markdown converters are safe for
// concurrent use, and the per-article link numbers travel in the context.
var markdownConverter = sync.OnceValue(func() *converter.Converter {
	conv := converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		table.NewTablePlugin(table.WithSkipEmptyRows(true)),
		strikethrough.NewStrikethroughPlugin(),
	))
	conv.Register.RendererFor("a", converter.TagTypeInline, renderLink, converter.PriorityEarly)
	conv.Register.RendererFor("img", converter.TagTypeInline, renderImage, converter.PriorityEarly)
	conv.Register.RendererFor("iframe", converter.TagTypeBlock, renderVideo, converter.PriorityEarly)
	return conv
})

type linkNumbersKey struct{}

// linkNumbers maps each numbered <a> and <img> of a body to its number.
type linkNumbers map[*html.Node]int

func numberOf(ctx converter.Context, n *html.Node) int {
	numbers, _ := ctx.Value(linkNumbersKey{}).(linkNumbers)
	return numbers[n]
}

// convertBody turns a cleaned body whose links are numbered into Markdown
// and plain text, taking the body apart as it goes. A body made of blocks
// is converted block by block: blocks stand alone in Markdown as in text,
// the converter's passes over its output then work on small pieces, and
// each block can be let go once converted, so a long page does not hold
// its whole DOM, Markdown and text at once.
//
// A body is cut after maxBodyMarkdown bytes of Markdown, at a block, and
// left reports roughly how many words the blocks left out hold.
func convertBody(body *html.Node, numbers linkNumbers) (markdown, text string, left int, err error) {
	ctx := context.WithValue(context.Background(), linkNumbersKey{}, numbers)
	var md strings.Builder
	var texts []string
	var previous atom.Atom
	parts := bodyParts(body)
	for i, part := range parts {
		if md.Len() >= maxBodyMarkdown {
			for _, rest := range parts[i:] {
				left += countWords(plainText(rest))
			}
			break
		}
		parts[i] = nil // so that the part can go once converted
		if invisible(part) {
			detach(part)
			continue
		}
		if t := plainText(part); t != "" {
			texts = append(texts, t)
		}
		// Detached, the part is all the converter walks: it looks at the
		// neighbours of nodes, which would otherwise run on to the end of
		// the body for every part.
		detach(part)
		piece, err := markdownConverter().ConvertNode(part, converter.WithContext(ctx))
		if err != nil {
			return "", "", 0, err
		}
		for n := range descendants(part, 0) {
			delete(numbers, n)
		}
		if len(piece) == 0 {
			continue
		}
		switch {
		case md.Len() == 0:
		case part.DataAtom == previous && (previous == atom.Ul || previous == atom.Ol):
			// Two lists of a kind in a row would read as one; the converter
			// separates them the same way when it sees both.
			md.WriteString("\n\n<!--THE END-->\n\n")
		default:
			md.WriteString("\n\n")
		}
		md.Write(piece)
		previous = part.DataAtom
	}
	return neutralizeCharRefs(md.String()), strings.Join(texts, "\n\n"), left, nil
}

// maxBodyMarkdown bounds the body kept of one page: about 40,000 words,
// twice the longest of long reads. A page far longer (a 5 MB archive, a
// book) is cut there: rendered whole for the terminal it took 300 MB and
// seconds, as glamour's time grows with the square of a document's
// paragraphs, for text nobody reads in a terminal.
const maxBodyMarkdown = 256 << 10

// bodyParts returns the blocks to convert one by one: the children of
// the innermost wrapper, when they are all blocks, else the body whole.
func bodyParts(body *html.Node) []*html.Node {
	n := body
	for {
		children, allBlocks := blockChildren(n)
		if !allBlocks {
			return []*html.Node{n}
		}
		if len(children) == 1 && isWrapper(children[0]) {
			n = children[0]
			continue
		}
		return children
	}
}

// blockChildren returns n's element children, and whether they are all
// blocks with nothing but white space between them.
func blockChildren(n *html.Node) ([]*html.Node, bool) {
	var children []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "", c.Type == html.CommentNode:
		case isBlock(c) || invisible(c):
			children = append(children, c)
		default:
			return nil, false
		}
	}
	return children, true
}

func isWrapper(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.Section, atom.Article, atom.Main:
		return true
	}
	return false
}

// renderLink writes the link text followed by its number, " [3]", instead
// of an inline Markdown link: the targets are listed after the body.
func renderLink(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	num := numberOf(ctx, n)
	if num == 0 {
		// In-page anchors and links that were dropped keep their text only.
		ctx.RenderChildNodes(ctx, w, n)
		return converter.RenderSuccess
	}
	var buf bytes.Buffer
	ctx.RenderChildNodes(ctx, &buf, n)
	// The marker goes right after the text, inside any white space the
	// link content carries at its edges.
	content := buf.Bytes()
	text := bytes.TrimLeft(content, " \t\n")
	leading := content[:len(content)-len(text)]
	text = bytes.TrimRight(text, " \t\n")
	w.Write(leading)
	w.Write(text)
	if len(text) > 0 {
		w.WriteByte(' ')
	}
	w.WriteString(marker(num))
	w.Write(content[len(leading)+len(text):])
	return converter.RenderSuccess
}

// renderImage writes a block image as its own "[image: alt] [4]" line and
// an inline one (an emoji, an icon) as its alt text.
func renderImage(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	_, inline := imageSource(n)
	alt := strings.Join(strings.Fields(attr(n, "alt")), " ")
	if inline {
		w.Write(ctx.EscapeContent([]byte(alt)))
		return converter.RenderSuccess
	}
	num := numberOf(ctx, n)
	if num == 0 && alt == "" {
		return converter.RenderSuccess
	}
	w.WriteString("\n\n[image")
	if alt != "" {
		w.WriteString(": ")
		w.Write(ctx.EscapeContent([]byte(alt)))
	}
	w.WriteString("]")
	if num != 0 {
		w.WriteByte(' ')
		w.WriteString(marker(num))
	}
	w.WriteString("\n\n")
	return converter.RenderSuccess
}

func marker(n int) string { return "[" + strconv.Itoa(n) + "]" }

// imageSource returns the URL of an image worth listing, and whether the
// image is inline decoration (an emoji, an icon, a tracking pixel, an
// image from a known tracker's host) to be shown by its alt text alone.
func imageSource(n *html.Node) (src string, inline bool) {
	src = strings.TrimSpace(attr(n, "src"))
	small := func(key string) bool {
		v, err := strconv.Atoi(strings.TrimSuffix(attr(n, key), "px"))
		return err == nil && v <= 32
	}
	if small("width") || small("height") || strings.Contains(src, "/emoji/") || picture.IsTracker(src) {
		return "", true
	}
	if strings.HasPrefix(src, "data:") {
		// Inline data is a placeholder or a pixel, never the picture.
		return "", false
	}
	return src, false
}

// escapeInline escapes the characters that would give a one-line string
// (a title, a link text) Markdown meaning.
var escapeInline = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "|", `\|`, "~", `\~`,
).Replace

// escapeLineStart escapes what would make a line a heading, a list item, a
// thematic break or a setext underline.
func escapeLineStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+', '=':
		return `\` + s
	}
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	if digits > 0 && digits < len(s) && (s[digits] == '.' || s[digits] == ')') {
		return s[:digits] + `\` + s[digits:]
	}
	return s
}

// markdownURL writes a URL for a link list: an autolink when it may be
// opened, else a code span, so that no Markdown renderer turns it into a
// link.
func markdownURL(u string, followable bool) string {
	if followable {
		return "<" + u + ">"
	}
	longest, run := 0, 0
	for i := 0; i < len(u); i++ {
		if u[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(u, "`") || strings.HasSuffix(u, "`") {
		return fence + " " + u + " " + fence
	}
	return fence + u + fence
}

// neutralizeCharRefs keeps Markdown from smuggling control characters: the
// HTML parser decodes "&amp;#27;" to the text "&#27;", which the converter
// writes as is, and a Markdown renderer (glamour even inside code spans)
// would decode it again into a raw ESC. Such references get their "&"
// written as "&amp;", so they show as the text they were.
func neutralizeCharRefs(md string) string {
	if !strings.Contains(md, "&#") {
		return md
	}
	var b strings.Builder
	rest := md
	for {
		i := strings.Index(rest, "&#")
		if i < 0 {
			break
		}
		b.WriteString(rest[:i])
		if r, ok := charRef(rest[i+2:]); ok && sanitize.Text(string(r)) != string(r) {
			b.WriteString("&amp;")
		} else {
			b.WriteByte('&')
		}
		rest = rest[i+1:]
	}
	b.WriteString(rest)
	return b.String()
}

// charRef decodes the numeric character reference whose "&#" precedes s,
// as CommonMark reads it: 1-7 decimal or 1-6 hex digits and a semicolon.
func charRef(s string) (rune, bool) {
	base, maxDigits := 10, 7
	if s != "" && (s[0] == 'x' || s[0] == 'X') {
		base, maxDigits, s = 16, 6, s[1:]
	}
	end := strings.IndexByte(s, ';')
	if end < 1 || end > maxDigits {
		return 0, false
	}
	v, err := strconv.ParseUint(s[:end], base, 32)
	if err != nil {
		return 0, false
	}
	return rune(v), true
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func isElement(n *html.Node, a atom.Atom) bool {
	return n.Type == html.ElementNode && n.DataAtom == a
}
