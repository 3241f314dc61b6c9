package feedserver

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

var testEpoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func mustStart(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("Start(%+v): %v", opts, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, u string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", u, err)
	}
	return response{resp.StatusCode, resp.Header, body}
}

func parse(t *testing.T, body []byte) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse feed: %v\n%.500s", err, body)
	}
	return f
}

func TestConditionalGetAnswers304UntilBump(t *testing.T) {
	s := mustStart(t, Options{Feeds: 2, Items: 3, ItemWords: 40, Epoch: testEpoch})
	u := s.URLs()[1]
	var bodyBytes int64

	first := get(t, u, nil)
	etag, modified := first.header.Get("ETag"), first.header.Get("Last-Modified")
	if first.status != http.StatusOK || etag == "" || modified == "" {
		t.Fatalf("first GET: status %d, ETag %q, Last-Modified %q; want 200 with both validators", first.status, etag, modified)
	}
	bodyBytes += int64(len(first.body))

	for _, h := range []map[string]string{
		{"If-None-Match": etag},
		{"If-None-Match": `"other", W/` + etag},
		{"If-None-Match": "*"},
		{"If-Modified-Since": modified},
	} {
		r := get(t, u, h)
		if r.status != http.StatusNotModified || len(r.body) != 0 {
			t.Errorf("GET with %v: status %d, %d body bytes; want 304 and no body", h, r.status, len(r.body))
		}
	}

	lastHour := first.header.Get("Last-Modified")
	if tm, err := http.ParseTime(lastHour); err == nil {
		lastHour = tm.Add(-time.Hour).Format(http.TimeFormat)
	}
	for _, h := range []map[string]string{
		{"If-None-Match": `"other"`},
		// If-None-Match wins over a matching If-Modified-Since.
		{"If-None-Match": `"other"`, "If-Modified-Since": modified},
		{"If-Modified-Since": lastHour},
	} {
		r := get(t, u, h)
		if r.status != http.StatusOK || !bytes.Equal(r.body, first.body) {
			t.Errorf("GET with %v: status %d; want 200 and the same body", h, r.status)
		}
		bodyBytes += int64(len(r.body))
	}

	if gen := s.Bump(); gen != 1 {
		t.Errorf("Bump() = %d, want generation 1", gen)
	}
	bumped := get(t, u, map[string]string{"If-None-Match": etag})
	if bumped.status != http.StatusOK || bumped.header.Get("ETag") == etag {
		t.Fatalf("GET after Bump: status %d, ETag %q; want 200 and an ETag other than %q", bumped.status, bumped.header.Get("ETag"), etag)
	}
	bodyBytes += int64(len(bumped.body))

	before, after := parse(t, first.body).Items, parse(t, bumped.body).Items
	if after[0].GUID == before[0].GUID {
		t.Errorf("after Bump the newest item is still %q; want a new one", before[0].GUID)
	}
	// The window slid by one: surviving items keep their bytes.
	for i := 1; i < len(after); i++ {
		if after[i].GUID != before[i-1].GUID || after[i].Content != before[i-1].Content {
			t.Errorf("after Bump item %d = %q; want unchanged %q", i, after[i].GUID, before[i-1].GUID)
		}
	}

	want := Stats{Requests: 9, OK: 5, NotModified: 4, Bytes: bodyBytes}
	if got := s.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestBumpSomeChangesOnlyThoseFeeds(t *testing.T) {
	s := mustStart(t, Options{Feeds: 10, Items: 4, ItemWords: 20, Epoch: testEpoch})
	before := make([]response, 10)
	for f, u := range s.URLs() {
		before[f] = get(t, u, nil)
	}
	if n := s.BumpSome(2, 3); n != 2 {
		t.Fatalf("BumpSome(2, 3) bumped %d feeds", n)
	}
	for f, u := range s.URLs() {
		r := get(t, u, map[string]string{"If-None-Match": before[f].header.Get("ETag")})
		bumped := f == 0 || f == 5 // every Feeds/n-th feed
		if got := r.status == http.StatusOK; got != bumped {
			t.Errorf("feed %d: status %d; bumped %v", f, r.status, bumped)
		}
		if !bumped {
			continue
		}
		old, now := parse(t, before[f].body).Items, parse(t, r.body).Items
		if len(now) != len(old) || now[3].GUID != old[0].GUID {
			t.Errorf("feed %d: %d items, the 4th %q; want 3 new items on top of the newest old one %q", f, len(now), now[3].GUID, old[0].GUID)
		}
	}
}

func TestLatencyDelaysEveryAnswer(t *testing.T) {
	const latency = 80 * time.Millisecond
	s := mustStart(t, Options{Feeds: 1, Items: 1, ItemWords: 10, Latency: latency})
	u := s.URLs()[0]
	timed := func(target string, header map[string]string, want int) response {
		start := time.Now()
		r := get(t, target, header)
		if took := time.Since(start); took < latency {
			t.Errorf("a %d answer took %v, want at least the latency %v", r.status, took, latency)
		}
		if r.status != want {
			t.Errorf("GET %s: status %d, want %d", target, r.status, want)
		}
		return r
	}
	etag := timed(u, nil, http.StatusOK).header.Get("ETag")
	timed(u, map[string]string{"If-None-Match": etag}, http.StatusNotModified)
	timed(strings.Replace(u, "/0.xml", "/9.xml", 1), nil, http.StatusNotFound)
}

func TestFeedsSpreadOverLoopbackHosts(t *testing.T) {
	s := mustStart(t, Options{Feeds: 12, Items: 1, ItemWords: 10})
	perHost := map[string][]string{}
	for _, raw := range s.URLs() {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
			t.Errorf("URL %s is not on a loopback IP", raw)
		}
		perHost[u.Hostname()] = append(perHost[u.Hostname()], raw)
	}
	hosts := slices.Sorted(func(yield func(string) bool) {
		for h := range perHost {
			if !yield(h) {
				return
			}
		}
	})
	if want := []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"}; !slices.Equal(hosts, want) {
		t.Fatalf("hosts %v, want %v (4 feeds per host by default)", hosts, want)
	}
	for h, urls := range perHost {
		if len(urls) != 4 {
			t.Errorf("host %s serves %d feeds, want 4", h, len(urls))
		}
		for _, u := range urls {
			if r := get(t, u, nil); r.status != http.StatusOK {
				t.Errorf("GET %s: status %d, want 200", u, r.status)
			}
		}
	}
	// A feed asked of another host is not there: the spread is real.
	other := strings.Replace(perHost["127.0.0.1"][0], "/feeds/0.xml", "/feeds/1.xml", 1)
	if r := get(t, other, nil); r.status != http.StatusNotFound {
		t.Errorf("GET feed 1 from feed 0's host: status %d, want 404", r.status)
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	for _, format := range []string{"rss", "atom", "json"} {
		t.Run(format, func(t *testing.T) {
			opts := Options{Feeds: 3, Items: 4, ItemWords: 80, Format: format, Seed: 7, Epoch: testEpoch}
			a, b := mustStart(t, opts), mustStart(t, opts)
			opts.Seed = 8
			c := mustStart(t, opts)
			for f := range opts.Feeds {
				ra, rb, rc := get(t, a.URLs()[f], nil), get(t, b.URLs()[f], nil), get(t, c.URLs()[f], nil)
				if !bytes.Equal(ra.body, rb.body) || ra.header.Get("ETag") != rb.header.Get("ETag") {
					t.Errorf("feed %d: two servers with seed 7 differ", f)
				}
				if bytes.Equal(ra.body, rc.body) || ra.header.Get("ETag") == rc.header.Get("ETag") {
					t.Errorf("feed %d: seeds 7 and 8 give the same feed", f)
				}
			}
		})
	}
}

