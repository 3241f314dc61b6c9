// Package feedserver serves many synthetic feeds on loopback addresses so
// byline's refresh can be measured without the internet: realistic article
// text, deterministic bytes for a seed, a fixed latency per request, and
// conditional GET (ETag and Last-Modified) so warm refreshes see 304s.
//
// Feeds are spread over several loopback addresses (127.0.0.1, 127.0.0.2, …,
// each with its own listener) because byline limits concurrency per
// host:port; one address would measure that limit instead of the refresh.
// Linux routes all of 127/8 to the loopback interface; other systems may need
// the extra addresses aliased first, or Hosts set to 1.
package feedserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Limits keep a mistyped flag from exhausting the machine: this is a bench
// tool, not a load generator.
const (
	MaxFeeds      = 100_000
	MaxItems      = 10_000
	MaxItemWords  = 100_000
	MaxHosts      = 1024
	MaxLatency    = time.Minute
	maxFeedWords  = 8_000_000 // Items×ItemWords: about 64 MB of body per feed
	feedsPerHost  = 4
	itemInterval  = time.Hour // between consecutive items of one feed
	serverTimeout = 30 * time.Second
)

// Options say what to serve. Zero fields take the defaults noted.
type Options struct {
	Feeds   int           // number of feeds; default 200
	Items   int           // items per feed; default 50
	Latency time.Duration // wait before the first byte of every response, 304s included
	// Hosts is how many loopback addresses (127.0.0.1 …) serve the feeds,
	// which are dealt round-robin over them; default one per 4 feeds.
	Hosts     int
	Format    string // "rss" (default), "atom" or "json"
	Seed      uint64 // same Options, same bytes
	ItemWords int    // words of HTML content per item; default 500 (the summary is ~50 more)
	// Epoch is the date of each feed's newest item at generation 0; later
	// generations add items an hour apart. Zero means a day before Start,
	// on the hour, so dates look current; set it for bytes that repeat
	// across processes.
	Epoch time.Time
	// Pages makes every item link to an HTML page of its story on the
	// feed's own listener (/pages/F/SEQ.html) instead of a host that never
	// resolves, so full-text fetching has real pages to read. Off by default.
	Pages bool
	// FailRate is the fraction of feeds, 0 to 1, whose requests fail: an
	// HTTP 500, a connection reset before any answer, or one reset partway
	// through the body. Which feeds fail, and how, is drawn afresh for every
	// generation (see Bump) from Seed, so a run repeats. 0 (the default)
	// never fails.
	FailRate float64
}

// Stats count what the server has answered since Start.
type Stats struct {
	Requests    int64 // every request, whatever its answer
	OK          int64 // 200s: full feed bodies
	NotModified int64 // 304s
	Bytes       int64 // body bytes written
	Failed      int64 // requests failed on purpose (Options.FailRate)
	Pages       int64 // article pages served (Options.Pages)
}

// Server is a running set of feed listeners. Its methods are safe for
// concurrent use.
type Server struct {
	opts    Options
	format  format
	text    *corpus
	etagKey string // everything but feed and generation that shapes a body

	hosts    []string // host:port of each listener
	srv      *http.Server
	serving  sync.WaitGroup
	gen      atomic.Int64
	ahead    []atomic.Int64 // per feed: generations past gen (BumpSome)
	requests atomic.Int64
	ok       atomic.Int64
	notMod   atomic.Int64
	bytes    atomic.Int64
	failed   atomic.Int64
	pages    atomic.Int64
	bufs     sync.Pool

	pageOnce sync.Once
	pageText *corpus // the corpus escaped for HTML, for Options.Pages

	connMu sync.Mutex
	conns  map[net.Conn]http.ConnState // for DropIdleConns
}

