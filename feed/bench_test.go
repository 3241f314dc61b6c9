package feed

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct {
		name string
		doc  []byte
	}{
		{"RSS-50", rssFeed("bench", 50)},
		{"Atom-50", atomFeed("bench", 50)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.doc)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(bc.doc, "application/xml; charset=utf-8", "https://example.com/feed"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRefresh refreshes feeds of 50 items from as many loopback
// servers, each answering after 50 ms: cold (a new Fetcher, so new
// connections, and no validators) and warm (every feed answers 304), with the
// default 16 jobs and with 64. With 50 ms a request, 16 jobs cannot do 200
// feeds in less than 13 × 50 ms.
func BenchmarkRefresh(b *testing.B) {
	const latency = 50 * time.Millisecond
	body := rssFeed("bench", 50)
	const etag = `"bench"`
	handler := func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(body)
	}
	for _, feeds := range []int{200, 1000} {
		urls := make([]string, feeds)
		for i := range urls {
			urls[i] = serve(b, handler).URL + "/feed.xml"
		}
		for _, bc := range []struct {
			warm bool
			jobs int
		}{{false, 16}, {true, 16}, {false, 64}, {true, 64}} {
			state := "cold"
			if bc.warm {
				state = "warm"
			}
			b.Run(fmt.Sprintf("%s-%d-jobs-%d", state, feeds, bc.jobs), func(b *testing.B) {
				jobs := make([]Job, len(urls))
				for i, u := range urls {
					jobs[i] = Job{URL: u}
					if bc.warm {
						jobs[i].Validators = news.Validators{ETag: etag}
					}
				}
				for b.Loop() {
					f := NewFetcher(Options{Jobs: bc.jobs})
					for res := range f.Refresh(context.Background(), jobs) {
						if res.Err != nil {
							b.Fatal(res.Err)
						}
					}
				}
			})
		}
	}
}
