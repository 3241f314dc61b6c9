package feed

import (
	"fmt"
	"strings"
)

// Limits on a document's shape. gofeed parses unknown (extension) elements
// recursively and appends their text piece by piece, so its cost grows much
// faster than the size of a deep or bushy document: 100 KB of 10,000 nested
// elements, or 700 KB of text broken by 100,000 empty elements, each take
// seconds. The download timeout does not cover parsing, so these shapes are
// refused up front. Real feeds, XHTML content included, stay far below both.
const (
	maxNesting  = 256
	maxChildren = 1024 // per element; the root and RSS's <channel> hold the items and are exempt
)

// checkShape refuses XML documents nested deeper than maxNesting or with an
// element of more than maxChildren child nodes. It is a quick scan, not a
// parser: it knows comments, CDATA, processing instructions, declarations and
// quoted attribute values, which is enough to count what encoding/xml will
// see. JSON documents have no markup, and encoding/json bounds its own depth.
func checkShape(doc string) error {
	var children [maxNesting + 1]int // children[d]: child nodes so far of the open element at depth d
	var exempt [maxNesting + 1]bool
	depth := 0
	addChild := func() error {
		if depth > 0 && !exempt[depth] {
			if children[depth]++; children[depth] > maxChildren {
				return fmt.Errorf("an element has more than %d children", maxChildren)
			}
		}
		return nil
	}
	for {
		i := strings.IndexByte(doc, '<')
		if i < 0 {
			return nil
		}
		doc = doc[i+1:]
		switch {
		case strings.HasPrefix(doc, "/"):
			depth = max(depth-1, 0)
			doc = skipPast(doc, ">")
			continue
		case strings.HasPrefix(doc, "![CDATA["):
			doc = skipPast(doc, "]]>")
		case strings.HasPrefix(doc, "!--"):
			doc = skipPast(doc, "-->")
		case strings.HasPrefix(doc, "?"):
			doc = skipPast(doc, "?>")
		case strings.HasPrefix(doc, "!"):
			// A DOCTYPE's internal subset may hold '>' inside brackets.
			if end := strings.IndexByte(doc, '>'); end >= 0 && strings.IndexByte(doc[:end], '[') >= 0 {
				doc = skipPast(doc, "]")
			}
			doc = skipPast(doc, ">")
		default:
			if err := addChild(); err != nil {
				return err
			}
			name := tagName(doc)
			var selfClosing bool
			doc, selfClosing = skipTag(doc)
			if selfClosing {
				continue
			}
			if depth++; depth > maxNesting {
				return fmt.Errorf("elements nested more than %d deep", maxNesting)
			}
			children[depth] = 0
			exempt[depth] = depth == 1 || (depth == 2 && name == "channel")
			continue
		}
		if err := addChild(); err != nil {
			return err
		}
	}
}

// tagName returns the local name of the tag that doc starts with.
func tagName(doc string) string {
	end := strings.IndexAny(doc, " \t\r\n/>")
	if end < 0 {
		end = len(doc)
	}
	name := doc[:end]
	if colon := strings.LastIndexByte(name, ':'); colon >= 0 {
		name = name[colon+1:]
	}
	return name
}

func skipPast(doc, end string) string {
	i := strings.Index(doc, end)
	if i < 0 {
		return ""
	}
	return doc[i+len(end):]
}

// skipTag returns what follows a start tag's '>' and whether the tag closed
// itself with "/>".
func skipTag(doc string) (rest string, selfClosing bool) {
	var quote byte
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return doc[i+1:], i > 0 && doc[i-1] == '/'
		}
	}
	return "", false
}
