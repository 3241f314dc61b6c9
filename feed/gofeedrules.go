package feed

import (
	"html"
	"regexp"
	"strings"
	"time"
)

// The rules below are gofeed's (v1.4.2, internal/shared), which its
// exported API does not offer: how it decodes the text of an element, splits
// "name (email)" authors and reads dates. The fast parser must give the very
// items gofeed gives, so it applies the same rules; TestFastParserMatchesGofeed
// checks the two against each other on every fixture, gofeed's own included.
// When gofeed is upgraded, that test says whether these still agree.

const (
	cdataStart = "<![CDATA["
	cdataEnd   = "]]>"
)

// elementText is gofeed's ParseText applied to an element's raw inner XML:
// trimmed, then CDATA sections kept verbatim and the text around them (or
// all of it) entity-decoded.
func elementText(inner string) string {
	inner = strings.TrimSpace(inner)
	if strings.Contains(inner, cdataStart) {
		return stripCDATA(inner)
	}
	return decodeEntities(inner)
}

// stripCDATA keeps CDATA sections verbatim and entity-decodes the text
// between them.
func stripCDATA(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		start := strings.Index(s, cdataStart)
		if start < 0 {
			b.WriteString(decodeEntities(s))
			break
		}
		b.WriteString(decodeEntities(s[:start]))
		end := strings.Index(s[start+len(cdataStart):], cdataEnd)
		if end < 0 {
			b.WriteString(decodeEntities(s[start:]))
			break
		}
		end += start + len(cdataStart)
		b.WriteString(s[start+len(cdataStart) : end])
		s = s[end+len(cdataEnd):]
	}
	return b.String()
}

// maxEntityLen bounds how far past an '&' the terminating ';' may be.
const maxEntityLen = 64

// commonEntities are decoded without asking package html: they are nearly
// every entity in escaped HTML, and each answer is what the general rule
// below gives (TestCommonEntitiesFollowTheRule).
var commonEntities = map[string]string{"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": `"`, "&apos;": "'", "&#39;": "'", "&#34;": `"`}

// decodeEntities decodes HTML character references, as gofeed does: an '&'
// starts one only if a ';' follows within maxEntityLen bytes with no
// white space before it, and only if that ';' is part of the reference
// (html.UnescapeString also decodes some references without one).
func decodeEntities(s string) string {
	i := strings.IndexByte(s, '&')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		b.WriteString(s[:i])
		s = s[i:]
		if n := entityEnd(s); n > 0 {
			if dec, ok := commonEntities[s[:n]]; ok {
				b.WriteString(dec)
			} else {
				b.WriteString(decodeEntity(s[:n]))
			}
			s = s[n:]
		} else {
			b.WriteByte('&')
			s = s[1:]
		}
		if i = strings.IndexByte(s, '&'); i < 0 {
			b.WriteString(s)
			return b.String()
		}
	}
}

// entityEnd returns the length of the reference candidate at the start of
// s ("&...;"), or 0 if the '&' there is literal.
func entityEnd(s string) int {
	window := s[:min(len(s), maxEntityLen)]
	end := strings.IndexByte(window, ';')
	if end < 0 || strings.ContainsAny(s[1:end], " \t\r\n") {
		return 0
	}
	span := s[:end+1]
	if _, ok := commonEntities[span]; ok {
		return end + 1
	}
	if html.UnescapeString(span) == html.UnescapeString(span[:end])+";" {
		return 0
	}
	return end + 1
}

func decodeEntity(span string) string { return html.UnescapeString(span) }

var (
	emailNameRgx = regexp.MustCompile(`^([^@]+@[^\s]+)\s+\(([^@]+)\)$`)
	nameEmailRgx = regexp.MustCompile(`^([^@]+)\s+\(([^@]+@[^)]+)\)$`)
	nameOnlyRgx  = regexp.MustCompile(`^([^@()]+)$`)
	emailOnlyRgx = regexp.MustCompile(`^([^@()]+@[^@()]+)$`)
)

// parseNameAddress splits authors such as "Example Name (name@example.com)".
func parseNameAddress(s string) (name, address string) {
	if s == "" {
		return "", ""
	}
	if !strings.ContainsAny(s, "@()") {
		return s, "" // what nameOnlyRgx gives, without running four regexps
	}
	if m := emailNameRgx.FindStringSubmatch(s); m != nil {
		return m[2], m[1]
	}
	if m := nameEmailRgx.FindStringSubmatch(s); m != nil {
		return m[1], m[2]
	}
	if m := nameOnlyRgx.FindStringSubmatch(s); m != nil {
		return m[1], ""
	}
	if m := emailOnlyRgx.FindStringSubmatch(s); m != nil {
		return "", m[1]
	}
	return "", ""
}

