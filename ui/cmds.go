package ui

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// Every command below captures the values it needs, never the model, and
// returns one message; failures come back inside that message. These are
// the only places the TUI touches the cache, the network or the renderer.

// loadFeeds reads the subscriptions with their counts, and the query
// feeds of the feed list (when there is one) with theirs.
func loadFeeds(ctx context.Context, store Store, list FeedList) tea.Cmd {
	return func() tea.Msg {
		feeds, err := store.Feeds(ctx)
		if err != nil {
			return feedsLoadedMsg{err: err}
		}
		counts, err := countVirtual(ctx, store)
		if err != nil || list == nil {
			return feedsLoadedMsg{feeds: feeds, counts: counts, err: err}
		}
		subs, err := list.Queries(ctx)
		return feedsLoadedMsg{feeds: feeds, querySubs: subs, counts: counts, err: err}
	}
}

// countQueries counts the articles of the query feeds subs.
func countQueries(ctx context.Context, store Store, subs []news.Subscription) tea.Cmd {
	return func() tea.Msg {
		queries, err := store.QueryFeeds(ctx, subs)
		return queriesCountedMsg{queries: queries, err: err}
	}
}

// started runs cmd at once, in a goroutine of its own, and returns a
// command that delivers its message. The returned command is for one use.
func started(cmd tea.Cmd) tea.Cmd {
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	return func() tea.Msg { return <-done }
}

// countVirtual counts the All, Unread and Starred lists as the cache
// lists them: the feeds' counts alone would leave out the starred
// articles of removed feeds, which stay.
func countVirtual(ctx context.Context, store Store) (virtualCounts, error) {
	var c virtualCounts
	for _, n := range []struct {
		to *int
		f  news.Filter
	}{{&c.all, news.Filter{}}, {&c.unread, news.Filter{Unread: true}}, {&c.starred, news.Filter{Starred: true}}} {
		var err error
		if *n.to, err = store.Count(ctx, n.f); err != nil {
			return c, err
		}
	}
	return c, nil
}

// loadPage loads the page at list index offset, which the cache knows as
// dbOffset (see articleList.dbOffset), and the list's current count.
func loadPage(ctx context.Context, store Store, gen int, filter news.Filter, offset, dbOffset int) tea.Cmd {
	return func() tea.Msg {
		f := filter
		f.Limit, f.Offset = pageSize, dbOffset
		articles, err := store.Articles(ctx, f)
		if err != nil {
			return pageLoadedMsg{list: gen, offset: offset, err: err}
		}
		named(articles)
		count, err := store.Count(ctx, filter)
		return pageLoadedMsg{list: gen, offset: offset, articles: articles, total: count, err: err}
	}
}

func search(ctx context.Context, store Store, gen int, query string) tea.Cmd {
	return func() tea.Msg {
		hits, err := store.Search(ctx, query, searchLimit)
		for i := range hits {
			hits[i].Title = article.DisplayTitle(hits[i].Article)
		}
		matches := len(hits)
		if err == nil && len(hits) == searchLimit {
			matches, err = store.SearchCount(ctx, query)
		}
		return searchDoneMsg{list: gen, query: query, hits: hits, matches: matches, err: err}
	}
}

// named gives articles without a title their display title: the first
// words of their text, or their link.
func named(articles []news.Article) {
	for i := range articles {
		articles[i].Title = article.DisplayTitle(articles[i])
	}
}

// openPage asks the reader for a stored article, with the cached
// articles about the same story, or for a followed link.
func openPage(ctx context.Context, reader Reader, req int, o openRequest) tea.Cmd {
	return func() tea.Msg {
		var doc *article.Article
		var similar []news.Article
		var err, similarErr error
		if o.isStored() {
			doc, err = reader.Story(ctx, o.stored, o.text)
			if err == nil {
				similar, similarErr = reader.Similar(ctx, o.stored, similarLimit)
				named(similar)
			}
		} else {
			doc, err = reader.Follow(ctx, o.url)
		}
		if err == nil && doc == nil {
			err = fmt.Errorf("open %s: nothing to show", pageKey(o))
		}
		if err != nil {
			return articleOpenedMsg{req: req, open: o, err: err}
		}
		similar = slices.DeleteFunc(similar, func(a news.Article) bool {
			// One of the page's own links: listed once, as the link.
			return slices.ContainsFunc(doc.Links, func(l article.Link) bool { return l.URL == a.URL })
		})
		return articleOpenedMsg{req: req, open: o, doc: doc, similar: similar, similarErr: similarErr,
			id: pageID(o, doc, similar)}
	}
}

