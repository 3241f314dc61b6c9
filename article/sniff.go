package article

import "bytes"

// skipPrologue returns body past what may come before a page's first tag:
// a byte order mark, white space, comments and XML declarations. Go's
// content sniffer looks for HTML in the first bytes only, and a page that
// starts with a conditional comment (<!--[if IE]>…<![endif]-->) or an XML
// declaration looked like plain text to it.
func skipPrologue(body []byte) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	for {
		body = bytes.TrimLeft(body, "\t\n\f\r ")
		var end string
		switch {
		case bytes.HasPrefix(body, []byte("<!--")):
			end = "-->"
		case bytes.HasPrefix(body, []byte("<?")):
			end = "?>"
		default:
			return body
		}
		i := bytes.Index(body, []byte(end))
		if i < 0 {
			return body
		}
		body = body[i+len(end):]
	}
}

// pageTags are the tags, lower-cased, one of which opens a web page past
// its prologue. Go's sniffer knows most of them but wants a space or ">"
// after them, where pages also have a newline ("<!DOCTYPE html\n  PUBLIC"),
// and it does not know <meta> or <link>, with which some pages begin.
var pageTags = [][]byte{
	[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<meta"), []byte("<link"),
	[]byte("<title"), []byte("<body"),
}

// startsLikePage reports whether body, past its prologue, opens with one of
// the tags that open a web page.
func startsLikePage(body []byte) bool {
	start := skipPrologue(body)
	start = bytes.ToLower(start[:min(len(start), 16)])
	for _, tag := range pageTags {
		if bytes.HasPrefix(start, tag) && len(start) > len(tag) {
			next := start[len(tag)]
			if next == '>' || next == '/' || next == ' ' || next == '\t' || next == '\n' || next == '\r' || next == '\f' {
				return true
			}
		}
	}
	return false
}
