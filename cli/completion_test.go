package cli_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/bylinehq/byline/ui"
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

// TestManPageIsWhole: DESCRIPTION broke mid-sentence (every line of the
// help text became a paragraph), there were no KEYS, FILES, ENVIRONMENT or
// EXAMPLES sections, and `man` was hidden from --help. KEYS comes from the
// reader's key map, as its help screen does.
func TestManPageIsWhole(t *testing.T) {
	h := newHome(t, "")
	out := h.ok("man")
	desc := section(out, "DESCRIPTION")
	if !strings.Contains(desc, "keeps every article in a local cache and lets you read them") {
		t.Errorf("DESCRIPTION breaks a sentence:\n%s", desc)
	}
	for _, name := range []string{"KEYS", "FILES", "ENVIRONMENT", "EXAMPLES"} {
		if strings.TrimSpace(section(out, name)) == "" {
			t.Errorf("byline man: no %s section", name)
		}
	}
	keys := section(out, "KEYS")
	for _, a := range ui.DefaultKeyMap().Actions() {
		for _, k := range a.Binding.Keys() {
			if !strings.Contains(keys, `\fB`+roffEscape(k)+`\fP`) {
				t.Errorf("KEYS lacks key %q of %s", k, a.Name)
			}
		}
		if !strings.Contains(keys, roffEscape(a.Binding.Help().Desc)) || !strings.Contains(keys, a.Name) {
			t.Errorf("KEYS lacks %s (%q)", a.Name, a.Binding.Help().Desc)
		}
	}
	for _, want := range []string{"BYLINE_HOME", "NO_COLOR", "COLORFGBG", "BROWSER", "XDG_CONFIG_HOME"} {
		if !strings.Contains(section(out, "ENVIRONMENT"), want) {
			t.Errorf("ENVIRONMENT lacks %s", want)
		}
	}
	for _, want := range []string{"urls", "config\\&.toml", "byline\\&.db"} {
		if !strings.Contains(section(out, "FILES"), want) {
			t.Errorf("FILES lacks %s", want)
		}
	}
	if strings.Contains(out, "%!") {
		t.Error("byline man: text went through a Printf format (%!)")
	}
	if help := h.ok("--help"); !regexp.MustCompile(`(?m)^\s+man\s`).MatchString(help) {
		t.Errorf("--help does not list man:\n%s", help)
	}
}

// section is the roff text of a man page section, up to the next one.
func section(page, name string) string {
	_, rest, ok := strings.Cut(page, "\n.SH "+name+"\n")
	if !ok {
		return ""
	}
	body, _, _ := strings.Cut(rest, "\n.SH ")
	return body
}

func roffEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\e`), ".", `\&.`)
}
