package article

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestResolveLink(t *testing.T) {
	base, _ := url.Parse("https://www.example.org/posts/2026/story.html")
	for _, tt := range []struct {
		href, target   string
		followable, ok bool
	}{
		{"https://example.com/a", "https://example.com/a", true, true},
		{"  https://example.com/a\n ", "https://example.com/a", true, true},
		{"../about/", "https://www.example.org/posts/about/", true, true},
		{"/contact", "https://www.example.org/contact", true, true},
		{"//cdn.example.net/x.js", "https://cdn.example.net/x.js", true, true},
		{"?page=2", "https://www.example.org/posts/2026/story.html?page=2", true, true},
		{"https://example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=X&gclid=Y", "https://example.com/a?id=7", true, true},
		{"https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&ref_src=4&UTM_Campaign=5", "https://example.com/a", true, true},
		{"https://example.com/a?b=1&c=2#frag", "https://example.com/a?b=1&c=2#frag", true, true},
		{"https://example.com/a b?q=x y\"z<>", "https://example.com/a%20b?q=x%20y%22z%3C%3E", true, true},
		{"https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe", true, true},
		{"HTTPS://EXAMPLE.com/", "https://EXAMPLE.com/", true, true},
		{"https://example.com", "https://example.com/", true, true},
		{"https://example.com:8443?q=1", "https://example.com:8443/?q=1", true, true},
		{"byline:welcome/keys", "byline:welcome/keys", true, true},
		{"byline:welcome/x y", "byline:welcome/x y", false, true},
		{"mailto:a@example.com", "mailto:a@example.com", false, true},
		{"javascript:alert(1)", "javascript:alert(1)", false, true},
		{"tel:+441234", "tel:+441234", false, true},
		{"ftp://files.example.org/", "ftp://files.example.org/", false, true},
		{"http://[::1", "http://[::1", false, true},
		{"https:///nohost", "https:///nohost", false, true},
		{"data:text/html," + strings.Repeat("A", 500), "data:text/html," + strings.Repeat("A", 185) + "…", false, true},
		{"#section-2", "", false, false},
		{"", "", false, false},
		{"   ", "", false, false},
	} {
		target, followable, ok := resolveLink(base, tt.href)
		if target != tt.target || followable != tt.followable || ok != tt.ok {
			t.Errorf("resolveLink(%q) = %q, %v, %v; want %q, %v, %v", tt.href, target, followable, ok, tt.target, tt.followable, tt.ok)
		}
	}
}

// TestLinkNumbering covers the rules of the numbered lists: body links in
// reading order, then related ones; one number per URL (after tracking
// parameters are dropped), the first occurrence's; a related link already
// in the body keeps its body number and is not listed again.
func TestLinkNumbering(t *testing.T) {
	content := `<p>First <a href="https://a.example/one?utm_source=x">one</a>, then <a href="mailto:desk@a.example">mail</a>,
<a href="https://a.example/two">two</a> and <a href="https://a.example/one">one again</a>, a <a href="#note">note</a>
and <a href="https://a.example/two?fbclid=abc">two again</a>.</p>
<figure><img src="/img/chart.png" alt="A chart"><figcaption>Chart</figcaption></figure>
<p><a href="/img/chart.png">The chart, enlarged</a> and <a href="https://a.example/three"><img src="/img/thumb.jpg" alt="Thumbnail"></a></p>
<p>Also read: <a href="https://a.example/two">Two</a></p>
<h3>Related</h3>
<ul><li><a href="https://a.example/four">Four</a></li><li><a href="https://a.example/one">One</a></li><li><a href="https://a.example/four#top">Four, at the top</a></li><li><a href="javascript:void(0)">Load more</a></li></ul>`
	a := FromFeed("Numbering", "https://a.example/story", "", time.Time{}, content)
	want := []Link{
		{N: 1, Text: "one", URL: "https://a.example/one", Followable: true},
		{N: 2, Text: "mail", URL: "mailto:desk@a.example"},
		{N: 3, Text: "two", URL: "https://a.example/two", Followable: true},
		{N: 4, Text: "image: A chart", URL: "https://a.example/img/chart.png", Followable: true},
		{N: 5, Text: "image: Thumbnail", URL: "https://a.example/three", Followable: true},
		{N: 6, Text: "Four", URL: "https://a.example/four", Related: true, Followable: true},
		{N: 7, Text: "Four, at the top", URL: "https://a.example/four#top", Related: true, Followable: true},
		{N: 8, Text: "Load more", URL: "javascript:void(0)", Related: true},
	}
	if !slices.Equal(a.Links, want) {
		t.Errorf("Links:\n got %+v\nwant %+v", a.Links, want)
	}
	wantBody := "First one [1], then mail [2], two [3] and one again [1], a note and two again [3].\n\n" +
		"[image: A chart] [4]\n\nChart\n\nThe chart, enlarged [4] and \n\n[image: Thumbnail] [5]"
	if a.Markdown != wantBody {
		t.Errorf("Markdown:\n got %q\nwant %q", a.Markdown, wantBody)
	}
	doc := a.MarkdownDocument()
	for _, line := range []string{
		"## Links\n\n- [1] one — <https://a.example/one>\n- [2] mail — `mailto:desk@a.example` (not openable)\n",
		"## Related\n\n- [6] Four — <https://a.example/four>\n",
		"- [8] Load more — `javascript:void(0)` (not openable)\n",
	} {
		if !strings.Contains(doc, line) {
			t.Errorf("document lacks %q:\n%s", line, doc)
		}
	}
}

