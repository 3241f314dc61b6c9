package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/config"
)

// palette is how the TUI is coloured: dark or light background, or plain
// (NO_COLOR, or theme = "plain"), which uses only bold, faint, underline and
// reverse.
type palette int

const (
	paletteDark palette = iota
	paletteLight
	palettePlain
)

// articleStyle is the renderer's style for the palette.
func (p palette) articleStyle() article.Style {
	switch p {
	case paletteLight:
		return article.StyleLight
	case palettePlain:
		return article.StylePlain
	}
	return article.StyleDark
}

// choosePalette resolves the theme setting. fixed is false for "auto",
// whose answer comes from the terminal's background colour; until then (and
// from a terminal that never answers) it is what COLORFGBG says, else dark.
func choosePalette(theme config.Theme, noColor bool, colorfgbg string) (p palette, fixed bool) {
	switch {
	case noColor || theme == config.ThemePlain:
		return palettePlain, true
	case theme == config.ThemeLight:
		return paletteLight, true
	case theme == config.ThemeDark:
		return paletteDark, true
	}
	if dark, known := config.DarkBackground(colorfgbg); known && !dark {
		return paletteLight, false
	}
	return paletteDark, false
}

// Styles is every style the views use, for one palette.
type Styles struct {
	palette palette

	Title       lipgloss.Style // screen and article titles
	Normal      lipgloss.Style
	Dim         lipgloss.Style // ages, feed names, placeholders
	Unread      lipgloss.Style // unread titles and counts
	UnreadDot   lipgloss.Style
	Star        lipgloss.Style
	Selected    lipgloss.Style // the cursor row of the focused list
	SelectedDim lipgloss.Style // the cursor row of an unfocused list
	Failed      lipgloss.Style // the marker of a feed whose refresh failed
	Error       lipgloss.Style
	Status      lipgloss.Style // the status line
	Offline     lipgloss.Style
	Link        lipgloss.Style // the highlighted link marker in the reader
	URL         lipgloss.Style
	Divider     lipgloss.Style
	Notice      lipgloss.Style

	Help     help.Styles
	Input    textinput.Styles
	Progress []progress.Option
}

// NewStyles builds the styles for a palette.
func NewStyles(p palette) Styles {
	if p == palettePlain {
		return plainStyles()
	}
	ld := lipgloss.LightDark(p == paletteDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B9A7FF"))
	dim := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A"))
	fg := ld(lipgloss.Color("#1A1A1A"), lipgloss.Color("#E4E4E4"))
	red := ld(lipgloss.Color("#B00020"), lipgloss.Color("#FF6B6B"))
	yellow := ld(lipgloss.Color("#9A6700"), lipgloss.Color("#F2C94C"))
	selBg := ld(lipgloss.Color("#DCD6F7"), lipgloss.Color("#3A3363"))
	dimBg := ld(lipgloss.Color("#EDEDED"), lipgloss.Color("#2A2A2A"))
	barBg := ld(lipgloss.Color("#E8E8E8"), lipgloss.Color("#262626"))

	input := textinput.DefaultStyles(p == paletteDark)
	input.Cursor.Blink = false // a blinking cursor would make every frame differ
	return Styles{
		palette:     p,
		Title:       lipgloss.NewStyle().Bold(true).Foreground(accent),
		Normal:      lipgloss.NewStyle().Foreground(fg),
		Dim:         lipgloss.NewStyle().Foreground(dim),
		Unread:      lipgloss.NewStyle().Bold(true).Foreground(fg),
		UnreadDot:   lipgloss.NewStyle().Foreground(accent),
		Star:        lipgloss.NewStyle().Foreground(yellow),
		Selected:    lipgloss.NewStyle().Bold(true).Foreground(fg).Background(selBg),
		SelectedDim: lipgloss.NewStyle().Foreground(fg).Background(dimBg),
		Failed:      lipgloss.NewStyle().Bold(true).Foreground(red),
		Error:       lipgloss.NewStyle().Bold(true).Foreground(red),
		Status:      lipgloss.NewStyle().Foreground(fg).Background(barBg),
		Offline:     lipgloss.NewStyle().Bold(true).Foreground(yellow).Background(barBg),
		Link:        lipgloss.NewStyle().Reverse(true).Bold(true),
		URL:         lipgloss.NewStyle().Foreground(dim).Underline(true),
		Divider:     lipgloss.NewStyle().Foreground(dim),
		Notice:      lipgloss.NewStyle().Italic(true).Foreground(yellow),
		Help:        help.DefaultStyles(p == paletteDark),
		Input:       input,
		Progress:    []progress.Option{progress.WithColors(accent), progress.WithWidth(20)},
	}
}

func plainStyles() Styles {
	plain := lipgloss.NewStyle()
	bold := plain.Bold(true)
	input := textinput.DefaultStyles(true)
	input.Focused.Prompt, input.Focused.Text, input.Focused.Placeholder = plain, plain, plain.Faint(true)
	input.Blurred = input.Focused
	input.Cursor.Color = nil
	input.Cursor.Blink = false
	noColor := func(float64, float64) color.Color { return lipgloss.NoColor{} }
	return Styles{
		palette:     palettePlain,
		Title:       bold,
		Normal:      plain,
		Dim:         plain.Faint(true),
		Unread:      bold,
		UnreadDot:   bold,
		Star:        bold,
		Selected:    plain.Reverse(true),
		SelectedDim: plain.Underline(true),
		Failed:      bold,
		Error:       bold,
		Status:      plain.Reverse(true),
		Offline:     bold.Reverse(true),
		Link:        plain.Reverse(true).Underline(true),
		URL:         plain.Underline(true),
		Divider:     plain,
		Notice:      plain.Italic(true),
		Help: help.Styles{
			ShortKey: bold, ShortDesc: plain, ShortSeparator: plain.Faint(true), Ellipsis: plain,
			FullKey: bold, FullDesc: plain, FullSeparator: plain.Faint(true),
		},
		Input:    input,
		Progress: []progress.Option{progress.WithColorFunc(noColor), progress.WithFillCharacters('#', '.'), progress.WithWidth(20)},
	}
}
