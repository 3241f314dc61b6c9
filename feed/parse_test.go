package feed

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bylinehq/byline/news"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestParseFormats(t *testing.T) {
	published := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name, contentType, doc string
		want                   Document
	}{
		{
			name: "RSS 0.91",
			doc: `<?xml version="1.0"?><rss version="0.91"><channel><title>Old RSS</title><link>http://example.com/</link>
<description>d</description><item><title>Item 1</title><link>http://example.com/1</link><description>Desc 1</description></item></channel></rss>`,
			want: Document{Title: "Old RSS", SiteURL: "http://example.com/", Items: []news.Item{
				{GUID: "http://example.com/1", URL: "http://example.com/1", Title: "Item 1", Summary: "Desc 1"},
			}},
		},
		{
			name: "RSS 1.0",
			doc: `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://example.com/"><title>RDF</title><link>http://example.com/</link><description>d</description></channel>
<item rdf:about="http://example.com/1"><title>Item 1</title><link>http://example.com/1</link><description>Desc 1</description>
<dc:date>2026-01-02T03:04:05Z</dc:date><dc:creator>Ann</dc:creator></item></rdf:RDF>`,
			want: Document{Title: "RDF", SiteURL: "http://example.com/", Items: []news.Item{
				{GUID: "http://example.com/1", URL: "http://example.com/1", Title: "Item 1", Author: "Ann", Summary: "Desc 1", Published: published, Updated: published},
			}},
		},
		{
			name: "RSS 2.0",
			doc: `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>New RSS</title>
<link>https://example.com/</link><item><title>Item 1</title><link>https://example.com/1</link><guid>urn:item:1</guid>
<author>ann@example.com (Ann)</author><pubDate>Fri, 02 Jan 2026 03:04:05 +0000</pubDate><description>Sum</description>
<content:encoded><![CDATA[<p>Body</p>]]></content:encoded></item></channel></rss>`,
			want: Document{Title: "New RSS", SiteURL: "https://example.com/", Items: []news.Item{
				{GUID: "urn:item:1", URL: "https://example.com/1", Title: "Item 1", Author: "Ann", Summary: "Sum", Content: "<p>Body</p>", Published: published},
			}},
		},
		{
			name: "Atom 0.3",
			doc: `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
<link rel="alternate" type="text/html" href="http://example.com/"/><modified>2026-01-02T03:04:05Z</modified>
<entry><title>Entry 1</title><link rel="alternate" type="text/html" href="http://example.com/1"/><id>tag:example.com,2026:1</id>
<issued>2026-01-02T03:04:05Z</issued><modified>2026-01-02T03:04:05Z</modified><author><name>Ann</name></author>
<summary>Sum</summary></entry></feed>`,
			want: Document{Title: "Old Atom", SiteURL: "http://example.com/", Items: []news.Item{
				{GUID: "tag:example.com,2026:1", URL: "http://example.com/1", Title: "Entry 1", Author: "Ann", Summary: "Sum", Published: published, Updated: published},
			}},
		},
		{
			name: "Atom 1.0",
			doc: `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><link href="https://example.com/"/><id>urn:f</id>
<updated>2026-01-02T03:04:05Z</updated><entry><title type="html">Entry &amp;lt;1&amp;gt;</title><link href="https://example.com/1"/>
<id>urn:e:1</id><published>2026-01-02T03:04:05Z</published><updated>2026-01-02T03:04:05Z</updated>
<author><name>Ann</name></author><author><name>Bob</name></author><summary>Sum</summary>
<content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>`,
			want: Document{Title: "Atom", SiteURL: "https://example.com/", Items: []news.Item{
				{GUID: "urn:e:1", URL: "https://example.com/1", Title: "Entry <1>", Author: "Ann, Bob", Summary: "Sum", Content: "<p>Body</p>", Published: published, Updated: published},
			}},
		},
		{
			name:        "JSON Feed 1.1",
			contentType: "application/feed+json",
			doc: `{"version":"https://jsonfeed.org/version/1.1","title":"JSON","home_page_url":"https://example.com/",
"items":[{"id":"1","url":"https://example.com/1","title":"Item 1","content_html":"<p>Body</p>","summary":"Sum",
"date_published":"2026-01-02T03:04:05Z","authors":[{"name":"Ann"}]}]}`,
			want: Document{Title: "JSON", SiteURL: "https://example.com/", Items: []news.Item{
				{GUID: "1", URL: "https://example.com/1", Title: "Item 1", Author: "Ann", Summary: "Sum", Content: "<p>Body</p>", Published: published},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.doc), tt.contentType, "https://example.com/feed")
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != tt.want.Title || got.SiteURL != tt.want.SiteURL || len(got.Items) != len(tt.want.Items) {
				t.Fatalf("feed = %q %q with %d items, want %q %q with %d", got.Title, got.SiteURL, len(got.Items),
					tt.want.Title, tt.want.SiteURL, len(tt.want.Items))
			}
			for i, want := range tt.want.Items {
				if got := got.Items[i]; !got.Published.Equal(want.Published) || !got.Updated.Equal(want.Updated) {
					t.Errorf("item %d dates = %v, %v; want %v, %v", i, got.Published, got.Updated, want.Published, want.Updated)
				}
				got.Items[i].Published, got.Items[i].Updated = want.Published, want.Updated
				if got.Items[i] != want {
					t.Errorf("item %d =\n%+v\nwant\n%+v", i, got.Items[i], want)
				}
			}
		})
	}
}

