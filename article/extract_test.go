package article

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// prose is article text: three paragraphs, enough for readability to see a
// story.
const prose = `<p>The council met on Monday evening to decide on the flood plan, which has been discussed for ten years and redrawn three times since the first public meeting in the library hall.</p>
<p>Residents of Mill Street, whose houses flooded in 2016, 2020 and again in February, filled the public gallery and applauded when the result of the vote was read out by the clerk.</p>
<p>Work on the first phase is due to begin in September, and the engineers expect the wall along the river to be finished before the winter of the following year, weather permitting.</p>`

// storyPage is a small news page whose article holds prose and extra, with
// site navigation and a footer around it.
func storyPage(extra string) []byte {
	return []byte(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Flood plan approved - The Courier</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/sport/">Sport</a></nav></header>
<main><article><h1>Flood plan approved</h1>` + prose + extra + `</article></main>
<footer><a href="/about/">About</a> <a href="/privacy/">Privacy</a></footer></body></html>`)
}

const storyURL = "https://courier.example/news/2026/03/02/flood-plan"

func mustExtract(t *testing.T, page []byte) *Article {
	t.Helper()
	a, err := Extract(page, "text/html; charset=utf-8", storyURL)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestExtractWordPressClutter(t *testing.T) {
	a := mustExtract(t, readFixture(t, "wordpress-news"))
	for _, out := range []string{a.Markdown, a.Text} {
		for _, junk := range []string{
			"Advertisement", "ADVERTISEMENT", "Share this", "Facebook", "Skip to content", "Subscribe",
			"Morning Briefing", "Sign up", "Leave a Reply", "Post Comment", "Your email address", "Most read",
			"All rights reserved", "Also read", "Related News", "By Amira", "Posted in", "Show comments",
		} {
			if strings.Contains(out, junk) {
				t.Errorf("body still has %q", junk)
			}
		}
	}
	if a.Source != SourcePage || a.Notice != "" {
		t.Errorf("Source %q, Notice %q", a.Source, a.Notice)
	}
	related := relatedTexts(a)
	// The "Also read" link inside the body comes first, then the "Related
	// News" block, which sits outside the article where readability drops
	// it; the block repeats the "Also read" link, which keeps its number.
	want := []string{
		"Mill Street residents count the cost of February’s floods",
		"Environment Agency warns of wetter winters in the valley",
		"Ashford farmers say wetland would take their best land",
	}
	if !slices.Equal(related, want) {
		t.Errorf("related links = %q, want %q", related, want)
	}
}

func TestExtractSourceAndNotice(t *testing.T) {
	for _, tt := range []struct{ fixture, source, notice string }{
		{"wordpress-news", SourcePage, ""},
		{"jsonld-only", SourceJSONLD, ""},
		{"paywall", SourcePage, "only the start of the story"},
	} {
		for _, fx := range fixtures {
			if fx.name != tt.fixture {
				continue
			}
			a, err := Extract(readFixture(t, fx.name), fx.contentType, fx.url)
			if err != nil {
				t.Fatal(err)
			}
			if a.Source != tt.source || (tt.notice == "") != (a.Notice == "") || !strings.Contains(a.Notice, tt.notice) {
				t.Errorf("%s: Source %q, Notice %q; want %q, %q", fx.name, a.Source, a.Notice, tt.source, tt.notice)
			}
		}
	}
}

// A page that says it is for subscribers but shows the whole story gets
// no notice.
func TestExtractPaywallMarkupWithFullStory(t *testing.T) {
	long := strings.Repeat(prose, 4)
	page := storyPage(long + `<div class="paywall-prompt"><p>Subscribe to continue reading.</p><a href="/subscribe/">Subscribe</a></div>`)
	a := mustExtract(t, page)
	if a.Notice != "" || strings.Contains(a.Markdown, "Subscribe") {
		t.Errorf("Notice %q, body has the prompt: %v", a.Notice, strings.Contains(a.Markdown, "Subscribe"))
	}
}

func TestExtractNotHTML(t *testing.T) {
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	for _, tt := range []struct {
		contentType string
		body        []byte
		want        string
	}{
		{"application/pdf", pdf, "the link is a PDF document; open it in the browser instead"},
		{"application/octet-stream", pdf, "a PDF document"},
		{"", pdf, "a PDF document"},
		{"image/png", png, "an image (image/png)"},
		{"application/json", []byte(`{"a":1}`), "application/json, not HTML"},
		{"text/plain; charset=utf-8", []byte("just some text, no markup"), "text/plain, not HTML"},
	} {
		a, err := Extract(tt.body, tt.contentType, "https://example.com/report")
		if !errors.Is(err, ErrNotHTML) || !strings.Contains(err.Error(), tt.want) || a != nil {
			t.Errorf("%q: %v, want ErrNotHTML saying %q", tt.contentType, err, tt.want)
		}
	}
	// Servers that send HTML as octet-stream, or with no type, are sniffed;
	// XHTML comes as XML, and saved pages start with a byte order mark, an
	// XML declaration or conditional comments.
	for _, contentType := range []string{"", "application/octet-stream", "text/plain", "text/xml", "application/xml"} {
		for _, prefix := range []string{"", "\ufeff", `<?xml version="1.0" encoding="UTF-8"?>` + "\n", "<!--[if IE]><![endif]-->\r\n"} {
			if _, err := Extract(append([]byte(prefix), storyPage("")...), contentType, storyURL); err != nil {
				t.Errorf("%q, page starting %q: %v", contentType, prefix, err)
			}
		}
	}
	if _, err := Extract([]byte(`<?xml version="1.0"?><rss><channel><title>A feed</title></channel></rss>`), "text/xml", storyURL); !errors.Is(err, ErrNotHTML) {
		t.Errorf("an RSS feed: %v, want ErrNotHTML", err)
	}
}

// A page with no text at all has no article; one that is no article (a
// note, a bare menu, an app's shell) still gives what text it has.
func TestExtractNoArticle(t *testing.T) {
	for name, page := range map[string]string{
		"empty":   ``,
		"scripts": `<html><head><script>var a = 1</script></head><body><script>start()</script><noscript>Enable JavaScript</noscript></body></html>`,
		"images":  `<html><body><img src="/a.png"></body></html>`,
	} {
		a, err := Extract([]byte(page), "text/html", storyURL)
		if !errors.Is(err, ErrNoArticle) || a != nil {
			t.Errorf("%s: %v, want ErrNoArticle", name, err)
		}
		if n := FallbackNotice(err); !strings.Contains(n, "showing the feed's text") || !strings.Contains(n, "no article text") {
			t.Errorf("FallbackNotice = %q", n)
		}
	}
	if n := FallbackNotice(errors.New("timed out")); !strings.Contains(n, "could not be read") {
		t.Errorf("FallbackNotice = %q", n)
	}
	for name, tt := range map[string]struct{ page, text string }{
		"navigation": {`<html><body><nav><a href="/a">Archive</a> <a href="/b">About</a></nav><footer>© 2026</footer></body></html>`, "Archive About"},
		"app shell":  {`<html><head><title>App</title></head><body><div id="root"><p>Loading…</p></div></body></html>`, "Loading…"},
		"short":      {`<html><body><article><h1>Note</h1><p>We will be back on Monday.</p></article></body></html>`, "Note\n\nWe will be back on Monday."},
	} {
		a, err := Extract([]byte(tt.page), "text/html", storyURL)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if a.Text != tt.text {
			t.Errorf("%s: text %q, want %q", name, a.Text, tt.text)
		}
	}
}

// When readability settles on something beside the story (here the text
// of an account box, longer than the story) the container the page marks
// as its article wins, and a story that the page carries only as JSON-LD
// wins over a teaser.
func TestExtractChoosesTheStory(t *testing.T) {
	box := strings.Repeat(`<p>Create your account to follow the teams you love, get alerts when they play, keep your settings on every device and join the discussion under every story.</p>`, 4)
	page := []byte(`<html><head><title>Season ends early</title></head><body>
<div id="account"><div><div>` + box + `</div></div></div>
<table><tr><td><div class="article-body"><p>The league ended the season early on Tuesday, after three clubs said they could not field a team for the last four rounds.</p>
<p>Fans who bought season tickets will get a third of the price back, the league said, and the cup final goes ahead in May as planned.</p>
<p>The clubs' players will be paid until the end of June, when most of their contracts run out.</p></div></td></tr></table>
</body></html>`)
	a := mustExtract(t, page)
	if !strings.Contains(a.Text, "ended the season early") || strings.Contains(a.Text, "Create your account") {
		t.Errorf("text:\n%s", a.Text)
	}

	story := strings.Repeat("The survey team measured the glacier's edge at forty points along the valley, and every one had moved. ", 12)
	jsonld := []byte(`<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Glacier retreats","articleBody":"` + story + `"}</script></head>
<body><article><h1>Glacier retreats</h1><p>The glacier has retreated further than any survey had forecast. Subscribe to read on.</p></article></body></html>`)
	if a := mustExtract(t, jsonld); a.Source != SourceJSONLD || !strings.Contains(a.Text, "forty points") {
		t.Errorf("Source %q, text:\n%s", a.Source, a.Text)
	}
}

func TestExtractMetadataFallbacks(t *testing.T) {
	page := []byte(`<html><head><title>Flood plan approved | The Courier</title>
<meta property="og:locale" content="en_GB"><meta property="article:author" content="https://facebook.example/courier">
<meta name="byl" content="By Jo Bloggs"><meta name="pubdate" content="2026-03-02 18:00:00">
<meta name="twitter:image" content="/img/wall.jpg"></head><body><article><h1>Flood plan approved</h1>` + prose + `</article></body></html>`)
	a := mustExtract(t, page)
	want := &Article{
		Title: "Flood plan approved", Author: "Jo Bloggs", Site: "courier.example", Lang: "en-GB",
		Image: "https://courier.example/img/wall.jpg", Published: time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC),
	}
	if a.Title != want.Title || a.Author != want.Author || a.Site != want.Site || a.Lang != want.Lang ||
		a.Image != want.Image || !a.Published.Equal(want.Published) {
		t.Errorf("got %q %q %q %q %q %v, want %q %q %q %q %q %v", a.Title, a.Author, a.Site, a.Lang, a.Image, a.Published,
			want.Title, want.Author, want.Site, want.Lang, want.Image, want.Published)
	}
}

func TestExtractOddMarkup(t *testing.T) {
	// Unclosed tags, stray end tags and binary junk: the page is odd, but
	// its text is there.
	odd := "<html><body><article>" + prose + "</td></tr></table>\x00\x01\xff\xfe<p>unclosed <b><i>tags"
	if _, err := Extract([]byte(odd), "text/html", storyURL); err != nil {
		t.Errorf("odd page: %v", err)
	}
	// Nesting deeper than the HTML parser allows is an error to fall back
	// on, not a crash.
	deep := "<html><body><article>" + strings.Repeat("<div><span>", 600) + prose
	if _, err := Extract([]byte(deep), "text/html", storyURL); err == nil || errors.Is(err, ErrNotHTML) {
		t.Errorf("deep page: %v, want an error to fall back on", err)
	}
	a := FromFeed("Deep", storyURL, "", time.Time{}, strings.Repeat("<div><span>", 600)+prose)
	if a.Notice == "" || a.Title != "Deep" {
		t.Errorf("deep feed content: %+v", a)
	}
}

func TestFromFeed(t *testing.T) {
	content := `<p><strong>byline</strong> is a news reader. See <a href="byline:welcome/keys">Keys</a>, <a href="/docs/">the docs</a>,
<a href="javascript:alert(1)">this</a> and <a href="https://example.com/x?utm_source=feed&amp;id=3">an example</a>.</p>
<p>Share this:</p>
<p>The post <a href="https://blog.example/p">Hello</a> appeared first on <a href="https://blog.example">Blog</a>.</p>`
	published := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	a := FromFeed("Welcome to byline", "https://blog.example/welcome", "By The byline team", published, content)
	if a.Source != SourceFeed || a.Title != "Welcome to byline" || a.Author != "The byline team" || a.Site != "blog.example" || !a.Published.Equal(published) {
		t.Errorf("article = %+v", a)
	}
	wantMarkdown := "**byline** is a news reader. See Keys [1], the docs [2], this [3] and an example [4]."
	if a.Markdown != wantMarkdown {
		t.Errorf("Markdown = %q, want %q", a.Markdown, wantMarkdown)
	}
	wantLinks := []Link{
		{N: 1, Text: "Keys", URL: "byline:welcome/keys", Followable: true},
		{N: 2, Text: "the docs", URL: "https://blog.example/docs/", Followable: true},
		{N: 3, Text: "this", URL: "javascript:alert(1)"},
		{N: 4, Text: "an example", URL: "https://example.com/x?id=3", Followable: true},
	}
	if !slices.Equal(a.Links, wantLinks) {
		t.Errorf("Links = %+v, want %+v", a.Links, wantLinks)
	}
	if a.PlainText() != "byline is a news reader. See Keys, the docs, this and an example." {
		t.Errorf("PlainText = %q", a.PlainText())
	}
	// A byline: page has no base for relative links, and no site.
	w := FromFeed("Keys", "byline:welcome/keys", "", time.Time{}, `<p>See <a href="../other">other</a>.</p>`)
	if w.Site != "" || len(w.Links) != 1 || w.Links[0].Followable || w.Links[0].URL != "../other" {
		t.Errorf("welcome article: site %q, links %+v", w.Site, w.Links)
	}
}

func TestRemoveRepeats(t *testing.T) {
	content := `<h1>Flood plan approved</h1>
<p>By Jane Doe</p>
<p>Jane Doe, Staff Writer · 2 March 2026 · 4 min read</p>
<p>Jane Doe reports from Kyiv.</p>` + prose + `<p>Story continues below</p>` + prose + `<p>Story continues below</p>
<blockquote><p>Yes.</p></blockquote><ul><li>Yes.</li></ul><p>* * *</p><p>* * *</p>`
	a := FromFeed("Flood plan approved", storyURL, "Jane Doe", time.Time{}, content)
	for _, gone := range []string{"# Flood plan approved", "By Jane Doe", "Staff Writer", "Story continues"} {
		if strings.Contains(a.Markdown, gone) {
			t.Errorf("Markdown still has %q", gone)
		}
	}
	for _, kept := range []string{"Jane Doe reports from Kyiv.", "> Yes.", "- Yes."} {
		if !strings.Contains(a.Markdown, kept) {
			t.Errorf("Markdown lost %q:\n%s", kept, a.Markdown)
		}
	}
	// A repeated separator is not boilerplate.
	if n := strings.Count(a.Markdown, "* *"); n != 2 {
		t.Errorf("%d separators, want 2:\n%s", n, a.Markdown)
	}
}

func TestIsFullStory(t *testing.T) {
	long := strings.Repeat(prose, 3) // about 180 words
	for _, tt := range []struct {
		name, content, summary string
		want                   bool
	}{
		{"long", long, "", true},
		{"short", prose, "", false},
		{"ellipsis", long + "<p>And then the council…</p>", "", false},
		{"wordpress excerpt", long + "<p>The wall will be built [&hellip;]</p>", "", false},
		{"read more link", long + `<p><a href="/story">Read more</a></p>`, "", false},
		{"continue reading", long + `<p><a href="/story">Continue reading <span>Flood plan approved</span></a></p>`, "", false},
		{"trailer", long + `<p>The post <a href="/p">Flood plan</a> appeared first on <a href="/">The Courier</a>.</p>`, "", true},
		{"summary only", "", long, true},
		{"short content, long summary", prose, long, false},
	} {
		if got := IsFullStory(tt.content, tt.summary); got != tt.want {
			t.Errorf("%s: IsFullStory = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDecodeHTML(t *testing.T) {
	latin1 := "<p>caf\xe9 \x93quoted\x94</p>"
	for _, tt := range []struct {
		name, contentType string
		body              string
		want              string
	}{
		{"header charset", "text/html; charset=windows-1252", latin1, "<p>café “quoted”</p>"},
		{"meta charset", "text/html", `<meta charset="iso-8859-1">` + latin1, `<meta charset="iso-8859-1"><p>café “quoted”</p>`},
		{"http-equiv", "", `<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">` + latin1,
			`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>café “quoted”</p>`},
		{"undeclared single-byte", "text/html", latin1, "<p>café “quoted”</p>"},
		{"utf-8 declared latin-1", "text/html; charset=iso-8859-1", "<p>café “quoted”</p>", "<p>café “quoted”</p>"},
		{"utf-8 BOM", "text/html; charset=windows-1252", "\xef\xbb\xbf<p>café</p>", "<p>café</p>"},
		{"utf-16 BOM", "text/html", "\xff\xfe<\x00p\x00>\x00\xe9\x00", "<p>é"},
		{"invalid utf-8 declared utf-8", "text/html; charset=utf-8", "<p>caf\xe9</p>", "<p>caf\xe9</p>"},
	} {
		if got := DecodeHTML([]byte(tt.body), tt.contentType); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// What surrounds the story's paragraphs is trimmed (a date line and
// credits before, link lines and a lone label after) while a sentence
// with a link and a footnote stay; ruby readings leave the text; a story
// that the page puts in <noscript> for browsers without script is read.
func TestExtractEdges(t *testing.T) {
	page := storyPage(`<p>Read our <a href="/archive/">report from 2024</a> on the first plan.</p>
<p><a href="/news/a">Harbour reopens</a> · <a href="/news/b">Rail strike</a></p><p>PDF</p>
<ol class="footnotes"><li>See the minutes.</li></ol>
<p>Follow the Courier on Mastodon for the latest news from the valley.</p><p>Was this article helpful?</p>
<p>© 2026 The Courier. All rights reserved. No reprint without written permission.</p>`)
	page = bytes.Replace(page, []byte("<h1>Flood plan approved</h1>"), []byte("<h1>Flood plan approved</h1><p>02.03.2026</p><p>Photo: A. Smith</p>"), 1)
	a := mustExtract(t, page)
	for _, gone := range []string{"02.03.2026", "A. Smith", "Harbour reopens", "PDF", "Follow the Courier", "helpful", "reprint"} {
		if strings.Contains(a.Text, gone) {
			t.Errorf("text still has %q:\n%s", gone, a.Text)
		}
	}
	for _, kept := range []string{"The council met", "weather permitting", "on the first plan.", "See the minutes."} {
		if !strings.Contains(a.Text, kept) {
			t.Errorf("text lost %q:\n%s", kept, a.Text)
		}
	}

	// A page of short lines with one paragraph among them (a fable in its
	// site's menus) is read whole: its lines are not the story's edges.
	var menu strings.Builder
	for _, day := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Holidays"} {
		menu.WriteString(`<p><a href="/tales/` + strings.ToLower(day) + `">` + day + `'s tale</a></p><p>` + day + ` read aloud</p>`)
	}
	fable := mustExtract(t, []byte(`<html><head><title>The greedy dog</title></head><body><table><tr><td><p>The greedy dog</p>
<p>A dog carrying a piece of meat crossed a bridge and saw, in the water below, another dog with a bigger piece, and barked to take it.</p>
<p>The end</p>`+menu.String()+`</td></tr></table></body></html>`))
	for _, kept := range []string{"barked to take it", "The end", "Sunday's tale", "Sunday read aloud"} {
		if !strings.Contains(fable.Text, kept) {
			t.Errorf("the fable's page lost %q:\n%s", kept, fable.Text)
		}
	}

	ruby := mustExtract(t, storyPage(`<p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもの<ruby>教育<rt>きょういく</rt></ruby>について、新しい法律ができました。</p>`))
	if !strings.Contains(ruby.Text, "子どもの教育について") {
		t.Errorf("ruby text:\n%s", ruby.Text)
	}

	hidden := []byte(`<html><head><title>Blog</title></head><body><div class="post-body"><script>render()</script><noscript>` +
		prose + `</noscript></div></body></html>`)
	if a := mustExtract(t, hidden); !strings.Contains(a.Text, "The council met on Monday") {
		t.Errorf("noscript story:\n%s", a.Text)
	}
}

