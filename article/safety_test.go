package article

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/sanitize"
)

// hostilePage carries terminal escapes, C1 controls and bidi overrides in
// every place a string can come from: raw bytes, character references
// (which the HTML parser decodes into raw controls), and references
// encoded twice (which the parser turns into text such as "&#27;" that a
// Markdown renderer would decode again).
const hostilePage = "<!DOCTYPE html><html lang=\"en\x1b[31m\"><head><meta charset=\"utf-8\">" +
	"<title>Evil &#27;]0;pwned&#7; title \x1b[2J\u202eereh</title>" +
	"<meta property=\"og:site_name\" content=\"Site\x1b]52;c;ZXZpbA==\x07 &#x1b;[1m\">" +
	"<meta name=\"author\" content=\"Mallory &#x202E;evil&#x202C; \u009b31m\">" +
	"<meta property=\"og:image\" content=\"https://img.example/a.png\x1b[1m\">" +
	"</head><body><article><h1>Evil title</h1>" +
	"<p>Text with &#27;[31mred&#27;[0m, raw \x1b]8;;https://evil.example/\x07hidden link\x1b]8;;\x07, C1 \u009b2J and \u009d0;t\u009c, " +
	"bidi \u202eoverride\u202c and &#x2067;isolate&#x2069;, and twice encoded &amp;#27;[5m and &amp;#x1b;[6m and &amp;#155;7m and &amp;#x9d;8;;x&amp;#7;.</p>" +
	"<p>A link <a href=\"https://evil.example/a\x1b[1m b\">with &#27;[4m text</a>, one to <a href=\"https://evil.example/\u202e/x\">a bidi URL</a>, " +
	"one <a href=\"javascript:alert(&#39;\x1b]0;x\x07&#39;)\">in script</a>, and <a href=\"https://evil.example/&#27;]8;;x&#7;\">one with a reference</a>.</p>" +
	"<p>Text that looks like links: &lt;javascript:alert(1)&gt;, &lt;file:///etc/passwd&gt;, www.example.com, ftp://files.example.org/x and mallory@evil.example.</p>" +
	"<p><img src=\"https://img.example/b.png\" alt=\"alt &#27;[7m text \u202e\"></p>" +
	"<pre><code>code &amp;#27;[8m and &#27;[9m</code></pre><p>Inline <code>&amp;#27;[10m</code> code, and a sentence to make the story long enough to count as one for the extractor.</p>" +
	"<p>More words follow here so that the page has an article: the council met, the vote was taken, and the plan was approved by nine votes to two.</p>" +
	"</article></body></html>"

// controls matches what must never reach a terminal from a page: C0
// controls other than tab and newline, DEL, C1 controls and bidi
// embeddings, overrides and isolates.
var controls = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]")

// dangerousRefs matches character references that decode to controls.
var dangerousRefs = regexp.MustCompile(`(?i)&#(0*(?:[0-8]|1[1-9]|2[0-9]|3[01]|12[7-9]|1[3-5][0-9]|8234|823[0-8]|8294|829[5-7])|x0*(?:[0-8]|[bcef]|1[0-9a-f]|7f|[89][0-9a-f]|202[a-e]|206[6-9]));`)

func hostileArticles(t *testing.T) map[string]*Article {
	t.Helper()
	page, err := Extract([]byte(hostilePage), "text/html", "https://evil.example/story\x1b[1m")
	if err != nil {
		t.Fatal(err)
	}
	body := hostilePage[strings.Index(hostilePage, "<article>"):]
	feed := FromFeed("Feed &#27; \x1b]0;title\x07 \u202eeliT", "https://evil.example/feed-item", "Mallory\x1b[1m", time.Time{}, body)
	return map[string]*Article{"page": page, "feed": feed}
}

func TestHostileStringsAreClean(t *testing.T) {
	for name, a := range hostileArticles(t) {
		fields := map[string]string{
			"URL": a.URL, "Title": a.Title, "Author": a.Author, "Site": a.Site, "Lang": a.Lang, "Image": a.Image,
			"Markdown": a.Markdown, "Text": a.Text, "PlainText": a.PlainText(), "Notice": a.Notice,
			"MarkdownDocument": a.MarkdownDocument(),
		}
		for _, l := range a.Links {
			fields["link text"] += l.Text + "\n"
			fields["link URL"] += l.URL + "\n"
			if l.Followable && !safeHyperlink(l.URL) && !isBylineLink(l.URL) {
				t.Errorf("%s: followable link %q is not a safe target", name, l.URL)
			}
		}
		js, err := a.JSON()
		if err != nil {
			t.Fatal(err)
		}
		fields["JSON"] = string(js)
		var decoded map[string]any
		if err := json.Unmarshal(js, &decoded); err != nil {
			t.Fatalf("%s: JSON does not parse: %v", name, err)
		}
		for field, s := range fields {
			if m := controls.FindString(s); m != "" {
				t.Errorf("%s %s carries %q: %q", name, field, m, s)
			}
			if sanitize.Text(s) != s {
				t.Errorf("%s %s is not clean for the sanitizer: %q", name, field, s)
			}
		}
		for field, s := range map[string]string{"Markdown": a.Markdown, "MarkdownDocument": a.MarkdownDocument()} {
			if m := dangerousRefs.FindString(s); m != "" {
				t.Errorf("%s %s carries the reference %q, which renders as a control:\n%s", name, field, m, s)
			}
		}
		if !strings.Contains(a.PlainText(), "&#27;[5m") {
			t.Errorf("%s: twice-encoded reference lost from the text, want it shown as written: %q", name, a.PlainText())
		}
	}
}

