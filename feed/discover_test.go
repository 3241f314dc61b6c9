package feed

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
)

func TestDiscover(t *testing.T) {
	mux := http.NewServeMux()
	srv := serve(t, mux.ServeHTTP)
	page := func(path, html string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(html))
		})
	}
	mux.HandleFunc("/feed.rss", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(rssFeed("f", 1)) })
	page("/blog/", `<!doctype html><html><head><title>Blog</title>
<link rel="stylesheet" type="text/css" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Posts" href="/posts.rss">
<link rel="alternate" type="application/json" href="https://example.com/wp-json/wp/v2/pages/2">
<LINK REL="Alternate" TYPE="application/atom+xml; charset=utf-8" HREF="atom.xml">
<link rel="alternate" type="application/rss+xml" href="/posts.rss">
<link rel="alternate" hreflang="de" href="/de/">
<link rel="alternate feed" type="application/feed+json" href="https://feeds.example.org/blog.json">
<link rel="alternate" type="application/json" title="JSON Feed" href="/feed.json">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><p>Posts</p></body></html>`)
	page("/based/", `<html><head><base href="https://cdn.example.net/site/"><link rel="alternate" type="application/atom+xml" href="feed.atom"></head></html>`)
	page("/plain", `<html><head><title>No feed links</title></head><body></body></html>`)

	f := NewFetcher(Options{})
	ctx := context.Background()
	tests := []struct {
		page string
		want []string
	}{
		{srv.URL + "/feed.rss", []string{srv.URL + "/feed.rss"}},
		{srv.URL + "/blog/", []string{srv.URL + "/posts.rss", srv.URL + "/blog/atom.xml", "https://feeds.example.org/blog.json", srv.URL + "/feed.json"}},
		{srv.URL + "/based/", []string{"https://cdn.example.net/site/feed.atom"}},
		{WelcomeURL, []string{WelcomeURL}},
	}
	for _, tt := range tests {
		got, err := f.Discover(ctx, tt.page)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Discover(%s) = %q, %v; want %q", tt.page, got, err, tt.want)
		}
	}
}

func TestDiscoverProbesCommonPaths(t *testing.T) {
	mux := http.NewServeMux()
	srv := serve(t, mux.ServeHTTP)
	mux.HandleFunc("/some/page", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`<html><head><title>A page without feed links</title></head></html>`))
	})
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) { // a page, not a feed
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><body>RSS explained</body></html>`))
	})
	mux.HandleFunc("/feed.json", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[]}`))
	})
	mux.HandleFunc("/atom.xml", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(atomFeed("A", 1)) })

	got, err := NewFetcher(Options{}).Discover(context.Background(), srv.URL+"/some/page")
	want := []string{srv.URL + "/atom.xml", srv.URL + "/feed.json"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Discover = %q, %v; want %q", got, err, want)
	}
}

func TestDiscoverFindsNothing(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`<html><head><title>Nothing here</title></head></html>`))
	})
	f := NewFetcher(Options{})
	got, err := f.Discover(context.Background(), srv.URL+"/")
	if !errors.Is(err, ErrNoFeeds) || got != nil {
		t.Fatalf("Discover = %q, %v; want ErrNoFeeds", got, err)
	}
	mustContain(t, err, srv.URL, "no feeds found", "/feed.json")

	_, err = f.Discover(context.Background(), srv.URL+"/missing")
	var herr *HTTPError
	if !errors.As(err, &herr) || herr.StatusCode != http.StatusNotFound {
		t.Errorf("Discover of a missing page: %v, want HTTP 404", err)
	}
	_, err = f.Discover(context.Background(), "file:///etc/passwd")
	mustContain(t, err, "unsupported URL scheme")
}
