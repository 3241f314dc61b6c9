package article

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// DecodeHTML returns a page as UTF-8 text. The encoding comes from a byte
// order mark, else the Content-Type charset, else <meta charset> or its
// http-equiv form, else a guess from the first bytes. A page that is valid
// UTF-8 throughout is read as UTF-8 whatever it declares: servers and
// templates often claim ISO-8859-1 for UTF-8 pages, while a page really in a
// single-byte encoding is almost never valid UTF-8 (the feed package
// applies the same rule to feeds). Invalid bytes are left for the sanitizer,
// which turns them into U+FFFD.
func DecodeHTML(body []byte, contentType string) string {
	return string(decodeHTML(body, contentType))
}

// decodeHTML is DecodeHTML without the copy when the page is UTF-8 already:
// a page can be megabytes.
func decodeHTML(body []byte, contentType string) []byte {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	byteOrderMark := certain && hasByteOrderMark(body)
	switch {
	case name == "utf-8" && !byteOrderMark:
		return body
	case !byteOrderMark && asciiCompatible(name) && utf8.Valid(body):
		return body
	}
	decoded, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		// The decoders replace what they cannot decode rather than fail,
		// so this is not expected; the raw bytes are the best left.
		return body
	}
	return bytes.TrimPrefix(decoded, []byte("\ufeff"))
}

func hasByteOrderMark(body []byte) bool {
	for _, bom := range [][]byte{{0xef, 0xbb, 0xbf}, {0xfe, 0xff}, {0xff, 0xfe}} {
		if bytes.HasPrefix(body, bom) {
			return true
		}
	}
	return false
}

// asciiCompatible reports whether bytes below 0x80 mean ASCII in the
// encoding, so that valid UTF-8 read in it would only differ above 0x7F.
// UTF-16 and ISO-2022-JP (which is 7-bit) are not.
func asciiCompatible(name string) bool {
	return name != "utf-16le" && name != "utf-16be" && name != "iso-2022-jp"
}
