package ui

import (
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/config"
)

// TestColorFGBGWhenTheTerminalDoesNotAnswer: with theme = "auto" and a
// terminal that never answers the background query, COLORFGBG (which
// says the background is light) was ignored and the reader stayed dark.
// It is the first guess; an answer from the terminal still wins.
func TestColorFGBGWhenTheTerminalDoesNotAnswer(t *testing.T) {
	f := newFixture(t)
	s := testSettings()
	s.Theme = config.ThemeAuto
	deps := f.deps()
	deps.Getenv = func(k string) string {
		if k == "COLORFGBG" {
			return "0;15"
		}
		return ""
	}
	h := newHarness(t, deps, s, 80, 24)
	if h.m.palette != paletteLight {
		t.Fatalf("COLORFGBG=0;15: palette %d, want light", h.m.palette)
	}
	h.send(tea.BackgroundColorMsg{Color: color.Black})
	if h.m.palette != paletteDark {
		t.Fatalf("the terminal answered black: palette %d, want dark", h.m.palette)
	}
	s.Theme = config.ThemeDark
	if h := newHarness(t, deps, s, 80, 24); h.m.palette != paletteDark {
		t.Fatal("COLORFGBG overrode theme = dark")
	}
}
