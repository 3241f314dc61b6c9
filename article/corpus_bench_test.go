package article

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkCorpus extracts the pages of the extraction corpus (the 990
// real pages that ../shared/extraction/eval.py scores; it unpacks them
// into $XDG_CACHE_HOME or the temporary directory, or set BYLINE_CORPUS
// to their folder) and reports the median and 95th percentile of one
// page's extraction and Markdown document, in wall-clock time and in the
// CPU time the process spent on it (from getrusage, where there is one),
// which a machine busy with other work does not inflate. It is skipped
// without them.
func BenchmarkCorpus(b *testing.B) {
	dir := os.Getenv("BYLINE_CORPUS")
	if dir == "" {
		cache := os.Getenv("XDG_CACHE_HOME")
		if cache == "" {
			cache = os.TempDir()
		}
		dir = filepath.Join(cache, "byline-extraction-corpus", "pages")
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(names) == 0 {
		b.Skipf("no corpus pages in %s (run eval.py once, or set BYLINE_CORPUS)", dir)
	}
	slices.Sort(names)
	pages := make([][]byte, 0, len(names))
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, data)
	}
	var wall, cpu []time.Duration
	for b.Loop() {
		for i, page := range pages {
			start, startCPU := time.Now(), processCPU()
			a, err := Extract(page, "text/html", "https://corpus.example/"+strings.TrimSuffix(filepath.Base(names[i]), ".html"))
			if err == nil {
				_ = a.MarkdownDocument()
			}
			wall = append(wall, time.Since(start))
			cpu = append(cpu, processCPU()-startCPU)
		}
	}
	for _, m := range []struct {
		name  string
		times []time.Duration
	}{{"", wall}, {"cpu-", cpu}} {
		slices.Sort(m.times)
		at := func(q float64) float64 {
			return float64(m.times[min(len(m.times)-1, int(q*float64(len(m.times))))]) / 1e6
		}
		b.ReportMetric(at(0.5), m.name+"median-ms/page")
		b.ReportMetric(at(0.95), m.name+"p95-ms/page")
	}
	b.ReportMetric(float64(len(pages)), "pages")
}
