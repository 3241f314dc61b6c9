package cache

import (
	"testing"

	"github.com/bylinehq/byline/news"
)

// Query feeds on the 100,000-article cache. A query feed's row on the
// feeds screen shows its unread count, so counting is what each refresh
// of the screen costs; the target is 50 ms.
//
//	go test -run '^$' -bench 'Query' -count 5 ./cache
var benchQueries = []struct{ name, query string }{
	// The example: SQL alone, on the unread index.
	{"unread-tag", `unread = "yes" and tags # "tag3"`},
	// Numbers and flags: SQL alone.
	{"age-unstarred", `age between 0:7 and flags !# "s"`},
	// A regular expression on titles: Go, over the unread articles SQL picks.
	{"unread-title-regexp", `unread = "yes" and title =~ "^` + vocabulary()[3] + `"`},
	// A regular expression over every title.
	{"title-regexp", `title =~ "` + vocabulary()[40] + `|` + vocabulary()[41] + `"`},
	// The content of one feed's articles, decompressed for Go.
	{"feed-content-regexp", `feedurl = "https://example.com/feed/7.xml" and content =~ "` + vocabulary()[30] + `"`},
}

func BenchmarkQueryCount(b *testing.B) {
	s := openBigCache(b)
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			f := news.Filter{Query: q.query, Unread: true}
			for b.Loop() {
				if n, err := s.Count(ctx, f); err != nil || n == 0 {
					b.Fatal(n, err)
				}
			}
		})
	}
}

func BenchmarkQueryArticles50(b *testing.B) {
	s := openBigCache(b)
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			f := news.Filter{Query: q.query, Limit: 50}
			for b.Loop() {
				if as, err := s.Articles(ctx, f); err != nil || len(as) == 0 {
					b.Fatal(len(as), err)
				}
			}
		})
	}
}
