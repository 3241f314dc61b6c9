package article

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what a page says about its article outside the body: <meta>
// tags, JSON-LD and the document's own attributes.
type pageMeta struct {
	base   *url.URL // the page URL, or its <base href>
	lang   string   // <html lang>
	title  string   // <title>
	h1     string   // the text of the page's only <h1>; "" if it has several
	h1s    int
	tags   map[string]string // <meta> content by lower-cased name or property; the first wins
	jsonLD jsonLDArticle
	// paywalled is set when the page says the story is for subscribers.
	paywalled bool
	// authors are the contents of every author <meta> tag: a page by two
	// authors has two.
	authors []string
}

// jsonLDArticle holds the fields byline reads from a schema.org article.
type jsonLDArticle struct {
	Headline, Author, Site, Published, Image, Lang string
	// Body is articleBody: the whole text, which some pages only carry here.
	Body string
	Free *bool // isAccessibleForFree
}

// paywallText matches what a paywall says instead of the rest of the story.
// "Already a subscriber?" is left out: many sites print it on every page.
var paywallText = regexp.MustCompile(`(?i)\b((subscribe|log in|sign in) to (continue|keep) reading|to continue reading,? (please )?(subscribe|log in|sign in)|for subscribers only|subscribers only|(article|story) is (only )?(for|available to) subscribers)\b`)

func readPageMeta(doc *html.Node, pageURL string) pageMeta {
	m := pageMeta{tags: make(map[string]string)}
	m.base, _ = url.Parse(pageURL)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				// Every match names subscribers or reading: a cheap test first.
				if !m.paywalled && len(c.Data) < 300 && (strings.Contains(c.Data, "ubscri") || strings.Contains(c.Data, "eading")) &&
					paywallText.MatchString(c.Data) {
					m.paywalled = true
				}
				continue
			}
			if c.Type != html.ElementNode {
				continue
			}
			m.readElement(c)
			if c.DataAtom != atom.Script && c.DataAtom != atom.Style {
				walk(c)
			}
		}
	}
	walk(doc)
	if m.jsonLD.Free != nil && !*m.jsonLD.Free || m.tags["article:content_tier"] == "locked" {
		m.paywalled = true
	}
	return m
}

func (m *pageMeta) readElement(n *html.Node) {
	switch n.DataAtom {
	case atom.Html:
		m.lang = strings.TrimSpace(attr(n, "lang"))
	case atom.Base:
		if href := strings.TrimSpace(attr(n, "href")); href != "" && m.base != nil {
			if ref, err := url.Parse(href); err == nil {
				m.base = m.base.ResolveReference(ref)
			}
		}
	case atom.Title:
		if m.title == "" {
			m.title = textContent(n)
		}
	case atom.H1:
		if m.h1s++; m.h1s == 1 {
			m.h1, _ = shortText(n, 300)
		} else {
			m.h1 = ""
		}
	case atom.Meta:
		key := attr(n, "property")
		if key == "" {
			key = attr(n, "name")
		}
		if key == "" {
			key = attr(n, "itemprop")
		}
		if key == "" && strings.EqualFold(attr(n, "http-equiv"), "content-language") {
			key = "content-language"
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value := strings.TrimSpace(attr(n, "content"))
		if key != "" && value != "" && m.tags[key] == "" {
			m.tags[key] = value
		}
		if value != "" && slices.Contains(authorTags, key) {
			m.authors = append(m.authors, value)
		}
	case atom.Script:
		if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && m.jsonLD.Body == "" {
			m.readJSONLD(textContent(n))
		}
	}
	if !m.paywalled && (strings.Contains(strings.ToLower(attr(n, "class")), "paywall") || strings.Contains(strings.ToLower(attr(n, "id")), "paywall")) {
		m.paywalled = true
	}
}

// readJSONLD takes the first schema.org article found in a JSON-LD script,
// looking through arrays and @graph lists.
func (m *pageMeta) readJSONLD(script string) {
	script = strings.TrimSpace(script)
	script = strings.TrimSuffix(strings.TrimPrefix(script, "<![CDATA["), "]]>")
	var data any
	if err := json.Unmarshal([]byte(script), &data); err != nil {
		return // broken JSON-LD is common and not worth a complaint
	}
	if obj := findJSONLDArticle(data, 0); obj != nil {
		m.jsonLD = jsonLDArticle{
			Headline:  jsonString(obj["headline"], "name"),
			Author:    jsonNames(obj["author"]),
			Site:      jsonString(obj["publisher"], "name"),
			Published: jsonString(obj["datePublished"], ""),
			Image:     jsonString(obj["image"], "url"),
			Lang:      jsonString(obj["inLanguage"], ""),
			Body:      jsonString(obj["articleBody"], ""),
			Free:      jsonBool(obj["isAccessibleForFree"]),
		}
		if m.jsonLD.Headline == "" {
			m.jsonLD.Headline = jsonString(obj["name"], "")
		}
	}
}

// findJSONLDArticle returns the first object whose @type is an article
// type, searching at most a few levels deep.
func findJSONLDArticle(v any, depth int) map[string]any {
	if depth > 4 {
		return nil
	}
	switch v := v.(type) {
	case []any:
		for _, item := range v {
			if obj := findJSONLDArticle(item, depth+1); obj != nil {
				return obj
			}
		}
	case map[string]any:
		if isArticleType(v["@type"]) {
			return v
		}
		return findJSONLDArticle(v["@graph"], depth+1)
	}
	return nil
}

func isArticleType(t any) bool {
	switch t := t.(type) {
	case string:
		return strings.HasSuffix(t, "Article") || strings.HasSuffix(t, "Posting") || t == "Report"
	case []any:
		for _, s := range t {
			if isArticleType(s) {
				return true
			}
		}
	}
	return false
}

// jsonString reads a string, or the string field key of an object, or the
// first usable element of a list of either.
func jsonString(v any, key string) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case map[string]any:
		if key != "" {
			return jsonString(v[key], "")
		}
	case []any:
		for _, item := range v {
			if s := jsonString(item, key); s != "" {
				return s
			}
		}
	}
	return ""
}