// renderPage renders the page's body at the key's width and style, its
// pictures drawn as the key says, draws its link sections, and prepares
// the lines for the reader.
func renderPage(r Renderer, key renderKey, p page, now time.Time) tea.Cmd {
	return func() tea.Msg {
		out, err := r.Render(p.doc, key.width, key.style, key.pics)
		if err != nil {
			return renderedMsg{key: key, err: err}
		}
		// Drawn as the renderer draws the page's own link sections.
		sections, err := article.DrawLinkSections([]article.LinkSection{fromYourFeeds(p.doc, p.similar, now)}, key.width, key.style)
		if err != nil {
			return renderedMsg{key: key, err: err}
		}
		return renderedMsg{key: key, body: prepareBody(out, sections, key.width, maxLinkNumber(p.doc)+len(p.similar))}
	}
}

// setRead saves an article's read flag; before is the article as it was,
// shown again if the cache refuses.
func setRead(ctx context.Context, store Store, before news.Article, read bool) tea.Cmd {
	return func() tea.Msg {
		return flagsSavedMsg{before: before, err: store.SetRead(ctx, []int64{before.ID}, read)}
	}
}

func setStarred(ctx context.Context, store Store, before news.Article, starred bool) tea.Cmd {
	return func() tea.Msg {
		return flagsSavedMsg{before: before, err: store.SetStarred(ctx, []int64{before.ID}, starred)}
	}
}

// markListRead marks a filtered list read, or the listed ids for search
// results, which no filter describes.
func markListRead(ctx context.Context, store Store, gen int, filter news.Filter, ids []int64) tea.Cmd {
	return func() tea.Msg {
		if ids != nil {
			return markedAllReadMsg{list: gen, count: len(ids), err: store.SetRead(ctx, ids, true)}
		}
		n, err := store.MarkAllRead(ctx, filter)
		return markedAllReadMsg{list: gen, count: n, err: err}
	}
}

func startRefresh(ctx context.Context, r Refresher, feedIDs []int64) tea.Cmd {
	return func() tea.Msg {
		return refreshStartedMsg{events: r.Refresh(ctx, feedIDs), total: len(feedIDs)}
	}
}

// waitForRefresh delivers the next event of a refresh; Update re-arms it
// after each one, so a refresh of 500 feeds never floods the queue.
func waitForRefresh(events <-chan refresh.Progress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-events
		if !ok {
			return refreshDoneMsg{}
		}
		return refreshProgressMsg{progress: p, events: events}
	}
}

// openInBrowser starts a graphical browser in the background, or hands
// the terminal to a terminal browser until it exits.
func openInBrowser(link, title, configured string, getenv func(string) string) tea.Cmd {
	cmd, interactive, err := browserCommand(configured, getenv("BROWSER"), runtime.GOOS, link, title)
	if err != nil {
		return func() tea.Msg { return browserDoneMsg{url: link, err: err} }
	}
	if interactive {
		return tea.ExecProcess(cmd, func(err error) tea.Msg { return browserDoneMsg{url: link, err: err} })
	}
	return func() tea.Msg {
		// Standard streams stay unset (the null device): a browser's
		// chatter must not scribble over the TUI.
		if err := cmd.Start(); err != nil {
			return browserDoneMsg{url: link, err: fmt.Errorf("open %s: %w", link, err)}
		}
		go func() { _ = cmd.Wait() }() // reap it; its exit status says nothing useful
		return browserDoneMsg{url: link}
	}
}

// resizeDelay is how long the size must hold still before the reader
// re-renders for it.
const resizeDelay = 120 * time.Millisecond

func settleResize(gen int) tea.Cmd {
	return tea.Tick(resizeDelay, func(time.Time) tea.Msg { return resizeSettledMsg{gen: gen} })
}

// loadWaiting counts the marks waiting for their servers, for the status
// line's "offline: N changes waiting".
func loadWaiting(ctx context.Context, store Store) tea.Cmd {
	return func() tea.Msg {
		waiting, err := store.Waiting(ctx)
		n := 0
		for _, w := range waiting {
			n += w
		}
		return waitingMsg{n: n, err: err}
	}
}
