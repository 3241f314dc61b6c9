package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/news"
)

type feedRowKind int

const (
	rowAll feedRowKind = iota
	rowUnread
	rowStarred
	rowQuery // a query feed: the articles its filter expression matches
	rowTag
	rowFeed
	// rowAccount heads the feeds of a sync account, which follow it.
	rowAccount
)

// feedRow is one line of the feeds screen: a virtual feed, a tag, a sync
// account or a subscription.
type feedRow struct {
	kind    feedRowKind
	title   string
	tag     string
	account string  // rowAccount: the account's name
	ids     []int64 // rowAccount: the account's feeds
	feed    news.Feed
	unread  int
	// number is what the row's count column shows: unread articles, or
	// the starred ones for Starred, or every article for All.
	number int
}

func (r feedRow) same(o feedRow) bool {
	return r.kind == o.kind && r.tag == o.tag && r.account == o.account && r.feed.ID == o.feed.ID && r.feed.URL == o.feed.URL
}

// synced reports whether the row is a feed of a sync account's server.
func (r feedRow) synced() bool { return r.kind == rowFeed && r.feed.Account != "" }

// subscription reports whether the row is a line of the feed list, which
// a, d and E edit: a feed or a query feed.
func (r feedRow) subscription() bool { return r.kind == rowFeed || r.kind == rowQuery }

// failed says the feed needs looking at: its refresh failed, or it is
// gone, or it moved; e says which.
func (r feedRow) failed() bool {
	return r.kind == rowFeed && (r.feed.LastError != "" || r.feed.Gone || r.feed.MovedTo != "")
}

// source is the article list the row opens.
func (r feedRow) source() listSource {
	switch r.kind {
	case rowUnread:
		return listSource{title: "Unread", filter: news.Filter{Unread: true}}
	case rowStarred:
		return listSource{title: "Starred", filter: news.Filter{Starred: true}}
	case rowQuery:
		return listSource{title: r.title, filter: news.Filter{Query: r.feed.Query}}
	case rowTag:
		return listSource{title: r.title, filter: news.Filter{Tag: r.tag}}
	case rowFeed:
		return listSource{title: r.title, filter: news.Filter{FeedIDs: []int64{r.feed.ID}}}
	case rowAccount:
		return listSource{title: r.title, filter: news.Filter{FeedIDs: r.ids}}
	}
	return listSource{title: "All articles"}
}

// feedList is the feeds screen.
type feedList struct {
	feeds   []news.Feed
	queries []news.Feed
	counts  virtualCounts
	rows    []feedRow
	loaded  bool
	// hideRead leaves out the feeds, query feeds and tags with nothing
	// unread (u; newsboat's show-read-feeds).
	hideRead bool
	// failed is why the feeds could not be loaded at all (a damaged
	// cache): shown in place of the rows rather than "loading…".
	failed string
	// added is a feed just subscribed to with a: the cursor goes to its
	// row once the reloaded feeds hold it.
	added int64
	scroller
	width int
}

// selectWhenListed puts the cursor on the feed with this ID as soon as a
// reload of the feeds brings its row.
func (f *feedList) selectWhenListed(id int64) { f.added = id }

func (f *feedList) setSize(width, height int) {
	f.width, f.height = width, max(1, height-1)
	f.setCursor(f.cursor)
}

// loadFailed shows err in place of feeds that were never loaded; feeds
// already shown stay, and the status line says what went wrong.
func (f *feedList) loadFailed(err error) {
	if !f.loaded {
		f.failed = err.Error()
	}
}

// setFeeds rebuilds the rows from fresh counts, keeping the cursor on the
// same row.
func (f *feedList) setFeeds(feeds, queries []news.Feed, counts virtualCounts) {
	f.feeds, f.queries, f.counts, f.loaded = feeds, queries, counts, true
	f.rebuild()
}

// virtualCounts are the sizes of the All, Unread and Starred lists.
type virtualCounts struct{ all, unread, starred int }

