package article

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzControls matches what must never appear in an article's strings: C0
// controls other than tab and newline, DEL, C1 controls and the bidi
// embeddings, overrides and isolates.
var fuzzControls = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]")

// fuzzEscape matches an escape sequence in rendered output: CSI, an OSC
// string up to BEL or ST, or a lone ESC with what follows it.
var fuzzEscape = regexp.MustCompile("\x1b(\\[[0-?]*[ -/]*[@-~]|\\][^\x07\x1b]*(\x07|\x1b\\\\)|.?)")

var fuzzSGR = regexp.MustCompile(`^\x1b\[[0-9;:]*m$`)

// fuzzRenderBytes bounds the articles the fuzzer renders: glamour takes
// milliseconds per kilobyte, and the escapes it can be tricked into come
// from short inputs as well as long ones.
const fuzzRenderBytes = 4 << 10

// FuzzArticle runs a page (and, as a feed item's HTML, the same bytes)
// through Extract or FromFeed, then Markdown, JSON, plain text and the
// terminal rendering. Nothing may panic; the link numbers must run 1..n
// with one number per URL; only absolute http(s) URLs (and byline's own
// links) may be followable; no string may carry a terminal control; and
// the rendering may hold only SGR colours and OSC 8 hyperlinks to
// followable http(s) URLs.
func FuzzArticle(f *testing.F) {
	for _, dir := range []string{"testdata", "../cli/testdata"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, "https://news.example/2024/03/story.html")
		}
	}
	words := strings.Repeat("The council met and the vote was taken after a long debate. ", 6)
	for _, seed := range []struct{ page, base string }{
		{"<article><h1>T</h1><p>" + words + `<a href="/a">rel</a> <a href="//cdn.example/b?utm_source=x&id=1">proto</a> <a href="/a">again</a> <a href="#top">anchor</a></p></article>`, "https://news.example/dir/page"},
		{"<article><p>" + words + `<a href="javascript:alert(1)">js</a> <a href="mailto:a@b.example">mail</a> <a href="file:///etc/passwd">file</a> <a href="data:text/html,x">data</a> <a href="byline:welcome/keys">welcome</a></p></article>`, "https://news.example/"},
		{"<article><p>" + words + "&#27;[31m \x1b]8;;https://evil.example/\x07x\x1b]8;;\x07 \u202e \u009b2J &amp;#27;[5m <a href=\"https://evil.example/\x1b[1m\u202e\">&#27;]0;t&#7;</a> <img src=\"x.png\" alt=\"&#x9b;1m\"></p></article>", "https://evil.example/\x1b[1m"},
		{"<p>" + words + `<a href="https://bücher.example/ä ö?q=\"x\"">idn</a> <a href="http://[::1]:8080/">v6</a> <a href="http://%zz/">bad</a></p>`, "http://127.0.0.1:8080/a?b=c#d"},
		{"<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"H\\u001b[1m\",\"articleBody\":\"" + words + "\"}</script></head><body></body></html>", ""},
		{`<ul class="related"><li><a href="/r1">Related one</a></li><li><a href="/r2">Related two</a></li></ul><article><p>` + words + "</p></article>", "https://news.example/x"},
		{"<article><p>" + words + "</p><pre><code>\tfunc main() {\n\t\tx := 1\t// tab\n\t}</code></pre></article>", "https://news.example/code"},
		{"", "javascript:alert(1)"},
	} {
		f.Add([]byte(seed.page), seed.base)
	}
	f.Fuzz(func(t *testing.T, page []byte, base string) {
		articles := map[string]*Article{
			"feed": FromFeed(string(page), base, string(page), time.Time{}, string(page)),
		}
		if a, err := Extract(page, "text/html; charset=utf-8", base); err == nil {
			articles["page"] = a
		} else if a != nil {
			t.Fatalf("Extract returned an article with the error %v", err)
		}
		for name, a := range articles {
			checkFuzzedArticle(t, name, a)
			if len(a.Markdown) <= fuzzRenderBytes {
				out, err := Render(a, 60, StyleDark)
				if err != nil {
					t.Fatalf("%s: Render: %v", name, err)
				}
				checkRendered(t, name, out)
			}
		}
	})
}

func checkFuzzedArticle(t *testing.T, name string, a *Article) {
	t.Helper()
	fields := map[string]string{
		"URL": a.URL, "Title": a.Title, "Author": a.Author, "Site": a.Site, "Lang": a.Lang, "Image": a.Image,
		"Markdown": a.Markdown, "Text": a.Text, "Notice": a.Notice, "MarkdownDocument": a.MarkdownDocument(),
	}
	seen := make(map[string]int, len(a.Links))
	related := false
	for i, l := range a.Links {
		if l.N != i+1 {
			t.Fatalf("%s: link %d is numbered %d: %+v", name, i+1, l.N, a.Links)
		}
		if first, dup := seen[l.URL]; dup {
			t.Fatalf("%s: URL %q numbered both %d and %d", name, l.URL, first, l.N)
		}
		seen[l.URL] = l.N
		if related && !l.Related {
			t.Fatalf("%s: body link %d after the related ones", name, l.N)
		}
		related = l.Related
		if l.URL == "" {
			t.Fatalf("%s: link %d has no URL", name, l.N)
		}
		if l.Followable && !isBylineLink(l.URL) {
			u, err := url.Parse(l.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !safeHyperlink(l.URL) {
				t.Fatalf("%s: followable link %q is not an absolute http(s) URL safe to print", name, l.URL)
			}
		}
		fields["link text"] += l.Text + "\n"
		fields["link URL"] += l.URL + "\n"
	}
	js, err := a.JSON()
	if err != nil {
		t.Fatalf("%s: JSON: %v", name, err)
	}
	var back jsonArticle
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatalf("%s: JSON does not parse back: %v\n%s", name, err, js)
	}
	if back.Markdown != a.Markdown || len(back.Links) != len(a.Links) {
		t.Fatalf("%s: JSON round trip changed the article", name)
	}
	for field, s := range fields {
		if !utf8.ValidString(s) {
			t.Fatalf("%s %s: invalid UTF-8 %q", name, field, s)
		}
		if m := fuzzControls.FindString(s); m != "" {
			t.Fatalf("%s %s carries %q: %q", name, field, m, s)
		}
	}
}

// checkRendered allows only SGR colours and OSC 8 hyperlinks to safe
// http(s) targets, and no control outside them.
func checkRendered(t *testing.T, name, out string) {
	t.Helper()
	for _, seq := range fuzzEscape.FindAllString(out, -1) {
		switch {
		case fuzzSGR.MatchString(seq):
		case strings.HasPrefix(seq, "\x1b]8;"):
			params := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]8;"), "\x07"), "\x1b\\")
			_, target, _ := strings.Cut(params, ";")
			if target != "" && !safeHyperlink(target) {
				t.Fatalf("%s: rendered hyperlink to %q", name, target)
			}
		default:
			t.Fatalf("%s: escape sequence %q in the rendering", name, seq)
		}
	}
	rest := fuzzEscape.ReplaceAllString(out, "")
	if m := fuzzControls.FindString(rest); m != "" {
		t.Fatalf("%s: control %q outside escape sequences in the rendering", name, m)
	}
	if strings.Contains(rest, "\t") {
		t.Fatalf("%s: tab in the rendering", name)
	}
}