// jsonNames reads one author or a list of them as "A, B".
func jsonNames(v any) string {
	list, ok := v.([]any)
	if !ok {
		return jsonString(v, "name")
	}
	var names []string
	for _, item := range list {
		if name := jsonString(item, "name"); name != "" {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

func jsonBool(v any) *bool {
	var b bool
	switch v := v.(type) {
	case bool:
		b = v
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			b = true
		case "false":
			b = false
		default:
			return nil
		}
	default:
		return nil
	}
	return &b
}

// tag returns the first non-empty <meta> value among keys.
func (m *pageMeta) tag(keys ...string) string {
	for _, k := range keys {
		if v := m.tags[k]; v != "" {
			return v
		}
	}
	return ""
}

// headline prefers the page's only <h1> to a title that merely extends it,
// as "Flood plan approved | The Courier" does: readability keeps the site
// name in short titles.
func (m *pageMeta) headline(title string) string {
	if m.h1 != "" && len(title) > len(m.h1) && strings.HasPrefix(title, m.h1) {
		return m.h1
	}
	return title
}

func (m *pageMeta) published() time.Time {
	for _, s := range []string{
		m.jsonLD.Published, m.tag("article:published_time", "datepublished", "pubdate", "publishdate",
			"date", "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date"),
	} {
		if t := parseDate(s); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func (m *pageMeta) language() string {
	lang := firstNonEmpty(m.lang, m.tag("content-language", "og:locale", "language"), m.jsonLD.Lang)
	// og:locale writes "en_US"; language tags use a hyphen.
	return strings.ReplaceAll(lang, "_", "-")
}

// dateLayouts are the forms dates take in page metadata. A date without a
// zone is read as UTC, so that results do not depend on the machine.
var dateLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02",
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "January 2, 2006", "2 January 2006",
}

func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// unlikelyBylineBox matches the class names and ids of the parts of a page
// where readability does not look for the byline; likelyBylineBox
// overrides it ("main-header").
var (
	unlikelyBylineBox = lazyCompile(`(?i)-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote`)
	likelyBylineBox   = lazyCompile(`(?i)and|article|body|column|content|main|shadow`)
)

// pageByline finds the byline in a page's markup as readability does: the
// first short element marked as the author's or as the byline (its
// itemprop="name" part, when it has one), outside the parts of the page
// that are unlikely to hold the story. A page with none there may have it
// in a box named a header, where readability finds it when it reads the
// page again with those parts (the article's header, by the headline).
func pageByline(doc *html.Node) string {
	if found := scanByline(doc, false); found != "" {
		return found
	}
	return scanByline(doc, true)
}

// scanByline is pageByline's walk over the page, looking into the boxes
// named headers too when inHeaders is set.
func scanByline(doc *html.Node, inHeaders bool) string {
	var found string
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || invisible(c) {
				continue
			}
			names := attr(c, "class") + " " + attr(c, "id")
			if inHeaders {
				names = strings.ReplaceAll(strings.ToLower(names), "header", "")
			}
			if c.DataAtom != atom.Body && unlikelyBylineBox.MatchString(names) && !likelyBylineBox.MatchString(names) {
				continue
			}
			if attr(c, "rel") == "author" || strings.Contains(attr(c, "itemprop"), "author") || bylineName.MatchString(names) {
				for d := range descendants(c, 0) {
					if strings.Contains(attr(d, "itemprop"), "name") {
						found = strings.TrimSpace(textContent(d))
						return false
					}
				}
				if text := strings.TrimSpace(textContent(c)); text != "" && utf8.RuneCountInString(text) < maxBylineBytes {
					found = strings.Join(strings.Fields(text), " ")
					return false
				}
			}
			if !walk(c) {
				return false
			}
		}
		return true
	}
	walk(doc)
	return found
}
