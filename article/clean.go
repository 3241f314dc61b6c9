package article

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The labels that mark clutter. They match an element's whole text, once
// trimLabel has taken the punctuation off its ends.
var (
	// relatedLabel covers the languages most news is read in; a label in
	// another one is still caught by the class names and link lists.
	relatedLabel = lazyCompile(`(?i)^(` +
		`related|related (news|articles?|stories|posts|content|coverage|reading|links|topics|videos?)|read (more|also|next)|also read|see also|more (from|on|in|about) .{1,60}|more (news|stories|articles|posts)|you (may|might) also (like|be interested in)|recommended( for you| reading| stories| articles)?|further reading|don'?t miss|(most (read|popular|viewed|shared|commented))( articles| stories| news)?|(latest|recent|top|trending) (news|articles|stories|posts)|(newest|latest|recent) posts|popular (posts|articles|stories)|` +
		// German
		`mehr (zum thema|zu(m|r)? .{1,40}|dazu|aus .{1,40}|von .{1,40}|themen|artikel|nachrichten|news)|lesen sie (auch|dazu|mehr)( die folgenden beiträge)?|auch interessant|das (könnte|dürfte) sie (auch )?interessieren|weitere (artikel|beiträge|nachrichten|meldungen|themen|news|links|tipps|.{1,20}tipps)|weiterführende (links|artikel|informationen)|ähnliche (artikel|themen|beiträge|nachrichten)|verwandte (artikel|themen|beiträge)|(neueste|aktuelle|beliebte|meistgelesene|meistdiskutierte|empfohlene|passende) (artikel|beiträge|nachrichten|themen|news)|meistgelesen|meistgelesene|meistdiskutiert|siehe auch|zum weiterlesen|weiterlesen|beiträge zum thema|passend (dazu|zum thema)|schon gelesen|auch lesenswert|lesetipps?|unsere empfehlungen?|(heute |das )?empfehlen wir( ihnen)?|wir empfehlen( ihnen)?|das könnte dich (auch )?interessieren|` +
		// French, Spanish, Portuguese, Italian, Dutch, Polish
		`(à |a )?lire (aussi|également|la suite)|(à )?voir aussi|sur le même (sujet|thème)|articles? (similaires|liés|connexes)|dans la même rubrique|les plus lus|` +
		`lea (también|más|además)|lee (también|más)|(le|te) puede interesar|también (le|te) puede interesar|(noticias|artículos) relacionad[oa]s|ver también|puedes ver|mira también|más noticias|lo más (leído|visto)|` +
		`veja (também|mais)|leia (também|mais)|saiba mais|notícias relacionadas|mais lidas|` +
		`leggi anche|potrebbe interessarti|articoli correlati|` +
		`lees ook|meer over .{1,40}|gerelateerde artikelen|` +
		`czytaj (też|także|również|więcej)|zobacz (też|także|również)|przeczytaj (też|także|również)|polecamy|powiązane artykuły|najczęściej czytane` +
		`)$`)
	adLabel      = lazyCompile(`(?i)^(advertisement|advertising|advert|ads?|sponsored( content| links?| posts?)?|paid (content|post|partner content)|promoted( content| stories)?|(story|article) continues below( this)?( advertisement| ad)?|continue reading (below|the main story)|scroll to continue( with content)?|skip advert(isement)?|anzeige|werbung|publicité|publicidad|pubblicità|reklama|advertorial)$`)
	shareLabel   = lazyCompile(`(?i)^(share|share this( article| story| post| page)?|share (on|via|to) .{1,20}|tweet( this)?|email|print|copy link|link copied|follow us( on .{1,20})?|(seite|artikel|beitrag) (teilen|drucken|empfehlen|versenden)|teilen|drucken|partager( cet article| sur .{1,20})?|imprimer|compartir( en .{1,20})?|imprimir|condividi|stampa|udostępnij|drukuj|delen|permalink|permalien)$`)
	commentLabel = lazyCompile(`(?i)^(leave a (reply|comment)|post a comment|add a comment|join the (conversation|discussion)|\d+ comments?|comments?( \(\d+\))?|show comments|view comments|no comments( yet)?|(\d+ |keine )?kommentare?( \(\d+\))?|kommentieren( sie)?|kommentare? (schreiben|verfassen)|(\d+ )?commentaires?|laisser un commentaire|(\d+ )?comentarios?|deja un comentario|(\d+ )?komentarz(e|y)?|dodaj komentarz)$`)
	// navLabel matches the links that move about a site rather than
	// through the story.
	navLabel = regexp.MustCompile(`(?i)^(back|back to top|to top|top|zurück|nach oben|zum seitenanfang|seitenanfang|retour|haut de page|volver|volver arriba|torna su|powrót|(previous|next) (post|article|story)|(vorheriger|nächster) (artikel|beitrag)|article (précédent|suivant))$`)
	// creditLine matches a line that credits a picture or claims the
	// copyright: "Foto: dpa", "© 2026 The Courier".
	creditLine = regexp.MustCompile(`(?i)^((fotos?|photos?|bild(er|quelle)?|titelbild|images?|credits?|crédits?( photos?)?|crédito|créditos|foto(grafia)?|zdjęcie|source|quelle|fuente|fonte)\s*:|©|\(c\)\s*\d{4}|copyright\b|all rights reserved)`)
	// feedTrailer is the line WordPress appends to every feed item.
	feedTrailer = regexp.MustCompile(`(?i)^the post .+ appeared first on .+$`)
	// signUpBox matches the text of newsletter, subscription and paywall
	// boxes; it only counts in a short element with a form, a button or a
	// sign-up link.
	signUpBox  = regexp.MustCompile(`(?i)\b(sign up|subscribe|newsletter|in your inbox|continue reading|already a (subscriber|member))\b`)
	signUpLink = regexp.MustCompile(`(?i)^(sign up|subscribe|join|register|log in|sign in)( now| here| today| for free)?$`)
)

