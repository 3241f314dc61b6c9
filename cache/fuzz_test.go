package cache_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// unsafeRune reports a rune that must never be stored: C0 controls (bar
// newline and tab where oneLine is false), DEL, C1 controls and the bidi
// embeddings, overrides and isolates.
func unsafeRune(r rune, oneLine bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return oneLine
	case r < 0x20, r == 0x7f, 0x80 <= r && r <= 0x9f:
		return true
	}
	return (0x202a <= r && r <= 0x202e) || (0x2066 <= r && r <= 0x2069)
}

func checkStored(t *testing.T, field, s string, oneLine bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s %q: invalid UTF-8", field, s)
	}
	for _, r := range s {
		if unsafeRune(r, oneLine) {
			t.Fatalf("%s %q: contains %U", field, s, r)
		}
	}
}

// pipelineSeeds are feed documents for the pipeline fuzzer: the fixtures
// the CLI tests serve, the welcome feed, and hostile documents.
func pipelineSeeds(f *testing.F) {
	for _, seed := range []struct{ file, contentType string }{
		{"../cli/testdata/world.rss", "application/rss+xml"},
		{"../cli/testdata/tech.atom", "application/atom+xml"},
		{"../cli/testdata/science.json", "application/feed+json"},
		{"../feed/welcome/welcome.xml", ""},
	} {
		data, err := os.ReadFile(seed.file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, seed.contentType)
	}
	f.Add([]byte("<rss version=\"2.0\"><channel><title>F\x1b]0;t\x07</title><item><guid>1</guid><title>\x1b[31mA\u202e</title>"+
		"<description>&lt;p&gt;&amp;#27;[1m x\u009b2J&lt;/p&gt;</description></item><item><guid>1</guid><title>again</title></item>"+
		"<item><title>no guid</title><link>/rel\x1b]8;;x\x07</link></item></channel></rss>"), "text/xml; charset=utf-8")
	f.Add([]byte("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A\x85B</title><entry><id>x</id><title type=\"html\">&amp;#x202e;t</title>"+
		"<author><name>M\x9b1m</name></author><content type=\"html\">&lt;b&gt;b&lt;/b&gt;\r\n</content><updated>2999-01-01T00:00:00Z</updated></entry></feed>"),
		"application/atom+xml; charset=windows-1252")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J\u001b[2J","items":[{"id":"1","title":"\u009d0;x\u009c t","content_html":"<p>\u2066x\u2069</p>","authors":[{"name":"\u001bPq\u001b\\A"}]},{"id":"1","url":"javascript:alert(1)"}]}`),
		"application/feed+json")
	f.Add([]byte("<html><body>not a feed</body></html>"), "text/html")
	f.Add([]byte{}, "")
}

