package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests run the real byline binary, as a user or a cron job would,
// against feeds served on 127.0.0.1.

var bylineBin string

// The binary is built once for the package, stamped the way a release
// build is (.goreleaser.yaml's -ldflags), so TestReleaseStampIsShown can
// check what a release prints.
const (
	releaseVersion = "v9.8.7"
	releaseCommit  = "0123456789abcdef0123456789abcdef01234567"
	releaseDate    = "2026-11-27T08:00:00Z"
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "byline-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bylineBin = filepath.Join(dir, "byline")
	// The build inherits the test's environment, CGO_ENABLED included: a
	// build setting of its own would compile every package again (SQLite
	// alone is a minute of CPU on a cold cache) instead of linking what
	// `go test` just compiled. .ci/run sets CGO_ENABLED=0, so CI tests the
	// pure-Go binary that releases ship.
	build := exec.Command("go", "build", "-o", bylineBin, "-ldflags",
		"-X main.version="+releaseVersion+" -X main.commit="+releaseCommit+" -X main.date="+releaseDate, "..")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build byline: %v\n%s", err, out)
		os.Exit(1)
	}
	startLiveEarly()
	code := m.Run()
	stopLiveMiniflux()
	os.RemoveAll(dir)
	os.Exit(code)
}

// home is one user's byline directory (--home) plus the environment the
// binary runs in. Every proxy points at a closed loopback port, so a feed
// that is not on a test server fails at once instead of reaching the
// internet; loopback addresses bypass proxies and reach the test servers.
type home struct {
	t   testing.TB
	dir string
	env []string // more of the environment, such as an account's secret
}

func newHome(t *testing.T, urls string) *home {
	t.Helper()
	h := &home{t: t, dir: t.TempDir()}
	if urls != "" {
		h.write("urls", urls)
	}
	return h
}

func (h *home) write(name, content string) {
	h.t.Helper()
	if err := os.WriteFile(filepath.Join(h.dir, name), []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

func (h *home) read(name string) string {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, name))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

func (h *home) db() string { return filepath.Join(h.dir, "byline.db") }

type result struct {
	stdout, stderr string
	code           int
}

func (h *home) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bylineBin, append([]string{"--home", h.dir}, args...)...)
	cmd.Env = append(testEnv(h.dir), h.env...)
	return cmd
}

func testEnv(dir string) []string {
	closed := "http://127.0.0.1:1"
	return []string{
		"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1", "TERM=dumb",
		"HTTP_PROXY=" + closed, "HTTPS_PROXY=" + closed, "http_proxy=" + closed, "https_proxy=" + closed,
	}
}

func (h *home) run(args ...string) result {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := h.command(ctx, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	if err != nil {
		exitErr, ok := err.(*exec.ExitError)
		if !ok {
			h.t.Fatalf("byline %s: %v", strings.Join(args, " "), err)
		}
		r.code = exitErr.ExitCode()
	}
	return r
}

// ok runs byline and fails the test unless it exits 0.
func (h *home) ok(args ...string) string {
	h.t.Helper()
	r := h.run(args...)
	if r.code != 0 {
		h.t.Fatalf("byline %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// fails runs byline and fails the test unless it exits non-zero; it returns stderr.
func (h *home) fails(args ...string) string {
	h.t.Helper()
	r := h.run(args...)
	if r.code == 0 {
		h.t.Fatalf("byline %s: exit 0, want an error\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.stdout, r.stderr)
	}
	return r.stderr
}

func (h *home) json(v any, args ...string) {
	h.t.Helper()
	out := h.ok(append(args, "--json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		h.t.Fatalf("byline %s --json: %v\n%s", strings.Join(args, " "), err, out)
	}
}

type feedRow struct {
	ID          int64    `json:"id"`
	Title       string   `json:"title"`
	URL         string   `json:"url"`
	Tags        []string `json:"tags"`
	Unread      int      `json:"unread"`
	Total       int      `json:"total"`
	LastSuccess *string  `json:"last_success"`
	LastError   string   `json:"last_error"`
	MovedTo     string   `json:"moved_to"`
	Gone        bool     `json:"gone"`
	Account     string   `json:"account"`
}

type articleRow struct {
	ID        int64   `json:"id"`
	FeedID    int64   `json:"feed_id"`
	Feed      string  `json:"feed"`
	Title     string  `json:"title"`
	URL       string  `json:"url"`
	Author    string  `json:"author"`
	Published *string `json:"published"`
	Read      bool    `json:"read"`
	Starred   bool    `json:"starred"`
	Snippet   string  `json:"snippet"`
}

func (h *home) feeds() []feedRow {
	var rows []feedRow
	h.json(&rows, "feeds")
	return rows
}

func (h *home) list(args ...string) []articleRow {
	var rows []articleRow
	h.json(&rows, append([]string{"list"}, args...)...)
	return rows
}

// fixtureServer serves the files in testdata and a set of misbehaving routes.
func fixtureServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	serveFile := func(name, contentType string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			w.Header().Set("Content-Type", contentType)
			w.Write(b)
		}
	}
	mux.HandleFunc("/world.rss", serveFile("world.rss", "application/rss+xml"))
	mux.HandleFunc("/posts.rss", serveFile("world.rss", "application/rss+xml"))
	mux.HandleFunc("/tech.atom", serveFile("tech.atom", "application/atom+xml"))
	mux.HandleFunc("/comments.atom", serveFile("tech.atom", "application/atom+xml"))
	mux.HandleFunc("/science.json", serveFile("science.json", "application/feed+json"))
	mux.HandleFunc("/blog", serveFile("blog.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/plain", serveFile("plain.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/story", serveFile("story.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/hostile", serveFile("hostile.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/doc.pdf", serveFile("doc.pdf", "application/pdf"))
	mux.HandleFunc("/photo-story", serveFile("photo-story.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/photo-feed.rss", serveFile("photo-feed.rss", "application/rss+xml"))
	for name, contentType := range map[string]string{"photo-lead.jpg": "image/jpeg", "photo-chart.png": "image/png",
		"photo-boat.gif": "image/gif", "photo-waves.webp": "image/webp", "photo-pixel.gif": "image/gif", "photo-bomb.png": "image/png"} {
		mux.HandleFunc("/"+name, serveFile(name, contentType))
	}
	// stories.rss links to pages on this server: teasers whose full text is on the page.
	mux.HandleFunc("/stories.rss", func(w http.ResponseWriter, r *http.Request) {
		base := "http://" + r.Host
		item := func(guid, title, path, summary string) string {
			return fmt.Sprintf("<item><title>%s</title><link>%s%s</link><guid>%s</guid><description>%s</description></item>",
				title, base, path, guid, summary)
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Stories</title>`+
			item("s1", "Harbour reopens after storm", "/story", "Fishing boats returned…")+
			item("s2", "Evil \x1b]0;pwned\x07 title", "/hostile", "A teaser with \x1b[2J in it")+
			item("s3", "The annual report", "/doc.pdf", "The report as a PDF.")+
			item("s4", "A page without a story", "/plain", "Only this summary is known.")+
			`</channel></rss>`)
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io := `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken<item><title>x</ti`
		w.Write([]byte(io))
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func itoa(n int64) string { return fmt.Sprint(n) }
