package feed

import (
	"bytes"
	"mime"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// toUTF8 returns the document as UTF-8 without its XML declaration, so that
// encoding/xml inside gofeed does not convert it a second time. Invalid
// UTF-8 is left for the sanitizer to repair.
func toUTF8(body []byte, contentType string) []byte {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(body, utf8BOM):
		body = body[len(utf8BOM):]
	case bytes.HasPrefix(body, []byte{0xff, 0xfe}):
		enc, body = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), body[2:]
	case bytes.HasPrefix(body, []byte{0xfe, 0xff}):
		enc, body = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), body[2:]
	default:
		enc = declaredEncoding(body, contentType)
	}
	if enc != nil {
		// The decoders replace undecodable bytes rather than fail, so an
		// error here means nothing usable came out; keep the raw bytes.
		if decoded, err := enc.NewDecoder().Bytes(body); err == nil {
			body = decoded
		}
	}
	return withoutXMLDeclaration(body)
}

// declaredEncoding returns the encoding the header or the XML declaration
// names, or nil when the bytes are to be read as UTF-8.
func declaredEncoding(body []byte, contentType string) encoding.Encoding {
	for _, label := range [2]string{charsetParam(contentType), xmlDeclaredEncoding(body)} {
		if label == "" {
			continue
		}
		enc, name := charset.Lookup(label)
		switch {
		case enc == nil || name == "replacement":
			continue // unknown or unsupported label: try the next source
		case name == "utf-8":
			return nil
		case name != "utf-16le" && name != "utf-16be" && name != "iso-2022-jp" && utf8.Valid(body):
			// ASCII-compatible label on bytes that are valid UTF-8: either
			// plain ASCII (decoding would change nothing) or a mislabelled
			// UTF-8 document.
			return nil
		default:
			return enc
		}
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