func TestParseGUIDFallback(t *testing.T) {
	doc := func(items string) []byte {
		return []byte(`<rss version="2.0"><channel><title>t</title>` + items + `</channel></rss>`)
	}
	f, err := Parse(doc(`<item><title>Has guid</title><guid>g-1</guid><link>https://example.com/a</link></item>
<item><title>Has link</title><link>/b</link></item>
<item><title>Bare</title><pubDate>Fri, 02 Jan 2026 03:04:05 +0000</pubDate></item>
<item><title>Bare</title><pubDate>Sat, 03 Jan 2026 03:04:05 +0000</pubDate></item>`), "", "https://example.com/feed")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Items[0].GUID; got != "g-1" {
		t.Errorf("item with guid: GUID = %q", got)
	}
	if got := f.Items[1].GUID; got != "https://example.com/b" {
		t.Errorf("item with only a link: GUID = %q, want the resolved link", got)
	}
	bare1, bare2 := f.Items[2].GUID, f.Items[3].GUID
	if !strings.HasPrefix(bare1, "sha1:") || len(bare1) != len("sha1:")+40 {
		t.Errorf("bare item: GUID = %q, want sha1:<hex>", bare1)
	}
	if bare1 == bare2 {
		t.Errorf("same title on different dates got the same GUID %q", bare1)
	}
	again, err := Parse(doc(`<item><title>Bare</title><pubDate>Fri, 02 Jan 2026 03:04:05 +0000</pubDate></item>`), "", "https://elsewhere.example/")
	if err != nil {
		t.Fatal(err)
	}
	if again.Items[0].GUID != bare1 {
		t.Errorf("GUID not stable across parses: %q then %q", bare1, again.Items[0].GUID)
	}
}

func TestParseResolvesRelativeLinks(t *testing.T) {
	doc := `<rss version="2.0"><channel><title>t</title><link>/</link>
<item><title>a</title><link>/posts/a</link></item>
<item><title>b</title><link>b.html</link></item>
<item><title>c</title><link>https://other.example/c</link></item></channel></rss>`
	f, err := Parse([]byte(doc), "", "https://example.com/blog/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://example.com/posts/a", "https://example.com/blog/b.html", "https://other.example/c"}
	for i, w := range want {
		if got := f.Items[i].URL; got != w {
			t.Errorf("item %d URL = %q, want %q", i, got, w)
		}
	}
	if f.SiteURL != "https://example.com/" {
		t.Errorf("SiteURL = %q", f.SiteURL)
	}
}

