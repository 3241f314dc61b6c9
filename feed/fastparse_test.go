package feed

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/bylinehq/byline/bench/feedserver"
	"github.com/bylinehq/byline/sanitize"
	"github.com/mmcdole/gofeed"
)

// fixture is a document as a server sends it.
type fixture struct {
	name, contentType string
	body              []byte
}

// TestFastParserMatchesGofeed runs the fast parser and gofeed on every
// feed at hand, gofeed's own test feeds included: wherever the fast parser
// takes a document, every field byline uses must be what gofeed gives,
// and so must the Document that Parse returns. It also holds the fallback
// path (gofeed on the CDATA-stashed document) to plain gofeed, and checks
// that the fast parser takes the common shapes rather than declining them.
func TestFastParserMatchesGofeed(t *testing.T) {
	groups := map[string][]fixture{
		"gofeed":      gofeedFixtures(t),
		"byline":      bylineFixtures(t),
		"feedserver":  feedserverFixtures(t),
		"constructed": constructedFixtures(),
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		var taken, declined, failing int
		for _, fx := range groups[g] {
			ok, err := compareParsers(fx)
			switch {
			case err != nil:
				failing++
				t.Errorf("%s/%s: %v", g, fx.name, err)
			case ok:
				taken++
			default:
				declined++
			}
		}
		t.Logf("%-11s %4d documents: the fast parser took %d, left %d to gofeed", g, len(groups[g]), taken, declined)
		switch g {
		case "byline", "feedserver":
			// Every feed byline ships or serves in its benchmarks is one
			// of the common shapes.
			if declined > 0 {
				t.Errorf("%s: the fast parser declined %d documents of the common shapes", g, declined)
			}
		case "gofeed":
			// Most of gofeed's test feeds are its own edge cases; a drop
			// here means the fast parser stopped taking plain ones.
			if taken < len(groups[g])/3 {
				t.Errorf("gofeed: the fast parser took only %d of %d documents", taken, len(groups[g]))
			}
		}
	}
}

// compareParsers parses fx both ways and reports whether the fast parser
// took it, and any difference.
func compareParsers(fx fixture) (taken bool, err error) {
	const base = "https://example.com/feed"
	doc := sanitize.Text(string(toUTF8(fx.body, fx.contentType)))
	if strings.TrimSpace(doc) == "" || checkShape(doc) != nil {
		return false, nil
	}
	want, wantErr := parseGuarded(doc)
	stashed, stash := stashCDATA(doc)
	viaStash, stashErr := parseGuarded(stashed)
	if (wantErr == nil) != (stashErr == nil) {
		return false, fmt.Errorf("gofeed on the stashed document: error %v, plain gofeed: error %v", stashErr, wantErr)
	}
	if wantErr == nil {
		if diff := diffDocuments(convert(want, parseBase(base), nil), convert(viaStash, parseBase(base), stash)); diff != "" {
			return false, fmt.Errorf("gofeed on the stashed document differs from plain gofeed: %s", diff)
		}
	}
	got, err := parseFast(doc)
	if err == errDecline {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("fast parser: unexpected error %v", err)
	}
	if wantErr != nil {
		return true, fmt.Errorf("the fast parser took a document gofeed rejects (%v)", wantErr)
	}
	if diff := diffFeeds(want, got); diff != "" {
		return true, fmt.Errorf("gofeed and the fast parser differ: %s", diff)
	}
	if diff := diffDocuments(convert(want, parseBase(base), nil), convert(got, parseBase(base), nil)); diff != "" {
		return true, fmt.Errorf("documents differ: %s", diff)
	}
	return true, nil
}

