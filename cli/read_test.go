package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// storyIDs refreshes stories.rss and returns its article IDs by guid order.
func storyHome(t *testing.T) (*home, map[string]int64, func()) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/stories.rss\n")
	h.ok("refresh")
	ids := map[string]int64{}
	for _, a := range h.list() {
		ids[strings.TrimPrefix(a.URL, srv.URL)] = a.ID
	}
	if len(ids) != 4 {
		t.Fatalf("stories: %v", ids)
	}
	return h, ids, srv.Close
}

func TestReadFormatsAndOffline(t *testing.T) {
	h, ids, stop := storyHome(t)
	id := itoa(ids["/story"])

	text := h.ok("read", id)
	if !strings.HasPrefix(text, "Fishing boats returned to the harbour") {
		t.Errorf("text starts %.80q", text)
	}
	for _, junk := range []string{"[1]", "Home", "Related", "Glaciers retreat", "Copyright", "# "} {
		if strings.Contains(text, junk) {
			t.Errorf("text format holds %q:\n%s", junk, text)
		}
	}

	md := h.ok("read", id, "--format", "markdown")
	if !strings.HasPrefix(md, "# Harbour reopens after storm\n") || !regexp.MustCompile(`damage report\\? ?\[1\]`).MatchString(md) {
		t.Errorf("markdown:\n%s", md)
	}
	if !strings.Contains(md, "## Links") || !strings.Contains(md, "## Related") || !strings.Contains(md, "Glaciers retreat faster than forecast") {
		t.Errorf("markdown lacks the link lists:\n%s", md)
	}
	if strings.Contains(md, "utm_source") {
		t.Errorf("tracking parameter kept:\n%s", md)
	}

	var doc struct {
		URL, Title, Author, Site, Markdown, Text string
		Links                                    []struct {
			N                   int
			Text, URL           string
			Related, Followable bool
		}
	}
	out := h.ok("read", id, "--format", "json")
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if doc.Title != "Harbour reopens after storm" || doc.Author != "Ana Ruiz" || doc.Site != "World Desk" {
		t.Errorf("json metadata: %+v", doc)
	}
	var related, mailto int
	for _, l := range doc.Links {
		if l.Related {
			related++
		}
		if strings.HasPrefix(l.URL, "mailto:") {
			mailto++
			if l.Followable {
				t.Errorf("mailto link followable: %+v", l)
			}
		}
	}
	if related != 2 || mailto != 1 {
		t.Errorf("links: %+v", doc.Links)
	}

	ansi := h.ok("read", id, "--format", "ansi", "--width", "60", "--style", "dark")
	if !strings.Contains(ansi, "\x1b[") || !strings.Contains(stripANSI(ansi), "Harbour reopens after storm") {
		t.Errorf("ansi output:\n%s", ansi)
	}
	linksOut := h.ok("links", id)
	if !strings.Contains(linksOut, "[1] damage report") || !strings.Contains(linksOut, "(related)") || !strings.Contains(linksOut, "not openable") {
		t.Errorf("links:\n%s", linksOut)
	}

	// The page was kept: with the server gone, every format reads the same.
	stop()
	if again := h.ok("read", id, "--format", "markdown"); again != md {
		t.Errorf("offline read differs:\n%s\n---\n%s", again, md)
	}
	if again := h.ok("read", id); again != text {
		t.Error("offline text differs")
	}
}

