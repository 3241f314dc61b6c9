package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// oldItemsFeed serves a feed of five items dated 2024 whose bytes change
// with every version: version 2 also gives the first item a new guid (the
// same link) and adds one new item.
func oldItemsFeed(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var version atomic.Int32
	version.Store(1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := version.Load()
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>Old news</title><description>version %d</description>`, v)
		for i := 1; i <= 5; i++ {
			guid := fmt.Sprintf("old-%d", i)
			if v >= 2 && i == 1 {
				guid = "old-1-renumbered"
			}
			fmt.Fprintf(&b, `<item><title>Old story %d</title><link>http://%s/story/%d</link><guid>%s</guid><pubDate>Mon, 0%d Jan 2024 10:00:00 GMT</pubDate></item>`,
				i, r.Host, i, guid, i)
		}
		if v >= 2 {
			fmt.Fprintf(&b, `<item><title>Fresh story</title><link>http://%s/story/new</link><guid>new-1</guid><pubDate>Mon, 06 Jan 2024 10:00:00 GMT</pubDate></item>`, r.Host)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", fmt.Sprintf(`"v%d"`, v))
		if r.Header.Get("If-None-Match") == fmt.Sprintf(`"v%d"`, v) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, b.String())
	}))
	t.Cleanup(srv.Close)
	return srv, &version
}

// Issue 10, item 1: retention dropped the read items of a 2024 feed, and
// when the feed's bytes changed every one of them came back unread with a
// new ID.
func TestReadItemsDroppedByRetentionDoNotComeBack(t *testing.T) {
	srv, version := oldItemsFeed(t)
	h := newHome(t, srv.URL+"/feed\n")
	h.ok("refresh")
	if n := len(h.list()); n != 5 {
		t.Fatalf("first refresh stored %d articles, want 5", n)
	}
	h.ok("mark", "read", "--all")
	h.ok("refresh") // not modified; retention drops the five read 2024 items
	if rows := h.list(); len(rows) != 0 {
		t.Fatalf("retention kept %d read 2024 articles: %+v", len(rows), rows)
	}

	version.Store(2)
	h.ok("refresh")
	rows := h.list()
	if len(rows) != 1 || rows[0].Title != "Fresh story" || rows[0].Read {
		t.Fatalf("after the feed changed, want only the new item, unread; got %+v", rows)
	}
	if unread := h.list("--unread"); len(unread) != 1 {
		t.Errorf("unread after the change: %+v", unread)
	}
}

// Issue 10, item 2: on the feed-text path, the contents of <script> and
// <style> (and other elements a browser does not show) became story text.
func TestFeedTextDropsWhatABrowserDoesNotShow(t *testing.T) {
	description := `<p>Visible</p><script>document.title = "SCRIPT SOURCE LEAKED";</script>` +
		`<style>.a{color:red}</style><noscript>NOSCRIPT LEAKED</noscript><template><p>TEMPLATE LEAKED</p></template>` +
		`<p>Watch this:</p><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="Launch day">IFRAME LEAKED</iframe>` +
		`<iframe src="https://player.vimeo.com/video/76979871"></iframe>` +
		`<iframe src="https://ads.example/frame">AD FRAME LEAKED</iframe>` +
		`<object data="movie.swf"><param name="movie" value="movie.swf">OBJECT LEAKED</object><embed src="x.swf">` +
		`<form action="/subscribe"><label>Mail <input name="e" value="INPUT LEAKED"></label><select><option>OPTION LEAKED</option></select>` +
		`<textarea>TEXTAREA LEAKED</textarea><button>BUTTON LEAKED</button></form><p>The end.</p>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Scripts</title>
<item><title>Scripted</title><guid>s1</guid><description><![CDATA[%s]]></description></item>
<item><title>Blocks</title><guid>s3</guid><description><![CDATA[<p>Visible</p><script>var s = "SCRIPT SOURCE LEAKED";</script><style>.a{color:red}</style><p>The end.</p>]]></description></item>
<item><title>Escaped</title><guid>s2</guid><description>%s</description></item></channel></rss>`, description, html.EscapeString(description))
	}))
	t.Cleanup(srv.Close)
	h := newHome(t, srv.URL+"/feed\n")
	h.ok("refresh")
	rows := h.list()
	if len(rows) != 3 {
		t.Fatalf("stored %d articles, want 3", len(rows))
	}
	for _, row := range rows {
		for _, format := range []string{"text", "markdown", "ansi"} {
			out := ansi.Strip(h.ok("read", itoa(row.ID), "--format", format))
			if !strings.Contains(out, "Visible") || !strings.Contains(out, "The end.") {
				t.Errorf("%s --format %s lost the story:\n%s", row.Title, format, out)
			}
			for _, leak := range []string{"SCRIPT", "color:red", "LEAKED", "document.title"} {
				if strings.Contains(out, leak) {
					t.Errorf("%s --format %s shows %q:\n%s", row.Title, format, leak, out)
				}
			}
		}
		if row.Title == "Blocks" {
			continue
		}
		md := h.ok("read", itoa(row.ID), "--format", "markdown")
		for _, want := range []string{
			"[video: Launch day] [1]", "[video: Vimeo] [2]",
			"[1] video: Launch day — <https://www.youtube.com/watch?v=dQw4w9WgXcQ>",
			"[2] video: Vimeo — <https://vimeo.com/76979871>",
		} {
			if !strings.Contains(md, want) {
				t.Errorf("%s: markdown lacks %q:\n%s", row.Title, want, md)
			}
		}
	}
}

