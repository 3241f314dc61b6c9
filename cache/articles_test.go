package cache

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

// library is a small cache with a model of what it holds, so filter tests
// can compute their expected answers.
type library struct {
	s        *Store
	feeds    []int64 // news+tech, news, untagged
	articles []modelArticle
}

type modelArticle struct {
	guid          string
	feed          int64
	hour          int
	read, starred bool
	unsubscribed  bool
}

func newLibrary(t *testing.T) *library {
	t.Helper()
	s := mustOpen(t)
	l := &library{s: s, feeds: subscribe(t, s,
		news.Subscription{URL: "http://127.0.0.1/a.xml", Tags: []string{"news", "tech"}},
		news.Subscription{URL: "http://127.0.0.1/b.xml", Tags: []string{"news"}},
		news.Subscription{URL: "http://127.0.0.1/c.xml"},
	)}
	for fi, id := range l.feeds {
		var items []news.Item
		for i := range 6 {
			// Hours interleave the feeds so the newest-first order mixes them.
			m := modelArticle{guid: fmt.Sprintf("f%d-%d", fi, i), feed: id, hour: i*3 + fi, read: i%2 == 0, starred: i%3 == 0}
			items = append(items, item(m.guid, m.hour))
			l.articles = append(l.articles, m)
		}
		mustSave(t, s, id, okResult(items...))
	}
	var read, starred []int64
	for _, m := range l.articles {
		a := articleByGUID(t, s, m.guid)
		if m.read {
			read = append(read, a.ID)
		}
		if m.starred {
			starred = append(starred, a.ID)
		}
	}
	if err := s.SetRead(ctx, read, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, starred, true); err != nil {
		t.Fatal(err)
	}
	return l
}

// expect is the model's answer to f: newest first, limit and offset applied.
func (l *library) expect(f news.Filter, tags map[int64][]string) []string {
	var ms []modelArticle
	for _, m := range l.articles {
		switch {
		case f.Unread && m.read,
			f.Starred && !m.starred,
			m.unsubscribed && !m.starred,
			len(f.FeedIDs) > 0 && !slices.Contains(f.FeedIDs, m.feed),
			f.Tag != "" && !slices.Contains(tags[m.feed], f.Tag):
			continue
		}
		ms = append(ms, m)
	}
	slices.SortFunc(ms, func(a, b modelArticle) int { return b.hour - a.hour })
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.guid)
	}
	out = out[min(f.Offset, len(out)):]
	if f.Limit > 0 {
		out = out[:min(f.Limit, len(out))]
	}
	return out
}

func (l *library) filters() []news.Filter {
	a, b, c := l.feeds[0], l.feeds[1], l.feeds[2]
	return []news.Filter{
		{},
		{Unread: true},
		{Starred: true},
		{Unread: true, Starred: true},
		{FeedIDs: []int64{a, c}},
		{FeedIDs: []int64{b}, Unread: true},
		{Tag: "news"},
		{Tag: "tech", Unread: true},
		{Tag: "news", FeedIDs: []int64{b, c}},
		{Tag: "nonesuch"},
		{FeedIDs: []int64{12345}},
		{Limit: 4},
		{Limit: 4, Offset: 4},
		{Unread: true, Limit: 3, Offset: 2},
		{Offset: 100},
	}
}

func TestArticlesAndCountFollowFilters(t *testing.T) {
	l := newLibrary(t)
	tags := map[int64][]string{l.feeds[0]: {"news", "tech"}, l.feeds[1]: {"news"}}
	check := func(stage string) {
		t.Helper()
		for _, f := range l.filters() {
			want := l.expect(f, tags)
			if got := guids(mustArticles(t, l.s, f)); !slices.Equal(got, want) {
				t.Errorf("%s: Articles(%+v) = %v, want %v", stage, f, got, want)
			}
			all := f
			all.Limit, all.Offset = 0, 0
			if got, want := mustCount(t, l.s, f), len(l.expect(all, tags)); got != want {
				t.Errorf("%s: Count(%+v) = %d, want %d", stage, f, got, want)
			}
		}
	}
	check("all subscribed")

	// Unsubscribing the untagged feed hides its articles except the starred.
	subscribe(t, l.s, news.Subscription{URL: "http://127.0.0.1/a.xml", Tags: []string{"news", "tech"}},
		news.Subscription{URL: "http://127.0.0.1/b.xml", Tags: []string{"news"}})
	for i := range l.articles {
		l.articles[i].unsubscribed = l.articles[i].feed == l.feeds[2]
	}
	check("one unsubscribed")
}

func TestArticlesTiesNewestInsertedFirst(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	mustSave(t, s, id, okResult(item("first", 7), item("second", 7)))
	mustSave(t, s, id, okResult(item("third", 7)))
	if got := guids(mustArticles(t, s, news.Filter{})); !slices.Equal(got, []string{"third", "second", "first"}) {
		t.Errorf("order %v", got)
	}
	page1 := guids(mustArticles(t, s, news.Filter{Limit: 2}))
	page2 := guids(mustArticles(t, s, news.Filter{Limit: 2, Offset: 2}))
	if got := append(page1, page2...); !slices.Equal(got, []string{"third", "second", "first"}) {
		t.Errorf("pages %v", got)
	}
}

func TestArticleFieldsAndNotFound(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, news.Subscription{URL: "http://127.0.0.1/a.xml", Title: "Mine"})[0]
	want := item("x", 3)
	mustSave(t, s, id, okResult(want))
	a := articleByGUID(t, s, "x")
	if a.FeedID != id || a.FeedTitle != "Mine" || a.URL != want.URL || a.Title != want.Title || a.Author != want.Author ||
		a.Summary != want.Summary || a.Content != want.Content || !a.Published.Equal(want.Published) || a.Read || a.Starred {
		t.Errorf("stored %+v from %+v", a, want)
	}
	if _, err := s.Article(ctx, a.ID+1); !errors.Is(err, ErrNotFound) {
		t.Errorf("Article(unknown) = %v", err)
	}
}