// fuzzDir is where the fuzzer keeps its caches: in memory when /dev/shm
// exists (SQLite runs three to four times faster there under the
// fuzzer's instrumentation), else in the test's temporary directory.
func fuzzDir(f *testing.F) string {
	if dir, err := os.MkdirTemp("/dev/shm", "byline-fuzz-"); err == nil {
		f.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	return f.TempDir()
}

// FuzzFeedPipeline runs what a refresh does with a downloaded document:
// feed.Parse, then cache.Store.SaveResult (a failure stored as the feed's
// error, as refresh does), then reads it back through the cache's query
// API. Nothing may panic, storing must never fail, every stored string
// must be free of terminal controls, and each GUID must be stored once,
// holding its last version in the document.
func FuzzFeedPipeline(f *testing.F) {
	pipelineSeeds(f)
	ctx := context.Background()
	// One cache per fuzz worker, replaced now and then so that it stays
	// small; each input gets a feed of its own, the only one subscribed.
	dir := fuzzDir(f)
	var store *cache.Store
	inputs := 0
	f.Cleanup(func() {
		if store != nil {
			store.Close()
		}
	})
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		if inputs%500 == 0 {
			if store != nil {
				store.Close()
				for _, suffix := range []string{"", "-wal", "-shm"} {
					os.Remove(store.Path() + suffix)
				}
			}
			var err error
			store, err = cache.Open(filepath.Join(dir, fmt.Sprintf("byline-%d.db", inputs)))
			if err != nil {
				t.Fatal(err)
			}
		}
		inputs++
		feedURL := fmt.Sprintf("http://127.0.0.1/feed%d.xml", inputs)
		if err := store.SyncSubscriptions(ctx, []news.Subscription{{URL: feedURL, Tags: []string{"t"}}}); err != nil {
			t.Fatal(err)
		}
		feeds, err := store.Feeds(ctx)
		if err != nil || len(feeds) != 1 || feeds[0].URL != feedURL {
			t.Fatalf("feeds %+v, %v", feeds, err)
		}
		id := feeds[0].ID

		parsed, parseErr := feed.Parse(body, contentType, feedURL)
		result := feed.Result{URL: feedURL, Status: feed.StatusOK, Feed: parsed}
		if parseErr != nil {
			// A parse error reaches the status line: it must be clean too.
			checkStored(t, "parse error", parseErr.Error(), false)
			result = feed.Result{URL: feedURL, Status: feed.StatusFailed, Err: parseErr}
		}
		added, err := store.SaveResult(ctx, id, result)
		if err != nil {
			t.Fatalf("SaveResult: %v", err)
		}

		feeds, err = store.Feeds(ctx)
		if err != nil || len(feeds) != 1 {
			t.Fatalf("feeds after save %+v, %v", feeds, err)
		}
		fd := feeds[0]
		for name, v := range map[string]string{"feed title": fd.Title, "site URL": fd.SiteURL, "tag": strings.Join(fd.Tags, " ")} {
			checkStored(t, name, v, true)
		}
		checkStored(t, "last error", fd.LastError, false)
		if parseErr != nil {
			if fd.LastError == "" || added != 0 {
				t.Fatalf("failure stored as error %q, %d added", fd.LastError, added)
			}
			return
		}
		if fd.LastError != "" {
			t.Fatalf("success left error %q", fd.LastError)
		}

		// The last version of each GUID is what must be stored.
		last := map[string]news.Item{}
		for _, it := range parsed.Items {
			last[it.GUID] = it
		}
		articles, err := store.Articles(ctx, news.Filter{FeedIDs: []int64{id}})
		if err != nil {
			t.Fatalf("Articles: %v", err)
		}
		if len(articles) != len(last) || added != len(last) || fd.Total != len(last) || fd.Unread != len(last) {
			t.Fatalf("%d distinct GUIDs, %d added, %d listed, counts %d/%d", len(last), added, len(articles), fd.Unread, fd.Total)
		}
		for _, a := range articles {
			for name, v := range map[string]string{"GUID": a.GUID, "URL": a.URL, "title": a.Title, "author": a.Author, "feed title": a.FeedTitle} {
				checkStored(t, "article "+name, v, true)
			}
			checkStored(t, "summary", a.Summary, false)
			checkStored(t, "content", a.Content, false)
			want, ok := last[a.GUID]
			if !ok {
				t.Fatalf("stored GUID %q is not in the feed", a.GUID)
			}
			if a.URL != want.URL || a.Title != want.Title || a.Author != want.Author || a.Summary != want.Summary || a.Content != want.Content {
				t.Fatalf("stored %+v, want the feed's %+v", a, want)
			}
			one, err := store.Article(ctx, a.ID)
			if err != nil || one.GUID != a.GUID {
				t.Fatalf("Article(%d) = %+v, %v", a.ID, one, err)
			}
		}
		if n, err := store.Count(ctx, news.Filter{Unread: true, FeedIDs: []int64{id}}); err != nil || n != len(last) {
			t.Fatalf("Count = %d, %v; want %d", n, err, len(last))
		}
		// Searching for the first title's words finds clean snippets.
		if len(articles) > 0 {
			hits, err := store.Search(ctx, articles[0].Title, 10)
			if err != nil && !errors.Is(err, cache.ErrEmptyQuery) {
				t.Fatalf("Search(%q): %v", articles[0].Title, err)
			}
			// A snippet decodes character references: "&amp;#27;" in a
			// description once became a raw ESC in it (testdata's
			// snippet-escape).
			for _, h := range hits {
				checkStored(t, "snippet", h.Snippet, true)
			}
		}
	})
}
