package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// searchBox is the search prompt that / opens in the status line.
type searchBox struct {
	input  textinput.Model
	active bool
}

func newSearchBox() searchBox {
	in := textinput.New()
	in.Prompt = "Search: "
	in.Placeholder = "words to find"
	in.CharLimit = 200
	return searchBox{input: in}
}

func (s *searchBox) open() tea.Cmd {
	s.active = true
	s.input.Reset()
	return s.input.Focus()
}

func (s *searchBox) close() {
	s.active = false
	s.input.Blur()
}

// handleKey edits the prompt: enter asks for the results, esc cancels.
func (s *searchBox) handleKey(msg tea.KeyPressMsg) (intent, tea.Cmd) {
	switch msg.String() {
	case "enter":
		s.close()
		query := strings.TrimSpace(s.input.Value())
		if query == "" {
			return intent{}, nil
		}
		return intent{kind: openListIntent, list: listSource{title: "Search: " + oneLine(query), query: query}}, nil
	case "esc":
		s.close()
		return intent{}, nil
	}
	return intent{}, s.update(msg)
}

// update hands the prompt what it types: keys, pastes, cursor blinks.
func (s *searchBox) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return cmd
}

func (s *searchBox) setWidth(width int) { s.input.SetWidth(max(1, width-len(s.input.Prompt)-2)) }

func (s *searchBox) setStyles(st textinput.Styles) { s.input.SetStyles(st) }

func (s *searchBox) View(width int) string { return fitWidth(s.input.View(), width) }
