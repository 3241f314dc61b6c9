package config

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/bylinehq/byline/news"
	"golang.org/x/net/html/charset"
)

// ErrNoFeeds is returned by ParseOPML for a valid OPML file that holds no
// feed.
var ErrNoFeeds = errors.New("no feeds: no <outline> has an xmlUrl attribute")

// ParseOPML reads an OPML 1.0, 1.1 or 2.0 subscription list, as exported
// by Feedly, Inoreader, NetNewsWire, newsboat and others.
//
// An outline with an xmlUrl attribute is a feed, whatever its type says.
// Its title is the title attribute, else text (neither counts when it
// merely repeats the URL). Its tags are the names (text, else title) of the folder
// outlines around it, outermost first, then the entries of its category
// attribute: comma-separated, each with one leading "/" dropped, and
// "%2C" and "%25" decoded, which is how WriteOPML stores tags holding a
// comma. A feed listed twice (in two folders) becomes one subscription with
// the tags of both. Feeds byline cannot use are skipped with a warning.
//
// The parser is lenient about the XML other programs write (unescaped &,
// HTML entities, any charset) but a file that is not OPML, or has no feeds,
// is an error.
func ParseOPML(r io.Reader) ([]news.Subscription, []Warning, error) {
	data, err := readBounded(r, maxListBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("opml: %w", err)
	}
	dec := xml.NewDecoder(strings.NewReader(data))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = charset.NewReaderLabel

	var (
		subs     []news.Subscription
		warnings []Warning
		index    = make(map[string]int) // URL → position in subs
		folders  []string               // one entry per open outline; "" for feeds and nameless ones
		sawRoot  bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("opml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !sawRoot {
				if !strings.EqualFold(t.Name.Local, "opml") {
					return nil, nil, fmt.Errorf("opml: not an OPML file: the root element is <%s>, not <opml>", t.Name.Local)
				}
				sawRoot = true
				continue
			}
			if !strings.EqualFold(t.Name.Local, "outline") {
				continue
			}
			line, _ := dec.InputPos()
			o := readOutline(t.Attr)
			if o.xmlURL == "" {
				folders = append(folders, o.name())
				if o.looksLikeFeed() {
					warnings = append(warnings, Warning{Line: line, Text: fmt.Sprintf("feed %q has no xmlUrl; skipped", o.name())})
				}
				continue
			}
			folders = append(folders, "")
			sub, err := normalizeSubscription(news.Subscription{
				URL:   o.xmlURL,
				Title: o.feedTitle(),
				Tags:  append(slices.Clone(folders), o.categories()...),
			})
			if err != nil {
				warnings = append(warnings, Warning{Line: line, Text: err.Error() + "; skipped"})
				continue
			}
			if i, dup := index[sub.URL]; dup {
				merged, _ := normalizeSubscription(news.Subscription{
					URL: sub.URL, Title: subs[i].Title, Tags: append(subs[i].Tags, sub.Tags...),
				})
				subs[i] = merged
				continue
			}
			index[sub.URL] = len(subs)
			subs = append(subs, sub)
		case xml.EndElement:
			if strings.EqualFold(t.Name.Local, "outline") && len(folders) > 0 {
				folders = folders[:len(folders)-1]
			}
		}
	}
	if !sawRoot {
		return nil, nil, errors.New("opml: not an OPML file: no XML elements")
	}
	if len(subs) == 0 {
		return nil, warnings, fmt.Errorf("opml: %w", ErrNoFeeds)
	}
	return subs, warnings, nil
}

// outline holds the attributes of an <outline> that byline reads.
type outline struct {
	text, title, xmlURL, typ, category string
}

func readOutline(attrs []xml.Attr) outline {
	var o outline
	for _, a := range attrs {
		// Attribute names are matched ignoring case: exporters write
		// xmlUrl, xmlURL and xmlurl.
		switch strings.ToLower(a.Name.Local) {
		case "text":
			o.text = strings.TrimSpace(a.Value)
		case "title":
			o.title = strings.TrimSpace(a.Value)
		case "xmlurl":
			o.xmlURL = strings.TrimSpace(a.Value)
		case "type":
			o.typ = strings.ToLower(strings.TrimSpace(a.Value))
		case "category":
			o.category = a.Value
		}
	}
	return o
}

