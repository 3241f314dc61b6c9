package article

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Readability's own test pages (in its module, under test-pages/) are a
// regression suite for byline's extraction: each has the page, the
// article readability's authors expect and its metadata. byline builds on
// readability and cleans up after it, and the clean-up must not lose what
// readability finds. This scores byline and readability alone the same
// way (token-shingle F1 of the text, the metadata against the expected
// JSON, the links against the expected page's) and wants byline to refuse
// no page, a text F1 of 0.99, and to be no worse than readability alone
// at the title, the author and the language; the links have floors for
// now.

// pageScore adds up the figures over the test pages.
type pageScore struct {
	pages, refused             int
	textF1                     float64 // summed over pages
	title, author, authorPages int
	lang, langPages            int
	linksFound, linksWanted    int // links of the expected page byline lists, all of them
	bodyLinks, bodyLinksWanted int // the story's links byline lists, those the expected page has
}

func (s pageScore) String() string {
	return fmt.Sprintf("%d pages, %d refused; text F1 %.4f; title %.3f, author %.3f, language %.3f; links precision %.4f, recall %.4f",
		s.pages, s.refused, s.meanF1(), ratio(s.title, s.pages), ratio(s.author, s.authorPages), ratio(s.lang, s.langPages),
		ratio(s.bodyLinksWanted, s.bodyLinks), ratio(s.linksFound, s.linksWanted))
}

func (s pageScore) meanF1() float64 { return s.textF1 / float64(max(s.pages, 1)) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// expectedMeta is what expected-metadata.json says.
type expectedMeta struct {
	Title    string `json:"title"`
	Byline   string `json:"byline"`
	Language string `json:"language"`
}

// extraction is what one extractor made of a test page: links are all the
// links it lists, bodyLinks those it gives as the story's (byline lists
// the links of "Related" blocks apart).
type extraction struct {
	text, title, author, lang string
	links, bodyLinks          []string
}

func TestReadabilityTestPages(t *testing.T) {
	dir := readabilityTestPages(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The pages' relative links resolve against the address readability's
	// own tests use.
	const pageURL = "http://fakehost/test/page.html"
	base, _ := url.Parse(pageURL)
	var ours, theirs pageScore
	for _, e := range entries {
		source, err := os.ReadFile(filepath.Join(dir, e.Name(), "source.html"))
		if err != nil {
			continue // not a test page
		}
		expectedHTML, err := os.ReadFile(filepath.Join(dir, e.Name(), "expected.html"))
		if err != nil {
			t.Fatal(err)
		}
		var meta expectedMeta
		if data, err := os.ReadFile(filepath.Join(dir, e.Name(), "expected-metadata.json")); err == nil {
			if err := json.Unmarshal(data, &meta); err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
		}
		want := expectedExtraction(t, expectedHTML, base)

		var got *extraction
		if a, err := Extract(source, "text/html", pageURL); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		} else {
			got = &extraction{text: a.Text, title: a.Title, author: a.Author, lang: a.Lang}
			for _, l := range a.Links {
				got.links = append(got.links, l.URL)
				if !l.Related {
					got.bodyLinks = append(got.bodyLinks, l.URL)
				}
			}
		}
		f1 := ours.add(got, want, meta)
		theirs.add(readabilityAlone(source, base), want, meta)
		if testing.Verbose() && f1 < 0.95 {
			t.Logf("%s: text F1 %.3f", e.Name(), f1)
		}
	}
	t.Logf("byline:           %v", ours)
	t.Logf("readability alone: %v", theirs)
	if ours.pages < 100 {
		t.Fatalf("only %d test pages in %s", ours.pages, dir)
	}
	if ours.refused > 0 {
		t.Errorf("byline refused %d pages; want none", ours.refused)
	}
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"title", ratio(ours.title, ours.pages), ratio(theirs.title, theirs.pages)},
		{"author", ratio(ours.author, ours.authorPages), ratio(theirs.author, theirs.authorPages)},
		{"language", ratio(ours.lang, ours.langPages), ratio(theirs.lang, theirs.langPages)},
		// Issue 12 wants a text F1 of 0.99.
		{"text F1", ours.meanF1(), 0.99},
		// And the links no worse than readability alone's. What byline
		// still does not list is in what its clean-up takes out before
		// readability reads the page, and readability keeps: comments
		// (firefox-nightly-blog), a print edition's footer (nytimes-3,
		// nytimes-4), Wikipedia's template links (wikipedia-2), an author
		// box (ehow-2); a picture it takes from another source of the
		// same image (nytimes-3). What it adds is a lead picture
		// readability leaves out (bug-1255978). Floors that byline must
		// not fall below.
		{"link precision", ratio(ours.bodyLinksWanted, ours.bodyLinks), 0.998},
		{"link recall", ratio(ours.linksFound, ours.linksWanted), 0.991},
	} {
		if c.got < c.want {
			t.Errorf("%s: byline %.4f, want %.4f or more", c.what, c.got, c.want)
		}
	}
}

