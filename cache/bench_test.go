package cache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// The benchmarks run on text shaped like real feeds: a Zipf-distributed
// vocabulary (so some words are in most articles and most words in few),
// titles of a few words, ~300-byte plain summaries and ~3 KiB of HTML
// content with paragraphs, links and emphasis.

const (
	vocabularySize = 20000
	benchFeeds     = 2000
	benchItems     = 50 // per feed: 100,000 articles
)

// textGen makes deterministic article text.
type textGen struct {
	rnd   *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

func newTextGen(seed uint64) *textGen {
	rnd := rand.New(rand.NewPCG(seed, 1))
	return &textGen{rnd: rnd, zipf: rand.NewZipf(rnd, 1.07, 2, vocabularySize-1), vocab: vocabulary()}
}

// vocabulary is the same list of distinct pseudo-words in every run, most
// frequent first.
func vocabulary() []string {
	syllables := strings.Fields("ka to ri sen mar vel do lin pre qua nor tis e ban fu gol hem ix jun lo ment ous pa ro sta ter ul vi wen zy")
	rnd := rand.New(rand.NewPCG(7, 7))
	seen := make(map[string]bool, vocabularySize)
	words := make([]string, 0, vocabularySize)
	for len(words) < vocabularySize {
		var b strings.Builder
		for range 1 + rnd.IntN(3) + len(words)/5000 {
			b.WriteString(syllables[rnd.IntN(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

func (g *textGen) words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.vocab[g.zipf.Uint64()]
	}
	return strings.Join(ws, " ")
}

func (g *textGen) sentence() string {
	s := g.words(6 + g.rnd.IntN(14))
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// text is sentences adding up to about n bytes.
func (g *textGen) text(n int) string {
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(g.sentence())
	}
	return b.String()
}

// html is about n bytes of article markup.
func (g *textGen) html(n int) string {
	var b strings.Builder
	for b.Len() < n {
		switch g.rnd.IntN(6) {
		case 0:
			fmt.Fprintf(&b, `<p>%s <a href="https://example.com/%s/%d.html" rel="nofollow">%s</a> %s</p>`,
				g.sentence(), g.words(1), g.rnd.IntN(1e6), g.words(3), g.sentence())
		case 1:
			fmt.Fprintf(&b, "<ul><li>%s</li><li>%s</li></ul>", g.sentence(), g.sentence())
		case 2:
			fmt.Fprintf(&b, "<h2>%s</h2>", g.words(4))
		default:
			fmt.Fprintf(&b, "<p>%s <em>%s</em> %s</p>", g.text(150), g.words(2), g.sentence())
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func (g *textGen) item(guid string, published time.Time) news.Item {
	return news.Item{
		GUID:      guid,
		URL:       "https://example.com/posts/" + guid,
		Title:     strings.TrimSuffix(g.words(4+g.rnd.IntN(6)), " "),
		Author:    "Author " + g.words(1),
		Summary:   g.text(250 + g.rnd.IntN(100)),
		Content:   g.html(1500 + g.rnd.IntN(3000)),
		Published: published,
	}
}

// textBytes is how much text an item stores: what the database size is
// measured against.
func textBytes(it news.Item) int {
	return len(it.GUID) + len(it.URL) + len(it.Title) + len(it.Author) + len(it.Summary) + len(it.Content)
}

// benchCache is the 100,000-article cache, built once per test binary run
// and shared by the benchmarks that only read it.
var benchCache struct {
	once  sync.Once
	dir   string
	path  string
	stats buildStats
	err   error
}

// buildStats is what building a cache took.
type buildStats struct {
	textBytes int
	// save is the time in SaveResult; index and maintain the time in the
	// IndexPending and Maintain that end each refresh.
	save, index, maintain time.Duration
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchCache.dir != "" {
		os.RemoveAll(benchCache.dir)
	}
	os.Exit(code)
}

// bigCache returns the path of the shared 100k-article cache: 2,000 feeds
// of 50 items spread over 60 days, the older half of the feeds read.
func bigCache(b *testing.B) string {
	b.Helper()
	benchCache.once.Do(func() {
		benchCache.dir, benchCache.err = os.MkdirTemp("", "byline-cache-bench-")
		if benchCache.err != nil {
			return
		}
		benchCache.path = filepath.Join(benchCache.dir, "byline.db")
		benchCache.stats, benchCache.err = buildCache(benchCache.path, benchFeeds, benchItems)
	})
	if benchCache.err != nil {
		b.Fatal(benchCache.err)
	}
	return benchCache.path
}

// buildCache fills a new cache with feeds × items generated articles, in
// refreshes of refreshFeeds feeds that each end by indexing all and
// merging until no merge is due, as a refresh followed by idle time would.
func buildCache(path string, feeds, items int) (stats buildStats, err error) {
	s, err := Open(path)
	if err != nil {
		return stats, err
	}
	defer s.Close()
	subs := make([]news.Subscription, feeds)
	for i := range subs {
		subs[i] = news.Subscription{URL: fmt.Sprintf("https://example.com/feed/%d.xml", i), Tags: []string{fmt.Sprintf("tag%d", i%10)}}
	}
	if err := s.SyncSubscriptions(ctx, subs); err != nil {
		return stats, err
	}
	all, err := s.Feeds(ctx)
	if err != nil {
		return stats, err
	}
	g := newTextGen(1)
	end := time.Now().Add(-time.Hour)
	var readFeeds []int64
	for fi, f := range all {
		its := make([]news.Item, items)
		for i := range its {
			its[i] = g.item(fmt.Sprintf("%d-%d", fi, i), end.Add(-time.Duration(g.rnd.IntN(60*24*3600))*time.Second))
			stats.textBytes += textBytes(its[i])
		}
		start := time.Now()
		if _, err := s.SaveResult(ctx, f.ID, feed.Result{URL: f.URL, Status: feed.StatusOK, Feed: &feed.Document{Title: f.URL, Items: its}}); err != nil {
			return stats, err
		}
		stats.save += time.Since(start)
		if fi%2 == 0 {
			readFeeds = append(readFeeds, f.ID)
		}
		if (fi+1)%refreshFeeds == 0 || fi == len(all)-1 {
			start = time.Now()
			if _, err := s.IndexPending(ctx, time.Hour); err != nil {
				return stats, err
			}
			stats.index += time.Since(start)
			start = time.Now()
			idle, cancel := context.WithTimeout(ctx, time.Hour)
			err := s.Maintain(idle)
			cancel()
			if err != nil {
				return stats, err
			}
			stats.maintain += time.Since(start)
		}
	}
	if _, err := s.MarkAllRead(ctx, news.Filter{FeedIDs: readFeeds}); err != nil {
		return stats, err
	}
	_, err = s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return stats, err
}

func openBigCache(b *testing.B) *Store {
	b.Helper()
	path := bigCache(b)
	s := mustOpenPath(b, path)
	b.ResetTimer()
	return s
}

// BenchmarkBuild100k reports how the 100k-article cache came out: the
// SaveResult time per 50 items while it filled, the IndexPending and
// Maintain time per refresh of 10,000 articles, the index segments left,
// and file size over text size.
func BenchmarkBuild100k(b *testing.B) {
	path := bigCache(b)
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := os.Stat(path); err != nil {
			b.Fatal(err)
		}
	}
	st := benchCache.stats
	refreshes := float64(benchFeeds / refreshFeeds)
	b.ReportMetric(float64(info.Size())/float64(st.textBytes), "db/text")
	b.ReportMetric(float64(info.Size())/(1<<20), "db-MiB")
	b.ReportMetric(float64(st.save.Milliseconds())/float64(benchFeeds), "ms/save50")
	b.ReportMetric(float64(st.index.Milliseconds())/refreshes, "ms/index10k")
	b.ReportMetric(float64(st.maintain.Milliseconds())/refreshes, "ms/maintain10k")
}

func BenchmarkArticlesUnread50(b *testing.B) {
	s := openBigCache(b)
	for b.Loop() {
		if as, err := s.Articles(ctx, news.Filter{Unread: true, Limit: 50}); err != nil || len(as) != 50 {
			b.Fatal(len(as), err)
		}
	}
}

func BenchmarkArticlesFeed50(b *testing.B) {
	s := openBigCache(b)
	ids := feedIDs(b, s)
	for i := 0; b.Loop(); i++ {
		if as, err := s.Articles(ctx, news.Filter{FeedIDs: []int64{ids[i%len(ids)]}, Limit: 50}); err != nil || len(as) != 50 {
			b.Fatal(len(as), err)
		}
	}
}

func BenchmarkArticlesTagUnread50(b *testing.B) {
	s := openBigCache(b)
	for b.Loop() {
		if as, err := s.Articles(ctx, news.Filter{Tag: "tag3", Unread: true, Limit: 50}); err != nil || len(as) != 50 {
			b.Fatal(len(as), err)
		}
	}
}

func BenchmarkCountUnread(b *testing.B) {
	s := openBigCache(b)
	for b.Loop() {
		if n, err := s.Count(ctx, news.Filter{Unread: true}); err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkCountTagUnread(b *testing.B) {
	s := openBigCache(b)
	for b.Loop() {
		if n, err := s.Count(ctx, news.Filter{Tag: "tag3", Unread: true}); err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkFeeds(b *testing.B) {
	s := openBigCache(b)
	for b.Loop() {
		if fs, err := s.Feeds(ctx); err != nil || len(fs) != benchFeeds {
			b.Fatal(len(fs), err)
		}
	}
}

// BenchmarkSearch searches for a word by how common it is: the vocabulary
// is in frequency order, so rank 20 is in most articles and rank 5000 in few.
// The index is as the refreshes that built the cache left it (see segments).
func BenchmarkSearch(b *testing.B) {
	benchSearches(b, openBigCache(b))
}

// BenchmarkSearchOptimized is BenchmarkSearch on a copy of the cache whose
// index is merged into one segment, as Vacuum leaves it.
func BenchmarkSearchOptimized(b *testing.B) {
	s := copyBigCache(b)
	if _, err := s.db.ExecContext(ctx, "INSERT INTO articles_fts (articles_fts) VALUES ('optimize')"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	benchSearches(b, s)
}

// copyBigCache opens a copy of the 100k-article cache, for benchmarks that
// change it.
func copyBigCache(b *testing.B) *Store {
	b.Helper()
	data, err := os.ReadFile(bigCache(b))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "byline.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	return mustOpenPath(b, path)
}

// BenchmarkMarkAllRead marks the 50,000 unread articles of the 100k cache
// read, as the TUI's "mark all read" does in the all-articles view.
func BenchmarkMarkAllRead(b *testing.B) {
	s := copyBigCache(b)
	var unread []int64
	for _, a := range mustArticles(b, s, news.Filter{Unread: true}) {
		unread = append(unread, a.ID)
	}
	b.ResetTimer()
	for b.Loop() {
		if n, err := s.MarkAllRead(ctx, news.Filter{}); err != nil || n != len(unread) {
			b.Fatal(n, err)
		}
		b.StopTimer()
		if err := s.SetRead(ctx, unread, false); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

func benchSearches(b *testing.B, s *Store) {
	vocab := vocabulary()
	segments := indexSegments(b, s)
	for _, q := range []struct {
		name, query string
	}{
		{"rare", vocab[5000]},
		{"medium", vocab[500]},
		{"common", vocab[20]},
		{"two-words", vocab[300] + " " + vocab[1000]},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if hits, err := s.Search(ctx, q.query, 20); err != nil || len(hits) == 0 {
					b.Fatal(len(hits), err)
				}
			}
			b.ReportMetric(float64(segments), "segments")
		})
	}
}

// indexSegments counts the segments of the search index.
func indexSegments(t testing.TB, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(DISTINCT segid) FROM articles_fts_idx").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// BenchmarkSimilar finds articles like ones spread over the cache.
func BenchmarkSimilar(b *testing.B) {
	s := openBigCache(b)
	var maxID int64
	if err := s.db.QueryRowContext(ctx, "SELECT max(id) FROM articles").Scan(&maxID); err != nil {
		b.Fatal(err)
	}
	for i := int64(0); b.Loop(); i++ {
		if _, err := s.Similar(ctx, 1+(i*7919)%maxID, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveResult stores 50 new items per op into a growing cache.
func BenchmarkSaveResult(b *testing.B) {
	s := mustOpen(b)
	g := newTextGen(2)
	template := make([]news.Item, 50)
	for i := range template {
		template[i] = g.item("", time.Now().Add(-time.Duration(i)*time.Hour))
	}
	ids := subscribe(b, s, urls(100)...)
	b.ResetTimer()
	for n := 0; b.Loop(); n++ {
		items := make([]news.Item, len(template))
		for i, it := range template {
			it.GUID = fmt.Sprintf("%d-%d", n, i)
			items[i] = it
		}
		if added, err := s.SaveResult(ctx, ids[n%len(ids)], okResult(items...)); err != nil || added != len(items) {
			b.Fatal(added, err)
		}
	}
}

// BenchmarkSaveResultUnchanged stores the same 50 items again: the common
// refresh of a feed whose server ignores conditional GET.
func BenchmarkSaveResultUnchanged(b *testing.B) {
	s := mustOpen(b)
	g := newTextGen(3)
	items := make([]news.Item, 50)
	for i := range items {
		items[i] = g.item(fmt.Sprint(i), time.Now().Add(-time.Duration(i)*time.Hour))
	}
	id := subscribe(b, s, urls(1)...)[0]
	mustSave(b, s, id, okResult(items...))
	b.ResetTimer()
	for b.Loop() {
		if added, err := s.SaveResult(ctx, id, okResult(items...)); err != nil || added != 0 {
			b.Fatal(added, err)
		}
	}
}

// A cold refresh: the first fetch of refreshFeeds subscriptions with
// refreshItems new items each.
const (
	refreshFeeds = 200
	refreshItems = 50
)

// BenchmarkColdRefresh stores a cold refresh into a new cache, one
// SaveResult per feed as refresh.Run does: the store's share of the
// refresh time. The IndexPending and Maintain that follow it are reported
// as ms/index (and articles indexed per second) and ms/maintain.
func BenchmarkColdRefresh(b *testing.B) {
	g := newTextGen(4)
	results := make([]feed.Result, refreshFeeds)
	for i := range results {
		items := make([]news.Item, refreshItems)
		for j := range items {
			items[j] = g.item(fmt.Sprintf("%d-%d", i, j), time.Now().Add(-time.Duration(j)*time.Hour))
		}
		results[i] = okResult(items...)
	}
	var index, maintain time.Duration
	for b.Loop() {
		b.StopTimer()
		s := mustOpen(b)
		ids := subscribe(b, s, urls(refreshFeeds)...)
		b.StartTimer()
		for i, r := range results {
			mustSave(b, s, ids[i], r)
		}
		b.StopTimer()
		start := time.Now()
		if left, err := s.IndexPending(ctx, time.Hour); err != nil || left != 0 {
			b.Fatal(left, err)
		}
		index += time.Since(start)
		start = time.Now()
		if err := s.Maintain(ctx); err != nil {
			b.Fatal(err)
		}
		maintain += time.Since(start)
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(index.Milliseconds())/float64(b.N), "ms/index")
	b.ReportMetric(float64(b.N*refreshFeeds*refreshItems)/index.Seconds(), "indexed/s")
	b.ReportMetric(float64(maintain.Milliseconds())/float64(b.N), "ms/maintain")
}