// parseDate tries gofeed's date layouts in gofeed's order; the first that
// fits wins.
func parseDate(s string) (time.Time, bool) {
	d := strings.TrimSpace(s)
	if d == "" {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, d); err == nil {
			return t, true
		}
	}
	for _, layout := range dateLayoutsWithNamedZone {
		t, err := time.Parse(layout, d)
		if err != nil {
			continue
		}
		if name, offset := t.Zone(); name != "" {
			if want, ok := zoneOffsets[name]; ok && want != offset {
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, want))
			}
		}
		return t, true
	}
	return time.Time{}, false
}

// dateLayouts have numeric zones or none.
var dateLayouts = []string{
	time.RFC822Z, time.RFC3339, time.RubyDate, time.RFC1123Z, time.ANSIC,
	"Mon, January 2 2006 15:04:05 -0700", "Mon, Jan 2 2006 15:04:05 -700", "Mon, Jan 2 2006 15:04:05 -0700",
	"Mon Jan 2 15:04 2006", "Mon Jan 02, 2006 3:04 pm", "Mon Jan 02 2006 15:04:05 -0700",
	"Mon Jan 02 2006 15:04:05 GMT-0700 (MST)", "Monday, January 2, 2006 03:04 PM", "Monday, January 2, 2006",
	"Monday, January 02, 2006", "Monday, 2 January 2006 15:04:05 -0700", "Monday, 2 Jan 2006 15:04:05 -0700",
	"Monday, 02 January 2006 15:04:05 -0700", "Monday, 02 January 2006 15:04:05", "Mon, 2 January 2006, 15:04 -0700",
	"Mon, 2 January 2006 15:04:05 -0700", "Mon, 2 January 2006", "Mon, 2 Jan 2006 3:04:05 PM -0700",
	"Mon, 2 Jan 2006 15:4:5 -0700 GMT", "Mon, 2, Jan 2006 15:4", "Mon, 2 Jan 2006, 15:04 -0700",
	"Mon, 2 Jan 2006 15:04 -0700", "Mon, 2 Jan 2006 15:04:05 UT", "Mon, 2 Jan 2006 15:04:05 -0700 MST",
	"Mon, 2 Jan 2006 15:04:05-0700", "Mon, 2 Jan 2006 15:04:05-07:00", "Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05", "Mon, 2 Jan 2006 15:04", "Mon,2 Jan 2006", "Mon, 2 Jan 2006",
	"Mon, 2 Jan 06 15:04:05 -0700", "Mon, 2006-01-02 15:04", "Mon, 02 January 2006", "Mon, 02 Jan 2006 15 -0700",
	"Mon, 02 Jan 2006 15:04 -0700", "Mon, 02 Jan 2006 15:04:05 Z", "Mon, 02 Jan 2006 15:04:05 UT",
	"Mon, 02 Jan 2006 15:04:05 MST-07:00", "Mon, 02 Jan 2006 15:04:05 MST -0700", "Mon, 02 Jan 2006 15:04:05 GMT-0700",
	"Mon,02 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04:05 -07:00",
	"Mon, 02 Jan 2006 15:04:05 --0700", "Mon 02 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04:05 -07",
	"Mon, 02 Jan 2006 15:04:05 00", "Mon, 02 Jan 2006 15:04:05", "Mon, 02 Jan 2006 15:4:5 Z", "Mon, 02 Jan 2006",
	"January 2, 2006 3:04 PM", "January 2, 2006, 3:04 p.m.", "January 2, 2006 15:04:05", "January 2, 2006 03:04 PM",
	"January 2, 2006", "January 02, 2006 15:04", "January 02, 2006 03:04 PM", "January 02, 2006",
	"Jan 2, 2006 3:04:05 PM", "Jan 2, 2006", "Jan 02 2006 03:04:05PM", "Jan 02, 2006", "Jan 2 2006 15:04:05",
	"6/1/2 15:04", "6-1-2 15:04", "2 January 2006 15:04:05 -0700", "2 January 2006", "2 Jan 2006 15:04:05 Z",
	"2 Jan 2006 15:04:05 -0700", "2 Jan 2006", "2.1.2006 15:04:05", "2/1/2006", "2-1-2006", "2006 January 02",
	"2006-1-2T15:04:05Z", "2006-1-2 15:04:05", "2006-1-2", "2006-1-02T15:04:05Z", "2006-01-02T15:04Z",
	"2006-01-02T15:04-07:00", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05-07:00:00", "2006-01-02T15:04:05:-0700",
	"2006-01-02T15:04:05-0700", "2006-01-02T15:04:05-07:00", "2006-01-02T15:04:05 -0700", "2006-01-02T15:04:05:00",
	"2006-01-02T15:04:05", "2006-01-02 at 15:04:05", "2006-01-02 15:04:05Z", "2006-01-02 15:04:05-0700",
	"2006-01-02 15:04:05-07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04",
	"2006-01-02 00:00:00.0 15:04:05.0 -0700", "2006/01/02", "2006-01-02", "15:04 02.01.2006 -0700",
	"1/2/2006 3:04:05 PM", "1/2/2006", "06/1/2 15:04", "06-1-2 15:04", "02 Monday, Jan 2006 15:04",
	"02 Jan 2006 15:04:05 UT", "02 Jan 2006 15:04:05 -0700", "02 Jan 2006 15:04:05", "02 Jan 2006",
	"02.01.2006 15:04:05", "02/01/2006 15:04:05", "02.01.2006 15:04", "02/01/2006 - 15:04", "02.01.2006 -0700",
	"02/01/2006", "02-01-2006", "01/02/2006 3:04 PM", "01/02/2006 - 15:04", "01/02/2006", "01-02-2006",
}