var markup = regexp.MustCompile(`<[^>]*>`)

func TestFormatsParseAsRealFeeds(t *testing.T) {
	const items, words = 12, 300
	for _, format := range []string{"rss", "atom", "json"} {
		t.Run(format, func(t *testing.T) {
			s := mustStart(t, Options{Feeds: 1, Items: items, ItemWords: words, Format: format})
			r := get(t, s.URLs()[0], nil)
			if ct := r.header.Get("Content-Type"); !strings.Contains(ct, format) {
				t.Errorf("Content-Type %q does not name %s", ct, format)
			}
			f := parse(t, r.body)
			if f.Title == "" || f.FeedType != format {
				t.Errorf("feed title %q, type %q", f.Title, f.FeedType)
			}
			if len(f.Items) != items {
				t.Fatalf("%d items, want %d", len(f.Items), items)
			}
			guids := map[string]bool{}
			links := 0
			for i, it := range f.Items {
				if guids[it.GUID] || it.GUID == "" {
					t.Errorf("item %d: GUID %q empty or repeated", i, it.GUID)
				}
				guids[it.GUID] = true
				topic := topicOf(it.Title)
				if topic == "" || !strings.Contains(strings.ToLower(it.Content), topic) {
					t.Errorf("item %d: title %q and content should share a topic word", i, it.Title)
				}
				if !strings.HasPrefix(it.Content, "<p>") || it.Link == "" || len(it.Authors) == 0 || it.Description == "" {
					t.Errorf("item %d: want HTML content, a link, an author and a summary; got %+v", i, it)
				}
				if n := len(strings.Fields(markup.ReplaceAllString(it.Content, " "))); n < words || n > words+20 {
					t.Errorf("item %d: %d words of content, want about %d", i, n, words)
				}
				if n := len(strings.Fields(it.Description)); n < summaryWords || n > summaryWords+20 {
					t.Errorf("item %d: %d words of summary, want about %d", i, n, summaryWords)
				}
				if it.PublishedParsed == nil || (i > 0 && !it.PublishedParsed.Before(*f.Items[i-1].PublishedParsed)) {
					t.Errorf("item %d: published %v, want a date older than the item above", i, it.PublishedParsed)
				}
				links += strings.Count(it.Content, `<a href="https://`)
			}
			if links < items {
				t.Errorf("%d links in %d items, want a few per item", links, items)
			}
		})
	}
}

