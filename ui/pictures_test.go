package ui

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/kitty"

	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/picture"
	"github.com/bylinehq/byline/reader"
)

// photoStory serves a story with a lead photo (og:image, 1200×600, as big
// as byline keeps one) and two figures,
// stores its feed item in a real cache and returns deps over the real
// reader, which fetches and keeps the pictures with the page.
func photoStory(t testing.TB) (Deps, string) {
	t.Helper()
	pic := func(w, h int, c color.RGBA) []byte {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				img.SetRGBA(x, y, color.RGBA{c.R, uint8(255 * y / h), c.B, 255})
			}
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	lead, figure, market := pic(1200, 600, color.RGBA{R: 200, B: 40}), pic(300, 300, color.RGBA{R: 20, B: 220}), pic(1200, 800, color.RGBA{R: 120, B: 120})
	mux := http.NewServeMux()
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var paras strings.Builder
		for i := range 12 {
			fmt.Fprintf(&paras, "<p>Paragraph %d of the harbour story, long enough that the page is an article and the reader has something to scroll through.</p>\n", i+1)
			switch i {
			case 1:
				paras.WriteString(`<figure><img src="/figure.png" alt="The quay at noon"></figure>` + "\n")
			case 9:
				paras.WriteString(`<figure><img src="/market.png" alt="The market"></figure>` + "\n")
			}
		}
		fmt.Fprintf(w, `<!doctype html><html><head><title>Harbour</title><meta property="og:image" content="/lead.png"></head>
<body><article><h1>Harbour</h1>%s</article></body></html>`, paras.String())
	})
	mux.HandleFunc("/lead.png", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(lead) })
	mux.HandleFunc("/figure.png", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(figure) })
	mux.HandleFunc("/market.png", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(market) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	store := openStore(t)
	ctx := t.Context()
	if err := store.SyncSubscriptions(ctx, []news.Subscription{{URL: srv.URL + "/feed"}}); err != nil {
		t.Fatal(err)
	}
	feeds, _ := store.Feeds(ctx)
	items := []news.Item{
		{GUID: "1", URL: srv.URL + "/story", Title: "Harbour", Summary: "A teaser.", Published: now0.Add(-time.Hour)},
		{GUID: "2", URL: "byline:welcome/none", Title: "No pictures", Content: "<p>Just words here.</p>", Published: now0.Add(-2 * time.Hour)},
	}
	r := feed.Result{URL: feeds[0].URL, Status: feed.StatusOK, Feed: &feed.Document{Title: "F", Items: items}}
	if _, err := store.SaveResult(ctx, feeds[0].ID, r); err != nil {
		t.Fatal(err)
	}
	fetcher := feed.NewFetcher(feed.Options{Timeout: 5 * time.Second})
	always := func(news.Article) config.FullText { return config.FullTextAlways }
	return Deps{Store: store, Reader: reader.New(store, fetcher, always), Renderer: &countingRenderer{},
		Now: clock, Getenv: func(string) string { return "" }}, srv.URL
}

func pictureSettings(mode picture.Mode) config.Settings {
	s := testSettings()
	s.Images = mode
	return s
}

func TestReaderShowsHalfBlockPictures(t *testing.T) {
	deps, srv := photoStory(t)
	h := newHarness(t, deps, pictureSettings(picture.ModeHalfBlocks), 100, 40)
	h.press("enter", "enter") // All, then the newest article: the story
	h.requireView("Harbour", "Paragraph 1 of the harbour story")
	lines := strings.Split(h.m.View().Content, "\n")
	first, blocks := -1, 0
	for i, l := range lines {
		if strings.Contains(l, "▀") {
			if first < 0 {
				first = i
			}
			blocks++
			if !strings.Contains(l, "\x1b[38;2;") {
				t.Fatalf("half-block line without true colour: %q", l)
			}
		}
	}
	// The lead photo comes under the headline, at most a third of the
	// screen high (13 of 40 lines), and the figure's top follows.
	plain := strings.Split(h.view(), "\n")
	if first < 0 || first > 8 || headline(plain) < 0 || headline(plain) > first {
		t.Fatalf("no lead photo under the headline:\n%s", h.view())
	}
	if blocks < 13 {
		t.Fatalf("%d half-block lines on screen", blocks)
	}
	for i := first; i < first+13; i++ {
		if !strings.Contains(lines[i], "▀") {
			t.Fatalf("lead photo line %d is not a picture: %q", i, plain[i])
		}
	}
	if strings.Contains(lines[first+13], "▀") {
		t.Fatal("the lead photo is taller than a third of the screen")
	}
	// Scrolling moves the picture with the text.
	h.press("j", "j")
	lines = strings.Split(h.m.View().Content, "\n")
	if !strings.Contains(lines[first-2], "▀") || strings.Contains(lines[first-3], "▀") {
		t.Fatal("the photo did not scroll with the text")
	}
	// Under the figure, its caption; [1] still names the figure's link:
	// tab highlights it, y copies it.
	h.press("ctrl+d")
	h.requireView("[image: The quay at noon] [1]")
	h.press("tab", "y")
	if h.clipboard != srv+"/figure.png" {
		t.Fatalf("the figure's link number copies %q", h.clipboard)
	}
}

