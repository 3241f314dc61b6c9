// Package hostile serves feeds and pages that misbehave in every way a
// reader must survive: bodies that drip a byte a second, connections reset
// mid-body, truncated gzip, gzip bombs, endless bodies, huge headers, the
// wrong content type, long redirect chains, 100,000 items, a 50 MB
// content:encoded, XML nested a million deep, entity-expansion bombs and
// external entities that point at local files. A few well-behaved feeds are
// served alongside, to show that the hostile ones do not affect them.
//
// Every case has its own listener on 127.0.0.1, so a client's per-host
// limit never makes one case wait behind another. Big bodies are streamed
// as they are written, never held in memory, and every streaming handler
// stops as soon as the client goes away.
package hostile

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options shape the cases. Zero fields take the defaults noted.
type Options struct {
	// DripEvery is the pause between the bytes of the drip cases; default 1s.
	DripEvery time.Duration
	// RedirectHops is the length of the redirect chain; default 50.
	RedirectHops int
	// Items is how many items the big feed has; default 100,000.
	Items int
	// ContentBytes is the size of the huge content:encoded and of the huge
	// page; default 50 MB.
	ContentBytes int64
	// Depth is how deep the deep XML and HTML documents nest; default 1,000,000.
	Depth int
	// HeaderBytes is how many bytes of headers the huge-headers case sends
	// (if the client reads that far); default 64 MiB.
	HeaderBytes int64
	// EndlessBytes caps the endless bodies, so that even a client without
	// a limit ends one day; default 4 GiB.
	EndlessBytes int64
	// SecretFile is the local file the external entities point at; a
	// reader must never read it. Default /etc/passwd. Tests should point it
	// at a file of their own holding a unique marker and check that the
	// marker appears nowhere.
	SecretFile string
	// GoodFeeds is how many well-behaved feeds are served; default 3.
	GoodFeeds int
}

func (o Options) withDefaults() Options {
	if o.DripEvery <= 0 {
		o.DripEvery = time.Second
	}
	if o.RedirectHops <= 0 {
		o.RedirectHops = 50
	}
	if o.Items <= 0 {
		o.Items = 100_000
	}
	if o.ContentBytes <= 0 {
		o.ContentBytes = 50_000_000
	}
	if o.Depth <= 0 {
		o.Depth = 1_000_000
	}
	if o.HeaderBytes <= 0 {
		o.HeaderBytes = 64 << 20
	}
	if o.EndlessBytes <= 0 {
		o.EndlessBytes = 4 << 30
	}
	if o.SecretFile == "" {
		o.SecretFile = "/etc/passwd"
	}
	if o.GoodFeeds <= 0 {
		o.GoodFeeds = 3
	}
	return o
}

// Case is one misbehaviour.
type Case struct {
	Name string // short, unique: "drip", "page-reset", …
	// Page is set for article pages (fetched by `byline read URL` and the
	// full-text prefetch) rather than feeds.
	Page bool
	// Want lists substrings of which a client's error for this case should
	// contain one (compared case-insensitively). Empty when the case need
	// not fail, as long as it is harmless (the entity bomb may parse with
	// its entities left unexpanded, say).
	Want []string
	// About says what the server does.
	About string

	path    string
	handler http.HandlerFunc
}

// Explains reports whether msg, a client's error for the case, names one
// of Want (always, when Want is empty).
func (c Case) Explains(msg string) bool {
	msg = strings.ToLower(msg)
	for _, w := range c.Want {
		if strings.Contains(msg, strings.ToLower(w)) {
			return true
		}
	}
	return len(c.Want) == 0
}

// Server serves every case. Its methods are safe for concurrent use.
type Server struct {
	opts  Options
	cases []Case
	urls  map[string]string // case name → URL
	good  []string
	links string
	srv   *http.Server

	serving sync.WaitGroup
	mu      sync.Mutex
	conns   map[net.Conn]struct{} // hijacked connections still open
	closed  bool
}

