package cli_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Both account types against the live Miniflux: its REST API, and its
// Google Reader API as every greader server speaks it.
var accountKinds = []string{"miniflux", "greader"}

// articleByURL finds a listed article by its link.
func articleByURL(t *testing.T, articles []articleRow, u string) articleRow {
	t.Helper()
	for _, a := range articles {
		if a.URL == u {
			return a
		}
	}
	t.Fatalf("no article links to %s", u)
	return articleRow{}
}

func TestSyncBothWays(t *testing.T) {
	t.Parallel()
	for _, kind := range accountKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			m := liveMiniflux(t)
			u := m.newUser(t)
			stories := newStoryServer(t)
			worldID := u.subscribe(stories.add("world", 5), "News")
			u.subscribe(stories.add("tech", 4), "Tech")
			h := u.syncHome(t, kind, stories.add("local", 3)+" mine\n")

			// One refresh brings the local feed and the account's feeds.
			out := h.ok("refresh")
			if !strings.Contains(out, "1 feed: 1 ok") || !strings.Contains(out, "home: 2 feeds, 9 new articles") {
				t.Fatalf("refresh:\n%s", out)
			}
			feeds := map[string]feedRow{}
			for _, f := range h.feeds() {
				feeds[f.Title] = f
			}
			for title, want := range map[string]struct {
				account, tag string
				total        int
			}{"world stories": {"home", "News", 5}, "tech stories": {"home", "Tech", 4}, "local stories": {"", "mine", 3}} {
				f := feeds[title]
				if f.Account != want.account || len(f.Tags) != 1 || f.Tags[0] != want.tag || f.Total != want.total {
					t.Errorf("feed %q: %+v, want account %q, tag %q, %d articles", title, f, want.account, want.tag, want.total)
				}
			}
			// list, search and the reader work on synced articles as on local ones.
			articles := h.list()
			if len(articles) != 12 {
				t.Fatalf("%d articles, want 12", len(articles))
			}
			if out := h.ok("search", "tech story"); !strings.Contains(out, "tech story 3") {
				t.Errorf("search for a synced article:\n%s", out)
			}
			world0 := articleByURL(t, articles, stories.storyURL("world", 0))
			if out := h.ok("read", itoa(world0.ID)); !strings.Contains(out, "far more words than the feed carries") {
				t.Errorf("read of a synced article did not extract its page:\n%s", out)
			}

			// byline → server.
			world1 := articleByURL(t, articles, stories.storyURL("world", 1))
			tech0 := articleByURL(t, articles, stories.storyURL("tech", 0))
			h.ok("mark", "read", itoa(world0.ID), itoa(world1.ID))
			h.ok("mark", "star", itoa(tech0.ID))
			if out := h.ok("sync"); !strings.Contains(out, "3 changes sent") {
				t.Errorf("sync after three marks:\n%s", out)
			}
			server := u.entries()
			if server[world0.URL].Status != "read" || server[world1.URL].Status != "read" || !server[tech0.URL].Starred {
				t.Errorf("the server did not get the marks: %+v %+v %+v", server[world0.URL], server[world1.URL], server[tech0.URL])
			}

			// server (another device) → byline, including entries read there.
			tech1, tech2 := server[stories.storyURL("tech", 1)], server[stories.storyURL("tech", 2)]
			u.setStatus([]int64{tech1.ID, server[world0.URL].ID}, "unread")
			u.setStatus([]int64{tech2.ID}, "read")
			u.setStarred([]int64{tech2.ID}, true)
			u.setStarred([]int64{server[tech0.URL].ID}, false)
			h.ok("sync")
			local := map[string]articleRow{}
			for _, a := range h.list() {
				local[a.URL] = a
			}
			if a := local[tech1.URL]; a.Read {
				t.Errorf("tech 1 was marked unread on the server: %+v", a)
			}
			if a := local[world0.URL]; a.Read {
				t.Errorf("world 0 was marked unread on the server after byline read it: %+v", a)
			}
			if a := local[tech2.URL]; !a.Read || !a.Starred {
				t.Errorf("tech 2 was read and starred on the server: %+v", a)
			}
			if a := local[tech0.URL]; a.Starred {
				t.Errorf("tech 0 was unstarred on the server: %+v", a)
			}

			// The conflict rule: a change made here and not pushed yet wins
			// over the server state seen before it was pushed.
			u.setStatus([]int64{server[world1.URL].ID}, "unread") // another device
			// Here, after that and before byline saw it: unread, then read again.
			h.ok("mark", "unread", itoa(local[world1.URL].ID))
			h.ok("mark", "read", itoa(local[world1.URL].ID))
			h.ok("sync")
			if a := articleByURL(t, h.list(), world1.URL); !a.Read {
				t.Errorf("the local read of world 1 lost to the server's older unread")
			}
			if e := u.entries()[world1.URL]; e.Status != "read" {
				t.Errorf("the local read of world 1 did not reach the server: %+v", e)
			}
			// Once pushed, the server is the truth again.
			u.setStatus([]int64{server[world1.URL].ID}, "unread")
			h.ok("sync")
			if a := articleByURL(t, h.list(), world1.URL); a.Read {
				t.Errorf("the server's later unread of world 1 did not arrive")
			}

			// New entries arrive after the server refreshes its feeds.
			stories.add("world", 3)
			u.refreshFeed(worldID)
			if out := h.ok("sync"); !strings.Contains(out, "3 new articles") {
				t.Errorf("sync after the server refreshed:\n%s", out)
			}
			if n := len(h.list("--feed", "world stories")); n != 8 {
				t.Errorf("%d world stories after the server's refresh, want 8", n)
			}

			// Subscribing and unsubscribing on the server from byline.
			science := stories.add("science", 2)
			if out := h.ok("add", science, "--account", "home", "--tag", "Science"); !strings.Contains(out, "on home: 2 articles") {
				t.Errorf("add --account:\n%s", out)
			}
			var added *feedRow
			for _, f := range h.feeds() {
				if f.URL == science {
					added = &f
				}
			}
			if added == nil || added.Account != "home" || len(added.Tags) != 1 || added.Tags[0] != "Science" {
				t.Fatalf("the added feed: %+v", added)
			}
			science0 := articleByURL(t, h.list(), stories.storyURL("science", 0))
			h.ok("mark", "star", itoa(science0.ID))
			if out := h.ok("remove", "science stories"); !strings.Contains(out, "Unsubscribed from science stories ("+science+") on home") {
				t.Errorf("remove of a synced feed:\n%s", out)
			}
			// Its starred article stays, as a local feed's would, through
			// the syncs after, when the server has deleted its entries.
			h.ok("sync")
			if starred := h.list("--starred"); !slices.ContainsFunc(starred, func(a articleRow) bool { return a.URL == science0.URL }) {
				t.Errorf("the starred article of the removed feed is gone: %+v", starred)
			}
			var onServer []struct {
				FeedURL string `json:"feed_url"`
			}
			u.api("GET", "/v1/feeds", nil, &onServer)
			for _, f := range onServer {
				if f.FeedURL == science {
					t.Errorf("the server still has %s after remove", science)
				}
			}
			for _, f := range h.feeds() {
				if f.URL == science {
					t.Errorf("byline still lists %s after remove", science)
				}
			}
		})
	}
}