// trimLabel takes white space and punctuation off the ends of a label, so
// that "Related:" and "— ADVERTISEMENT —" match.
func trimLabel(s string) string { return strings.Trim(s, " :;,.!?—–-|»›→•·*") }

// clutterKind is what an element's class or id says it is.
type clutterKind uint8

const (
	kindAd clutterKind = 1 << iota
	kindShare
	kindSignUp
	kindRelated
	kindComments
	// kindNav is navigation inside a page: menus, breadcrumbs, pagers,
	// sidebars and their widgets.
	kindNav
	// kindMeta is what is said about the story rather than the story: tags,
	// categories, the author's biography, credits, the copyright.
	kindMeta
	// kindOverlay is what sits over the page: cookie and consent banners,
	// pop-ups, log-in boxes.
	kindOverlay
)

// clutterParts are the words, between hyphens and underscores, of class
// names and ids that mark clutter: "ad-slot", "share_buttons",
// "newsletter-signup", "related-posts".
var clutterParts = map[string]clutterKind{
	"ad": kindAd, "ads": kindAd, "adslot": kindAd, "adunit": kindAd, "adsbygoogle": kindAd, "adsense": kindAd,
	"adcontainer": kindAd, "adwrapper": kindAd, "advert": kindAd, "adverts": kindAd, "advertisement": kindAd,
	"advertising": kindAd, "dfp": kindAd, "sponsor": kindAd, "sponsored": kindAd, "promo": kindAd,
	"outbrain": kindAd, "taboola": kindAd,
	"share": kindShare, "sharing": kindShare, "sharedaddy": kindShare, "sharethis": kindShare,
	"addthis": kindShare, "addtoany": kindShare, "a2a": kindShare, "social": kindShare, "socials": kindShare,
	"sociallinks": kindShare, "socialshare": kindShare,
	"newsletter": kindSignUp, "newsletters": kindSignUp, "subscribe": kindSignUp, "subscription": kindSignUp,
	"signup": kindSignUp, "optin": kindSignUp, "mailchimp": kindSignUp, "mc4wp": kindSignUp,
	"paywall": kindSignUp, "regwall": kindSignUp,
	"related": kindRelated, "relatedposts": kindRelated, "yarpp": kindRelated, "recirc": kindRelated,
	"disqus": kindComments,
	"nav":    kindNav, "navigation": kindNav, "navbar": kindNav, "menu": kindNav, "submenu": kindNav,
	"breadcrumb": kindNav, "breadcrumbs": kindNav, "pagination": kindNav, "pager": kindNav, "sidebar": kindNav,
	"widget": kindNav, "widgets": kindNav, "toolbar": kindNav,
	"tags": kindMeta, "tagged": kindMeta, "taglist": kindMeta, "tagcloud": kindMeta, "keywords": kindMeta,
	"bio": kindMeta, "biography": kindMeta, "authorbio": kindMeta, "authorbox": kindMeta, "authorinfo": kindMeta,
	"aboutauthor": kindMeta, "postmeta": kindMeta, "entrymeta": kindMeta, "meta": kindMeta, "copyright": kindMeta,
	"credit": kindMeta, "credits": kindMeta,
	"cookie": kindOverlay, "cookies": kindOverlay, "consent": kindOverlay, "gdpr": kindOverlay, "popup": kindOverlay,
	"modal": kindOverlay, "overlay": kindOverlay, "login": kindOverlay, "signin": kindOverlay,
}

