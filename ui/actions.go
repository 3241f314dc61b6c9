package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/news"
)

// keyPressed routes a key: ctrl+c first, then whatever has the focus
// (a question, the search prompt, the link list, help), then the keys
// that work everywhere, then the current screen's keys.
func (m Model) keyPressed(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.ForceQuit) {
		return m, tea.Quit
	}
	var cmd tea.Cmd
	switch {
	case m.confirm != nil:
		cmd = m.answer(msg)
	case m.searching:
		cmd = m.searchKey(msg)
	case m.links.active:
		cmd = m.linkKey(msg)
	case m.showHelp:
		if key.Matches(msg, m.keys.Help, m.keys.Back, m.keys.Quit) {
			m.showHelp = false
		}
	default:
		// A message stays until the next key; that key still does its job.
		m.status.clear()
		var ok bool
		if cmd, ok = m.globalKey(msg); ok {
			break
		}
		switch m.screen {
		case feedsScreen:
			cmd = m.feedsKey(msg)
		case articlesScreen:
			cmd = m.articlesKey(msg)
		case readerScreen:
			cmd = m.readerKey(msg)
		}
	}
	return m, cmd
}

// globalKey handles the keys that work on every screen.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	if m.screen == readerScreen && isDigit(msg) {
		if len(m.reader.number) < 4 {
			m.reader.number += msg.Text
		}
		return nil, true
	}
	switch {
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.Search):
		m.searching = true
		m.search.Reset()
		return m.search.Focus(), true
	case key.Matches(msg, k.RefreshAll):
		return m.beginRefresh(nil), true
	case key.Matches(msg, k.Refresh):
		return m.beginRefresh(m.currentFeedIDs()), true
	case key.Matches(msg, k.NextUnread):
		return m.nextUnread(1), true
	case key.Matches(msg, k.PrevUnread):
		return m.nextUnread(-1), true
	case key.Matches(msg, k.ToggleRead):
		return m.toggleFlag(func(a *news.Article) tea.Cmd {
			a.Read = !a.Read
			return setRead(m.ctx, m.deps.Store, []int64{a.ID}, a.Read)
		}), true
	case key.Matches(msg, k.ToggleStar):
		return m.toggleFlag(func(a *news.Article) tea.Cmd {
			a.Starred = !a.Starred
			return setStarred(m.ctx, m.deps.Store, []int64{a.ID}, a.Starred)
		}), true
	case key.Matches(msg, k.MarkAllRead):
		m.askMarkAllRead()
	case key.Matches(msg, k.Browser):
		return m.openBrowser(m.currentURL()), true
	case key.Matches(msg, k.CopyURL):
		return m.copyURL(m.currentURL()), true
	case key.Matches(msg, k.ShowError):
		m.showFeedError()
	case key.Matches(msg, k.Quit):
		return m.quit(), true
	default:
		return nil, false
	}
	return nil, true
}

func isDigit(msg tea.KeyPressMsg) bool {
	return len(msg.Text) == 1 && msg.Text[0] >= '0' && msg.Text[0] <= '9' && msg.Mod == 0
}

