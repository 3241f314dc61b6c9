package feedserver

import (
	"math/rand/v2"
	"strings"
)

// TopicWords are real words that no generated word can equal. Every item
// carries exactly one of them (in its title and its lead sentence), so a
// search for any of them has hits: about Feeds×Items/len(TopicWords).
var TopicWords = []string{
	"lighthouse", "volcano", "harbour", "glacier", "orchard", "telescope",
	"railway", "meadow", "lantern", "compass", "canyon", "satellite",
	"monsoon", "library", "bicycle", "festival",
}

const (
	vocabularySize = 20000
	sentencePool   = 2048
	authorPool     = 64
	// summaryWords is how long an item's plain-text summary is, like the
	// teaser in a real feed's <description>.
	summaryWords = 50
	// linkEvery makes one sentence in this many carry a hyperlink, so
	// content has "a few links" per item, as real articles do.
	linkEvery = 6
	// titleVocabulary keeps titles to common words, as headlines are.
	titleVocabulary = 1000
)

// sentence is one pool sentence, escaped for the server's format.
type sentence struct {
	html  string // with inline markup (a link, sometimes)
	text  string // the same words without markup
	words int
}

// corpus is the seeded text every feed is built from: a vocabulary drawn
// with a Zipf-like frequency and a pool of sentences, escaped once for the
// output format so that serving a feed is mostly copying strings.
type corpus struct {
	words     []string // most frequent first
	sentences []sentence
	authors   []string // escaped
	// Paragraph tags, escaped too: content is HTML inside a string or
	// an element.
	paraOpen, paraBreak, paraClose string
}

// newCorpus builds the text for seed. The same seed always gives the same
// corpus; escape is the output format's string escaper.
func newCorpus(seed uint64, escape func(string) string) *corpus {
	rng := rand.New(rand.NewPCG(seed, 0x62796c696e65)) // "byline"
	c := &corpus{
		words:     vocabulary(rng, vocabularySize),
		paraOpen:  escape("<p>"),
		paraBreak: escape("</p>\n<p>"),
		paraClose: escape("</p>"),
	}

	zipf := rand.NewZipf(rng, 1.07, 2, uint64(len(c.words)-1))
	c.sentences = make([]sentence, sentencePool)
	for i := range c.sentences {
		n := 6 + rng.IntN(13)
		ws := make([]string, n)
		for j := range ws {
			ws[j] = c.words[zipf.Uint64()]
		}
		ws[0] = capitalize(ws[0])
		text := strings.Join(ws, " ") + "."
		html := text
		if i%linkEvery == 0 && n > 4 {
			// Link two words in the middle of the sentence to a host
			// that can never resolve (RFC 2606), so nothing a reader
			// does with the link can leave the machine.
			at := 1 + rng.IntN(n-3)
			linked := ws[at] + " " + ws[at+1]
			href := "https://" + ws[at] + ".bench.invalid/" + ws[at+1]
			html = strings.Join(ws[:at], " ") + ` <a href="` + href + `">` + linked + "</a> " +
				strings.Join(ws[at+2:], " ") + "."
		}
		c.sentences[i] = sentence{html: escape(html), text: escape(text), words: n}
	}

	c.authors = make([]string, authorPool)
	for i := range c.authors {
		c.authors[i] = escape(capitalize(c.words[rng.IntN(len(c.words))]) + " " +
			capitalize(c.words[rng.IntN(len(c.words))]))
	}
	return c
}

// vocabulary makes n distinct pronounceable pseudo-words, none of them a
// topic word. Length grows with rank so that, drawn with a Zipf law, the
// frequent words are short and the average is near English's 4.7 letters.
func vocabulary(rng *rand.Rand, n int) []string {
	const consonants = "bcdfghjklmnprstvwz"
	const vowels = "aeiou"
	taken := make(map[string]bool, n+len(TopicWords))
	for _, w := range TopicWords {
		taken[w] = true
	}
	words := make([]string, 0, n)
	for len(words) < n {
		syllables := 4
		switch {
		case len(words) < 100:
			syllables = 1
		case len(words) < 1000:
			syllables = 2
		case len(words) < 6000:
			syllables = 3
		}
		var b strings.Builder
		for range syllables {
			b.WriteByte(consonants[rng.IntN(len(consonants))])
			b.WriteByte(vowels[rng.IntN(len(vowels))])
		}
		if rng.IntN(3) == 0 {
			b.WriteByte(consonants[rng.IntN(len(consonants))])
		}
		if w := b.String(); !taken[w] {
			taken[w] = true
			words = append(words, w)
		}
	}
	return words
}

func capitalize(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}
