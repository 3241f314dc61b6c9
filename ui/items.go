package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/sanitize"
)

const (
	// pageSize is how many articles one query loads.
	pageSize = 200
	// maxWindow bounds the articles held at once, so scrolling through
	// 100,000 articles keeps memory flat.
	maxWindow = 5 * pageSize
	// prefetchMargin is how close the cursor gets to either end of the
	// loaded window before the next page is asked for.
	prefetchMargin = 50
	// searchLimit is how many search results are listed.
	searchLimit = 200
)

// listSource is what an article list shows: a filter over the cache, or
// the results of a search.
type listSource struct {
	title  string
	filter news.Filter
	query  string // set for search results, which are not paged
}

// articleList is the article screen: a window of a possibly huge list,
// loaded a page at a time around the cursor.
type articleList struct {
	source listSource
	gen    int  // bumped for every new list, so late pages are dropped
	loaded bool // the first answer arrived
	// failed is why the first page could not be loaded; shown in place of
	// the rows, so a broken cache is not an endless "loading…".
	failed string
	// count is what the cache reports for the filter now. Articles that
	// stopped matching since the list opened (read in an Unread list)
	// still hold their rows, recorded in vanished by their index.
	count int
	// matches is how many articles a search found in all; the list
	// shows the first searchLimit of them.
	matches  int
	vanished []int // sorted
	base     int   // index of rows[0]; a multiple of pageSize
	rows     []news.Article
	inFlight []int // page offsets being loaded
	// reloading keeps the rows on screen until the first page of a
	// reload replaces them.
	reloading bool
	scroller
	width int
	// seeking is n or N looking for an unread article, perhaps in pages
	// still to be loaded.
	seeking unreadSeek
	// drawn keeps rows already drawn: a key press changes two rows, and
	// styling a row costs more than the rest of a frame.
	drawn map[rowLook]string
}

// rowLook is everything a drawn row depends on.
type rowLook struct {
	styles                           *Styles
	id                               int64
	title, feed, age                 string
	read, starred, selected, focused bool
	width                            int
	showFeed                         bool
}

func (l *articleList) reset(src listSource, gen int) {
	*l = articleList{source: src, gen: gen, width: l.width, scroller: scroller{height: l.height}, drawn: map[rowLook]string{}}
}

// reload loads the same list again as generation gen, keeping the cursor.
func (l *articleList) reload(gen int) {
	l.gen, l.inFlight, l.reloading, l.seeking = gen, nil, true, unreadSeek{}
}

func (l *articleList) setSize(width, height int) {
	l.width, l.height = width, max(1, height-1)
	l.setCursor(l.cursor)
}

// total is the list's length as the user sees it.
func (l *articleList) total() int { return l.count + len(l.vanished) }

func (l *articleList) end() int { return l.base + len(l.rows) }

func (l *articleList) row(i int) (news.Article, bool) {
	if i < l.base || i >= l.end() {
		return news.Article{}, false
	}
	return l.rows[i-l.base], true
}

func (l *articleList) selected() (news.Article, bool) { return l.row(l.cursor) }

// dbOffset converts a list index to the offset the cache query needs:
// articles that vanished before i are no longer counted by the cache.
func (l *articleList) dbOffset(i int) int {
	n, _ := slices.BinarySearch(l.vanished, i)
	return i - n
}

// wantPages returns the page offsets to load for the cursor's position,
// leaving out pages already on their way.
func (l *articleList) wantPages() []int {
	if l.source.query != "" {
		return nil
	}
	var want []int
	switch {
	case !l.loaded || l.reloading || (l.cursor < l.total() && (l.cursor < l.base || l.cursor >= l.end())):
		want = append(want, l.cursor/pageSize*pageSize)
	default:
		if l.cursor >= l.end()-prefetchMargin && l.end() < l.total() {
			want = append(want, l.end())
		}
		if l.cursor < l.base+prefetchMargin && l.base > 0 {
			want = append(want, l.base-pageSize)
		}
	}
	want = slices.DeleteFunc(want, func(off int) bool { return slices.Contains(l.inFlight, off) })
	l.inFlight = append(l.inFlight, want...)
	return want
}