// Start validates opts, fills in defaults and starts listening on every
// host. Close the Server when done.
func Start(opts Options) (*Server, error) {
	opts, err := withDefaults(opts)
	if err != nil {
		return nil, err
	}
	f := formats[opts.Format]
	s := &Server{
		opts:    opts,
		format:  f,
		text:    newCorpus(opts.Seed, f.escape),
		etagKey: fmt.Sprintf("%s/%d/%d/%d/%d", opts.Format, opts.Seed, opts.Items, opts.ItemWords, opts.Epoch.Unix()),
		bufs:    sync.Pool{New: func() any { return new(bytes.Buffer) }},
		conns:   map[net.Conn]http.ConnState{},
		ahead:   make([]atomic.Int64, opts.Feeds),
	}

	listeners := make([]net.Listener, 0, opts.Hosts)
	for k := range opts.Hosts {
		ln, err := net.Listen("tcp", net.JoinHostPort(hostIP(k), "0"))
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			return nil, fmt.Errorf("listen on loopback host %d of %d: %w", k+1, opts.Hosts, err)
		}
		listeners = append(listeners, ln)
		s.hosts = append(s.hosts, ln.Addr().String())
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /feeds/{file}", s.serveFeed)
	if opts.Pages {
		s.etagKey += "/pages"
		mux.HandleFunc("GET /pages/{feed}/{file}", s.servePage)
	}
	s.srv = &http.Server{
		Handler:           s.withLatency(mux),
		ReadHeaderTimeout: serverTimeout,
		WriteTimeout:      opts.Latency + serverTimeout,
		IdleTimeout:       serverTimeout,
		MaxHeaderBytes:    16 << 10,
		ConnState:         s.trackConn,
	}
	for _, ln := range listeners {
		s.serving.Go(func() {
			// Serve returns ErrServerClosed after Close; any other error
			// ends this listener only, and the requests to it then fail
			// loudly in the benchmark.
			_ = s.srv.Serve(ln)
		})
	}
	return s, nil
}

func withDefaults(o Options) (Options, error) {
	if o.Feeds == 0 {
		o.Feeds = 200
	}
	if o.Items == 0 {
		o.Items = 50
	}
	if o.ItemWords == 0 {
		o.ItemWords = 500
	}
	if o.Format == "" {
		o.Format = "rss"
	}
	if o.Hosts == 0 {
		o.Hosts = min((o.Feeds+feedsPerHost-1)/feedsPerHost, MaxHosts)
	}
	if o.Epoch.IsZero() {
		o.Epoch = time.Now().Add(-24 * time.Hour).Truncate(time.Hour)
	}
	// HTTP dates have whole seconds; sub-second epochs would break
	// If-Modified-Since comparisons.
	o.Epoch = o.Epoch.UTC().Truncate(time.Second)
	o.Hosts = min(o.Hosts, o.Feeds)

	switch {
	case o.Feeds < 0 || o.Feeds > MaxFeeds:
		return o, fmt.Errorf("feeds %d: want 1 to %d", o.Feeds, MaxFeeds)
	case o.Items < 0 || o.Items > MaxItems:
		return o, fmt.Errorf("items %d: want 1 to %d", o.Items, MaxItems)
	case o.ItemWords < 0 || o.ItemWords > MaxItemWords:
		return o, fmt.Errorf("item words %d: want 1 to %d", o.ItemWords, MaxItemWords)
	case o.Items*o.ItemWords > maxFeedWords:
		return o, fmt.Errorf("items×words %d×%d: over %d words per feed", o.Items, o.ItemWords, maxFeedWords)
	case o.Hosts < 0 || o.Hosts > MaxHosts:
		return o, fmt.Errorf("hosts %d: want 1 to %d", o.Hosts, MaxHosts)
	case o.Latency < 0 || o.Latency > MaxLatency:
		return o, fmt.Errorf("latency %v: want 0 to %v", o.Latency, MaxLatency)
	case !(o.FailRate >= 0 && o.FailRate <= 1): // NaN too
		return o, fmt.Errorf("fail rate %v: want 0 to 1", o.FailRate)
	}
	if _, ok := formats[o.Format]; !ok {
		return o, fmt.Errorf("format %q: want rss, atom or json", o.Format)
	}
	return o, nil
}

// hostIP is the k-th loopback address, skipping the .0 and .255 of each /24
// so every address looks like an ordinary host: 127.0.0.1 … 127.0.0.254,
// 127.0.1.1 …
func hostIP(k int) string {
	return fmt.Sprintf("127.0.%d.%d", k/254, k%254+1)
}

