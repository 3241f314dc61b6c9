package cli_test

import (
	"regexp"
	"strings"
	"testing"
)

// The completion scripts and the man page are what release archives, the
// Homebrew cask and the Linux packages install (.goreleaser.yaml generates
// them with these same commands).

func TestCompletionScripts(t *testing.T) {
	h := newHome(t, "")
	for _, tc := range []struct {
		shell string
		want  []string
	}{
		{"bash", []string{"__start_byline", "complete -o default -F __start_byline byline"}},
		{"zsh", []string{"#compdef byline", "compdef _byline byline", "_byline()"}},
		{"fish", []string{"complete -c byline", "__byline_perform_completion"}},
	} {
		t.Run(tc.shell, func(t *testing.T) {
			out := h.ok("completion", tc.shell)
			if strings.TrimSpace(out) == "" {
				t.Fatalf("byline completion %s printed nothing", tc.shell)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("byline completion %s: no %q in\n%.400s", tc.shell, w, out)
				}
			}
		})
	}
}

// Completion of subcommand names goes through cobra's hidden __complete
// command, which every script above calls.
func TestCompletionOfCommands(t *testing.T) {
	h := newHome(t, "")
	out := h.ok("__complete", "")
	for _, cmd := range []string{"add", "refresh", "list", "read", "completion"} {
		if !regexp.MustCompile(`(?m)^` + cmd + `\t`).MatchString(out) {
			t.Errorf("__complete '': no %q among\n%s", cmd, out)
		}
	}
	out = h.ok("__complete", "mark", "")
	for _, state := range []string{"read", "unread", "star", "unstar"} {
		if !regexp.MustCompile(`(?m)^` + state + `\b`).MatchString(out) {
			t.Errorf("__complete mark '': no %q among\n%s", state, out)
		}
	}
}

func TestManPage(t *testing.T) {
	h := newHome(t, "")
	out := h.ok("man")
	if !regexp.MustCompile(`(?m)^\.TH BYLINE 1 `).MatchString(out) {
		t.Fatalf("byline man: no .TH BYLINE 1 header; got\n%.400s", out)
	}
	for _, section := range []string{".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH COMMANDS"} {
		if !strings.Contains(out, section) {
			t.Errorf("byline man: no %q", section)
		}
	}
	for _, cmd := range []string{"add", "remove", "import", "export", "refresh", "feeds", "list", "search", "mark", "purge", "read", "links"} {
		if !strings.Contains(out, `\fB`+cmd+`\fP`) {
			t.Errorf("byline man: subcommand %q is not described", cmd)
		}
	}
	if !strings.Contains(out, `\fB--home\fP`) {
		t.Error("byline man: the --home flag is not described")
	}
}
