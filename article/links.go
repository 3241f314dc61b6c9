package article

import (
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/bylinehq/byline/sanitize"
)

// linkIndex numbers an article's links: one number per URL, in the order
// they are added (body first, then related).
type linkIndex struct {
	base  *url.URL // where relative links resolve; nil when unknown
	links []Link
	byURL map[string]int // URL → index into links
}

func newLinkIndex(base *url.URL) *linkIndex {
	return &linkIndex{base: base, byURL: make(map[string]int)}
}

// add numbers href, or returns the number it already has. It returns 0 for
// what is not a link to list: an empty href or an anchor in the same page.
func (x *linkIndex) add(href, text string, related bool) int {
	target, followable, ok := resolveLink(x.base, href)
	if !ok {
		return 0
	}
	text = sanitize.Line(text)
	if i, seen := x.byURL[target]; seen {
		if x.links[i].Text == "" {
			x.links[i].Text = text
		}
		return x.links[i].N
	}
	n := len(x.links) + 1
	x.byURL[target] = len(x.links)
	x.links = append(x.links, Link{N: n, Text: text, URL: target, Related: related, Followable: followable})
	return n
}

// maxShownURL bounds a link that cannot be opened (a data: URL can be
// megabytes): it is listed for what it is, not to be copied.
const maxShownURL = 200

// resolveLink resolves href against base and returns the URL to list and
// whether byline may open it. Openable URLs are absolute http(s) with a
// host, tracking parameters dropped, in plain ASCII with everything else
// percent-encoded (so they are safe as a terminal hyperlink target), or
// byline's own "byline:" links. ok is false for an empty href or an anchor
// within the page.
func resolveLink(base *url.URL, href string) (target string, followable, ok bool) {
	// Browsers drop leading and trailing spaces and every tab and newline.
	href = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimSpace(href))
	if href == "" || strings.HasPrefix(href, "#") {
		return "", false, false
	}
	if isBylineLink(href) {
		return href, true, true
	}
	u, err := url.Parse(href)
	if err == nil && base != nil && !u.IsAbs() && base.Opaque == "" {
		u = base.ResolveReference(u)
	}
	if err != nil {
		return shownURL(href), false, true
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// Listed resolved (file:///site/table.html, not /table.html), so
		// two spellings of one page are one link.
		return shownURL(u.String()), false, true
	}
	if !asciiHost(u) {
		return shownURL(href), false, true
	}
	if u.Path == "" && u.Opaque == "" {
		// "https://example.com" is "https://example.com/": one link.
		u.Path = "/"
	}
	u.RawQuery = withoutTracking(u.RawQuery)
	if u.RawQuery == "" {
		u.ForceQuery = false
	}
	return percentEncode(u.String()), true, true
}

var bylineLink = regexp.MustCompile(`^byline:[a-z0-9][a-z0-9/_.-]*$`)

// isBylineLink matches links to articles inside byline, such as the welcome
// feed's "byline:welcome/keys".
func isBylineLink(href string) bool { return bylineLink.MatchString(href) }

// shownURL is a link that cannot be opened, as it is listed: sanitized and
// shortened.
func shownURL(href string) string {
	s := sanitize.Line(href)
	if len(s) <= maxShownURL {
		return s
	}
	cut := maxShownURL
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// asciiHost converts an internationalised host name to its ASCII form in
// place, and reports false for a host that has none.
func asciiHost(u *url.URL) bool {
	host := u.Hostname()
	for i := 0; i < len(host); i++ {
		if host[i] >= utf8.RuneSelf {
			ascii, err := idna.Lookup.ToASCII(host)
			if err != nil {
				return false
			}
			if port := u.Port(); port != "" {
				ascii += ":" + port
			}
			u.Host = ascii
			return true
		}
	}
	return true
}

// percentEncode encodes every byte that is not printable ASCII, and the
// printable ones that end a URL in Markdown or a terminal (space, double
// quote, angle brackets, backquote, braces, pipe, backslash, caret):
// url.URL.String leaves some of them in queries and fragments.
func percentEncode(s string) string {
	i := 0
	for i < len(s) && urlSafe(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if c := s[i]; urlSafe(c) {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func urlSafe(c byte) bool {
	return c > ' ' && c < 0x7f && strings.IndexByte("\"<>`{}|\\^", c) < 0
}

// trackingParams are query parameters that only tell a site where a click
// came from. Parameters starting with "utm_" are dropped as well.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "igshid": true, "ref_src": true, "ref_url": true,
	"_hsenc": true, "_hsmi": true, "mkt_tok": true, "oly_anon_id": true, "oly_enc_id": true,
	"vero_id": true, "wickedid": true, "_ga": true, "_gl": true, "s_cid": true, "cmpid": true,
}

// withoutTracking drops tracking parameters from a raw query, keeping the
// others in their order and encoding.
func withoutTracking(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	params := strings.Split(rawQuery, "&")
	kept := params[:0]
	for _, p := range params {
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		key = strings.ToLower(key)
		if p == "" || trackingParams[key] || strings.HasPrefix(key, "utm_") {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&")
}
