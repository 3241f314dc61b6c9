package cli_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// oneLine fails the test unless out is exactly one line, as typed: no
// styling, no padding to the terminal's width.
func oneLine(t *testing.T, what, out string) string {
	t.Helper()
	line, rest, _ := strings.Cut(out, "\n")
	if rest != "" || line == "" {
		t.Errorf("%s: want one line on stderr, got %q", what, out)
	}
	if strings.TrimRight(line, " ") != line {
		t.Errorf("%s: the line is padded: %q", what, line)
	}
	return line
}

// TestErrorsAreOneLineAsTyped: fang's styling title-cased the first word of
// every error (a path came out as /Tmp/X/Config.toml, a flag as --Feed),
// padded it to the terminal's width and framed it in an ERROR block.
func TestErrorsAreOneLineAsTyped(t *testing.T) {
	h := newHome(t, "# none\n")
	line := oneLine(t, "list --feed nosuch", h.fails("list", "--feed", "nosuch"))
	if !strings.HasPrefix(line, `byline: --feed "nosuch": `) {
		t.Errorf("list --feed nosuch: %q", line)
	}

	h.write("config.toml", "jobs = 8\njobz = 3\n")
	line = oneLine(t, "bad config", h.fails("list"))
	if want := "byline: " + h.dir + "/config.toml:2: "; !strings.HasPrefix(line, want) {
		t.Errorf("bad config: %q, want it to start with %q", line, want)
	}
}

// TestHelpShowsValuesAsTyped: the help printed pflag's `NAME` backticks
// literally and title-cased the first word of each flag's description, so
// --format's values read "`Text`, markdown, ansi or json".
func TestHelpShowsValuesAsTyped(t *testing.T) {
	h := newHome(t, "# none\n")
	for _, cmd := range []string{"", "add", "remove", "import", "export", "refresh", "feeds", "list", "search", "mark", "purge", "read", "links"} {
		args := []string{"--help"}
		if cmd != "" {
			args = []string{cmd, "--help"}
		}
		if out := h.ok(args...); strings.Contains(out, "`") {
			t.Errorf("byline %s --help prints a backtick:\n%s", cmd, out)
		}
	}
	read := h.ok("read", "--help")
	for _, want := range []string{"text, markdown, ansi or json", "dark, light or plain"} {
		if !strings.Contains(read, want) {
			t.Errorf("read --help lacks %q as typed:\n%s", want, read)
		}
	}
}

// TestOneAndManyAreSaidAlike: "1 articles", "1 feeds"; a counted noun is
// singular for one, whatever the command.
func TestOneAndManyAreSaidAlike(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, "# mine\n")
	if out := h.ok("add", srv.URL+"/science.json"); !strings.Contains(out, ": 1 article\n") {
		t.Errorf("add: %q", out)
	}
	if out := h.ok("refresh"); !strings.Contains(out, "1 feed: 1 ok, 0 not modified, 0 failed; 0 new articles\n") {
		t.Errorf("refresh: %q", out)
	}
	if out := h.ok("mark", "read", "--all"); out != "Marked 1 article read\n" {
		t.Errorf("mark read --all: %q", out)
	}
	opml := `<opml version="2.0"><body><outline text="W" xmlUrl="` + srv.URL + `/world.rss"/></body></opml>`
	h.write("one.opml", opml)
	if out := h.ok("import", h.dir+"/one.opml"); !strings.HasPrefix(out, "Imported 1 feed (0 already subscribed)") {
		t.Errorf("import: %q", out)
	}
}