// TestSyncOfflineOutbox stops the server while marks are made, then
// starts it again: the marks wait in the outbox and reach it, for both
// account types, through one outage. The server is one of its own, so the
// other tests go on meanwhile.
func TestSyncOfflineOutbox(t *testing.T) {
	t.Parallel()
	m := liveMiniflux(t).own(t)
	type setup struct {
		kind     string
		u        *mfUser
		h        *home
		articles []articleRow
	}
	var homes []*setup
	for _, kind := range accountKinds {
		u := m.newUser(t)
		stories := newStoryServer(t)
		u.subscribe(stories.add("world", 4), "News")
		h := u.syncHome(t, kind, stories.add("local", 2)+"\n")
		h.ok("sync")
		homes = append(homes, &setup{kind: kind, u: u, h: h, articles: h.list("--feed", "world stories")})
	}

	m.stop()
	for _, s := range homes {
		h := s.h
		h.ok("mark", "read", itoa(s.articles[0].ID))
		h.ok("mark", "star", itoa(s.articles[1].ID))
		h.ok("mark", "read", "--all", "--feed", "world stories") // articles 1, 2 and 3 more
		r := h.run("sync")
		if r.code == 0 || !strings.Contains(r.stderr, "byline: home: offline: 5 changes waiting (cannot reach") {
			t.Fatalf("%s: sync with the server down: exit %d\n%s", s.kind, r.code, r.stderr)
		}
		// refresh still succeeds with the local feeds, and says what waits.
		r = h.run("refresh")
		if r.code != 0 || !strings.Contains(r.stdout, "1 feed: 1 ok") || !strings.Contains(r.stderr, "home: offline: 5 changes waiting") {
			t.Fatalf("%s: refresh with the server down: exit %d\nstdout:\n%s\nstderr:\n%s", s.kind, r.code, r.stdout, r.stderr)
		}
		for _, a := range h.list("--feed", "world stories") {
			if !a.Read {
				t.Errorf("%s: article %d lost its offline read", s.kind, a.ID)
			}
		}
	}

	if err := m.start(); err != nil {
		t.Fatal(err)
	}
	for _, s := range homes {
		if out := s.h.ok("sync"); !strings.Contains(out, "5 changes sent") {
			t.Errorf("%s: sync once the server is back:\n%s", s.kind, out)
		}
		server := s.u.entries()
		for i, a := range s.articles {
			e := server[a.URL]
			if e.Status != "read" || e.Starred != (i == 1) {
				t.Errorf("%s: the server has %+v for %s", s.kind, e, a.URL)
			}
		}
		if out := s.h.ok("sync"); strings.Contains(out, "changes sent") || strings.Contains(out, "waiting") {
			t.Errorf("%s: a second sync still had changes to send:\n%s", s.kind, out)
		}
	}
}

