package feed

import (
	"errors"
	"strconv"
	"strings"
)

// errDecline means the fast parser leaves a document to gofeed: it is not
// one of the common shapes, or encoding/xml (inside gofeed) would treat
// some part of it in a way the fast parser does not reproduce, error
// included. Declining is never wrong, only slower.
var errDecline = errors.New("not for the fast parser")

// xmlScanner reads the XML that gofeed's decoder (encoding/xml, not
// strict) reads the same way: well-formed elements, quoted attributes,
// comments, processing instructions and CDATA. Everything else, and
// everything that decoder would reject, ends the scan with errDecline:
// mismatched or unclosed tags, unquoted or valueless attributes, DTDs,
// "]]>" in text, character references to characters XML forbids, names
// outside ASCII, XML declarations (Parse has removed the real one).
//
// It works on the document as one string and hands out substrings of it,
// so reading an element's text copies nothing.
type xmlScanner struct {
	doc string
	pos int
}

// xmlAttr is one attribute, its value decoded as encoding/xml decodes it.
type xmlAttr struct {
	prefix, local, value string
}

// startTag is a start tag the scanner has read.
type startTag struct {
	prefix, local string
	attrs         []xmlAttr
	selfClosing   bool
}

// attr returns the value of the attribute named local, preferring one
// without a prefix, as gofeed's pull parser does.
func (t *startTag) attr(local string) string {
	var fallback string
	found := false
	for _, a := range t.attrs {
		if a.local != local {
			continue
		}
		if a.prefix == "" {
			return a.value
		}
		if !found {
			fallback, found = a.value, true
		}
	}
	return fallback
}

// token kinds returned by next.
const (
	tokStart = iota
	tokEnd
	tokText
	tokEOF
)

// next reads the next start tag, end tag or run of character data and
// returns its kind. Comments and processing instructions are skipped. For
// tokStart, tag is filled in; for tokEnd, prefix and local are the end
// tag's name; for tokText, text is the raw text, already checked, and
// cdata says whether it is a CDATA section's (whose text is literal).
func (s *xmlScanner) next(tag *startTag) (kind int, prefix, local, text string, cdata bool, err error) {
	for {
		if s.pos >= len(s.doc) {
			return tokEOF, "", "", "", false, nil
		}
		if s.doc[s.pos] != '<' {
			end := strings.IndexByte(s.doc[s.pos:], '<')
			if end < 0 {
				end = len(s.doc) - s.pos
			}
			raw := s.doc[s.pos : s.pos+end]
			s.pos += end
			return tokText, "", "", raw, false, checkText(raw)
		}
		rest := s.doc[s.pos+1:]
		switch {
		case strings.HasPrefix(rest, "/"):
			s.pos += 2
			prefix, local, err := s.name()
			if err != nil {
				return 0, "", "", "", false, err
			}
			s.space()
			if s.pos >= len(s.doc) || s.doc[s.pos] != '>' {
				return 0, "", "", "", false, errDecline
			}
			s.pos++
			return tokEnd, prefix, local, "", false, nil
		case strings.HasPrefix(rest, "!--"):
			body := s.pos + 4
			end := strings.Index(s.doc[body:], "--")
			if end < 0 || body+end+2 >= len(s.doc) || s.doc[body+end+2] != '>' {
				return 0, "", "", "", false, errDecline
			}
			s.pos = body + end + 3
		case strings.HasPrefix(rest, "![CDATA["):
			body := s.pos + len(cdataStart)
			end := strings.Index(s.doc[body:], cdataEnd)
			if end < 0 {
				return 0, "", "", "", false, errDecline
			}
			s.pos = body + end + len(cdataEnd)
			return tokText, "", "", s.doc[body : body+end], true, nil
		case strings.HasPrefix(rest, "?"):
			s.pos += 2
			prefix, target, err := s.name()
			if err != nil || prefix != "" || strings.EqualFold(target, "xml") {
				return 0, "", "", "", false, errDecline
			}
			end := strings.Index(s.doc[s.pos:], "?>")
			if end < 0 {
				return 0, "", "", "", false, errDecline
			}
			s.pos += end + 2
		case strings.HasPrefix(rest, "!"):
			return 0, "", "", "", false, errDecline // DOCTYPE and other declarations
		default:
			s.pos++
			if err := s.startTag(tag); err != nil {
				return 0, "", "", "", false, err
			}
			return tokStart, "", "", "", false, nil
		}
	}
}

