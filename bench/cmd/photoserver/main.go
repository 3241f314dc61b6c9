// Command photoserver serves stories with pictures on a loopback address,
// for the README's screenshot (scripts/screenshot.sh) and the picture
// benchmarks (bench/README.md), until it gets SIGINT or SIGTERM.
//
//	/feed.xml     an RSS feed of the stories below, teasers only
//	/photo-story  cli/testdata/photo-story.html, a lead photo and figures
//	/big-story    a story whose lead photo is a 4000×3000 JPEG
//	/photo-*      the fixture pictures; /big.jpg the 4000×3000 one
//
// It writes its base URL to -url-file once it is serving.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "photoserver:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("photoserver", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to serve on")
	dir := fs.String("testdata", "cli/testdata", "where photo-story.html and its pictures are")
	urlFile := fs.String("url-file", "", "once serving, write the base URL here (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *urlFile == "" {
		return errors.New("-url-file is required")
	}
	big, err := bigJPEG(4000, 3000)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Coast News</title><link>%[1]s/</link>
<item><title>Boats return to the harbour at dawn</title><link>%[1]s/photo-story</link><guid>photo-story</guid><pubDate>Tue, 01 Dec 2026 06:00:00 GMT</pubDate><description>The fishing fleet came back into the harbour at first light…</description></item>
<item><title>The bay from the lighthouse</title><link>%[1]s/big-story</link><guid>big-story</guid><pubDate>Mon, 30 Nov 2026 18:00:00 GMT</pubDate><description>A panorama of the whole bay…</description></item>
</channel></rss>`, base)
	})
	mux.HandleFunc("/photo-story", serveFile(filepath.Join(*dir, "photo-story.html"), "text/html; charset=utf-8"))
	mux.HandleFunc("/big-story", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>The bay from the lighthouse</title><meta property="og:image" content="/big.jpg"></head><body><article>
<h1>The bay from the lighthouse</h1>`+strings.Repeat(`<p>From the top of the lighthouse the whole bay opens up: the quay, the market, the boats at their moorings and the hills behind the town.</p>`, 6)+`
</article></body></html>`)
	})
	mux.HandleFunc("/big.jpg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(big)
	})
	for _, name := range []string{"photo-lead.jpg", "photo-chart.png", "photo-boat.gif", "photo-waves.webp", "photo-pixel.gif", "photo-bomb.png"} {
		mux.HandleFunc("/"+name, serveFile(filepath.Join(*dir, name), ""))
	}
	srv := &http.Server{Handler: mux}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := os.WriteFile(*urlFile, []byte(base+"\n"), 0o644); err != nil {
		return err
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func serveFile(path, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		_, _ = w.Write(b)
	}
}

// bigJPEG is a w×h photo-sized JPEG with enough detail that it does not
// compress to nothing, made the same way every time.
func bigJPEG(w, h int) ([]byte, error) {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			img.Y[y*img.YStride+x] = uint8((x*7 + y*3 + (x*y)%31) % 256)
		}
	}
	for y := range h / 2 {
		for x := range w / 2 {
			img.Cb[y*img.CStride+x] = uint8(96 + (x*255/(w/2))/3)
			img.Cr[y*img.CStride+x] = uint8(96 + (y*255/(h/2))/3)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
