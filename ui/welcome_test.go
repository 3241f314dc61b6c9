package ui

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// The welcome feed tells of the reader as it is: every key its table
// names is bound to what it says, q goes back (it quits only on the feeds
// screen), and there is no sidebar (#10, item 29).
func TestWelcomeFeedTellsTheKeysAsTheyAre(t *testing.T) {
	r := feed.NewFetcher(feed.Options{}).Fetch(t.Context(), feed.WelcomeURL, news.Validators{})
	if r.Err != nil || r.Feed == nil {
		t.Fatalf("welcome feed: %v", r.Err)
	}
	var all, keys string
	for _, it := range r.Feed.Items {
		all += it.Title + it.Summary + it.Content
		if it.URL == "byline:welcome/keys" {
			keys = it.Content
		}
	}
	if strings.Contains(strings.ToLower(all), "sidebar") {
		t.Error("the welcome feed speaks of a sidebar; the reader has a feeds screen")
	}
	km := DefaultKeyMap()
	var bound []string
	for _, group := range km.FullHelp() {
		for _, b := range group {
			bound = append(bound, b.Keys()...)
		}
	}
	row := regexp.MustCompile(`<tr><td>(.*?)</td><td>(.*?)</td></tr>`)
	kbd := regexp.MustCompile(`<kbd>(.*?)</kbd>`)
	rows := row.FindAllStringSubmatch(keys, -1)
	if len(rows) < 8 {
		t.Fatalf("the Keys article's table has %d rows", len(rows))
	}
	for _, m := range rows {
		for _, k := range kbd.FindAllStringSubmatch(m[1], -1) {
			if !slices.Contains(bound, k[1]) {
				t.Errorf("the welcome feed names key %q, which nothing is bound to", k[1])
			}
			if k[1] == "q" && !strings.Contains(strings.ToLower(m[2]), "back") {
				t.Errorf("q is said to %q; it goes back, and quits only on the feeds screen", m[2])
			}
		}
	}
}