// TestLimitsTagsAndTyposAreHandledAlike: search --limit 0 was an error while
// list --limit 0 meant all; list --tag nosuch printed nothing and exited 0
// while --feed nosuch was an error; a mistyped number showed Go's
// strconv.ParseInt error; a mistyped command got no suggestion.
func TestLimitsTagsAndTyposAreHandledAlike(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/world.rss news\n"+srv.URL+"/tech.atom tech\n")
	h.ok("refresh")

	var all, many []articleRow
	h.json(&all, "search", "--limit", "0", "the")
	h.json(&many, "search", "--limit", "1000", "the")
	if len(all) < 2 || len(all) != len(many) {
		t.Errorf("search --limit 0 the: %d hits, want all %d", len(all), len(many))
	}
	for _, cmd := range [][]string{{"list"}, {"search", "x"}} {
		line := oneLine(t, "--limit -1", h.fails(append(cmd, "--limit", "-1")...))
		if !strings.Contains(line, "--limit") || !strings.Contains(line, "-1") {
			t.Errorf("%s --limit -1: %q", cmd[0], line)
		}
	}

	line := oneLine(t, "--tag nosuch", h.fails("list", "--tag", "nosuch"))
	if !strings.Contains(line, `--tag "nosuch"`) || !strings.Contains(line, "news") {
		t.Errorf("list --tag nosuch: %q (want the tags there are)", line)
	}
	if n := len(h.list("--tag", "news")); n != 3 {
		t.Errorf("list --tag news: %d articles", n)
	}

	for _, args := range [][]string{{"list", "--limit", "abc"}, {"read", "1", "--width", "wide"}, {"list", "--unread=maybe"}} {
		line := oneLine(t, strings.Join(args, " "), h.fails(args...))
		if strings.Contains(line, "strconv") || strings.Contains(line, "ParseInt") || strings.Contains(line, "ParseBool") {
			t.Errorf("%s: Go's parse error leaks: %q", strings.Join(args, " "), line)
		}
		flag, value, _ := strings.Cut(args[len(args)-1], "=")
		if value == "" {
			flag, value = args[len(args)-2], args[len(args)-1]
		}
		if !strings.Contains(line, flag) || !strings.Contains(line, `"`+value+`"`) {
			t.Errorf("%s: %q does not name the flag and the value", strings.Join(args, " "), line)
		}
	}

	line = oneLine(t, "lsit", h.fails("lsit"))
	if !strings.Contains(line, `"lsit"`) || !strings.Contains(line, `"list"`) {
		t.Errorf("byline lsit: %q, want a suggestion of list", line)
	}
}

// TestInterruptedRefreshSaysWhatWasDone sends the real binary SIGINT while
// two feeds are stored and two hang. It printed "interrupted", then fang's
// "ERROR Context canceled.", then a summary that forgot the feeds it never
// fetched; now it is one line that counts both.
func TestInterruptedRefreshSaysWhatWasDone(t *testing.T) {
	hung := make(chan struct{}, 2)
	mux := http.NewServeMux()
	for _, name := range []string{"world.rss", "tech.atom"} {
		mux.HandleFunc("/"+name, func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(w, r, filepath.Join("testdata", name))
		})
	}
	mux.HandleFunc("/hang/", func(w http.ResponseWriter, r *http.Request) {
		hung <- struct{}{}
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h := newHome(t, srv.URL+"/world.rss\n"+srv.URL+"/tech.atom\n"+srv.URL+"/hang/1\n"+srv.URL+"/hang/2\n")
	h.write("config.toml", "per-host = 4\n")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	refresh := h.command(ctx, "refresh")
	var stdout, stderr bytes.Buffer
	refresh.Stdout, refresh.Stderr = &stdout, &stderr
	if err := refresh.Start(); err != nil {
		t.Fatal(err)
	}
	<-hung
	<-hung
	for strings.TrimSpace(h.ok("list", "--count")) != "5" { // both good feeds stored
		time.Sleep(20 * time.Millisecond)
	}
	if err := refresh.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := refresh.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Errorf("interrupted refresh: %v, want exit status 130", err)
	}
	line := oneLine(t, "interrupted refresh", stderr.String())
	for _, want := range []string{"interrupted", "2 of 4 feeds", "2 not fetched", "5 new articles"} {
		if !strings.Contains(line, want) {
			t.Errorf("interrupted refresh said %q; want %q in it", line, want)
		}
	}
	if stdout.Len() > 0 {
		t.Errorf("interrupted refresh printed a summary besides: %q", stdout.String())
	}
}

