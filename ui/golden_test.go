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
		name   string
		keys   []string
		synced bool // the cache holds a sync account's feeds too
	}{
		{"feeds", nil, false},
		{"feeds-synced", nil, true},
		{"articles", []string{"enter", "j", "s"}, false},
		{"reader", []string{"enter", "enter", "tab"}, false},
		{"links", []string{"enter", "enter", "L", "j"}, false},
		{"help", []string{"?"}, false},
		{"feed-info", []string{"G", "e"}, false},
		// Another feed's list after reading a story: nothing stale beside it.
		{"next-list", []string{"j", "j", "j", "j", "j", "enter", "enter", "esc", "esc", "j", "enter"}, false},
	}
	sizes := [][2]int{{80, 24}, {140, 40}}
	for _, theme := range []config.Theme{config.ThemeDark, config.ThemeLight} {
		for _, size := range sizes {
			for _, sc := range screens {
				name := fmt.Sprintf("%s_%dx%d_%s", sc.name, size[0], size[1], theme)
				t.Run(name, func(t *testing.T) {
					f := newFixture(t)
					if sc.synced {
						addAccount(t, f.store)
					}
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
