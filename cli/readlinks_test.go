package cli_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// TestReadAnsiLinkSections: read --format ansi is what the reader shows,
// so its Links and Related sections are drawn as the TUI draws them (one
// way of drawing them for both): a blank line before each heading, one
// line per link where it fits, else the text wrapped and the URL on a
// line of its own, cut in its middle and never wrapped at a dot, which
// glamour did (#10, item 25). The sections are compared with goldens,
// colours and hyperlinks included, at two widths.
func TestReadAnsiLinkSections(t *testing.T) {
	h := newHome(t, "# none\n")
	const base = "https://www.example-news-site.com/2025/06/02/story.html"
	for _, width := range []int{60, 100} {
		t.Run(fmt.Sprintf("width_%d", width), func(t *testing.T) {
			out := h.ok("read", "testdata/links-story.html", "--base-url", base,
				"--format", "ansi", "--width", fmt.Sprint(width), "--style", "dark")
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			start := -1
			for i, l := range lines {
				plain := strings.TrimSpace(ansi.Strip(l))
				if w := ansi.StringWidth(l); w > width {
					t.Errorf("line %d is %d cells wide, more than %d: %q", i, w, width, plain)
				}
				if plain == "## Links" && start < 0 {
					start = i - 1
				}
				if strings.HasPrefix(plain, "## ") && strings.TrimSpace(ansi.Strip(lines[i-1])) != "" {
					t.Errorf("no blank line before %q", plain)
				}
				if start >= 0 && (strings.HasSuffix(plain, ".") || strings.HasSuffix(plain, "-")) {
					t.Errorf("a URL wraps at %q: %q", plain[len(plain)-1:], plain)
				}
			}
			if start < 0 {
				t.Fatalf("no Links section:\n%s", ansi.Strip(out))
			}
			sections := strings.Join(lines[start:], "\n") + "\n"
			wants := []string{
				"## Related",
				"• [4] https://example.org/",
				"-agreed-on-sunday.html\n",   // a URL too long for its line keeps its end…
				"https://www.example-news-s", // and its start, and is cut in its middle
				"…",
			}
			if width == 100 { // room for text and URL on one line
				wants = append(wants, "• [3] the council's office — mailto:council@example.org (not openable)",
					"• [6] Buses — https://www.example-news-site.com/2025/05/28/buses.html")
			} else {
				wants = append(wants, "• [3] the council's office\n    mailto:council@example.org (not openable)")
			}
			for _, want := range wants {
				if !strings.Contains(ansi.Strip(sections), want) {
					t.Errorf("the sections lack %q:\n%s", want, ansi.Strip(sections))
				}
			}
			// The URL is a hyperlink to itself, whole, however it is cut.
			if !strings.Contains(sections, "\x1b]8;;https://www.example-news-site.com/2025/06/02/politics/article/18/20-things-the-council-agreed-on-sunday.html\x1b\\") {
				t.Errorf("the long URL is not a hyperlink to itself:\n%q", sections)
			}
			golden.RequireEqual(t, sections)
		})
	}
}
