package ui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkKeyPressOnLongList measures one j or k on a 10,000-article
// list: Update plus the View that draws the next frame (target ≤ 5 ms).
// Page loads the moves ask for run outside the timer, as they run off
// the UI goroutine in the program.
func BenchmarkKeyPressOnLongList(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			h := bigHarness(b, 10_000, size[0], size[1])
			down, up := keyPress("j"), keyPress("k")
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				key := down
				if (i/300)%2 == 1 {
					key = up
				}
				next, cmd := h.m.Update(key)
				h.m = next.(Model)
				_ = h.m.View()
				if cmd != nil {
					b.StopTimer()
					h.run(cmd)
					b.StartTimer()
				}
			}
		})
	}
}

// BenchmarkScrollReader measures one line of scrolling in the reader.
func BenchmarkScrollReader(b *testing.B) {
	f := newFixture(b)
	h := newHarness(b, f.deps(), testSettings(), 140, 40)
	h.press("enter", "enter")
	keys := []tea.KeyPressMsg{keyPress("j"), keyPress("k")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		next, _ := h.m.Update(keys[(i/20)%2])
		h.m = next.(Model)
		_ = h.m.View()
	}
}
