package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/picture"
)

// pictureState is what the TUI knows of the terminal's pictures and what
// it has sent. The pictures themselves are lines of the reader's body
// (half blocks, kitty placeholders, or blanks for sixel and iTerm2), so
// they scroll and vanish with the text; what is here is what goes out of
// the text's flow. Kitty needs each picture uploaded once, and deleted
// when no page shows it; sixel and iTerm2 pictures are drawn over their
// blank cells after the frame that holds them, and erased (the screen is
// redrawn) as soon as they move. Only Update touches it.
type pictureState struct {
	setting picture.Mode // the images setting
	mode    picture.Mode // what it resolved to
	term    picture.Terminal
	cell    picture.Cell
	// uploaded are the kitty uploads the terminal holds, by image ID.
	uploaded map[uint32]string
	// drawn are the overlaid pictures on screen; pending those to draw
	// when the frame that makes room for them is out (gen names it).
	drawn, pending []overlay
	waiting        bool // for the pending ones
	gen            int
}

// overlay is a sixel or iTerm2 picture at a screen cell (0-based).
type overlay struct {
	x, y int
	seq  string
}

func newPictureState(setting picture.Mode, getenv func(string) string) *pictureState {
	ps := &pictureState{setting: setting, uploaded: map[uint32]string{}}
	ps.term.Getenv = getenv
	ps.term.TrueColor = strings.EqualFold(getenv("COLORTERM"), "truecolor") || strings.EqualFold(getenv("COLORTERM"), "24bit")
	ps.resolve()
	return ps
}

// resolve picks the mode from the setting and what is known so far; for
// "auto" it is refined as the terminal's answers come in.
func (ps *pictureState) resolve() {
	ps.mode = ps.setting
	if ps.setting == picture.ModeAuto || ps.setting == "" {
		ps.mode = picture.Detect(ps.term)
	}
}

// queries are what Init asks the terminal: whether it speaks kitty
// graphics or sixel, and its cell size, for "auto" and for the modes that
// draw pixels. Inside tmux the kitty query goes through its passthrough,
// so that an answer means the passthrough works.
func (ps *pictureState) queries() tea.Cmd {
	switch ps.setting {
	case picture.ModeNone, picture.ModeHalfBlocks, picture.ModeITerm:
		return nil
	}
	q := picture.Queries
	if ps.term.InTmux() {
		kittyQuery, rest, _ := strings.Cut(q, "\x1b\\")
		q = ansi.TmuxPassthrough(kittyQuery+"\x1b\\") + rest
	}
	return tea.Raw(q)
}

// answered takes in the terminal's answers; it reports whether the mode
// changed, so that the page is drawn again.
func (ps *pictureState) answered(msg tea.Msg) (changed, ok bool) {
	before, cell := ps.mode, ps.cell
	switch msg := msg.(type) {
	case tea.ColorProfileMsg:
		ps.term.TrueColor = msg.Profile == colorprofile.TrueColor
		ps.resolve()
		return ps.mode != before, false // others want it too
	case uv.KittyGraphicsEvent:
		if msg.Options.ID != picture.KittyQueryID {
			return false, true
		}
		ps.term.Kitty = string(msg.Payload) == "OK"
	case uv.CellSizeEvent:
		if msg.Width > 0 && msg.Height > 0 {
			ps.cell = picture.Cell{Width: msg.Width, Height: msg.Height}
		}
	case uv.PrimaryDeviceAttributesEvent:
		ps.term.Sixel = picture.HasSixel(msg)
	default:
		return false, false
	}
	ps.resolve()
	return ps.mode != before || ps.cell != cell, true
}

// options are the picture settings a rendering for a screen height uses:
// at most a third of the screen high.
func (ps *pictureState) options(height int) article.Pictures {
	switch ps.mode {
	case picture.ModeNone, picture.ModeAuto, "":
		return article.Pictures{}
	}
	return article.Pictures{Mode: ps.mode, MaxRows: max(3, height/3), Cell: ps.cell}
}