// TestSyncKilledLosesNothing kills `byline sync` with SIGKILL at random
// moments while it pushes a queue of marks and pulls. Every acknowledged
// mark survives locally, the cache passes integrity_check, and once a sync
// completes the server holds exactly the marks: a mark pushed twice (the
// kill came between the server's answer and the outbox's delete) sets the
// same state again and flips nothing.
func TestSyncKilledLosesNothing(t *testing.T) {
	t.Parallel()
	kills := 5
	if longMode() {
		kills = 30
	}
	m := liveMiniflux(t)
	u := m.newUser(t)
	stories := newStoryServer(t)
	u.subscribe(stories.add("world", 120), "News")
	u.subscribe(stories.add("tech", 120), "Tech")
	h := u.syncHome(t, "greader", "")
	h.ok("sync")
	articles := h.list()
	want := map[int64]articleState{}
	pick := rand.New(rand.NewPCG(1, 2))
	flipSome := func(when string) {
		for j := range 8 {
			h.flipMark(t, when, articles[pick.IntN(len(articles))].ID, j%2 == 0, want)
		}
	}
	// The kills come within the shorter of two timed syncs (and before its
	// last fifth), so that a busy machine slowing one of them down does
	// not leave every kill after the end.
	var window time.Duration
	for i := range 2 {
		flipSome(fmt.Sprintf("before timed sync %d", i))
		start := time.Now()
		h.ok("sync")
		if took := time.Since(start); i == 0 || took < window {
			window = took
		}
	}
	window = window * 4 / 5
	killAt := rand.New(rand.NewPCG(3, 4))
	killed := 0
	for i := range kills {
		flipSome(fmt.Sprintf("kill %d", i))
		sync := h.command(context.Background(), "sync")
		if err := sync.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(killAt.Int64N(int64(window) + 1)))
		sync.Process.Signal(syscall.SIGKILL)
		var exitErr *exec.ExitError
		if err := sync.Wait(); errors.As(err, &exitErr) && exitErr.Sys().(syscall.WaitStatus).Signaled() {
			killed++
		}
		checkIntegrity(t, h.db())
		h.checkMarks(t, fmt.Sprintf("kill %d", i), want)
	}
	h.ok("sync")
	h.checkMarks(t, "after the last sync", want)
	server := u.entries()
	for _, a := range h.list() {
		s, ok := want[a.ID]
		if !ok {
			continue
		}
		if e := server[a.URL]; (e.Status == "read") != s.read || e.Starred != s.starred {
			t.Errorf("article %d: the server has %s/starred=%v, the user was told %+v", a.ID, e.Status, e.Starred, s)
		}
	}
	t.Logf("%d syncs, %d killed mid-run (a sync takes %v); %d articles marked", kills, killed, window.Round(time.Millisecond), len(want))
	if killed < kills/3 {
		t.Errorf("only %d of %d syncs were killed mid-run", killed, kills)
	}
}

