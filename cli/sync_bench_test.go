package cli_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The speed targets of sync, measured on the real binary against the live
// Miniflux (see bench/README.md):
//
//	go test ./cli -run '^$' -bench Sync -benchtime 5x
//
// first: a first sync of 10,000 entries into an empty home, whole process;
// idle: a sync with nothing new and nothing queued (requests/op counted by
// a proxy in front of the server); push: a sync that sends 1,000 queued
// marks. The 10,000 entries are made once (Miniflux takes a while to
// fetch them) and shared.

const (
	benchFeeds = 20
	benchItems = 500 // per feed: 10,000 entries
)

var benchServer struct {
	once    sync.Once
	user    *mfUser
	stories *storyServer
	proxy   *httptest.Server
	count   atomic.Int64
}

func benchUser(b *testing.B) *mfUser {
	m := liveMiniflux(b)
	benchServer.once.Do(func() {
		u := m.newUser(b)
		stories := &storyServer{feeds: map[string]int{}, words: 120, base: time.Now().Add(-30 * 24 * time.Hour)}
		stories.Server = httptest.NewServer(http.HandlerFunc(stories.serve))
		for i := range benchFeeds {
			u.subscribe(stories.add(fmt.Sprintf("bench%02d", i), benchItems), "Bench")
		}
		target, _ := url.Parse(m.URL)
		proxy := httputil.NewSingleHostReverseProxy(target)
		benchServer.proxy = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			benchServer.count.Add(1)
			proxy.ServeHTTP(w, r)
		}))
		benchServer.user, benchServer.stories = u, stories
	})
	if benchServer.user == nil {
		b.Fatal("the benchmark's server could not be set up")
	}
	return benchServer.user
}

// benchHome is a home syncing the shared user through the counting proxy.
func benchHome(b *testing.B, kind string) *home {
	u := benchUser(b)
	h := &home{t: b, dir: b.TempDir()}
	conf, env := u.accountTOML("home", kind)
	h.write("urls", "")
	h.write("config.toml", strings.Replace(conf, u.m.URL, benchServer.proxy.URL, 1))
	h.env = env
	return h
}

func benchOK(b *testing.B, h *home, args ...string) string {
	b.Helper()
	r := h.run(args...)
	if r.code != 0 {
		b.Fatalf("byline %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

func BenchmarkSyncFirst(b *testing.B) {
	for _, kind := range accountKinds {
		b.Run(kind, func(b *testing.B) {
			benchUser(b)
			for b.Loop() {
				b.StopTimer()
				h := benchHome(b, kind)
				b.StartTimer()
				out := benchOK(b, h, "sync")
				if !strings.Contains(out, fmt.Sprintf("%d new articles", benchFeeds*benchItems)) {
					b.Fatalf("first sync:\n%s", out)
				}
			}
		})
	}
}

func BenchmarkSyncIdle(b *testing.B) {
	for _, kind := range accountKinds {
		b.Run(kind, func(b *testing.B) {
			h := benchHome(b, kind)
			benchOK(b, h, "sync")
			benchServer.count.Store(0)
			for b.Loop() {
				benchOK(b, h, "sync")
			}
			b.ReportMetric(float64(benchServer.count.Load())/float64(b.N), "requests/op")
		})
	}
}

func BenchmarkSyncPush1000(b *testing.B) {
	for _, kind := range accountKinds {
		b.Run(kind, func(b *testing.B) {
			h := benchHome(b, kind)
			benchOK(b, h, "sync")
			var rows []articleRow
			out := benchOK(b, h, "list", "--limit", "1000", "--json")
			if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1000 {
				b.Fatalf("list: %d rows, %v", len(rows), err)
			}
			ids := make([]string, len(rows))
			for i, a := range rows {
				ids[i] = itoa(a.ID)
			}
			// Whatever state an earlier benchmark left them in, each round
			// flips all 1,000.
			action := []string{"read", "unread"}
			if rows[0].Read {
				action = []string{"unread", "read"}
			}
			i := 0
			for b.Loop() {
				b.StopTimer()
				benchOK(b, h, append([]string{"mark", action[i%2]}, ids...)...)
				i++
				b.StartTimer()
				out := benchOK(b, h, "sync")
				if !strings.Contains(out, "1000 changes sent") {
					b.Fatalf("push:\n%s", out)
				}
			}
		})
	}
}
