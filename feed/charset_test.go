package feed

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

	"github.com/bylinehq/byline/news"
)

// Issue 10, item 5: feeds in encodings that only their first bytes or an
// EBCDIC declaration tell, served over HTTP as their servers send them.
func TestFetchEncodingsFromTheFirstBytes(t *testing.T) {
	const title = "Grüße, 日本 & more"
	declared := func(label string) string {
		return `<?xml version="1.0" encoding="` + label + `"?>` + "\n" + undeclared
	}
	encode := func(enc encoding.Encoding, s string) []byte {
		b, err := enc.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	fixture := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const mainframe = "Mainframe [news] ¢5 | a!b ^ ¬ Café"
	tests := []struct {
		name, contentType string
		body              []byte
		want              string
	}{
		{"UTF-16LE, no BOM", "application/rss+xml",
			encode(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), declared("UTF-16")), title},
		{"UTF-16BE, no BOM", "application/rss+xml",
			encode(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), declared("UTF-16")), title},
		{"UTF-16BE, no BOM, no declaration, header says utf-16", "application/rss+xml; charset=utf-16",
			encode(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), undeclared), title},
		{"UTF-32BE, no BOM", "text/xml",
			encode(utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), declared("UTF-32")), title},
		{"UTF-32LE, no BOM", "",
			encode(utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), declared("UTF-32")), title},
		{"UTF-32LE with BOM", "",
			encode(utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), declared("UTF-32")), title},
		{"UTF-32BE with BOM", "",
			encode(utf32.UTF32(utf32.BigEndian, utf32.UseBOM), declared("UTF-32")), title},
		// The EBCDIC fixtures are Python's cp037 and cp500 codecs' bytes,
		// with NL (0x15) line ends as mainframes write them.
		{"EBCDIC IBM037", "application/xml", fixture("ebcdic-ibm037.xml"), mainframe},
		{"EBCDIC IBM500", "application/xml", fixture("ebcdic-ibm500.xml"), mainframe},
		{"EBCDIC IBM1047 by header, no declaration", "application/rss+xml; charset=IBM1047",
			encode(charmap.CodePage1047, strings.Replace(undeclared, "日本", "Café", 1)), "Grüße, Café & more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serveBytes(t, tt.contentType, tt.body)
			res := NewFetcher(Options{}).Fetch(context.Background(), srv.URL, news.Validators{})
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if !strings.HasPrefix(res.Feed.Title, tt.want) {
				t.Errorf("title %q, want %q", res.Feed.Title, tt.want)
			}
			if len(res.Feed.Items) != 1 {
				t.Fatalf("%d items", len(res.Feed.Items))
			}
			if s := res.Feed.Items[0].Summary; !strings.Contains(s, "Line one") || !strings.Contains(s, "line two") || strings.Contains(s, "oneline") {
				t.Errorf("summary %q: the line break is lost", s)
			}
		})
	}
}

// undeclared is an RSS document without an XML declaration.
const undeclared = `<rss version="2.0"><channel><title>Grüße, 日本 &amp; more</title>
<item><title>Batch job done</title><guid>job-1</guid><description>Line one
line two</description></item></channel></rss>
`

func TestFetchDeflate(t *testing.T) {
	doc := rssFeed("Deflated", 3)
	var wrapped, raw bytes.Buffer
	zw := zlib.NewWriter(&wrapped)
	zw.Write(doc)
	zw.Close()
	fw, _ := flate.NewWriter(&raw, flate.BestCompression)
	fw.Write(doc)
	fw.Close()
	for name, body := range map[string][]byte{"zlib-wrapped": wrapped.Bytes(), "raw": raw.Bytes()} {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Header().Set("Content-Encoding", "deflate")
				w.Write(body)
			})
			res := NewFetcher(Options{}).Fetch(context.Background(), srv.URL, news.Validators{})
			if res.Err != nil || res.Feed.Title != "Deflated" || len(res.Feed.Items) != 3 {
				t.Fatalf("status %v, err %v", res.Status, res.Err)
			}
		})
	}
	// The body limit counts inflated bytes.
	var bomb bytes.Buffer
	zw = zlib.NewWriter(&bomb)
	zw.Write(make([]byte, 2<<20))
	zw.Close()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "deflate")
		w.Write(bomb.Bytes())
	})
	res := NewFetcher(Options{MaxBodyBytes: 1 << 20}).Fetch(context.Background(), srv.URL, news.Validators{})
	mustContain(t, res.Err, "body exceeds 1 MiB")
}

// A document cut one byte short, the '>' of its last closing tag, is
// otherwise whole; a lenient reader reads it.
func TestFetchMissingFinalAngleBracket(t *testing.T) {
	for name, doc := range map[string][]byte{
		"RSS":  bytes.TrimSuffix(rssFeed("Cut short", 2), []byte(">\n")),
		"Atom": append(bytes.TrimSuffix(atomFeed("Cut short", 2), []byte(">\n")), "\r\n"...),
	} {
		t.Run(name, func(t *testing.T) {
			srv := serveBytes(t, "application/xml", doc)
			res := NewFetcher(Options{}).Fetch(context.Background(), srv.URL, news.Validators{})
			if res.Err != nil || res.Feed.Title != "Cut short" || len(res.Feed.Items) != 2 {
				t.Fatalf("status %v, err %v", res.Status, res.Err)
			}
		})
	}
}
