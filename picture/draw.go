package picture

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/iterm2"
	"github.com/charmbracelet/x/ansi/kitty"
)

// Mode is how pictures are drawn; it is the `images` setting.
type Mode string

const (
	// ModeAuto asks the terminal and picks one of the others (see Detect).
	ModeAuto Mode = "auto"
	// ModeKitty uploads the picture with the kitty graphics protocol and
	// shows it through Unicode placeholders, which are text: they scroll,
	// clip and vanish with the lines around them (kitty, Ghostty).
	ModeKitty Mode = "kitty"
	// ModeSixel draws DEC sixel graphics over blank cells (foot, xterm,
	// mlterm, Windows Terminal, WezTerm, Konsole).
	ModeSixel Mode = "sixel"
	// ModeITerm draws iTerm2 inline images over blank cells (iTerm2,
	// WezTerm).
	ModeITerm Mode = "iterm"
	// ModeHalfBlocks draws with "▀" cells, two pixels each in true colour:
	// plain text that every truecolor terminal, tmux included, can show.
	ModeHalfBlocks Mode = "halfblocks"
	// ModeNone keeps the "[image: alt] [n]" line.
	ModeNone Mode = "none"
)

// Modes lists the settings in the order the help gives them.
var Modes = []Mode{ModeAuto, ModeKitty, ModeSixel, ModeITerm, ModeHalfBlocks, ModeNone}

// ParseMode reads an `images` setting.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("images %q: want auto, kitty, sixel, iterm, halfblocks or none", s)
}

// Overlaid reports whether the mode paints over blank cells, out of the
// text, so that whoever shows the lines must send Drawing.Seq with the
// cursor on the picture's first cell, and erase it when it moves.
func (m Mode) Overlaid() bool { return m == ModeSixel || m == ModeITerm }

// Cell is the size of a terminal cell in pixels; zero fields are unknown.
type Cell struct{ Width, Height int }

// defaultCell is a common cell size, close to most monospace fonts at
// ordinary sizes, for a terminal that does not say.
var defaultCell = Cell{Width: 10, Height: 20}

func (c Cell) orDefault() Cell {
	if c.Width <= 0 || c.Height <= 0 {
		return defaultCell
	}
	return c
}

// Request says how to draw a picture.
type Request struct {
	Mode Mode
	// Cols is the width available, MaxRows the height allowed, in cells.
	Cols, MaxRows int
	Cell          Cell
	// ID names the picture to a kitty terminal: 1 to 2^24-1, unique among
	// the pictures on screen.
	ID uint32
}

// Drawing is a picture laid out in Cols×Rows cells.
type Drawing struct {
	Cols, Rows int
	// Lines are the Rows lines the picture takes in the text, each Cols
	// cells wide: half blocks, kitty placeholders, or blanks for the
	// overlaid modes.
	Lines []string
	// Seq is what the terminal is sent besides the lines: the kitty upload
	// (once, before the lines show), or the sixel or iTerm2 image (with
	// the cursor on the first cell, after the lines show).
	Seq string
	// ID is the kitty image ID the drawing uploads; 0 in other modes.
	ID uint32
}

// Size is the bytes a Drawing holds, for caches.
func (d *Drawing) Size() int {
	n := len(d.Seq)
	for _, l := range d.Lines {
		n += len(l)
	}
	return n
}

// maxPlaceholderCells is how many rows or columns kitty's placeholder
// diacritics can number.
const maxPlaceholderCells = 297

// Draw lays p out for req. ModeAuto and ModeNone draw nothing and are
// errors: the caller resolves the one and skips the other.
func Draw(p *Picture, req Request) (*Drawing, error) {
	if req.Cols <= 0 || req.MaxRows <= 0 {
		return nil, fmt.Errorf("draw picture: no room (%d×%d cells)", req.Cols, req.MaxRows)
	}
	switch req.Mode {
	case ModeHalfBlocks:
		cols, rows := cellBox(p.Width, p.Height, req.Cols, req.MaxRows, Cell{Width: 1, Height: 2})
		img, err := p.imageFor(cols, 2*rows)
		if err != nil {
			return nil, err
		}
		return halfBlocks(resize(img, cols, 2*rows)), nil
	case ModeKitty:
		cols, rows := cellBox(p.Width, p.Height, min(req.Cols, maxPlaceholderCells), min(req.MaxRows, maxPlaceholderCells), req.Cell.orDefault())
		return drawKitty(p, req, cols, rows)
	case ModeSixel:
		cell := req.Cell.orDefault()
		cols, rows := cellBox(p.Width, p.Height, req.Cols, req.MaxRows, cell)
		w, h := fitWithin(p.Width, p.Height, cols*cell.Width, rows*cell.Height)
		img, err := p.imageFor(w, h)
		if err != nil {
			return nil, err
		}
		return &Drawing{Cols: cols, Rows: rows, Lines: blankLines(cols, rows), Seq: sixel(resize(img, w, h))}, nil
	case ModeITerm:
		cols, rows := cellBox(p.Width, p.Height, req.Cols, req.MaxRows, req.Cell.orDefault())
		file := iterm2.File{
			Inline:  true,
			Size:    int64(len(p.Data)),
			Width:   iterm2.Cells(cols),
			Height:  iterm2.Cells(rows),
			Content: []byte(base64.StdEncoding.EncodeToString(p.Data)),
		}
		return &Drawing{Cols: cols, Rows: rows, Lines: blankLines(cols, rows), Seq: ansi.ITerm2(file)}, nil
	}
	return nil, fmt.Errorf("draw picture: mode %q draws nothing", req.Mode)
}