// Start listens on 127.0.0.1 (one port per case, one for the good feeds) and
// serves until Close.
func Start(opts Options) (*Server, error) {
	s := &Server{opts: opts.withDefaults(), urls: map[string]string{}, conns: map[net.Conn]struct{}{}}
	s.cases = s.allCases()
	mux := http.NewServeMux()
	var lns []net.Listener
	listen := func() (string, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		lns = append(lns, ln)
		return "http://" + ln.Addr().String(), nil
	}
	fail := func(err error) (*Server, error) {
		for _, ln := range lns {
			ln.Close()
		}
		return nil, fmt.Errorf("hostile: listen: %w", err)
	}
	for _, c := range s.cases {
		base, err := listen()
		if err != nil {
			return fail(err)
		}
		s.urls[c.Name] = base + c.path
		mux.HandleFunc("GET "+c.path, c.handler)
	}
	goodBase, err := listen()
	if err != nil {
		return fail(err)
	}
	for i := range s.opts.GoodFeeds {
		s.good = append(s.good, fmt.Sprintf("%s/good/%d.xml", goodBase, i))
	}
	mux.HandleFunc("GET /good/{file}", s.serveGood)
	mux.HandleFunc("GET /good-page/{feed}/{item}", s.serveGoodPage)
	mux.HandleFunc("GET /links.xml", s.serveLinks)
	s.links = goodBase + "/links.xml"
	mux.HandleFunc("GET /redirect/{n}", s.serveRedirect)

	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	for _, ln := range lns {
		s.serving.Go(func() { _ = s.srv.Serve(ln) })
	}
	return s, nil
}

// Options returns the options in force, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// Cases returns every case, feeds first, then pages.
func (s *Server) Cases() []Case { return append([]Case(nil), s.cases...) }

// Case returns the case called name.
func (s *Server) Case(name string) (Case, bool) {
	for _, c := range s.cases {
		if c.Name == name {
			return c, true
		}
	}
	return Case{}, false
}

// URL returns the URL of the case called name, or "" if there is none.
func (s *Server) URL(name string) string { return s.urls[name] }

// GoodURLs returns the well-behaved feeds: five items each, whose links
// lead to well-behaved article pages on the same listener.
func (s *Server) GoodURLs() []string { return append([]string(nil), s.good...) }

// LinksURL returns a well-behaved feed whose items link to every page case
// and to one good page, for full-text prefetching to run into.
func (s *Server) LinksURL() string { return s.links }

// Close stops every listener and drops every connection, hijacked ones too.
func (s *Server) Close() error {
	err := s.srv.Close()
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.serving.Wait()
	return err
}

// hijack takes over a connection for raw writes; done must be called when
// the handler is finished with it.
func (s *Server) hijack(w http.ResponseWriter) (conn net.Conn, buf *bufio.ReadWriter, done func(), err error) {
	conn, buf, err = http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, nil, nil, err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		conn.Close()
		return nil, nil, nil, errors.New("hostile: server closed")
	}
	s.conns[conn] = struct{}{}
	s.mu.Unlock()
	return conn, buf, func() {
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
		conn.Close()
	}, nil
}

const (
	rssHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">` + "\n<channel>\n"
	rssTail  = "</channel>\n</rss>\n"
	rssType  = "application/rss+xml; charset=utf-8"
	htmlType = "text/html; charset=utf-8"
)