func topicOf(title string) string {
	for _, w := range TopicWords {
		if strings.Contains(strings.ToLower(title), w) {
			return w
		}
	}
	return ""
}

func TestWriteURLsListsEveryFeed(t *testing.T) {
	s := mustStart(t, Options{Feeds: 5, Items: 1, ItemWords: 10, Format: "json"})
	path := filepath.Join(t.TempDir(), "urls")
	if err := s.WriteURLs(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for line := range strings.Lines(string(data)) {
		if fields := strings.Fields(line); len(fields) > 0 && !strings.HasPrefix(fields[0], "#") {
			got = append(got, fields[0])
			if !slices.Contains(fields, `"bench"`) {
				t.Errorf("line %q lacks the bench tag", line)
			}
		}
	}
	if !slices.Equal(got, s.URLs()) {
		t.Errorf("urls file lists %v, want %v", got, s.URLs())
	}
}

func TestStartRejectsOutOfBoundsOptions(t *testing.T) {
	for _, opts := range []Options{
		{Feeds: -1},
		{Feeds: MaxFeeds + 1},
		{Items: -3},
		{ItemWords: MaxItemWords + 1},
		{Items: MaxItems, ItemWords: MaxItemWords},
		{Feeds: 5000, Hosts: MaxHosts + 1},
		{Latency: -time.Second},
		{Latency: 2 * MaxLatency},
		{Format: "csv"},
	} {
		if s, err := Start(opts); err == nil {
			s.Close()
			t.Errorf("Start(%+v) succeeded, want an error", opts)
		}
	}
}

// BenchmarkServeFeed measures the server's own cost of one default-sized
// feed (50 items × ~500 words), which shares the CPU with byline during a
// benchmark and so must stay small.
func BenchmarkServeFeed(b *testing.B) {
	s, err := Start(Options{Feeds: 1, Hosts: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		s.format.write(&buf, s.document(0, 0))
	}
	b.SetBytes(int64(buf.Len()))
}

// BenchmarkSweep200 fetches 200 default feeds at 50 ms latency the way
// byline's defaults do (32 at once, 2 per host), with a fresh connection pool
// each sweep. It is the floor for the cold-refresh figure: what the server
// and loopback allow before byline parses or stores anything.
func BenchmarkSweep200(b *testing.B) {
	s, err := Start(Options{Feeds: 200, Latency: 50 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	urls := s.URLs()
	for b.Loop() {
		transport := &http.Transport{MaxConnsPerHost: 2, MaxIdleConnsPerHost: 2}
		client := &http.Client{Transport: transport}
		next := make(chan string)
		errs := make(chan error, 32)
		for range 32 {
			go func() {
				var err error
				for u := range next {
					if err != nil {
						continue
					}
					err = fetchAll(b.Context(), client, u)
				}
				errs <- err
			}()
		}
		for _, u := range urls {
			next <- u
		}
		close(next)
		for range 32 {
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
		}
		transport.CloseIdleConnections()
	}
}

func fetchAll(ctx context.Context, client *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
