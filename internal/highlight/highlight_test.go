package highlight

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
)

var testStyle = chroma.MustNewStyle("test", chroma.StyleEntries{
	chroma.Keyword:       "#ff0000",
	chroma.LiteralString: "#00ff00",
	chroma.Comment:       "#0000ff",
})

// Every embedded lexer loads and tokenises, and every lexer another one
// hands text to ("using") is embedded too: chroma panics on a missing one.
func TestEveryLexerLoads(t *testing.T) {
	names := registry().Names(false)
	if len(names) < 60 {
		t.Fatalf("%d lexers: %v", len(names), names)
	}
	using := regexp.MustCompile(`using lexer="([^"]+)"`)
	files, err := embedded.ReadDir("lexers")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := embedded.ReadFile("lexers/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range using.FindAllStringSubmatch(string(data), -1) {
			if Lexer(m[1]) == nil {
				t.Errorf("%s hands text to %q, which is not embedded", f.Name(), m[1])
			}
		}
	}
	for _, name := range names {
		if _, err := Lexer(name).Tokenise(nil, "x = 1\n"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestWriteHighlights(t *testing.T) {
	for _, tc := range []struct{ language, code string }{
		{"go", "package main\n\n// hi\nfunc main() { s := `raw`; _ = s }\n"},
		{"golang", "func f() {}\n"},
		{"python", "def f():\n    return 'x'  # c\n"},
		{"sh", "echo \"hi\" && ls\n"},
		{"javascript", "const a = \"b\";\n"},
		{"", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n"}, // guessed: Go
	} {
		var b strings.Builder
		if err := Write(&b, tc.code, tc.language, "terminal256", testStyle); err != nil {
			t.Fatalf("%q: %v", tc.language, err)
		}
		if !strings.Contains(b.String(), "\x1b[38;5;") {
			t.Errorf("%q: no colours in %q", tc.language, b.String())
		}
	}
	// Unknown languages and no formatter still write the code.
	var b strings.Builder
	if err := Write(&b, "just words\n", "no-such-language", "no-such-formatter", testStyle); err != nil || !strings.Contains(b.String(), "just words") {
		t.Errorf("fallback: %q, %v", b.String(), err)
	}
	if Lexer("no-such-language") != nil || Lexer("Go") == nil || Lexer("text") == nil {
		t.Error("Lexer lookup")
	}
}

// TestNoChromaRegistries checks that byline does not link chroma's lexers,
// styles or quick packages (through glamour or otherwise): their package
// initialisation took 27 ms of every command's start.
func TestNoChromaRegistries(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/bylinehq/byline").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch pkg {
		case "github.com/alecthomas/chroma/v2/lexers", "github.com/alecthomas/chroma/v2/styles",
			"github.com/alecthomas/chroma/v2/quick", "charm.land/glamour/v2", "charm.land/glamour/v2/ansi":
			t.Errorf("byline links %s, whose start-up cost package highlight exists to avoid", pkg)
		}
	}
}