// commentTokens are whole class names and ids of comment sections, which
// can be long, so no size limit protects them.
var commentTokens = map[string]bool{
	"comments": true, "comment-respond": true, "comments-area": true, "comment-form": true,
	"commentform": true, "respond": true, "disqus_thread": true, "comment-list": true,
	"commentlist": true, "comments-section": true, "comment-section": true, "comments-wrapper": true,
}

func classKinds(n *html.Node) clutterKind {
	var kinds clutterKind
	for _, a := range n.Attr {
		if a.Namespace != "" || (a.Key != "class" && a.Key != "id") {
			continue
		}
		for _, token := range strings.Fields(strings.ToLower(a.Val)) {
			if commentTokens[token] {
				kinds |= kindComments
			}
			for part := range strings.FieldsFuncSeq(token, isNameSeparator) {
				kinds |= clutterParts[part]
			}
		}
	}
	return kinds
}

func isNameSeparator(r rune) bool { return r == '-' || r == '_' }

// Size limits. Clutter is small: an element with more words of its own than
// these is kept whatever its class says; the labels looked for are short.
const (
	maxClutterWords = 80
	maxRelatedWords = 150
	maxFormWords    = 300
	maxNavWords     = 150
	maxMetaWords    = 120
	maxOverlayWords = 250
	maxLabelBytes   = 80
	// maxSignUpBytes keeps a sign-up box from taking a short story with it.
	maxSignUpBytes  = 200
	maxTrailerBytes = 300
)

// rawLink is a link as found in the HTML, before it is resolved and numbered.
type rawLink struct{ href, text string }

// cleaner removes clutter from a document or a body, collecting the links
// of related blocks as it goes. From a body, the links of every box it
// removes are collected: what byline takes out of the story (the comments,
// the author's box, a list of links) is not the story, but its links stay
// listed, as related.
type cleaner struct {
	related   []rawLink
	collected map[*html.Node]bool
	doomed    map[*html.Node]bool // siblings taken with a related label
	// page is set for a whole page: its navigation, header and footer are
	// left for readability, and their link lists are not related links.
	page bool
	// prose is how much prose root has: a container that holds most of it
	// is the story, whatever its class names say ("no-sidebar").
	prose int
	base  *url.URL
}

// removeClutter cleans root in place and returns the related links found.
// base is where root's links resolve, nil when unknown.
func removeClutter(root *html.Node, page bool, base *url.URL) []rawLink {
	c := &cleaner{collected: make(map[*html.Node]bool), doomed: make(map[*html.Node]bool), page: page, base: base}
	c.prose, _ = proseStats(root)
	c.clean(root, false)
	return c.related
}

func (c *cleaner) clean(n *html.Node, inChrome bool) {
	for child := n.FirstChild; child != nil; {
		next := child.NextSibling
		if child.Type == html.ElementNode {
			chrome := inChrome || c.page && isChrome(child)
			if c.dropBeforeChildren(child, chrome) {
				c.drop(child)
			} else {
				c.clean(child, chrome)
				if c.dropAfterChildren(child) {
					// A label ("Share this", "Advertisement", the feed's
					// "appeared first on") links nowhere a reader needs.
					n.RemoveChild(child)
				}
			}
		}
		child = next
	}
}

