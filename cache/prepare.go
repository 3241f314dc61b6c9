package cache

import (
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// Prepared is a fetch result with the part of storing it that needs no
// database done: long text compressed. A refresh prepares results on
// several goroutines while its single writer stores earlier ones: the
// writer is what a large refresh waits on, and this work was a sixth of
// its time.
type Prepared struct {
	Result feed.Result
	// Ignored is how many of the document's items the refresh left out
	// before Prepare (ignore rules, max-items), for its report.
	Ignored int
	items   []preparedItem // Result's items, in order
}

type preparedItem struct {
	news.Item
	storedSummary, storedContent any // packTexts's values
}

// Prepare makes r ready for SavePrepared. It is safe for concurrent use.
func Prepare(r feed.Result) *Prepared {
	p := &Prepared{Result: r}
	if r.Status != feed.StatusOK || r.Feed == nil {
		return p
	}
	p.items = make([]preparedItem, len(r.Feed.Items))
	for i, it := range r.Feed.Items {
		p.items[i] = prepareItem(it)
	}
	return p
}

func prepareItem(it news.Item) preparedItem {
	p := preparedItem{Item: it}
	p.storedSummary, p.storedContent = packTexts(it.Summary, it.Content)
	return p
}
