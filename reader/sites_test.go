package reader_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/reader"
)

// A site whose rule follows the print version is read from it: the whole
// story, kept under the page's own address, and a site without a rule is
// read as it is.
func TestSiteRuleFollowsThePrintVersion(t *testing.T) {
	paragraph := func(n int) string {
		return fmt.Sprintf("<p>Part %d of the long read about the harbour, with enough words in it to be a paragraph of a story that anyone would read to the end.</p>", n)
	}
	var printHits int
	mux := http.NewServeMux()
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><head><title>The long read</title></head><body><article><h1>The long read</h1>`+paragraph(1)+paragraph(2)+
			`<p class="pages">Page 1 of 3 · <a href="/story?page=2">Next</a> · <a class="print" href="/print/story">Print</a></p></article></body></html>`)
	})
	mux.HandleFunc("/print/story", func(w http.ResponseWriter, r *http.Request) {
		printHits++
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><head><title>The long read</title></head><body><h1>The long read</h1>`+paragraph(1)+paragraph(2)+paragraph(3)+paragraph(4)+paragraph(5)+paragraph(6)+`</body></html>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	store, err := cache.Open(filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	svc := reader.New(store, feed.NewFetcher(feed.Options{}), nil)

	plain, err := svc.Fetch(context.Background(), srv.URL+"/story")
	if err != nil || strings.Contains(plain.Text, "Part 6") || printHits != 0 {
		t.Fatalf("without a rule: %v, %d print fetches:\n%s", err, printHits, plain.Text)
	}

	// The test server is on 127.0.0.1, which the rule names.
	rules, err := article.NewSiteRules([]article.SiteRule{{Host: "127.0.0.1", Follow: "a.print"}})
	if err != nil {
		t.Fatal(err)
	}
	svc.UseSiteRules(rules)
	whole, err := svc.Fetch(context.Background(), srv.URL+"/story")
	if err != nil || !strings.Contains(whole.Text, "Part 6") || printHits != 1 || whole.URL != srv.URL+"/story" {
		t.Fatalf("with a rule: %v, %d print fetches, URL %q:\n%s", err, printHits, whole.URL, whole.Text)
	}
}
