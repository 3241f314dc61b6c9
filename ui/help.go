package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpScreen lists every binding of the key map; ? opens it.
type helpScreen struct {
	model  help.Model
	active bool
}

func newHelpScreen() helpScreen { return helpScreen{model: help.New()} }

func (h *helpScreen) open() { h.active = true }

func (h *helpScreen) handleKey(msg tea.KeyPressMsg, k *KeyMap) {
	if key.Matches(msg, k.Help, k.Back, k.Quit) {
		h.active = false
	}
}

func (h *helpScreen) setWidth(width int) { h.model.SetWidth(width) }

func (h *helpScreen) setStyles(st help.Styles) { h.model.Styles = st }

// shortView is one line of help for bindings, as under the link list.
func (h *helpScreen) shortView(bindings []key.Binding) string { return h.model.ShortHelpView(bindings) }

// View shows every binding, as many columns side by side as fit.
func (h *helpScreen) View(st *Styles, k KeyMap, width, height int) string {
	var blocks, row []string
	groups := k.FullHelp()
	hm := h.model
	hm.SetWidth(0) // measure untruncated: a column that does not fit moves down
	for i := 0; i < len(groups); {
		row = append(row, "")
		fits := 0
		for n := 1; i+n <= len(groups); n++ {
			if view := hm.FullHelpView(groups[i : i+n]); n == 1 || ansi.StringWidth(firstLine(view)) <= width {
				row[len(row)-1], fits = view, n
				continue
			}
			break
		}
		i += fits
	}
	blocks = append(blocks, st.Title.Render("Keys"))
	for _, r := range row {
		blocks = append(blocks, "", r)
	}
	blocks = append(blocks, "", st.Dim.Render("In the reader, type a link's number then enter to follow it. Press ? or esc to close."))
	out := strings.Join(blocks, "\n")
	return out + strings.Repeat("\n", max(0, height-1-strings.Count(out, "\n")))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