// TestSyncTwoProcessesAtOnce runs two syncs of one home together, each
// with the same queue to push: both finish, nothing is stored twice, and
// the server ends with every mark.
func TestSyncTwoProcessesAtOnce(t *testing.T) {
	t.Parallel()
	m := liveMiniflux(t)
	u := m.newUser(t)
	stories := newStoryServer(t)
	u.subscribe(stories.add("world", 60), "News")
	h := u.syncHome(t, "miniflux", "")
	h.ok("sync")
	articles := h.list()
	ids := make([]string, 0, 30)
	for _, a := range articles[:30] {
		ids = append(ids, itoa(a.ID))
	}
	h.ok(append([]string{"mark", "read"}, ids...)...)
	h.ok(append([]string{"mark", "star"}, ids[:10]...)...)
	stories.add("world", 5)
	var feeds []struct {
		ID int64 `json:"id"`
	}
	u.api("GET", "/v1/feeds", nil, &feeds)
	u.refreshFeed(feeds[0].ID)

	var wg sync.WaitGroup
	results := make([]result, 2)
	for i := range results {
		wg.Go(func() { results[i] = h.run("sync") })
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Errorf("sync %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	if n := len(h.list()); n != 65 {
		t.Errorf("%d articles after two syncs at once, want 65", n)
	}
	server := u.entries()
	for i, a := range articles[:30] {
		if e := server[a.URL]; e.Status != "read" || e.Starred != (i < 10) {
			t.Errorf("the server has %+v for %s", e, a.URL)
		}
	}
	if out := h.ok("sync"); strings.Contains(out, "changes sent") || strings.Contains(out, "waiting") {
		t.Errorf("a third sync found changes still queued:\n%s", out)
	}
}

func TestSyncWrongPassword(t *testing.T) {
	t.Parallel()
	m := liveMiniflux(t)
	u := m.newUser(t)
	for _, kind := range []string{"miniflux-password", "greader"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			h := u.syncHome(t, kind, "")
			const wrong = "not-the-password-7731"
			name, _, _ := strings.Cut(h.env[0], "=")
			h.env = []string{name + "=" + wrong}
			r := h.run("sync")
			const advice = "check username/password for account home"
			if r.code == 0 || strings.Count(r.stderr, advice) != 1 {
				t.Fatalf("sync with a wrong password: exit %d, want one %q:\n%s", r.code, advice, r.stderr)
			}
			r2 := h.run("refresh")
			if r2.code != 0 || strings.Count(r2.stderr, advice) != 1 {
				t.Errorf("refresh with a wrong password: exit %d, want exit 0 and one %q:\n%s", r2.code, advice, r2.stderr)
			}
			for _, out := range []string{r.stdout, r.stderr, r2.stdout, r2.stderr} {
				if strings.Contains(out, wrong) {
					t.Errorf("the password is in the output:\n%s", out)
				}
			}
		})
	}
}