// dateLayoutsWithNamedZone come last: time.Parse gives an unknown zone
// abbreviation a zero offset, which zoneOffsets then corrects.
var dateLayoutsWithNamedZone = []string{
	time.RFC1123, time.RFC850, time.RFC822, time.UnixDate,
	"Mon, January 02, 2006, 15:04:05 MST", "Mon, January 02, 2006 15:04:05 MST", "Mon, Jan 2, 2006 15:04 MST",
	"Mon, Jan 2 2006 15:04 MST", "Mon, Jan 2, 2006 15:04:05 MST", "Mon Jan 2 15:04:05 2006 MST",
	"Mon, Jan 02,2006 15:04:05 MST", "Monday, January 2, 2006 15:04:05 MST", "Monday, 2 January 2006 15:04:05 MST",
	"Monday, 2 Jan 2006 15:04:05 MST", "Monday, 02 January 2006 15:04:05 MST", "Mon, 2 January 2006 15:04 MST",
	"Mon, 2 January 2006, 15:04:05 MST", "Mon, 2 January 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:4:5 MST",
	"Mon, 2 Jan 2006 15:04 MST", "Mon, 2 Jan 2006 15:04:05MST", "Mon, 2 Jan 2006 15:04:05 MST",
	"Mon 2 Jan 2006 15:04:05 MST", "mon,2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05 MST", "Mon,02 January 2006 15:04:05 MST", "Mon, 02 Jan 2006 3:04:05 PM MST",
	"Mon,02 Jan 2006 15:04 MST", "Mon, 02 Jan 2006 15:04 MST", "Mon, 02 Jan 2006, 15:04:05 MST",
	"Mon, 02 Jan 2006 15:04:05MST", "Mon, 02 Jan 2006 15:04:05 MST", "Mon , 02 Jan 2006 15:04:05 MST",
	"Mon, 02 Jan 06 15:04:05 MST", "January 2, 2006 15:04:05 MST", "January 02, 2006 15:04:05 MST",
	"Jan 2, 2006 3:04:05 PM MST", "Jan 2, 2006 15:04:05 MST", "2 January 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 MST", "2006-01-02 15:04:05 MST", "1/2/2006 3:04:05 PM MST", "1/2/2006 15:04:05 MST",
	"02 Jan 2006 15:04 MST", "02 Jan 2006 15:04:05 MST", "02/01/2006 15:04 MST", "02-01-2006 15:04:05 MST",
	"01/02/2006 15:04:05 MST",
}

// zoneOffsets are the zone abbreviations seen in feed dates, in seconds
// east of UTC; the ambiguous ones (CST, BST) read the common way.
var zoneOffsets = map[string]int{
	"UT": 0, "GMT": 0, "UTC": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"WET": 0, "WEST": 1 * 3600, "BST": 1 * 3600, "CET": 1 * 3600, "CEST": 2 * 3600,
	"EET": 2 * 3600, "EEST": 3 * 3600,
}

