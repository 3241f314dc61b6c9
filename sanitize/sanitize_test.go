package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"clean ASCII", "Hello, world.\n\tIndented.", "Hello, world.\n\tIndented."},
		{"clean Unicode", "Grüße — 日本語 ☕ \u200e\u200f", "Grüße — 日本語 ☕ \u200e\u200f"},
		{"CSI colour", "a\x1b[31;1mred\x1b[0m b", "ared b"},
		{"CSI private mode", "x\x1b[?1049hy", "xy"},
		{"CSI cut short by a control", "x\x1b[31\ny", "x\ny"},
		{"CSI unterminated", "x\x1b[12;", "x"},
		{"OSC title with BEL", "a\x1b]0;pwned\x07b", "ab"},
		{"OSC 52 clipboard with ST", "a\x1b]52;c;ZXZpbA==\x1b\\b", "ab"},
		{"OSC hyperlink", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"OSC unterminated swallows the rest", "a\x1b]0;title and more", "a"},
		{"OSC ended by a new ESC", "a\x1b]0;t\x1b[1mb", "ab"},
		{"OSC aborted by CAN", "a\x1b]0;t\x18b", "ab"},
		{"DCS", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"SOS PM APC", "a\x1bXsos\x1b\\b\x1b^pm\x1b\\c\x1b_apc\x1b\\d", "abcd"},
		{"two-byte ESC", "a\x1bcb\x1b7c\x1b=d", "abcd"},
		{"charset designation", "a\x1b(Bb\x1b)0c", "abc"},
		{"lone ESC at end", "abc\x1b", "abc"},
		{"ESC before non-ASCII", "a\x1bé", "aé"},
		{"double ESC", "a\x1b\x1b[1mb", "ab"},
		{"C1 CSI", "a\u009b31mb", "ab"},
		{"C1 OSC to C1 ST", "a\u009d0;t\u009cb", "ab"},
		{"C1 DCS to BEL", "a\u0090q\x07b", "ab"},
		{"C1 APC unterminated", "a\u009fxyz", "a"},
		{"other C1 dropped", "a\u0085b\u0080c\u009cd", "abcd"},
		{"C0 controls", "a\x00b\x01c\x07d\x08e\x0bf\x0cg\x7fh", "abcdefgh"},
		{"CRLF", "one\r\ntwo\rthree\n", "one\ntwothree\n"},
		{"bidi overrides and isolates", "a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j", "abcdefghij"},
		{"LRM RLM ALM kept", "a\u200eb\u200fc\u061cd", "a\u200eb\u200fc\u061cd"},
		{"invalid UTF-8", "a\xffb\xc3(c", "a\ufffdb\ufffd(c"},
		{"raw 8-bit CSI byte", "a\x9b31mb", "a\ufffd31mb"},
		{"truncated rune", "ab\xe6\x97", "ab\ufffd\ufffd"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"clean", "A title: with words", "A title: with words"},
		{"newlines and tabs", "A\ntitle\twith\r\nbreaks", "A title with breaks"},
		{"runs and trim", "   spaced    out  ", "spaced out"},
		{"Unicode spaces", "a\u00a0\u00a0b\u2028c\u3000d", "a b c d"},
		{"escape then space", "a \x1b[1m b", "a b"},
		{"control between words", "a\x00b", "ab"},
		{"only space", " \t\n ", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanInputIsNotCopied(t *testing.T) {
	for _, s := range []string{"plain", "Grüße\n\tmehr", strings.Repeat("日本語 ", 100)} {
		if n := testing.AllocsPerRun(10, func() { _ = Text(s) }); n != 0 {
			t.Errorf("Text(%q) allocated %v times", s, n)
		}
	}
	if n := testing.AllocsPerRun(10, func() { _ = Line("A clean — title") }); n != 0 {
		t.Errorf("Line allocated %v times on a clean title", n)
	}
}

// checkSafe reports what in out could still reach a terminal as a control:
// ESC and every other C0 control but newline and tab (none at all for one
// line), DEL, the C1 controls U+0080–U+009F, the bidi embeddings and
// overrides U+202A–U+202E and the isolates U+2066–U+2069, or invalid UTF-8.
func checkSafe(t *testing.T, fn, in, out string, oneLine bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%s(%q) = %q: invalid UTF-8", fn, in, out)
	}
	for _, r := range out {
		bad := r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || isC1(r) || isBidiControl(r)
		if oneLine && (r == '\n' || r == '\t') {
			bad = true
		}
		if bad {
			t.Fatalf("%s(%q) = %q: contains %U", fn, in, out, r)
		}
	}
	if oneLine && (strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ")) {
		t.Fatalf("%s(%q) = %q: untrimmed or doubled spaces", fn, in, out)
	}
}

func FuzzText(f *testing.F) {
	for _, seed := range []string{
		"", "plain text", "a\x1b[31mb", "\x1b]0;t\x07", "\x1b]52;c;Zm9v\x1b\\", "\x1bP1$r\x1b\\",
		"\u009b1m\u009d0;x\u009c", "\u202etxt.exe", "\xff\xfe\xc3", "a\r\nb\rc", "\x1b\x1b[\x1b]",
		" lead  and\ttrail \n", "\x1b(B\x1b)0", "\xc2\x9c\xc2", "a\u2066b\u2069",
		"\x1b]8;;https://evil.example/\x1b\\x\x1b]8;;\x1b\\", "\x1b_Gf=100;AAAA\x1b\\", "\x1bPq\x18x", "\u009b\x1b[1m",
		"\x1b\u009b", "\u202a\u202b\u202c\u202d\u202e\u2067\u2068", "\u00a0\u2028x\u3000", "\xe2\x80\xae", "\xed\xa0\x80",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		text := Text(in)
		checkSafe(t, "Text", in, text, false)
		if again := Text(text); again != text {
			t.Fatalf("Text not idempotent: %q → %q → %q", in, text, again)
		}
		line := Line(in)
		checkSafe(t, "Line", in, line, true)
		if again := Line(line); again != line {
			t.Fatalf("Line not idempotent: %q → %q → %q", in, line, again)
		}
		// Line is Text plus white space folding, in either order.
		if viaText := Line(text); viaText != line {
			t.Fatalf("Line(Text(%q)) = %q, Line = %q", in, viaText, line)
		}
		if Text(line) != line {
			t.Fatalf("Text changes Line's output %q", line)
		}
	})
}

func BenchmarkText(b *testing.B) {
	clean := strings.Repeat("<p>A paragraph of article text, with “quotes” and ünïcödé.</p>\n", 64)
	dirty := strings.Repeat("<p>Text with \x1b[1mbold\x1b[0m and a\r\nCRLF.</p>\n", 64)
	for _, bc := range []struct{ name, in string }{{"clean", clean}, {"dirty", dirty}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.in)))
			b.ReportAllocs()
			for b.Loop() {
				_ = Text(bc.in)
			}
		})
	}
}

func BenchmarkLine(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"clean", "Why the terminal is still the best place to read the news"},
		{"dirty", "  Why the terminal\n is still\tthe best place  "},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Line(bc.in)
			}
		})
	}
}