// addPage merges a loaded page into the window: next to it, or in place
// of it when the cursor jumped far away.
func (l *articleList) addPage(offset int, articles []news.Article, count int) {
	l.dropInFlight(offset)
	l.loaded = true
	keep, keepSelected := l.selected()
	// A reload (a refresh brought news) keeps the cursor on its article
	// and that article on its line of the screen, whatever came above it.
	wasReload, line := l.reloading, l.cursor-l.top
	if l.reloading {
		l.reloading, l.rows, l.vanished = false, nil, nil
	}
	l.count = count
	if end := l.dbOffset(offset) + len(articles); len(articles) < pageSize && end < count {
		// The cache holds fewer rows than its counters say: believe the rows.
		l.count = end
	}
	switch {
	case len(l.rows) == 0 || offset == l.end():
		if len(l.rows) == 0 {
			l.base = offset
		}
		l.rows = append(l.rows, articles...)
	case offset+pageSize == l.base:
		l.rows = append(slices.Clip(articles), l.rows...)
		l.base = offset
	case offset >= l.base && offset < l.end():
		// A reload of a page already held (after a refresh).
		l.rows = append(l.rows[:offset-l.base], articles...)
	default:
		l.base, l.rows = offset, slices.Clone(articles)
	}
	l.trim()
	if i := slices.IndexFunc(l.rows, func(a news.Article) bool { return a.ID == keep.ID }); keepSelected && i >= 0 {
		l.cursor = l.base + i
		if wasReload {
			l.top = l.cursor - line
		}
	}
	l.setCursor(l.cursor)
}

func (l *articleList) dropInFlight(offset int) {
	l.inFlight = slices.DeleteFunc(l.inFlight, func(off int) bool { return off == offset })
}

// trim drops whole pages far from the cursor once the window exceeds
// maxWindow.
func (l *articleList) trim() {
	for len(l.rows) > maxWindow {
		if l.cursor-l.base > l.end()-l.cursor {
			l.rows = l.rows[pageSize:]
			l.base += pageSize
		} else {
			l.rows = l.rows[:len(l.rows)-pageSize]
		}
	}
}

func (l *articleList) setSearchResults(hits []news.Hit, matches int) {
	l.loaded = true
	l.matches = matches
	l.rows = make([]news.Article, len(hits))
	for i, h := range hits {
		l.rows[i] = h.Article
	}
	l.count = len(l.rows)
	l.setCursor(0)
}

func (l *articleList) setCursor(i int) { l.moveTo(i, l.total()) }

// handleKey moves the cursor, or asks to read the selected article or to
// go back. The root loads the pages a move asks for.
func (l *articleList) handleKey(msg tea.KeyPressMsg, k *KeyMap) (intent, bool) {
	if to, ok := moveKey(msg, k, l.cursor, l.total()-1, l.height); ok {
		l.setCursor(to)
		return intent{}, true
	}
	switch {
	case key.Matches(msg, k.Open):
		return intent{kind: openArticleIntent}, true
	case key.Matches(msg, k.Back):
		return intent{kind: leaveIntent}, true
	case key.Matches(msg, k.HideRead):
		return intent{kind: hideReadIntent}, true
	case key.Matches(msg, k.SortList):
		return intent{kind: sortIntent}, true
	case key.Matches(msg, k.SaveStory):
		return intent{kind: saveStoryIntent}, true
	case key.Matches(msg, k.PipeStory):
		return intent{kind: pipeStoryIntent}, true
	}
	return intent{}, false
}

// pageFailed forgets a page that could not be loaded, and any n/N
// waiting for it. A list with nothing loaded shows err instead.
func (l *articleList) pageFailed(offset int, err error) {
	l.dropInFlight(offset)
	l.seeking = unreadSeek{}
	if !l.loaded {
		l.failed = err.Error()
	}
}

// unreadSeek is n or N going through the list for an unread article,
// round past its end like newsboat's, a page at a time where the rows are
// not loaded.
type unreadSeek struct {
	dir     int // +1 or -1
	start   int // the cursor's row, where it goes back to if nothing is found
	at      int // the row looked at last
	left    int // rows still to look at; the search ends at 0
	wrapped bool
}

// seekResult is where n or N got to.
type seekResult struct {
	found   bool // the cursor is on an unread article
	waiting bool // the cursor is on a row whose page is on its way
	wrapped bool // the search went round past the end of the list
	dir     int
}

// seekUnread looks for the next unread article in dir, from the
// cursor's row (from, as in a list) or after it (in the reader).
func (l *articleList) seekUnread(dir int, from bool) seekResult {
	s := unreadSeek{dir: dir, start: l.cursor, at: l.cursor, left: l.total() - 1}
	if from {
		s.at, s.left = l.cursor-dir, l.total()
	}
	l.seeking = s
	return l.continueSeek()
}

