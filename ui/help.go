package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpScreen lists every binding of the key map, and the mouse; ? opens
// it. What does not fit the screen scrolls.
type helpScreen struct {
	active bool
	lines  []string // laid out for width
	top    int
	width  int
	height int
}

// mouseHelp is what the mouse does; it has no bindings to generate it from.
var mouseHelp = [][2]string{
	{"wheel", "scroll"},
	{"click", "select; on a [n], highlight the link"},
	{"double click", "open; on a [n], follow the link"},
}

func (h *helpScreen) open(st *Styles, k KeyMap) {
	h.active, h.top = true, 0
	h.layout(st, k)
}

func (h *helpScreen) setSize(width, height int, st *Styles, k KeyMap) {
	h.width, h.height = width, height
	if h.active {
		h.layout(st, k)
	}
}

// layout puts the groups of bindings side by side as far as they fit
// and under each other otherwise, every key of every action shown.
func (h *helpScreen) layout(st *Styles, k KeyMap) {
	var blocks [][]string
	for _, group := range k.FullHelp() {
		var rows [][2]string
		for _, b := range group {
			if b.Enabled() {
				rows = append(rows, [2]string{b.Help().Key, b.Help().Desc})
			}
		}
		blocks = append(blocks, helpBlock(st, rows, h.width))
	}
	blocks = append(blocks, helpBlock(st, mouseHelp, h.width))
	lines := []string{st.Title.Render("Keys"), ""}
	const gap = "   "
	for i := 0; i < len(blocks); {
		n, width := 1, blockWidth(blocks[i])
		for i+n < len(blocks) && width+len(gap)+blockWidth(blocks[i+n]) <= h.width {
			width += len(gap) + blockWidth(blocks[i+n])
			n++
		}
		lines = append(lines, joinBlocks(blocks[i:i+n], gap)...)
		lines = append(lines, "")
		i += n
	}
	for _, note := range []string{
		"In the reader, type a link's number then enter to follow it.",
		"On the feeds screen, R on a tag's row refreshes that tag's feeds, and on a sync account's row syncs that account.",
		"Press ? or esc to close.",
	} {
		for _, l := range strings.Split(ansi.Wrap(note, max(1, h.width), ""), "\n") {
			lines = append(lines, st.Dim.Render(l))
		}
	}
	h.lines = lines
	h.top = min(h.top, h.maxTop())
}

// helpBlock is a column of "key  action" rows, no wider than width.
func helpBlock(st *Styles, rows [][2]string, width int) []string {
	keyWidth := 0
	for _, r := range rows {
		keyWidth = max(keyWidth, ansi.StringWidth(r[0]))
	}
	keyWidth = min(keyWidth, max(1, width/2))
	block := make([]string, len(rows))
	for i, r := range rows {
		block[i] = st.Help.FullKey.Render(fitWidth(r[0], keyWidth)) + " " +
			st.Help.FullDesc.Render(ansi.Truncate(r[1], max(1, width-keyWidth-1), "…"))
	}
	return block
}

func blockWidth(block []string) int {
	w := 0
	for _, l := range block {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// joinBlocks puts blocks side by side, each padded to its width.
func joinBlocks(blocks [][]string, gap string) []string {
	height := 0
	for _, b := range blocks {
		height = max(height, len(b))
	}
	lines := make([]string, height)
	for i, b := range blocks {
		w := blockWidth(b)
		for row := range height {
			cell := ""
			if row < len(b) {
				cell = b[row]
			}
			if i < len(blocks)-1 {
				cell += strings.Repeat(" ", w-ansi.StringWidth(cell)) + gap
			}
			lines[row] += cell
		}
	}
	return lines
}

// shown is how many lines of help fit: all the screen, or all but the
// line that says how to scroll.
func (h *helpScreen) shown() int {
	if len(h.lines) <= h.height {
		return h.height
	}
	return max(1, h.height-1)
}

func (h *helpScreen) maxTop() int { return max(0, len(h.lines)-h.shown()) }

// handleKey scrolls; help, back and quit close.
func (h *helpScreen) handleKey(msg tea.KeyPressMsg, k *KeyMap) {
	if key.Matches(msg, k.Help, k.Back, k.Quit) {
		h.active = false
		return
	}
	if to, ok := moveKey(msg, k, h.top, h.maxTop(), h.shown()); ok {
		h.top = to
	}
}

func (h *helpScreen) View(st *Styles) string {
	shown := h.shown()
	out := make([]string, 0, h.height)
	for i := h.top; i < min(len(h.lines), h.top+shown); i++ {
		out = append(out, h.lines[i])
	}
	for len(out) < shown {
		out = append(out, "")
	}
	if shown < h.height {
		more := fmt.Sprintf("j/k, space scroll · ? or esc closes · %d%%", h.top*100/max(1, h.maxTop()))
		out = append(out, st.Status.Render(fitWidth(" "+more, h.width)))
	}
	return strings.Join(out, "\n")
}

// shortHelpLines is help for bindings, "key action" after "key action",
// wrapped to width rather than cut at it.
func shortHelpLines(st help.Styles, bindings []key.Binding, width int) []string {
	sep := st.ShortSeparator.Render(" • ")
	sepWidth := ansi.StringWidth(sep)
	var lines []string
	line, lineWidth := "", 0
	for _, b := range bindings {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		item := st.ShortKey.Render(h.Key) + " " + st.ShortDesc.Render(h.Desc)
		w := ansi.StringWidth(h.Key) + 1 + ansi.StringWidth(h.Desc)
		switch {
		case line == "":
		case lineWidth+sepWidth+w <= width:
			line, lineWidth = line+sep, lineWidth+sepWidth
		default:
			lines = append(lines, line)
			line, lineWidth = "", 0
		}
		line, lineWidth = line+ansi.Truncate(item, max(1, width), "…"), lineWidth+w
	}
	return append(lines, line)
}
