package picture

import (
	"bytes"
	"strconv"
	"strings"
)

// Queries for Detect, sent together: a kitty graphics query (a 1×1 image
// that is checked and not kept; a terminal without the protocol ignores
// it), the primary device attributes (DA1, which every terminal answers,
// and which lists 4 when it draws sixel), and the cell size in pixels.
// The DA1 answer comes last, so it says that the others are in.
const (
	KittyQueryID = 31
	Queries      = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\" + "\x1b[16t" + "\x1b[c"
)

// Terminal is what is known of the terminal: its environment and what it
// answered to Queries.
type Terminal struct {
	Getenv func(string) string
	// Kitty is set when the kitty graphics query was answered OK.
	Kitty bool
	// Sixel is set when DA1 listed sixel graphics (4).
	Sixel bool
	// TrueColor is set when the terminal shows 24-bit colour.
	TrueColor bool
}

// InTmux reports whether byline runs inside tmux, which shows the text
// but keeps escape sequences it does not know from the outer terminal
// unless they are wrapped in its passthrough.
func (t Terminal) InTmux() bool {
	return t.env("TMUX") != "" || strings.HasPrefix(t.env("TERM"), "tmux")
}

func (t Terminal) env(key string) string {
	if t.Getenv == nil {
		return ""
	}
	return t.Getenv(key)
}

// Detect picks the mode for ModeAuto. NO_COLOR and dumb terminals get the
// text placeholder. Inside tmux, half blocks, unless the kitty query came
// back through tmux's passthrough (kitty placeholders are text to tmux,
// so they scroll with the pane). iTerm2 and WezTerm get iTerm2 images
// (WezTerm answers the kitty query but cannot show its placeholders);
// Konsole, whose kitty support has no placeholders either, gets sixel.
// Then the kitty protocol, sixel, and half blocks on a truecolor terminal.
func Detect(t Terminal) Mode {
	term, program := t.env("TERM"), t.env("TERM_PROGRAM")
	switch {
	case t.env("NO_COLOR") != "" || term == "dumb":
		return ModeNone
	case t.InTmux():
		if t.Kitty {
			return ModeKitty
		}
		return ModeHalfBlocks
	case program == "iTerm.app" || program == "WezTerm" || t.env("LC_TERMINAL") == "iTerm2":
		return ModeITerm
	case t.env("KONSOLE_VERSION") != "" && t.Sixel:
		return ModeSixel
	case t.Kitty || term == "xterm-kitty" || term == "xterm-ghostty" || program == "ghostty":
		return ModeKitty
	case t.Sixel:
		return ModeSixel
	case t.TrueColor:
		return ModeHalfBlocks
	}
	return ModeNone
}

// Replies reads what a terminal answered to Queries: whether the kitty
// query came back OK, whether DA1 listed sixel, the cell size if given,
// and whether DA1 (the last answer) has come at all.
func Replies(b []byte) (t Terminal, cell Cell, done bool) {
	if bytes.Contains(b, []byte("\x1b_Gi="+strconv.Itoa(KittyQueryID)+";OK\x1b\\")) {
		t.Kitty = true
	}
	if i := bytes.Index(b, []byte("\x1b[6;")); i >= 0 {
		if end := bytes.IndexByte(b[i:], 't'); end > 0 {
			hw := strings.Split(string(b[i+4:i+end]), ";")
			if len(hw) == 2 {
				h, herr := strconv.Atoi(hw[0])
				w, werr := strconv.Atoi(hw[1])
				if herr == nil && werr == nil && w > 0 && h > 0 && w < 1000 && h < 1000 {
					cell = Cell{Width: w, Height: h}
				}
			}
		}
	}
	if i := bytes.Index(b, []byte("\x1b[?")); i >= 0 {
		if end := bytes.IndexByte(b[i:], 'c'); end > 0 {
			done = true
			for _, attr := range strings.Split(string(b[i+3:i+end]), ";") {
				if attr == "4" {
					t.Sixel = true
				}
			}
		}
	}
	return t, cell, done
}

// HasSixel reports whether primary device attributes list sixel graphics.
func HasSixel(attrs []int) bool {
	for _, a := range attrs {
		if a == 4 {
			return true
		}
	}
	return false
}
