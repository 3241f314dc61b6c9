package cache

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

// purgeAllRead marks every article read and lets retention drop them.
func purgeAllRead(t testing.TB, s *Store) int {
	t.Helper()
	if _, err := s.MarkAllRead(ctx, news.Filter{}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Purge(ctx, day0.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func droppedGUIDs(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.db.QueryContext(ctx, "SELECT guid FROM dropped_articles ORDER BY guid")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			t.Fatal(err)
		}
		out = append(out, g)
	}
	if err := closeRows(rows); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPurgedItemsStayDroppedWhileTheFeedCarriesThem(t *testing.T) {
	s := mustOpen(t)
	clock := day0.AddDate(1, 0, 0)
	s.now = func() time.Time { return clock }
	id := subscribe(t, s, urls(1)...)[0]
	a, b, c := item("a", 1), item("b", 2), item("c", 3)
	mustSave(t, s, id, okResult(a, b, c))
	if n := purgeAllRead(t, s); n != 3 {
		t.Fatalf("purged %d, want 3", n)
	}

	// The feed still carries a and b, c under a new guid, and a new item.
	renumbered := c
	renumbered.GUID = "c-again"
	if n := mustSave(t, s, id, okResult(a, b, renumbered, item("d", 4))); n != 1 {
		t.Errorf("stored %d new items, want only d", n)
	}
	if got := guids(mustArticles(t, s, news.Filter{})); !slices.Equal(got, []string{"d"}) {
		t.Errorf("articles %v, want [d]", got)
	}

	// Days later the feed has dropped a: within the grace period its
	// memory stays (a feed may serve a short document for a while)...
	clock = clock.Add(10 * 24 * time.Hour)
	mustSave(t, s, id, okResult(b, renumbered, item("d", 4)))
	if got := droppedGUIDs(t, s); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("dropped after a left the feed: %v", got)
	}
	mustSave(t, s, id, okResult(a, b, renumbered, item("d", 4)))
	if n := mustCount(t, s, news.Filter{}); n != 1 {
		t.Errorf("a came back after a short absence: %d articles", n)
	}
	// ...and once the feed has not carried it for longer, it is forgotten,
	// while b and c (through its link), still carried, are kept.
	clock = clock.Add(10 * 24 * time.Hour)
	mustSave(t, s, id, okResult(b, renumbered))
	clock = clock.Add(droppedGrace)
	mustSave(t, s, id, okResult(b, renumbered))
	if got := droppedGUIDs(t, s); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("dropped after a was gone for the grace period: %v, want [b c]", got)
	}
	if n := mustCount(t, s, news.Filter{}); n != 1 {
		t.Errorf("%d articles, want d alone", n)
	}
	integrityCheck(t, s.db)
}

// A link that several items share (a feed linking every item to its home
// page) does not identify an item: only guids count there.
func TestSharedLinkDoesNotHideNewItems(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	home := "http://127.0.0.1/"
	a, b := item("a", 1), item("b", 2)
	a.URL, b.URL = home, home
	mustSave(t, s, id, okResult(a))
	purgeAllRead(t, s)
	if n := mustSave(t, s, id, okResult(a, b)); n != 1 {
		t.Errorf("stored %d, want b: its link is a's too, but it is another item", n)
	}
}

// BenchmarkSaveResultDropped stores again a 50-item feed of which
// retention dropped 45: a long-lived feed refreshed after a purge.
func BenchmarkSaveResultDropped(b *testing.B) {
	s := mustOpen(b)
	g := newTextGen(3)
	items := make([]news.Item, 50)
	for i := range items {
		items[i] = g.item(fmt.Sprint(i), day0.Add(-time.Duration(i)*time.Hour))
	}
	id := subscribe(b, s, urls(1)...)[0]
	mustSave(b, s, id, okResult(items...))
	if _, err := s.MarkAllRead(ctx, news.Filter{}); err != nil {
		b.Fatal(err)
	}
	if n, err := s.Purge(ctx, day0.Add(-4*time.Hour)); err != nil || n != 45 {
		b.Fatal(n, err)
	}
	b.ResetTimer()
	for b.Loop() {
		if added, err := s.SaveResult(ctx, id, okResult(items...)); err != nil || added != 0 {
			b.Fatal(added, err)
		}
	}
}