// assertClean fails if any string of f could drive a terminal.
func assertClean(t *testing.T, f *Document) {
	t.Helper()
	check := func(field, s string, oneLine bool) {
		if !utf8.ValidString(s) {
			t.Errorf("%s %q: invalid UTF-8", field, s)
		}
		for _, r := range s {
			if (r < 0x20 && !(r == '\n' || r == '\t') && !oneLine) || (oneLine && r < 0x20) ||
				r == 0x7f || (0x80 <= r && r <= 0x9f) || (0x202a <= r && r <= 0x202e) || (0x2066 <= r && r <= 0x2069) {
				t.Errorf("%s %q: contains %U", field, s, r)
			}
		}
	}
	check("feed title", f.Title, true)
	check("site URL", f.SiteURL, true)
	for i, it := range f.Items {
		for name, v := range map[string]string{"GUID": it.GUID, "URL": it.URL, "title": it.Title, "author": it.Author} {
			check(fmt.Sprintf("item %d %s", i, name), v, true)
		}
		check(fmt.Sprintf("item %d summary", i), it.Summary, false)
		check(fmt.Sprintf("item %d content", i), it.Content, false)
	}
}

func TestParseStripsTerminalControls(t *testing.T) {
	tests := []struct{ name, contentType, doc, wantTitle string }{
		{"raw CSI", "", "<rss version=\"2.0\"><channel><title>Feed\x1b[2J</title><item><title>\x1b[31mRed\x1b[0m title</title><guid>1</guid></item></channel></rss>", "Red title"},
		{"raw OSC title and clipboard", "", "<rss version=\"2.0\"><channel><title>F</title><item><title>A\x1b]0;pwned\x07 B\x1b]52;c;ZXZpbA==\x1b\\</title><guid>1</guid></item></channel></rss>", "A B"},
		{"C1 as UTF-8", "", "<rss version=\"2.0\"><channel><title>F</title><item><title>A\u009b1mB\u009d0;x\u009c C</title><guid>1</guid></item></channel></rss>", "AB C"},
		{"entities decoding to controls", "", "<rss version=\"2.0\"><channel><title>F</title><item><title>&amp;#27;[1mBold&amp;#27;[0m &#x202e;txt.exe</title><guid>1</guid><description>&lt;p&gt;&amp;#27;]0;t&amp;#7;x&lt;/p&gt;</description></item></channel></rss>", "Bold txt.exe"},
		{"JSON escapes", "application/feed+json", `{"version":"https://jsonfeed.org/version/1.1","title":"F\u001b[2J","items":[{"id":"1","title":"\u001b]0;pwned\u0007Plain\u202e","content_html":"<p>a\u001b[31mb\r\nc</p>"}]}`, "Plain"},
		// Bytes 0x80–0x9F are printable in windows-1252, which the ISO-8859-1
		// label means on the web: they must not come out as C1 controls.
		{"C1 bytes in a Latin-1 feed", "application/atom+xml; charset=iso-8859-1", "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>F</title><entry><id>1</id><title>A\x85B\x9b31mC</title></entry></feed>", "A…B›31mC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.doc), tt.contentType, "https://example.com/")
			if err != nil {
				t.Fatal(err)
			}
			assertClean(t, f)
			if got := f.Items[0].Title; got != tt.wantTitle {
				t.Errorf("title = %q, want %q", got, tt.wantTitle)
			}
		})
	}
}

