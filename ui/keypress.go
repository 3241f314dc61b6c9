package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// intent is what a view's key handler asks of the root. A view changes
// only its own state; whatever reaches past it (another view, the screen,
// a command) it asks for, and the root does it in do.
type intent struct {
	kind   intentKind
	list   listSource  // openListIntent
	target target      // followIntent
	open   openRequest // openPageIntent
	req    int         // openPageIntent: the reader's request number
	url    string      // browserIntent, copyIntent
	info   string      // a message for the status line
	err    error       // an error for the status line
}

type intentKind int

const (
	noIntent          intentKind = iota
	openListIntent               // show list on the articles screen
	openArticleIntent            // read the article list's selected article
	followIntent                 // open target after the reader's page
	openPageIntent               // the reader asked for open, as request req
	leaveIntent                  // go back one screen
	showLinksIntent              // list the reader's links
	renderIntent                 // the reader moved to another page of its history
	browserIntent                // open url in the browser
	copyIntent                   // copy url to the clipboard
	addFeedIntent                // ask for a feed to add
	removeFeedIntent             // ask whether to remove the selected feed
	editFeedIntent               // ask for the selected feed's tags and name
	hideReadIntent               // show the list's unread articles only, or all again
	sortIntent                   // list by the next order
	saveStoryIntent              // save the story as Markdown
	pipeStoryIntent              // pipe the story to pipe-command
)

// keyPressed routes a key: ctrl+c first, then whatever has the focus (a
// question, the search prompt, the link list, help, a feed's panel), then the current
// screen's view, then the keys that work everywhere.
func (m Model) keyPressed(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := &m.keys
	if key.Matches(msg, k.ForceQuit) {
		return m, m.quitCmd()
	}
	switch {
	case m.confirm != nil:
		yes, done := m.confirm.answer(msg)
		if done {
			if yes == nil {
				m.status.info("Nothing changed")
			}
			m.confirm = nil
		}
		return m, yes
	case m.search.active:
		in, cmd := m.search.handleKey(msg)
		return m, tea.Batch(cmd, m.do(in))
	case m.prompt.active:
		return m, m.promptKey(msg)
	case m.links.active:
		in, cmd := m.links.handleKey(msg, k)
		return m, tea.Batch(cmd, m.do(in))
	case m.help.active:
		m.help.handleKey(msg, k)
		return m, nil
	case m.info.active:
		m.info.handleKey(msg, k)
		return m, nil
	}
	// A message stays until the next key; that key still does its job.
	m.status.clear()
	var in intent
	var handled bool
	switch m.screen {
	case feedsScreen:
		in, handled = m.feeds.handleKey(msg, k)
	case articlesScreen:
		if in, handled = m.items.handleKey(msg, k); handled {
			return m, tea.Batch(m.loadWanted(), m.do(in))
		}
	case readerScreen:
		in, handled = m.reader.handleKey(msg, k)
	}
	if !handled {
		return m, m.globalKey(msg)
	}
	return m, m.do(in)
}

// do carries out what a view asked for.
func (m *Model) do(in intent) tea.Cmd {
	switch {
	case in.err != nil:
		m.status.fail(in.err)
	case in.info != "":
		m.status.info(in.info)
	}
	switch in.kind {
	case openListIntent:
		return m.openList(in.list)
	case openArticleIntent:
		return m.openSelected()
	case followIntent:
		return m.do(m.reader.follow(in.target))
	case openPageIntent:
		m.links.close()
		m.relayoutReader()
		return openPage(m.ctx, m.deps.Reader, in.req, in.open)
	case leaveIntent:
		m.back()
	case showLinksIntent:
		m.links.open(m.reader.targets())
	case renderIntent:
		m.relayoutReader()
		return m.renderCurrent()
	case browserIntent:
		return m.openBrowser(in.url, in.target.text)
	case copyIntent:
		return m.copyURL(in.url)
	case addFeedIntent:
		return m.startAddFeed()
	case removeFeedIntent:
		m.askRemoveFeed()
	case editFeedIntent:
		return m.startEditFeed()
	case hideReadIntent:
		return m.toggleListUnread()
	case sortIntent:
		return m.sortList()
	case saveStoryIntent:
		return m.saveStory()
	case pipeStoryIntent:
		return m.pipeStory()
	}
	return nil
}

// globalKey handles the keys that work on every screen.
func (m *Model) globalKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Help):
		m.help.open(m.styles, m.keys)
	case key.Matches(msg, k.Search):
		return m.search.open()
	case key.Matches(msg, k.RefreshAll):
		// On a tag's row, R refreshes that tag's feeds; on an account's,
		// it syncs that account.
		if row, ok := m.feeds.selected(); m.screen == feedsScreen && ok && (row.kind == rowTag || row.kind == rowAccount) {
			return m.beginRefresh(m.feeds.feedIDs(row))
		}
		return m.beginRefresh(nil)
	case key.Matches(msg, k.Refresh):
		return m.beginRefresh(m.currentFeedIDs())
	case key.Matches(msg, k.NextUnread):
		return m.nextUnread(1)
	case key.Matches(msg, k.PrevUnread):
		return m.nextUnread(-1)
	case key.Matches(msg, k.ToggleRead):
		return m.toggleRead()
	case key.Matches(msg, k.ToggleStar):
		return m.toggleStar()
	case key.Matches(msg, k.MarkAllRead):
		m.askMarkAllRead()
	case key.Matches(msg, k.Browser):
		return m.openBrowser(m.currentLink())
	case key.Matches(msg, k.CopyURL):
		url, _ := m.currentLink()
		return m.copyURL(url)
	case key.Matches(msg, k.ShowError):
		m.showFeedInfo()
	case key.Matches(msg, k.Quit):
		return m.quit()
	}
	return nil
}

func isDigit(msg tea.KeyPressMsg) bool {
	return len(msg.Text) == 1 && msg.Text[0] >= '0' && msg.Text[0] <= '9' && msg.Mod == 0
}

// moveKey returns where a list cursor (or the reader's top line) goes for
// a movement key, and whether msg was one.
func moveKey(msg tea.KeyPressMsg, k *KeyMap, at, last, page int) (int, bool) {
	page = max(1, page)
	to := at
	switch {
	case key.Matches(msg, k.Up):
		to = at - 1
	case key.Matches(msg, k.Down):
		to = at + 1
	case key.Matches(msg, k.Top):
		to = 0
	case key.Matches(msg, k.Bottom):
		to = last
	case key.Matches(msg, k.HalfPageDown):
		to = at + max(1, page/2)
	case key.Matches(msg, k.HalfPageUp):
		to = at - max(1, page/2)
	case key.Matches(msg, k.PageDown):
		to = at + page
	case key.Matches(msg, k.PageUp):
		to = at - page
	default:
		return at, false
	}
	return max(0, min(to, last)), true
}
