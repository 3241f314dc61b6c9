package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// loaded applies the result of a command. ok is false for messages that
// are not results.
func (m Model) loaded(msg tea.Msg) (Model, tea.Cmd, bool) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case feedsLoadedMsg:
		if msg.err != nil {
			m.status.fail(msg.err)
			m.feeds.loadFailed(msg.err)
			cmd = m.feedsDone()
			break
		}
		// The query feeds' rows are there from the first frame, counted
		// or with the counts of the last load, so that nothing moves
		// under the cursor when their counts come.
		queries := m.feeds.queries
		if !m.feeds.loaded || len(msg.querySubs) == 0 {
			queries = uncounted(msg.querySubs)
		}
		m.feeds.setFeeds(msg.feeds, queries, msg.counts)
		if len(msg.querySubs) > 0 {
			cmd = countQueries(m.ctx, m.deps.Store, msg.querySubs) // still loading
			break
		}
		cmd = m.feedsDone()
	case queriesCountedMsg:
		if msg.err != nil {
			m.status.fail(msg.err)
		} else {
			m.feeds.setFeeds(m.feeds.feeds, msg.queries, m.feeds.counts)
		}
		cmd = m.feedsDone()
	case pageLoadedMsg:
		cmd = m.pageLoaded(msg)
	case searchDoneMsg:
		if msg.list != m.items.gen {
			break
		}
		if msg.err != nil {
			m.status.fail(msg.err)
			m.items.setSearchResults(nil, 0)
			break
		}
		m.items.setSearchResults(msg.hits, msg.matches)
	case articleOpenedMsg:
		cmd = m.opened(msg)
	case renderedMsg:
		if msg.err != nil {
			m.status.fail(fmt.Errorf("render: %w", msg.err))
			break
		}
		m.renders.put(msg.key, msg.body)
		if k, ok := m.renderKey(); ok && k == msg.key {
			m.reader.setBody(k, msg.body)
			m.relayoutReader()
		}
	case flagsSavedMsg:
		if msg.err != nil {
			// Show what the cache holds, not what it refused.
			m.changeArticle(msg.before)
			m.status.fail(fmt.Errorf("%s was not changed: %w", oneLine(msg.before.Title), msg.err))
			break
		}
		cmd = m.reloadFeeds()
		if m.status.offline {
			cmd = tea.Batch(cmd, loadWaiting(m.ctx, m.deps.Store))
		}
	case markedAllReadMsg:
		cmd = m.markedAllRead(msg)
		if m.status.offline {
			cmd = tea.Batch(cmd, loadWaiting(m.ctx, m.deps.Store))
		}
	case waitingMsg:
		if msg.err == nil {
			m.status.setWaiting(msg.n)
		}
	case refreshStartedMsg:
		m.refresh = refreshState{running: true, auto: m.refresh.auto}
		m.refresh.last.Total = msg.total
		cmd = waitForRefresh(msg.events)
	case refreshProgressMsg:
		m.refresh.track(msg.progress)
		if !m.refresh.offline() {
			m.status.setOffline(false)
		}
		cmd = tea.Batch(waitForRefresh(msg.events), m.reloadFeeds())
	case refreshDoneMsg:
		cmd = m.refreshed()
	case browserDoneMsg:
		if msg.err != nil {
			m.status.fail(msg.err)
		} else {
			m.status.info("Opened " + msg.url)
		}
	case reloadTickMsg:
		cmd = m.reloadDue()
	case feedListChangedMsg:
		cmd = m.feedListChanged(msg)
	case feedLookedUpMsg:
		cmd = m.editLookedUp(msg)
	case storySavedMsg:
		if msg.err != nil {
			m.status.fail(msg.err)
		} else {
			m.status.info("Saved " + msg.path)
		}
	case pipeReadyMsg:
		name := msg.name
		cmd = tea.Exec(msg.cmd, func(err error) tea.Msg { return storyPipedMsg{name: name, err: err} })
	case storyPipedMsg:
		if msg.err != nil {
			m.status.fail(fmt.Errorf("pipe-command %s: %w", msg.name, msg.err))
		} else {
			m.status.info("Piped the story to " + msg.name)
		}
	case notifiedMsg:
		if msg.err != nil {
			m.status.fail(msg.err)
		}
	default:
		return m, nil, false
	}
	return m, cmd, true
}