// A full-content feed's item is read from the feed's own text, and the
// reader draws its pictures too: fetched by the real reader the first
// time, and from the cache once the site is gone.
func TestReaderDrawsFeedTextPictures(t *testing.T) {
	photo := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range photo.Pix {
		photo.Pix[i] = uint8(i*5) | 3
	}
	var b bytes.Buffer
	if err := png.Encode(&b, photo); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/photo.png" {
			http.NotFound(w, r) // the page is not asked for: the feed has the story
			t.Errorf("asked for %s", r.URL.Path)
			return
		}
		_, _ = w.Write(b.Bytes())
	}))
	defer srv.Close()
	var content strings.Builder
	for i := range 10 {
		fmt.Fprintf(&content, "<p>Paragraph %d of a story the feed carries whole, long enough that byline shows the feed's text and not the page.</p>", i+1)
		if i == 1 {
			content.WriteString(`<figure><img src="` + srv.URL + `/photo.png" alt="The quay at dawn"></figure>`)
		}
	}
	store := openStore(t)
	ctx := t.Context()
	if err := store.SyncSubscriptions(ctx, []news.Subscription{{URL: srv.URL + "/feed"}}); err != nil {
		t.Fatal(err)
	}
	feeds, _ := store.Feeds(ctx)
	items := []news.Item{{GUID: "1", URL: srv.URL + "/story", Title: "Harbour", Content: content.String(), Published: now0.Add(-time.Hour)}}
	if _, err := store.SaveResult(ctx, feeds[0].ID, feed.Result{URL: feeds[0].URL, Status: feed.StatusOK, Feed: &feed.Document{Title: "F", Items: items}}); err != nil {
		t.Fatal(err)
	}
	deps := Deps{Store: store, Reader: reader.New(store, feed.NewFetcher(feed.Options{Timeout: 5 * time.Second}), nil),
		Renderer: &countingRenderer{}, Now: clock, Getenv: func(string) string { return "" }}
	for _, when := range []string{"online", "offline"} {
		h := newHarness(t, deps, pictureSettings(picture.ModeHalfBlocks), 100, 40)
		h.press("enter", "enter")
		h.requireView("Feed text", "Paragraph 1 of a story", "[image: The quay at dawn] [1]")
		if n := strings.Count(h.m.View().Content, "▀"); n < 100 {
			t.Fatalf("%s: the feed text's picture is not drawn (%d half blocks):\n%s", when, n, h.view())
		}
		srv.Close()
	}
}

// headline is the line of the reader's view that holds the story's title.
func headline(plain []string) int {
	for i, l := range plain {
		if t := strings.TrimSpace(l); t == "Harbour" || t == "# Harbour" {
			return i
		}
	}
	return -1
}

func TestKittyPicturesAreUploadedOnceAndDeleted(t *testing.T) {
	deps, _ := photoStory(t)
	h := newHarness(t, deps, pictureSettings(picture.ModeKitty), 100, 40)
	if len(h.raw) != 1 || h.raw[0] != picture.Queries {
		t.Fatalf("Init sent %q, want the terminal queries", h.raw)
	}
	// The terminal says its cells are 8×16 pixels.
	h.send(uv.CellSizeEvent{Width: 8, Height: 16})
	h.raw = nil
	h.press("enter", "enter")
	uploads := strings.Join(h.raw, "")
	if n := strings.Count(uploads, ",a=T"); n != 3 {
		t.Fatalf("%d uploads, want 3 (lead, figures): %.200q", n, uploads)
	}
	ids := map[string]bool{}
	for _, part := range strings.Split(uploads, "\x1b_G")[1:] {
		if keys, _, _ := strings.Cut(part, ";"); strings.Contains(keys, "a=T") {
			for _, kv := range strings.Split(keys, ",") {
				if id, ok := strings.CutPrefix(kv, "i="); ok {
					ids[id] = true
				}
			}
		}
	}
	v := h.m.View().Content
	if !strings.ContainsRune(v, kitty.Placeholder) || !strings.Contains(v, string([]rune{kitty.Placeholder, kitty.Diacritic(0), kitty.Diacritic(0)})) {
		t.Fatal("no placeholder cells on screen")
	}
	// Scrolling sends nothing: the placeholders are text.
	h.raw = nil
	h.press("j", "j", "ctrl+d")
	if len(h.raw) != 0 {
		t.Fatalf("scrolling sent %q", h.raw)
	}
	// Another article: the pictures of the story are deleted.
	h.press("esc", "j", "enter")
	h.requireView("Just words here.")
	deleted := strings.Join(h.raw, "")
	for id := range ids {
		if !strings.Contains(deleted, "\x1b_Ga=d,d=I,i="+id+",q=2\x1b\\") {
			t.Fatalf("image %s not deleted on leaving its page: %q", id, deleted)
		}
	}
	// Back to the story: uploaded again; quitting deletes them.
	h.raw = nil
	h.press("esc", "k", "enter")
	if n := strings.Count(strings.Join(h.raw, ""), ",a=T"); n != 3 {
		t.Fatalf("%d uploads on coming back", n)
	}
	h.raw = nil
	h.press("ctrl+c")
	if !h.quit || strings.Count(strings.Join(h.raw, ""), "a=d,d=I") != 3 {
		t.Fatalf("quit %v, sent %q", h.quit, h.raw)
	}
}

