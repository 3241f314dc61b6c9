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
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/feed"
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
<img src="/pixel.gif" alt="beacon"><img src="/bomb.png" alt="a huge picture"><img src="/gone.png" alt="a missing picture">
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
		return out
	}
	check("online", srcs())
	if a.Pictures[0].Width != 300 || a.Pictures[0].Height != 200 || a.Pictures[0].Format != "jpeg" {
		t.Errorf("lead kept as %dx%d %s", a.Pictures[0].Width, a.Pictures[0].Height, a.Pictures[0].Format)
	}
	mu.Lock()
	if hits["/lead.png"] != 1 || hits["/chart.png"] != 1 || hits["/bomb.png"] != 1 {
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
