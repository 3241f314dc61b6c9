package feedserver

import (
	"bytes"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// Article pages (Options.Pages) and random failures (Options.FailRate), for
// full-text prefetching and robustness tests.

// failKind is how a failing request fails.
type failKind int

const (
	failStatus  failKind = iota // HTTP 500
	failReset                   // connection reset before any answer
	failMidBody                 // headers and half the body, then a reset
	failKinds
)

// failing decides whether feed f fails at generation gen and, if so, fails
// the request and reports true. The draw depends only on Seed, f and gen.
func (s *Server) failing(w http.ResponseWriter, f int, gen int64) bool {
	if s.opts.FailRate <= 0 {
		return false
	}
	rng := rand.New(rand.NewPCG(s.opts.Seed^0x6661696c, uint64(f)<<32^uint64(gen)))
	if rng.Float64() >= s.opts.FailRate {
		return false
	}
	s.failed.Add(1)
	switch failKind(rng.IntN(int(failKinds))) {
	case failStatus:
		http.Error(w, "bench feedserver: failing on purpose", http.StatusInternalServerError)
	case failReset:
		resetConn(w, nil)
	case failMidBody:
		head := "HTTP/1.1 200 OK\r\nContent-Type: " + s.format.contentType +
			"\r\nContent-Length: 100000\r\n\r\n" + `<?xml version="1.0" encoding="UTF-8"?>` + "\n<rss version=\"2.0\"><channel><title>Cut short"
		resetConn(w, []byte(head))
	}
	return true
}

// resetConn takes over the connection, writes raw (if any) and closes it
// with an RST rather than a FIN, as a crashing server or middlebox would.
func resetConn(w http.ResponseWriter, raw []byte) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot be hijacked; a 500 still fails the request.
		http.Error(w, "bench feedserver: failing on purpose", http.StatusInternalServerError)
		return
	}
	if len(raw) > 0 {
		buf.Write(raw)
		buf.Flush()
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0)
	}
	conn.Close()
}

func (s *Server) pageURL(f int, seq int64) string {
	return "http://" + s.hosts[f%len(s.hosts)] + "/pages/" + strconv.Itoa(f) + "/" + strconv.FormatInt(seq, 10) + ".html"
}

// servePage answers /pages/F/SEQ.html with item SEQ of feed F as a web
// page: its title, author and the same paragraphs as the feed's content,
// among a little site clutter. Any item a feed has carried so far has a page.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	f, err := strconv.Atoi(r.PathValue("feed"))
	name, okExt := strings.CutSuffix(r.PathValue("file"), ".html")
	seq, err2 := strconv.ParseInt(name, 10, 64)
	switch {
	case err != nil || err2 != nil || !okExt || f < 0 || f >= s.opts.Feeds || seq < 0 ||
		seq > s.generation(f)+int64(s.opts.Items)-1 || strconv.Itoa(f) != r.PathValue("feed"):
		http.NotFound(w, r)
		return
	}
	if local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr); local == nil || local.String() != s.hosts[f%len(s.hosts)] {
		http.NotFound(w, r)
		return
	}
	s.pageOnce.Do(func() {
		// The feed formats escape the content's markup, a page must not.
		// Generated words are letters only, so no text needs escaping.
		s.pageText = newCorpus(s.opts.Seed, func(s string) string { return s })
	})
	// The item as the feed writes it, but with its markup as markup.
	html := &Server{opts: s.opts, format: format{escape: func(s string) string { return s }}, text: s.pageText, hosts: s.hosts}
	pcg := rand.NewPCG(s.opts.Seed, uint64(f)<<32^uint64(seq))
	var it item
	sentences := html.writeItem(&it, nil, rand.New(pcg), f, seq)
	it.sentences = sentences
	d := &document{text: s.pageText}

	buf := s.bufs.Get().(*bytes.Buffer)
	defer s.bufs.Put(buf)
	buf.Reset()
	put(buf, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", it.title,
		"</title>\n<meta name=\"author\" content=\"", it.author,
		"\">\n<meta property=\"article:published_time\" content=\"", it.published.Format("2006-01-02T15:04:05Z07:00"),
		"\"></head>\n<body><header><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav></header>\n<main><article><h1>", it.title,
		"</h1>\n<p class=\"byline\">By ", it.author, "</p>\n")
	d.writeContent(buf, &it)
	buf.WriteString("\n</article></main>\n<footer><p>Served by byline's bench feedserver.</p></footer></body></html>\n")
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	s.pages.Add(1)
	n, _ := w.Write(buf.Bytes())
	s.bytes.Add(int64(n))
}

// DropIdleConns closes every connection that is not carrying a request
// (idle between requests, or opened and not yet used), as a restarting
// server would, and keeps serving. Tests that count a client's goroutines
// and file descriptors call it between runs, so that the client's pool of
// idle connections, which is not a leak, empties.
func (s *Server) DropIdleConns() {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	for c, st := range s.conns {
		if st == http.StateIdle || st == http.StateNew {
			c.Close()
		}
	}
}

// trackConn is the http.Server's ConnState hook, for DropIdleConns.
func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch st {
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	default:
		s.conns[c] = st
	}
}