// rebuild lays the rows out again: All, Unread and Starred, the query
// feeds, the tags, the urls file's feeds, then each sync account's row
// (its name: config.toml's "shown as the feed group") with its feeds under
// it; the cursor stays on its row, or the nearest one that is left.
func (f *feedList) rebuild() {
	var current feedRow
	if f.cursor < len(f.rows) {
		current = f.rows[f.cursor]
	}
	tagUnread := map[string]int{}
	var tags []string
	for _, fd := range f.feeds {
		for _, t := range fd.Tags {
			if _, seen := tagUnread[t]; !seen {
				tags = append(tags, t)
			}
			tagUnread[t] += fd.Unread
		}
	}
	slices.Sort(tags)
	rows := []feedRow{
		{kind: rowAll, title: "All", unread: f.counts.unread, number: f.counts.all},
		{kind: rowUnread, title: "Unread", unread: f.counts.unread, number: f.counts.unread},
		{kind: rowStarred, title: "Starred", number: f.counts.starred},
	}
	shown := func(unread int) bool { return !f.hideRead || unread > 0 }
	for _, q := range f.queries {
		if shown(q.Unread) {
			rows = append(rows, feedRow{kind: rowQuery, title: oneLine(q.Title), feed: q, unread: q.Unread, number: q.Unread})
		}
	}
	for _, t := range tags {
		if shown(tagUnread[t]) {
			rows = append(rows, feedRow{kind: rowTag, title: "#" + oneLine(t), tag: t, unread: tagUnread[t], number: tagUnread[t]})
		}
	}
	feedRows := func(feeds []news.Feed) {
		for _, fd := range feeds {
			if shown(fd.Unread) {
				rows = append(rows, feedRow{kind: rowFeed, title: oneLine(fd.Title), feed: fd, unread: fd.Unread, number: fd.Unread})
			}
		}
	}
	local, accounts, synced := groupByAccount(f.feeds)
	feedRows(local)
	for _, name := range accounts {
		group := feedRow{kind: rowAccount, title: oneLine(name), account: name}
		for _, fd := range synced[name] {
			group.ids = append(group.ids, fd.ID)
			group.unread += fd.Unread
		}
		group.number = group.unread
		if shown(group.unread) {
			rows = append(rows, group)
		}
		feedRows(synced[name])
	}
	f.rows = rows
	if f.added != 0 {
		if i := slices.IndexFunc(rows, func(r feedRow) bool { return r.kind == rowFeed && r.feed.ID == f.added }); i >= 0 {
			f.added = 0
			f.setCursor(i)
			return
		}
	}
	if f.cursor < len(rows) && rows[f.cursor].same(current) {
		return
	}
	if i := slices.IndexFunc(rows, current.same); i >= 0 {
		f.setCursor(i)
		return
	}
	f.setCursor(f.cursor)
}

// groupByAccount parts feeds into the urls file's and each account's, the
// accounts in the order they first come, each part keeping its order.
func groupByAccount(feeds []news.Feed) (local []news.Feed, accounts []string, synced map[string][]news.Feed) {
	synced = map[string][]news.Feed{}
	for _, fd := range feeds {
		if fd.Account == "" {
			local = append(local, fd)
			continue
		}
		if _, seen := synced[fd.Account]; !seen {
			accounts = append(accounts, fd.Account)
		}
		synced[fd.Account] = append(synced[fd.Account], fd)
	}
	return local, accounts, synced
}

// toggleHideRead shows or hides what has nothing unread, and says which.
func (f *feedList) toggleHideRead() string {
	f.hideRead = !f.hideRead
	f.rebuild()
	if f.hideRead {
		return "Showing only feeds with unread articles (u shows all)"
	}
	return "Showing every feed"
}

func (f *feedList) selected() (feedRow, bool) {
	if f.cursor >= len(f.rows) {
		return feedRow{}, false
	}
	return f.rows[f.cursor], true
}

func (f *feedList) totalUnread() int {
	if len(f.rows) == 0 {
		return 0
	}
	return f.rows[0].unread
}

func (f *feedList) setCursor(i int) { f.moveTo(i, len(f.rows)) }

// handleKey moves the cursor, or asks for the selected row's list.
func (f *feedList) handleKey(msg tea.KeyPressMsg, k *KeyMap) (intent, bool) {
	if to, ok := moveKey(msg, k, f.cursor, len(f.rows)-1, f.height); ok {
		f.setCursor(to)
		return intent{}, true
	}
	switch {
	case key.Matches(msg, k.Open):
		if row, ok := f.selected(); ok {
			return intent{kind: openListIntent, list: row.source()}, true
		}
		return intent{}, true
	case key.Matches(msg, k.HideRead):
		return intent{info: f.toggleHideRead()}, true
	case key.Matches(msg, k.AddFeed):
		return intent{kind: addFeedIntent}, true
	case key.Matches(msg, k.RemoveFeed):
		return intent{kind: removeFeedIntent}, true
	case key.Matches(msg, k.EditFeed):
		return intent{kind: editFeedIntent}, true
	}
	return intent{}, false
}