// move returns where a list cursor (or the reader's top line) goes for a
// movement key, and whether msg was one.
func (m *Model) move(msg tea.KeyPressMsg, at, last, page int) (int, bool) {
	k := m.keys
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

func (m *Model) feedsKey(msg tea.KeyPressMsg) tea.Cmd {
	if to, ok := m.move(msg, m.feeds.cursor, len(m.feeds.rows)-1, m.feeds.height); ok {
		m.feeds.setCursor(to)
		return nil
	}
	if key.Matches(msg, m.keys.Open) {
		if row, ok := m.feeds.selected(); ok {
			return m.openList(row.source())
		}
	}
	return nil
}

func (m *Model) articlesKey(msg tea.KeyPressMsg) tea.Cmd {
	if to, ok := m.move(msg, m.items.cursor, m.items.total()-1, m.items.height); ok {
		m.items.setCursor(to)
		return m.loadWanted()
	}
	switch {
	case key.Matches(msg, m.keys.Open):
		return m.openSelected()
	case key.Matches(msg, m.keys.Back):
		m.screen = feedsScreen
	}
	return nil
}

func (m *Model) readerKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	r := &m.reader
	if p, ok := r.current(); ok {
		if to, ok := m.move(msg, p.offset, r.maxOffset(), r.height); ok {
			r.scrollTo(to)
			return nil
		}
	}
	switch {
	case key.Matches(msg, k.NextLink):
		r.moveHighlight(1)
	case key.Matches(msg, k.PrevLink):
		r.moveHighlight(-1)
	case key.Matches(msg, k.Follow):
		return m.followChosen()
	case key.Matches(msg, k.LinkList):
		if _, ok := r.current(); ok {
			m.links.open(r.targets())
		}
	case key.Matches(msg, k.Forward):
		if r.step(1) {
			m.relayoutReader()
			return m.renderCurrent()
		}
	case key.Matches(msg, k.ToggleText):
		return m.toggleText()
	case key.Matches(msg, k.Back):
		return m.readerBack()
	}
	return nil
}

// readerBack clears a typed number, else cancels an open in flight, else
// goes back one followed link, else leaves the reader.
func (m *Model) readerBack() tea.Cmd {
	r := &m.reader
	switch {
	case r.number != "":
		r.number = ""
	case r.loading != "" && len(r.pages) > 0:
		r.cancelOpen()
	case r.step(-1):
		m.relayoutReader()
		return m.renderCurrent()
	default:
		r.cancelOpen()
		m.screen = articlesScreen
	}
	return nil
}

// followChosen follows the link whose number was typed, else the
// highlighted one.
func (m *Model) followChosen() tea.Cmd {
	r := &m.reader
	var n int
	switch h, ok := r.highlighted(); {
	case r.number != "":
		n, _ = strconv.Atoi(r.number)
		r.number = ""
	case ok:
		n = h
	default:
		m.status.info("Press tab to pick a link, or type its number, then enter")
		return nil
	}
	t, ok := r.target(n)
	if !ok {
		m.status.fail(fmt.Errorf("there is no link %d", n))
		return nil
	}
	return m.follow(t)
}

// follow opens a link, or a "From your feeds" article, after the current
// page; back returns to where the reader was.
func (m *Model) follow(t target) tea.Cmd {
	r := &m.reader
	o := openRequest{stored: t.stored, url: t.url, push: true}
	switch {
	case o.isStored():
		r.loading = oneLine(t.stored.Title)
	case !t.followable:
		m.status.fail(fmt.Errorf("link %d (%s) cannot be opened here", t.n, t.url))
		return nil
	default:
		r.loading = t.url
	}
	r.req++
	m.links.close()
	return openPage(m.ctx, m.deps.Reader, r.req, o)
}

// openSelected opens the article under the list cursor in the reader.
func (m *Model) openSelected() tea.Cmd {
	a, ok := m.items.selected()
	if !ok {
		return nil
	}
	r := &m.reader
	r.req++
	r.pages, r.at = nil, -1
	r.loading = oneLine(a.Title)
	m.relayoutReader()
	m.links.close()
	m.screen = readerScreen
	return openPage(m.ctx, m.deps.Reader, r.req, openRequest{stored: a})
}

func (m *Model) quit() tea.Cmd {
	switch m.screen {
	case readerScreen:
		m.reader.cancelOpen()
		m.screen = articlesScreen
	case articlesScreen:
		m.screen = feedsScreen
	default:
		return tea.Quit
	}
	return nil
}

