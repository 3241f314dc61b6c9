package feed

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// toUTF8 returns the document as UTF-8 without its XML declaration, so that
// encoding/xml inside gofeed does not convert it a second time. Invalid
// UTF-8 is left for the sanitizer to repair. A document whose last closing
// tag lacks its '>' gets it back.
func toUTF8(body []byte, contentType string) []byte {
	enc, ebcdic := encodingOf(body, contentType)
	if enc != nil {
		// The decoders replace undecodable bytes rather than fail, so an
		// error here means nothing usable came out; keep the raw bytes.
		if decoded, err := enc.NewDecoder().Bytes(body); err == nil {
			body = decoded
		}
	}
	if ebcdic {
		// Mainframes end lines with NL, which decodes to U+0085: a C1
		// control to the sanitizer, which would run the lines together.
		body = bytes.ReplaceAll(body, []byte("\u0085"), []byte("\n"))
	}
	return closeLastTag(withoutXMLDeclaration(bytes.TrimPrefix(body, utf8BOM)))
}

// encodingOf decides how to read body, in the order of XML 1.0 appendix F
// and RFC 7303: a byte order mark; else the first bytes, which in UTF-16
// and UTF-32 hold NULs around the ASCII of "<?xml" or the first tag, and
// in EBCDIC spell "<?xm" as 4C 6F A7 94; else the charset the header or
// the XML declaration names. nil means UTF-8. ebcdic reports an EBCDIC
// code page, whose line ends need translating.
func encodingOf(body []byte, contentType string) (enc encoding.Encoding, ebcdic bool) {
	var head [4]byte
	copy(head[:], body)
	switch b := head; {
	case bytes.HasPrefix(body, utf8BOM):
		return nil, false
	case b == [4]byte{0, 0, 0xfe, 0xff}, b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0:
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM), false
	case b == [4]byte{0xff, 0xfe, 0, 0}, b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0:
		return utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), false
	case b[0] == 0xfe && b[1] == 0xff, b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), false
	case b[0] == 0xff && b[1] == 0xfe, b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), false
	case b == [4]byte{0x4c, 0x6f, 0xa7, 0x94}:
		// The declaration's characters are the same in every EBCDIC code
		// page, so any one of them reads it.
		label := xmlDeclaredEncoding(ebcdicPrefix(body))
		if enc := ebcdicEncoding(charsetParam(contentType)); enc != nil {
			return enc, true
		}
		if enc := ebcdicEncoding(label); enc != nil {
			return enc, true
		}
		return charmap.CodePage037, true // the commonest, and the letters are the same in all
	}
	return declaredEncoding(body, contentType)
}

// ebcdicPrefix is the start of an EBCDIC document decoded far enough to
// read its XML declaration.
func ebcdicPrefix(body []byte) []byte {
	decoded, _ := charmap.CodePage037.NewDecoder().Bytes(body[:min(len(body), 512)])
	return decoded
}

// declaredEncoding returns the encoding the header or the XML declaration
// names, or nil when the bytes are to be read as UTF-8.
func declaredEncoding(body []byte, contentType string) (enc encoding.Encoding, ebcdic bool) {
	for _, label := range [2]string{charsetParam(contentType), xmlDeclaredEncoding(body)} {
		if label == "" {
			continue
		}
		if enc := ebcdicEncoding(label); enc != nil {
			return enc, true
		}
		enc, name := charset.Lookup(label)
		switch {
		case enc == nil || name == "replacement":
			continue // unknown or unsupported label: try the next source
		case name == "utf-8", name == "utf-16le", name == "utf-16be":
			// A UTF-16 document has NULs in its first bytes and was
			// recognised by them; these bytes are not UTF-16 whatever
			// the label says.
			return nil, false
		case name != "iso-2022-jp" && utf8.Valid(body):
			// ASCII-compatible label on bytes that are valid UTF-8: either
			// plain ASCII (decoding would change nothing) or a mislabelled
			// UTF-8 document.
			return nil, false
		default:
			return enc, false
		}
	}
	return nil, false
}