func TestSetFlagsWithUnknownIDChangesNothing(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	mustSave(t, s, id, okResult(item("a", 1), item("b", 2)))
	a, b := articleByGUID(t, s, "a"), articleByGUID(t, s, "b")
	const unknown = 987654
	for name, set := range map[string]func([]int64, bool) error{
		"read":    func(ids []int64, on bool) error { return s.SetRead(ctx, ids, on) },
		"starred": func(ids []int64, on bool) error { return s.SetStarred(ctx, ids, on) },
	} {
		err := set([]int64{a.ID, unknown, b.ID}, true)
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), fmt.Sprint(unknown)) {
			t.Errorf("%s with unknown id: %v", name, err)
		}
		if err := set(nil, true); err != nil {
			t.Errorf("%s of no ids: %v", name, err)
		}
	}
	if n := mustCount(t, s, news.Filter{Unread: true}); n != 2 {
		t.Errorf("unread %d, want 2", n)
	}
	if n := mustCount(t, s, news.Filter{Starred: true}); n != 0 {
		t.Errorf("starred %d, want 0", n)
	}

	if err := s.SetRead(ctx, []int64{a.ID, a.ID, b.ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRead(ctx, []int64{b.ID}, false); err != nil {
		t.Fatal(err)
	}
	if got := guids(mustArticles(t, s, news.Filter{Unread: true})); !slices.Equal(got, []string{"b"}) {
		t.Errorf("unread after toggles: %v", got)
	}
	if f := feedByID(t, s, id); f.Unread != 1 || f.Total != 2 {
		t.Errorf("feed counts %d/%d, want 1/2", f.Unread, f.Total)
	}
}

func TestMarkAllRead(t *testing.T) {
	l := newLibrary(t)
	tags := map[int64][]string{l.feeds[0]: {"news", "tech"}, l.feeds[1]: {"news"}}
	for _, f := range []news.Filter{
		{FeedIDs: []int64{l.feeds[1]}, Limit: 1},
		{Tag: "tech"},
		{},
	} {
		unread := f
		unread.Unread = true
		wantChanged := len(l.expect(unread, tags))
		if f.Limit > 0 {
			// The limit counts read articles too: it marks what Articles(f) lists.
			wantChanged = 0
			for _, g := range l.expect(f, tags) {
				if slices.Contains(l.expect(news.Filter{Unread: true}, tags), g) {
					wantChanged++
				}
			}
		}
		n, err := l.s.MarkAllRead(ctx, f)
		if err != nil || n != wantChanged {
			t.Errorf("MarkAllRead(%+v) = %d, %v; want %d", f, n, err, wantChanged)
		}
		for _, g := range l.expect(f, tags) {
			for i := range l.articles {
				if l.articles[i].guid == g {
					l.articles[i].read = true
				}
			}
		}
		if n, err := l.s.MarkAllRead(ctx, f); err != nil || n != 0 {
			t.Errorf("second MarkAllRead(%+v) = %d, %v", f, n, err)
		}
	}
	if n := mustCount(t, l.s, news.Filter{Unread: true}); n != 0 {
		t.Errorf("%d unread left", n)
	}
	assertCountersMatchRows(t, l.s)
}

func TestPurgeKeepsUnreadAndStarred(t *testing.T) {
	l := newLibrary(t)
	s := l.s
	var maxID int64
	for _, a := range mustArticles(t, s, news.Filter{}) {
		maxID = max(maxID, a.ID)
	}
	cutoff := day0.Add(10 * time.Hour)
	var want []string
	for _, m := range l.articles {
		if !m.read || m.starred || m.hour >= 10 {
			want = append(want, m.guid)
		}
	}
	n, err := s.Purge(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(l.articles)-len(want) || n == 0 {
		t.Errorf("purged %d, want %d", n, len(l.articles)-len(want))
	}
	got := guids(mustArticles(t, s, news.Filter{}))
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
	assertCountersMatchRows(t, s)
	// Purged articles leave the index, and their ids are never reused.
	if hits := mustSearch(t, s, "f0-0 f0-2 f1-2"); len(hits) != 0 {
		t.Errorf("purged articles still found: %v", hitGUIDs(hits))
	}
	mustSave(t, s, l.feeds[0], okResult(item("fresh", 100)))
	if fresh := articleByGUID(t, s, "fresh"); fresh.ID <= maxID {
		t.Errorf("new article id %d reuses a purged one (max was %d)", fresh.ID, maxID)
	}
	integrityCheck(t, s.db)
}

func TestVacuum(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	g := newTextGen(5)
	var items []news.Item
	for i := range 300 {
		items = append(items, g.item(fmt.Sprint(i), day0))
	}
	mustSave(t, s, id, okResult(items...))
	keep := g.item("keep", day0)
	keep.Title = "Quokka sighting"
	mustSave(t, s, id, okResult(keep))
	if _, err := s.MarkAllRead(ctx, news.Filter{}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, []int64{articleByGUID(t, s, "keep").ID}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Purge(ctx, day0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Vacuum(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if after.Size() >= before.Size()/2 {
		t.Errorf("vacuum: %d → %d bytes", before.Size(), after.Size())
	}
	integrityCheck(t, s.db)
	if hits := mustSearch(t, s, "quokka"); len(hits) != 1 {
		t.Errorf("search after vacuum: %v", hitGUIDs(hits))
	}
}
