package ui

import (
	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// Every result names what it was for (a list generation, a reader request
// number, a render key), so Update can drop the ones the user has already
// moved away from.

// feedsLoadedMsg carries the subscriptions with their counts, and the
// query feeds of the feed list (querySubs), whose counts come after in a
// queriesCountedMsg: counting a query feed may read every article, and
// three of them kept a 100,000-article cache's feed list off the screen
// for 60 ms.
type feedsLoadedMsg struct {
	feeds     []news.Feed
	querySubs []news.Subscription
	counts    virtualCounts
	err       error
}

// queriesCountedMsg carries the query feeds with their counts.
type queriesCountedMsg struct {
	queries []news.Feed
	err     error
}

// pageLoadedMsg carries one window of an article list.
type pageLoadedMsg struct {
	list     int // the list generation it was loaded for
	offset   int
	articles []news.Article
	total    int
	err      error
}

// searchDoneMsg carries the results of a search, shown as an article list.
type searchDoneMsg struct {
	list  int
	query string
	hits  []news.Hit
	// matches is how many articles match in all; more than len(hits)
	// when the list stops at searchLimit.
	matches int
	err     error
}

// articleOpenedMsg carries an article, a followed link or a similar
// article, ready to render, with its "From your feeds" articles.
type articleOpenedMsg struct {
	req        int // the reader request it answers
	open       openRequest
	doc        *article.Article
	similar    []news.Article
	similarErr error  // the page shows without them
	id         string // see pageID
	err        error
}

// renderedMsg carries an article rendered at a width in a style.
type renderedMsg struct {
	key  renderKey
	body *renderedBody
	err  error
}

// flagsSavedMsg says whether a read or starred change reached the cache;
// before is the article as it was, to show again when it did not.
type flagsSavedMsg struct {
	before news.Article
	err    error
}

// markedAllReadMsg says how many articles of a list "A" marked read.
type markedAllReadMsg struct {
	list  int
	count int
	err   error
}

// refreshProgressMsg is one finished feed of a running refresh.
type refreshProgressMsg struct {
	progress refresh.Progress
	events   <-chan refresh.Progress
}

// refreshStartedMsg hands Update the event stream of a refresh.
type refreshStartedMsg struct {
	events <-chan refresh.Progress
	total  int // feeds asked for; 0 when all
}

// refreshDoneMsg says the event stream closed.
type refreshDoneMsg struct{}

// browserDoneMsg reports how starting the browser went.
type browserDoneMsg struct {
	url string
	err error
}

// resizeSettledMsg fires a moment after a resize; only the latest one
// re-renders, so dragging a window edge renders once.
type resizeSettledMsg struct{ gen int }

// waitingMsg is how many marks wait for their accounts' servers.
type waitingMsg struct {
	n   int
	err error
}