// nextUnread moves to the next (dir +1) or previous unread feed or
// article; in the reader it opens that article.
func (m *Model) nextUnread(dir int) tea.Cmd {
	if m.screen == feedsScreen {
		for i := m.feeds.cursor + dir; i >= 0 && i < len(m.feeds.rows); i += dir {
			if row := m.feeds.rows[i]; row.kind == rowFeed && row.unread > 0 {
				m.feeds.setCursor(i)
				return nil
			}
		}
		m.status.info("No more feeds with unread articles")
		return nil
	}
	open := m.screen == readerScreen
	if i, ok := m.items.findUnread(dir); ok {
		m.items.setCursor(i)
		if open {
			return tea.Batch(m.openSelected(), m.loadWanted())
		}
		return m.loadWanted()
	}
	if m.items.moreBeyond(dir) {
		m.items.seek, m.seekOpen = dir, open
		m.items.moveToEdge(dir)
		return m.loadWanted()
	}
	m.status.info("No more unread articles")
	return nil
}

// currentArticle is the stored article keys such as m and s act on.
func (m *Model) currentArticle() (news.Article, bool) {
	switch m.screen {
	case articlesScreen:
		return m.items.selected()
	case readerScreen:
		if p, ok := m.reader.current(); ok && p.open.isStored() {
			return p.open.stored, true
		}
	}
	return news.Article{}, false
}

func (m *Model) toggleFlag(change func(*news.Article) tea.Cmd) tea.Cmd {
	a, ok := m.currentArticle()
	if !ok {
		m.status.info("Choose an article first")
		return nil
	}
	save := change(&a)
	return m.changeArticle(a, save)
}

func (m *Model) askMarkAllRead() {
	src, gen := m.items.source, m.items.gen
	if m.screen == feedsScreen {
		row, ok := m.feeds.selected()
		if !ok {
			return
		}
		src, gen = row.source(), -1
	}
	var ids []int64
	if src.query != "" {
		ids = make([]int64, 0, len(m.items.rows))
		for _, a := range m.items.rows {
			ids = append(ids, a.ID)
		}
	}
	m.confirm = &confirmation{
		question: fmt.Sprintf("Mark every article in %s read?", src.title),
		yes:      markListRead(m.ctx, m.deps.Store, gen, src.filter, ids),
	}
}

func (m *Model) answer(msg tea.KeyPressMsg) tea.Cmd {
	switch strings.ToLower(msg.String()) {
	case "y":
		yes := m.confirm.yes
		m.confirm = nil
		return yes
	case "n", "esc", "q":
		m.confirm = nil
		m.status.info("Nothing changed")
	}
	return nil
}

// searchKey edits the search prompt: enter searches, esc cancels.
func (m *Model) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		m.searching = false
		m.search.Blur()
		query := strings.TrimSpace(m.search.Value())
		if query == "" {
			return nil
		}
		return m.openList(listSource{title: "Search: " + oneLine(query), query: query})
	case "esc":
		m.searching = false
		m.search.Blur()
		return nil
	}
	var cmd tea.Cmd
	m.search, cmd = m.search.Update(msg)
	return cmd
}

// linkKey drives the link list. While its filter is being typed, only
// enter (follow), esc (stop filtering) and the arrows are commands.
func (m *Model) linkKey(msg tea.KeyPressMsg) tea.Cmd {
	lp := &m.links
	k := m.keys
	if lp.filtering {
		switch msg.String() {
		case "enter":
			return m.followPicked()
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
			var cmd tea.Cmd
			lp.filter, cmd = lp.filter.Update(msg)
			lp.applyFilter()
			return cmd
		}
		return nil
	}
	if to, ok := m.move(msg, lp.cursor, len(lp.shown)-1, lp.height); ok {
		lp.setCursor(to)
		return nil
	}
	t, picked := lp.selected()
	switch {
	case key.Matches(msg, k.Follow, k.Open):
		return m.followPicked()
	case key.Matches(msg, k.Browser) && picked:
		return m.openBrowser(t.url)
	case key.Matches(msg, k.CopyURL) && picked:
		return m.copyURL(t.url)
	case key.Matches(msg, k.Search):
		lp.filtering = true
		return lp.filter.Focus()
	case key.Matches(msg, k.Back, k.Quit, k.LinkList):
		lp.close()
	}
	return nil
}

func (m *Model) followPicked() tea.Cmd {
	t, ok := m.links.selected()
	if !ok {
		return nil
	}
	return m.follow(t)
}

