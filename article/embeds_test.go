package article

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// The feed-text path: what a browser does not show is not story text, and
// an embedded video is a numbered link to its page (issue 10, item 2).
func TestFromFeedDropsHiddenAndKeepsVideosAsLinks(t *testing.T) {
	content := `<p>Before <a href="/one">one</a>.</p><script>var leak = "SCRIPT";</script><style>p{color:red}</style>` +
		`<iframe src="//www.youtube-nocookie.com/embed/abc_DEF-123?rel=0" title=" Launch
		day "><p>FALLBACK</p></iframe><iframe src="https://tracker.example/frame">FRAME</iframe>` +
		`<iframe src="javascript:alert(1)"></iframe><object data="x.swf">OBJECT</object><p>After.</p>`
	a := FromFeed("Embeds", "https://a.example/story", "", time.Time{}, content)
	for _, leak := range []string{"SCRIPT", "color", "FALLBACK", "FRAME", "OBJECT", "tracker", "javascript"} {
		if strings.Contains(a.Markdown, leak) || strings.Contains(a.Text, leak) {
			t.Errorf("%q leaked:\n%s\n---\n%s", leak, a.Markdown, a.Text)
		}
	}
	if !strings.Contains(a.Markdown, "one [1]") || !strings.Contains(a.Markdown, "\n\n[video: Launch day] [2]\n\n") {
		t.Errorf("markdown:\n%s", a.Markdown)
	}
	want := []Link{
		{N: 1, Text: "one", URL: "https://a.example/one", Followable: true},
		{N: 2, Text: "video: Launch day", URL: "https://www.youtube.com/watch?v=abc_DEF-123", Followable: true},
	}
	if !slices.Equal(a.Links, want) {
		t.Errorf("links:\n got %+v\nwant %+v", a.Links, want)
	}
	if a.Text != "Before one.\n\nAfter." {
		t.Errorf("text %q", a.Text)
	}
}
