package cache

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bylinehq/byline/feed"
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

func (g *textGen) item(guid string, published time.Time) feed.Item {
	return feed.Item{
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
func textBytes(it feed.Item) int {
	return len(it.GUID) + len(it.URL) + len(it.Title) + len(it.Author) + len(it.Summary) + len(it.Content)
}

// benchCache is the 100,000-article cache, built once per test binary run
// and shared by the benchmarks that only read it.
var benchCache struct {
	once      sync.Once
	dir       string
	path      string
	textBytes int
	build     time.Duration
	err       error
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
		benchCache.textBytes, benchCache.build, benchCache.err = buildCache(benchCache.path, benchFeeds, benchItems)
	})
	if benchCache.err != nil {
		b.Fatal(benchCache.err)
	}
	return benchCache.path
}

// buildCache fills a new cache with feeds × items generated articles and
// returns the text stored and the time SaveResult took.
func buildCache(path string, feeds, items int) (text int, took time.Duration, err error) {
	s, err := Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	subs := make([]feed.Subscription, feeds)
	for i := range subs {
		subs[i] = feed.Subscription{URL: fmt.Sprintf("https://example.com/feed/%d.xml", i), Tags: []string{fmt.Sprintf("tag%d", i%10)}}
	}
	if err := s.SyncSubscriptions(ctx, subs); err != nil {
		return 0, 0, err
	}
	all, err := s.Feeds(ctx)
	if err != nil {
		return 0, 0, err
	}
	g := newTextGen(1)
	end := time.Now().Add(-time.Hour)
	var readFeeds []int64
	for fi, f := range all {
		its := make([]feed.Item, items)
		for i := range its {
			its[i] = g.item(fmt.Sprintf("%d-%d", fi, i), end.Add(-time.Duration(g.rnd.IntN(60*24*3600))*time.Second))
			text += textBytes(its[i])
		}
		start := time.Now()
		if _, err := s.SaveResult(ctx, f.ID, feed.Result{URL: f.URL, Status: feed.StatusOK, Feed: &feed.Feed{Title: f.URL, Items: its}}); err != nil {
			return 0, 0, err
		}
		took += time.Since(start)
		if fi%2 == 0 {
			readFeeds = append(readFeeds, f.ID)
		}
	}
	if _, err := s.MarkAllRead(ctx, Filter{FeedIDs: readFeeds}); err != nil {
		return 0, 0, err
	}
	_, err = s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return text, took, err
}

func openBigCache(b *testing.B) *Store {
	b.Helper()
	path := bigCache(b)
	s := mustOpenPath(b, path)
	b.ResetTimer()
	return s
}

// BenchmarkBuild100k reports how the 100k-article cache came out: the
// SaveResult time per 50 items while it filled, and file size over text size.
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
	b.ReportMetric(float64(info.Size())/float64(benchCache.textBytes), "db/text")
	b.ReportMetric(float64(info.Size())/(1<<20), "db-MiB")
	b.ReportMetric(float64(benchCache.build.Milliseconds())/float64(benchFeeds), "ms/save50")
}

func BenchmarkArticlesUnread50(b *testing.B) {
	s := openBigCache(b)
	for b.Loop() {
		if as, err := s.Articles(ctx, Filter{Unread: true, Limit: 50}); err != nil || len(as) != 50 {
			b.Fatal(len(as), err)
		}
	}
}

func BenchmarkArticlesFeed50(b *testing.B) {
	s := openBigCache(b)
	ids := feedIDs(b, s)
	for i := 0; b.Loop(); i++ {
		if as, err := s.Articles(ctx, Filter{FeedIDs: []int64{ids[i%len(ids)]}, Limit: 50}); err != nil || len(as) != 50 {
			b.Fatal(len(as), err)
		}
	}
}

func BenchmarkArticlesTagUnread50(b *testing.B) {
	s := openBigCache(b)
	for b.Loop() {
		if as, err := s.Articles(ctx, Filter{Tag: "tag3", Unread: true, Limit: 50}); err != nil || len(as) != 50 {
			b.Fatal(len(as), err)
		}
	}
}

func BenchmarkCountUnread(b *testing.B) {
	s := openBigCache(b)
	for b.Loop() {
		if n, err := s.Count(ctx, Filter{Unread: true}); err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkCountTagUnread(b *testing.B) {
	s := openBigCache(b)
	for b.Loop() {
		if n, err := s.Count(ctx, Filter{Tag: "tag3", Unread: true}); err != nil || n == 0 {
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
func BenchmarkSearch(b *testing.B) {
	s := openBigCache(b)
	vocab := vocabulary()
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
		})
	}
}

// BenchmarkSaveResult stores 50 new items per op into a growing cache.
func BenchmarkSaveResult(b *testing.B) {
	s := mustOpen(b)
	g := newTextGen(2)
	template := make([]feed.Item, 50)
	for i := range template {
		template[i] = g.item("", time.Now().Add(-time.Duration(i)*time.Hour))
	}
	ids := subscribe(b, s, urls(100)...)
	b.ResetTimer()
	for n := 0; b.Loop(); n++ {
		items := make([]feed.Item, len(template))
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
	items := make([]feed.Item, 50)
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