func relatedTexts(a *Article) []string {
	var texts []string
	for _, l := range a.Links {
		if l.Related {
			texts = append(texts, l.Text)
		}
	}
	return texts
}

func TestRelatedBlocks(t *testing.T) {
	for _, tt := range []struct {
		name, html string
		related    []string // texts of the related links
		bodyHas    string   // text that stays in the body
	}{
		{"heading and list", `<h2>Related News</h2><ul><li><a href="/r1">R1</a></li><li><a href="/r2">R2</a> <span>2 h ago</span></li></ul>`, []string{"R1", "R2"}, ""},
		{"label with colon", `<p><strong>Read more:</strong></p><p><a href="/r1">R1</a></p><p><a href="/r2">R2</a></p>`, []string{"R1", "R2"}, ""},
		{"inline also read", `<p><em>Also read —</em> <a href="/r1">R1</a>, <a href="/r2">R2</a></p>`, []string{"R1", "R2"}, ""},
		{"more from", `<div><h4>More from Politics</h4><div><a href="/r1">R1</a></div></div>`, []string{"R1"}, ""},
		{"class", `<aside class="jp-relatedposts"><a href="/r1">R1</a><p>Something said about it.</p></aside>`, []string{"R1"}, ""},
		{"see also before prose", `<h3>See also</h3><p>The report, <a href="/r1">published in May</a>, says the wall was needed years ago and that delays cost money.</p>`, nil, "published in May [1]"},
		{"read more link", `<p><a href="/full">Read more</a></p>`, nil, "Read more [1]"},
		{"sentence", `<p>Read more about it <a href="/r1">here</a>.</p>`, nil, "Read more about it here [1]."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := FromFeed("Related", "https://a.example/story", "", time.Time{}, prose+tt.html)
			related := relatedTexts(a)
			if !slices.Equal(related, tt.related) {
				t.Errorf("related = %q, want %q", related, tt.related)
			}
			if tt.bodyHas != "" && !strings.Contains(a.Markdown, tt.bodyHas) {
				t.Errorf("body lacks %q:\n%s", tt.bodyHas, a.Markdown)
			}
			for _, label := range []string{"Related News", "Read more:", "Also read", "More from", "Something said"} {
				if strings.Contains(a.Markdown, label) {
					t.Errorf("body keeps %q:\n%s", label, a.Markdown)
				}
			}
		})
	}
}

// Related blocks in a page's navigation or footer are site chrome, not
// links related to the story.
func TestRelatedIgnoresChrome(t *testing.T) {
	page := storyPage("") // its footer is replaced below
	page = []byte(strings.Replace(string(page), `<footer>`, `<footer><h3>More from The Courier</h3><ul><li><a href="/jobs/">Jobs</a></li></ul>`, 1))
	a := mustExtract(t, page)
	for _, l := range a.Links {
		if l.Related {
			t.Errorf("related link from the footer: %+v", l)
		}
	}
}

func TestClutterInFeedContent(t *testing.T) {
	content := prose + `
<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="https://twitter.com/share?url=x">Twitter</a></li></ul></div>
<p>ADVERTISEMENT</p><p>— Advertisement —</p>
<p><a href="https://www.facebook.com/sharer/sharer.php?u=x">Share on Facebook</a></p>
<div><p>Get our newsletter in your inbox every morning.</p><form><input type="email"><button>Sign up</button></form></div>
<p>Sign up for the newsletter, <a href="/signup">Subscribe</a></p>
<p>The company said readers could subscribe to its newsletter, which it launched in 2019 to cover local politics, schools and planning.</p>
<h3>Leave a Reply</h3><form><textarea></textarea></form>
<h3>Heute empfehlen wir</h3><ul><li><a href="/espresso">Espresso</a></li></ul><p>Kommentare schreiben</p>`
	a := FromFeed("Clutter", "https://a.example/story", "", time.Time{}, content)
	for _, junk := range []string{"Share", "Twitter", "Advertisement", "ADVERTISEMENT", "inbox every morning", "Sign up", "Leave a Reply", "sharer", "empfehlen wir", "Kommentare"} {
		if strings.Contains(a.Markdown, junk) || strings.Contains(a.MarkdownDocument(), junk) {
			t.Errorf("still has %q:\n%s", junk, a.MarkdownDocument())
		}
	}
	if !strings.Contains(a.Markdown, "readers could subscribe to its newsletter") {
		t.Errorf("a sentence about a newsletter was taken for a sign-up box:\n%s", a.Markdown)
	}
}
