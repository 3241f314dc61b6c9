package filter

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds the parser anything: it must never panic, an error must
// point inside the input (or just past it), and an expression it accepts
// must evaluate without panicking and read back, through String, as the
// same tree.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`unread = "yes" and tags # "tech"`,
		`( unread_count > 0 and unread_count < 10 ) or total_count > 100`,
		`( author =~ "Frank" or author =~ "John" ) and ( title =~ "Linux" or title =~ "FreeBSD" )`,
		`rssurl =~ "^https:"`, `age between 0:10`, `title =~ "Sponsored"`, `flags # "s"`,
		`title = "say \"hi\" \\ there"`, `date < "2024-05-01"`, `x = 42and y=0`, `a=42and(y=0)`,
		`((title = "b")))`, `title =~ "[["`, `age between -100:-1`, `content !~ "\<ad\>"`,
		`title = "ü" and 名前 = 1`, "title\t= \"v\"", `tags !# ""`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse(%q): %T %v, want a *SyntaxError", src, err, err)
			}
			if se.Column < 1 || se.Column > utf8.RuneCountInString(src)+1 {
				t.Fatalf("Parse(%q): column %d is outside the input", src, se.Column)
			}
			return
		}
		r := record()
		e.Match(r)
		r.Feed = nil
		e.Match(r)
		written := e.Root.String()
		again, err := Parse(written)
		if err != nil {
			t.Fatalf("Parse(%q) accepted, but its tree %q does not parse: %v", src, written, err)
		}
		if again.Root.String() != written {
			t.Fatalf("Parse(%q): tree %q reads back as %q", src, written, again.Root.String())
		}
		if strings.TrimSpace(src) == "" {
			t.Fatalf("Parse accepted the blank expression %q", src)
		}
	})
}
