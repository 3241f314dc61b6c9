package cache

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

// pendingIDs lists the articles waiting for IndexPending.
func pendingIDs(t testing.TB, s *Store) []int64 {
	t.Helper()
	rows, err := s.db.QueryContext(ctx, "SELECT article_id FROM index_pending ORDER BY article_id")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := closeRows(rows); err != nil {
		t.Fatal(err)
	}
	return ids
}

// wordItem is an item whose title holds the word head<n> and whose
// content holds body<n>, so searches tell which parts are indexed.
func wordItem(n int) news.Item {
	it := item(fmt.Sprintf("w%d", n), n)
	it.Title = fmt.Sprintf("Headline head%d", n)
	it.Summary = ""
	it.Content = fmt.Sprintf("<p>Long text with body%d in it.</p>", n)
	return it
}

// indexedIDs lists the articles an index holds word for, looking at the
// index itself (Search would index what is pending first).
func indexedIDs(t testing.TB, s *Store, table, word string) []int64 {
	t.Helper()
	rows, err := s.db.QueryContext(ctx, "SELECT rowid FROM "+table+" WHERE "+table+" MATCH ? ORDER BY rowid", `"`+word+`"`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := closeRows(rows); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestSaveResultQueuesEveryArticleForIndexing(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	noContent := wordItem(3)
	noContent.Content = ""
	mustSave(t, s, id, okResult(wordItem(1), wordItem(2), noContent))
	for _, probe := range []struct{ table, word string }{{"articles_fts", "head1"}, {"articles_fts", "body1"}, {"titles_fts", "head1"}} {
		if got := indexedIDs(t, s, probe.table, probe.word); len(got) != 0 {
			t.Errorf("%s holds %q before indexing: %v", probe.table, probe.word, got)
		}
	}
	all := []int64{articleByGUID(t, s, "w1").ID, articleByGUID(t, s, "w2").ID, articleByGUID(t, s, "w3").ID}
	if got := pendingIDs(t, s); !slices.Equal(got, all) {
		t.Errorf("pending %v, want %v", got, all)
	}
	if left, err := s.IndexPending(ctx, 0); err != nil || left != 3 {
		t.Errorf("IndexPending with no budget = %d, %v; want a count of 3", left, err)
	}

	// A search indexes what is pending first: nothing is missed.
	for _, q := range []string{"body1", "head1 body1"} {
		if got := hitGUIDs(mustSearch(t, s, q)); !slices.Equal(got, []string{"w1"}) {
			t.Errorf("%q: %v", q, got)
		}
	}
	if got := pendingIDs(t, s); len(got) != 0 {
		t.Errorf("pending after a search: %v", got)
	}
	if got := indexedIDs(t, s, "titles_fts", "head3"); !slices.Equal(got, all[2:]) {
		t.Errorf("title index: %v", got)
	}
	if got := hitGUIDs(mustSearch(t, s, "headline")); len(got) != 3 {
		t.Errorf("headline: %v", got)
	}
	integrityCheck(t, s.db)

	// A changed article is queued again; its old text leaves the indexes.
	changed := wordItem(1)
	changed.Title = "Headline head8"
	changed.Content = "<p>Rewritten with body9.</p>"
	mustSave(t, s, id, okResult(changed))
	if got := pendingIDs(t, s); !slices.Equal(got, all[:1]) {
		t.Errorf("pending after a change: %v", got)
	}
	mustIndex(t, s)
	if got := indexedIDs(t, s, "articles_fts", "body1"); len(got) != 0 {
		t.Errorf("old content still indexed: %v", got)
	}
	if got := indexedIDs(t, s, "titles_fts", "head1"); len(got) != 0 {
		t.Errorf("old title still indexed: %v", got)
	}
	if got := hitGUIDs(mustSearch(t, s, "body9 head8")); !slices.Equal(got, []string{"w1"}) {
		t.Errorf("new text: %v", got)
	}
	integrityCheck(t, s.db)
}

func TestItemRepeatedInOneResultIsIndexedOnce(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	first, second := wordItem(1), wordItem(1)
	second.Title = "Corrected headline"
	mustSave(t, s, id, okResult(wordItem(0), first, second))
	if got := mustSearch(t, s, "head1"); len(got) != 0 {
		t.Errorf("first version's title found: %v", hitGUIDs(got))
	}
	if got := hitGUIDs(mustSearch(t, s, "corrected")); !slices.Equal(got, []string{"w1"}) {
		t.Errorf("second version's title: %v", got)
	}
	integrityCheck(t, s.db)
}

func TestIndexPendingBatchesAndBudget(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	var items []news.Item
	for i := range 3 * firstIndexBatch {
		items = append(items, wordItem(i))
	}
	mustSave(t, s, id, okResult(items...))
	// The smallest budget still runs one batch, the oldest articles first.
	left, err := s.IndexPending(ctx, time.Nanosecond)
	if err != nil || left != len(items)-firstIndexBatch {
		t.Fatalf("one batch: %d left, %v", left, err)
	}
	for _, n := range []int{0, firstIndexBatch - 1, firstIndexBatch} {
		hits := indexedIDs(t, s, "articles_fts", fmt.Sprintf("body%d", n))
		if indexed := len(hits) == 1; indexed != (n < firstIndexBatch) {
			t.Errorf("body%d indexed: %v", n, indexed)
		}
	}
	mustIndex(t, s)
	if left, err := s.IndexPending(ctx, time.Second); err != nil || left != 0 {
		t.Errorf("nothing pending: %d, %v", left, err)
	}
	integrityCheck(t, s.db)
}

func TestPurgedArticleLeavesQueue(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	mustSave(t, s, id, okResult(wordItem(1), wordItem(2)))
	if _, err := s.MarkAllRead(ctx, news.Filter{}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Purge(ctx, day0.Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge: %d, %v", n, err)
	}
	if got := pendingIDs(t, s); !slices.Equal(got, []int64{articleByGUID(t, s, "w2").ID}) {
		t.Errorf("pending after purge: %v", got)
	}
	mustIndex(t, s)
	integrityCheck(t, s.db)
}

// TestIndexPendingSurvivesKill kills a process in the middle of indexing,
// again and again: every article is either still queued or fully indexed.
func TestIndexPendingSurvivesKill(t *testing.T) {
	if path := os.Getenv("BYLINE_CACHE_TEST_INDEXER"); path != "" {
		s := mustOpenPath(t, path)
		fmt.Println("indexing")
		for {
			if _, err := s.IndexPending(ctx, time.Millisecond); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "byline.db")
	s := mustOpenPath(t, path)
	id := subscribe(t, s, urls(1)...)[0]
	const articles = 600
	var items []news.Item
	for i := range articles {
		it := wordItem(i)
		it.Content += strings.Repeat("<p>A payload of text to make indexing take a while.</p>", 40)
		items = append(items, it)
	}
	mustSave(t, s, id, okResult(items...))

	for round := 0; len(pendingIDs(t, s)) > 0 && round < 20; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestIndexPendingSurvivesKill$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BYLINE_CACHE_TEST_INDEXER="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "indexing\n" {
			cmd.Process.Kill()
			t.Fatalf("child: %q, %v", line, err)
		}
		time.Sleep(time.Duration(5+round*3) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()

		integrityCheck(t, s.db)
		pending := pendingIDs(t, s)
		indexed := indexedIDs(t, s, "articles_fts", "payload")
		titles := indexedIDs(t, s, "titles_fts", "headline")
		if !slices.Equal(indexed, titles) || len(slices.Compact(slices.Sorted(slices.Values(append(indexed, pending...))))) != articles ||
			len(indexed)+len(pending) != articles {
			t.Fatalf("round %d: %d articles indexed, %d in the title index, %d queued; want each either queued or in both", round, len(indexed), len(titles), len(pending))
		}
	}
	if left := len(pendingIDs(t, s)); left == articles {
		t.Errorf("no batch was ever committed")
	}
}

func TestMaintainMergesSegments(t *testing.T) {
	s := mustOpen(t)
	var automerge int
	if err := s.db.QueryRowContext(ctx, "SELECT v FROM articles_fts_config WHERE k = 'automerge'").Scan(&automerge); err != nil || automerge != 0 {
		t.Fatalf("automerge setting %d, %v; want 0 stored in the index", automerge, err)
	}
	ids := subscribe(t, s, urls(20)...)
	for i, id := range ids {
		mustSave(t, s, id, okResult(wordItem(i)))
		mustIndex(t, s)
	}
	before := indexSegments(t, s)
	wantHits := hitGUIDs(mustSearch(t, s, "headline"))
	if err := s.Maintain(ctx); err != nil {
		t.Fatal(err)
	}
	after := indexSegments(t, s)
	if before < 20 || after >= 4 {
		t.Errorf("segments %d → %d; want one per indexing batch before and fewer than four after", before, after)
	}
	if got := hitGUIDs(mustSearch(t, s, "headline")); !slices.Equal(got, wantHits) || len(got) != 20 {
		t.Errorf("after merging: %v", got)
	}
	integrityCheck(t, s.db)
	// Nothing left to merge: a no-op.
	if err := s.Maintain(ctx); err != nil || indexSegments(t, s) != after {
		t.Errorf("second Maintain: %v", err)
	}
}

func TestMaintainStopsAtDeadline(t *testing.T) {
	s := mustOpen(t)
	ids := subscribe(t, s, urls(8)...)
	for i, id := range ids {
		mustSave(t, s, id, okResult(wordItem(i)))
		mustIndex(t, s)
	}
	before := indexSegments(t, s)
	if before < 8 {
		t.Fatalf("%d segments; the test needs some to merge", before)
	}
	expired, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel()
	if err := s.Maintain(expired); err != nil {
		t.Errorf("Maintain past its deadline: %v", err)
	}
	if after := indexSegments(t, s); after != before {
		t.Errorf("segments %d → %d past the deadline", before, after)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Maintain(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Maintain cancelled: %v", err)
	}
}

// A large refresh frees many pages (index rows replaced, segments merged);
// Maintain hands them back, so the file is no larger than what it holds.
func TestMaintainReleasesFreePages(t *testing.T) {
	s := mustOpen(t)
	g := newTextGen(9)
	ids := subscribe(t, s, urls(20)...)
	for i, id := range ids {
		items := make([]news.Item, 20)
		for j := range items {
			items[j] = g.item(fmt.Sprintf("%d-%d", i, j), time.Now().Add(-time.Duration(j)*time.Hour))
		}
		mustSave(t, s, id, okResult(items...))
		mustIndex(t, s)
	}
	if indexSegments(t, s) < 20 {
		t.Fatal("the test needs segments to merge, which frees their pages")
	}
	if err := s.Maintain(ctx); err != nil {
		t.Fatal(err)
	}
	var free int
	if err := s.db.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil || free != 0 {
		t.Errorf("free pages after Maintain: %d, %v; want 0", free, err)
	}
	integrityCheck(t, s.db)
}

// A search indexes a backlog in batches of maxIndexBytes of text, which
// the index gathers in memory and writes as one segment (hashsize, schema
// 12), however many articles that is; and a batch of long articles stops
// at that much text.
func TestIndexAllBatchesByTextSize(t *testing.T) {
	s := mustOpen(t)
	var hashsize int
	if err := s.db.QueryRowContext(ctx, "SELECT v FROM articles_fts_config WHERE k = 'hashsize'").Scan(&hashsize); err != nil || hashsize != maxIndexBytes {
		t.Fatalf("hashsize setting %d, %v; want %d stored in the index", hashsize, err, maxIndexBytes)
	}
	ids := subscribe(t, s, urls(2)...)
	var items []news.Item
	for i := range 3 * maxIndexBatch {
		items = append(items, wordItem(i))
	}
	mustSave(t, s, ids[0], okResult(items...))
	if hits := mustSearch(t, s, "headline"); len(hits) == 0 {
		t.Fatal("no hits")
	}
	if n := indexSegments(t, s); n != 1 {
		t.Errorf("%d short articles indexed by a search in %d segments; want one", len(items), n)
	}

	long := strings.Repeat("lighthouse keeper ", 70_000) // 1.2 MiB
	var longItems []news.Item
	for i := range 5 {
		it := wordItem(10_000 + i)
		it.Content = "<p>" + long + "</p>"
		longItems = append(longItems, it)
	}
	mustSave(t, s, ids[1], okResult(longItems...))
	n, err := s.indexBatch(ctx, math.MaxInt32)
	if err != nil || n != 4 {
		t.Fatalf("a batch of 1.2 MiB articles took %d (%v); want the 4 that reach %d bytes", n, err, maxIndexBytes)
	}
	if got := mustSearch(t, s, "keeper"); len(got) != 5 {
		t.Errorf("search found %d of the 5 long articles", len(got))
	}
	integrityCheck(t, s.db)
}
