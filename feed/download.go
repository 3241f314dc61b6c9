package feed

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/bylinehq/byline/news"
)

// download is one HTTP answer with its body read (for 2xx) into a pooled
// buffer. release returns the buffer; nothing may use body afterwards.
type download struct {
	code     int
	header   http.Header
	finalURL string
	// permanent is set when a 301 or 308 occurred anywhere on the way.
	permanent bool
	body      *bytes.Buffer
	// freeSlot gives back the large-body slot the body took, if any.
	freeSlot func()
}

func (d *download) release() {
	if d.body != nil {
		putBuffer(d.body)
		d.body = nil
	}
	if d.freeSlot != nil {
		d.freeSlot()
		d.freeSlot = nil
	}
}

// A body may grow past largeBody only while it holds one of the Fetcher's
// largeBodySlots, until it is parsed and released. Feeds that each send
// megabytes (podcast feeds, a misbehaving server) otherwise held their
// buffers and parse trees all at once: measured, 24 feeds over the 20 MiB
// limit took a refresh to 1.1 GB of memory, and 380 MB with the slots.
// Bodies below it, nearly every feed and most pages, never wait.
const (
	largeBody      = 1 << 20
	largeBodySlots = 4
)

// validators returns the cache validators the response carries. An
// absurdly long value is dropped rather than stored and sent back forever.
// (Control characters cannot occur: the client refuses such headers.)
func (d *download) validators() news.Validators {
	usable := func(v string) string {
		if len(v) > maxValidatorLen {
			return ""
		}
		return v
	}
	return news.Validators{ETag: usable(d.header.Get("ETag")), LastModified: usable(d.header.Get("Last-Modified"))}
}

const maxValidatorLen = 1024

type userAgentKey struct{}

// WithUserAgent returns a context whose requests send ua as their
// User-Agent instead of Options.UserAgent.
func WithUserAgent(ctx context.Context, ua string) context.Context {
	return context.WithValue(ctx, userAgentKey{}, ua)
}

func userAgent(ctx context.Context) string {
	ua, _ := ctx.Value(userAgentKey{}).(string)
	return ua
}

// redirectTrail collects what CheckRedirect sees for one request; the client
// is shared, so per-request state travels in the request's context.
type redirectTrail struct{ permanent bool }

type redirectTrailKey struct{}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	for _, prev := range via {
		if prev.URL.String() == req.URL.String() {
			return fmt.Errorf("redirect loop: %s redirects back to itself after %d hops", req.URL, len(via))
		}
	}
	if len(via) > f.opts.MaxRedirects {
		return fmt.Errorf("more than %d redirects", f.opts.MaxRedirects)
	}
	if trail, ok := req.Context().Value(redirectTrailKey{}).(*redirectTrail); ok && req.Response != nil {
		switch req.Response.StatusCode {
		case http.StatusMovedPermanently, http.StatusPermanentRedirect:
			trail.permanent = true
		}
	}
	return nil
}

// checkURL admits only http and https: a feed list is user input, and a
// file: or other URL must never be opened on its behalf.
func checkURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("bad URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("unsupported URL scheme %q (only http and https)", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("URL has no host")
	}
	return nil
}

// download GETs rawURL within the per-host limit and Options.Timeout, and
// reads a 2xx body up to Options.MaxBodyBytes.
func (f *Fetcher) download(ctx context.Context, rawURL string, v news.Validators, accept string) (*download, error) {
	return f.downloadUpTo(ctx, rawURL, v, accept, f.opts.MaxBodyBytes)
}