// canonicalPrefixes are the prefixes gofeed files extension elements
// under, whatever prefix a document binds their namespace to.
var canonicalPrefixes = map[string]string{
	atom10Namespace: "atom",
	atom03Namespace: "atom03",

	"http://webns.net/mvcb/":                                         "admin",
	"http://purl.org/rss/1.0/modules/aggregation/":                   "ag",
	"http://purl.org/rss/1.0/modules/annotate/":                      "annotate",
	"http://media.tangent.org/rss/1.0/":                              "audio",
	"http://backend.userland.com/blogChannelModule":                  "blogChannel",
	"http://creativecommons.org/ns#license":                          "cc",
	"http://web.resource.org/cc/":                                    "cc",
	"http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html": "creativeCommons",
	"http://backend.userland.com/creativeCommonsRssModule":           "creativeCommons",
	"http://purl.org/rss/1.0/modules/company":                        "co",
	"http://purl.org/rss/1.0/modules/content/":                       "content",
	"http://my.theinfo.org/changed/1.0/rss/":                         "cp",
	"http://purl.org/dc/elements/1.1/":                               "dc",
	"http://purl.org/dc/terms/":                                      "dcterms",
	"http://purl.org/rss/1.0/modules/email/":                         "email",
	"http://purl.org/rss/1.0/modules/event/":                         "ev",
	"http://rssnamespace.org/feedburner/ext/1.0":                     "feedburner",
	"http://freshmeat.net/rss/fm/":                                   "fm",
	"http://xmlns.com/foaf/0.1/":                                     "foaf",
	"http://www.w3.org/2003/01/geo/wgs84_pos#":                       "geo",
	"http://www.georss.org/georss":                                   "georss",
	"http://www.opengis.net/gml":                                     "gml",
	"http://postneo.com/icbm/":                                       "icbm",
	"http://purl.org/rss/1.0/modules/image/":                         "image",
	"http://www.itunes.com/DTDs/PodCast-1.0.dtd":                     "itunes",
	"http://example.com/DTDs/PodCast-1.0.dtd":                        "itunes",
	"http://purl.org/rss/1.0/modules/link/":                          "l",
	"http://search.yahoo.com/mrss":                                   "media",
	"http://search.yahoo.com/mrss/":                                  "media",
	"http://madskills.com/public/xml/rss/module/pingback/":           "pingback",
	"http://prismstandard.org/namespaces/1.2/basic/":                 "prism",
	rdfNamespace:                                            "rdf",
	"http://www.w3.org/2000/01/rdf-schema#":                 "rdfs",
	"http://purl.org/rss/1.0/modules/reference/":            "ref",
	"http://purl.org/rss/1.0/modules/richequiv/":            "reqv",
	"http://purl.org/rss/1.0/modules/search/":               "search",
	"http://purl.org/rss/1.0/modules/slash/":                "slash",
	"http://schemas.xmlsoap.org/soap/envelope/":             "soap",
	"http://purl.org/rss/1.0/modules/servicestatus/":        "ss",
	"http://hacks.benhammersley.com/rss/streaming/":         "str",
	"http://purl.org/rss/1.0/modules/subscription/":         "sub",
	"http://purl.org/rss/1.0/modules/syndication/":          "sy",
	"http://schemas.pocketsoap.com/rss/myDescModule/":       "szf",
	"http://purl.org/rss/1.0/modules/taxonomy/":             "taxo",
	"http://purl.org/rss/1.0/modules/threading/":            "thr",
	"http://purl.org/rss/1.0/modules/textinput/":            "ti",
	"http://madskills.com/public/xml/rss/module/trackback/": "trackback",
	"http://wellformedweb.org/commentAPI/":                  "wfw",
	"http://purl.org/rss/1.0/modules/wiki/":                 "wiki",
	"http://www.w3.org/1999/xhtml":                          "xhtml",
	"http://www.w3.org/1999/xlink":                          "xlink",
	xmlNamespace:                                            "xml",
	"http://podlove.org/simple-chapters":                    "psc",
}

const (
	atom10Namespace   = "http://www.w3.org/2005/Atom"
	atom03Namespace   = "http://purl.org/atom/ns#"
	rdfNamespace      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rss10Namespace    = "http://purl.org/rss/1.0/"
	rss09Namespace    = "http://channel.netscape.com/rdf/simple/0.9/"
	rss09AltNamespace = "http://my.netscape.com/rdf/simple/0.9/"
	xmlNamespace      = "http://www.w3.org/XML/1998/namespace"
)