// cellBox is the cells a w×h picture takes: as wide as the column allows,
// no wider than its own pixels, and no higher than maxRows, aspect kept.
func cellBox(w, h, maxCols, maxRows int, cell Cell) (cols, rows int) {
	cols = min(maxCols, (w+cell.Width-1)/cell.Width)
	rows = (cols*cell.Width*h + w*cell.Height/2) / (w * cell.Height)
	if rows > maxRows {
		rows = maxRows
		cols = min(maxCols, (rows*cell.Height*w+h*cell.Width/2)/(h*cell.Width))
	}
	return max(cols, 1), max(rows, 1)
}

func blankLines(cols, rows int) []string {
	lines := make([]string, rows)
	blank := strings.Repeat(" ", cols)
	for i := range lines {
		lines[i] = blank
	}
	return lines
}

// halfBlocks draws img, two pixel rows to a line: "▀" in the top pixel's
// colour on the bottom pixel's. A pixel more than half transparent shows
// the terminal's own background.
func halfBlocks(img *image.RGBA) *Drawing {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	d := &Drawing{Cols: w, Rows: h / 2}
	var b strings.Builder
	for y := 0; y+1 < h; y += 2 {
		b.Reset()
		var fg, bg string // the colours in force on this line, as SGR
		for x := range w {
			top, bottom := sgrColour(img, x, y), sgrColour(img, x, y+1)
			glyph := "▀"
			switch {
			case top == "" && bottom == "":
				glyph = " "
			case top == "":
				glyph, top, bottom = "▄", bottom, ""
			}
			var set []string
			if top != fg && glyph != " " {
				set, fg = append(set, "38;2;"+top), top
			}
			if bottom != bg {
				if bottom == "" {
					set = append(set, "49")
				} else {
					set = append(set, "48;2;"+bottom)
				}
				bg = bottom
			}
			if len(set) > 0 {
				b.WriteString("\x1b[" + strings.Join(set, ";") + "m")
			}
			b.WriteString(glyph)
		}
		b.WriteString("\x1b[m")
		d.Lines = append(d.Lines, b.String())
	}
	return d
}

// sgrColour is the pixel's colour as "r;g;b", or "" when it is mostly
// transparent.
func sgrColour(img *image.RGBA, x, y int) string {
	i := img.PixOffset(x, y)
	p := img.Pix[i : i+4]
	if p[3] < 128 {
		return ""
	}
	// Un-premultiply: the pixel is shown without its transparency.
	r, g, b := uint32(p[0]), uint32(p[1]), uint32(p[2])
	if a := uint32(p[3]); a < 255 {
		r, g, b = r*255/a, g*255/a, b*255/a
	}
	return strconv.Itoa(int(r)) + ";" + strconv.Itoa(int(g)) + ";" + strconv.Itoa(int(b))
}

// drawKitty uploads the picture as PNG with a virtual placement of
// cols×rows cells, and lays out the placeholder cells that show it. The
// terminal fits the image into the cells, aspect kept; it is sent at the
// pixel size those cells have (or its own, if smaller), not larger.
func drawKitty(p *Picture, req Request, cols, rows int) (*Drawing, error) {
	if req.ID == 0 || req.ID >= 1<<24 {
		return nil, fmt.Errorf("draw picture: kitty image ID %d is not in 1…2^24-1", req.ID)
	}
	cell := req.Cell.orDefault()
	w, h := fitWithin(p.Width, p.Height, cols*cell.Width, rows*cell.Height)
	img, err := p.imageFor(w, h)
	if err != nil {
		return nil, err
	}
	var upload bytes.Buffer
	err = kitty.EncodeGraphics(&upload, resize(img, w, h), &kitty.Options{
		Action:           kitty.TransmitAndPut,
		Transmission:     kitty.Direct,
		Format:           kitty.PNG,
		ID:               int(req.ID),
		Columns:          cols,
		Rows:             rows,
		VirtualPlacement: true,
		DoNotMoveCursor:  true, // the upload goes out of the text's flow
		Quiet:            2,    // no answers: they would arrive as keys
		Chunk:            true,
	})
	if err != nil {
		return nil, fmt.Errorf("draw picture: %w", err)
	}
	// The foreground colour carries the image ID, 24 bits in true colour.
	colour := fmt.Sprintf("\x1b[38;2;%d;%d;%dm", req.ID>>16&0xff, req.ID>>8&0xff, req.ID&0xff)
	d := &Drawing{Cols: cols, Rows: rows, Seq: upload.String(), ID: req.ID}
	var b strings.Builder
	for row := range rows {
		b.Reset()
		b.WriteString(colour)
		for col := range cols {
			// Row and column on every cell: a run of bare placeholders
			// would be valid too, but a renderer may compress it into a
			// repeat sequence that loses the numbering.
			b.WriteRune(kitty.Placeholder)
			b.WriteRune(kitty.Diacritic(row))
			b.WriteRune(kitty.Diacritic(col))
		}
		b.WriteString("\x1b[39m")
		d.Lines = append(d.Lines, b.String())
	}
	return d, nil
}

// DeleteKitty is the sequence that makes a kitty terminal forget a
// picture it was sent, placements and pixels both.
func DeleteKitty(id uint32) string {
	return ansi.KittyGraphics(nil, "a=d", "d=I", "i="+strconv.FormatUint(uint64(id), 10), "q=2")
}
