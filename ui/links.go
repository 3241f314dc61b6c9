package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/article"
)

// linkPicker is the list of a page's links that L opens: every numbered
// link and "From your feeds" article, narrowed by a filter typed after /.
type linkPicker struct {
	active    bool
	targets   []target
	shown     []int // indexes into targets that pass the filter
	filter    textinput.Model
	filtering bool
	scroller  // its height leaves out the header and the footer
	width     int
	// footer is the key help under the list, wrapped to its width.
	footer []string
	body   int // lines for the header, the rows and the footer
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

// setSize sizes the picker, and its footer: key help wrapped to width.
func (lp *linkPicker) setSize(width, height int, footer []string) {
	lp.width, lp.body, lp.footer = width, height, footer
	lp.height = max(1, height-1-max(1, len(footer)))
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

// View draws the picker: a row per link (number, text, URL), and under
// them the filter or the key help.
func (lp *linkPicker) View(st *Styles) string {
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
		rest := max(1, lp.width-len(number))
		text, url := t.text, oneLine(t.url)
		var row string
		if text == "" || text == url {
			row = st.URL.Render(article.FitURL(url, rest))
		} else {
			// Text and URL in columns, the URL cut in its middle: its
			// end says most about where it leads.
			textWidth := max(1, rest*2/5)
			row = st.Normal.Render(fitWidth(text, textWidth)) + " " + st.URL.Render(article.FitURL(url, max(0, rest-textWidth-1)))
		}
		if i == lp.cursor {
			row = st.Selected.Render(fitWidth(ansi.Strip(number+row), lp.width))
		} else {
			row = st.Normal.Render(number) + row
		}
		b.WriteString(row)
	}
	b.WriteByte('\n')
	if lp.filtering || lp.filter.Value() != "" {
		// The filter takes the footer's place, on its last line.
		b.WriteString(strings.Repeat("\n", max(0, len(lp.footer)-1)))
		b.WriteString(lp.filter.View())
		return b.String()
	}
	b.WriteString(strings.Join(lp.footer, "\n"))
	return b.String()
}
