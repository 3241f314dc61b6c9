package refresh_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// hoursOld dates the test items: each is as old as its title says.
var hoursOld = map[string]int{"seven": 1, "six": 2, "one": 25, "two": 49, "three": 71, "four": 97, "five": 121}

// datedRSS is a feed of items titled as given, dated by hoursOld (or the
// item's place, a day apart).
func datedRSS(title string, items ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title>`, title)
	for i, it := range items {
		hours, ok := hoursOld[it]
		if !ok {
			hours = i*24 + 1
		}
		date := time.Now().Add(-time.Duration(hours) * time.Hour).UTC().Format(time.RFC1123Z)
		fmt.Fprintf(&b, "<item><title>%s</title><link>http://example.test/%d</link><guid>%s</guid><author>%s</author><pubDate>%s</pubDate></item>",
			it, i, it, "ed@example.test (Ed)", date)
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

func mustRules(t *testing.T, s config.Settings) refresh.Rules {
	t.Helper()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := refresh.NewRules(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func titles(t *testing.T, store interface {
	Articles(context.Context, news.Filter) ([]news.Article, error)
}, f news.Filter) []string {
	t.Helper()
	as, err := store.Articles(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}

// Ignore rules keep the items they match out of the cache, for all feeds
// or one, named by URL or title; the refresh counts them.
func TestIgnoreRules(t *testing.T) {
	store, feeds := setup(t, 2, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed/0" {
			fmt.Fprint(w, datedRSS("Tech Notes", "Go 1.26", "Sponsored: a VPN", "Rust 2", "Weekly digest"))
			return
		}
		fmt.Fprint(w, datedRSS("World Desk", "Harbour reopens", "Sponsored: shoes", "Weekly digest"))
	})
	s := config.Default()
	s.Ignore = []config.IgnoreRule{
		{Feed: "*", Match: `title =~ "^sponsored"`},
		{Feed: "tech notes", Match: `title = "Weekly digest"`}, // by the title the feed gives itself
		{Feed: feeds[1].URL, Match: `age > 30`},                // matches nothing
	}
	ctx := context.Background()
	var outcomes []refresh.Outcome
	sum, err := refresh.Run(ctx, store, feed.NewFetcher(feed.Options{}), feeds, mustRules(t, s), time.Now(),
		func(p refresh.Progress) { outcomes = append(outcomes, p.Last) })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ignored != 3 || sum.New != 4 {
		t.Errorf("summary %+v, want 3 ignored and 4 new", sum)
	}
	for _, o := range outcomes {
		if want := map[string]int{feeds[0].URL: 2, feeds[1].URL: 1}[o.Feed.URL]; o.Ignored != want {
			t.Errorf("%s: %d ignored, want %d", o.Feed.URL, o.Ignored, want)
		}
	}
	got := titles(t, store, news.Filter{})
	slices.Sort(got)
	if want := []string{"Go 1.26", "Harbour reopens", "Rust 2", "Weekly digest"}; !slices.Equal(got, want) {
		t.Errorf("stored %q, want %q", got, want)
	}
	// The next refresh ignores them again; nothing comes back.
	if sum, err = refresh.Run(ctx, store, feed.NewFetcher(feed.Options{}), feeds, mustRules(t, s), time.Now(), nil); err != nil || sum.New != 0 || sum.Ignored != 3 {
		t.Errorf("second refresh: %+v, %v", sum, err)
	}
}

// A feed's own user-agent, max-items and keep-days apply to it alone.
func TestPerFeedSettings(t *testing.T) {
	var mu sync.Mutex
	agents := map[string]string{}
	items := []string{"one", "two", "three", "four", "five"}
	store, feeds := setup(t, 2, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.URL.Path] = r.UserAgent()
		list := items
		mu.Unlock()
		fmt.Fprint(w, datedRSS("F"+r.URL.Path, list...))
	})
	s := config.Default()
	s.UserAgent = "byline-test"
	keep3, maxItems := 3, 2
	s.Feeds = map[string]config.FeedSettings{
		feeds[0].URL: {UserAgent: "Mozilla/5.0 (own)", MaxItems: &maxItems},
		feeds[1].URL: {KeepDays: &keep3},
	}
	rules := mustRules(t, s)
	ctx := context.Background()
	fetcher := feed.NewFetcher(s.FeedOptions())
	sum, err := refresh.Run(ctx, store, fetcher, feeds, rules, time.Now(), nil)
	if err != nil || sum.New != 7 {
		t.Fatalf("Run: %+v, %v; want 2 + 5 new", sum, err)
	}
	if agents["/feed/0"] != "Mozilla/5.0 (own)" || agents["/feed/1"] != "byline-test" {
		t.Errorf("User-Agents: %v", agents)
	}
	if got := titles(t, store, news.Filter{FeedIDs: []int64{feeds[0].ID}}); !slices.Equal(got, []string{"one", "two"}) {
		t.Errorf("max-items 2 stored %q, want the two newest", got)
	}

	// Feed 1 keeps read articles 3 days: "four" and "five", older, go once
	// read; the other read ones and the unread ones stay.
	if _, err := store.MarkAllRead(ctx, news.Filter{FeedIDs: []int64{feeds[1].ID}}); err != nil {
		t.Fatal(err)
	}
	// The feed moves on: two new items; with max-items 2 feed 0 keeps only them.
	mu.Lock()
	items = append([]string{"seven", "six"}, items...)
	mu.Unlock()
	if err := store.SetStarred(ctx, idsOf(t, store, feeds[0].ID, "one"), true); err != nil {
		t.Fatal(err)
	}
	if _, err := refresh.Run(ctx, store, fetcher, feeds, rules, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if err := refresh.Finish(ctx, store, rules, refresh.FinishBudget); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, store, news.Filter{FeedIDs: []int64{feeds[0].ID}}); !slices.Equal(got, []string{"seven", "six", "one"}) {
		t.Errorf("feed 0 after Finish: %q, want the 2 newest and the starred one", got)
	}
	if got := titles(t, store, news.Filter{FeedIDs: []int64{feeds[1].ID}}); !slices.Equal(got, []string{"seven", "six", "one", "two", "three"}) {
		t.Errorf("feed 1 after Finish: %q, want the unread and the read ones under 3 days", got)
	}
	// What retention dropped stays dropped: the feed still carries it.
	if sum, err := refresh.Run(ctx, store, fetcher, feeds, rules, time.Now(), nil); err != nil || sum.New != 0 {
		t.Errorf("a refresh after retention: %+v, %v; want nothing new", sum, err)
	}
}

func idsOf(t *testing.T, store interface {
	Articles(context.Context, news.Filter) ([]news.Article, error)
}, feedID int64, title string) []int64 {
	t.Helper()
	as, err := store.Articles(context.Background(), news.Filter{FeedIDs: []int64{feedID}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range as {
		if a.Title == title {
			ids = append(ids, a.ID)
		}
	}
	return ids
}