// nextUnread moves the cursor to the next (dir +1) or previous feed with
// unread articles, going round past the end of the list (wrapped).
func (f *feedList) nextUnread(dir int) (found, wrapped bool) {
	n := len(f.rows)
	for step := 1; step < n+1; step++ {
		i := f.cursor + dir*step
		wrapped = wrapped || i < 0 || i >= n
		i = (i%n + n) % n
		if row := f.rows[i]; row.kind == rowFeed && row.unread > 0 {
			f.setCursor(i)
			return true, wrapped
		}
	}
	return false, false
}

// selectedURL is the site (else the feed) of the selected subscription.
func (f *feedList) selectedURL() string {
	row, ok := f.selected()
	if !ok || row.kind != rowFeed {
		return ""
	}
	if row.feed.SiteURL != "" {
		return row.feed.SiteURL
	}
	return row.feed.URL
}

// selectedTitle is the selected feed's title, for the browser's %t.
func (f *feedList) selectedTitle() string {
	if row, ok := f.selected(); ok && row.kind == rowFeed {
		return row.feed.Title
	}
	return ""
}

// feed returns the subscription with the id.
func (f *feedList) feed(id int64) (news.Feed, bool) {
	i := slices.IndexFunc(f.feeds, func(fd news.Feed) bool { return fd.ID == id })
	if i < 0 {
		return news.Feed{}, false
	}
	return f.feeds[i], true
}

func (f *feedList) rowAt(line int) (int, bool) { return f.scroller.rowAt(line, len(f.rows)) }

// feedIDs returns the subscriptions a refresh of row covers; nil means all.
func (f *feedList) feedIDs(row feedRow) []int64 {
	switch row.kind {
	case rowFeed:
		return []int64{row.feed.ID}
	case rowTag:
		var ids []int64
		for _, fd := range f.feeds {
			if slices.Contains(fd.Tags, row.tag) {
				ids = append(ids, fd.ID)
			}
		}
		return ids
	case rowAccount:
		return slices.Clone(row.ids)
	}
	return nil
}

func (f *feedList) View(st *Styles, focused bool) string {
	var b strings.Builder
	header := "Feeds"
	if f.hideRead {
		header += " (unread only)"
	}
	switch {
	case !f.loaded && f.failed != "":
		header += " · could not load"
	case !f.loaded:
		header += " · loading…"
	default:
		header += fmt.Sprintf(" · %d unread", f.totalUnread())
	}
	b.WriteString(st.Title.Render(fitWidth(header, f.width)))
	if !f.loaded && f.failed != "" {
		b.WriteString(failureView(st, f.failed, f.width, f.height))
		return b.String()
	}
	for line := range f.height {
		b.WriteByte('\n')
		i := f.top + line
		if i >= len(f.rows) {
			continue
		}
		b.WriteString(feedRowView(f.rows[i], st, f.width, i == f.cursor, focused))
	}
	return b.String()
}

func feedRowView(r feedRow, st *Styles, width int, selected, focused bool) string {
	marker := "  "
	if r.failed() {
		marker = "! "
	}
	number := ""
	if r.number > 0 {
		number = strconv.Itoa(r.number)
	}
	// An account's feeds sit under its row.
	indent := ""
	if r.synced() {
		indent = "  "
	}
	const numberWidth = 7
	name := fitWidth(indent+r.title, max(1, width-len(marker)-numberWidth))
	number = fmt.Sprintf("%*s", numberWidth, number)
	if selected {
		style := st.Selected
		if !focused {
			style = st.SelectedDim
		}
		return style.Render(marker + name + number)
	}
	nameStyle, numberStyle := st.Normal, st.Dim
	if r.unread > 0 && r.kind != rowAll {
		nameStyle, numberStyle = st.Unread, st.Unread
	}
	if r.kind == rowAccount {
		nameStyle = st.Title
	}
	return st.Failed.Render(marker) + nameStyle.Render(name) + numberStyle.Render(number)
}
