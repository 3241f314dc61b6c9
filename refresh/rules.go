package refresh

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/filter"
	"github.com/bylinehq/byline/news"
)

// Rules are what a refresh applies to each feed besides fetching it, from
// config.toml: the [[ignore]] rules, which keep the items they match out
// of the cache, and the feeds' own settings (user-agent, max-items,
// keep-days). The zero Rules apply nothing and keep everything.
type Rules struct {
	settings config.Settings
	ignore   []ignoreRule
}

type ignoreRule struct {
	config.IgnoreRule
	expr *filter.Expr
}

// NewRules returns the rules of settings, which must be valid.
func NewRules(settings config.Settings) (Rules, error) {
	r := Rules{settings: settings}
	for i, rule := range settings.Ignore {
		expr, err := filter.Parse(rule.Match)
		if err != nil {
			return Rules{}, fmt.Errorf("ignore rule %d (%s): %w", i+1, rule.Match, err)
		}
		r.ignore = append(r.ignore, ignoreRule{rule, expr})
	}
	return r, nil
}

// job is the fetch of f, with its own User-Agent if it has one.
func (r Rules) job(f news.Feed) feed.Job {
	return feed.Job{URL: f.URL, Validators: f.Validators, UserAgent: r.settings.ForFeed(f.URL).UserAgent}
}

// keep leaves out of res's document the items an ignore rule matches and
// those past the feed's max-items (the oldest), and returns how many the
// ignore rules took. It runs before the result is stored, so neither kind
// is ever stored: an ignored article is not shown, and a refresh does not
// count it as new.
func (r Rules) keep(f news.Feed, res *feed.Result, now time.Time) (ignored int) {
	if res.Status != feed.StatusOK || res.Feed == nil {
		return 0
	}
	doc := res.Feed
	if f.Title == f.URL && doc.Title != "" {
		f.Title = doc.Title // the first refresh: the cache has no title yet
	}
	var rules []*filter.Expr
	for _, rule := range r.ignore {
		if rule.Applies(f.URL, f.Title) {
			rules = append(rules, rule.expr)
		}
	}
	if len(rules) > 0 {
		kept := doc.Items[:0]
		for _, it := range doc.Items {
			a := itemArticle(it, f, now)
			rec := filter.Record{Article: &a, Feed: &f, Now: now}
			if slices.ContainsFunc(rules, func(e *filter.Expr) bool { return e.Match(&rec) }) {
				ignored++
				continue
			}
			kept = append(kept, it)
		}
		doc.Items = kept
	}
	if limit := r.settings.ForFeed(f.URL).MaxItems; limit > 0 && len(doc.Items) > limit {
		doc.Items = newest(doc.Items, limit, now)
	}
	return ignored
}

// itemArticle is the article an item becomes when stored: unread,
// unstarred, dated as the cache dates it.
func itemArticle(it news.Item, f news.Feed, now time.Time) news.Article {
	return news.Article{
		FeedID: f.ID, FeedTitle: f.Title, GUID: it.GUID, URL: it.URL, Title: it.Title, Author: it.Author,
		Summary: it.Summary, Content: it.Content, Published: itemDate(it, now), Fetched: now,
	}
}

// itemDate is the date the cache files an item under: its own, unless it
// has none or one in the future, which would pin it to the top.
func itemDate(it news.Item, now time.Time) time.Time {
	date := cmp.Or(it.Published, it.Updated)
	if date.IsZero() || date.After(now) {
		return now
	}
	return date
}

// newest keeps the n newest of items, in their order.
func newest(items []news.Item, n int, now time.Time) []news.Item {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return itemDate(items[b], now).Compare(itemDate(items[a], now)) })
	keep := make([]bool, len(items))
	for _, i := range order[:n] {
		keep[i] = true
	}
	kept := items[:0]
	for i, it := range items {
		if keep[i] {
			kept = append(kept, it)
		}
	}
	return kept
}

// retention is the cache's retention for feeds under these rules at now:
// keep-days and max-items, the feeds' own where they have them.
func (r Rules) retention(feeds []news.Feed, now time.Time) cache.Retention {
	cutoff := func(days int) time.Time {
		if days <= 0 {
			return time.Time{}
		}
		return now.AddDate(0, 0, -days)
	}
	ret := cache.Retention{OlderThan: cutoff(r.settings.KeepDays), MaxItems: r.settings.MaxItems}
	for _, f := range feeds {
		own := r.settings.Feeds[f.URL]
		if own.KeepDays == nil && own.MaxItems == nil {
			continue
		}
		p := r.settings.ForFeed(f.URL)
		if ret.Feeds == nil {
			ret.Feeds = make(map[int64]cache.FeedRetention)
		}
		ret.Feeds[f.ID] = cache.FeedRetention{OlderThan: cutoff(p.KeepDays), MaxItems: p.MaxItems}
	}
	return ret
}

// hasRetention reports whether retention would delete anything at all.
func (r Rules) hasRetention() bool {
	if r.settings.KeepDays > 0 || r.settings.MaxItems > 0 {
		return true
	}
	for _, own := range r.settings.Feeds {
		if own.KeepDays != nil && *own.KeepDays > 0 || own.MaxItems != nil && *own.MaxItems > 0 {
			return true
		}
	}
	return false
}