// readabilityTestPages finds test-pages/ in the module cache, or skips.
func readabilityTestPages(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "codeberg.org/readeck/go-readability/v2").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("readability's test pages: the module is not in the module cache (%v)", err)
	}
	dir = filepath.Join(dir, "test-pages")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("readability's test pages are not in the module cache (%v)", err)
	}
	return dir
}

// add scores one page and returns its text F1.
func (s *pageScore) add(got *extraction, want extraction, meta expectedMeta) float64 {
	s.pages++
	if meta.Byline != "" {
		s.authorPages++
	}
	s.linksWanted += len(want.links)
	if got == nil {
		s.refused++
		return 0
	}
	f1 := shingleF1(got.text, want.text)
	s.textF1 += f1
	if sameTitle(got.title, meta.Title) {
		s.title++
	}
	if meta.Byline != "" && strings.EqualFold(squashSpace(cleanAuthor(got.author)), squashSpace(cleanAuthor(meta.Byline))) {
		s.author++
	}
	if meta.Language != "" {
		s.langPages++
	}
	if meta.Language != "" && strings.EqualFold(got.lang, meta.Language) {
		s.lang++
	}
	wanted := make(map[string]bool)
	for _, l := range want.links {
		wanted[l] = true
	}
	listed := make(map[string]bool)
	for _, l := range got.links {
		listed[l] = true
	}
	for l := range wanted {
		if listed[l] {
			s.linksFound++
		}
	}
	for _, l := range got.bodyLinks {
		s.bodyLinks++
		if wanted[l] {
			s.bodyLinksWanted++
		}
	}
	return f1
}

func squashSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// sameTitle compares byline's title with readability's, which often has
// the site's name after it ("How to Build a Terrarium | eHow"): byline
// shows the site apart, and takes the page's headline without it.
func sameTitle(ours, theirs string) bool {
	ours, theirs = squashSpace(ours), squashSpace(theirs)
	if ours == theirs {
		return true
	}
	rest, ok := strings.CutPrefix(theirs, ours)
	if !ok || ours == "" {
		return false
	}
	sep, _ := utf8.DecodeRuneInString(strings.TrimLeft(rest, " "))
	return strings.ContainsRune("|-–—_[(（:·•»/\\", sep)
}

// expectedExtraction reads expected.html: its text and its links, as
// byline lists them.
func expectedExtraction(t *testing.T, page []byte, base *url.URL) extraction {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return extraction{text: plainText(doc), links: listedLinks(doc, base)}
}

// readabilityAlone is what readability makes of a page by itself, scored
// as byline is. Its links resolve against the page's base URL as a
// browser takes it, and byline does: from the <base> element, when the
// page has one. Readability itself ignores <base>, and so do the expected
// pages' links (base-url-base-element and its relative twin).
func readabilityAlone(source []byte, pageURL *url.URL) *extraction {
	doc, err := html.Parse(bytes.NewReader(source))
	if err != nil {
		return nil
	}
	base := readPageMeta(doc, pageURL.String()).base
	parser := readability.NewParser()
	found, err := parser.ParseAndMutate(doc, base)
	if err != nil || found.Node == nil {
		return nil
	}
	fixAtoms(found.Node)
	return &extraction{
		text: plainText(found.Node), title: found.Title(), author: found.Byline(), lang: found.Language(),
		links: listedLinks(found.Node, base), bodyLinks: listedLinks(found.Node, base),
	}
}

// listedLinks are the links, images and videos of a body as byline would
// list them: resolved, without tracking parameters, each once.
func listedLinks(root *html.Node, base *url.URL) []string {
	var links []string
	seen := make(map[string]bool)
	for n := range descendants(root, 0) {
		var href string
		switch n.DataAtom {
		case atom.A:
			href = attr(n, "href")
		case atom.Img:
			if insideLink(n) {
				continue
			}
			href, _ = imageSource(n)
		case atom.Iframe:
			// byline lists an embedded video as a link to its page.
			href, _, _ = videoLink(attr(n, "src"))
		default:
			continue
		}
		if target, _, ok := resolveLink(base, href); ok && !seen[target] {
			seen[target] = true
			links = append(links, target)
		}
	}
	return links
}

// shingleF1 compares two texts by their runs of three words: the share of
// a's shingles that b has (precision), of b's that a has (recall), and
// their harmonic mean. Texts of fewer than three words are compared word
// by word.
func shingleF1(a, b string) float64 {
	sa, sb := shingles(a), shingles(b)
	if len(sa) == 0 && len(sb) == 0 {
		return 1
	}
	common := 0
	for k, n := range sa {
		common += min(n, sb[k])
	}
	total := func(m map[string]int) int {
		t := 0
		for _, n := range m {
			t += n
		}
		return t
	}
	p, r := ratio(common, total(sa)), ratio(common, total(sb))
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func shingles(s string) map[string]int {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	n := min(3, len(words))
	m := make(map[string]int)
	for i := 0; n > 0 && i+n <= len(words); i++ {
		m[strings.Join(words[i:i+n], " ")]++
	}
	return m
}