// TestSyncSecretsNeverLeak uses every command on a synced home and looks
// for the account's secrets in everything byline wrote: its outputs, JSON
// included, and the cache files.
func TestSyncSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	m := liveMiniflux(t)
	u := m.newUser(t)
	stories := newStoryServer(t)
	u.subscribe(stories.add("world", 3), "News")
	secrets := []string{u.Token, u.Password, u.GReaderPassword}
	for _, kind := range []string{"miniflux", "miniflux-password", "greader"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			h := u.syncHome(t, kind, "")
			var outputs []string
			run := func(args ...string) {
				r := h.run(args...)
				outputs = append(outputs, r.stdout, r.stderr)
			}
			run("sync")
			run("refresh")
			run("feeds", "--json")
			run("list", "--json")
			articles := h.list()
			run("mark", "star", itoa(articles[0].ID))
			run("read", itoa(articles[0].ID), "--format", "json")
			// The same account with its server out of reach, then back.
			conf := h.read("config.toml")
			h.write("config.toml", strings.Replace(conf, m.URL, "http://127.0.0.1:1", 1))
			run("sync")
			h.write("config.toml", conf)
			run("sync")
			files, _ := filepath.Glob(filepath.Join(h.dir, "byline.db*"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				outputs = append(outputs, string(b))
			}
			for _, secret := range secrets {
				for _, out := range outputs {
					if strings.Contains(out, secret) {
						t.Fatalf("a secret is in byline's output or cache files")
					}
				}
			}
		})
	}
}

// TestSyncIdleIsCheap counts the requests of a sync with nothing new and
// nothing to push, through a proxy in front of Miniflux.
func TestSyncIdleIsCheap(t *testing.T) {
	t.Parallel()
	m := liveMiniflux(t)
	u := m.newUser(t)
	stories := newStoryServer(t)
	u.subscribe(stories.add("world", 30), "News")
	counter, requests := countingProxy(t, m)
	for _, kind := range []string{"miniflux", "greader"} {
		t.Run(kind, func(t *testing.T) {
			h := u.syncHome(t, kind, "")
			h.write("config.toml", strings.Replace(h.read("config.toml"), m.URL, counter, 1))
			h.ok("sync")
			requests.Store(0)
			if out := h.ok("sync"); !strings.Contains(out, "0 new articles") {
				t.Errorf("idle sync:\n%s", out)
			}
			if n := requests.Load(); n > 6 {
				t.Errorf("an idle sync made %d requests, want at most 6", n)
			} else {
				t.Logf("an idle %s sync: %d requests", kind, n)
			}
		})
	}
}

// countingProxy is a proxy in front of m that counts the requests it
// passes on.
func countingProxy(t *testing.T, m *miniflux) (string, *atomic.Int64) {
	target, _ := url.Parse(m.URL)
	var requests atomic.Int64
	proxy := httputil.NewSingleHostReverseProxy(target)
	counter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(counter.Close)
	return counter.URL, &requests
}