func (s *Server) allCases() []Case {
	o := s.opts
	timedOut := []string{"timed out", "deadline exceeded"}
	tooBig := []string{"body exceeds"}
	cut := []string{"connection reset", "unexpected eof", "eof"}
	return []Case{
		{Name: "drip", Want: timedOut, path: "/drip.xml", handler: s.drip(rssType, rssHead),
			About: fmt.Sprintf("a feed whose body arrives one byte every %v, forever", o.DripEvery)},
		{Name: "reset", Want: cut, path: "/reset.xml", handler: s.reset(rssType, rssHead),
			About: "a feed whose connection is reset (RST) after 4 KB of a promised 1 MB body"},
		{Name: "truncated-gzip", Want: cut, path: "/truncated-gzip.xml", handler: s.truncatedGzip,
			About: "a gzip-encoded feed cut off halfway through the compressed stream"},
		{Name: "gzip-bomb", Want: tooBig, path: "/gzip-bomb.xml", handler: s.gzipBomb,
			About: "a small gzip stream that inflates to gigabytes of a feed"},
		{Name: "endless", Want: tooBig, path: "/endless.xml", handler: s.endless(rssType, rssHead, endlessItem),
			About: "a feed whose items never end, sent as fast as the client reads"},
		{Name: "huge-headers", Want: []string{"header"}, path: "/huge-headers.xml", handler: s.hugeHeaders,
			About: fmt.Sprintf("%d MiB of response headers before any body", o.HeaderBytes>>20)},
		{Name: "wrong-type-png", Want: []string{"not a feed"}, path: "/wrong-type.png", handler: s.png,
			About: "a PNG image, labelled image/png, where a feed should be"},
		{Name: "wrong-type-html", Want: []string{"html page"}, path: "/wrong-type.html", handler: s.homePage,
			About: "a site's HTML home page, labelled application/rss+xml"},
		{Name: "redirect-chain", Want: []string{"redirects"}, path: "/redirect-chain.xml", handler: s.redirectStart,
			About: fmt.Sprintf("a chain of %d redirects before the feed", o.RedirectHops)},
		{Name: "items-100k", path: "/items.xml", handler: s.manyItems,
			About: fmt.Sprintf("a valid feed of %d small items", o.Items)},
		{Name: "content-50mb", Want: tooBig, path: "/content.xml", handler: s.hugeContent,
			About: fmt.Sprintf("one item whose content:encoded is %d MB", o.ContentBytes/1_000_000)},
		{Name: "deep-xml", Want: []string{"nested"}, path: "/deep.xml", handler: s.deepXML,
			About: fmt.Sprintf("an item with elements nested %d deep", o.Depth)},
		{Name: "entity-bomb", path: "/entity-bomb.xml", handler: s.entityBomb,
			About: "a billion-laughs DTD (10 levels of 10× entity expansion) used in a title and a description"},
		{Name: "xxe", path: "/xxe.xml", handler: s.xxe,
			About: "external entities (general and parameter) with SYSTEM file:// URLs of a local file"},

		{Name: "page-drip", Page: true, Want: timedOut, path: "/page/drip.html", handler: s.drip(htmlType, "<!DOCTYPE html><html><head><title>Drip</title></head><body><p>"),
			About: fmt.Sprintf("an article page arriving one byte every %v, forever", o.DripEvery)},
		{Name: "page-reset", Page: true, Want: cut, path: "/page/reset.html", handler: s.reset(htmlType, "<!DOCTYPE html><html><head><title>Reset</title></head><body><article><p>"),
			About: "an article page whose connection is reset after 4 KB"},
		{Name: "page-endless", Page: true, Want: tooBig, path: "/page/endless.html", handler: s.endless(htmlType, "<!DOCTYPE html><html><head><title>Endless</title></head><body><article>\n", endlessParagraph),
			About: "an article page whose paragraphs never end"},
		{Name: "page-50mb", Page: true, Want: tooBig, path: "/page/huge.html", handler: s.hugePage,
			About: fmt.Sprintf("a %d MB article page", o.ContentBytes/1_000_000)},
		{Name: "page-deep", Page: true, Want: []string{"exceeds 512", "nested"}, path: "/page/deep.html", handler: s.deepHTML,
			About: fmt.Sprintf("an article page with <div>s nested %d deep", o.Depth)},
	}
}

// streamer writes a body piece by piece and remembers the first failure:
// once the client has gone, every later write is refused at once.
type streamer struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	err error
	n   int64
}

func newStreamer(w http.ResponseWriter) *streamer {
	return &streamer{w: w, rc: http.NewResponseController(w)}
}

func (st *streamer) write(s string) bool {
	if st.err != nil {
		return false
	}
	n, err := io.WriteString(st.w, s)
	st.n += int64(n)
	st.err = err
	return err == nil
}

func (st *streamer) flush() bool {
	if st.err == nil {
		st.err = st.rc.Flush()
	}
	return st.err == nil
}

func (s *Server) drip(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		st := newStreamer(w)
		st.flush()
		tick := time.NewTicker(s.opts.DripEvery)
		defer tick.Stop()
		for i := 0; ; i++ {
			c := " "
			if i < len(body) {
				c = body[i : i+1]
			}
			if !st.write(c) || !st.flush() {
				return
			}
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
		}
	}
}

func (s *Server) reset(contentType, prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, done, err := s.hijack(w)
		if err != nil {
			return
		}
		defer done()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", contentType, 1<<20)
		buf.WriteString(prefix)
		for n := len(prefix); n < 4096; n += len(resetFiller) {
			buf.WriteString(resetFiller)
		}
		buf.Flush()
		time.Sleep(50 * time.Millisecond) // let the client start on the body
		if tcp, ok := conn.(*net.TCPConn); ok {
			tcp.SetLinger(0) // close with RST
		}
	}
}

// smallFeed is a valid feed of n items, for compressing.
func smallFeed(n int) string {
	var b strings.Builder
	b.WriteString(rssHead + "<title>Compressed</title>\n")
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Item %d</title><guid>c-%d</guid><description>Some text for item %d, long enough to compress.</description></item>\n", i, i, i)
	}
	b.WriteString(rssTail)
	return b.String()
}

func (s *Server) truncatedGzip(w http.ResponseWriter, r *http.Request) {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(smallFeed(2000)))
	zw.Close()
	cut := z.Bytes()[:z.Len()/2]
	h := w.Header()
	h.Set("Content-Type", rssType)
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(cut)))
	w.Write(cut)
}