// downloadUpTo is download with a body limit of its own (at most
// Options.MaxBodyBytes), for what should be smaller than a feed.
func (f *Fetcher) downloadUpTo(ctx context.Context, rawURL string, v news.Validators, accept string, limit int64) (*download, error) {
	if err := checkURL(rawURL); err != nil {
		return nil, err
	}
	release, err := f.hosts.Acquire(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	defer release()

	// The timeout starts once a host slot is ours: waiting behind other
	// feeds of the same site is not this feed's slowness.
	reqCtx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	trail := &redirectTrail{}
	reqCtx = context.WithValue(reqCtx, redirectTrailKey{}, trail)

	req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", cmp.Or(userAgent(ctx), f.opts.UserAgent))
	req.Header.Set("Accept", accept)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}

	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.explain(ctx, reqCtx, err)
	}
	defer resp.Body.Close()

	d := &download{
		code:      resp.StatusCode,
		header:    resp.Header,
		finalURL:  resp.Request.URL.String(),
		permanent: trail.permanent,
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Read a little of an error page so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return d, nil
	}
	if err := inflateDeflate(resp); err != nil {
		return nil, err
	}
	d.body = getBuffer()
	if err := f.readBody(reqCtx, d, resp, min(limit, f.opts.MaxBodyBytes)); err != nil {
		d.release()
		return nil, f.explain(ctx, reqCtx, err)
	}
	return d, nil
}

// inflateDeflate makes a "Content-Encoding: deflate" body readable. The
// client takes care of gzip, which it asks for; deflate is not asked for but
// some servers send it anyway, in both of the forms found in the wild: the
// zlib stream that RFC 9110 means, and the raw DEFLATE data that old
// servers wrongly sent under the same name. The body limit counts what
// comes out.
func inflateDeflate(resp *http.Response) error {
	if !strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "deflate") {
		return nil
	}
	buffered := bufio.NewReader(resp.Body)
	var inflated io.ReadCloser
	if head, err := buffered.Peek(2); err == nil && isZlibHeader(head) {
		zr, err := zlib.NewReader(buffered)
		if err != nil {
			return fmt.Errorf("read body: deflate: %w", err)
		}
		inflated = zr
	} else {
		inflated = flate.NewReader(buffered)
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{inflated, resp.Body}
	resp.ContentLength = -1 // the length on the wire, not of the body
	resp.Header.Del("Content-Encoding")
	return nil
}

// isZlibHeader reports whether head starts a zlib stream (RFC 1950): the
// DEFLATE method, a window of at most 32 KiB and a valid check value. A
// raw DEFLATE stream's first byte can pass the first two tests, but rarely
// the third.
func isZlibHeader(head []byte) bool {
	cmf, flg := head[0], head[1]
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}

// readBody reads at most limit bytes of the decompressed body into
// d.body, taking a large-body slot to read past largeBody.
func (f *Fetcher) readBody(ctx context.Context, d *download, resp *http.Response, limit int64) error {
	n := resp.ContentLength
	if n > limit {
		return fmt.Errorf("body exceeds %s (Content-Length %d)", formatSize(limit), n)
	}
	if n > largeBody {
		if err := f.takeLargeSlot(ctx, d); err != nil {
			return err
		}
	}
	if n > 0 {
		d.body.Grow(int(n))
	}
	read, err := d.body.ReadFrom(io.LimitReader(resp.Body, min(limit, largeBody)+1))
	if err == nil && read > largeBody {
		if err := f.takeLargeSlot(ctx, d); err != nil {
			return err
		}
		var more int64
		more, err = d.body.ReadFrom(io.LimitReader(resp.Body, limit-read+1))
		read += more
	}
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if read > limit {
		return fmt.Errorf("body exceeds %s", formatSize(limit))
	}
	return nil
}

// takeLargeSlot waits for a large-body slot for d, unless it has one.
func (f *Fetcher) takeLargeSlot(ctx context.Context, d *download) error {
	if d.freeSlot != nil {
		return nil
	}
	select {
	case f.large <- struct{}{}:
		d.freeSlot = func() { <-f.large }
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting to read a body over %s: %w", formatSize(largeBody), ctx.Err())
	}
}

// explain turns a client error into one a user can act on. The *url.Error
// wrapper is dropped because its message repeats the URL that the caller's
// own wrapping already names.
func (f *Fetcher) explain(parent, reqCtx context.Context, err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	if errors.Is(reqCtx.Err(), context.DeadlineExceeded) && parent.Err() == nil {
		return fmt.Errorf("timed out after %s: %w", f.opts.Timeout, err)
	}
	return err
}

// formatSize writes a byte limit the way the settings give it: "20 MiB".
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}

// maxPooledBuffer keeps one huge feed from pinning its buffer for good.
const maxPooledBuffer = 4 << 20

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return bufferPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	bufferPool.Put(b)
}