func (m *Model) pageLoaded(msg pageLoadedMsg) tea.Cmd {
	if msg.list != m.items.gen {
		return nil
	}
	if msg.err != nil {
		m.items.pageFailed(msg.offset, msg.err)
		m.status.fail(msg.err)
		return nil
	}
	m.items.addPage(msg.offset, msg.articles, msg.total)
	return tea.Batch(m.continueSeek(), m.loadWanted())
}

func (m *Model) opened(msg articleOpenedMsg) tea.Cmd {
	if !m.reader.answered(msg.req) {
		return nil
	}
	if msg.err != nil {
		m.status.fail(msg.err)
		if isNetworkDown(msg.err) {
			m.status.setOffline(true)
		}
		return nil
	}
	if msg.similarErr != nil {
		m.status.fail(msg.similarErr)
	}
	m.reader.show(msg.open, msg.doc, msg.id, msg.similar)
	m.links.close()
	m.relayoutReader()
	cmds := []tea.Cmd{m.renderCurrent()}
	if a := msg.open.stored; msg.open.isStored() && !msg.open.replace {
		if m.settings.MarkReadOnOpen && !a.Read {
			before := a
			a.Read = true
			m.changeArticle(a)
			cmds = append(cmds, setRead(m.ctx, m.deps.Store, before, true))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) markedAllRead(msg markedAllReadMsg) tea.Cmd {
	if msg.err != nil {
		m.status.fail(msg.err)
		return nil
	}
	m.status.info(fmt.Sprintf("Marked %s read", news.Count(msg.count, "article")))
	cmds := []tea.Cmd{m.reloadFeeds()}
	if msg.list == m.items.gen {
		m.items.markAllRead()
		cmds = append(cmds, m.reloadList())
	}
	return tea.Batch(cmds...)
}

// refreshed reports a finished refresh and shows what it brought. One the
// reader started on its own says only what arrived, if anything did.
func (m *Model) refreshed() tea.Cmd {
	r := m.refresh
	m.refresh.running = false
	accountsOffline, waiting := r.accountsOffline()
	m.status.setOffline(r.offline() || accountsOffline)
	m.status.setWaiting(waiting)
	s := r.last.Summary
	newArticles, ignored := r.newArticles(), s.Ignored
	// "Refreshed 3 feeds and home"; a sync alone (R on an account's row)
	// is "Synced home".
	done, what := "Refreshed", []string{news.Count(r.last.Done, "feed")}
	if r.last.Done == 0 && len(r.accounts) > 0 {
		done, what = "Synced", nil
	}
	pushed, changed := 0, 0
	for _, a := range r.accounts {
		ignored += a.Ignored
		pushed += a.Pushed
		changed += a.Changed
		what = append(what, a.Name)
	}
	problem := accountProblem(r.accounts)
	switch {
	case r.err != nil:
		m.status.fail(r.err) // says itself what it stopped
	case problem != nil:
		m.status.fail(problem) // offline, or the server refused the login
	case r.auto && newArticles > 0:
		m.status.info("Reloaded: " + arrived(r))
	case r.auto:
	case r.last.Done == 0 && len(r.accounts) == 0:
		m.status.info("Nothing to refresh")
	case r.offline():
		m.status.fail(fmt.Errorf("offline: no feed could be reached; showing what the cache holds"))
	case s.Failed > 0:
		m.status.fail(fmt.Errorf("%s %s: %s%s, %d failed (e on a feed shows why)",
			done, strings.Join(what, " and "), news.Count(newArticles, "new article"), syncNote(pushed, changed), s.Failed))
	default:
		m.status.info(fmt.Sprintf("%s %s: %s%s%s", done, strings.Join(what, " and "), news.Count(newArticles, "new article"),
			ignoredNote(ignored), syncNote(pushed, changed)))
	}
	cmds := []tea.Cmd{m.reloadFeeds()}
	if (newArticles > 0 || len(r.accounts) > 0) && m.items.loaded {
		cmds = append(cmds, m.reloadList())
	}
	if newArticles > 0 {
		cmds = append(cmds, m.notify(arrived(r)))
	}
	return tea.Batch(cmds...)
}

// accountProblem is why the first account that did not sync did not.
func accountProblem(accounts []refresh.AccountResult) error {
	for _, a := range accounts {
		if a.Err != nil {
			return a.Err
		}
	}
	return nil
}

// syncNote says, as byline sync does, how many marks the accounts' syncs
// sent to their servers and how many read and starred flags came from
// them: without it, marks that waited for a server leave without a word.
func syncNote(pushed, changed int) string {
	var note string
	if pushed > 0 {
		note += ", " + news.Count(pushed, "change") + " sent"
	}
	if changed > 0 {
		note += ", " + news.Count(changed, "read/starred change") + " from the server"
	}
	return note
}

// ignoredNote says how many articles the ignore rules kept out, if any.
func ignoredNote(ignored int) string {
	if ignored == 0 {
		return ""
	}
	return fmt.Sprintf(", %d ignored", ignored)
}

// toggleListUnread lists only the unread articles of the list, or all of
// them again.
func (m *Model) toggleListUnread() tea.Cmd {
	src := m.items.source
	if src.query != "" {
		m.status.info("Search results list every match")
		return nil
	}
	src.filter.Unread = !src.filter.Unread
	cmd := m.openList(src)
	if src.filter.Unread {
		m.status.info("Showing unread articles only (u shows all)")
	} else {
		m.status.info("Showing read articles too")
	}
	return cmd
}

// sortOrder is one step of the cycle O goes through.
type sortOrder struct {
	order news.Order
	name  string
}

var sortOrders = []sortOrder{{news.NewestFirst, "date"}, {news.ByTitle, "title"}, {news.ByFeed, "feed"}}

// sortList lists the same articles by the next order.
func (m *Model) sortList() tea.Cmd {
	src := m.items.source
	if src.query != "" {
		m.status.info("Search results are listed best match first")
		return nil
	}
	i := slices.IndexFunc(sortOrders, func(o sortOrder) bool { return o.order == src.filter.Order })
	next := sortOrders[(i+1)%len(sortOrders)]
	src.filter.Order = next.order
	cmd := m.openList(src)
	m.status.info("Sorted by " + next.name)
	return cmd
}

// feedsDone ends a load of the feeds, and starts another if the counts
// changed meanwhile.
func (m *Model) feedsDone() tea.Cmd {
	m.feedsLoading = false
	if !m.feedsStale {
		return nil
	}
	m.feedsStale = false
	return m.reloadFeeds()
}

// uncounted are the rows of query feeds subs before they are counted.
func uncounted(subs []news.Subscription) []news.Feed {
	feeds := make([]news.Feed, 0, len(subs))
	for _, sub := range subs {
		if sub.Query != "" {
			feeds = append(feeds, news.Feed{URL: sub.URL, Title: sub.Title, Tags: sub.Tags, Query: sub.Query})
		}
	}
	return feeds
}

// reloadFeeds asks for fresh counts, at most one query at a time: while
// one runs, the next is only noted, so a refresh of hundreds of feeds
// costs a handful of queries.
func (m *Model) reloadFeeds() tea.Cmd {
	if m.feedsLoading {
		m.feedsStale = true
		return nil
	}
	m.feedsLoading = true
	return loadFeeds(m.ctx, m.deps.Store, m.deps.FeedList)
}

// loadWanted loads the pages the article list's cursor needs.
func (m *Model) loadWanted() tea.Cmd {
	var cmds []tea.Cmd
	for _, off := range m.items.wantPages() {
		cmds = append(cmds, loadPage(m.ctx, m.deps.Store, m.items.gen, m.items.source.filter, off, m.items.dbOffset(off)))
	}
	return tea.Batch(cmds...)
}

// reloadList loads the current list again after its articles changed,
// keeping what is shown until the new rows arrive.
func (m *Model) reloadList() tea.Cmd {
	if m.items.source.query != "" {
		return nil
	}
	m.listGen++
	m.items.reload(m.listGen)
	return m.loadWanted()
}

func (m *Model) openList(src listSource) tea.Cmd {
	m.reader.close()
	m.links.close()
	m.listGen++
	m.items.reset(src, m.listGen)
	m.screen = articlesScreen
	if src.query != "" {
		return search(m.ctx, m.deps.Store, m.listGen, src.query)
	}
	return m.loadWanted()
}