// TestCleanUpKeepsWhatReadabilityFinds covers what byline's clean-up
// must not lose: a paragraph a paywall's class names, the author a header
// box names, one of several authors the page's <meta> tags name, the
// links of the boxes it takes out of a body (but an ad's), link lines
// with the same words; and what it must not let in: text the page hides,
// and a noscript fallback that asks for JavaScript.
func TestCleanUpKeepsWhatReadabilityFinds(t *testing.T) {
	page := storyPage(`<p class="paywall">The second phase, the pumping station by the old mill, waits for money from the regional fund, which the council has asked for twice and expects to hear about this spring.</p>
<p style="display: none">Hidden promotion text that nobody sees on the page.</p>
<noscript><div class="notice"><p>For full functionality, please enable JavaScript in your browser settings. Here are instructions on how to do it.</p><p>` +
		strings.Repeat("Welcome to the site and its many offers. ", 5) + `</p></div></noscript>`)
	page = bytes.Replace(page, []byte(`<h1>Flood plan approved</h1>`),
		[]byte(`<header class="entry-header"><h1>Flood plan approved</h1><a rel="author" href="/by/jane">Jane Doe</a></header>`), 1)
	a := mustExtract(t, page)
	if !strings.Contains(a.Text, "pumping station by the old mill") {
		t.Errorf("the paywalled paragraph is gone:\n%s", a.Text)
	}
	for _, gone := range []string{"Hidden promotion", "enable JavaScript", "Welcome to the site"} {
		if strings.Contains(a.Text, gone) {
			t.Errorf("text has %q:\n%s", gone, a.Text)
		}
	}
	if a.Author != "Jane Doe" {
		t.Errorf("Author = %q, want the header's Jane Doe", a.Author)
	}

	// A story's body: the boxes the clean-up takes out keep their links,
	// as related, but an ad's; a line that is a link is no repeat of
	// another line with the same words and another target.
	f := FromFeed("Flood plan", storyURL, "", time.Time{}, prose+`
<div class="author-bio"><p>Jane Doe writes about rivers. <a href="https://jane.example/">Her site</a></p></div>
<div class="ad-slot"><p><a href="https://ads.example/click">Buy now</a></p></div>
<p><a href="https://a.example/one">link</a></p><p><a href="https://a.example/two">link</a></p>`)
	related := map[string]bool{}
	for _, l := range f.Links {
		related[l.URL] = l.Related
	}
	if r, ok := related["https://jane.example/"]; !ok || !r || strings.Contains(f.Text, "writes about rivers") {
		t.Errorf("the author's box: text\n%s\nlinks %+v", f.Text, f.Links)
	}
	if _, ok := related["https://ads.example/click"]; ok {
		t.Errorf("the ad's link is listed: %+v", f.Links)
	}
	if r, ok := related["https://a.example/two"]; !ok || r || strings.Count(f.Text, "link") != 2 {
		t.Errorf("the link lines: text\n%s\nlinks %+v", f.Text, f.Links)
	}

	two := bytes.Replace(storyPage(""), []byte(`<title>`),
		[]byte(`<meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Jong, Michiel de"><meta name="byline" content="x"><title>`), 1)
	two = bytes.Replace(two, []byte(`<h1>Flood plan approved</h1>`), []byte(`<h1>Flood plan approved</h1><p id="ref-AUTHORING">AUTHORING</p>`), 1)
	if a := mustExtract(t, two); a.Author != "Kooman, F." && a.Author != "Jong, Michiel de" {
		t.Errorf("Author = %q, want one of the page's creators", a.Author)
	}
}

