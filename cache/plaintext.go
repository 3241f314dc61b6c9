package cache

import (
	"html"
	"strings"
	"unicode"
)

// plainText is the text of an HTML fragment as the search index sees it:
// tags, comments, scripts and styles dropped, entities decoded, whitespace
// collapsed to single spaces. It is a scanner rather than an HTML parser
// because it runs on every stored article during a refresh, and the
// sanitizer upstream has already made the markup well-behaved enough.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return collapseSpace(s)
	}
	out := make([]byte, 0, len(s))
	pendingSpace := false
	emit := func(text string) {
		if pendingSpace && len(out) > 0 {
			out = append(out, ' ')
		}
		pendingSpace = false
		out = append(out, text...)
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case asciiSpace[c]:
			pendingSpace = true
			i++
		case c == '<' && strings.HasPrefix(s[i:], "<!--"):
			i = skipPast(s, i+4, "-->")
			pendingSpace = true
		case c == '<' && i+1 < len(s) && isTagStart(s[i+1]):
			name, closing, end := scanTag(s, i)
			i = end
			if !closing && (name == "script" || name == "style") {
				i = skipPast(s, skipPastFold(s, i, "</"+name), ">")
			}
			if !isInlineElement(name) {
				pendingSpace = true
			}
		case c == '&':
			text, n := decodeEntity(s[i:])
			i += n
			if strings.TrimSpace(text) == "" {
				pendingSpace = true
			} else {
				emit(text)
			}
		default:
			// A run of text, taking in single spaces between words so
			// that it is copied in one piece.
			j := i + 1
			for j < len(s) {
				if s[j] == ' ' && j+1 < len(s) && !textStops[s[j+1]] {
					j += 2
					continue
				}
				if textStops[s[j]] {
					break
				}
				j++
			}
			emit(s[i:j])
			i = j
		}
	}
	return string(out)
}

// textStops are the bytes that end a run of plain text.
var textStops = [256]bool{'<': true, '&': true, ' ': true, '\t': true, '\n': true, '\r': true, '\f': true}

var asciiSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\f': true}

// isInlineElement reports whether an element (lower-case name) sits
// inside a word rather than separating words: "wo<b>r</b>d" is one word.
func isInlineElement(name string) bool {
	switch name {
	case "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
		"q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr":
		return true
	}
	return false
}

func isTagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// scanTag reads the tag starting at s[start] == '<' and returns its
// lower-case name, whether it is a closing tag, and the index after its '>'.
// Quoted attribute values may contain '>'.
func scanTag(s string, start int) (name string, closing bool, end int) {
	i := start + 1
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	nameStart := i
	for i < len(s) && (isASCIILetter(s[i]) || ('0' <= s[i] && s[i] <= '9')) {
		i++
	}
	name = strings.ToLower(s[nameStart:i])
	var quote byte
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, closing, i + 1
		}
	}
	return name, closing, len(s)
}

func isASCIILetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// skipPast returns the index after the first marker at or after from, or len(s).
func skipPast(s string, from int, marker string) int {
	if k := strings.Index(s[from:], marker); k >= 0 {
		return from + k + len(marker)
	}
	return len(s)
}

// skipPastFold is skipPast for an ASCII marker in any letter case.
func skipPastFold(s string, from int, marker string) int {
	for i := from; i+len(marker) <= len(s); i++ {
		if s[i] == '<' && strings.EqualFold(s[i:i+len(marker)], marker) {
			return i + len(marker)
		}
	}
	return len(s)
}

// maxEntityLen bounds the look-ahead for ';' ("&CounterClockwiseContourIntegral;" is the longest).
const maxEntityLen = 34

// decodeEntity decodes the character reference at the start of s and
// returns its text and length; a lone '&' stands for itself.
func decodeEntity(s string) (string, int) {
	end := strings.IndexByte(s[:min(len(s), maxEntityLen)], ';')
	if end < 0 {
		return "&", 1
	}
	ref := s[:end+1]
	text := html.UnescapeString(ref)
	if text == ref {
		return "&", 1
	}
	return text, len(ref)
}

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) &&
		!strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
