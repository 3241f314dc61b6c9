package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// The rules in sites.toml (and config.toml's [[site]] tables) apply to a
// page of their host, read from a file with --base-url; a broken rule is
// an error naming the file.
func TestReadWithSiteRules(t *testing.T) {
	page, err := filepath.Abs(filepath.Join("..", "article", "testdata", "site-rule.html"))
	if err != nil {
		t.Fatal(err)
	}
	const url = "https://www.harbourgazette.example/news/2026/04/20/ferry-timetable"
	h := newHome(t, "# none\n")
	if out := h.ok("read", page, "--base-url", url); !strings.Contains(out, "Island Holidays") {
		t.Errorf("without rules the partner's box is in the story (the test's premise):\n%s", out)
	}
	h.write("sites.toml", "[[site]]\nhost = \"harbourgazette.example\"\nbody = \"div.txt-block\"\nstrip = [\".box-partner\"]\n")
	out := h.ok("read", page, "--base-url", url)
	if strings.Contains(out, "Island Holidays") || !strings.Contains(out, "every forty minutes") || !strings.Contains(out, "on Friday") {
		t.Errorf("with the rule:\n%s", out)
	}
	h.write("config.toml", "[[site]]\nhost = \"harbourgazette.example\"\nstrip = \"div.txt-block\"\n")
	if out := h.ok("read", page, "--base-url", url); strings.Contains(out, "every forty minutes") {
		t.Errorf("config.toml's rule comes first and strips the story:\n%s", out)
	}
	h.write("sites.toml", "[[site]]\nhost = \"harbourgazette.example\"\nbody = \"div[\"\n")
	h.write("config.toml", "")
	if errOut := h.fails("read", page, "--base-url", url); !strings.Contains(errOut, "sites.toml") || !strings.Contains(errOut, `body "div["`) {
		t.Errorf("a broken rule: %q", errOut)
	}
}