func (s *Server) gzipBomb(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", rssType)
	h.Set("Content-Encoding", "gzip")
	zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	zw.Write([]byte(rssHead + "<title>Bomb</title>\n<item><title>Boom</title><description>"))
	spaces := bytes.Repeat([]byte(" "), 1<<20)
	for n := int64(0); n < s.opts.EndlessBytes && r.Context().Err() == nil; n += int64(len(spaces)) {
		if _, err := zw.Write(spaces); err != nil {
			return
		}
	}
	zw.Close()
}

const resetFiller = "<p>This connection is about to be reset.</p>\n"

const (
	endlessItem      = "<item><title>Yet another item</title><description>It never ends; it never ends; it never ends.</description></item>\n"
	endlessParagraph = "<p>This paragraph is one of infinitely many. It never ends; it never ends; it never ends; it never ends.</p>\n"
)

func (s *Server) endless(contentType, head, unit string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		st := newStreamer(w)
		st.write(head)
		chunk := strings.Repeat(unit, (64<<10)/len(unit))
		for st.n < s.opts.EndlessBytes && st.write(chunk) && r.Context().Err() == nil {
		}
	}
}

func (s *Server) hugeHeaders(w http.ResponseWriter, r *http.Request) {
	conn, buf, done, err := s.hijack(w)
	if err != nil {
		return
	}
	defer done()
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: " + rssType + "\r\n")
	line := "X-Padding-%08d: " + strings.Repeat("h", 1000) + "\r\n"
	for n := int64(0); n < s.opts.HeaderBytes; n += int64(len(line)) {
		conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := fmt.Fprintf(buf, line, n); err != nil {
			return
		}
	}
	buf.WriteString("Content-Length: 0\r\n\r\n")
	buf.Flush()
}

// pngHeader is a valid 1×1 PNG's signature and IHDR; garbage follows.
var pngHeader = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func (s *Server) png(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/png")
	w.Write(pngHeader)
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(i*7 + i>>8)
	}
	w.Write(junk)
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", rssType) // lies
	io.WriteString(w, `<!DOCTYPE html><html><head><title>A site</title></head><body><h1>Welcome</h1>`+
		strings.Repeat("<p>This is a home page, not a feed.</p>", 100)+`</body></html>`)
}

func (s *Server) redirectStart(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/redirect/"+strconv.Itoa(s.opts.RedirectHops-1), http.StatusFound)
}

func (s *Server) serveRedirect(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		http.NotFound(w, r)
		return
	}
	if n == 0 {
		w.Header().Set("Content-Type", rssType)
		io.WriteString(w, smallFeed(3))
		return
	}
	http.Redirect(w, r, "/redirect/"+strconv.Itoa(n-1), http.StatusFound)
}

var archiveEpoch = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

func (s *Server) manyItems(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", rssType)
	st := newStreamer(w)
	st.write(rssHead + "<title>Many items</title>\n")
	var b strings.Builder
	for i := 0; i < s.opts.Items; i++ {
		// An old archive: a day per item back from 2001, so newer feeds' items sort first.
		date := archiveEpoch.Add(-time.Duration(i) * 24 * time.Hour).Format(time.RFC1123Z)
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>http://items.invalid/%d</link><guid>i-%d</guid><pubDate>%s</pubDate>"+
			"<description>Item %d of many.</description></item>\n", i, i, i, date, i)
		if b.Len() > 32<<10 {
			if !st.write(b.String()) {
				return
			}
			b.Reset()
		}
	}
	st.write(b.String() + rssTail)
}

func (s *Server) hugeContent(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", rssType)
	st := newStreamer(w)
	st.write(rssHead + "<title>Huge content</title>\n<item><title>The longest story</title><guid>huge</guid><content:encoded><![CDATA[")
	chunk := strings.Repeat(endlessParagraph, (64<<10)/len(endlessParagraph))
	for n := int64(0); n < s.opts.ContentBytes; n += int64(len(chunk)) {
		if !st.write(chunk) {
			return
		}
	}
	st.write("]]></content:encoded></item>\n" + rssTail)
}

func (s *Server) hugePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", htmlType)
	st := newStreamer(w)
	st.write("<!DOCTYPE html><html><head><title>The longest story</title></head><body><article><h1>The longest story</h1>\n")
	chunk := strings.Repeat(endlessParagraph, (64<<10)/len(endlessParagraph))
	for n := int64(0); n < s.opts.ContentBytes; n += int64(len(chunk)) {
		if !st.write(chunk) {
			return
		}
	}
	st.write("</article></body></html>\n")
}