func TestParseCharsets(t *testing.T) {
	const docTemplate = `<?xml version="1.0" encoding="%s"?>
<rss version="2.0"><channel><title>%s</title><item><title>%s</title><guid>1</guid></item></channel></rss>`
	encode := func(enc encoding.Encoding, s string) []byte {
		b, err := enc.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatalf("encoding test document: %v", err)
		}
		return b
	}
	doc := func(declared, title string) string { return fmt.Sprintf(docTemplate, declared, title, title) }
	tests := []struct {
		name, contentType string
		body              []byte
		want              string
	}{
		{"windows-1252 in header", "application/rss+xml; charset=windows-1252",
			encode(charmap.Windows1252, doc("windows-1252", "Café – “naïve” €5")), "Café – “naïve” €5"},
		{"ISO-8859-1 in declaration", "application/rss+xml",
			encode(charmap.ISO8859_1, doc("ISO-8859-1", "Crème brûlée ½")), "Crème brûlée ½"},
		{"ISO-8859-15 in header", "text/xml; charset=ISO-8859-15",
			encode(charmap.ISO8859_15, doc("ISO-8859-15", "Prix : 5 € œuvre")), "Prix : 5 € œuvre"},
		{"KOI8-R in declaration", "",
			encode(charmap.KOI8R, doc("KOI8-R", "Привет, мир")), "Привет, мир"},
		{"Shift_JIS in header", "application/xml; charset=Shift_JIS",
			encode(japanese.ShiftJIS, doc("Shift_JIS", "日本語のフィード")), "日本語のフィード"},
		// x/text encodes GBK, the superset that the GB2312 label means on the web.
		{"GB2312 in declaration", "application/rss+xml",
			encode(simplifiedchinese.GBK, doc("GB2312", "中文新闻")), "中文新闻"},
		{"UTF-16LE with BOM", "",
			encode(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), doc("UTF-16", "Grüße 日本")), "Grüße 日本"},
		{"UTF-16BE with BOM", "application/rss+xml; charset=utf-16",
			encode(unicode.UTF16(unicode.BigEndian, unicode.UseBOM), doc("UTF-16", "Grüße 日本")), "Grüße 日本"},
		{"UTF-8 with BOM", "",
			append([]byte{0xef, 0xbb, 0xbf}, doc("UTF-8", "Grüße")...), "Grüße"},
		{"header wins over declaration", "application/rss+xml; charset=windows-1252",
			encode(charmap.Windows1252, doc("KOI8-R", "Café")), "Café"},
		{"valid UTF-8 labelled Latin-1 is read as UTF-8", "text/xml; charset=ISO-8859-1",
			[]byte(doc("ISO-8859-1", "Café — 日本")), "Café — 日本"},
		{"unknown label falls back to UTF-8", "text/xml; charset=x-no-such",
			[]byte(doc("x-no-such", "Café")), "Café"},
		{"invalid UTF-8 is repaired", "",
			[]byte(doc("UTF-8", "Caf\xe9 ok\xff")), "Caf\ufffd ok\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.body, tt.contentType, "https://example.com/")
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tt.want || f.Items[0].Title != tt.want {
				t.Errorf("titles = %q, %q; want %q", f.Title, f.Items[0].Title, tt.want)
			}
		})
	}
}

