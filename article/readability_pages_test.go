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
)

// Readability's own test pages (in its module, under test-pages/) are a
// regression suite for byline's extraction: each has the page, the
// article readability's authors expect and its metadata. byline builds on
// readability and cleans up after it, and the clean-up must not lose what
// readability finds. This scores byline and readability alone the same
// way (token-shingle F1 of the text, the metadata against the expected
// JSON, the links against the expected page's) and wants byline to refuse
// no page, a text F1 of 0.99, to be no worse than readability alone at the
// title, the author and the language, and to list every link of the
// expected page that readability lists (but share buttons).

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
	shares                    map[string]bool // the share buttons among links
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
		alone := readabilityAlone(source, base)
		theirs.add(alone, want, meta)
		if testing.Verbose() && f1 < 0.95 {
			t.Logf("%s: text F1 %.3f", e.Name(), f1)
		}
		if got != nil && alone != nil {
			compareLinks(t, e.Name(), got, alone, want)
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
		// The links byline lists are compared with readability's link by
		// link (compareLinks). As a share of what byline lists as the
		// story's, those the expected page lacks are a few more than
		// readability's (5 of 3328, 0.99850, to 4 of 3447, 0.99884):
		// byline keeps with the story a lead picture and its caption
		// (bug-1255978) and a map (wapo-1) that readability leaves out.
		// A floor just under that.
		{"link precision", ratio(ours.bodyLinksWanted, ours.bodyLinks), 0.9984},
	} {
		if c.got < c.want {
			t.Errorf("%s: byline %.4f, want %.4f or more", c.what, c.got, c.want)
		}
	}
}

// compareLinks wants byline to list every link of the expected page that
// readability lists, but a share button ("Share", a link to a share
// dialog), which byline leaves out on purpose; what byline lists as the
// story's that the expected page and readability do not have is logged.
func compareLinks(t *testing.T, page string, ours, theirs *extraction, want extraction) {
	t.Helper()
	listed, theirsListed, wanted := setOf(ours.links), setOf(theirs.links), setOf(want.links)
	for _, l := range want.links {
		switch {
		case listed[l] || !theirsListed[l]:
		case want.shares[l]:
			t.Logf("%s: byline leaves out a share button readability keeps: %s", page, l)
		default:
			t.Errorf("%s: byline does not list %s, which readability lists", page, l)
		}
	}
	if testing.Verbose() {
		for _, l := range ours.bodyLinks {
			if !wanted[l] && !theirsListed[l] {
				t.Logf("%s: byline lists as the story's %s, which readability leaves out", page, l)
			}
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
	wanted, listed := setOf(want.links), setOf(got.links)
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

func setOf(links []string) map[string]bool {
	set := make(map[string]bool, len(links))
	for _, l := range links {
		set[l] = true
	}
	return set
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
	links, shares := listedLinks(doc, base)
	return extraction{text: plainText(doc), links: links, shares: shares}
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
	links, _ := listedLinks(found.Node, base)
	return &extraction{
		text: plainText(found.Node), title: found.Title(), author: found.Byline(), lang: found.Language(),
		links: links, bodyLinks: links,
	}
}

// listedLinks are the links, images and videos of a body as byline would
// list them: resolved, without tracking parameters, each once; shares are
// those that are share buttons.
func listedLinks(root *html.Node, base *url.URL) (links []string, shares map[string]bool) {
	seen := make(map[string]bool)
	shares = make(map[string]bool)
	for n := range descendants(root, 0) {
		href, label, ok := linkOf(n)
		if !ok {
			continue
		}
		if target, _, ok := resolveLink(base, href); ok && !seen[target] {
			seen[target] = true
			links = append(links, target)
			if isShareLink(href) || shareLabel.MatchString(trimLabel(label)) {
				shares[target] = true
			}
		}
	}
	return links, shares
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