// drop removes el, collecting its links from a body but an ad's.
func (c *cleaner) drop(el *html.Node) {
	if !c.page && !c.collected[el] && classKinds(el)&kindAd == 0 {
		c.collectLinks(el)
	}
	el.Parent.RemoveChild(el)
}

// isChrome matches a page's navigation, header and footer.
func isChrome(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Header, atom.Footer:
		return true
	}
	switch attr(n, "role") {
	case "navigation", "banner", "contentinfo":
		return true
	}
	return false
}

// isProtected matches the elements that hold the article itself, which a
// class name such as "has-ads" must not condemn.
func isProtected(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return true
	}
	return attr(n, "role") == "main"
}

// bylineName matches the class names and ids readability takes for the
// byline's.
var bylineName = lazyCompile(`(?i)byline|author|dateline|writtenby`)

// maxBylineBytes: a longer box about the author is a biography.
const maxBylineBytes = 100

// isBylineBox matches what readability reads the author's name from: a
// short element marked as the author's or the byline. It stays on the
// page for readability (which leaves it out of the body) whatever else its
// class names say ("author-meta").
func isBylineBox(el *html.Node) bool {
	if attr(el, "rel") != "author" && !strings.Contains(attr(el, "itemprop"), "author") &&
		!bylineName.MatchString(attr(el, "class")+" "+attr(el, "id")) {
		return false
	}
	text, ok := shortText(el, maxBylineBytes)
	return ok && text != ""
}

// dropBeforeChildren decides on what can be judged from an element as a
// whole: form controls, share links, class names, related blocks and
// sign-up boxes.
func (c *cleaner) dropBeforeChildren(el *html.Node, inChrome bool) bool {
	if c.doomed[el] {
		return true
	}
	switch el.DataAtom {
	case atom.Button, atom.Input, atom.Select, atom.Textarea:
		return true
	case atom.Form:
		// Some sites wrap the whole page in a form; a form with prose in it
		// is such a wrapper, not a comment or sign-up form.
		return nonLinkWords(el) <= maxFormWords && !hasProse(el)
	case atom.A:
		return isShareLink(attr(el, "href"))
	}
	if isProtected(el) || c.page && isBylineBox(el) {
		return false
	}
	kinds := classKinds(el)
	switch {
	case kinds&kindComments != 0:
		return true
	case kinds&kindRelated != 0 && nonLinkWords(el) <= maxRelatedWords:
		if !inChrome {
			c.collectLinks(el)
		}
		return true
	case kinds&(kindAd|kindShare|kindSignUp) != 0 && nonLinkWords(el) <= maxClutterWords:
		// A paywalled page marks the paragraphs it hides from
		// non-subscribers ("paywall"): a paragraph of prose is the
		// story's whatever its class says.
		return el.DataAtom != atom.P || nonLinkWords(el) < minParagraphWords
	case kinds&kindNav != 0 && isFigure(el):
		// An editor's picture block ("dnd-widget-wrapper type-image"):
		// a widget of the story, not of the site.
		return false
	case kinds&kindNav != 0 && nonLinkWords(el) <= maxNavWords,
		kinds&kindMeta != 0 && nonLinkWords(el) <= maxMetaWords,
		kinds&kindOverlay != 0 && nonLinkWords(el) <= maxOverlayWords:
		return !c.holdsStory(el)
	}
	if !c.page && c.isLinkBlock(el) {
		c.collectLinks(el)
		return true
	}
	if !isBlock(el) && el.DataAtom != atom.Span && el.DataAtom != atom.Strong && el.DataAtom != atom.B {
		return false
	}
	return (!inChrome && c.takeRelated(el)) || isSignUpBox(el)
}