func TestSixelPicturesFollowTheFrameAndGoWhenTheyMove(t *testing.T) {
	deps, _ := photoStory(t)
	h := newHarness(t, deps, pictureSettings(picture.ModeSixel), 100, 40)
	h.send(uv.CellSizeEvent{Width: 10, Height: 20})
	h.raw = nil
	h.press("enter", "enter")
	// Drawn after the frame, at the lead photo's blank cells.
	plain := strings.Split(h.view(), "\n")
	top := headline(plain)
	drawn := strings.Join(h.raw, "")
	if !strings.HasPrefix(drawn, "\x1b7\x1b[") || !strings.Contains(drawn, "\x1bP0;1q\"1;1;") || !strings.HasSuffix(drawn, "\x1b8") {
		t.Fatalf("sixel overlay %.80q … %.20q", drawn, drawn[max(0, len(drawn)-20):])
	}
	var y, x int
	if _, err := fmt.Sscanf(drawn, "\x1b7\x1b[%d;%dH", &y, &x); err != nil || top < 0 || y-1 <= top || y-1 > top+4 {
		t.Fatalf("lead drawn at row %d (headline at %d): %v", y-1, top, err)
	}
	if strings.TrimSpace(plain[y-1]) != "" {
		t.Fatalf("the picture's row holds %q", plain[y-1])
	}
	// One line down: the screen is redrawn (erasing it) and it is drawn a row up.
	h.raw, h.clears = nil, 0
	h.press("j")
	var y2, x2 int
	if _, err := fmt.Sscanf(strings.Join(h.raw, ""), "\x1b7\x1b[%d;%dH", &y2, &x2); err != nil || h.clears != 1 || y2 != y-1 || x2 != x {
		t.Fatalf("after a scroll: %d clears, drawn at %d;%d (%v), want %d;%d", h.clears, y2, x2, err, y-1, x)
	}
	// Help covers the reader: erased, nothing drawn.
	h.raw, h.clears = nil, 0
	h.press("?")
	if h.clears != 1 || len(h.raw) != 0 {
		t.Fatalf("help: %d clears, sent %q", h.clears, h.raw)
	}
	h.raw = nil
	h.press("?") // closed: drawn again
	if !strings.Contains(strings.Join(h.raw, ""), fmt.Sprintf("\x1b[%d;%dH\x1bP", y-1, x)) {
		t.Fatalf("not drawn again after help: %.60q", h.raw)
	}
	// Scrolled part off the top, it is erased and no longer drawn (the
	// harness runs the delayed draw at once, so each step redraws).
	for range y - 1 {
		h.raw, h.clears = nil, 0
		h.press("j")
	}
	if h.clears != 1 || strings.Contains(strings.Join(h.raw, ""), fmt.Sprintf(";%dH\x1bP", x)) {
		t.Fatalf("cut off at the top: %d clears, lead still drawn: %v", h.clears, strings.Contains(strings.Join(h.raw, ""), fmt.Sprintf(";%dH\x1bP", x)))
	}
	// A resize erases the screen; the pictures come back where they now are.
	h.raw = nil
	h.send(tea.WindowSizeMsg{Width: 100, Height: 40})
	h.press("g")
	if got := strings.Join(h.raw, ""); !strings.Contains(got, fmt.Sprintf("\x1b[%d;%dH\x1bP", y, x)) {
		t.Fatalf("back at the top the lead is not drawn at %d;%d: %.80q", y, x, got)
	}
	if w := ansi.StringWidth(plain[y-1]); w > 100 {
		t.Fatalf("row is %d cells", w)
	}
}