// nest streams open, depth times, then close, depth times.
func (s *Server) nest(st *streamer, open, close string) bool {
	for _, tag := range []string{open, close} {
		chunk := strings.Repeat(tag, (32<<10)/len(tag))
		per := (32 << 10) / len(tag)
		for left := s.opts.Depth; left > 0; left -= per {
			if left < per {
				chunk = strings.Repeat(tag, left)
			}
			if !st.write(chunk) {
				return false
			}
		}
	}
	return true
}

func (s *Server) deepXML(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", rssType)
	st := newStreamer(w)
	st.write(rssHead + "<title>Deep</title>\n<item><title>Deep item</title><guid>deep</guid><description>")
	if s.nest(st, "<x>", "</x>") {
		st.write("</description></item>\n" + rssTail)
	}
}

func (s *Server) deepHTML(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", htmlType)
	st := newStreamer(w)
	st.write("<!DOCTYPE html><html><head><title>Deep</title></head><body><article>" + strings.Repeat("<p>Deep page text, repeated to look like a story.</p>", 20))
	if s.nest(st, "<div>", "</div>") {
		st.write("</article></body></html>\n")
	}
}

func (s *Server) entityBomb(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<!DOCTYPE rss [\n" + `<!ENTITY lol0 "lol">` + "\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "<!ENTITY lol%d \"%s\">\n", i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	b.WriteString("]>\n<rss version=\"2.0\"><channel><title>Laughs &lol9;</title>\n" +
		"<item><title>Bomb &lol9;</title><guid>bomb</guid><description>&lol9;&lol9;&lol9;</description></item>\n" + rssTail)
	w.Header().Set("Content-Type", rssType)
	io.WriteString(w, b.String())
}

func (s *Server) xxe(w http.ResponseWriter, r *http.Request) {
	file := "file://" + s.opts.SecretFile
	w.Header().Set("Content-Type", rssType)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
<!ENTITY xxe SYSTEM "%s">
<!ENTITY %% ext SYSTEM "%s">
%%ext;
]>
<rss version="2.0"><channel><title>External &xxe;</title>
<item><title>Secret: &xxe;</title><guid>xxe</guid><link>http://xxe.invalid/&xxe;</link><description>Before &xxe; after</description></item>
`+rssTail, file, file)
}

func (s *Server) serveGood(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	f, err := strconv.Atoi(name)
	if !ok || err != nil || f < 0 || f >= s.opts.GoodFeeds {
		http.NotFound(w, r)
		return
	}
	base := "http://" + r.Host
	w.Header().Set("Content-Type", rssType)
	var b strings.Builder
	fmt.Fprintf(&b, rssHead+"<title>Good feed %d</title>\n<link>%s/</link>\n", f, base)
	for i := range 5 {
		fmt.Fprintf(&b, "<item><title>Good story %d.%d</title><link>%s/good-page/%d/%d</link><guid>good-%d-%d</guid><pubDate>%s</pubDate>"+
			"<description>A well-behaved teaser for story %d of good feed %d.</description></item>\n",
			f, i, base, f, i, f, i, recent(i), i, f)
	}
	b.WriteString(rssTail)
	io.WriteString(w, b.String())
}

func (s *Server) serveGoodPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", htmlType)
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html><html><head><title>Good story %s.%s</title></head><body><article><h1>Good story %s.%s</h1>\n",
		r.PathValue("feed"), r.PathValue("item"), r.PathValue("feed"), r.PathValue("item"))
	for i := range 8 {
		fmt.Fprintf(&b, "<p>Paragraph %d of a perfectly ordinary story. It has sentences of a normal length, "+
			"says nothing hostile and is long enough for any reader to call it an article.</p>\n", i)
	}
	b.WriteString("</article></body></html>\n")
	io.WriteString(w, b.String())
}

func (s *Server) serveLinks(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", rssType)
	var b strings.Builder
	b.WriteString(rssHead + "<title>Links to hostile pages</title>\n")
	item := func(name, link string) {
		fmt.Fprintf(&b, "<item><title>Link to %s</title><link>%s</link><guid>links-%s</guid><pubDate>%s</pubDate>"+
			"<description>A teaser; the story is on the page.</description></item>\n", name, link, name, recent(0))
	}
	for _, c := range s.cases {
		if c.Page {
			item(c.Name, s.urls[c.Name])
		}
	}
	item("good-page", "http://"+r.Host+"/good-page/links/0")
	b.WriteString(rssTail)
	io.WriteString(w, b.String())
}

// recent is a date i hours before the current hour, for the well-behaved feeds.
func recent(i int) string {
	return time.Now().UTC().Truncate(time.Hour).Add(-time.Duration(i) * time.Hour).Format(time.RFC1123Z)
}