// continueSeek goes on looking, in the rows loaded since.
func (l *articleList) continueSeek() seekResult {
	s := &l.seeking
	for s.left > 0 && s.dir != 0 {
		next := s.at + s.dir
		switch {
		case next >= l.total():
			next, s.wrapped = 0, true
		case next < 0:
			next, s.wrapped = l.total()-1, true
		}
		a, ok := l.row(next)
		if !ok {
			l.setCursor(next) // wantPages asks for its page
			return seekResult{waiting: true, wrapped: s.wrapped, dir: s.dir}
		}
		s.at, s.left = next, s.left-1
		if !a.Read {
			l.setCursor(next)
			res := seekResult{found: true, wrapped: s.wrapped, dir: s.dir}
			*s = unreadSeek{}
			return res
		}
	}
	res := seekResult{dir: s.dir}
	l.setCursor(s.start)
	*s = unreadSeek{}
	return res
}

// seekRunning says whether n or N waits for a page.
func (l *articleList) seekRunning() bool { return l.seeking.dir != 0 }

// loadedIDs lists the articles held, which for search results is all of them.
func (l *articleList) loadedIDs() []int64 {
	ids := make([]int64, 0, len(l.rows))
	for _, a := range l.rows {
		ids = append(ids, a.ID)
	}
	return ids
}

// replace updates a loaded article after its flags changed, and keeps
// vanished in step with the list's filter.
func (l *articleList) replace(a news.Article) {
	for i := range l.rows {
		if l.rows[i].ID != a.ID {
			continue
		}
		l.rows[i] = a
		if l.source.query != "" {
			return
		}
		index := l.base + i
		pos, found := slices.BinarySearch(l.vanished, index)
		matches := (!l.source.filter.Unread || !a.Read) && (!l.source.filter.Starred || a.Starred)
		switch {
		case !matches && !found:
			l.vanished = slices.Insert(l.vanished, pos, index)
			l.count--
		case matches && found:
			l.vanished = slices.Delete(l.vanished, pos, pos+1)
			l.count++
		}
		return
	}
}

// markAllRead shows every loaded article as read.
func (l *articleList) markAllRead() {
	for i := range l.rows {
		l.rows[i].Read = true
	}
}

// where names the list and the cursor's place for the status line.
func (l *articleList) where() string {
	if l.total() == 0 {
		return l.source.title
	}
	return fmt.Sprintf("%s · %d/%d", l.source.title, l.cursor+1, l.total())
}

func (l *articleList) rowAt(line int) (int, bool) { return l.scroller.rowAt(line, l.total()) }

func (l *articleList) View(st *Styles, now time.Time, focused bool) string {
	var b strings.Builder
	header := l.source.title
	switch {
	case !l.loaded && l.failed != "":
		header += " · could not load"
	case !l.loaded:
		header += " · loading…"
	case l.source.query != "" && l.matches > l.total():
		header += fmt.Sprintf(" · %s of %s found", news.Thousands(l.total()), news.Thousands(l.matches))
	case l.source.query != "":
		header += fmt.Sprintf(" · %d found", l.total())
	default:
		header += fmt.Sprintf(" · %d", l.total())
	}
	b.WriteString(st.Title.Render(fitWidth(header, l.width)))
	if !l.loaded && l.failed != "" {
		b.WriteString(failureView(st, l.failed, l.width, l.height))
		return b.String()
	}
	showFeed := l.width >= 40 && len(l.source.filter.FeedIDs) != 1
	for line := range l.height {
		b.WriteByte('\n')
		i := l.top + line
		if i >= l.total() {
			if l.loaded && l.total() == 0 && line == 0 {
				b.WriteString(st.Dim.Render(fitWidth("  No articles here.", l.width)))
			}
			continue
		}
		a, ok := l.row(i)
		if !ok {
			b.WriteString(st.Dim.Render(fitWidth("  …", l.width)))
			continue
		}
		b.WriteString(l.drawRow(a, st, now, showFeed, i == l.cursor, focused))
	}
	return b.String()
}

