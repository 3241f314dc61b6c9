package article

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newsPage is a news page of about the given number of article words,
// shaped like the WordPress fixture: navigation, ad slots with labels
// between paragraphs, share buttons, a link or two per paragraph, images,
// headings, lists, a related block, a comment form and a footer.
func newsPage(words int) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A long read about rivers – The Courier</title>
<meta property="og:title" content="A long read about rivers"><meta property="og:site_name" content="The Courier">
<meta property="article:published_time" content="2026-03-02T08:30:00Z"><meta name="author" content="Amira Okafor">
</head><body class="single-post has-ads"><header class="site-header"><nav class="main-navigation"><ul>`)
	for i := range 12 {
		fmt.Fprintf(&b, `<li><a href="/category/%d/">Section %d</a></li>`, i, i)
	}
	b.WriteString(`</ul></nav></header><div class="ad-slot"><span class="ad-label">Advertisement</span></div><main><article><h1>A long read about rivers</h1>
<div class="share-buttons"><a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a><a href="https://twitter.com/intent/tweet?url=x">X</a></div>
<div class="entry-content">`)
	sentence := strings.Fields("The river rose through the night and by morning the water stood a metre deep in the streets nearest the old mill while volunteers carried sandbags")
	written := 0
	for p := 0; written < words; p++ {
		switch {
		case p%25 == 0:
			fmt.Fprintf(&b, "<h2>Part %d of the story</h2>\n", p/25+1)
		case p%17 == 0:
			fmt.Fprintf(&b, `<figure><img src="/uploads/2026/03/photo-%d.jpg" alt="Photo %d of the flood" width="1024" height="683"><figcaption>Photo %d: the river at dawn.</figcaption></figure>`+"\n", p, p, p)
		case p%13 == 0:
			b.WriteString(`<div class="ad-slot ad-inline"><p class="ad-label">ADVERTISEMENT</p></div>` + "\n")
		case p%11 == 0:
			b.WriteString("<ul><li>first point about the wall</li><li>second point about the gates</li><li>third point about the wetland</li></ul>\n")
			written += 15
		}
		b.WriteString("<p>")
		for w := range 80 {
			if w == 40 {
				fmt.Fprintf(&b, `<a href="/2026/03/%d/story-%d/?utm_source=body">%s %s</a> `, p%28+1, p, sentence[w%len(sentence)], sentence[(w+1)%len(sentence)])
				continue
			}
			b.WriteString(sentence[(w+p)%len(sentence)])
			b.WriteByte(' ')
		}
		b.WriteString("</p>\n")
		written += 80
	}
	b.WriteString(`</div></article><section><h2>Related News</h2><ul>`)
	for i := range 5 {
		fmt.Fprintf(&b, `<li><a href="/2026/02/%d/related-%d/">Related story number %d</a></li>`, i+1, i, i)
	}
	b.WriteString(`</ul></section><div id="comments" class="comments-area"><form id="commentform"><textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div>
</main><footer class="site-footer"><a href="/about/">About</a> <a href="/privacy/">Privacy</a></footer></body></html>`)
	return []byte(b.String())
}

const benchURL = "https://courier.example/2026/03/02/a-long-read-about-rivers/"

func BenchmarkExtract10kWords(b *testing.B) {
	page := newsPage(10_000)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := Extract(page, "text/html; charset=utf-8", benchURL); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender10kWords(b *testing.B) {
	a, err := Extract(newsPage(10_000), "text/html; charset=utf-8", benchURL)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Render(a, 100, StyleDark); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPipeline10kWords is what opening a long article costs: extract,
// convert to Markdown and render for the terminal.
func BenchmarkPipeline10kWords(b *testing.B) {
	page := newsPage(10_000)
	for b.Loop() {
		a, err := Extract(page, "text/html; charset=utf-8", benchURL)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Render(a, 100, StyleDark); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtract5MB extracts 5 MB pages and reports the largest live
// heap meanwhile (peak-live-MB: the heap the collector found in use after
// each of its cycles, the figure a memory limit cannot push below) and the
// process's peak resident memory (peak-RSS-MB, from /proc where there is
// one: the high-water mark is reset once the page is built). Two shapes:
// a news page with long paragraphs, and bench/run.sh's page of 14,000
// short paragraphs with two links each, where keeping a slice of every
// block's text once took 40 MB. Run it alone for a meaningful RSS figure.
func BenchmarkExtract5MB(b *testing.B) {
	const size = 5 << 20
	small := newsPage(10_000)
	pages := []struct {
		name string
		page []byte
	}{
		{"news", newsPage(size / len(small) * 10_000 * 21 / 20)},
		{"paragraphs", paragraphsPage(14_000)},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			if len(p.page) < size*9/10 {
				b.Fatalf("page is %d bytes, want about %d", len(p.page), size)
			}
			runtime.GC()
			debug.FreeOSMemory()
			resetPeakRSS()
			live := watchLiveHeap()
			b.SetBytes(int64(len(p.page)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Extract(p.page, "text/html; charset=utf-8", benchURL); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(live())/(1<<20), "peak-live-MB")
			if rss, ok := peakRSS(); ok {
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
			}
			b.ReportMetric(float64(len(p.page))/(1<<20), "page-MB")
		})
	}
}

// paragraphsPage is the page bench/run.sh reads for its 5 MB figure: n
// short paragraphs with two links each inside an article element.
func paragraphsPage(n int) []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>A very long read</title></head><body>
<nav><a href="/">Home</a> <a href="/world/">World</a></nav><main><article><h1>A very long read</h1>
`)
	for range n {
		b.WriteString(`<p>The river keeps its own calendar, and the town along it has learned to read the water as others read the sky. ` +
			`Ferries wait on the <a href="https://news.example/tides">tide tables</a>, bakers on the barges, and the council on the ` +
			`<a href="https://news.example/reports/flood">flood report</a> that arrives each spring a little later than promised.</p>
`)
	}
	b.WriteString("</article></main><footer>About</footer></body></html>\n")
	return []byte(b.String())
}

// watchLiveHeap samples the live heap the collector reports after each
// cycle until the returned function is called, which stops the sampling
// and returns the largest figure seen.
func watchLiveHeap() func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var peak uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		return <-done
	}
}

// resetPeakRSS resets the high-water mark that peakRSS reads (Linux).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads the process's high-water mark of resident memory.
func peakRSS() (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
