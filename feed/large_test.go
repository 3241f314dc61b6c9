package feed

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"
)

// Bodies over largeBody are read a few at a time: the rest wait for a
// slot, and every feed still arrives whole.
func TestLargeBodiesTakeTurns(t *testing.T) {
	f := NewFetcher(Options{Jobs: 16})
	head := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><item><title>One</title><guid>1</guid><description>`)
	filler := bytes.Repeat([]byte("word "), (largeBody+1<<20)/5)
	tail := []byte(`</description></item></channel></rss>`)
	big := func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(head)
		_, _ = w.Write(filler[:largeBody])
		w.(http.Flusher).Flush()
		time.Sleep(100 * time.Millisecond) // so that all are past largeBody at once
		_, _ = w.Write(filler[largeBody:])
		_, _ = w.Write(tail)
	}
	var jobs []Job
	for range 3 * largeBodySlots {
		jobs = append(jobs, Job{URL: serve(t, http.HandlerFunc(big)).URL})
	}
	done := make(chan struct{})
	peak := make(chan int)
	go func() {
		most := 0
		for {
			select {
			case <-done:
				peak <- most
				return
			case <-time.After(time.Millisecond):
				most = max(most, len(f.large))
			}
		}
	}()
	got := collect(t, f.Refresh(context.Background(), jobs), 20*time.Second)
	close(done)
	if most := <-peak; most != largeBodySlots {
		t.Errorf("at most %d large bodies read at once; want all %d slots used, and no more", most, largeBodySlots)
	}
	for _, res := range got {
		if res.Status != StatusOK || len(res.Feed.Items) != 1 || len(res.Feed.Items[0].Summary) < largeBody {
			t.Errorf("%s: %v", res.URL, res.Err)
		}
	}
	if len(got) != len(jobs) {
		t.Errorf("%d results for %d jobs", len(got), len(jobs))
	}
	if len(f.large) != 0 {
		t.Errorf("%d large-body slots still held after the refresh", len(f.large))
	}
}
