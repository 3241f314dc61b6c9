package feed

import (
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// parseFast parses the common shapes of RSS 2.0, RSS 1.0 (RDF) and Atom
// into the part of a gofeed.Feed that convert reads, giving what gofeed
// gives, in a tenth of its time or less: gofeed reads through encoding/xml
// a byte at a time and builds a map per element, the fast path slices the
// document. Anything it does not handle the way gofeed does, from a
// DOCTYPE to an xml:base, makes it return errDecline, and gofeed parses
// the document instead. TestFastParserMatchesGofeed holds the two to the
// same answers.
//
// doc has passed the sanitizer and checkShape, as it has for gofeed.
func parseFast(doc string) (*gofeed.Feed, error) {
	// The only characters XML forbids that the sanitizer lets through.
	if strings.Contains(doc, "\ufffe") || strings.Contains(doc, "\uffff") {
		return nil, errDecline
	}
	// gofeed tells the format from the first non-blank byte and the root
	// element, which must lie within the first detectionPeekSize bytes.
	if !strings.HasPrefix(strings.TrimLeft(doc, " \t\r\n"), "<") {
		return nil, errDecline
	}
	p := &fastParser{s: xmlScanner{doc: doc}}
	root, err := p.root()
	if err != nil {
		return nil, err
	}
	if p.s.pos > detectionPeekSize {
		return nil, errDecline
	}
	switch strings.ToLower(root.local) {
	case "rss", "rdf":
		return p.rss(root)
	case "feed":
		return p.atom(root)
	}
	return nil, errDecline
}

// detectionPeekSize is how much of a document gofeed reads to tell its format.
const detectionPeekSize = 4096

// fastParser walks the elements gofeed reads, keeping the namespace
// bindings in scope along that path.
type fastParser struct {
	s      xmlScanner
	scopes []scope  // one per open element on the walked path
	tag    startTag // reused for every start tag
}

// scope is an open element on the walked path: its name, for its end
// tag, and the namespaces it declares.
type scope struct {
	prefix, local string
	decls         []nsDecl
}

type nsDecl struct{ prefix, uri string }

// root reads the prolog and the root start tag, and opens its scope.
func (p *fastParser) root() (*startTag, error) {
	for {
		kind, _, _, _, _, err := p.s.next(&p.tag)
		switch {
		case err != nil:
			return nil, err
		case kind == tokText:
			continue // gofeed looks past text before the root
		case kind != tokStart:
			return nil, errDecline
		}
		root := p.tag
		root.attrs = append([]xmlAttr(nil), p.tag.attrs...)
		if root.selfClosing {
			return nil, errDecline
		}
		return &root, p.open(&root)
	}
}

// open pushes the namespace scope of tag, which starts an element on the
// walked path. Declarations gofeed's layers would read differently from
// one another, and xml:base (which makes gofeed resolve and rewrite
// links and HTML), decline.
func (p *fastParser) open(tag *startTag) error {
	var decls []nsDecl
	for _, a := range tag.attrs {
		switch {
		case a.prefix == "xmlns", a.prefix == "" && a.local == "xmlns":
			if a.value != strings.TrimSpace(a.value) {
				return errDecline
			}
			prefix := a.local
			if a.prefix == "" {
				prefix = ""
			}
			decls = append(decls, nsDecl{prefix, a.value})
		case a.local == "base" && a.prefix != "":
			return errDecline
		}
	}
	if tag.prefix == "xmlns" || tag.prefix == "" && tag.local == "xmlns" {
		return errDecline
	}
	p.scopes = append(p.scopes, scope{tag.prefix, tag.local, decls})
	return nil
}

func (p *fastParser) close() { p.scopes = p.scopes[:len(p.scopes)-1] }

// binding returns the namespace bound to prefix in the current scope.
func (p *fastParser) binding(prefix string) (string, bool) {
	for i := len(p.scopes) - 1; i >= 0; i-- {
		decls := p.scopes[i].decls
		for j := len(decls) - 1; j >= 0; j-- {
			if decls[j].prefix == prefix {
				return decls[j].uri, true
			}
		}
	}
	return "", false
}

// space is the namespace of an element named with prefix, as encoding/xml
// gives it: the bound URI, else the prefix itself.
func (p *fastParser) space(prefix string) string {
	if prefix == "xml" {
		return xmlNamespace
	}
	if uri, ok := p.binding(prefix); ok {
		return uri
	}
	return prefix
}

// prefixFor is the prefix gofeed files an extension element of namespace
// space under: the canonical one, else the prefix most recently bound to
// it, else the namespace itself.
func (p *fastParser) prefixFor(space string) string {
	if prefix, ok := canonicalPrefixes[space]; ok {
		return prefix
	}
	for i := len(p.scopes) - 1; i >= 0; i-- {
		decls := p.scopes[i].decls
		for j := len(decls) - 1; j >= 0; j-- {
			if decls[j].uri != space {
				continue
			}
			if cur, ok := p.binding(decls[j].prefix); ok && cur == space {
				if decls[j].prefix == "" {
					return space
				}
				return decls[j].prefix
			}
		}
	}
	return space
}

// child advances to the next child element of the open element and
// returns its start tag (in p.tag, scope opened), or nil at the open
// element's end tag (whose scope it closes).
func (p *fastParser) child() (*startTag, error) {
	for {
		kind, prefix, local, _, _, err := p.s.next(&p.tag)
		switch {
		case err != nil:
			return nil, err
		case kind == tokText:
			continue
		case kind == tokEnd:
			if open := p.scopes[len(p.scopes)-1]; prefix != open.prefix || local != open.local {
				return nil, errDecline
			}
			p.close()
			return nil, nil
		case kind == tokEOF:
			return nil, errDecline
		}
		return &p.tag, p.open(&p.tag)
	}
}

// inner consumes the rest of the element whose start tag was just read
// and returns its raw inner XML, checking everything in it and that its
// end tag matches. It closes the element's scope.
func (p *fastParser) inner(tag *startTag) (string, error) {
	defer p.close()
	if tag.selfClosing {
		return "", nil
	}
	start := p.s.pos
	end, err := p.s.skipContent(tag.prefix, tag.local)
	if err != nil {
		return "", err
	}
	return p.s.doc[start:end], nil
}

// skip consumes the rest of an element that is not read.
func (p *fastParser) skip(tag *startTag) error {
	_, err := p.inner(tag)
	return err
}

// extension is the part of an extension element (dc:creator, atom:link…)
// that gofeed's translator reads: its text, attributes and the text of
// its children.
type extension struct {
	value    string
	attrs    []xmlAttr
	children []extension
	local    string
}

// extension consumes an extension element, keeping its direct text
// (decoded, trimmed), its attributes and its children's text.
func (p *fastParser) extension(tag *startTag, depth int) (extension, error) {
	e := extension{local: tag.local, attrs: append([]xmlAttr(nil), tag.attrs...)}
	if tag.selfClosing {
		return e, nil
	}
	var text strings.Builder
	var sub startTag
	for {
		kind, prefix, local, raw, cdata, err := p.s.next(&sub)
		switch {
		case err != nil:
			return e, err
		case kind == tokEOF:
			return e, errDecline
		case kind == tokEnd:
			if prefix != tag.prefix || local != tag.local {
				return e, errDecline
			}
			e.value = strings.TrimSpace(text.String())
			return e, nil
		case kind == tokText && cdata:
			text.WriteString(raw)
		case kind == tokText:
			decoded, err := decodeText(raw)
			if err != nil {
				return e, err
			}
			text.WriteString(decoded)
		case depth == 0:
			child, err := p.extension(&sub, depth+1)
			if err != nil {
				return e, err
			}
			e.children = append(e.children, child)
		case !sub.selfClosing:
			if _, err := p.s.skipContent(sub.prefix, sub.local); err != nil {
				return e, err
			}
		}
	}
}

// skipContent consumes the content of an element named prefix:local whose
// start tag was just read, through its end tag, and returns where that
// end tag starts.
func (s *xmlScanner) skipContent(prefix, local string) (int, error) {
	type name struct{ prefix, local string }
	var open []name
	var tag startTag
	for {
		at := s.pos
		kind, p, l, _, _, err := s.next(&tag)
		switch {
		case err != nil:
			return 0, err
		case kind == tokEOF:
			return 0, errDecline
		case kind == tokStart:
			if !tag.selfClosing {
				open = append(open, name{tag.prefix, tag.local})
			}
		case kind == tokEnd:
			want := name{prefix, local}
			if n := len(open); n > 0 {
				want = open[n-1]
			}
			if p != want.prefix || l != want.local {
				return 0, errDecline
			}
			if len(open) == 0 {
				return at, nil
			}
			open = open[:len(open)-1]
		}
	}
}

// firstText is the first value of an element that may repeat.
type firstText struct {
	value string
	ok    bool
}

func (f *firstText) add(v string) {
	if !f.ok {
		*f = firstText{v, true}
	}
}

// atomPrefixes are the prefixes under which gofeed looks for Atom elements
// inside RSS, in its order.
var atomPrefixes = [...]string{"atom", "atom10", "atom03"}

// rssExtensions holds the extension elements of a channel or item that
// gofeed's RSS translator reads.
type rssExtensions struct {
	dc                                                  bool // any dc: element
	dcTitle, dcDescription, dcDate, dcCreator, dcAuthor firstText
	itunes                                              bool
	itunesSummary, itunesAuthor                         firstText
	atom                                                [len(atomPrefixes)]atomExtensions
}

type atomExtensions struct {
	summary, content, published, updated firstText
	author                               bool // the first author's children below
	authorName, authorEmail              firstText
	links                                []extension
}

// add records extension element e, filed under prefix.
func (x *rssExtensions) add(prefix string, e extension) {
	switch prefix {
	case "dc":
		x.dc = true
		switch e.local {
		case "title":
			x.dcTitle.add(e.value)
		case "description":
			x.dcDescription.add(e.value)
		case "date":
			x.dcDate.add(e.value)
		case "creator":
			x.dcCreator.add(e.value)
		case "author":
			x.dcAuthor.add(e.value)
		}
	case "itunes":
		x.itunes = true
		switch e.local {
		case "summary":
			x.itunesSummary.add(e.value)
		case "author":
			x.itunesAuthor.add(e.value)
		}
	default:
		for i, ap := range atomPrefixes {
			if prefix != ap {
				continue
			}
			a := &x.atom[i]
			switch e.local {
			case "summary":
				a.summary.add(e.value)
			case "content":
				a.content.add(e.value)
			case "published":
				a.published.add(e.value)
			case "updated":
				a.updated.add(e.value)
			case "link":
				a.links = append(a.links, e)
			case "author":
				if !a.author {
					a.author = true
					for _, c := range e.children {
						switch c.local {
						case "name":
							a.authorName.add(c.value)
						case "email":
							a.authorEmail.add(c.value)
						}
					}
				}
			}
		}
	}
}

// wanted reports whether gofeed's translator reads anything filed under prefix.
func (x *rssExtensions) wanted(prefix string) bool {
	switch prefix {
	case "dc", "itunes", "atom", "atom10", "atom03":
		return true
	}
	return false
}

// atomValue is gofeed's atomExtValue: the first Atom group holding the
// element decides.
func (x *rssExtensions) atomValue(pick func(*atomExtensions) firstText) string {
	for i := range x.atom {
		if f := pick(&x.atom[i]); f.ok {
			return f.value
		}
	}
	return ""
}

// atomAuthor is gofeed's atomExtChild for an author's child.
func (x *rssExtensions) atomAuthor(pick func(*atomExtensions) firstText) string {
	for i := range x.atom {
		if f := pick(&x.atom[i]); x.atom[i].author && f.ok {
			return f.value
		}
	}
	return ""
}

// extensionOrSkip files an extension element gofeed's translator reads,
// and skips the others.
func (p *fastParser) extensionOrSkip(x *rssExtensions, tag *startTag, space string) error {
	prefix := p.prefixFor(space)
	if !x.wanted(prefix) {
		return p.skip(tag)
	}
	e, err := p.extension(tag, 0)
	p.close()
	if err != nil {
		return err
	}
	// gofeed resolves these attributes of the elements it reads, which
	// normalizes them as URLs.
	for i := range e.attrs {
		if uriAttrs[strings.ToLower(e.attrs[i].local)] {
			e.attrs[i].value = normalizeURL(e.attrs[i].value)
		}
	}
	x.add(prefix, e)
	return nil
}

// uriAttrs are the attributes gofeed resolves against xml:base, and so
// passes through url.Parse, in every element it reads.
var uriAttrs = map[string]bool{"href": true, "scheme": true, "src": true, "uri": true}

// normalizeURL is what resolving against an absent xml:base does to a URL
// in gofeed: it is parsed and printed again, if it parses.
func normalizeURL(s string) string {
	u, err := url.Parse(strings.TrimLeft(s, " "))
	if err != nil {
		return s
	}
	return u.String()
}

// text reads an element as gofeed's ParseText does.
func (p *fastParser) text(tag *startTag) (string, error) {
	raw, err := p.inner(tag)
	if err != nil {
		return "", err
	}
	return elementText(raw), nil
}

// rss reads an RSS 0.9x/2.0 or RDF document whose root was just opened.
func (p *fastParser) rss(root *startTag) (*gofeed.Feed, error) {
	native := []string{"", "rss", "rdf", rdfNamespace, rss10Namespace, rss09Namespace, rss09AltNamespace}
	if space := p.space(root.prefix); space != "" {
		if _, canonical := canonicalPrefixes[space]; !canonical {
			native = append(native, space)
		}
	}
	isNative := func(space string) bool {
		for _, n := range native {
			if space == n {
				return true
			}
		}
		return false
	}
	var channel *gofeed.Feed
	var rootItems []*gofeed.Item
	for {
		tag, err := p.child()
		if err != nil {
			return nil, err
		}
		if tag == nil {
			break
		}
		if !isNative(p.space(tag.prefix)) {
			if err := p.skip(tag); err != nil {
				return nil, err
			}
			continue
		}
		switch strings.ToLower(tag.local) {
		case "channel":
			if channel, err = p.rssChannel(tag, isNative); err != nil {
				return nil, err
			}
		case "item":
			item, err := p.rssItem(tag, isNative)
			if err != nil {
				return nil, err
			}
			rootItems = append(rootItems, item)
		default:
			if err := p.skip(tag); err != nil {
				return nil, err
			}
		}
	}
	if channel == nil {
		channel = &gofeed.Feed{FeedType: "rss", Items: []*gofeed.Item{}}
	}
	channel.Items = append(channel.Items, rootItems...)
	return channel, nil
}

func (p *fastParser) rssChannel(tag *startTag, isNative func(string) bool) (*gofeed.Feed, error) {
	if tag.selfClosing {
		p.close()
		return &gofeed.Feed{FeedType: "rss", Items: []*gofeed.Item{}}, nil
	}
	f := &gofeed.Feed{FeedType: "rss", Items: []*gofeed.Item{}}
	var x rssExtensions
	for {
		tag, err := p.child()
		if err != nil {
			return nil, err
		}
		if tag == nil {
			break
		}
		space := p.space(tag.prefix)
		if !isNative(space) {
			if err := p.extensionOrSkip(&x, tag, space); err != nil {
				return nil, err
			}
			continue
		}
		switch strings.ToLower(tag.local) {
		case "title":
			f.Title, err = p.text(tag)
		case "link":
			f.Link, err = p.link(tag)
		case "item":
			var item *gofeed.Item
			if item, err = p.rssItem(tag, isNative); err == nil {
				f.Items = append(f.Items, item)
			}
		default:
			err = p.skip(tag)
		}
		if err != nil {
			return nil, err
		}
	}
	if f.Title == "" && x.dc {
		f.Title = x.dcTitle.value
	}
	if f.Link == "" {
	links:
		for _, a := range x.atom {
			for _, l := range a.links {
				if rel := extAttr(l, "rel"); rel == "" || rel == "alternate" {
					f.Link = extAttr(l, "href")
					break links
				}
			}
		}
	}
	return f, nil
}

// extAttr is an extension attribute as gofeed files it: by local name,
// the last of that name winning (the scanner refuses repeated names).
func extAttr(e extension, local string) string {
	for _, a := range e.attrs {
		if a.local == local {
			return a.value
		}
	}
	return ""
}

// link reads an RSS <link>: its text, else its href.
func (p *fastParser) link(tag *startTag) (string, error) {
	href := normalizeURL(tag.attr("href"))
	text, err := p.text(tag)
	if err != nil || text != "" {
		return text, err
	}
	return href, nil
}

// rssItem reads an item and translates it as gofeed's RSS translator does.
func (p *fastParser) rssItem(tag *startTag, isNative func(string) bool) (*gofeed.Item, error) {
	var title, description, content, link, author, pubDate, guid string
	var pubDateParsed *time.Time
	var hasGUID bool
	var x rssExtensions
	if tag.selfClosing {
		p.close()
	} else {
		for {
			tag, err := p.child()
			if err != nil {
				return nil, err
			}
			if tag == nil {
				break
			}
			space := p.space(tag.prefix)
			name := strings.ToLower(tag.local)
			if name == "encoded" && p.prefixFor(space) == "content" {
				if content, err = p.text(tag); err != nil {
					return nil, err
				}
				continue
			}
			if !isNative(space) {
				if err := p.extensionOrSkip(&x, tag, space); err != nil {
					return nil, err
				}
				continue
			}
			switch name {
			case "title":
				title, err = p.text(tag)
			case "description":
				description, err = p.text(tag)
			case "link":
				link, err = p.link(tag)
			case "author":
				author, err = p.text(tag)
			case "pubdate":
				if pubDate, err = p.text(tag); err == nil {
					if t, ok := parseDate(pubDate); ok {
						utc := t.UTC()
						pubDateParsed = &utc
					}
				}
			case "guid":
				guid, err = p.text(tag)
				hasGUID = true
			default:
				err = p.skip(tag)
			}
			if err != nil {
				return nil, err
			}
		}
	}

	item := &gofeed.Item{Link: link, Title: title, Content: content}
	if item.Title == "" && x.dc {
		item.Title = x.dcTitle.value
	}
	switch {
	case description != "":
		item.Description = description
	case x.dc && x.dcDescription.ok:
		item.Description = x.dcDescription.value
	case x.itunes && x.itunesSummary.value != "":
		item.Description = x.itunesSummary.value
	}
	if item.Description == "" {
		item.Description = x.atomValue(func(a *atomExtensions) firstText { return a.summary })
	}
	if item.Content == "" {
		item.Content = x.atomValue(func(a *atomExtensions) firstText { return a.content })
	}

	switch {
	case pubDate != "":
		item.Published = pubDate
	case x.dc && x.dcDate.ok:
		item.Published = x.dcDate.value
	default:
		item.Published = x.atomValue(func(a *atomExtensions) firstText { return a.published })
	}
	item.PublishedParsed = pubDateParsed
	if item.PublishedParsed == nil {
		text := ""
		if x.dc && x.dcDate.ok {
			text = x.dcDate.value
		}
		if text == "" {
			text = x.atomValue(func(a *atomExtensions) firstText { return a.published })
		}
		item.PublishedParsed = parsedDate(text)
	}
	if x.dc && x.dcDate.ok {
		item.Updated = x.dcDate.value
	}
	if item.Updated == "" {
		item.Updated = x.atomValue(func(a *atomExtensions) firstText { return a.updated })
	}
	item.UpdatedParsed = parsedDate(item.Updated)

	var person *gofeed.Person
	switch {
	case author != "":
		person = personFromText(author)
	case x.dc && x.dcAuthor.ok:
		person = personFromText(x.dcAuthor.value)
	case x.dc && x.dcCreator.ok:
		person = personFromText(x.dcCreator.value)
	case x.itunes && x.itunesAuthor.value != "":
		person = personFromText(x.itunesAuthor.value)
	default:
		name := x.atomAuthor(func(a *atomExtensions) firstText { return a.authorName })
		email := x.atomAuthor(func(a *atomExtensions) firstText { return a.authorEmail })
		if name != "" || email != "" {
			person = &gofeed.Person{Name: name, Email: email}
		}
	}
	if person != nil {
		item.Author = person
		item.Authors = []*gofeed.Person{person}
	}
	if hasGUID {
		item.GUID = guid
	}
	return item, nil
}

func personFromText(s string) *gofeed.Person {
	name, email := parseNameAddress(s)
	return &gofeed.Person{Name: name, Email: email}
}

// parsedDate is a date as gofeed's translators parse it, or nil.
func parsedDate(s string) *time.Time {
	if s == "" {
		return nil
	}
	if t, ok := parseDate(s); ok {
		return &t
	}
	return nil
}

// parsedDateUTC is a date as gofeed's format parsers parse it, or nil.
func parsedDateUTC(s string) *time.Time {
	if t, ok := parseDate(s); ok {
		utc := t.UTC()
		return &utc
	}
	return nil
}

// atom reads an Atom document whose root was just opened.
func (p *fastParser) atom(root *startTag) (*gofeed.Feed, error) {
	_ = root
	f := &gofeed.Feed{FeedType: "atom", Items: []*gofeed.Item{}}
	linkFound := false
	for {
		tag, err := p.child()
		if err != nil {
			return nil, err
		}
		if tag == nil {
			break
		}
		if !isAtomNative(p.space(tag.prefix)) {
			if err := p.skip(tag); err != nil {
				return nil, err
			}
			continue
		}
		switch strings.ToLower(tag.local) {
		case "title":
			f.Title, err = p.atomText(tag)
		case "link":
			href, rel := atomLink(tag)
			if !linkFound && rel == "alternate" {
				f.Link, linkFound = href, true
			}
			err = p.skip(tag)
		case "entry":
			var item *gofeed.Item
			if item, err = p.atomEntry(tag); err == nil {
				f.Items = append(f.Items, item)
			}
		default:
			err = p.skip(tag)
		}
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

func isAtomNative(space string) bool {
	return space == "" || space == atom10Namespace || space == atom03Namespace
}

// atomLink is a link's href (as gofeed resolves it) and rel (alternate
// when absent).
func atomLink(tag *startTag) (href, rel string) {
	rel = tag.attr("rel")
	if rel == "" {
		rel = "alternate"
	}
	return normalizeURL(tag.attr("href")), rel
}

// atomEntry reads an entry and translates it as gofeed's Atom translator does.
func (p *fastParser) atomEntry(tag *startTag) (*gofeed.Item, error) {
	item := &gofeed.Item{}
	var published, updated string
	var publishedParsed, updatedParsed *time.Time
	linkFound := false
	if tag.selfClosing {
		p.close()
		return item, nil
	}
	for {
		tag, err := p.child()
		if err != nil {
			return nil, err
		}
		if tag == nil {
			break
		}
		if !isAtomNative(p.space(tag.prefix)) {
			if err := p.skip(tag); err != nil {
				return nil, err
			}
			continue
		}
		switch strings.ToLower(tag.local) {
		case "title":
			item.Title, err = p.atomText(tag)
		case "id":
			item.GUID, err = p.atomText(tag)
		case "summary":
			item.Description, err = p.atomText(tag)
		case "content":
			item.Content, err = p.atomText(tag)
		case "updated", "modified":
			if updated, err = p.atomText(tag); err == nil {
				updatedParsed = parsedDateUTC(updated)
			}
		case "published", "issued":
			if published, err = p.atomText(tag); err == nil {
				publishedParsed = parsedDateUTC(published)
			}
		case "author":
			var person *gofeed.Person
			if person, err = p.atomPerson(tag); err == nil {
				item.Authors = append(item.Authors, person)
			}
		case "link":
			href, rel := atomLink(tag)
			if !linkFound && rel == "alternate" {
				item.Link, linkFound = href, true
			}
			err = p.skip(tag)
		default:
			err = p.skip(tag)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(item.Authors) > 0 {
		item.Author = item.Authors[0]
	}
	item.Updated, item.UpdatedParsed = updated, updatedParsed
	item.Published, item.PublishedParsed = published, publishedParsed
	if item.Published == "" {
		item.Published = updated
	}
	if item.PublishedParsed == nil {
		item.PublishedParsed = updatedParsed
	}
	return item, nil
}

// atomPerson reads an author's name and email; gofeed does not look at
// the namespace of its children.
func (p *fastParser) atomPerson(tag *startTag) (*gofeed.Person, error) {
	person := &gofeed.Person{}
	if tag.selfClosing {
		p.close()
		return person, nil
	}
	for {
		tag, err := p.child()
		if err != nil {
			return nil, err
		}
		if tag == nil {
			return person, nil
		}
		switch strings.ToLower(tag.local) {
		case "name":
			person.Name, err = p.atomText(tag)
		case "email":
			person.Email, err = p.atomText(tag)
		default:
			err = p.skip(tag)
		}
		if err != nil {
			return nil, err
		}
	}
}

// atomURIElements are the Atom elements whose text gofeed resolves as a URL.
var atomURIElements = map[string]bool{"icon": true, "id": true, "logo": true, "uri": true, "url": true}

// atomText reads an Atom text construct as gofeed does, for the types it
// treats as text; xhtml, base64 and HTML with markup in it (which gofeed
// runs through an HTML parser) decline.
func (p *fastParser) atomText(tag *startTag) (string, error) {
	kind := strings.ToLower(tag.attr("type"))
	mode := strings.ToLower(tag.attr("mode"))
	name := strings.ToLower(tag.local)
	raw, err := p.inner(tag)
	if err != nil {
		return "", err
	}
	raw = strings.TrimSpace(raw)
	var result string
	switch {
	case strings.Contains(raw, cdataStart):
		result = stripCDATA(raw)
	case kind == "text" || strings.HasPrefix(kind, "text/") || kind == "" && mode == "":
		result = decodeEntities(raw)
	case strings.Contains(kind, "xhtml"):
		return "", errDecline
	case kind == "html":
		if strings.IndexByte(raw, '<') >= 0 {
			return "", errDecline
		}
		result = decodeEntities(raw)
	case mode == "base64" || isBinaryMediaType(kind):
		return "", errDecline
	default:
		result = raw
	}
	if atomURIElements[name] {
		result = normalizeURL(result)
	}
	return result, nil
}

// isBinaryMediaType is gofeed's test for Atom content it base64-decodes.
func isBinaryMediaType(t string) bool {
	if t == "" || strings.HasPrefix(t, "text/") || strings.Contains(t, "xml") {
		return false
	}
	if strings.HasPrefix(t, "image/") || strings.HasPrefix(t, "audio/") || strings.HasPrefix(t, "video/") {
		return true
	}
	switch t {
	case "application/octet-stream", "application/pdf", "application/zip",
		"application/gzip", "application/x-gzip", "application/ogg":
		return true
	}
	return false
}