// startTag reads a start tag's name and attributes; s.pos is just past '<'.
func (s *xmlScanner) startTag(tag *startTag) error {
	var err error
	tag.attrs = tag.attrs[:0]
	tag.selfClosing = false
	if tag.prefix, tag.local, err = s.name(); err != nil {
		return err
	}
	for {
		s.space()
		if s.pos >= len(s.doc) {
			return errDecline
		}
		switch s.doc[s.pos] {
		case '>':
			s.pos++
			return nil
		case '/':
			if s.pos+1 >= len(s.doc) || s.doc[s.pos+1] != '>' {
				return errDecline
			}
			s.pos += 2
			tag.selfClosing = true
			return nil
		}
		var a xmlAttr
		if a.prefix, a.local, err = s.name(); err != nil {
			return err
		}
		s.space()
		if s.pos >= len(s.doc) || s.doc[s.pos] != '=' {
			return errDecline // a value-less attribute
		}
		s.pos++
		s.space()
		if s.pos >= len(s.doc) {
			return errDecline
		}
		quote := s.doc[s.pos]
		if quote != '"' && quote != '\'' {
			return errDecline
		}
		end := strings.IndexByte(s.doc[s.pos+1:], quote)
		if end < 0 {
			return errDecline
		}
		raw := s.doc[s.pos+1 : s.pos+1+end]
		if strings.IndexByte(raw, '<') >= 0 {
			return errDecline
		}
		if a.value, err = decodeText(raw); err != nil {
			return err
		}
		s.pos += end + 2
		for _, b := range tag.attrs {
			if b.local == a.local {
				return errDecline // which one wins differs inside gofeed
			}
		}
		tag.attrs = append(tag.attrs, a)
	}
}

// name reads an ASCII XML name and splits it at its colon.
func (s *xmlScanner) name() (prefix, local string, err error) {
	start := s.pos
	if start >= len(s.doc) || !isNameStart(s.doc[start]) {
		return "", "", errDecline
	}
	end := start + 1
	for end < len(s.doc) && isNameByte(s.doc[end]) {
		end++
	}
	if end < len(s.doc) && s.doc[end] >= 0x80 {
		return "", "", errDecline // a name that goes on beyond ASCII
	}
	s.pos = end
	full := s.doc[start:end]
	colon := strings.IndexByte(full, ':')
	switch {
	case colon < 0:
		return "", full, nil
	case colon == 0 || colon == len(full)-1 || strings.IndexByte(full[colon+1:], ':') >= 0:
		return "", "", errDecline
	}
	return full[:colon], full[colon+1:], nil
}

func (s *xmlScanner) space() {
	for s.pos < len(s.doc) {
		switch s.doc[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

func isNameStart(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
}

func isNameByte(c byte) bool {
	return isNameStart(c) || '0' <= c && c <= '9' || c == '.' || c == '-'
}

// checkText checks raw character data as encoding/xml checks it: "]]>"
// and a reference to a character XML forbids make that decoder fail.
// (The document has passed the sanitizer, so no forbidden character is
// there literally but U+FFFE and U+FFFF, which parseFast looks for once.)
func checkText(raw string) error {
	if strings.Contains(raw, cdataEnd) {
		return errDecline
	}
	for i := strings.Index(raw, "&#"); i >= 0; i = strings.Index(raw, "&#") {
		raw = raw[i:]
		_, n, err := xmlReference(raw)
		if err != nil {
			return err
		}
		raw = raw[n:]
	}
	return nil
}

// decodeText decodes checked character data or an attribute value as
// encoding/xml decodes it: the five predefined entities and character
// references; any other '&' stays as it is.
func decodeText(raw string) (string, error) {
	i := strings.IndexByte(raw, '&')
	if i < 0 {
		return raw, nil
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i >= 0 {
		b.WriteString(raw[:i])
		raw = raw[i:]
		text, n, err := xmlReference(raw)
		if err != nil {
			return "", err
		}
		b.WriteString(text)
		raw = raw[n:]
		i = strings.IndexByte(raw, '&')
	}
	b.WriteString(raw)
	return b.String(), nil
}

// xmlReference decodes the reference at the start of s (which starts with
// '&') and returns its text and length; a malformed or unknown one is
// kept as its own text, as the non-strict decoder keeps it. Where such a
// name ends does not matter: its text is itself either way.
func xmlReference(s string) (text string, n int, err error) {
	if strings.HasPrefix(s, "&#") {
		base, digits := 10, 2
		if strings.HasPrefix(s, "&#x") {
			base, digits = 16, 3
		}
		end := digits
		for end < len(s) && (isDigit(s[end]) || base == 16 && isHexLetter(s[end])) {
			end++
		}
		if end >= len(s) || s[end] != ';' {
			return s[:end], end, nil
		}
		v, perr := strconv.ParseUint(s[digits:end], base, 64)
		if perr != nil || v > 0x10ffff {
			return s[:end+1], end + 1, nil
		}
		r := rune(v)
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xfffe || r == 0xffff {
			return "", 0, errDecline // encoding/xml: illegal character code
		}
		return string(r), end + 1, nil
	}
	end := 1
	for end < len(s) && isNameByte(s[end]) {
		end++
	}
	if end < len(s) && s[end] == ';' {
		switch s[1:end] {
		case "lt":
			return "<", end + 1, nil
		case "gt":
			return ">", end + 1, nil
		case "amp":
			return "&", end + 1, nil
		case "apos":
			return "'", end + 1, nil
		case "quot":
			return `"`, end + 1, nil
		}
	}
	return s[:end], end, nil
}

func isDigit(c byte) bool     { return '0' <= c && c <= '9' }
func isHexLetter(c byte) bool { return 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
