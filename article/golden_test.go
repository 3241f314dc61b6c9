package article

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// fixture is a page in testdata, served with a Content-Type from a URL.
type fixture struct {
	name        string // testdata/<name>.html
	contentType string
	url         string
}

var fixtures = []fixture{
	{"wordpress-news", "text/html; charset=UTF-8", "https://riversidecourier.example/2026/03/02/council-approves-flood-defence-plan/"},
	{"jsonld-only", "text/html", "https://news.example.com/world/2026/03/04/glacier-survey"},
	{"windows-1252", "text/html", "https://www.gazette.example.fr/kultur/cafe-mueller.html"},
	{"relative-links", "text/html; charset=utf-8", "https://www.example.org/posts/2026/reading-offline"},
	{"paywall", "text/html; charset=utf-8", "https://www.dailyledger.example/markets/2026/03/05/chip-shortage-eases"},
	// The standfirst sits in the header, outside the body; the lead image
	// has a caption; a pull quote repeats the text; a table, code and a
	// footnote belong to the story.
	{"standfirst", "text/html; charset=utf-8", "https://valleyreview.example/features/2026/04/11/the-night-the-river-came-back/"},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".html"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestExtractGolden checks the Markdown document and the JSON of each
// fixture against testdata/<name>.md.golden and .json.golden. The golden
// files are the specification: read them when they change.
func TestExtractGolden(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			a, err := Extract(readFixture(t, fx.name), fx.contentType, fx.url)
			if err != nil {
				t.Fatal(err)
			}
			js, err := a.JSON()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, fx.name+".md.golden", []byte(a.MarkdownDocument()))
			checkGolden(t, fx.name+".json.golden", append(js, '\n'))
		})
	}
}

// siteRuleFixture is a page whose story is split across two blocks with a
// partner's advert between them, in prose, as long as the story: the
// generic method cannot tell them apart, the rule for its host can.
var siteRuleFixture = fixture{"site-rule", "text/html; charset=utf-8", "https://www.harbourgazette.example/news/2026/04/20/ferry-timetable"}

func TestSiteRuleGolden(t *testing.T) {
	rules, err := NewSiteRules([]SiteRule{
		{Host: "other.example", Body: "article"},
		{Host: "harbourgazette.example", Body: "div.txt-block", Strip: []string{".box-partner"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	page := readFixture(t, siteRuleFixture.name)
	a, err := rules.Extract(page, siteRuleFixture.contentType, siteRuleFixture.url)
	if err != nil {
		t.Fatal(err)
	}
	js, err := a.JSON()
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "site-rule.md.golden", []byte(a.MarkdownDocument()))
	checkGolden(t, "site-rule.json.golden", append(js, '\n'))
	for _, want := range []string{"every forty minutes", "twelve more cars", "ten past eleven", "on Friday"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("the rule's body lost %q", want)
		}
	}
	if strings.Contains(a.Text, "Island Holidays") {
		t.Error("the stripped advert is in the text")
	}
	// Without the rule, or on another host, the advert is in the story.
	for _, r := range []*SiteRules{nil, rules} {
		a, err := r.Extract(page, siteRuleFixture.contentType, "https://harbour-gazette.example.org/news/ferry")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Text, "Island Holidays") {
			t.Errorf("a page of another host was read by the rule:\n%s", a.Text)
		}
	}
}

func TestSiteRules(t *testing.T) {
	for _, tt := range []struct {
		rule SiteRule
		want string
	}{
		{SiteRule{Host: "example.com"}, "says nothing"},
		{SiteRule{Host: "https://example.com/", Body: "div"}, "want a host name"},
		{SiteRule{Host: "example.com", Body: "div["}, `body "div["`},
		{SiteRule{Host: "example.com", Strip: []string{"p", "::x"}}, `strip "::x"`},
	} {
		if _, err := NewSiteRules([]SiteRule{tt.rule}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want an error with %q", tt.rule, err, tt.want)
		}
	}
	rules, err := NewSiteRules([]SiteRule{{Host: "*.example.com", Body: "main"}, {Host: "example.org", Body: "main"}})
	if err != nil {
		t.Fatal(err)
	}
	for url, want := range map[string]bool{
		"https://example.com/a": true, "https://news.example.com/a": true, "https://a.b.example.com/": true,
		"https://www.example.org/a": true, "https://example.org/a": true, "https://news.example.org/a": false,
		"https://notexample.com/a": false, "byline:welcome": false,
	} {
		if got := rules.forURL(url) != nil; got != want {
			t.Errorf("%s: rule found %v, want %v", url, got, want)
		}
	}
}

// A rule's follow selector names a link to the story on one page; a page
// with none, or a link back to itself, gives nothing to follow.
func TestSinglePage(t *testing.T) {
	rules, err := NewSiteRules([]SiteRule{{Host: "longreads.example", Follow: "a.single-page, .pager a.all"}})
	if err != nil {
		t.Fatal(err)
	}
	const pageURL = "https://longreads.example/2026/story?page=1"
	for page, want := range map[string]string{
		`<html><body><p>Part one.</p><div class="pager"><a href="?page=2">2</a> <a class="all" href="/2026/story?view=all">All</a></div></body></html>`: "https://longreads.example/2026/story?view=all",
		`<html><body><a class="single-page" href="https://longreads.example/print/story">Print</a></body></html>`:                                       "https://longreads.example/print/story",
		`<html><body><a class="single-page" href="/2026/story?page=1">This page</a></body></html>`:                                                      "",
		`<html><body><p>No pages.</p></body></html>`: "",
	} {
		got, ok := rules.SinglePage([]byte(page), "text/html", pageURL)
		if got != want || ok != (want != "") {
			t.Errorf("%s: %q %v, want %q", page, got, ok, want)
		}
	}
	if _, ok := rules.SinglePage([]byte(`<a class="single-page" href="/all">All</a>`), "text/html", "https://elsewhere.example/a"); ok {
		t.Error("a rule followed a link on another host")
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./article -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; got:\n%s", path, got)
	}
}
