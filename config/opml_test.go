package config

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bylinehq/byline/news"
)

func parseOPMLFile(t *testing.T, path string) ([]news.Subscription, []Warning) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	subs, warnings, err := ParseOPML(f)
	if err != nil {
		t.Fatal(err)
	}
	return subs, warnings
}

func TestParseOPMLExports(t *testing.T) {
	tests := []struct {
		file     string
		want     []news.Subscription
		warnings []string // one substring per expected warning, in order
	}{
		{
			file: "testdata/feedly.opml", // OPML 1.0, one level of folders, a feed in two folders
			want: []news.Subscription{
				sub("https://feeds.arstechnica.com/arstechnica/index", "Ars Technica - All content", "Tech", "News"),
				sub("https://www.theverge.com/rss/index.xml", "The Verge -  All Posts", "Tech"),
				sub("https://feeds.bbci.co.uk/news/world/rss.xml", "BBC News - World", "News"),
				sub("https://xkcd.com/rss.xml", "xkcd.com", "Comics"),
			},
		},
		{
			file: "testdata/inoreader.opml", // OPML 2.0, nested folders, entities, an empty folder, broken feeds
			want: []news.Subscription{
				sub("https://www.nasa.gov/news-release/feed/", "NASA", "Science", "Space"),
				sub("https://apod.com/feed.rss", "Astronomy Picture of the Day", "Science", "Space"),
				sub("https://www.quantamagazine.org/feed/", "Quanta Magazine", "Science", "physics", "maths"),
				sub("https://www.seriouseats.com/feeds/all?x=1&y=2", "Serious Eats & Recipes", "Food & Drink"),
				sub("https://danluu.com/atom.xml", ""),
			},
			warnings: []string{`"A feed that lost its URL" has no xmlUrl`, `"|/usr/local/bin/podcast-feed.sh" is not a URL`},
		},
		{
			file: "testdata/netnewswire.opml", // OPML 1.1, tabs, a folder with only text, non-ASCII
			want: []news.Subscription{
				sub("https://daringfireball.net/feeds/main", "Daring Fireball"),
				sub("https://feedpress.me/sixcolors", "Six Colors", "Apple"),
				sub("https://example.de/feed.atom", "Jörg’s Blog — Café"),
			},
		},
		{
			file: "testdata/newsboat-export.opml", // newsboat --export-to-opml2: flat, tags in category
			want: []news.Subscription{
				sub("https://lwn.net/headlines/rss", "LWN.net", "linux", "news"),
				sub("https://blog.fefe.de/rss.xml?html", "Fefes Blog", "interesting", "conspiracy", "news", "cool stuff"),
				sub("https://xkcd.com/atom.xml", "xkcd.com"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			subs, warnings := parseOPMLFile(t, tt.file)
			if !reflect.DeepEqual(subs, tt.want) {
				t.Errorf("got\n%q\nwant\n%q", subs, tt.want)
			}
			if len(warnings) != len(tt.warnings) {
				t.Fatalf("warnings %v, want %d", warnings, len(tt.warnings))
			}
			for i, w := range warnings {
				if !strings.Contains(w.Text, tt.warnings[i]) || w.Line < 2 {
					t.Errorf("warning %v, want one mentioning %q with its line", w, tt.warnings[i])
				}
			}
		})
	}
}

func TestParseOPMLErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"not XML", "hello, world", "not an OPML file"},
		{"empty", "", "not an OPML file"},
		{"RSS, not OPML", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, "root element is <rss>"},
		{"truncated", `<opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/"`, "line 1"},
		{"no feeds", `<opml version="2.0"><head/><body><outline text="Empty"/></body></opml>`, ErrNoFeeds.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subs, _, err := ParseOPML(strings.NewReader(tt.input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, %v; want an error mentioning %q", subs, err, tt.want)
			}
		})
	}
	_, _, err := ParseOPML(strings.NewReader(`<opml><body/></opml>`))
	if !errors.Is(err, ErrNoFeeds) {
		t.Errorf("an OPML file without feeds gave %v, want ErrNoFeeds", err)
	}
}