func (l *articleList) drawRow(a news.Article, st *Styles, now time.Time, showFeed, selected, focused bool) string {
	look := rowLook{
		styles: st, id: a.ID, title: a.Title, feed: a.FeedTitle, age: relativeAge(now, a.Published),
		read: a.Read, starred: a.Starred, selected: selected, focused: focused, width: l.width, showFeed: showFeed,
	}
	if row, ok := l.drawn[look]; ok {
		return row
	}
	if l.drawn == nil { // only in a zero list: View runs on a copy, so this one is not kept
		l.drawn = map[rowLook]string{}
	}
	if len(l.drawn) > 4*l.height+64 {
		clear(l.drawn) // the map is shared by the model's copies; keep it, empty it
	}
	row := articleRow(a, st, look.age, l.width, showFeed, selected, focused)
	l.drawn[look] = row
	return row
}

// articleRow draws one article: unread dot, star, title, feed, age.
func articleRow(a news.Article, st *Styles, age string, width int, showFeed, selected, focused bool) string {
	dot, star := "  ", "  "
	if !a.Read {
		dot = "● "
	}
	if a.Starred {
		star = "★ "
	}
	age = fmt.Sprintf("%4s", age)
	feedWidth := 0
	if showFeed {
		feedWidth = min(20, width/4)
	}
	titleWidth := width - 4 - 1 - len(age)
	if feedWidth > 0 {
		titleWidth -= feedWidth + 1
	}
	if titleWidth < 1 {
		return fitWidth(dot+star+oneLine(a.Title), width)
	}
	title := fitWidth(oneLine(a.Title), titleWidth)
	feedName := ""
	if feedWidth > 0 {
		feedName = fitWidth(oneLine(a.FeedTitle), feedWidth) + " "
	}
	if selected {
		style := st.Selected
		if !focused {
			style = st.SelectedDim
		}
		return style.Render(dot + star + title + " " + feedName + age)
	}
	titleStyle := st.Normal
	if !a.Read {
		titleStyle = st.Unread
	}
	return st.UnreadDot.Render(dot) + st.Star.Render(star) + titleStyle.Render(title) + " " +
		st.Dim.Render(feedName+age)
}

// relativeAge says how long ago t was in at most four cells.
func relativeAge(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return ""
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	case d < 365*24*time.Hour:
		return fmt.Sprintf("%dmo", int(d/(30*24*time.Hour)))
	}
	return fmt.Sprintf("%dy", int(d/(365*24*time.Hour)))
}

// scroller is the cursor of a list and the window of rows on screen.
type scroller struct {
	cursor int
	top    int // first row on screen
	height int // rows on screen, without the list's header line
}

// moveTo puts the cursor on row i of n, and scrolls no more than it
// takes to show it.
func (s *scroller) moveTo(i, n int) {
	s.cursor = max(0, min(i, n-1))
	switch {
	case s.cursor < s.top:
		s.top = s.cursor
	case s.cursor >= s.top+s.height:
		s.top = s.cursor - s.height + 1
	}
	s.top = max(0, min(s.top, n-s.height))
}

// rowAt maps a line of the view (0 is the header) to a row of n.
func (s *scroller) rowAt(line, n int) (int, bool) {
	i := s.top + line - 1
	return i, line >= 1 && line <= s.height && i < n
}

// ago is relativeAge as a phrase: "5h ago", "just now", "" when unknown.
func ago(now, t time.Time) string {
	switch age := relativeAge(now, t); age {
	case "":
		return ""
	case "now":
		return "just now"
	default:
		return age + " ago"
	}
}

// fitWidth truncates s to width cells with an ellipsis, or pads it with
// spaces to exactly width cells.
func fitWidth(s string, width int) string {
	if width <= 0 {
		return ""
	}
	s = ansi.Truncate(s, width, "…")
	if pad := width - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// oneLine makes text safe for one line of the screen. What the feed and
// article packages store has passed the sanitizer already, so this costs a
// scan; it keeps an escape sequence or a newline from older data, or from
// an error message quoting a server, off the screen and out of the layout.
func oneLine(s string) string { return sanitize.Line(s) }

// failureView is the lines under a list's header when it could not be
// loaded: the error in full, wrapped to the width.
func failureView(st *Styles, message string, width, height int) string {
	var b strings.Builder
	lines := strings.Split(ansi.Wrap(oneLine(message), max(1, width-2), ""), "\n")
	for _, line := range lines[:min(len(lines), height)] {
		b.WriteByte('\n')
		b.WriteString(st.Error.Render(fitWidth("  "+line, width)))
	}
	return b.String()
}
