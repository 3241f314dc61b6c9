package ui

import (
	"strings"
	"testing"
)

// TestFeedListWarningsShowInStatusLine: the CLI printed them before the
// reader's screen, where they were seen only after quitting.
func TestFeedListWarningsShowInStatusLine(t *testing.T) {
	f := newFixture(t)
	deps := f.deps()
	deps.Warnings = []string{"/h/urls:2: `exec:` feeds are not supported", "/h/urls:5: unsupported URL scheme"}
	h := newHarness(t, deps, testSettings(), 200, 24)
	st := h.statusLine()
	for _, w := range deps.Warnings {
		if !strings.Contains(st, w) {
			t.Errorf("status line %q lacks %q", st, w)
		}
	}
}
