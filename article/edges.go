package article

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The edges of a body are where boilerplate gathers: after the story's
// last paragraph come the author's biography, "follow us", tags, dates,
// credits and links to other stories; before its first, the kicker, the
// date and the credits of the lead picture. trimEdges takes off what
// follows the last paragraph of prose when it does not read as prose
// itself: short lines and blocks made of links.

// textUnit is a block that holds no other block: a paragraph, a heading,
// a list item, a table cell's text.
type textUnit struct {
	node             *html.Node
	chars, linkChars int
}

// textUnits returns root's units in document order.
func textUnits(root *html.Node) []textUnit {
	var units []textUnit
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || invisible(c) {
				continue
			}
			switch {
			case isProseContainer(c) || c.DataAtom == atom.Li && hasBlockChild(c):
				visit(c)
			case isBlock(c) || c.DataAtom == atom.Td || c.DataAtom == atom.Th:
				chars, linkChars := runeCounts(c)
				if chars > 0 {
					units = append(units, textUnit{node: c, chars: chars, linkChars: linkChars})
				}
			}
		}
	}
	visit(root)
	return units
}

func (u textUnit) isProse() bool {
	return u.chars >= minProseRunes && u.linkChars*3 < u.chars
}

// minTailRunes: after the story's last paragraph, a shorter line is a
// date, a name, a label ("PDF", "Permalink"). A sign-off ("Bis morgen.")
// is longer and stays.
const minTailRunes = 20

// trimEdges removes the units before the body's first unit of prose and
// after its last that are very short, or mostly links and no sentence
// ("Next: the harbour in winter"). Headings, footnotes, list items and
// table cells are left alone, and so is a body less than half of which is
// prose: it is a list of short lines with perhaps a paragraph among them
// (a recipe, a table, an index, a fable in its site's menus) that the
// reader wants whole.
//
// The links of what goes are returned, to be listed as related: a link
// line after the story is most often one to another story.
func trimEdges(root *html.Node) []rawLink {
	units := textUnits(root)
	last := -1
	for i := len(units) - 1; i >= 0; i-- {
		if units[i].isProse() && !units[i].isCallToAction() {
			last = i
			break
		}
	}
	if last < 0 || 2*proseChars(units) < textChars(units) {
		return nil
	}
	var links []rawLink
	drop := func(u textUnit) {
		links = append(links, linksIn(u.node)...)
		detach(u.node)
	}
	for _, u := range units {
		if u.isProse() {
			break
		}
		if !isHeading(u.node) && u.isEdgeClutter() {
			drop(u)
		}
	}
	for _, u := range units[last+1:] {
		if u.isEdgeClutter() || u.isCallToAction() || u.isTailLabel() {
			drop(u)
		}
	}
	return links
}

func proseChars(units []textUnit) int {
	n := 0
	for _, u := range units {
		if u.isProse() {
			n += u.chars
		}
	}
	return n
}

func textChars(units []textUnit) int {
	n := 0
	for _, u := range units {
		n += u.chars
	}
	return n
}

// tailLabel matches the lines that follow a story on many sites: where to
// find more, how to rate or share it, when it was last changed.
var tailLabel = lazyCompile(`(?i)^(` +
	`weitere informationen( zu.{1,60})?|zusatzinformationen|kontakt|quellen( ausblenden| anzeigen)?|quellenangaben|mehr infos?( für dich| unter .{1,60})?|` +
	`more info(rmation)?|further information|sources?|contact|` +
	`(war|ist) (der|dieser) (artikel|beitrag|text) (hilfreich|nützlich|lesenswert)|was this (article|post|page) (helpful|useful)|` +
	`(möchten sie|jetzt) (den|diesen) (artikel|beitrag) teilen|artikel gefallen.{0,40}|(hier können sie )?(den|diesen) artikel bewerten|` +
	`\(?noch keine bewertungen\)?|rate this (article|post|story)|valora esta noticia|` +
	`lade weitere inhalte|mehr laden|load more|vorschau auf den nächsten artikel|` +
	`(zuletzt )?(aktualisiert|geändert|erstellt|veröffentlicht) am.{0,40}|(last )?(updated|modified)( on)?.{0,40}|` +
	`(posted|filed) (in|under) .{1,60}|(kategorie|kategorien|category|categories|rubrik|schlagworte|schlagwörter|tags?)\s*:.{0,80}` +
	`)$`)

// isTailLabel matches a short unit that is one of the tail's labels, or
// a label of related links, sharing or comments left without its links.
func (u textUnit) isTailLabel() bool {
	if u.chars > maxLabelBytes {
		return false
	}
	label := trimLabel(textOf(u.node))
	return tailLabel.MatchString(label) || relatedLabel.MatchString(label) || shareLabel.MatchString(label) || commentLabel.MatchString(label)
}

// callToAction matches what asks the reader to do something other than
// read on: follow, subscribe, sign up, download the app.
var callToAction = lazyCompile(`(?i)(\bfollow (us|[\pL ]{1,40}) on\b|\bsubscribe\b|\bsign up\b|\bnewsletter|\bdownload (the|our)\b|\bour app\b|abonnier|folgen sie uns|jetzt (anmelden|registrieren)|suscr[ií]b|s[ií]guenos|abonnez|suivez-nous|inscrivez|zapisz si[eę]|obserwuj nas|subskryp|iscriviti|seguici)`)

// maxCallRunes: a call to action is a line or two; a longer paragraph
// that mentions a newsletter is the story's.
const maxCallRunes = 300

func (u textUnit) isCallToAction() bool {
	if u.chars > maxCallRunes {
		return false
	}
	text := textOf(u.node)
	return callToAction.MatchString(text) || disclaimer.MatchString(text)
}

// disclaimer matches the notices that close a story on many sites: the
// copyright, the terms of reprinting, whose opinion it is.
var disclaimer = lazyCompile(`(?i)(\bcopyright|\ball rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|\breprint|\bnachdruck|not responsible for the (opinions|content)|meinung des autors|opinions expressed|materiał chroniony)`)

func textOf(n *html.Node) string {
	text, _ := shortText(n, 4096)
	return text
}

// isEdgeClutter matches a unit that, outside the story's paragraphs, is
// not part of it: very short, or mostly links and no sentence.
func (u textUnit) isEdgeClutter() bool {
	switch u.node.DataAtom {
	case atom.Li, atom.Td, atom.Th, atom.Caption:
		// A table's cells go with their table (an infobox, a timetable),
		// as a list's items go with their list.
		return false
	}
	if inFootnotes(u.node) {
		return false
	}
	linkHeavy := 2*u.linkChars >= u.chars && (10*u.linkChars >= 9*u.chars || !endsSentence(u.node))
	return u.chars < minTailRunes || linkHeavy
}

// endsSentence reports whether n's text ends as a sentence does.
func endsSentence(n *html.Node) bool {
	text, _ := shortText(n, 4096)
	text = strings.TrimRight(text, " \"'”’»)")
	r, _ := utf8.DecodeLastRuneInString(text)
	return strings.ContainsRune(".!?…。！？", r)
}

// inFootnotes reports whether n is inside a list of notes.
func inFootnotes(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if role := attr(p, "role"); role == "doc-endnotes" || role == "doc-footnote" || role == "doc-endnote" {
			return true
		}
		for _, key := range []string{"class", "id"} {
			if v := strings.ToLower(attr(p, key)); strings.Contains(v, "footnote") || strings.Contains(v, "endnote") {
				return true
			}
		}
	}
	return false
}
