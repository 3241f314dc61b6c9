package article

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	gansi "github.com/bylinehq/byline/internal/glamour/ansi"
	"github.com/bylinehq/byline/internal/glamour/styles"
	"github.com/bylinehq/byline/sanitize"
)

// LinkEntry is one numbered line of a link section.
type LinkEntry struct {
	N          int
	Text, URL  string
	Followable bool
}

// LinkSection is a heading over numbered links: a story's "Links" and
// "Related", or the articles a reader offers beside it.
type LinkSection struct {
	Heading string
	Entries []LinkEntry
}

// linkSections are the article's own sections, Links then Related, as
// MarkdownDocument lists them.
func (a *Article) linkSections() []LinkSection {
	links := LinkSection{Heading: "Links"}
	related := LinkSection{Heading: "Related"}
	for _, l := range a.Links {
		e := LinkEntry{N: l.N, Text: l.Text, URL: l.URL, Followable: l.Followable}
		if l.Related {
			related.Entries = append(related.Entries, e)
		} else {
			links.Entries = append(links.Entries, e)
		}
	}
	return []LinkSection{links, related}
}

// sectionStyle is how link sections are drawn in a Style: in the colours
// of glamour's style, so that they look like the rest of the article.
type sectionStyle struct {
	heading, body, url, closed ansi.Style
}

func newSectionStyle(style Style) (sectionStyle, error) {
	name, err := style.glamourStyle()
	if err != nil {
		return sectionStyle{}, err
	}
	cfg := styles.DefaultStyles[name]
	heading := primitiveStyle(cfg.Heading.StylePrimitive, cfg.H2.StylePrimitive)
	body := primitiveStyle(cfg.Document.StylePrimitive)
	return sectionStyle{
		heading: heading,
		body:    body,
		url:     primitiveStyle(cfg.Document.StylePrimitive, cfg.Link),
		closed:  body.Faint(),
	}, nil
}

// primitiveStyle is glamour's style primitives as SGR, later ones over
// earlier ones, for the attributes link sections use.
func primitiveStyle(prims ...gansi.StylePrimitive) ansi.Style {
	var (
		colour          string
		bold, underline bool
	)
	for _, p := range prims {
		if p.Color != nil {
			colour = *p.Color
		}
		if p.Bold != nil {
			bold = *p.Bold
		}
		if p.Underline != nil {
			underline = *p.Underline
		}
	}
	var s ansi.Style
	if c := glamourColor(colour); c != nil {
		s = s.ForegroundColor(c)
	}
	if bold {
		s = s.Bold()
	}
	if underline {
		s = s.Underline(true)
	}
	return s
}

// glamourColor reads a colour of a glamour style: an ANSI 256 number or
// "#rrggbb"; nil for none.
func glamourColor(s string) ansi.Color {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 255 {
		return ansi.IndexedColor(n)
	}
	if c := ansi.XParseColor(s); c != nil {
		return c
	}
	return nil
}

// DrawLinkSections draws link sections as lines to go under a rendering of
// the given width and style, the same way wherever a story is shown: a
// blank line and a "## Heading" before each section that has entries,
// then "• [n] text — URL" on one line where it fits, else the text
// wrapped and the URL on a line of its own, cut in its middle (FitURL)
// rather than wrapped, which broke it at a dot. An openable URL is an
// OSC 8 hyperlink to itself, whole.
func DrawLinkSections(sections []LinkSection, width int, style Style) ([]string, error) {
	st, err := newSectionStyle(style)
	if err != nil {
		return nil, err
	}
	width = clampWidth(width)
	margin := strings.Repeat(" ", documentMargin)
	avail := max(10, width-2*documentMargin)
	var out []string
	for _, s := range sections {
		if len(s.Entries) == 0 {
			continue
		}
		out = append(out, "", margin+st.heading.Styled("## "+sanitize.Line(s.Heading)), "")
		for _, e := range s.Entries {
			for _, l := range st.entryLines(e, avail) {
				out = append(out, margin+l)
			}
		}
	}
	return out, nil
}

func (st sectionStyle) entryLines(e LinkEntry, avail int) []string {
	const indent = "  " // under the text, past the bullet
	const closed = " (not openable)"
	text, target := sanitize.Line(e.Text), sanitize.Line(e.URL)
	number := fmt.Sprintf("• [%d] ", e.N)
	urlWidth := ansi.StringWidth(target)
	if !e.Followable {
		urlWidth += len(closed)
	}
	url := func(width int) string {
		if !e.Followable {
			return st.closed.Styled(strings.TrimRight(FitURL(target, max(1, width-len(closed))), " ") + closed)
		}
		return Hyperlink(target, st.url.Styled(strings.TrimRight(FitURL(target, width), " ")))
	}
	if text == "" || text == target {
		return []string{st.body.Styled(number) + url(avail-ansi.StringWidth(number))}
	}
	whole := number + text + " — "
	if ansi.StringWidth(whole)+urlWidth <= avail {
		return []string{st.body.Styled(whole) + url(urlWidth)}
	}
	var lines []string
	for i, l := range strings.Split(ansi.Wrap(number+text, avail, ""), "\n") {
		if i > 0 {
			l = indent + l
		}
		lines = append(lines, st.body.Styled(l))
	}
	return append(lines, indent+url(avail-len(indent)))
}

// FitURL cuts a URL too long for width in its middle, keeping the scheme
// and host and, above all, the end, or pads it to exactly width cells.
func FitURL(u string, width int) string {
	w := ansi.StringWidth(u)
	switch {
	case width <= 0:
		return ""
	case w <= width:
		return u + strings.Repeat(" ", width-w)
	case width < 8:
		return ansi.TruncateLeft(u, w-width, "")
	}
	head := (width - 1) / 3
	if _, rest, ok := strings.Cut(u, "://"); ok {
		if slash := strings.IndexByte(rest, '/'); slash >= 0 {
			head = min(len(u)-len(rest)+slash+1, (width-1)/2)
		}
	}
	tail := width - 1 - head
	return ansi.Truncate(u, head, "") + "…" + ansi.TruncateLeft(u, w-tail, "")
}
