package ui

import (
	tea "charm.land/bubbletea/v2"
)

// wheelStep is how many rows or lines one notch of the wheel moves.
const wheelStep = 3

// inReaderPane says whether column x of the main area belongs to the
// reader (or the link list drawn in its place).
func (m Model) inReaderPane(x int) bool {
	switch {
	case m.screen == feedsScreen:
		return false
	case m.wide():
		return x >= m.readerLeft() && (m.reader.hasPage() || m.links.active)
	}
	return m.screen == readerScreen
}

func (m Model) wheeled(mouse tea.Mouse) (tea.Model, tea.Cmd) {
	step := wheelStep
	switch mouse.Button {
	case tea.MouseWheelUp:
		step = -wheelStep
	case tea.MouseWheelDown:
	default:
		return m, nil
	}
	if m.modal() {
		return m, nil
	}
	switch {
	case m.screen == feedsScreen:
		m.feeds.setCursor(m.feeds.cursor + step)
	case m.inReaderPane(mouse.X) && m.links.active:
		m.links.setCursor(m.links.cursor + step)
	case m.inReaderPane(mouse.X):
		m.reader.scrollBy(step)
	default:
		m.items.setCursor(m.items.cursor + step)
		return m, m.loadWanted()
	}
	return m, nil
}

// modal says whether a prompt or the help screen has the focus, which
// the mouse leaves alone.
func (m Model) modal() bool {
	return m.confirm != nil || m.search.active || m.help.active || m.info.active
}

// clicked selects what was clicked; a second click on the same row soon
// after opens it.
func (m Model) clicked(mouse tea.Mouse) (tea.Model, tea.Cmd) {
	if mouse.Button != tea.MouseLeft || m.modal() || mouse.Y >= m.height-1 {
		return m, nil
	}
	now := m.now()
	double := m.lastClick.y == mouse.Y && m.inReaderPane(m.lastClick.x) == m.inReaderPane(mouse.X) &&
		now.Sub(m.lastClick.at) < doubleClick
	m.lastClick = click{at: now, x: mouse.X, y: mouse.Y}
	if double {
		m.lastClick = click{} // a third click starts over
	}
	var cmd tea.Cmd
	switch {
	case m.screen == feedsScreen:
		if i, ok := m.feeds.rowAt(mouse.Y); ok {
			m.feeds.setCursor(i)
			if row, _ := m.feeds.selected(); double {
				cmd = m.openList(row.source())
			}
		}
	case m.inReaderPane(mouse.X) && m.links.active:
		if i, ok := m.links.rowAt(mouse.Y); ok {
			m.links.setCursor(i)
			if double {
				cmd = m.do(m.links.followSelected())
			}
		}
	case m.inReaderPane(mouse.X):
		m.screen = readerScreen
		if m.reader.highlightAt(mouse.Y, mouse.X-m.readerLeft()) && double {
			cmd = m.do(m.reader.chosenLink())
		}
	default:
		if i, ok := m.items.rowAt(mouse.Y); ok {
			m.screen = articlesScreen
			m.items.setCursor(i)
			cmd = m.loadWanted()
			if double {
				cmd = tea.Batch(cmd, m.openSelected())
			}
		}
	}
	return m, cmd
}