// diffFeeds compares the fields of a gofeed.Feed that convert reads.
func diffFeeds(want, got *gofeed.Feed) string {
	var diffs []string
	check := func(field string, w, g any) {
		if !reflect.DeepEqual(w, g) {
			diffs = append(diffs, fmt.Sprintf("%s: gofeed %q, fast %q", field, w, g))
		}
	}
	check("FeedType", want.FeedType, got.FeedType)
	check("Title", want.Title, got.Title)
	check("Link", want.Link, got.Link)
	check("len(Items)", len(want.Items), len(got.Items))
	for i := range min(len(want.Items), len(got.Items)) {
		w, g := want.Items[i], got.Items[i]
		field := func(name string) string { return fmt.Sprintf("Items[%d].%s", i, name) }
		check(field("Title"), w.Title, g.Title)
		check(field("Link"), w.Link, g.Link)
		check(field("GUID"), w.GUID, g.GUID)
		check(field("Description"), w.Description, g.Description)
		check(field("Content"), w.Content, g.Content)
		check(field("Published"), w.Published, g.Published)
		check(field("Updated"), w.Updated, g.Updated)
		check(field("PublishedParsed"), utcOrZero(w.PublishedParsed), utcOrZero(g.PublishedParsed))
		check(field("UpdatedParsed"), utcOrZero(w.UpdatedParsed), utcOrZero(g.UpdatedParsed))
		check(field("Authors"), people(w.Authors), people(g.Authors))
	}
	return strings.Join(diffs, "; ")
}

func people(ps []*gofeed.Person) []string {
	var out []string
	for _, p := range ps {
		if p != nil {
			out = append(out, p.Name+" <"+p.Email+">")
		}
	}
	return out
}

func diffDocuments(want, got *Document) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	if want.Title != got.Title || want.SiteURL != got.SiteURL || len(want.Items) != len(got.Items) {
		return fmt.Sprintf("feed %q %q %d items, want %q %q %d items", got.Title, got.SiteURL, len(got.Items), want.Title, want.SiteURL, len(want.Items))
	}
	for i := range want.Items {
		if !reflect.DeepEqual(want.Items[i], got.Items[i]) {
			return fmt.Sprintf("item %d: %+v, want %+v", i, got.Items[i], want.Items[i])
		}
	}
	return "differ"
}

func parseBase(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// gofeedFixtures are the XML test feeds in gofeed's module: its parser,
// translator and extension suites, many of them feedparser's edge cases.
func gofeedFixtures(t testing.TB) []fixture {
	t.Helper()
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/mmcdole/gofeed")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("finding gofeed's module (its test feeds are part of this test): %v", err)
	}
	root := filepath.Join(strings.TrimSpace(string(out)), "testdata")
	var fixtures []fixture
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".xml") {
			return err
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fixtures = append(fixtures, fixture{name: rel, body: body})
		return nil
	})
	if err != nil || len(fixtures) < 500 {
		t.Fatalf("reading gofeed's test feeds under %s: %d found, %v", root, len(fixtures), err)
	}
	return fixtures
}

// bylineFixtures are the feeds of byline's own tests.
func bylineFixtures(t *testing.T) []fixture {
	t.Helper()
	fixtures := []fixture{
		{"welcome", "application/rss+xml", welcomeXML},
		{"rssFeed", "application/rss+xml", rssFeed("Fixture &amp; feed", 20)},
		{"atomFeed", "application/atom+xml", atomFeed("Fixture", 20)},
	}
	for _, f := range []struct{ file, contentType string }{
		{"../cli/testdata/world.rss", "application/rss+xml"},
		{"../cli/testdata/tech.atom", "application/atom+xml"},
	} {
		body, err := os.ReadFile(f.file)
		if err != nil {
			t.Fatal(err)
		}
		fixtures = append(fixtures, fixture{filepath.Base(f.file), f.contentType, body})
	}
	return fixtures
}

