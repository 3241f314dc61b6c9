package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/news"
)

// The root's actions: what reaches across views (a list and the reader
// it opens, an article's flags shown in both) or starts a command. Each
// view's own state changes are its methods.

// openSelected opens the article under the list cursor in the reader.
func (m *Model) openSelected() tea.Cmd {
	a, ok := m.items.selected()
	if !ok {
		return nil
	}
	m.screen = readerScreen
	return m.do(m.reader.openArticle(a))
}

// back goes back one screen, dropping an article still being opened.
func (m *Model) back() {
	switch m.screen {
	case readerScreen:
		m.reader.cancelOpen()
		m.links.close()
		m.screen = articlesScreen
	case articlesScreen:
		m.screen = feedsScreen
	}
}

func (m *Model) quit() tea.Cmd {
	if m.screen == feedsScreen {
		return m.quitCmd()
	}
	m.back()
	return nil
}

// nextUnread moves to the next (dir +1) or previous feed with unread
// articles, or opens the next or previous unread article, going round
// past the end of the list and saying so.
func (m *Model) nextUnread(dir int) tea.Cmd {
	if m.screen == feedsScreen {
		found, wrapped := m.feeds.nextUnread(dir)
		switch {
		case !found:
			m.status.info("No feeds with unread articles")
		case wrapped:
			m.status.info(wrappedMessage(dir))
		}
		return nil
	}
	return m.sought(m.items.seekUnread(dir, m.screen == articlesScreen))
}

// continueSeek goes on looking for the unread article n/N asked for, in
// the page that just arrived.
func (m *Model) continueSeek() tea.Cmd {
	if !m.items.seekRunning() {
		return nil
	}
	return m.sought(m.items.continueSeek())
}

// sought opens the unread article n/N found, or loads the page it waits
// for, or says there is none.
func (m *Model) sought(res seekResult) tea.Cmd {
	switch {
	case res.waiting:
		return m.loadWanted()
	case !res.found:
		m.status.info("No unread articles here")
		return m.loadWanted()
	case res.wrapped:
		m.status.info(wrappedMessage(res.dir))
	}
	return tea.Batch(m.openSelected(), m.loadWanted())
}

func wrappedMessage(dir int) string {
	if dir < 0 {
		return "Wrapped around to the bottom"
	}
	return "Wrapped around to the top"
}

// currentArticle is the stored article keys such as m and s act on.
func (m *Model) currentArticle() (news.Article, bool) {
	switch m.screen {
	case articlesScreen:
		return m.items.selected()
	case readerScreen:
		return m.reader.storedArticle()
	}
	return news.Article{}, false
}

func (m *Model) toggleRead() tea.Cmd {
	a, ok := m.currentArticle()
	if !ok {
		m.status.info("Choose an article first")
		return nil
	}
	before := a
	a.Read = !a.Read
	m.changeArticle(a)
	return setRead(m.ctx, m.deps.Store, before, a.Read)
}

func (m *Model) toggleStar() tea.Cmd {
	a, ok := m.currentArticle()
	if !ok {
		m.status.info("Choose an article first")
		return nil
	}
	before := a
	a.Starred = !a.Starred
	m.changeArticle(a)
	return setStarred(m.ctx, m.deps.Store, before, a.Starred)
}

// changeArticle shows an article's new flags everywhere it appears.
func (m *Model) changeArticle(a news.Article) {
	m.items.replace(a)
	m.reader.updateArticle(a)
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
		ids = m.items.loadedIDs()
	}
	m.confirm = &confirmation{
		question: fmt.Sprintf("Mark every article in %s read?", src.title),
		yes:      markListRead(m.ctx, m.deps.Store, gen, src.filter, ids),
	}
}

// currentLink is what o and y act on: the highlighted link, else the page
// in the reader, else the selected article or feed; title goes with it
// (the browser command's %t).
func (m *Model) currentLink() (url, title string) {
	switch m.screen {
	case readerScreen:
		return m.reader.currentLink()
	case articlesScreen:
		if a, ok := m.items.selected(); ok {
			return a.URL, a.Title
		}
	case feedsScreen:
		return m.feeds.selectedURL(), m.feeds.selectedTitle()
	}
	return "", ""
}

func (m *Model) openBrowser(url, title string) tea.Cmd {
	if url == "" {
		m.status.info("Nothing to open here")
		return nil
	}
	return openInBrowser(url, title, m.browser(), m.deps.Getenv)
}

// browser is the browser command for what o acts on: the feed's own
// (its [[feed]] browser), else the global one.
func (m *Model) browser() string {
	var feedURL string
	if row, ok := m.feeds.selected(); m.screen == feedsScreen && ok && row.kind == rowFeed {
		feedURL = row.feed.URL
	} else if a, ok := m.currentArticle(); ok {
		if fd, ok := m.feeds.feed(a.FeedID); ok {
			feedURL = fd.URL
		}
	}
	return m.settings.ForFeed(feedURL).Browser
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

// showFeedInfo shows how the last refresh of the selected feed (or the
// feed of the selected article) went.
func (m *Model) showFeedInfo() {
	var fd news.Feed
	switch row, ok := m.feeds.selected(); {
	case m.screen == feedsScreen && ok && row.kind == rowFeed:
		fd = row.feed
	case m.screen != feedsScreen:
		a, ok := m.currentArticle()
		if !ok {
			return
		}
		fd, _ = m.feeds.feed(a.FeedID)
	}
	if fd.ID == 0 {
		m.status.info("Choose a feed to see how its last refresh went")
		return
	}
	m.info.open(fd, m.now())
}