// runRaw runs byline with exactly args (no --home) in env, with HOME at dir.
func runRaw(t *testing.T, dir string, extraEnv []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bylineBin, args...)
	cmd.Env = append(testEnv(dir), extraEnv...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	if exitErr, ok := err.(*exec.ExitError); ok {
		r.code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// Issue 10, item 3: an empty --home (a variable that expanded to nothing)
// used the real home and wrote a feed list and a database there.
func TestEmptyHomeIsAnErrorAndWritesNothing(t *testing.T) {
	portable := t.TempDir()
	for _, tt := range []struct {
		name, names string
		env, args   []string
	}{
		{"flag", "--home", nil, []string{"--home", "", "refresh"}},
		{"flag=", "--home", nil, []string{"--home=", "list"}},
		{"flag, reader", "--home", nil, []string{"--home", ""}},
		{"flag beats variable", "--home", []string{"BYLINE_HOME=" + portable}, []string{"list", "--home", ""}},
		{"variable", "BYLINE_HOME", []string{"BYLINE_HOME="}, []string{"refresh"}},
		{"variable, reader", "BYLINE_HOME", []string{"BYLINE_HOME="}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := runRaw(t, dir, tt.env, tt.args...)
			if r.code == 0 || !strings.Contains(r.stderr, tt.names) {
				t.Errorf("exit %d, stderr %q: want an error naming %s", r.code, r.stderr, tt.names)
			}
			for _, d := range []string{dir, portable} {
				entries, err := os.ReadDir(d)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					t.Errorf("%s was written in %s", e.Name(), d)
				}
			}
		})
	}
}

// A page that starts with a conditional comment, which Go's content
// sniffer does not take for HTML.
func conditionalCommentPage(t *testing.T) []byte {
	t.Helper()
	story, err := os.ReadFile(filepath.Join("testdata", "story.html"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte("<!--[if i]><![endif]-->\n"), bytes.TrimPrefix(story, []byte("<!doctype html>\n"))...)
}

// Issue 10, item 4: a local .html file was refused as "text/plain" when
// its first bytes did not look like HTML to the sniffer.
func TestReadLocalHTMLFileByItsName(t *testing.T) {
	h := newHome(t, "byline:welcome\n")
	page := conditionalCommentPage(t)
	for _, name := range []string{"story.html", "STORY.HTM"} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, page, 0o644); err != nil {
			t.Fatal(err)
		}
		if out := h.ok("read", path, "--format", "text"); !strings.Contains(out, "Fishing boats returned") {
			t.Errorf("read %s:\n%s", name, out)
		}
	}
	// A file named otherwise is sniffed, past the comment.
	path := filepath.Join(t.TempDir(), "story")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := h.ok("read", path, "--format", "text"); !strings.Contains(out, "Fishing boats returned") {
		t.Errorf("read an unnamed page:\n%s", out)
	}
	text := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(text, []byte("Just some notes, no markup at all.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if stderr := h.fails("read", text); !strings.Contains(stderr, "text/plain") {
		t.Errorf("a text file: %s", stderr)
	}
}

// Over HTTP the Content-Type header decides; the bytes are sniffed only
// when the header is missing or generic.
func TestReadPageByContentType(t *testing.T) {
	page := conditionalCommentPage(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ct := r.URL.Query().Get("type"); ct != "" {
			w.Header().Set("Content-Type", ct)
		} else {
			w.Header()["Content-Type"] = nil // no header, and no sniffing by net/http
		}
		w.Write(page)
	}))
	t.Cleanup(srv.Close)
	h := newHome(t, "byline:welcome\n")
	for _, ct := range []string{"text/html; charset=utf-8", "", "application/octet-stream", "text/plain; charset=utf-8"} {
		if out := h.ok("read", srv.URL+"/page?type="+url.QueryEscape(ct), "--format", "text"); !strings.Contains(out, "Fishing boats returned") {
			t.Errorf("Content-Type %q:\n%s", ct, out)
		}
	}
	if stderr := h.fails("read", srv.URL+"/page?type=application/pdf"); !strings.Contains(stderr, "PDF") {
		t.Errorf("HTML bytes sent as a PDF: %s", stderr)
	}
}
