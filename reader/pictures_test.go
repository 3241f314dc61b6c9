package reader_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/picture"
	"github.com/bylinehq/byline/reader"
)

func pngOf(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bomb is a PNG whose header claims 60,000 × 60,000 pixels.
func bomb(t *testing.T) []byte {
	data := pngOf(t, 1, 1)
	binary.BigEndian.PutUint32(data[16:], 60000)
	binary.BigEndian.PutUint32(data[20:], 60000)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func TestPicturesFetchedWithThePageAndReadOffline(t *testing.T) {
	var pixel bytes.Buffer
	if err := gif.Encode(&pixel, image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Transparent}), nil); err != nil {
		t.Fatal(err)
	}
	images := map[string][]byte{
		"/lead.png":  pngOf(t, 300, 200),
		"/chart.png": pngOf(t, 200, 100),
		"/pixel.gif": pixel.Bytes(),
		"/bomb.png":  bomb(t),
		"/dot.gif":   pixel.Bytes(), // a pixel from a host no list names
	}
	var mu sync.Mutex
	hits := map[string]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><html><head><title>Storm</title><meta property="og:image" content="/lead.png"></head><body><article><h1>Storm</h1>
<p>The storm came in overnight and the harbour wall held, though the water rose higher than anyone on the quay could remember seeing it.</p>
<figure><img src="/chart.png" alt="Water levels through the night"></figure>
<p>By morning the boats were back at their moorings and the cafés on the front had opened as if nothing had happened at all.</p>
<img src="/pixel.gif" alt="beacon"><img src="/dot.gif" alt="a counter"><img src="/bomb.png" alt="a huge picture"><img src="/gone.png" alt="a missing picture">
<p>The council will meet on Thursday to talk about raising the wall before the winter storms, which are forecast to be worse.</p>
</article></body></html>`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		data, ok := images[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(data)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	store, err := cache.Open(filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc := reader.New(store, feed.NewFetcher(feed.Options{}), nil)
	ctx := context.Background()

	a, err := svc.Fetch(ctx, srv.URL+"/story")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{srv.URL + "/lead.png", srv.URL + "/chart.png"}
	check := func(when string, got []string) {
		t.Helper()
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("%s: pictures %v, want %v (the pixel, the bomb and the 404 left out)", when, got, want)
		}
	}
	srcs := func() (out []string) {
		for _, p := range a.Pictures {
			out = append(out, p.Src)
		}
		// The pixel is refused once its header is read: its line goes
		// too; the others keep theirs, which say what is missing.
		if strings.Contains(a.Markdown, "a counter") || strings.Contains(a.MarkdownDocument(), "dot.gif") {
			t.Errorf("the tracking pixel's line stayed:\n%s", a.MarkdownDocument())
		}
		for _, caption := range []string{"[image: a huge picture]", "[image: a missing picture]", "[image: Water levels through the night]"} {
			if !strings.Contains(a.Markdown, caption) {
				t.Errorf("the story lost %q:\n%s", caption, a.Markdown)
			}
		}
		return out
	}
	check("online", srcs())
	if a.Pictures[0].Width != 300 || a.Pictures[0].Height != 200 || a.Pictures[0].Format != "jpeg" {
		t.Errorf("lead kept as %dx%d %s", a.Pictures[0].Width, a.Pictures[0].Height, a.Pictures[0].Format)
	}
	mu.Lock()
	if hits["/lead.png"] != 1 || hits["/chart.png"] != 1 || hits["/bomb.png"] != 1 || hits["/dot.gif"] != 1 || hits["/pixel.gif"] != 0 {
		t.Errorf("image requests: %v", hits)
	}
	mu.Unlock()

	// Offline, the kept copy comes with its pictures from the cache.
	srv.Close()
	a, err = svc.Fetch(ctx, srv.URL+"/story")
	if err != nil {
		t.Fatal(err)
	}
	check("offline", srcs())

	// With pictures off, none are loaded.
	off := reader.New(store, feed.NewFetcher(feed.Options{}), nil)
	off.DisablePictures()
	if a, err := off.Fetch(ctx, srv.URL+"/story"); err != nil || len(a.Pictures) != 0 {
		t.Fatalf("pictures disabled: %d pictures, %v", len(a.Pictures), err)
	}
}

func gifPixel(t *testing.T) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Transparent}), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pictureServer serves images by path, counting requests; /flaky.png drops
// the connection until flaky is cleared.
type pictureServer struct {
	mu     sync.Mutex
	images map[string][]byte
	hits   map[string]int
	flaky  bool
}

func (p *pictureServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.hits[r.URL.Path]++
	data, ok := p.images[r.URL.Path]
	flaky := p.flaky && r.URL.Path == "/flaky.png"
	p.mu.Unlock()
	if flaky {
		// No answer at all, as on a network that comes and goes.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(data)
}

func (p *pictureServer) requests() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.hits)
}

func srcsOf(pics []news.Picture) []string {
	var out []string
	for _, p := range pics {
		out = append(out, p.Src)
	}
	return out
}

// TestFeedTextGetsItsPictures: a full-content feed's item is shown from
// the feed's own text, and its pictures are fetched, kept beside the
// article and read offline, as a page's are. A 1×1 image from a host not
// known as a tracker is refused once its header is read, and its line
// leaves the story; a picture refused for its size keeps its caption
// line. What was refused is not asked for again; a picture whose server
// did not answer is, the next time the story opens.
func TestFeedTextGetsItsPictures(t *testing.T) {
	pics := &pictureServer{hits: map[string]int{}, flaky: true, images: map[string][]byte{
		"/photo.png": pngOf(t, 300, 200),
		"/flaky.png": pngOf(t, 200, 100),
		"/dot.gif":   gifPixel(t),
		"/bomb.png":  bomb(t),
	}}
	var body strings.Builder
	for i := range 8 {
		fmt.Fprintf(&body, "<p>Paragraph %d of the story the feed carries whole: the storm came in overnight, the harbour wall held, and by morning the boats were back.</p>", i)
		if i == 2 {
			body.WriteString(`<figure><img src="/photo.png" alt="The quay at dawn"></figure><img src="/dot.gif" alt="beacon">`)
		}
		if i == 5 {
			body.WriteString(`<img src="/flaky.png" alt="The harbour wall"><img src="/bomb.png" alt="A huge panorama of the bay"><img src="/gone.png" alt="A photo the server lost">`)
		}
	}
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Coast</title>
<item><title>Storm</title><link>%s/story</link><guid>1</guid><description>The storm…</description>
<content:encoded><![CDATA[%s]]></content:encoded></item></channel></rss>`, srv.URL, body.String())
	})
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the page was fetched: the feed has the whole story")
		http.NotFound(w, r)
	})
	mux.Handle("/", pics)
	srv = httptest.NewServer(mux)
	defer srv.Close()
	store, err := cache.Open(filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	fetcher := feed.NewFetcher(feed.Options{})
	if err := store.SyncSubscriptions(ctx, []news.Subscription{{URL: srv.URL + "/feed"}}); err != nil {
		t.Fatal(err)
	}
	feeds, err := store.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveResult(ctx, feeds[0].ID, fetcher.Fetch(ctx, feeds[0].URL, news.Validators{})); err != nil {
		t.Fatal(err)
	}
	stored, err := store.ArticleByURL(ctx, srv.URL+"/story")
	if err != nil {
		t.Fatal(err)
	}
	svc := reader.New(store, fetcher, nil)
	open := func(when string, want ...string) *article.Article {
		t.Helper()
		a, err := svc.Story(ctx, stored, "")
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if a.Source != article.SourceFeed {
			t.Fatalf("%s: shown from %s, want the feed's text", when, a.Source)
		}
		for i := range want {
			want[i] = srv.URL + want[i]
		}
		if got := srcsOf(a.Pictures); !slices.Equal(got, want) {
			t.Fatalf("%s: pictures %v, want %v", when, got, want)
		}
		if strings.Contains(a.Markdown, "beacon") || strings.Contains(a.MarkdownDocument(), "dot.gif") {
			t.Fatalf("%s: the tracking pixel's line stayed:\n%s", when, a.MarkdownDocument())
		}
		for _, caption := range []string{"[image: The quay at dawn]", "[image: A huge panorama of the bay]", "[image: A photo the server lost]", "[image: The harbour wall]"} {
			if !strings.Contains(a.Markdown, caption) {
				t.Fatalf("%s: the story lost %q:\n%s", when, caption, a.Markdown)
			}
		}
		return a
	}

	open("first open", "/photo.png")
	pics.mu.Lock()
	pics.flaky = false
	pics.mu.Unlock()
	a := open("second open", "/photo.png", "/flaky.png")
	if a.Pictures[0].Width != 300 || a.Pictures[0].Height != 200 || len(a.Pictures[0].Data) == 0 {
		t.Errorf("photo kept as %dx%d, %d bytes", a.Pictures[0].Width, a.Pictures[0].Height, len(a.Pictures[0].Data))
	}
	// (Go's client itself retries a request whose connection was closed
	// before any answer, so the unanswered one may count more than twice.)
	got := pics.requests()
	want := map[string]int{"/photo.png": 1, "/dot.gif": 1, "/bomb.png": 1, "/gone.png": 1, "/flaky.png": got["/flaky.png"]}
	if !maps.Equal(got, want) || got["/flaky.png"] < 2 {
		t.Errorf("image requests %v: want each once, but the one that went unanswered, asked for again", got)
	}
	// Once each is kept or refused, opening the story asks for none.
	open("third open", "/photo.png", "/flaky.png")
	if again := pics.requests(); !maps.Equal(again, got) {
		t.Errorf("the third opening asked for pictures again: %v, was %v", again, got)
	}

	// Offline, the pictures come from the cache and the pixel stays out.
	srv.Close()
	open("offline", "/photo.png", "/flaky.png")
	rendering, err := article.RenderPictures(a, 80, article.StylePlain, article.Pictures{Mode: picture.ModeHalfBlocks, MaxRows: 10})
	if err != nil || len(rendering.Pictures) != 2 {
		t.Fatalf("drawn: %d pictures, %v", len(rendering.Pictures), err)
	}

	// With pictures off, none are loaded.
	off := reader.New(store, fetcher, nil)
	off.DisablePictures()
	if a, err := off.Story(ctx, stored, ""); err != nil || len(a.Pictures) != 0 {
		t.Fatalf("pictures disabled: %d pictures, %v", len(a.Pictures), err)
	}
}