// TestURLWarningsOnceUntilTheyChange: the urls file's warnings repeated on
// every command (a cron job mailed them every hour). They are shown once,
// and again when what they say changes.
func TestURLWarningsOnceUntilTheyChange(t *testing.T) {
	h := newHome(t, "byline:welcome\n\"exec:~/bin/feed.sh\"\n")
	warned := func(args ...string) string {
		t.Helper()
		r := h.run(args...)
		if r.code != 0 {
			t.Fatalf("byline %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
		return r.stderr
	}
	if errOut := warned("list"); strings.Count(errOut, "exec:") != 1 || !strings.Contains(errOut, h.dir+"/urls:2: ") {
		t.Fatalf("first list: stderr %q, want the exec: warning with its file and line", errOut)
	}
	for _, cmd := range []string{"list", "feeds", "refresh"} {
		if errOut := warned(cmd); errOut != "" {
			t.Errorf("%s after the warning was shown: stderr %q", cmd, errOut)
		}
	}
	h.write("urls", "\"query:Bad:nosuch = 1\"\nbyline:welcome\n\"exec:~/bin/feed.sh\"\n")
	if errOut := warned("list"); !strings.Contains(errOut, `query feed "Bad"`) || !strings.Contains(errOut, "urls:3: ") {
		t.Errorf("list after the file changed: stderr %q, want both warnings again", errOut)
	}
	if errOut := warned("list"); errOut != "" {
		t.Errorf("second list after the change: stderr %q", errOut)
	}
	h.write("urls", "byline:welcome\n")
	warned("list")
	h.write("urls", "byline:welcome\n\"exec:~/bin/feed.sh\"\n")
	if errOut := warned("list"); !strings.Contains(errOut, "exec:") {
		t.Errorf("a problem fixed and brought back: stderr %q, want it shown again", errOut)
	}
}

// TestSearchRankContractAndCount: the README said rank is "lower is
// better", while results come best first with higher ranks. And a search
// capped at its limit could not say how many matched in all: search
// --count says it, as list --count does.
func TestSearchRankContractAndCount(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "`rank` (higher is better") {
		t.Error("README: the search --json rank contract does not say higher is better")
	}
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/world.rss news\n"+srv.URL+"/tech.atom tech\n"+srv.URL+"/science.json science\n")
	h.ok("refresh")
	var hits []struct {
		Title string  `json:"title"`
		Rank  float64 `json:"rank"`
	}
	h.json(&hits, "search", "the")
	if len(hits) < 3 {
		t.Fatalf("search the: %d hits", len(hits))
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Rank > hits[i-1].Rank {
			t.Errorf("hit %d (%q, rank %v) ranks above hit %d (rank %v): not best first with higher better", i, hits[i].Title, hits[i].Rank, i-1, hits[i-1].Rank)
		}
	}
	if got := strings.TrimSpace(h.ok("search", "--count", "--limit", "1", "the")); got != itoa(int64(len(hits))) {
		t.Errorf("search --count --limit 1 the = %q, want all %d matches", got, len(hits))
	}
	var count struct{ Count int }
	h.json(&count, "search", "--count", "glaciers")
	if count.Count != 2 {
		t.Errorf("search --count --json glaciers = %+v", count)
	}
}

// TestKeyBindingMistakesNameTheirLine: refresh = ["j"] was accepted (and
// took j from down), and an unknown action was reported by the reader
// without the file or line. Both are refused like any bad setting.
func TestKeyBindingMistakesNameTheirLine(t *testing.T) {
	h := newHome(t, "# none\n")
	for _, c := range []struct {
		config string
		line   int
		want   []string
	}{
		{"jobs = 8\n[keys]\nrefresh = [\"j\"]\n", 3, []string{"keys.refresh", `"j"`, "down"}},
		{"[keys]\nfly = [\"x\"]\n", 2, []string{`unknown action "fly"`}},
		{"[keys]\nhelp = [\"?\"]\nup = [\"ctlr+k\"]\n", 3, []string{"keys.up", `"ctlr"`}},
		{"[keys]\nrefresh-all = [\"R\", \"5\"]\n", 2, []string{"keys.refresh-all", `"5"`, "link number"}},
		{"[keys]\nquit = [\"q\"]\nback = [\"q\"]\n", 2, []string{`keys.quit: "q" is back's key too`, `config.toml:3: keys.back: "q" is quit's key too`}},
	} {
		h.write("config.toml", c.config)
		line := oneLine(t, c.config, h.fails("list"))
		if want := "byline: " + h.dir + "/config.toml:" + itoa(int64(c.line)) + ": "; !strings.HasPrefix(line, want) {
			t.Errorf("%q: %q, want it to start with %q", c.config, line, want)
		}
		for _, w := range c.want {
			if !strings.Contains(line, w) {
				t.Errorf("%q: %q lacks %q", c.config, line, w)
			}
		}
	}
	// Moving a key from one action to another is fine, and so are the
	// defaults that share a key on different screens (enter: open, follow).
	h.write("config.toml", "[keys]\ndown = [\"down\"]\nrefresh = [\"j\"]\nfollow = [\"enter\", \"f\"]\n")
	h.ok("list")
}