// TestStoryListsAndTables: a list of links to other sites is the story's
// (the software a post names), one to the site's own pages is not; a
// table before the story's first paragraph (an infobox) stays whole.
func TestStoryListsAndTables(t *testing.T) {
	a := FromFeed("Tools", storyURL, "", time.Time{}, prose+`
<ul><li><a href="https://bbedit.example/">BBEdit</a></li><li><a href="https://acorn.example/">Acorn</a></li><li><a href="https://napkin.example/">Napkin</a></li></ul>
<ul><li><a href="/news/one">Council closes the library</a></li><li><a href="/news/two">Bridge reopens</a></li><li><a href="https://courier.example/news/three">Ferry strike</a></li></ul>`)
	if !strings.Contains(a.Text, "Acorn") || strings.Contains(a.Text, "Bridge reopens") {
		t.Errorf("link lists:\n%s", a.Text)
	}
	page := storyPage("")
	page = bytes.Replace(page, []byte(`<h1>Flood plan approved</h1>`),
		[]byte(`<h1>Flood plan approved</h1><table><caption>Mill Street</caption><tr><th>Built</th><td><a href="/1890">1890</a></td></tr><tr><th>Floods</th><td>2016, 2020</td></tr></table>`), 1)
	if a := mustExtract(t, page); !strings.Contains(a.Text, "Mill Street") || !strings.Contains(a.Text, "Built") || !strings.Contains(a.Text, "1890") {
		t.Errorf("the table before the story:\n%s", a.Text)
	}
}