// Options returns the options in force, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// URLs returns every feed's URL, in feed order.
func (s *Server) URLs() []string {
	urls := make([]string, s.opts.Feeds)
	for f := range urls {
		urls[f] = s.feedURL(f)
	}
	return urls
}

func (s *Server) feedURL(f int) string {
	return "http://" + s.hosts[f%len(s.hosts)] + "/feeds/" + strconv.Itoa(f) + s.format.ext
}

// WriteURLs writes a newsboat-format urls file: one feed per line, tagged
// "bench" and one of ten groups ("g0" … "g9") so tag filters have work to do.
// The file is replaced atomically.
func (s *Server) WriteURLs(path string) error {
	var b bytes.Buffer
	b.WriteString("# Generated by byline's bench feedserver; every URL is on loopback.\n")
	for f, u := range s.URLs() {
		fmt.Fprintf(&b, "%s \"bench\" \"g%d\"\n", u, f%10)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".urls-*")
	if err != nil {
		return fmt.Errorf("write urls %s: %w", path, err)
	}
	_, werr := tmp.Write(b.Bytes())
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write urls %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write urls %s: %w", path, err)
	}
	return nil
}

// Bump moves every feed to the next generation: one new item on top, the
// oldest dropped, new validators. It returns the new generation.
func (s *Server) Bump() int64 { return s.gen.Add(1) }

// BumpSome gives n of the feeds, spread evenly over all of them (every
// Feeds/n-th), items more items each, the oldest as many dropped, as a
// night's news does to a feed list by morning; the others are unchanged
// and keep answering 304. It returns how many feeds it bumped.
func (s *Server) BumpSome(n, items int) int {
	n = min(max(n, 0), s.opts.Feeds)
	if n == 0 || items <= 0 {
		return 0
	}
	step := s.opts.Feeds / n
	for k := range n {
		s.ahead[k*step].Add(int64(items))
	}
	return n
}

// generation is feed f's current generation.
func (s *Server) generation(f int) int64 { return s.gen.Load() + s.ahead[f].Load() }

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	return Stats{
		Requests:    s.requests.Load(),
		OK:          s.ok.Load(),
		NotModified: s.notMod.Load(),
		Bytes:       s.bytes.Load(),
		Failed:      s.failed.Load(),
		Pages:       s.pages.Load(),
	}
}

// Close stops every listener and drops open connections.
func (s *Server) Close() error {
	err := s.srv.Close()
	s.serving.Wait()
	return err
}

// Shutdown stops accepting requests and waits for those in flight, up to
// ctx's deadline.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	s.serving.Wait()
	return err
}

// withLatency delays every response, whatever it is, before its first byte,
// like a distant server would.
func (s *Server) withLatency(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if d := s.opts.Latency; d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) {
	f, ok := s.feedIndex(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	gen := s.generation(f)
	if s.failing(w, f, gen) {
		return
	}
	etag := s.etag(f, gen)
	modified := s.published(f, gen+int64(s.opts.Items)-1)

	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Last-Modified", modified.Format(http.TimeFormat))
	if notModified(r, etag, modified) {
		s.notMod.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}

	buf := s.bufs.Get().(*bytes.Buffer)
	defer s.bufs.Put(buf)
	buf.Reset()
	s.format.write(buf, s.document(f, gen))

	h.Set("Content-Type", s.format.contentType)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	s.ok.Add(1)
	n, _ := w.Write(buf.Bytes()) // a client that hangs up mid-body is its own problem
	s.bytes.Add(int64(n))
}

// feedIndex parses the feed number from the path and checks that the request
// arrived on that feed's host, so the spread over hosts is real.
func (s *Server) feedIndex(r *http.Request) (int, bool) {
	name, ok := strings.CutSuffix(r.PathValue("file"), s.format.ext)
	if !ok {
		return 0, false
	}
	f, err := strconv.Atoi(name)
	if err != nil || f < 0 || f >= s.opts.Feeds || strconv.Itoa(f) != name {
		return 0, false
	}
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	return f, local != nil && local.String() == s.hosts[f%len(s.hosts)]
}

// notModified applies RFC 9110's precedence: If-None-Match when present,
// else If-Modified-Since.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for tag := range strings.SplitSeq(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
				return true
			}
		}
		return false
	}
	since, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !modified.After(since)
}

