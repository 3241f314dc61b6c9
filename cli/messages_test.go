package cli_test

import (
	"strings"
	"testing"
)

// oneLine fails the test unless out is exactly one line, as typed: no
// styling, no padding to the terminal's width.
func oneLine(t *testing.T, what, out string) string {
	t.Helper()
	line, rest, _ := strings.Cut(out, "\n")
	if rest != "" || line == "" {
		t.Errorf("%s: want one line on stderr, got %q", what, out)
	}
	if strings.TrimRight(line, " ") != line {
		t.Errorf("%s: the line is padded: %q", what, line)
	}
	return line
}

// TestErrorsAreOneLineAsTyped: fang's styling title-cased the first word of
// every error (a path came out as /Tmp/X/Config.toml, a flag as --Feed),
// padded it to the terminal's width and framed it in an ERROR block.
func TestErrorsAreOneLineAsTyped(t *testing.T) {
	h := newHome(t, "# none\n")
	line := oneLine(t, "list --feed nosuch", h.fails("list", "--feed", "nosuch"))
	if !strings.HasPrefix(line, `byline: --feed "nosuch": `) {
		t.Errorf("list --feed nosuch: %q", line)
	}

	h.write("config.toml", "jobs = 8\njobz = 3\n")
	line = oneLine(t, "bad config", h.fails("list"))
	if want := "byline: " + h.dir + "/config.toml:2: "; !strings.HasPrefix(line, want) {
		t.Errorf("bad config: %q, want it to start with %q", line, want)
	}
}

// TestHelpShowsValuesAsTyped: the help printed pflag's `NAME` backticks
// literally and title-cased the first word of each flag's description, so
// --format's values read "`Text`, markdown, ansi or json".
func TestHelpShowsValuesAsTyped(t *testing.T) {
	h := newHome(t, "# none\n")
	for _, cmd := range []string{"", "add", "remove", "import", "export", "refresh", "feeds", "list", "search", "mark", "purge", "read", "links"} {
		args := []string{"--help"}
		if cmd != "" {
			args = []string{cmd, "--help"}
		}
		if out := h.ok(args...); strings.Contains(out, "`") {
			t.Errorf("byline %s --help prints a backtick:\n%s", cmd, out)
		}
	}
	read := h.ok("read", "--help")
	for _, want := range []string{"text, markdown, ansi or json", "dark, light or plain"} {
		if !strings.Contains(read, want) {
			t.Errorf("read --help lacks %q as typed:\n%s", want, read)
		}
	}
}
