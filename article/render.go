package article

import (
	"fmt"
	"strings"

	"github.com/bylinehq/byline/internal/glamour"
	"github.com/bylinehq/byline/internal/glamour/styles"
	"github.com/bylinehq/byline/news"
)

// Style is the look of a rendering: "dark" or "light" for the terminal's
// background, "plain" for no colours.
type Style string

const (
	StyleDark  Style = "dark"
	StyleLight Style = "light"
	StylePlain Style = "plain"
)

func (s Style) glamourStyle() (string, error) {
	switch s {
	case StyleDark:
		return styles.DarkStyle, nil
	case StyleLight:
		return styles.LightStyle, nil
	case StylePlain:
		return styles.NoTTYStyle, nil
	}
	return "", fmt.Errorf("unknown style %q (want dark, light or plain)", string(s))
}

// Widths outside these bounds are clamped: glamour pads every line to the
// width, so a huge one costs time and memory for nothing.
const (
	minRenderWidth = 20
	maxRenderWidth = 400
)

// Render returns the article's MarkdownDocument rendered for a terminal
// width wide: glamour draws the document but its link lists, which come
// after it as DrawLinkSections draws them. The output holds no escape
// sequences but colours and OSC 8 hyperlinks to validated http(s) URLs.
// It keeps nothing: the reader in the TUI keeps its renderings, prepared
// for the screen, in the one cache it has (ui's renderCache).
func Render(a *Article, width int, style Style) (string, error) {
	out, err := RenderPictures(a, width, style, Pictures{})
	return out.Text, err
}

// RenderPictures is Render with the article's kept pictures drawn as pics
// says, each above its "[image: alt] [n]" line, which stays as its
// caption, and the lead image under the headline.
func RenderPictures(a *Article, width int, style Style, pics Pictures) (Rendering, error) {
	name, err := style.glamourStyle()
	if err != nil {
		return Rendering{}, err
	}
	width = clampWidth(width)
	sections, err := DrawLinkSections(a.linkSections(), width, style)
	if err != nil {
		return Rendering{}, err
	}
	var (
		marked []*news.Picture
		drawn  func() []drawnPicture
	)
	if pics.draws() {
		a, marked = a.withPictureMarks()
		drawn = drawAhead(marked, width, pics)
	}
	// A TermRenderer is not safe for concurrent use, and building one takes
	// microseconds next to the milliseconds of rendering: one per call.
	tr, err := glamour.NewTermRenderer(glamour.WithStandardStyle(name), glamour.WithWordWrap(width))
	if err != nil {
		return Rendering{}, fmt.Errorf("render %s: %w", a.URL, err)
	}
	text, err := tr.Render(expandTabs(a.markdownDocument(false)))
	if drawn != nil {
		defer drawn() // no goroutine outlives the call
	}
	if err != nil {
		return Rendering{}, fmt.Errorf("render %s: %w", a.URL, err)
	}
	text = keepSafeHyperlinks(text)
	r := Rendering{Text: text}
	if len(marked) > 0 {
		r = placePictures(text, marked, drawn(), width, pics)
	}
	if len(sections) > 0 {
		r.Text = strings.TrimRight(r.Text, "\n") + "\n" + strings.Join(sections, "\n") + "\n"
	}
	return r, nil
}

// clampWidth is the width a rendering is made for: 80 when none is given.
func clampWidth(width int) int {
	if width <= 0 {
		width = 80
	}
	return min(max(width, minRenderWidth), maxRenderWidth)
}

// expandTabs replaces tabs (kept in code blocks) with spaces to the next
// multiple of four columns, CommonMark's tab stop. Glamour passes a tab
// through, and on screen it moves the cursor as far as the terminal likes,
// out of the layout's reckoning.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := 4 - col%4
			b.WriteString("    "[:n])
			col += n
		case '\n':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}

// keepSafeHyperlinks drops the OSC 8 hyperlinks glamour made for targets
// other than validated http(s) URLs, keeping their text. The links byline
// writes are validated already, but glamour also links what looks like a
// URL or an e-mail address in the text, and "<javascript:…>" is an
// autolink in Markdown.
func keepSafeHyperlinks(s string) string {
	const open = "\x1b]8;"
	if !strings.Contains(s, open) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	dropping := false // inside a hyperlink whose sequences are dropped
	for {
		i := strings.Index(s, open)
		if i < 0 {
			break
		}
		b.WriteString(s[:i])
		params, rest := s[i+len(open):], ""
		end := strings.IndexAny(params, "\a\x1b")
		if end < 0 {
			// Unterminated: nothing after it can be trusted as text.
			return b.String()
		}
		body := params[:end]
		if params[end] == '\a' {
			rest = params[end+1:]
		} else {
			rest = strings.TrimPrefix(params[end+1:], `\`)
		}
		_, target, _ := strings.Cut(body, ";")
		switch {
		case target == "" && dropping:
			dropping = false
		case target == "" || safeHyperlink(target):
			b.WriteString(s[i : len(s)-len(rest)])
		default:
			dropping = true
		}
		s = rest
	}
	b.WriteString(s)
	return b.String()
}

// Hyperlink is text as an OSC 8 hyperlink to target when target is an
// http(s) URL safe to hand to a terminal, else text as it is.
func Hyperlink(target, text string) string {
	if !safeHyperlink(target) {
		return text
	}
	return "\x1b]8;;" + target + "\x1b\\" + text + "\x1b]8;;\x1b\\"
}

func safeHyperlink(target string) bool {
	resolved, followable, ok := resolveLink(nil, target)
	return ok && followable && resolved == target &&
		(strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://"))
}