func TestReadErrorsAndFallbacks(t *testing.T) {
	h, ids, stop := storyHome(t)
	defer stop()

	if errOut := h.fails("read", "999999"); !strings.Contains(errOut, "999999") {
		t.Errorf("unknown id: %q", errOut)
	}
	// A page with no story: the feed's summary, and a notice saying so.
	r := h.run("read", itoa(ids["/plain"]))
	if r.code != 0 || !strings.Contains(r.stdout, "Only this summary is known.") || !strings.Contains(r.stderr, "feed") {
		t.Errorf("no article text: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// A PDF link: the feed's text, and the notice says it is not a web page.
	r = h.run("read", itoa(ids["/doc.pdf"]))
	if r.code != 0 || !strings.Contains(r.stdout, "The report as a PDF.") || !strings.Contains(r.stderr, "browser") {
		t.Errorf("pdf article: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestReadURLAndFile(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, "# none\n")
	if errOut := h.fails("read", srv.URL+"/doc.pdf"); !strings.Contains(errOut, "PDF") || !strings.Contains(errOut, "browser") {
		t.Errorf("pdf url: %q", errOut)
	}
	first := h.ok("read", srv.URL+"/story")
	srv.Close()
	r := h.run("read", srv.URL+"/story")
	if r.code != 0 || r.stdout != first || !strings.Contains(r.stderr, "saved") {
		t.Errorf("unreachable URL with a saved copy: exit %d\n%s", r.code, r.stderr)
	}
	if errOut := h.fails("read", "http://127.0.0.1:1/never-seen"); !strings.Contains(errOut, "127.0.0.1:1") {
		t.Errorf("unreachable URL without a copy: %q", errOut)
	}
	md := h.ok("read", "testdata/story.html", "--base-url", "https://world.example/harbour", "--format", "markdown")
	if !strings.Contains(md, "https://world.example/reports/storm-damage") {
		t.Errorf("relative link not resolved against --base-url:\n%s", md)
	}
}

// TestReadNeverEmitsHostileEscapes reads a page and a feed item full of
// escape sequences in every format: only glamour's own colours (SGR) and
// hyperlinks to validated URLs (OSC 8) may reach the terminal.
func TestReadNeverEmitsHostileEscapes(t *testing.T) {
	h, ids, stop := storyHome(t)
	defer stop()
	id := itoa(ids["/hostile"])
	for _, format := range []string{"text", "markdown", "json", "ansi"} {
		out := h.ok("read", id, "--format", format)
		if format != "ansi" {
			if i := strings.IndexFunc(out, isTerminalControl); i >= 0 {
				t.Errorf("%s output holds control %U at %d: %q", format, []rune(out[i:])[0], i, out[max(0, i-20):min(len(out), i+20)])
			}
			continue
		}
		rest := allowedEscapes.ReplaceAllString(out, "")
		if i := strings.IndexFunc(rest, isTerminalControl); i >= 0 {
			t.Errorf("ansi output holds a foreign control sequence: %q", rest[max(0, i-20):min(len(rest), i+30)])
		}
		for _, m := range osc8.FindAllStringSubmatch(out, -1) {
			if m[1] != "" && !strings.HasPrefix(m[1], "https://") && !strings.HasPrefix(m[1], "http://") {
				t.Errorf("hyperlink to %q", m[1])
			}
		}
	}
	for _, l := range []string{h.ok("links", id), h.ok("list"), h.ok("feeds")} {
		if i := strings.IndexFunc(l, isTerminalControl); i >= 0 {
			t.Errorf("control character in %q", l)
		}
	}
	if strings.Contains(h.ok("read", id, "--format", "markdown"), "pwned") && strings.Contains(h.ok("read", id), "]0;") {
		t.Error("the OSC title sequence survived as text")
	}
}

var (
	allowedEscapes = regexp.MustCompile(`\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*;[^\x1b\x07]*(\x1b\\|\x07)`)
	osc8           = regexp.MustCompile(`\x1b\]8;[^;\x1b\x07]*;([^\x1b\x07]*)(?:\x1b\\|\x07)`)
)

// isTerminalControl is true for what a terminal acts on: ESC and the other
// C0 controls but newline and tab, DEL, C1, and bidi overrides.
func isTerminalControl(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func stripANSI(s string) string {
	return regexp.MustCompile(`\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*(\x1b\\|\x07)`).ReplaceAllString(s, "")
}

func TestRefreshFullTextReadsOfflineLater(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/stories.rss\n")
	out := h.ok("refresh", "--full-text")
	if !strings.Contains(out, "full text: 2 pages extracted") {
		t.Errorf("refresh --full-text said:\n%s", out)
	}
	var id int64
	for _, a := range h.list() {
		if strings.HasSuffix(a.URL, "/story") {
			id = a.ID
		}
	}
	srv.Close()
	text := h.ok("read", itoa(id))
	if !strings.HasPrefix(text, "Fishing boats returned to the harbour") {
		t.Errorf("prefetched article offline: %.100q", text)
	}
	var hits []articleRow
	h.json(&hits, "search", "damage", "report")
	if len(hits) != 1 || hits[0].ID != id {
		t.Errorf("search of prefetched text: %+v", hits)
	}
}

// TestReadAnsiTakesColoursFromTheEnvironment: NO_COLOR did not affect read
// --format ansi (it drew dark-background colours), and COLORFGBG, which
// says what the background is, was ignored. A --style given wins over both,
// as no-color.org asks.
func TestReadAnsiTakesColoursFromTheEnvironment(t *testing.T) {
	h := newHome(t, "# none\n")
	page, err := filepath.Abs(filepath.Join("testdata", "story.html"))
	if err != nil {
		t.Fatal(err)
	}
	read := func(env map[string]string, args ...string) string {
		t.Helper()
		cmd := h.command(context.Background(), append([]string{"read", page, "--format", "ansi", "--width", "60"}, args...)...)
		cmd.Env = slices.DeleteFunc(cmd.Env, func(kv string) bool { return strings.HasPrefix(kv, "NO_COLOR=") })
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("read %v with %v: %v", args, env, err)
		}
		return string(out)
	}
	plain, dark, light := read(nil, "--style", "plain"), read(nil, "--style", "dark"), read(nil, "--style", "light")
	if plain == dark || dark == light || plain == light {
		t.Fatal("the three styles render alike")
	}
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, nil, plain},
		{"NO_COLOR and COLORFGBG", map[string]string{"NO_COLOR": "1", "COLORFGBG": "0;15"}, nil, plain},
		{"COLORFGBG light", map[string]string{"COLORFGBG": "0;15"}, nil, light},
		{"COLORFGBG fg;default;bg", map[string]string{"COLORFGBG": "0;default;7"}, nil, light},
		{"COLORFGBG dark", map[string]string{"COLORFGBG": "15;0"}, nil, dark},
		{"nothing known", nil, nil, dark},
		{"--style over NO_COLOR", map[string]string{"NO_COLOR": "1"}, []string{"--style", "dark"}, dark},
		{"--style over COLORFGBG", map[string]string{"COLORFGBG": "0;15"}, []string{"--style", "dark"}, dark},
	} {
		if got := read(c.env, c.args...); got != c.want {
			t.Errorf("%s: read --format ansi drew another style", c.name)
		}
	}
}

// TestReadRelativeFile reads site/page.html from the directory above it:
// its links resolve against the file's absolute path (not a host named
// "site"), a related link too, and a page linked twice is listed once
// (#10, item 26).
func TestReadRelativeFile(t *testing.T) {
	h := newHome(t, "# none\n")
	dir := t.TempDir()
	var story strings.Builder
	for i := range 6 {
		fmt.Fprintf(&story, "<p>Paragraph %d of a page saved to disk, long enough for the extractor to take it for an article.</p>", i)
	}
	page := `<!doctype html><html><head><title>Saved page</title></head><body><article><h1>Saved page</h1>` + story.String() +
		`<p>See <a href="table.html">the table</a>.</p></article>
<aside class="related"><h2>Related</h2><ul><li><a href="/table.html">Root table</a></li><li><a href="./table.html">The table again</a></li></ul></aside></body></html>`
	if err := os.MkdirAll(filepath.Join(dir, "site"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site", "page.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := h.command(t.Context(), "links", "--json", "site/page.html")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("links site/page.html: %v", err)
	}
	var links []struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(out, &links); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	abs, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	table := "file://" + filepath.ToSlash(filepath.Join(abs, "site", "table.html"))
	seen := map[string]int{}
	for _, l := range links {
		seen[l.URL]++
		if !strings.HasPrefix(l.URL, "file:///") {
			t.Errorf("link %q is not resolved to an absolute file URL", l.URL)
		}
	}
	if seen[table] != 1 || seen["file:///table.html"] != 1 || len(links) != 2 {
		t.Errorf("want %s once and file:///table.html once, got %s", table, out)
	}
}