// ebcdicEncoding is the EBCDIC code page a charset label names, or nil.
// The web's encoding registry (which charset.Lookup follows) has none.
func ebcdicEncoding(label string) encoding.Encoding {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "ibm037", "cp037", "ibm-037", "ibm37", "csibm037", "ebcdic-cp-us", "ebcdic-cp-ca", "ebcdic-cp-wt", "ebcdic-cp-nl":
		return charmap.CodePage037
	case "ibm500", "cp500", "ibm-500", "csibm500", "ebcdic-cp-be", "ebcdic-cp-ch", "ebcdic-international":
		return codePage500
	case "ibm1047", "cp1047", "ibm-1047", "ebcdic-latin1", "cslatin1ebcdic":
		return charmap.CodePage1047
	case "ibm01140", "ibm1140", "cp1140", "cp01140", "ccsid01140", "ebcdic-us-37+euro", "csibm01140":
		return charmap.CodePage1140
	}
	return nil
}

func charsetParam(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// xmlDeclaration returns the `<?xml ...?>` declaration at the start of the
// document and where it ends, or nil.
func xmlDeclaration(body []byte) (decl []byte, end int) {
	start := len(body) - len(bytes.TrimLeft(body, " \t\r\n"))
	rest := body[start:]
	if len(rest) < 6 || !bytes.HasPrefix(rest, []byte("<?xml")) || !isXMLSpace(rest[5]) {
		return nil, 0
	}
	// A declaration is short; do not scan a huge document for a missing "?>".
	closing := bytes.Index(rest[:min(len(rest), 512)], []byte("?>"))
	if closing < 0 {
		return nil, 0
	}
	return rest[:closing], start + closing + 2
}

func xmlDeclaredEncoding(body []byte) string {
	decl, _ := xmlDeclaration(body)
	_, after, ok := bytes.Cut(decl, []byte("encoding"))
	if !ok {
		return ""
	}
	after = bytes.TrimLeft(after, " \t\r\n")
	if len(after) == 0 || after[0] != '=' {
		return ""
	}
	after = bytes.TrimLeft(after[1:], " \t\r\n")
	if len(after) == 0 || (after[0] != '"' && after[0] != '\'') {
		return ""
	}
	value, _, ok := bytes.Cut(after[1:], after[:1])
	if !ok {
		return ""
	}
	return string(value)
}

func withoutXMLDeclaration(body []byte) []byte {
	if decl, end := xmlDeclaration(body); decl != nil {
		return body[end:]
	}
	return body
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// closeLastTag gives back the '>' of a document cut one byte short: one that
// ends "</rss" (white space aside) where rss is its root element is
// otherwise whole, and a lenient reader reads it. Anything else cut short
// is left for the parser to refuse.
func closeLastTag(doc []byte) []byte {
	trimmed := bytes.TrimRight(doc, " \t\r\n")
	i := bytes.LastIndexByte(trimmed, '<')
	if i < 0 || !bytes.HasPrefix(trimmed[i:], []byte("</")) {
		return doc
	}
	name := trimmed[i+2:]
	if !isXMLName(name) || !bytes.Equal(name, rootName(trimmed[:i])) {
		return doc
	}
	// A copy: doc may be the download's pooled buffer.
	return append(trimmed[:len(trimmed):len(trimmed)], '>')
}

// rootName is the name of the first element of doc, past comments,
// processing instructions and a DOCTYPE; nil if there is none.
func rootName(doc []byte) []byte {
	for {
		i := bytes.IndexByte(doc, '<')
		if i < 0 || i+1 >= len(doc) {
			return nil
		}
		doc = doc[i+1:]
		switch {
		case bytes.HasPrefix(doc, []byte("!--")):
			doc = skipPastBytes(doc, "-->")
		case doc[0] == '?' || doc[0] == '!':
			doc = skipPastBytes(doc, ">")
		default:
			end := bytes.IndexAny(doc, " \t\r\n/>")
			if end < 0 {
				return nil
			}
			return doc[:end]
		}
	}
}

func skipPastBytes(doc []byte, marker string) []byte {
	if i := bytes.Index(doc, []byte(marker)); i >= 0 {
		return doc[i+len(marker):]
	}
	return nil
}

// isXMLName reports whether name is a (possibly prefixed) element name.
func isXMLName(name []byte) bool {
	if len(name) == 0 || name[0] == '-' || name[0] == '.' || ('0' <= name[0] && name[0] <= '9') {
		return false
	}
	for _, c := range name {
		switch {
		case c >= 0x80, 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}
