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