// feedserverFixtures are the benchmark's feeds, in both XML formats.
func feedserverFixtures(t *testing.T) []fixture {
	t.Helper()
	var fixtures []fixture
	for _, format := range []string{"rss", "atom"} {
		srv, err := feedserver.Start(feedserver.Options{Feeds: 3, Items: 20, Format: format, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		for i, u := range srv.URLs() {
			resp, err := http.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			fixtures = append(fixtures, fixture{fmt.Sprintf("%s-%d", format, i), resp.Header.Get("Content-Type"), body})
		}
		srv.Close()
	}
	return fixtures
}

// constructedFixtures are shapes worth holding the two parsers to that no
// fixture above has: each is something a real feed does.
func constructedFixtures() []fixture {
	docs := map[string]string{
		"rss-wordpress": `<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/feed.xsl"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
 xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel><title>A &amp; B &#8211; blog</title><atom:link href="https://example.com/feed/" rel="self" type="application/rss+xml" />
<link>https://example.com</link><description>Just another site</description><lastBuildDate>Tue, 06 Jan 2026 10:00:00 +0000</lastBuildDate>
<language>en-US</language><sy:updatePeriod>hourly</sy:updatePeriod><generator>https://wordpress.org/?v=6.4</generator>
<image><url>https://example.com/icon.png</url><title>A</title><link>https://example.com</link><width>32</width></image>
<item><title>Hello &#8220;world&#8221;</title><link>https://example.com/hello/</link>
<comments>https://example.com/hello/#respond</comments><dc:creator><![CDATA[Ann Example]]></dc:creator>
<pubDate>Tue, 06 Jan 2026 09:30:00 +0000</pubDate><category><![CDATA[News]]></category>
<guid isPermaLink="false">https://example.com/?p=1</guid><description><![CDATA[<p>Teaser &amp; more</p>]]></description>
<content:encoded><![CDATA[<p>Body with <a href="/x">link</a></p>
]]></content:encoded><wfw:commentRss>https://example.com/hello/feed/</wfw:commentRss><slash:comments>0</slash:comments></item>
<!-- a comment between items -->
<item><title>Second</title><link>https://example.com/2/</link><pubDate>Mon, 05 Jan 2026 09:30:00 GMT</pubDate>
<description>plain &lt;b&gt;escaped&lt;/b&gt; &nbsp; &copy; text</description>
<enclosure url="https://example.com/a.mp3" length="123" type="audio/mpeg"/></item>
</channel></rss>`,
		"rss-podcast": `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Pod</title><link>https://pod.example/</link><itunes:author>Host</itunes:author>
<item><title>Ep 1</title><itunes:summary>Summary from iTunes</itunes:summary><itunes:author>Guest</itunes:author>
<media:group><media:content url="https://pod.example/1.mp4" type="video/mp4"/></media:group>
<guid>ep1</guid><pubDate>Wed, 07 Jan 2026 12:00:00 EST</pubDate></item></channel></rss>`,
		"rss-dc-only": `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><dc:title>DC title</dc:title>
<item><dc:title>T</dc:title><dc:description>D &amp; d</dc:description><dc:date>2026-01-02T03:04:05+01:00</dc:date>
<dc:creator>  Bob  </dc:creator><dc:creator>Second</dc:creator></item></channel></rss>`,
		"rss-atom-in-item": `<rss version="2.0" xmlns:a="http://www.w3.org/2005/Atom"><channel><title>t</title>
<a:link rel="alternate" href="https://site.example/a b"/>
<item><a:summary>S</a:summary><a:content>C &amp; c</a:content><a:published>2026-01-01T00:00:00Z</a:published>
<a:updated>2026-01-03T00:00:00Z</a:updated><a:author><a:name>N</a:name><a:email>e@x.example</a:email></a:author></item></channel></rss>`,
		"rss-undeclared-prefixes": `<rss version="2.0"><channel><title>t</title><item><dc:creator>Undeclared</dc:creator>
<content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded><title>  spaced  </title><link> https://e.example/x </link></item></channel></rss>`,
		"rss-default-namespace": `<rss xmlns="http://backend.userland.com/rss2" version="2.0"><channel><title>Namespaced</title>
<item><title>x</title><link href="https://e.example/h"/><author>me@example.com (Me)</author></item></channel></rss>`,
		"rss-repeats": `<rss version="2.0"><channel><title>one</title><title>two</title><link>a</link><link></link>
<item><title>first</title><title>second</title><guid>g1</guid><guid>g2</guid><pubDate>Tue, 06 Jan 2026 10:00:00 +0000</pubDate>
<pubDate>not a date</pubDate><link>l1</link><link>l2</link></item><item/></channel><channel><title>last channel</title></channel></rss>`,
		"rss-entities": `<rss version="2.0"><channel><title>&#x41;&#66;&amp;&lt;&unknown;&#xD800;&#1114112;&#;</title>
<item><title>a &amp;amp; b</title><description>&#128; &#x80; &amp;#27; &amp; tail &</description><guid>&lt;g&gt;</guid></item></channel></rss>`,
		"rdf": `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://e.example/"><title>RDF</title><link>https://e.example/</link>
<items><rdf:Seq><rdf:li rdf:resource="https://e.example/1"/></rdf:Seq></items></channel>
<item rdf:about="https://e.example/1"><title>One</title><link>https://e.example/1</link><dc:date>2026-01-02</dc:date>
<dc:creator>Ann</dc:creator><description>d</description></item></rdf:RDF>`,
		"atom-blogger": `<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'>
<id>tag:blogger.com,1999:blog-1</id><updated>2026-01-06T10:00:00.000-08:00</updated><title type='text'>Blog &amp; more</title>
<link rel='http://schemas.google.com/g/2005#feed' type='application/atom+xml' href='https://b.example/feeds/posts/default'/>
<link rel='alternate' type='text/html' href='https://b.example/'/><author><name>Ann</name><email>noreply@blogger.com</email></author>
<openSearch:totalResults>2</openSearch:totalResults>
<entry><id>tag:blogger.com,1999:blog-1.post-2</id><published>2026-01-06T09:00:00.000-08:00</published>
<updated>2026-01-06T09:30:00.000-08:00</updated><category scheme='http://www.blogger.com/atom/ns#' term='news'/>
<title type='text'>Post &lt;2&gt;</title><content type='html'>&lt;p&gt;Body &amp;amp; more&lt;/p&gt;</content>
<link rel='replies' type='text/html' href='https://b.example/2#comments' title='0 Comments'/>
<link rel='alternate' type='text/html' href='https://b.example/2.html' title='Post 2'/><author><name>Ann</name><uri>https://b.example/ann</uri></author></entry>
<entry><id>urn:uuid:1</id><title>No date, no author</title><summary type="text">s</summary><link href="/relative"/></entry></feed>`,
		"atom-types": `<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">A &amp;amp; B</title>
<entry><title type="text/plain">x &lt; y</title><summary type="application/json">{"a": "&amp;"}</summary>
<content type="html"><![CDATA[ <p>cdata</p> ]]></content><id>  urn:x  </id><updated>2026-01-01T00:00:00Z</updated>
<author><name>A</name></author><author><email>b@x.example</email></author></entry></feed>`,
		"atom03": `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title mode="escaped" type="text/html">&lt;b&gt;Old&lt;/b&gt;</title>
<entry><title>E</title><issued>2026-01-02T03:04:05Z</issued><modified>2026-01-02T03:04:05Z</modified>
<content mode="escaped" type="text/html">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>`,
		"atom-no-namespace": `<feed><title>Plain</title><entry><title>E</title><link href="https://e.example/1"/></entry></feed>`,
	}
	var fixtures []fixture
	for name, doc := range docs {
		fixtures = append(fixtures, fixture{name: name, body: []byte(doc)})
	}
	sort.Slice(fixtures, func(i, j int) bool { return fixtures[i].name < fixtures[j].name })
	return fixtures
}

// TestCommonEntitiesFollowTheRule checks the shortcut decodeEntities takes
// for the usual references against the general rule.
func TestCommonEntitiesFollowTheRule(t *testing.T) {
	for span, want := range commonEntities {
		if got := decodeEntity(span); got != want {
			t.Errorf("%s decodes to %q by the rule, the shortcut says %q", span, got, want)
		}
		if decodeEntity(span) == decodeEntity(span[:len(span)-1])+";" {
			t.Errorf("%s would be literal by the rule", span)
		}
	}
}

// FuzzFastParser holds the fast parser to gofeed on any input, as
// TestFastParserMatchesGofeed does on the fixtures.
func FuzzFastParser(f *testing.F) {
	for _, fx := range constructedFixtures() {
		f.Add(fx.body)
	}
	f.Add(rssFeed("seed", 2))
	f.Add(atomFeed("seed", 2))
	for i, fx := range gofeedFixtures(f) {
		if i%16 == 0 {
			f.Add(fx.body)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := compareParsers(fixture{name: "fuzz", body: body}); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkParsers parses the benchmark's feed with the fast parser and
// with gofeed, from the sanitized document on.
func BenchmarkParsers(b *testing.B) {
	srv, err := feedserver.Start(feedserver.Options{Feeds: 1, Items: 50, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get(srv.URLs()[0])
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	doc := sanitize.Text(string(toUTF8(body, resp.Header.Get("Content-Type"))))
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if _, err := parseFast(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gofeed", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			stashed, _ := stashCDATA(doc)
			if _, err := parseGuarded(stashed); err != nil {
				b.Fatal(err)
			}
		}
	})
}