func (s *Server) etag(f int, gen int64) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d/%d", s.etagKey, f, gen)
	return fmt.Sprintf(`"%016x"`, h.Sum64())
}

// published is the date of item seq of feed f. Feeds are a second apart so
// that merged lists have a stable order.
func (s *Server) published(f int, seq int64) time.Time {
	return s.opts.Epoch.
		Add(time.Duration(seq-int64(s.opts.Items-1)) * itemInterval).
		Add(time.Duration(f) * time.Second)
}

// document builds feed f at generation gen: items gen … gen+Items-1, newest
// first. Each item's text depends only on the seed, f and its sequence
// number, so an item keeps its bytes across generations.
func (s *Server) document(f int, gen int64) *document {
	esc := s.format.escape
	words := s.text.words
	rng := rand.New(rand.NewPCG(^s.opts.Seed, uint64(f))) // not an item's stream
	name := esc(capitalize(words[rng.IntN(titleVocabulary)]) + " " + capitalize(words[rng.IntN(titleVocabulary)]))
	d := &document{
		text:    s.text,
		id:      fmt.Sprintf("urn:byline-bench:%d:%d", s.opts.Seed, f),
		title:   fmt.Sprintf("Bench feed %d: %s", f, name),
		siteURL: fmt.Sprintf("https://feed%d.bench.invalid/", f),
		updated: s.published(f, gen+int64(s.opts.Items)-1),
		items:   make([]item, s.opts.Items),
	}
	pcg := rand.NewPCG(0, 0)
	rng = rand.New(pcg)
	// One backing array for every item's sentence list; pool sentences
	// average 12 words.
	sentences := make([]int32, 0, s.opts.Items*(s.opts.ItemWords/10+2))
	for i := range d.items {
		seq := gen + int64(s.opts.Items-1-i)
		pcg.Seed(s.opts.Seed, uint64(f)<<32^uint64(seq))
		it := &d.items[i]
		start := len(sentences)
		sentences = s.writeItem(it, sentences, rng, f, seq)
		it.sentences = sentences[start:len(sentences):len(sentences)]
	}
	return d
}

// writeItem fills in it and appends its sentence list to sentences.
func (s *Server) writeItem(it *item, sentences []int32, rng *rand.Rand, f int, seq int64) []int32 {
	esc := s.format.escape
	words := s.text.words
	topic := capitalize(TopicWords[(f+int(seq))%len(TopicWords)])

	var title, lead strings.Builder
	title.Grow(64)
	title.WriteString(topic + ":")
	for range 3 + rng.IntN(5) {
		title.WriteByte(' ')
		title.WriteString(words[rng.IntN(titleVocabulary)])
	}
	// The lead sentence is the item's own; the rest comes from the pool.
	lead.Grow(64)
	lead.WriteString(topic)
	for range 5 {
		lead.WriteByte(' ')
		lead.WriteString(words[rng.IntN(len(words))])
	}
	lead.WriteByte('.')
	n, summaryN := 6, 6
	summaryTarget := min(summaryWords, s.opts.ItemWords)

	start := len(sentences)
	it.summaryEnd = 0
	for inPara, paraLen := 1, 3+rng.IntN(4); n < s.opts.ItemWords; inPara++ {
		if inPara == paraLen {
			sentences = append(sentences, paragraphBreak)
			inPara, paraLen = 0, 3+rng.IntN(4)
		}
		i := rng.IntN(len(s.text.sentences))
		sentences = append(sentences, int32(i))
		n += s.text.sentences[i].words
		if summaryN < summaryTarget {
			summaryN += s.text.sentences[i].words
			it.summaryEnd = len(sentences) - start
		}
	}

	it.guid = fmt.Sprintf("urn:byline-bench:%d:%d:%d", s.opts.Seed, f, seq)
	it.url = fmt.Sprintf("https://feed%d.bench.invalid/items/%d", f, seq)
	if s.opts.Pages {
		it.url = s.pageURL(f, seq)
	}
	it.title = esc(title.String())
	it.lead = esc(lead.String())
	it.author = s.text.authors[rng.IntN(len(s.text.authors))]
	it.published = s.published(f, seq)
	return sentences
}