// TestSyncAppliesTheRules: the [[ignore]] rules and a [[feed]]'s
// max-items and full-text apply to a synced feed's entries as they apply
// to a local feed's items, and what they keep out is not fetched again
// until the rules change.
func TestSyncAppliesTheRules(t *testing.T) {
	t.Parallel()
	for _, kind := range accountKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			m := liveMiniflux(t)
			u := m.newUser(t)
			stories := newStoryServer(t)
			world := stories.add("world", 6)
			worldID := u.subscribe(world, "News")
			tech := stories.add("tech", 4)
			u.subscribe(tech, "Tech")
			h := u.syncHome(t, kind, stories.add("local", 3)+"\n")
			proxy, requests := countingProxy(t, m)
			account := strings.Replace(h.read("config.toml"), m.URL, proxy, 1)
			techRule := "[[ignore]]\nfeed = \"tech stories\"\nmatch = 'title = \"tech story 2\"'\n"
			rules := "[[ignore]]\nfeed = \"*\"\nmatch = 'title =~ \"story 0$\"'\n" +
				fmt.Sprintf("[[feed]]\nurl = %q\nmax-items = 3\n[[feed]]\nurl = %q\nfull-text = \"never\"\n", world, tech)
			h.write("config.toml", account+rules+techRule)
			titles := func(feed string) string {
				t.Helper()
				var out []string
				for _, a := range h.list("--feed", feed) {
					out = append(out, a.Title)
				}
				slices.Sort(out)
				return strings.Join(out, ", ")
			}
			check := func(when, feed, want string) {
				t.Helper()
				if got := titles(feed); got != want {
					t.Errorf("%s: %s has %q, want %q", when, feed, got, want)
				}
			}
			idle := func(when string) {
				t.Helper()
				requests.Store(0)
				out := h.ok("sync")
				if !strings.Contains(out, "0 new articles") || strings.Contains(out, "ignored") {
					t.Errorf("%s: an idle sync:\n%s", when, out)
				}
				if n := requests.Load(); n > 6 {
					t.Errorf("%s: an idle sync made %d requests: it fetched what the rules kept out", when, n)
				}
			}

			// One refresh: the same rule keeps story 0 out of the local feed
			// and of both synced ones.
			out := h.ok("refresh")
			if !strings.Contains(out, "1 feed: 1 ok, 0 not modified, 0 failed; 2 new articles, 1 ignored") ||
				!strings.Contains(out, "home: 2 feeds, 5 new articles, 3 ignored") {
				t.Fatalf("refresh:\n%s", out)
			}
			check("first sync", "local stories", "local story 1, local story 2")
			check("first sync", "world stories", "world story 3, world story 4, world story 5")
			check("first sync", "tech stories", "tech story 1, tech story 3")
			idle("after the first sync")

			// A new story: the oldest of the three goes, and stays gone.
			stories.add("world", 1)
			u.refreshFeed(worldID)
			if out := h.ok("sync"); !strings.Contains(out, "1 new article") {
				t.Errorf("sync after a new story:\n%s", out)
			}
			check("a new story", "world stories", "world story 4, world story 5, world story 6")
			idle("after the new story")

			// full-text = "never" is the tech feed's alone.
			articles := h.list()
			if out := h.ok("read", itoa(articleByURL(t, articles, stories.storyURL("tech", 1)).ID)); strings.Contains(out, "far more words") {
				t.Errorf("read of a feed with full-text = never fetched its page:\n%s", out)
			}
			if out := h.ok("read", itoa(articleByURL(t, articles, stories.storyURL("world", 5)).ID)); !strings.Contains(out, "far more words") {
				t.Errorf("read of another synced feed did not fetch its page:\n%s", out)
			}

			// Without the tech rule, what it kept out arrives; the rest is
			// judged again and kept out again.
			h.write("config.toml", account+rules)
			if out := h.ok("sync"); !strings.Contains(out, "2 ignored") {
				t.Errorf("sync under new rules:\n%s", out)
			}
			check("new rules", "tech stories", "tech story 1, tech story 2, tech story 3")
			check("new rules", "world stories", "world story 4, world story 5, world story 6")
			idle("under the new rules")
		})
	}
}

// TestSyncHangingServer points an account at a server that accepts
// connections and never answers: the sync gives up after the timeout and
// says the account is offline. It needs no Miniflux.
func TestSyncHangingServer(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	// One type will do: both clients share the HTTP code that gives up.
	for _, kind := range []string{"greader"} {
		t.Run(kind, func(t *testing.T) {
			h := newHome(t, "byline:welcome\n")
			h.write("config.toml", fmt.Sprintf("timeout = \"1s\"\n[[account]]\nname = \"home\"\ntype = %q\nurl = \"http://%s\"\nusername = \"me\"\npassword-env = \"PW\"\n", kind, l.Addr()))
			h.env = []string{"PW=hang-secret-99"}
			start := time.Now()
			r := h.run("sync")
			took := time.Since(start)
			if r.code == 0 || !strings.Contains(r.stderr, "home: offline: 0 changes waiting") || !strings.Contains(r.stderr, "no answer within 1s") {
				t.Errorf("sync against a hanging server: exit %d:\n%s", r.code, r.stderr)
			}
			if took > 15*time.Second {
				t.Errorf("the sync took %v against a 1s timeout", took)
			}
			if r := h.run("refresh"); r.code != 0 || !strings.Contains(r.stdout, "1 feed: 1 ok") {
				t.Errorf("refresh with a hanging account: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}
