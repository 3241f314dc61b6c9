// Package sanitize makes strings from the network safe to store and to print
// on a terminal. A feed title is attacker-controlled text that ends up on the
// user's screen: an escape sequence in it could retitle the window, rewrite
// the clipboard (OSC 52) or hide text, and a bidi override could make a link
// read differently from where it goes. Every string from a feed or a web page
// passes through Text or Line before it is stored or shown.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text makes s safe to store and print while keeping its line structure.
//
// Invalid UTF-8 becomes U+FFFD. Escape sequences are removed whole, in their
// 7-bit form (CSI "ESC [", OSC "ESC ]", DCS/SOS/PM/APC "ESC P/X/^/_" strings
// up to BEL or ST, and two- or three-byte "ESC x" sequences) and in their
// 8-bit C1 form (U+009B, U+009D, U+0090, ...). Every other C0 control except
// newline and tab, DEL, every C1 control, and the bidi embedding, override
// and isolate controls are removed; CR is dropped, so CRLF becomes LF. LRM and
// RLM are kept: they only nudge the direction of neutral characters and
// cannot reorder a whole line.
//
// A string that is already clean is returned as is, without allocating.
func Text(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == esc:
			i = skipEscape(s, i+1)
		case c < 0x20 && c != '\n' && c != '\t', c == del:
			i++
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b.WriteRune(utf8.RuneError)
			case r == c1CSI:
				size += controlSequenceLen(s[i+size:])
			case r == c1OSC, r == c1DCS, r == c1SOS, r == c1PM, r == c1APC:
				size += controlStringLen(s[i+size:])
			case isC1(r), isBidiControl(r):
			default:
				b.WriteString(s[i : i+size])
			}
			i += size
		}
	}
	return b.String()
}

// Line is Text for one-line fields such as titles, authors and feed names:
// newlines, tabs and other white space become single spaces, and the result
// is trimmed. A string that is already clean is returned as is.
func Line(s string) string {
	if isCleanLine(s) {
		return s
	}
	return strings.Join(strings.Fields(Text(s)), " ")
}

const (
	esc = 0x1b
	bel = 0x07
	can = 0x18 // cancels a control string on VT-compatible terminals
	sub = 0x1a // likewise
	del = 0x7f

	c1DCS = 0x90
	c1SOS = 0x98
	c1ST  = 0x9c
	c1CSI = 0x9b
	c1OSC = 0x9d
	c1PM  = 0x9e
	c1APC = 0x9f
)

// needsLook marks the bytes that may start something Text changes: C0
// controls other than newline and tab, DEL, and the lead bytes of the C1
// controls (0xC2) and of the bidi controls (0xE2). A table lookup per byte
// keeps the scan of long, clean article bodies cheap.
var needsLook = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = c != '\n' && c != '\t'
	}
	t[del], t[0xc2], t[0xe2] = true, true, true
	return t
}()

// isClean reports whether Text would return s unchanged.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if !needsLook[s[i]] {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		if r < 0x20 || r == del || isC1(r) || isBidiControl(r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// isCleanLine reports whether Line would return s unchanged: it is clean for
// Text, and its only white space is single ASCII spaces between other
// characters.
func isCleanLine(s string) bool {
	if !isClean(s) {
		return false
	}
	prevSpace := true // a leading space is not clean
	for _, r := range s {
		space := isSpace(r)
		if space && (r != ' ' || prevSpace) {
			return false
		}
		prevSpace = space
	}
	return !prevSpace || s == ""
}

// isSpace matches what strings.Fields splits on, with an ASCII fast path.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || ('\t' <= r && r <= '\r')
	}
	return unicode.IsSpace(r)
}

func isC1(r rune) bool { return 0x80 <= r && r <= 0x9f }

// isBidiControl matches the embedding and override controls (LRE, RLE, PDF,
// LRO, RLO) and the isolates (LRI, RLI, FSI, PDI).
func isBidiControl(r rune) bool {
	return (0x202a <= r && r <= 0x202e) || (0x2066 <= r && r <= 0x2069)
}

// skipEscape returns the index just past the escape sequence whose ESC
// precedes s[i]. A lone ESC, or one followed by something that cannot
// continue a sequence, is dropped by itself.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return i + 1 + controlSequenceLen(s[i+1:])
	case c == ']', c == 'P', c == 'X', c == '^', c == '_':
		return i + 1 + controlStringLen(s[i+1:])
	case 0x20 <= c && c <= 0x2f:
		// nF sequences such as "ESC ( B": intermediates, then one final byte.
		for i < len(s) && 0x20 <= s[i] && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && 0x30 <= s[i] && s[i] <= 0x7e {
			i++
		}
		return i
	case 0x30 <= c && c <= 0x7e:
		return i + 1
	default:
		return i
	}
}

// controlSequenceLen returns the length of the CSI body at the start of s:
// parameter and intermediate bytes up to and including the final byte. A
// byte that cannot belong to the sequence ends it early and is kept.
func controlSequenceLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 0x20 <= c && c <= 0x3f:
		case 0x40 <= c && c <= 0x7e:
			return i + 1
		default:
			return i
		}
	}
	return len(s)
}

// controlStringLen returns the length of an OSC, DCS, SOS, PM or APC body at
// the start of s, including its terminator: BEL, ST (ESC \ or U+009C), or CAN
// or SUB, which abort it. Another ESC also ends it but is kept, as it starts
// a new sequence. An unterminated string runs to the end of s, as it would
// swallow the rest of the output on a terminal.
func controlStringLen(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case bel, can, sub:
			return i + 1
		case esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case 0xc2:
			if i+1 < len(s) && s[i+1] == c1ST {
				return i + 2
			}
		}
	}
	return len(s)
}