// currentURL is what o and y act on: the highlighted link, else the page
// in the reader, else the selected article or feed.
func (m *Model) currentURL() string {
	switch m.screen {
	case readerScreen:
		if n, ok := m.reader.highlighted(); ok {
			if t, ok := m.reader.target(n); ok {
				return t.url
			}
		}
		if p, ok := m.reader.current(); ok {
			return pageURL(p)
		}
	case articlesScreen:
		if a, ok := m.items.selected(); ok {
			return a.URL
		}
	case feedsScreen:
		if row, ok := m.feeds.selected(); ok && row.kind == rowFeed {
			if row.feed.SiteURL != "" {
				return row.feed.SiteURL
			}
			return row.feed.URL
		}
	}
	return ""
}

func (m *Model) openBrowser(url string) tea.Cmd {
	if url == "" {
		m.status.info("Nothing to open here")
		return nil
	}
	return openInBrowser(url, m.settings.Browser, m.deps.Getenv)
}

func (m *Model) copyURL(url string) tea.Cmd {
	if url == "" {
		m.status.info("Nothing to copy here")
		return nil
	}
	m.status.info("Copied " + url)
	return tea.SetClipboard(url)
}

// currentFeedIDs is what r refreshes: the selected feed or tag, or the
// current list's feeds; nil (all feeds) for the virtual lists.
func (m *Model) currentFeedIDs() []int64 {
	if m.screen == feedsScreen {
		if row, ok := m.feeds.selected(); ok {
			return m.feeds.feedIDs(row)
		}
		return nil
	}
	f := m.items.source.filter
	switch {
	case len(f.FeedIDs) > 0:
		return f.FeedIDs
	case f.Tag != "":
		return m.feeds.feedIDs(feedRow{kind: rowTag, tag: f.Tag})
	}
	return nil
}

func (m *Model) beginRefresh(feedIDs []int64) tea.Cmd {
	switch {
	case m.deps.Refresher == nil:
		m.status.info("Refreshing is not available here")
		return nil
	case m.refresh.running:
		m.status.info("A refresh is already running")
		return nil
	}
	m.refresh = refreshState{running: true}
	return startRefresh(m.ctx, m.deps.Refresher, feedIDs)
}

// showFeedError shows why the selected feed (or the feed of the selected
// article) last failed.
func (m *Model) showFeedError() {
	var fd news.Feed
	switch row, ok := m.feeds.selected(); {
	case m.screen == feedsScreen && ok && row.kind == rowFeed:
		fd = row.feed
	case m.screen != feedsScreen:
		a, ok := m.currentArticle()
		if !ok {
			return
		}
		for _, f := range m.feeds.feeds {
			if f.ID == a.FeedID {
				fd = f
			}
		}
	}
	switch {
	case fd.ID == 0:
		m.status.info("Choose a feed to see how its last refresh went")
	case fd.Gone:
		m.status.fail(fmt.Errorf("%s: the server says the feed is gone (410); remove it from your urls file", fd.Title))
	case fd.LastError != "":
		m.status.fail(errors.New(fd.Title + ": " + fd.LastError))
	case fd.LastSuccess.IsZero():
		m.status.info(fd.Title + " has not been refreshed yet")
	default:
		m.status.info(fmt.Sprintf("%s: last refreshed %s", fd.Title, ago(m.now(), fd.LastSuccess)))
	}
}

// toggleText switches a stored article between the feed's own text and
// the text extracted from its web page.
func (m *Model) toggleText() tea.Cmd {
	p, ok := m.reader.current()
	if !ok || !p.open.isStored() {
		m.status.info("Only articles from your feeds have a feed text to switch to")
		return nil
	}
	o := p.open
	o.push, o.replace = false, true
	if p.doc.Source == article.SourceFeed {
		o.text = textOfPage
		m.reader.loading = "the full text"
	} else {
		o.text = textOfFeed
		m.reader.loading = "the feed's text"
	}
	m.reader.req++
	return openPage(m.ctx, m.deps.Reader, m.reader.req, o)
}