// isLinkBlock matches, in a body, a list or box made of links to other
// pages of the site (more stories, a section's index) rather than text
// with links in it: three links or more, nearly all the words theirs, and
// most of them to the page's own site. A list of links to other sites
// (the software a post names, the bugs a report closed) is the story's.
func (c *cleaner) isLinkBlock(el *html.Node) bool {
	switch el.DataAtom {
	case atom.Ul, atom.Ol, atom.Dl, atom.Div, atom.Section, atom.Aside, atom.Nav, atom.Table:
	default:
		return false
	}
	words, inLinks, links := wordCounts(el)
	return links >= 3 && 10*inLinks >= 7*words && !c.holdsStory(el) && !c.mostlyElsewhere(el)
}

// mostlyElsewhere reports whether most of el's links go to other sites
// than the page's.
func (c *cleaner) mostlyElsewhere(el *html.Node) bool {
	if c.base == nil || c.base.Host == "" {
		return false
	}
	home := strings.TrimPrefix(c.base.Hostname(), "www.")
	links, away := 0, 0
	for a := range descendants(el, atom.A) {
		u, err := url.Parse(strings.TrimSpace(attr(a, "href")))
		if err != nil {
			continue
		}
		links++
		if u = c.base.ResolveReference(u); strings.TrimPrefix(u.Hostname(), "www.") != home {
			away++
		}
	}
	return 2*away > links
}

// holdsStory reports whether el holds the story: the page's headline or
// main content, or half or more of the prose being cleaned.
func (c *cleaner) holdsStory(el *html.Node) bool {
	for d := range descendants(el, 0) {
		if d.DataAtom == atom.H1 || d.DataAtom == atom.Main || attr(d, "itemprop") == "articleBody" || attr(d, "role") == "main" {
			return true
		}
	}
	prose, _ := proseStats(el)
	return prose > 0 && 2*prose >= c.prose
}

// dropAfterChildren decides on an element's remaining text: a block that
// says only "Advertisement", "Share this", "Leave a reply" or the
// WordPress feed trailer goes.
func (c *cleaner) dropAfterChildren(el *html.Node) bool {
	if !isBlock(el) || isProtected(el) {
		return false
	}
	text, ok := shortText(el, maxTrailerBytes)
	if !ok || text == "" {
		return false
	}
	if feedTrailer.MatchString(text) {
		return true
	}
	if len(text) > maxLabelBytes || hasMedia(el) {
		return false
	}
	label := trimLabel(text)
	return adLabel.MatchString(label) || shareLabel.MatchString(label) || commentLabel.MatchString(label) ||
		navLabel.MatchString(label) || creditLine.MatchString(text)
}

// takeRelated handles the two shapes of related links inside a text: a
// block whose own words are only a label ("Also read: <a>…</a>"), and a
// label followed by lists of links ("<h3>Related News</h3><ul>…</ul>").
// It collects their links and reports whether el is to go.
func (c *cleaner) takeRelated(el *html.Node) bool {
	label, hasLinks, ok := limitedText(el, maxLabelBytes, true)
	if !ok || !relatedLabel.MatchString(trimLabel(label)) {
		return false
	}
	if hasLinks {
		c.collectLinks(el)
		return true
	}
	var lists []*html.Node
	for s := el.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" || isHeading(s) {
			break
		}
		if s.Type != html.ElementNode {
			continue
		}
		if !isLinkList(s) {
			break
		}
		lists = append(lists, s)
	}
	for _, s := range lists {
		c.collectLinks(s)
		c.doomed[s] = true
	}
	return len(lists) > 0
}

func (c *cleaner) collectLinks(n *html.Node) {
	c.related = append(c.related, linksIn(n)...)
	c.collected[n] = true
}

// linksIn returns the links under n but share buttons'.
func linksIn(n *html.Node) []rawLink {
	var links []rawLink
	for a := range descendants(n, atom.A) {
		if href := attr(a, "href"); href != "" && !isShareLink(href) {
			links = append(links, rawLink{href: href, text: linkLabel(a)})
		}
	}
	return links
}

