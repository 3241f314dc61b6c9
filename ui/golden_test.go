package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/bylinehq/byline/config"
)

// TestGolden snapshots every screen, ANSI stripped, at two sizes and in
// both palettes, in testdata/TestGolden/*.golden; `go test ./ui -run
// Golden -update` rewrites them.
func TestGolden(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{"feeds", nil},
		{"articles", []string{"enter", "j", "s"}},
		{"reader", []string{"enter", "enter", "tab"}},
		{"links", []string{"enter", "enter", "L", "j"}},
		{"help", []string{"?"}},
		{"feed-info", []string{"G", "e"}},
		// Another feed's list after reading a story: nothing stale beside it.
		{"next-list", []string{"j", "j", "j", "j", "j", "enter", "enter", "esc", "esc", "j", "enter"}},
	}
	sizes := [][2]int{{80, 24}, {140, 40}}
	for _, theme := range []config.Theme{config.ThemeDark, config.ThemeLight} {
		for _, size := range sizes {
			for _, sc := range screens {
				name := fmt.Sprintf("%s_%dx%d_%s", sc.name, size[0], size[1], theme)
				t.Run(name, func(t *testing.T) {
					f := newFixture(t)
					s := testSettings()
					s.Theme = theme
					h := newHarness(t, f.deps(), s, size[0], size[1])
					h.press(sc.keys...)
					golden.RequireEqual(t, h.view())
				})
			}
		}
	}
}
