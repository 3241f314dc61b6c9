package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// linkPicker is the list of a page's links that L opens: every numbered
// link and "From your feeds" article, narrowed by a filter typed after /.
type linkPicker struct {
	active    bool
	targets   []target
	shown     []int // indexes into targets that pass the filter
	filter    textinput.Model
	filtering bool
	scroller  // its height leaves out the header and the filter line
	width     int
}

func newLinkPicker() linkPicker {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "filter links"
	return linkPicker{filter: in}
}

func (lp *linkPicker) open(targets []target) {
	lp.active, lp.targets = true, targets
	lp.filtering = false
	lp.filter.Reset()
	lp.filter.Blur()
	lp.applyFilter()
}

func (lp *linkPicker) close() {
	lp.active, lp.filtering = false, false
	lp.filter.Blur()
}

func (lp *linkPicker) setSize(width, height int) {
	lp.width, lp.height = width, max(1, height-2)
	lp.filter.SetWidth(max(1, width-2))
	lp.setCursor(lp.cursor)
}

func (lp *linkPicker) setStyles(st textinput.Styles) { lp.filter.SetStyles(st) }

func (lp *linkPicker) applyFilter() {
	words := strings.Fields(strings.ToLower(lp.filter.Value()))
	lp.shown = lp.shown[:0]
	for i, t := range lp.targets {
		hay := strings.ToLower(t.text + " " + t.url)
		keep := true
		for _, w := range words {
			keep = keep && strings.Contains(hay, w)
		}
		if keep {
			lp.shown = append(lp.shown, i)
		}
	}
	lp.setCursor(lp.cursor)
}

func (lp *linkPicker) setCursor(i int) { lp.moveTo(i, len(lp.shown)) }

func (lp *linkPicker) selected() (target, bool) {
	if lp.cursor >= len(lp.shown) {
		return target{}, false
	}
	return lp.targets[lp.shown[lp.cursor]], true
}

// handleKey drives the list. While its filter is being typed, only enter
// (follow), esc (stop filtering) and the arrows are commands.
func (lp *linkPicker) handleKey(msg tea.KeyPressMsg, k *KeyMap) (intent, tea.Cmd) {
	if lp.filtering {
		switch msg.String() {
		case "enter":
			return lp.followSelected(), nil
		case "esc":
			lp.filtering = false
			lp.filter.Reset()
			lp.filter.Blur()
			lp.applyFilter()
		case "up":
			lp.setCursor(lp.cursor - 1)
		case "down":
			lp.setCursor(lp.cursor + 1)
		default:
			return intent{}, lp.update(msg)
		}
		return intent{}, nil
	}
	if to, ok := moveKey(msg, k, lp.cursor, len(lp.shown)-1, lp.height); ok {
		lp.setCursor(to)
		return intent{}, nil
	}
	t, picked := lp.selected()
	switch {
	case key.Matches(msg, k.Follow, k.Open):
		return lp.followSelected(), nil
	case key.Matches(msg, k.Browser) && picked:
		return intent{kind: browserIntent, url: t.url, target: t}, nil
	case key.Matches(msg, k.CopyURL) && picked:
		return intent{kind: copyIntent, url: t.url}, nil
	case key.Matches(msg, k.Search):
		lp.filtering = true
		return intent{}, lp.filter.Focus()
	case key.Matches(msg, k.Back, k.Quit, k.LinkList):
		lp.close()
	}
	return intent{}, nil
}

// update hands the filter what it types: keys, pastes, cursor blinks.
func (lp *linkPicker) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	lp.filter, cmd = lp.filter.Update(msg)
	lp.applyFilter()
	return cmd
}

func (lp *linkPicker) followSelected() intent {
	t, ok := lp.selected()
	if !ok {
		return intent{}
	}
	return intent{kind: followIntent, target: t}
}

func (lp *linkPicker) rowAt(line int) (int, bool) { return lp.scroller.rowAt(line, len(lp.shown)) }

// View draws the picker; hint is the key help shown when no filter is.
func (lp *linkPicker) View(st *Styles, hint string) string {
	var b strings.Builder
	b.WriteString(st.Title.Render(fitWidth(fmt.Sprintf("Links · %d of %d", len(lp.shown), len(lp.targets)), lp.width)))
	numberWidth := len(fmt.Sprint(len(lp.targets))) + 2
	for line := range lp.height {
		b.WriteByte('\n')
		i := lp.top + line
		if i >= len(lp.shown) {
			if line == 0 {
				b.WriteString(st.Dim.Render("  No links match."))
			}
			continue
		}
		t := lp.targets[lp.shown[i]]
		number := fmt.Sprintf("%*s ", numberWidth, fmt.Sprintf("[%d]", t.n))
		text, url := t.text, oneLine(t.url)
		if text == "" {
			text = url
		}
		rest := max(1, lp.width-len(number))
		textWidth := min(rest, max(rest/2, rest-ansi.StringWidth(url)-1))
		row := number + fitWidth(text, textWidth)
		if urlWidth := rest - textWidth - 1; urlWidth > 0 && text != url {
			if i == lp.cursor {
				row += " " + fitWidth(url, urlWidth)
			} else {
				row = st.Normal.Render(row) + " " + st.URL.Render(fitWidth(url, urlWidth))
			}
		}
		if i == lp.cursor {
			row = st.Selected.Render(fitWidth(row, lp.width))
		}
		b.WriteString(row)
	}
	b.WriteByte('\n')
	if lp.filtering || lp.filter.Value() != "" {
		b.WriteString(lp.filter.View())
	} else {
		b.WriteString(hint)
	}
	return b.String()
}