// isSignUpBox matches a short element asking for an e-mail address, a
// subscription or a log-in: the words, and a form, a button or a sign-up
// link.
func isSignUpBox(el *html.Node) bool {
	text, ok := shortText(el, maxSignUpBytes)
	if !ok || !signUpBox.MatchString(text) {
		return false
	}
	for d := range descendants(el, 0) {
		switch d.DataAtom {
		case atom.Form, atom.Input, atom.Button:
			return true
		case atom.A:
			if label, ok := shortText(d, maxLabelBytes); ok && signUpLink.MatchString(trimLabel(label)) {
				return true
			}
		}
	}
	return false
}

// shareTargets are the addresses share buttons point at.
var shareTargets = []string{
	"facebook.com/sharer", "facebook.com/dialog/share", "twitter.com/intent", "twitter.com/share",
	"x.com/intent", "x.com/share", "linkedin.com/sharearticle", "linkedin.com/sharing", "reddit.com/submit",
	"pinterest.com/pin/create", "wa.me/?", "api.whatsapp.com/send", "whatsapp://", "t.me/share",
	"telegram.me/share", "news.ycombinator.com/submitlink", "bsky.app/intent", "threads.net/intent",
	"tumblr.com/share", "getpocket.com/save", "flipboard.com/bookmarklet",
}

func isShareLink(href string) bool {
	h := strings.ToLower(href)
	if strings.HasPrefix(h, "mailto:?") {
		return true // "email this": a prefilled message without a recipient
	}
	for _, t := range shareTargets {
		if strings.Contains(h, t) {
			return true
		}
	}
	return false
}

// isLinkList matches a list of links, each with perhaps a date or a
// byline beside it, as opposed to prose that has links in it.
func isLinkList(n *html.Node) bool {
	words, inLinks, links := wordCounts(n)
	return links > 0 && words-inLinks <= inLinks+4*links
}

func nonLinkWords(n *html.Node) int {
	words, inLinks, _ := wordCounts(n)
	return words - inLinks
}

// minParagraphWords: a paragraph this long is prose, not a label.
const minParagraphWords = 30

// hasProse reports whether n holds a paragraph of minParagraphWords or more.
func hasProse(n *html.Node) bool {
	for p := range descendants(n, atom.P) {
		if words, _, _ := wordCounts(p); words >= minParagraphWords {
			return true
		}
	}
	return false
}

// isFigure matches a picture with its caption: an image that is no link,
// and words that are mostly not links.
func isFigure(n *html.Node) bool {
	words, inLinks, _ := wordCounts(n)
	if 2*inLinks > words {
		return false
	}
	for img := range descendants(n, atom.Img) {
		if !insideLink(img) {
			return true
		}
	}
	return false
}

func hasMedia(n *html.Node) bool {
	for d := range descendants(n, 0) {
		switch d.DataAtom {
		case atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Iframe, atom.Table, atom.Pre:
			return true
		}
	}
	return false
}

// linkLabel is the text of a link for the link list: its words, else its
// title, else the alt text of its image.
func linkLabel(a *html.Node) string {
	if text, ok := shortText(a, 300); ok && text != "" {
		return text
	} else if !ok {
		text, _ := shortText(a, 1<<20)
		return truncateText(text, 300)
	}
	if title := attr(a, "title"); strings.TrimSpace(title) != "" {
		return title
	}
	if label := attr(a, "aria-label"); strings.TrimSpace(label) != "" {
		return label
	}
	for img := range descendants(a, atom.Img) {
		return imageLabel(img)
	}
	return ""
}

// truncateText cuts s at a word boundary before max bytes and adds "…".
func truncateText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndexByte(s[:max], ' ')
	if cut <= 0 {
		cut = max
		for cut > 0 && s[cut]&0xc0 == 0x80 {
			cut--
		}
	}
	return s[:cut] + "…"
}

// descendants yields n's element descendants in document order, only those
// of tag a unless a is 0.
func descendants(n *html.Node, a atom.Atom) func(yield func(*html.Node) bool) {
	return func(yield func(*html.Node) bool) {
		var walk func(*html.Node) bool
		walk = func(n *html.Node) bool {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.ElementNode {
					continue
				}
				if (a == 0 || c.DataAtom == a) && !yield(c) {
					return false
				}
				if !walk(c) {
					return false
				}
			}
			return true
		}
		walk(n)
	}
}
