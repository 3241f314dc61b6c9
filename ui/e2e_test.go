package ui

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/reader"
	"github.com/bylinehq/byline/refresh"
)

// newsSite serves one RSS feed whose story links to a page on the same
// server, the way a news site's feed and pages look to byline.
func newsSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		var story strings.Builder
		for i := 1; i <= 30; i++ {
			fmt.Fprintf(&story, "<p>Paragraph %d of the flood story, with enough words to read.</p>", i)
			if i == 20 {
				fmt.Fprintf(&story, `<p>The <a href="%s/council">council statement</a> came late.</p>`, srv.URL)
			}
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Local News</title><link>%[1]s/</link>
<item><guid>flood</guid><title>River floods the old town</title><link>%[1]s/flood</link>
<pubDate>Mon, 02 Jun 2025 06:00:00 GMT</pubDate><description><![CDATA[%[2]s]]></description></item>
</channel></rss>`, srv.URL, story.String())
	})
	mux.HandleFunc("/council", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var body strings.Builder
		for i := 1; i <= 8; i++ {
			fmt.Fprintf(&body, "<p>The council met on Sunday night and agreed on emergency measures for the flooded districts, item %d of the statement read out by the mayor to the press.</p>", i)
		}
		fmt.Fprintf(w, `<!doctype html><html><head><title>Council statement on the flood</title></head><body><article><h1>Council statement on the flood</h1>%s</article></body></html>`, body.String())
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func startProgram(t *testing.T, srv *httptest.Server) (*teatest.TestModel, *cache.Store) {
	t.Helper()
	store := openStore(t)
	if err := store.SyncSubscriptions(context.Background(), []news.Subscription{{URL: srv.URL + "/feed.xml"}}); err != nil {
		t.Fatal(err)
	}
	fetcher := feed.NewFetcher(feed.Options{Timeout: 5 * time.Second, ConnectTimeout: time.Second})
	deps := Deps{Store: store, Reader: reader.New(store, fetcher, nil),
		Refresher: refresh.Background{Store: store, Fetcher: fetcher}, Now: clock, Getenv: func(string) string { return "" }}
	s := testSettings()
	s.RefreshOnStart = true
	s.Theme = config.ThemeAuto
	tm := teatest.NewTestModel(t, New(deps, s),
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.NoTTY)))
	return tm, store
}

func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func TestEndToEndFollowLinkAndBack(t *testing.T) {
	srv := newsSite(t)
	tm, _ := startProgram(t, srv)
	waitFor(t, tm, "Refreshed 1 feed")
	tm.Send(keyPress("enter")) // All
	waitFor(t, tm, "River floods the old town")
	tm.Send(keyPress("enter"))
	waitFor(t, tm, "Paragraph 1 of the flood story")
	tm.Send(keyPress("tab")) // scrolls down to the council link
	waitFor(t, tm, "council statement")
	tm.Send(keyPress("enter"))
	waitFor(t, tm, "emergency measures")
	tm.Send(keyPress("esc"))
	waitFor(t, tm, "came late")
	tm.Send(keyPress("ctrl+c"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	p, ok := final.reader.current()
	if !ok || len(final.reader.pages) != 2 || final.reader.at != 0 {
		t.Fatalf("history: %d pages, at %d", len(final.reader.pages), final.reader.at)
	}
	if n, _ := final.reader.highlighted(); n != 1 || p.offset == 0 {
		t.Fatalf("back lost the place: link %d, offset %d", n, p.offset)
	}
}

// TestEndToEndOffline reads the story and follows its link once online,
// then does it all again with the server gone: the article and the
// followed page come from the cache, and back restores the place.
func TestEndToEndOffline(t *testing.T) {
	srv := newsSite(t)
	tm, store := startProgram(t, srv)
	waitFor(t, tm, "Refreshed 1 feed")
	tm.Send(keyPress("enter"))
	waitFor(t, tm, "River floods the old town")
	tm.Send(keyPress("enter"))
	waitFor(t, tm, "Paragraph 1 of the flood story")
	tm.Send(keyPress("tab"))
	tm.Send(keyPress("enter"))
	waitFor(t, tm, "emergency measures") // the first visit keeps the page

	srv.Close() // the train enters the tunnel
	tm.Send(keyPress("esc"))
	waitFor(t, tm, "came late")
	tm.Send(keyPress("esc")) // leave the reader
	tm.Send(keyPress("R"))
	waitFor(t, tm, "offline")
	tm.Send(keyPress("enter"))
	waitFor(t, tm, "Paragraph 1 of the flood story") // read from the cache
	tm.Send(keyPress("tab"))
	waitFor(t, tm, "council statement")
	tm.Send(keyPress("enter"))
	waitFor(t, tm, "emergency measures") // the followed page, offline
	tm.Send(keyPress("esc"))
	waitFor(t, tm, "came late")
	tm.Send(keyPress("ctrl+c"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if !final.status.offline {
		t.Fatal("the offline marker went away")
	}
	p, ok := final.reader.current()
	if n, _ := final.reader.highlighted(); !ok || n != 1 || p.offset == 0 {
		t.Fatalf("back lost the place offline: link %d, offset %d", n, p.offset)
	}
	if n, err := store.Count(context.Background(), news.Filter{Unread: true}); err != nil || n != 0 {
		t.Fatalf("the article read offline is still unread: %d, %v", n, err)
	}
}
