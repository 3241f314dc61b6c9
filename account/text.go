package account

import (
	"html"
	"net/url"
	"strings"

	"github.com/bylinehq/byline/sanitize"
)

// Every string from a server passes the sanitizer here, as feed's parser
// does for feeds: titles and authors become one plain line, HTML keeps its
// markup, links that are not http(s) are dropped.

func plainLine(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return sanitize.Line(s)
}

func cleanHTML(s string) string { return sanitize.Text(s) }

func cleanURL(s string) string {
	s = sanitize.Line(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return s
}