func (o outline) name() string {
	if o.text != "" {
		return o.text
	}
	return o.title
}

// feedTitle is the title attribute, else text; one that merely repeats the
// URL is no title (WriteOPML writes the URL as text when it knows none).
func (o outline) feedTitle() string {
	for _, t := range []string{o.title, o.text} {
		if t != "" && t != o.xmlURL {
			return t
		}
	}
	return ""
}

func (o outline) looksLikeFeed() bool {
	return o.typ == "rss" || o.typ == "atom"
}

// categoryEscaper and categoryUnescaper keep a comma inside a tag from
// splitting it in two; the escape is percent-encoding, so other readers
// show something recognisable.
var (
	categoryEscaper   = strings.NewReplacer("%", "%25", ",", "%2C")
	categoryUnescaper = strings.NewReplacer("%2C", ",", "%2c", ",", "%25", "%")
)

func (o outline) categories() []string {
	var tags []string
	for _, c := range strings.Split(o.category, ",") {
		c = strings.TrimPrefix(strings.TrimSpace(c), "/")
		if c != "" {
			tags = append(tags, categoryUnescaper.Replace(c))
		}
	}
	return tags
}

// opmlOutline is an <outline> as WriteOPML writes it.
type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Category string        `xml:"category,attr,omitempty"`
	Children []opmlOutline `xml:"outline"`
}

type opmlDocument struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title,omitempty"`
	Body    []opmlOutline `xml:"body>outline"`
}

// WriteOPML writes feeds as an OPML 2.0 document titled title, for other
// readers: built-in feeds (byline:welcome), which only byline can read,
// are left out.
//
// Other readers know folders, not tags, so each run of consecutive feeds
// that share a first tag goes into a folder named after it, and feeds
// without tags sit at the top level. So that no tag is lost, every feed
// also lists all its tags in its category attribute ("/news,/world"). A
// feed's title goes in text and title, its site in htmlUrl; a feed whose
// title is not known (or is its URL) has its URL as text, as OPML
// requires some text. ParseOPML reads the subscriptions back exactly, in
// the same order.
func WriteOPML(w io.Writer, feeds []news.Feed, title string) error {
	doc := opmlDocument{Version: "2.0", Title: title}
	for _, f := range feeds {
		sub, err := normalizeSubscription(news.Subscription{URL: f.URL, Title: f.Title, Tags: f.Tags})
		if err != nil {
			return fmt.Errorf("opml: %s: %w", f.URL, err)
		}
		if hasPrefixFold(sub.URL, "byline:") {
			continue
		}
		item := opmlOutline{Text: sub.URL, Type: "rss", XMLURL: sub.URL, HTMLURL: webURL(f.SiteURL)}
		if sub.Title != "" && sub.Title != sub.URL {
			item.Text, item.Title = sub.Title, sub.Title
		}
		if len(sub.Tags) == 0 {
			doc.Body = append(doc.Body, item)
			continue
		}
		cats := make([]string, len(sub.Tags))
		for i, tag := range sub.Tags {
			cats[i] = "/" + categoryEscaper.Replace(tag)
		}
		item.Category = strings.Join(cats, ",")
		folder := sub.Tags[0]
		if n := len(doc.Body); n > 0 && doc.Body[n-1].XMLURL == "" && doc.Body[n-1].Text == folder {
			doc.Body[n-1].Children = append(doc.Body[n-1].Children, item)
			continue
		}
		doc.Body = append(doc.Body, opmlOutline{Text: folder, Title: folder, Children: []opmlOutline{item}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("opml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("opml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("opml: %w", err)
	}
	return nil
}

// webURL is u if it is an http(s) URL with a host, else "": a site's
// address comes from the feed, and other readers may open it.
func webURL(u string) string {
	if strings.HasPrefix(u, "byline:") || checkURL(u) != nil {
		return ""
	}
	return u
}
