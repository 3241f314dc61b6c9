package article

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// fixture is a page in testdata, served with a Content-Type from a URL.
type fixture struct {
	name        string // testdata/<name>.html
	contentType string
	url         string
}

var fixtures = []fixture{
	{"wordpress-news", "text/html; charset=UTF-8", "https://riversidecourier.example/2026/03/02/council-approves-flood-defence-plan/"},
	{"jsonld-only", "text/html", "https://news.example.com/world/2026/03/04/glacier-survey"},
	{"windows-1252", "text/html", "https://www.gazette.example.fr/kultur/cafe-mueller.html"},
	{"relative-links", "text/html; charset=utf-8", "https://www.example.org/posts/2026/reading-offline"},
	{"paywall", "text/html; charset=utf-8", "https://www.dailyledger.example/markets/2026/03/05/chip-shortage-eases"},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".html"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestExtractGolden checks the Markdown document and the JSON of each
// fixture against testdata/<name>.md.golden and .json.golden. The golden
// files are the specification: read them when they change.
func TestExtractGolden(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			a, err := Extract(readFixture(t, fx.name), fx.contentType, fx.url)
			if err != nil {
				t.Fatal(err)
			}
			js, err := a.JSON()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, fx.name+".md.golden", []byte(a.MarkdownDocument()))
			checkGolden(t, fx.name+".json.golden", append(js, '\n'))
		})
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./article -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; got:\n%s", path, got)
	}
}
