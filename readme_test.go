package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeTryItUsesOneHome: the README's "try it" commands used two
// different homes (a fresh mktemp -d, then /tmp/byline-try), so the second
// showed nothing of what the first fetched.
func TestReadmeTryItUsesOneHome(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "throw-away home:")
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(after)
	if !ok || block == nil {
		t.Fatal(`README: no sh block after "throw-away home:"`)
	}
	homes := map[string]bool{}
	runs := 0
	for _, line := range strings.Split(block[1], "\n") {
		if !strings.HasPrefix(line, "go run . ") {
			continue
		}
		runs++
		m := regexp.MustCompile(`--home (\S+)`).FindStringSubmatch(line)
		if m == nil {
			t.Errorf("README try-it line without --home: %q", line)
			continue
		}
		homes[m[1]] = true
	}
	if runs < 2 || len(homes) != 1 {
		t.Errorf("README try-it: %d commands over the homes %v, want two or more commands and one home:\n%s", runs, homes, block[1])
	}
	for h := range homes {
		if strings.Contains(h, "mktemp") {
			t.Errorf("README try-it: --home %s makes a new directory on every command", h)
		}
	}
}
