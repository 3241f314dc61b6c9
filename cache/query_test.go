package cache

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/filter"
	"github.com/bylinehq/byline/news"
)

// queryNow is the clock of the query tests: day0 plus ten days.
var queryNow = day0.Add(10 * 24 * time.Hour)

// queryStore holds three feeds, one since unsubscribed, with articles whose
// titles, authors, dates and flags exercise every comparison.
func queryStore(t testing.TB) *Store {
	t.Helper()
	s := mustOpen(t)
	s.now = func() time.Time { return queryNow }
	ids := subscribe(t, s,
		news.Subscription{URL: "http://127.0.0.1/tech.xml", Title: "Tech Feed", Tags: []string{"tech", "two words"}},
		news.Subscription{URL: "http://127.0.0.1/news.xml", Tags: []string{"news"}},
		news.Subscription{URL: "http://127.0.0.1/gone.xml"},
	)
	titles := []string{"Go 1.26 released", "12345", "12abc", "foo bar baz", "Sponsored: buy now", "", "007", "two words", "Ünïcode ✓ title", "say \"hi\"", "\u212Aernel ſtuff", "100% a_b"}
	authors := []string{"Frank Doe", "", "john", "Ada Lovelace"}
	n := 0
	for fi, id := range ids {
		var items []news.Item
		for i := range 12 {
			it := item(fmt.Sprintf("f%d-%d", fi, i), -(n*7)%200+150)
			it.Title = titles[n%len(titles)]
			it.Author = authors[n%len(authors)]
			if n%3 == 0 {
				it.Content = ""
			}
			if n%5 == 0 {
				it.Content = "<p>Sponsored content with <b>tech</b> words</p>"
			}
			items = append(items, it)
			n++
		}
		r := okResult(items...)
		r.URL = fmt.Sprintf("feed%d", fi)
		r.Feed.SiteURL = fmt.Sprintf("https://site%d.example/", fi)
		mustSave(t, s, id, r)
	}
	all := mustArticles(t, s, news.Filter{})
	for i, a := range all {
		if i%2 == 0 {
			if err := s.SetRead(ctx, []int64{a.ID}, true); err != nil {
				t.Fatal(err)
			}
		}
		if i%4 == 1 || a.GUID == "f2-3" {
			if err := s.SetStarred(ctx, []int64{a.ID}, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The third feed is unsubscribed: only its starred article stays visible.
	if err := s.SyncSubscriptions(ctx, []news.Subscription{
		{URL: "http://127.0.0.1/tech.xml", Title: "Tech Feed", Tags: []string{"tech", "two words"}},
		{URL: "http://127.0.0.1/news.xml", Tags: []string{"news"}},
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

// goMatches evaluates expr in Go on every article Articles(f) lists: the
// answer the SQL plan must give.
func goMatches(t *testing.T, s *Store, f news.Filter, expr *filter.Expr) []int64 {
	t.Helper()
	return goMatchesIn(t, s, mustArticles(t, s, f), expr)
}

func goMatchesIn(t *testing.T, s *Store, articles []news.Article, expr *filter.Expr) []int64 {
	t.Helper()
	return goMatchesWith(mustFeedsByID(t, s), articles, expr)
}

func mustFeedsByID(t *testing.T, s *Store) map[int64]*news.Feed {
	t.Helper()
	feeds, err := s.feedsByID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return feeds
}

func goMatchesWith(feeds map[int64]*news.Feed, articles []news.Article, expr *filter.Expr) []int64 {
	var ids []int64
	for _, a := range articles {
		if expr.Match(&filter.Record{Article: &a, Feed: feeds[a.FeedID], Now: queryNow}) {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

func articleIDs(as []news.Article) []int64 {
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}

var (
	queryAttributes = []string{"title", "content", "author", "link", "guid", "unread", "starred", "flags", "age",
		"date", "feedtitle", "feedurl", "rssurl", "feedlink", "tags", "unread_count", "total_count"}
	queryOperators = []string{"=", "!=", "=~", "!~", "<", ">", "<=", ">=", "between", "#", "!#"}
	queryValues    = []string{`"yes"`, `"no"`, `"s"`, `""`, `3`, `03`, `0:5`, `7:2`, `"3:9"`, `"tech"`, `"two"`,
		`"two words"`, `"12345"`, `12`, `"Go 1.26 released"`, `"^go"`, `"sponsored|lovelace"`, `"2024-03-05 18:30"`,
		`"Tech Feed"`, `"http://127.0.0.1/news.xml"`, `"https://site1.example/"`, `"f1-3"`, `"Doe"`, `"say \"hi\""`,
		`"Mar 2024"`, `24`, `"kernel"`, `"STUFF"`, `"100%"`, `"a_b"`, `"0. a"`}
)

// Every attribute with every operator and a spread of values: the cache's
// answer (SQL, Go, or both) must be the filter package's, for lists,
// pages and counts alike.
func TestQuerySQLAgreesWithGo(t *testing.T) {
	s := queryStore(t)
	var exprs []string
	for _, a := range queryAttributes {
		for _, op := range queryOperators {
			for _, v := range queryValues {
				exprs = append(exprs, a+" "+op+" "+v)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		pick := func() string { return exprs[rng.IntN(len(exprs))] }
		switch rng.IntN(3) {
		case 0:
			exprs = append(exprs, pick()+" and "+pick())
		case 1:
			exprs = append(exprs, pick()+" or "+pick()+" and "+pick())
		default:
			exprs = append(exprs, "("+pick()+" or "+pick()+") and ("+pick()+" or "+pick()+")")
		}
	}
	bases := []news.Filter{{}, {Unread: true}, {Starred: true}, {Tag: "tech"}}
	listed := make([][]news.Article, len(bases))
	for i, base := range bases {
		listed[i] = mustArticles(t, s, base)
	}
	feeds := mustFeedsByID(t, s)
	checked, inSQL := 0, 0
	for i, src := range exprs {
		expr, err := filter.Parse(src)
		if err != nil {
			continue // an invalid regular expression
		}
		// Every expression on all articles, a few on the other lists.
		for b, base := range bases {
			if b > 0 && i%len(bases) != b {
				continue
			}
			f := base
			f.Query = src
			want := goMatchesWith(feeds, listed[b], expr)
			got := articleIDs(mustArticles(t, s, f))
			if !slices.Equal(got, want) {
				p, _ := s.planQuery(f)
				t.Fatalf("%+v: got %v, want %v\nSQL:%s %v\nin Go: %d parts", base, got, want, p.where.where(), p.where.args, len(p.rest))
			}
			if n := mustCount(t, s, f); n != len(want) {
				t.Fatalf("%+v: Count %d, want %d", f, n, len(want))
			}
			if i%5 == 0 {
				f.Offset, f.Limit = 1, 2
				page := articleIDs(mustArticles(t, s, f))
				wantPage := want[min(1, len(want)):min(3, len(want))]
				if !slices.Equal(page, wantPage) {
					t.Fatalf("%+v: page %v, want %v", f, page, wantPage)
				}
			}
			checked++
		}
		if p, _ := s.planQuery(news.Filter{Query: src}); len(p.rest) == 0 {
			inSQL++
		}
	}
	if checked < 5000 {
		t.Fatalf("only %d expressions checked", checked)
	}
	t.Logf("%d checks; %d of the expressions ran in SQL alone", checked, inSQL)
}

// What runs where: the example and newsboat's common queries need
// no Go, and a regular expression leaves only itself to Go.
func TestQueryPlan(t *testing.T) {
	s := queryStore(t)
	for src, inGo := range map[string]int{
		`unread = "yes" and tags # "tech"`:                           0,
		`unread = "yes"`:                                             0,
		`tags # "tech" or feedtitle = "x"`:                           0,
		`age between 0:7 and starred = "no"`:                         0,
		`flags # "s" and unread_count > 0`:                           0,
		`date > "2024-03-01" and total_count != 5`:                   0,
		`title =~ "Sponsored" and unread = "yes"`:                    1,
		`unread = "yes" and (title =~ "a" or author = "b")`:          1,
		`content =~ "x" and title =~ "y" and tags # "z"`:             2,
		`(title = "x" or content =~ "y") and age < 3 and guid # "q"`: 1,
	} {
		p, err := s.planQuery(news.Filter{Query: src})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.rest) != inGo {
			t.Errorf("%s: %d parts in Go, want %d (SQL: %s)", src, len(p.rest), inGo, p.where.where())
		}
	}
}

func TestQueryErrors(t *testing.T) {
	s := queryStore(t)
	_, err := s.Articles(ctx, news.Filter{Query: `title =~ "[["`})
	if err == nil || !strings.Contains(err.Error(), "column 10") {
		t.Errorf("Articles with a bad regular expression: %v", err)
	}
	if _, err := s.Count(ctx, news.Filter{Query: `nosuch = 1`}); err == nil || !strings.Contains(err.Error(), `unknown attribute "nosuch"`) {
		t.Errorf("Count with an unknown attribute: %v", err)
	}
	if _, err := s.MarkAllRead(ctx, news.Filter{Query: `(`}); err == nil {
		t.Error("MarkAllRead with a broken query succeeded")
	}
}

// A query feed reflects marks at once, and marking it read marks exactly
// its unread articles.
func TestQueryMarkAllRead(t *testing.T) {
	for _, src := range []string{`tags # "tech"`, `title =~ "^(go|foo)"`} {
		s := queryStore(t)
		q := news.Filter{Query: src, Unread: true}
		expr := filter.MustParse(src)
		before := goMatches(t, s, news.Filter{Unread: true}, expr)
		if len(before) == 0 {
			t.Fatalf("%s: no unread articles to mark", src)
		}
		unreadBefore := mustCount(t, s, news.Filter{Unread: true})
		n, err := s.MarkAllRead(ctx, news.Filter{Query: src})
		if err != nil || n != len(before) {
			t.Fatalf("%s: MarkAllRead = %d, %v; want %d", src, n, err, len(before))
		}
		if got := mustCount(t, s, q); got != 0 {
			t.Errorf("%s: %d unread after marking it read", src, got)
		}
		if got := mustCount(t, s, news.Filter{Unread: true}); got != unreadBefore-n {
			t.Errorf("%s: %d unread in all, want %d: the counters drifted", src, got, unreadBefore-n)
		}
		if err := s.SetRead(ctx, before[:1], false); err != nil {
			t.Fatal(err)
		}
		if got := mustCount(t, s, q); got != 1 {
			t.Errorf("%s: a mark unread shows %d in the query feed, want 1", src, got)
		}
	}
}

// A new item shows up in a query feed as soon as it is stored.
func TestQueryFollowsRefresh(t *testing.T) {
	s := queryStore(t)
	q := news.Filter{Query: `unread = "yes" and title =~ "breaking"`}
	if n := mustCount(t, s, q); n != 0 {
		t.Fatalf("%d matches before", n)
	}
	it := item("breaking", 200)
	it.Title = "BREAKING: query feeds"
	mustSave(t, s, feedIDs(t, s)[0], feed.Result{URL: "x", Status: feed.StatusOK, Feed: &feed.Document{Items: []news.Item{it}}})
	got := mustArticles(t, s, q)
	if len(got) != 1 || got[0].Title != it.Title {
		t.Fatalf("after the refresh: %v", guids(got))
	}
}

// Query feeds count what they match, unread and all, whether SQL or Go
// decides.
func TestQueryFeeds(t *testing.T) {
	s := queryStore(t)
	subs := []news.Subscription{
		{URL: "http://127.0.0.1/plain.xml"}, // not a query feed: left out
		{URL: `query:Tech:tags # "tech"`, Title: "Tech", Query: `tags # "tech"`, Tags: []string{"daily"}},
		{URL: `query:Go:title =~ "go"`, Title: "Go", Query: `title =~ "go"`},
	}
	feeds, err := s.QueryFeeds(ctx, subs)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 2 {
		t.Fatalf("got %d query feeds, want 2", len(feeds))
	}
	for i, f := range feeds {
		sub := subs[i+1]
		all := mustCount(t, s, news.Filter{Query: sub.Query})
		unread := mustCount(t, s, news.Filter{Query: sub.Query, Unread: true})
		if f.Title != sub.Title || f.URL != sub.URL || f.Query != sub.Query || !slices.Equal(f.Tags, sub.Tags) || f.ID != 0 {
			t.Errorf("query feed %d: %+v", i, f)
		}
		if f.Total != all || f.Unread != unread || all == 0 || unread == 0 || unread == all {
			t.Errorf("%s: %d unread of %d, want %d of %d", sub.Title, f.Unread, f.Total, unread, all)
		}
	}
	if _, err := s.QueryFeeds(ctx, []news.Subscription{{Title: "Bad", Query: "nosuch = 1"}}); err == nil || !strings.Contains(err.Error(), `query feed "Bad"`) {
		t.Errorf("a broken query feed: %v", err)
	}
}

// Every order lists the same way with or without a query, Go sorting what
// SQL would.
func TestOrders(t *testing.T) {
	s := queryStore(t)
	for _, order := range []news.Order{news.NewestFirst, news.ByTitle, news.ByFeed} {
		all := mustArticles(t, s, news.Filter{Order: order})
		for i := 1; i < len(all); i++ {
			a, b := all[i-1], all[i]
			var key func(news.Article) string
			switch order {
			case news.ByTitle:
				key = func(x news.Article) string { return x.Title }
			case news.ByFeed:
				key = func(x news.Article) string { return x.FeedTitle }
			default:
				key = func(news.Article) string { return "" }
			}
			if c := compareNoCase(key(a), key(b)); c > 0 || c == 0 && a.Published.Before(b.Published) {
				t.Fatalf("%q: %q (%v) before %q (%v)", order, a.Title, a.Published, b.Title, b.Published)
			}
		}
		// A query that Go decides lists its matches in the same order.
		q := news.Filter{Order: order, Query: `title =~ "."`}
		var want []int64
		for _, a := range all {
			if a.Title != "" {
				want = append(want, a.ID)
			}
		}
		if got := articleIDs(mustArticles(t, s, q)); !slices.Equal(got, want) {
			t.Errorf("%q with a query: %v, want %v", order, got, want)
		}
		q.Offset, q.Limit = 3, 4
		if got := articleIDs(mustArticles(t, s, q)); !slices.Equal(got, want[3:7]) {
			t.Errorf("%q page: %v, want %v", order, got, want[3:7])
		}
	}
}