// escapeSequence matches any escape sequence in rendered output: a CSI
// sequence, or an OSC string up to BEL or ST.
var escapeSequence = regexp.MustCompile("\x1b(\\[[0-?]*[ -/]*[@-~]|\\][^\x07\x1b]*(\x07|\x1b\\\\)|.?)")

// TestRenderedOutputIsSafe renders the hostile articles in every style and
// checks every escape sequence: only glamour's own colours (SGR) and OSC 8
// hyperlinks to validated http(s) URLs may appear.
func TestRenderedOutputIsSafe(t *testing.T) {
	for name, a := range hostileArticles(t) {
		for _, style := range []Style{StyleDark, StyleLight, StylePlain} {
			out, err := Render(a, 80, style)
			if err != nil {
				t.Fatal(err)
			}
			hyperlinks := 0
			for _, seq := range escapeSequence.FindAllString(out, -1) {
				switch {
				case regexp.MustCompile(`^\x1b\[[0-9;:]*m$`).MatchString(seq):
				case strings.HasPrefix(seq, "\x1b]8;"):
					params := strings.TrimRight(strings.TrimPrefix(seq, "\x1b]8;"), "\x07\x1b\\")
					_, target, _ := strings.Cut(params, ";")
					if target != "" {
						hyperlinks++
						u, err := url.Parse(target)
						if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !safeHyperlink(target) {
							t.Errorf("%s %s: hyperlink to %q", name, style, target)
						}
					}
				default:
					t.Errorf("%s %s: escape sequence %q in the output", name, style, seq)
				}
			}
			rest := escapeSequence.ReplaceAllString(out, "")
			if m := controls.FindString(rest); m != "" {
				t.Errorf("%s %s: control %q outside escape sequences", name, style, m)
			}
			if hyperlinks == 0 {
				t.Errorf("%s %s: no hyperlinks at all; the check above checked nothing", name, style)
			}
			for _, bad := range []string{"javascript:", "file://", "mailto:mallory"} {
				if strings.Contains(out, "\x1b]8;id=") && strings.Contains(out, ";"+bad) {
					t.Errorf("%s %s: hyperlink to %s", name, style, bad)
				}
			}
		}
	}
}

func TestKeepSafeHyperlinks(t *testing.T) {
	link := func(target, text string) string {
		return "\x1b]8;id=1;" + target + "\x07" + text + "\x1b]8;;\x07"
	}
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{link("https://example.com/a", "ok"), link("https://example.com/a", "ok")},
		{"a " + link("javascript:alert(1)", "js") + " b", "a js b"},
		{link("mailto:m@example.com", "m@example.com") + " " + link("https://example.com/", "x"), "m@example.com " + link("https://example.com/", "x")},
		{link("https://example.com/a b", "spaced"), "spaced"},
		{"\x1b]8;id=1;https://example.com/\x1b\\st\x1b]8;;\x1b\\", "\x1b]8;id=1;https://example.com/\x1b\\st\x1b]8;;\x1b\\"},
		{"cut \x1b]8;id=1;https://example.com/", "cut "},
	} {
		if got := keepSafeHyperlinks(tt.in); got != tt.want {
			t.Errorf("keepSafeHyperlinks(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNeutralizeCharRefs(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"no refs", "no refs"},
		{"&#27;[1m", "&amp;#27;[1m"},
		{"&#x1B;", "&amp;#x1B;"},
		{"&#X9d;", "&amp;#X9d;"},
		{"&#8238;", "&amp;#8238;"},
		{"&#233; &#x263a; &amp; &#10;", "&#233; &#x263a; &amp; &#10;"},
		{"&#0000027; &#27 &#;", "&amp;#0000027; &#27 &#;"},
		{"&#00000027; &#x000001b; &#x00001b;", "&#00000027; &#x000001b; &amp;#x00001b;"},
	} {
		if got := neutralizeCharRefs(tt.in); got != tt.want {
			t.Errorf("neutralizeCharRefs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
