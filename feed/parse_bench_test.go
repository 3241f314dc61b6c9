package feed_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/bylinehq/byline/bench/feedserver"
	"github.com/bylinehq/byline/feed"
)

// BenchmarkParseBenchFeed parses one feed exactly as bench/run.sh's cold
// refresh serves it (50 items of 500 words), so that the refresh figures
// can be set against the parsing they cannot avoid: the cold refresh of
// 200 such feeds parses 200 of them.
func BenchmarkParseBenchFeed(b *testing.B) {
	srv, err := feedserver.Start(feedserver.Options{Feeds: 1, Items: 50, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get(srv.URLs()[0])
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		f, err := feed.Parse(body, resp.Header.Get("Content-Type"), srv.URLs()[0])
		if err != nil || len(f.Items) != 50 {
			b.Fatal(err)
		}
	}
}
