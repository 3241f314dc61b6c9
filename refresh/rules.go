package refresh

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	// fingerprint tells apart the rules that may keep an arriving item
	// out (the ignore rules and max-items); empty when there are none.
	fingerprint string
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
	r.fingerprint = fingerprint(settings)
	return r, nil
}

// fingerprint identifies what of settings decides which arriving items
// are kept out, so that a sync can tell whether the entries it kept out
// before would be kept out now; "" when nothing would be.
func fingerprint(s config.Settings) string {
	limits := map[string]int{}
	for url, own := range s.Feeds {
		if own.MaxItems != nil {
			limits[url] = *own.MaxItems
		}
	}
	if len(s.Ignore) == 0 && s.MaxItems <= 0 && len(limits) == 0 {
		return ""
	}
	// encoding/json writes a map's keys in order.
	b, _ := json.Marshal(struct {
		Ignore   []config.IgnoreRule
		MaxItems int
		Feeds    map[string]int
	}{s.Ignore, s.MaxItems, limits})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// job is the fetch of f, with its own User-Agent if it has one.
func (r Rules) job(f news.Feed) feed.Job {
	return feed.Job{URL: f.URL, Validators: f.Validators, UserAgent: r.settings.ForFeed(f.URL).UserAgent}
}

// keep leaves out of res's document the items that admit turns away, and
// returns how many the ignore rules took.
func (r Rules) keep(f news.Feed, res *feed.Result, now time.Time) (ignored int) {
	if res.Status != feed.StatusOK || res.Feed == nil {
		return 0
	}
	doc := res.Feed
	if f.Title == f.URL && doc.Title != "" {
		f.Title = doc.Title // the first refresh: the cache has no title yet
	}
	doc.Items, _, ignored = admit(r, f, doc.Items, func(it news.Item) news.Article { return itemArticle(it, f, now) }, now)
	return ignored
}

// admit is what happens to the items of feed f as they arrive, fetched by
// a refresh or pulled from a sync account's server, before any of them is
// stored: those an ignore rule for f matches are turned away, and so are
// those past f's max-items (the oldest). Neither kind is ever stored: an
// ignored article is not shown, and it is not counted as new. article is
// the article an item would be stored as. admit returns the items kept, in
// their order (in items' own array), those turned away, and how many of
// them the ignore rules took.
func admit[T any](r Rules, f news.Feed, items []T, article func(T) news.Article, now time.Time) (kept, out []T, ignored int) {
	var rules []*filter.Expr
	for _, rule := range r.ignore {
		if rule.Applies(f.URL, f.Title) {
			rules = append(rules, rule.expr)
		}
	}
	limit := r.settings.ForFeed(f.URL).MaxItems
	if len(rules) == 0 && (limit <= 0 || len(items) <= limit) {
		return items, nil, 0
	}
	kept = items[:0]
	var dates []time.Time
	for _, it := range items {
		a := article(it)
		rec := filter.Record{Article: &a, Feed: &f, Now: now}
		if slices.ContainsFunc(rules, func(e *filter.Expr) bool { return e.Match(&rec) }) {
			ignored++
			out = append(out, it)
			continue
		}
		kept = append(kept, it)
		dates = append(dates, a.Published)
	}
	if limit > 0 && len(kept) > limit {
		var past []T
		kept, past = newest(kept, dates, limit)
		out = append(out, past...)
	}
	return kept, out, ignored
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

// newest keeps the n newest of items, dated by dates, in their order, and
// returns the others too.
func newest[T any](items []T, dates []time.Time, n int) (kept, past []T) {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return dates[b].Compare(dates[a]) })
	keep := make([]bool, len(items))
	for _, i := range order[:n] {
		keep[i] = true
	}
	kept = items[:0]
	for i, it := range items {
		if keep[i] {
			kept = append(kept, it)
		} else {
			past = append(past, it)
		}
	}
	return kept, past
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