func TestParseOPMLLenientXML(t *testing.T) {
	// Hand-written and old exports: an unescaped &, HTML entities, a
	// Latin-1 file, attribute names in odd case.
	input := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" +
		"<opml version=\"1.0\"><body>\n" +
		"<outline text=\"Caf\xe9 &amp; Bar&nbsp;News\" XMLURL=\"https://a.example/rss?a=1&b=2\"/>\n" +
		"</body></opml>"
	subs, warnings, err := ParseOPML(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	want := []news.Subscription{sub("https://a.example/rss?a=1&b=2", "Café & Bar\u00a0News")}
	if !reflect.DeepEqual(subs, want) || len(warnings) > 0 {
		t.Errorf("got %q %v, want %q", subs, warnings, want)
	}
}

func TestWriteOPMLShape(t *testing.T) {
	subs := []news.Subscription{
		sub("https://a.example/", "Alpha", "news", "world"),
		sub("https://b.example/", "", "news"),
		sub("https://c.example/", ""),
		sub("https://d.example/", "D & Co", "news"),
	}
	var buf bytes.Buffer
	feeds := asFeeds(subs)
	feeds[0].SiteURL = "https://a.example/home"
	feeds[2].SiteURL = "javascript:alert(1)"
	if err := WriteOPML(&buf, feeds, "byline feeds"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>`,
		`<opml version="2.0">`,
		`<title>byline feeds</title>`,
		`<outline text="news" title="news">`,
		`<outline text="Alpha" title="Alpha" type="rss" xmlUrl="https://a.example/" htmlUrl="https://a.example/home" category="/news,/world"></outline>`,
		`<outline text="https://c.example/" type="rss" xmlUrl="https://c.example/"></outline>`,
		`<outline text="https://b.example/" type="rss" xmlUrl="https://b.example/" category="/news"></outline>`,
		`<outline text="D &amp; Co" title="D &amp; Co" type="rss" xmlUrl="https://d.example/" category="/news"></outline>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	// The untagged feed between them splits the "news" run in two, which
	// keeps the order.
	if n := strings.Count(out, `<outline text="news" title="news">`); n != 2 {
		t.Errorf("%d news folders, want 2:\n%s", n, out)
	}
}

func TestWriteOPMLRefusesBadURL(t *testing.T) {
	err := WriteOPML(&bytes.Buffer{}, asFeeds([]news.Subscription{sub("exec:date", "")}), "x")
	if err == nil {
		t.Fatal("WriteOPML wrote an exec: feed")
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	subs, _, err := LoadURLs("testdata/newsboat-urls")
	if err != nil {
		t.Fatal(err)
	}
	subs = append(subs,
		sub("https://commas.example/", "Title, with comma", "a,b", "100%", "%2C literal", "/leading slash", "x"),
		sub("byline:welcome", "", "byline"),
	)
	assertOPMLRoundTrip(t, subs)
}

// TestWriteOPMLLeavesOutWhatOthersCannotRead: byline:welcome is byline's
// own, and a title that only repeats the URL (the cache's title for a feed
// never fetched) is no title.
func TestWriteOPMLLeavesOutWhatOthersCannotRead(t *testing.T) {
	var buf bytes.Buffer
	feeds := asFeeds([]news.Subscription{sub("byline:welcome", "", "byline"), sub("https://same.example/", "https://same.example/")})
	if err := WriteOPML(&buf, feeds, "x"); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); strings.Contains(out, "byline:") || strings.Contains(out, `title="https`) {
		t.Errorf("WriteOPML wrote\n%s", out)
	}
	got, _, err := ParseOPML(strings.NewReader(`<opml><body><outline text="https://same.example/" title="https://same.example/" xmlUrl="https://same.example/"/></body></opml>`))
	if err != nil || len(got) != 1 || got[0].Title != "" {
		t.Errorf("a title repeating the URL read as %q, %v", got, err)
	}
}

func asFeeds(subs []news.Subscription) []news.Feed {
	feeds := make([]news.Feed, len(subs))
	for i, s := range subs {
		feeds[i] = news.Feed{URL: s.URL, Title: s.Title, Tags: s.Tags}
	}
	return feeds
}

// assertOPMLRoundTrip checks that what WriteOPML writes of subs reads back
// as subs, less the built-in feeds it leaves out.
func assertOPMLRoundTrip(t *testing.T, subs []news.Subscription) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteOPML(&buf, asFeeds(subs), "round trip"); err != nil {
		t.Fatal(err)
	}
	subs = slices.DeleteFunc(slices.Clone(subs), func(s news.Subscription) bool { return strings.HasPrefix(s.URL, "byline:") })
	got, warnings, err := ParseOPML(bytes.NewReader(buf.Bytes()))
	if len(subs) == 0 {
		if !errors.Is(err, ErrNoFeeds) {
			t.Fatalf("empty list: %v, want ErrNoFeeds", err)
		}
		return
	}
	if err != nil || len(warnings) > 0 {
		t.Fatalf("reading back %s: %v %v", buf.String(), warnings, err)
	}
	if !reflect.DeepEqual(got, subs) {
		t.Fatalf("round trip changed\n%q\ninto\n%q\nvia\n%s", subs, got, buf.String())
	}
}

// FuzzOPML checks that no input panics, that what ParseOPML returns is
// canonical, and that writing it and reading it back changes nothing.
func FuzzOPML(f *testing.F) {
	for _, file := range []string{"feedly.opml", "inoreader.opml", "netnewswire.opml", "newsboat-export.opml"} {
		if data, err := os.ReadFile("testdata/" + file); err == nil {
			f.Add(string(data))
		}
	}
	f.Add(`<opml><body><outline xmlUrl="https://a.example/" category="/a%2Cb,/%25,//x"/></body></opml>`)
	f.Add(`<opml><body><outline text="&#27;]0;t&#7;" title="T&#x202E;&#x9b;x" category="a&#x2066;,&#x85;b" xmlUrl="https://a.example/&#x202e;"/></body></opml>`)
	if data, err := os.ReadFile("../cli/testdata/other-reader.opml"); err == nil {
		f.Add(string(data))
	}
	f.Fuzz(func(t *testing.T, input string) {
		subs, _, err := ParseOPML(strings.NewReader(input))
		if err != nil {
			return
		}
		for _, s := range subs {
			assertCleanSubscription(t, s)
			if canon, err := normalizeSubscription(s); err != nil || !reflect.DeepEqual(canon, s) {
				t.Fatalf("parsed subscription %q is not canonical (%v)", s, err)
			}
		}
		assertOPMLRoundTrip(t, subs)
	})
}

// FuzzURLsToOPML feeds whatever the urls parser accepts through OPML.
func FuzzURLsToOPML(f *testing.F) {
	f.Add(starterURLs)
	f.Add(`https://a.example/ "a,b" "%2C" "/x" "~T, t"`)
	f.Fuzz(func(t *testing.T, input string) {
		subs, _, err := ParseURLs(strings.NewReader(input))
		if err != nil {
			t.Fatal(err)
		}
		assertOPMLRoundTrip(t, subs)
	})
}

func BenchmarkParseOPML(b *testing.B) {
	subs, _, err := ParseURLs(strings.NewReader(bigList(5000)))
	if err != nil {
		b.Fatal(err)
	}
	var doc bytes.Buffer
	if err := WriteOPML(&doc, asFeeds(subs), "bench"); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		got, _, err := ParseOPML(bytes.NewReader(doc.Bytes()))
		if err != nil || len(got) != len(subs) {
			b.Fatal(len(got), err)
		}
	}
}

func BenchmarkWriteOPML(b *testing.B) {
	subs, _, err := ParseURLs(strings.NewReader(bigList(5000)))
	if err != nil {
		b.Fatal(err)
	}
	feeds := asFeeds(subs)
	for b.Loop() {
		if err := WriteOPML(io.Discard, feeds, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
