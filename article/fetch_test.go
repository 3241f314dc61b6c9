package article_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/feed"
)

// TestFetchAndExtract is the path `byline read` takes: fetch the page with
// the feed fetcher (following a redirect, with the charset in the header
// only), then extract it.
func TestFetchAndExtract(t *testing.T) {
	page, err := os.ReadFile("testdata/windows-1252.html")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/k/123", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/kultur/cafe-mueller.html", http.StatusFound)
	})
	mux.HandleFunc("/kultur/cafe-mueller.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		_, _ = w.Write(page)
	})
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.4\n"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	f := feed.NewFetcher(feed.Options{})
	got, err := f.FetchPage(context.Background(), srv.URL+"/k/123")
	if err != nil {
		t.Fatal(err)
	}
	a, err := article.Extract(got.Body, got.ContentType, got.URL)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Das Café Müller schließt nach 93 Jahren" || !strings.Contains(a.Text, "„Wir haben lange überlegt") {
		t.Errorf("title %q, text %.80q", a.Title, a.Text)
	}
	if len(a.Links) != 1 || a.Links[0].URL != srv.URL+"/kultur/archiv/kaffeehaeuser.html" {
		t.Errorf("links %+v, want the archive link resolved against the URL after the redirect", a.Links)
	}

	got, err = f.FetchPage(context.Background(), srv.URL+"/report.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := article.Extract(got.Body, got.ContentType, got.URL); err == nil || !strings.Contains(err.Error(), "open it in the browser") {
		t.Errorf("PDF: %v", err)
	}
}