func TestParseXMLSafety(t *testing.T) {
	t.Run("external entity is not read", func(t *testing.T) {
		secret := filepath.Join(t.TempDir(), "secret.txt")
		if err := os.WriteFile(secret, []byte("TOP-SECRET-MARKER"), 0o600); err != nil {
			t.Fatal(err)
		}
		doc := `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://` + secret + `">]>
<rss version="2.0"><channel><title>a &x; b</title><item><title>&x;</title><description>&x;</description><guid>1</guid></item></channel></rss>`
		f, err := Parse([]byte(doc), "", "https://example.com/")
		if err != nil {
			return // refusing the document is as safe as ignoring the entity
		}
		if strings.Contains(fmt.Sprintf("%+v", *f), "TOP-SECRET") {
			t.Fatalf("external entity was expanded: %+v", *f)
		}
	})
	t.Run("entity bomb is not expanded", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">`)
		for i := 1; i <= 9; i++ {
			fmt.Fprintf(&b, `<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
		}
		b.WriteString(`]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><guid>1</guid></item></channel></rss>`)
		f, err := Parse([]byte(b.String()), "", "https://example.com/")
		if err != nil {
			return
		}
		if n := len(f.Title) + len(f.Items[0].Title); n > 1000 {
			t.Fatalf("entities expanded to %d bytes", n)
		}
	})
	nest := func(depth int) []byte {
		return []byte(`<rss version="2.0" xmlns:x="urn:x"><channel><title>t</title><item><title>a</title>` +
			strings.Repeat("<x:a>", depth) + strings.Repeat("</x:a>", depth) + `</item></channel></rss>`)
	}
	t.Run("deep nesting is refused", func(t *testing.T) {
		start := time.Now()
		_, err := Parse(nest(100000), "", "https://example.com/")
		mustContain(t, err, "nested more than")
		if d := time.Since(start); d > time.Second {
			t.Errorf("refusing took %v", d)
		}
	})
	t.Run("moderate nesting parses", func(t *testing.T) {
		if _, err := Parse(nest(maxNesting-4), "", "https://example.com/"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("element with too many children is refused", func(t *testing.T) {
		doc := `<rss version="2.0" xmlns:x="urn:x"><channel><title>t</title><item><title>a</title><x:a>` +
			strings.Repeat("t<x:b/><!-- c --><![CDATA[d]]>", 100000) + `</x:a></item></channel></rss>`
		_, err := Parse([]byte(doc), "", "https://example.com/")
		mustContain(t, err, "more than 1024 children")
	})
	t.Run("many items are fine", func(t *testing.T) {
		f, err := Parse(rssFeed("big", 3000), "", "https://example.com/")
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Items) != 3000 {
			t.Fatalf("got %d items, want 3000", len(f.Items))
		}
	})
}

func TestParseRejectsNonFeeds(t *testing.T) {
	tests := []struct {
		name, contentType, doc string
		notFeed                bool
		want                   string
	}{
		{"empty", "application/rss+xml", "", false, "empty document"},
		{"only white space and BOM", "", "\ufeff \n\t ", false, "empty document"},
		{"HTML page", "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Blog</title></head><body>Hi</body></html>", true, "got an HTML page; try `byline add`"},
		{"HTML served as XML", "application/xml", "\n<html lang=en><body><p>Hi</p></body></html>", true, "got an HTML page"},
		{"plain text", "text/plain", "just some words", true, "not a feed"},
		{"JSON that is not a JSON Feed", "application/json", `{"data":[1,2,3]}`, true, "not a feed"},
		{"truncated XML", "application/rss+xml", `<rss version="2.0"><channel><title>t</title><item><title>cut off`, false, "malformed feed"},
		{"broken JSON Feed", "application/feed+json", `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":`, false, "malformed feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.doc), tt.contentType, "https://example.com/")
			if f != nil {
				t.Fatalf("got a feed: %+v", *f)
			}
			mustContain(t, err, tt.want)
			if errors.Is(err, ErrNotFeed) != tt.notFeed {
				t.Errorf("errors.Is(%v, ErrNotFeed) = %v, want %v", err, !tt.notFeed, tt.notFeed)
			}
		})
	}
}

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and what it
// returns must be clean.
func FuzzParse(f *testing.F) {
	f.Add(rssFeed("seed", 2), "application/rss+xml")
	f.Add(atomFeed("seed", 2), "application/atom+xml; charset=utf-8")
	f.Add(welcomeXML, "")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","title":"\u001b[1mx"}]}`), "application/feed+json")
	f.Add([]byte("<rss version=\"2.0\"><channel><title>\x1b]0;t\x07</title><item><title><![CDATA[\xff\xfe]]></title></item></channel></rss>"), "text/xml; charset=koi8-r")
	for _, seed := range []struct{ file, contentType string }{
		{"../cli/testdata/world.rss", "application/rss+xml"},
		{"../cli/testdata/tech.atom", "application/atom+xml"},
		{"../cli/testdata/science.json", "application/feed+json"},
	} {
		if data, err := os.ReadFile(seed.file); err == nil {
			f.Add(data, seed.contentType)
		}
	}
	f.Add([]byte("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"html\">&amp;#x202e;A\x85</title><entry><id>\u2066x</id><link href=\"/rel\x1b[1m\"/><author><name>\x9b1m</name></author></entry></feed>"), "application/atom+xml; charset=windows-1252")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := Parse(body, contentType, "https://example.com/feed")
		if err != nil {
			// The error is shown in the status line.
			for _, r := range err.Error() {
				if r < 0x20 || r == 0x7f || (0x80 <= r && r <= 0x9f) || (0x202a <= r && r <= 0x202e) || (0x2066 <= r && r <= 0x2069) {
					t.Fatalf("error %q carries %U", err, r)
				}
			}
			return
		}
		assertClean(t, feed)
	})
}

func TestCheckShapeIsLinear(t *testing.T) {
	// Inputs that would make a careless scanner rescan the rest of the
	// document at every step.
	for name, doc := range map[string]string{
		"declarations then a bracket": strings.Repeat("<!a>", 200000) + "[",
		"unclosed comments":           strings.Repeat("<!-", 200000),
		"unclosed quotes":             "<a " + strings.Repeat(`"`, 200001),
	} {
		start := time.Now()
		_ = checkShape(doc)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
}