// wrap readies a sequence for the terminal: inside tmux, its passthrough.
func (ps *pictureState) wrap(seq string) string {
	if ps.term.InTmux() {
		return ansi.TmuxPassthrough(seq)
	}
	return seq
}

// overlayDelay is how long after a frame the overlaid pictures follow:
// a few frames at Bubble Tea's 60 a second, so the text they sit in is out.
const overlayDelay = 50 * time.Millisecond

// overlayDueMsg says the frame that makes room for the pending overlaid
// pictures (generation gen) should be on screen.
type overlayDueMsg struct{ gen int }

// sync brings what the terminal holds in line with the screen the model
// shows: kitty uploads for the page's pictures (and deletes for pictures
// of pages left), or the overlaid pictures wholly on screen. want lists
// those; body is the reader's current body, or nil.
func (ps *pictureState) sync(body *renderedBody, want []overlay) tea.Cmd {
	var out strings.Builder
	if ps.mode == picture.ModeKitty || len(ps.uploaded) > 0 {
		current := map[uint32]bool{}
		if ps.mode == picture.ModeKitty && body != nil {
			for _, p := range body.pictures {
				d := p.Drawing
				if d.ID == 0 {
					continue
				}
				current[d.ID] = true
				if ps.uploaded[d.ID] != d.Seq {
					out.WriteString(ps.wrap(d.Seq))
					ps.uploaded[d.ID] = d.Seq
				}
			}
		}
		for id := range ps.uploaded {
			if !current[id] {
				out.WriteString(ps.wrap(picture.DeleteKitty(id)))
				delete(ps.uploaded, id)
			}
		}
	}
	var cmds []tea.Cmd
	if out.Len() > 0 {
		cmds = append(cmds, tea.Raw(out.String()))
	}
	shown := ps.drawn // what the screen has, or soon will
	if ps.waiting {
		shown = ps.pending
	}
	if !slices.Equal(want, shown) {
		ps.gen++
		if len(ps.drawn) > 0 {
			// The renderer writes only cells that change, and a picture's
			// blank cells may stay blank: a full redraw erases it.
			ps.drawn = nil
			cmds = append(cmds, tea.ClearScreen)
		}
		ps.pending, ps.waiting = want, len(want) > 0
		if ps.waiting {
			gen := ps.gen
			cmds = append(cmds, tea.Tick(overlayDelay, func(time.Time) tea.Msg { return overlayDueMsg{gen: gen} }))
		}
	}
	return tea.Batch(cmds...)
}

// due draws the pending overlaid pictures if they are still what the
// screen wants.
func (ps *pictureState) due(msg overlayDueMsg) tea.Cmd {
	if msg.gen != ps.gen || !ps.waiting {
		return nil
	}
	var b strings.Builder
	b.WriteString("\x1b7") // the renderer keeps track of its cursor: put it back
	for _, o := range ps.pending {
		b.WriteString("\x1b[" + strconv.Itoa(o.y+1) + ";" + strconv.Itoa(o.x+1) + "H")
		b.WriteString(ps.wrap(o.seq))
	}
	b.WriteString("\x1b8")
	ps.drawn, ps.pending, ps.waiting = ps.pending, nil, false
	return tea.Raw(b.String())
}

// erased notes that the terminal cleared the screen (a resize): nothing
// overlaid is left on it.
func (ps *pictureState) erased() { ps.drawn = nil }

// cleanup is what quitting sends: kitty's uploads deleted, so the
// terminal does not keep them. (Overlaid pictures go with the alternate
// screen.)
func (ps *pictureState) cleanup() string {
	var b strings.Builder
	for id := range ps.uploaded {
		b.WriteString(ps.wrap(picture.DeleteKitty(id)))
	}
	clear(ps.uploaded)
	return b.String()
}
