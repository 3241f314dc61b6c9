package article

import (
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func sampleArticle() *Article {
	return FromFeed("Flood plan approved", storyURL, "Amira Okafor", time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC),
		prose+`<p>See <a href="https://courier.example/report">the report</a> and <a href="mailto:desk@courier.example">the desk</a>.</p>
<pre><code class="language-go">fmt.Println("hello")</code></pre><h3>Related</h3><ul><li><a href="https://courier.example/older">Older story</a></li></ul>`)
}

func TestRenderStyles(t *testing.T) {
	a := sampleArticle()
	sgr := regexp.MustCompile(`\x1b\[[0-9;]*m`)
	colour := regexp.MustCompile(`\x1b\[[0-9;]*(38|48);`)
	for _, style := range []Style{StyleDark, StyleLight, StylePlain} {
		out, err := Render(a, 60, style)
		if err != nil {
			t.Fatal(err)
		}
		text := ansi.Strip(out)
		words := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{"Flood plan approved", "Amira Okafor", "the report [1]", "[2] the desk", "(not openable)", "Related", "[3] Older story", `fmt.Println("hello")`} {
			if !strings.Contains(words, want) {
				t.Errorf("%s: rendering lacks %q:\n%s", style, want, text)
			}
		}
		for _, line := range strings.Split(text, "\n") {
			if w := ansi.StringWidth(line); w > 60 {
				t.Errorf("%s: line of %d cells at width 60: %q", style, w, line)
			}
		}
		if hasColour := colour.MatchString(out); hasColour != (style != StylePlain) {
			t.Errorf("%s: colours %v (%d SGR sequences)", style, hasColour, len(sgr.FindAllString(out, -1)))
		}
	}
	if _, err := Render(a, 60, Style("auto")); err == nil || !strings.Contains(err.Error(), `unknown style "auto"`) {
		t.Errorf("unknown style: %v", err)
	}
}

func TestRenderWidths(t *testing.T) {
	a := sampleArticle()
	for _, tt := range []struct{ width, max int }{{0, 80}, {-5, 80}, {3, minRenderWidth}, {100_000, maxRenderWidth}} {
		out, err := Render(a, tt.width, StylePlain)
		if err != nil {
			t.Fatal(err)
		}
		widest := 0
		for _, line := range strings.Split(ansi.Strip(out), "\n") {
			widest = max(widest, ansi.StringWidth(line))
		}
		if widest > tt.max || widest < tt.max/2 {
			t.Errorf("width %d: widest line %d cells, want about %d", tt.width, widest, tt.max)
		}
	}
}

// TestRenderConcurrent renders from many goroutines at once (run with
// -race): glamour renderers are not safe for concurrent use, so Render
// must not share one.
func TestRenderConcurrent(t *testing.T) {
	a := sampleArticle()
	want, err := Render(a, 64, StyleDark)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			out, err := Render(a, 64, StyleDark)
			if err != nil || out != want {
				t.Errorf("goroutine %d: %v, output differs: %v", i, err, out != want)
			}
		})
	}
	wg.Wait()
}

func TestJSONShape(t *testing.T) {
	a := &Article{URL: "https://a.example/x", Title: "T <&>", Markdown: "body", Text: "body"}
	js, err := a.JSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "url": "https://a.example/x",
  "title": "T <&>",
  "author": "",
  "site": "",
  "published": null,
  "lang": "",
  "image": "",
  "markdown": "body",
  "text": "body",
  "links": []
}`
	if string(js) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", js, want)
	}
	a.Published = time.Date(2026, 3, 2, 8, 30, 0, 0, time.FixedZone("", 3600))
	a.Links = []Link{{N: 1, Text: "x", URL: "https://a.example/y", Followable: true}}
	js, _ = a.JSON()
	var got struct {
		Published string `json:"published"`
		Links     []map[string]any
	}
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	if got.Published != "2026-03-02T08:30:00+01:00" || len(got.Links) != 1 || got.Links[0]["n"] != 1.0 || got.Links[0]["followable"] != true {
		t.Errorf("JSON = %s", js)
	}
}

func TestMarkdownDocumentEscaping(t *testing.T) {
	a := &Article{
		Title: "*Not* [a] `link` <b> #1 | x ~y_", Site: "1. Site", Author: "A_B",
		URL: "https://a.example/x?utm_source=z&id=1", Markdown: "Body.",
		Links: []Link{
			{N: 1, Text: "[x](javascript:y)", URL: "javascript:a`b`c", Followable: false},
			{N: 2, Text: "same", URL: "same", Followable: false},
		},
		Notice: "Only *part* of it.",
	}
	want := "# \\*Not\\* \\[a\\] \\`link\\` \\<b\\> #1 \\| x \\~y\\_\n\n" +
		"1\\. Site · A\\_B · <https://a.example/x?id=1>\n\n" +
		"> Only \\*part\\* of it.\n\n" +
		"Body.\n\n" +
		"## Links\n\n" +
		"- [1] \\[x\\](javascript:y) — ``javascript:a`b`c`` (not openable)\n" +
		"- [2] `same` (not openable)\n"
	if got := a.MarkdownDocument(); got != want {
		t.Errorf("MarkdownDocument:\n%s\nwant:\n%s", got, want)
	}
	for in, want := range map[string]string{"# x": `\# x`, "- x": `\- x`, "12) x": `12\) x`, "2026 x": "2026 x", "": ""} {
		if got := escapeLineStart(in); got != want {
			t.Errorf("escapeLineStart(%q) = %q, want %q", in, got, want)
		}
	}
	if got := markdownURL("`a`", false); got != "`` `a` ``" {
		t.Errorf("markdownURL = %q", got)
	}
}
