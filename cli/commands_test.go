package cli_test

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFirstRunWritesStarterListAndReadsWelcomeOffline(t *testing.T) {
	h := newHome(t, "")
	r := h.run("refresh")
	if r.code != 0 {
		t.Fatalf("refresh exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	urls := h.read("urls")
	if !strings.Contains(urls, "byline:welcome") {
		t.Fatalf("starter urls file lacks byline:welcome:\n%s", urls)
	}
	feeds := h.feeds()
	if len(feeds) < 7 {
		t.Fatalf("want the welcome feed and 6+ starter feeds, got %d", len(feeds))
	}
	for _, f := range feeds {
		if f.URL == "byline:welcome" {
			if f.Total < 4 || f.LastError != "" {
				t.Errorf("welcome feed: total %d, error %q", f.Total, f.LastError)
			}
			continue
		}
		// No network here: each real feed must carry its own clear error.
		if f.LastError == "" || f.Total != 0 {
			t.Errorf("network feed %s: error %q total %d; want a per-feed error", f.URL, f.LastError, f.Total)
		}
		if !strings.Contains(r.stderr, f.URL) {
			t.Errorf("refresh output does not name failed feed %s:\n%s", f.URL, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "failed") || !strings.Contains(r.stdout, "new articles") {
		t.Errorf("no summary line:\n%s", r.stdout)
	}
	if n := len(h.list("--feed", "byline:welcome")); n < 4 {
		t.Errorf("welcome articles listed: %d", n)
	}
}

func TestRefreshMixedFeedsKeepsGoing(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, strings.Join([]string{
		srv.URL + "/world.rss news",
		srv.URL + "/tech.atom tech",
		srv.URL + "/science.json science",
		srv.URL + "/broken.xml",
		srv.URL + "/gone",
		srv.URL + "/missing",
		srv.URL + "/busy",
		srv.URL + "/hang",
		srv.URL + "/plain",
	}, "\n")+"\n")
	h.write("config.toml", "timeout = \"1s\"\n")
	r := h.run("refresh")
	if r.code != 0 {
		t.Fatalf("refresh must exit 0 when feeds fail: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "9 feeds: 3 ok, 0 not modified, 6 failed; 6 new articles") {
		t.Errorf("summary:\n%s", r.stdout)
	}
	byURL := map[string]feedRow{}
	for _, f := range h.feeds() {
		byURL[strings.TrimPrefix(f.URL, srv.URL)] = f
	}
	for path, want := range map[string]string{
		"/broken.xml": "", "/gone": "410", "/missing": "404", "/busy": "429", "/hang": "", "/plain": "HTML",
	} {
		f := byURL[path]
		if f.LastError == "" || !strings.Contains(f.LastError, want) {
			t.Errorf("%s: last error %q, want one mentioning %q", path, f.LastError, want)
		}
		if !strings.Contains(r.stderr, srv.URL+path) {
			t.Errorf("stderr does not report %s:\n%s", path, r.stderr)
		}
	}
	if !byURL["/gone"].Gone {
		t.Errorf("410 feed not marked gone")
	}
	for _, path := range []string{"/world.rss", "/tech.atom", "/science.json"} {
		if f := byURL[path]; f.LastError != "" || f.Total == 0 || f.LastSuccess == nil {
			t.Errorf("%s: %+v", path, f)
		}
	}
}

func TestAddDiscoversFeedsAndSubscribesOnce(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, "# my feeds\n")

	out := h.ok("add", "--all", srv.URL+"/blog")
	if got := strings.Fields(out); !slices.Equal(got, []string{srv.URL + "/posts.rss", srv.URL + "/comments.atom"}) {
		t.Fatalf("add --all listed %q", got)
	}
	if strings.Contains(h.read("urls"), "posts.rss") {
		t.Fatal("add --all must not subscribe")
	}

	out = h.ok("add", srv.URL+"/blog", "blogs", "long reads")
	if !strings.Contains(out, "World Desk") || !strings.Contains(out, "3 articles") {
		t.Errorf("add said %q", out)
	}
	urls := h.read("urls")
	if !strings.HasPrefix(urls, "# my feeds\n") || !strings.Contains(urls, srv.URL+`/posts.rss blogs "long reads"`) {
		t.Errorf("urls file after add:\n%s", urls)
	}
	feeds := h.feeds()
	if len(feeds) != 1 || feeds[0].Total != 3 || !slices.Equal(feeds[0].Tags, []string{"blogs", "long reads"}) {
		t.Errorf("feeds after add: %+v", feeds)
	}

	before := h.read("urls")
	out = h.ok("add", srv.URL+"/blog")
	if !strings.Contains(out, "Already subscribed") || h.read("urls") != before {
		t.Errorf("second add: %q\n%s", out, h.read("urls"))
	}

	errOut := h.fails("add", srv.URL+"/plain")
	if !strings.Contains(strings.ToLower(errOut), "no feed") {
		t.Errorf("add of a page without feeds: %q", errOut)
	}
	if errOut := h.fails("add", "file:///etc/passwd"); !strings.Contains(errOut, "http") {
		t.Errorf("add of a file URL: %q", errOut)
	}
}

func TestRemoveByURLAndTitleKeepsStarred(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/world.rss news\n"+srv.URL+`/tech.atom "~My Tech"`+"\n# keep this comment\n")
	h.ok("refresh")
	tech := h.list("--feed", "My Tech")
	if len(tech) != 2 {
		t.Fatalf("tech articles: %+v", tech)
	}
	h.ok("mark", "star", itoa(tech[0].ID))

	h.ok("remove", "my tech")
	if urls := h.read("urls"); strings.Contains(urls, "tech.atom") || !strings.Contains(urls, "# keep this comment") {
		t.Errorf("urls after remove by title:\n%s", urls)
	}
	if starred := h.list("--starred"); len(starred) != 1 || starred[0].ID != tech[0].ID {
		t.Errorf("starred article lost on remove: %+v", starred)
	}
	h.ok("remove", srv.URL+"/world.rss")
	if feeds := h.feeds(); len(feeds) != 0 {
		t.Errorf("feeds after removing both: %+v", feeds)
	}
	if errOut := h.fails("remove", "nothing-like-this"); !strings.Contains(errOut, "no subscribed feed") {
		t.Errorf("remove of an unknown feed: %q", errOut)
	}
}

func TestImportExportRoundTrip(t *testing.T) {
	srv := fixtureServer(t)
	opml, err := os.ReadFile(filepath.Join("testdata", "other-reader.opml"))
	if err != nil {
		t.Fatal(err)
	}
	h := newHome(t, "# empty\n")
	src := filepath.Join(h.dir, "in.opml")
	if err := os.WriteFile(src, []byte(strings.ReplaceAll(string(opml), "{{base}}", srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := h.ok("import", src)
	if !strings.Contains(out, "Imported 3 feeds") {
		t.Errorf("import said %q", out)
	}
	tags := map[string][]string{}
	for _, f := range h.feeds() {
		tags[strings.TrimPrefix(f.URL, srv.URL)] = f.Tags
	}
	if !slices.Equal(tags["/world.rss"], []string{"News"}) || !slices.Equal(tags["/tech.atom"], []string{"News", "Tech"}) || len(tags["/science.json"]) != 0 {
		t.Errorf("tags from nested folders: %v", tags)
	}
	if again := h.ok("import", src); !strings.Contains(again, "Imported 0 feeds (3 already subscribed)") {
		t.Errorf("second import said %q", again)
	}

	exported := h.ok("export")
	var doc struct {
		XMLName xml.Name `xml:"opml"`
		Version string   `xml:"version,attr"`
	}
	if err := xml.Unmarshal([]byte(exported), &doc); err != nil || doc.Version != "2.0" {
		t.Fatalf("export is not OPML 2.0 (%v):\n%s", err, exported)
	}
	other := newHome(t, "# empty\n")
	dst := filepath.Join(other.dir, "out.opml")
	if err := os.WriteFile(dst, []byte(exported), 0o644); err != nil {
		t.Fatal(err)
	}
	other.ok("import", dst)
	if a, b := h.ok("export"), other.ok("export"); a != b {
		t.Errorf("import → export → import is not lossless:\n%s\n---\n%s", a, b)
	}
	if a, b := h.read("urls"), other.read("urls"); strings.TrimPrefix(a, "# empty\n") != strings.TrimPrefix(b, "# empty\n") {
		t.Errorf("urls files differ after round trip:\n%s\n---\n%s", a, b)
	}
}

func TestNewsboatURLsFileWorksUnchanged(t *testing.T) {
	srv := fixtureServer(t)
	urls := "# exported from newsboat\n\n" +
		srv.URL + "/world.rss news \"~World (renamed)\" \"daily reads\"\n" +
		srv.URL + "/tech.atom tech !hidden\n" +
		"\"exec:~/bin/make-feed.sh\" scripts\n" +
		"\"filter:~/bin/clean.sh:" + srv.URL + "/science.json\"\n" +
		"\"query:Unread:unread = \\\"yes\\\"\"\n"
	h := newHome(t, urls)
	r := h.run("refresh")
	if r.code != 0 {
		t.Fatalf("refresh: %d %s", r.code, r.stderr)
	}
	for _, kind := range []string{"exec:", "filter:"} {
		if strings.Count(r.stderr, kind) != 1 {
			t.Errorf("want exactly one warning for the %s line:\n%s", kind, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "query:") {
		t.Errorf("a query: line, which byline reads, was warned about:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(h.dir, "make-feed-ran")); err == nil {
		t.Error("an exec: line was executed")
	}
	feeds := h.feeds()
	if len(feeds) != 3 || feeds[0].Title != "World (renamed)" || !slices.Equal(feeds[0].Tags, []string{"news", "daily reads"}) ||
		feeds[2].Title != "Unread" || feeds[2].Unread != 5 {
		t.Fatalf("feeds from a newsboat urls file: %+v", feeds)
	}
	if h.read("urls") != urls {
		t.Error("byline rewrote the user's urls file")
	}
	if n := len(h.list("--tag", "daily reads")); n != 3 {
		t.Errorf("--tag with a quoted tag: %d articles", n)
	}
}

func TestListSearchMarkPurge(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/world.rss news\n"+srv.URL+"/tech.atom tech\n"+srv.URL+"/science.json science\n")
	h.ok("refresh")

	all := h.list()
	if len(all) != 6 {
		t.Fatalf("list: %d articles", len(all))
	}
	for i := 1; i < len(all); i++ {
		if *all[i-1].Published < *all[i].Published {
			t.Errorf("not newest first: %s before %s", *all[i-1].Published, *all[i].Published)
		}
	}
	if all[0].Title != "A comet returns" || all[0].Author != "Mira Chen" || all[0].Feed != "Science Weekly" {
		t.Errorf("newest article: %+v", all[0])
	}
	if got := strings.TrimSpace(h.ok("list", "--count", "--unread")); got != "6" {
		t.Errorf("--count --unread = %q", got)
	}
	if n := len(h.list("--tag", "tech")); n != 2 {
		t.Errorf("--tag tech: %d", n)
	}
	if n := len(h.list("--limit", "2")); n != 2 {
		t.Errorf("--limit 2: %d", n)
	}

	h.ok("mark", "read", itoa(all[0].ID), itoa(all[1].ID))
	h.ok("mark", "star", itoa(all[1].ID))
	if got := strings.TrimSpace(h.ok("list", "--count", "--unread")); got != "4" {
		t.Errorf("unread after marking two read: %s", got)
	}
	if s := h.list("--starred"); len(s) != 1 || s[0].ID != all[1].ID || !s[0].Read {
		t.Errorf("--starred: %+v", s)
	}
	h.ok("mark", "unread", itoa(all[0].ID))
	h.ok("mark", "unstar", itoa(all[1].ID))
	if n := len(h.list("--starred")); n != 0 {
		t.Errorf("starred after unstar: %d", n)
	}
	if errOut := h.fails("mark", "read", "999999"); !strings.Contains(errOut, "999999") {
		t.Errorf("unknown id: %q", errOut)
	}
	if errOut := h.fails("mark", "read", "abc"); !strings.Contains(errOut, "abc") {
		t.Errorf("bad id: %q", errOut)
	}
	h.fails("mark", "explode", "1")

	var hits []articleRow
	h.json(&hits, "search", "glaciers")
	if len(hits) != 2 || hits[0].Title != "Glaciers retreat faster than forecast" || !strings.Contains(strings.ToLower(hits[0].Snippet), "glacier") {
		t.Errorf("search glaciers: %+v", hits)
	}
	if out := h.ok("search", `"unbalanced`, "AND", "*"); strings.Contains(out, "error") {
		t.Errorf("hostile query: %q", out)
	}

	h.ok("mark", "read", "--all", "--feed", "Tech Notes")
	if n := len(h.list("--unread", "--tag", "tech")); n != 0 {
		t.Errorf("unread tech after mark --all --feed: %d", n)
	}
	h.ok("mark", "read", "--all")
	if got := strings.TrimSpace(h.ok("list", "--count", "--unread")); got != "0" {
		t.Errorf("unread after mark read --all: %s", got)
	}

	// keep-days 1 purges the read articles the feeds dated days ago; the
	// starred one stays, and so does the undated comet, dated when first seen.
	h.ok("mark", "star", itoa(all[2].ID))
	h.write("config.toml", "keep-days = 1\n")
	if out := h.ok("purge"); !strings.Contains(out, "Purged 4 ") {
		t.Errorf("purge said %q", out)
	}
	left := h.list()
	if len(left) != 2 || left[0].Title != "A comet returns" || left[1].ID != all[2].ID {
		t.Errorf("after purge: %+v", left)
	}
}

func TestVersionHelpCompletion(t *testing.T) {
	h := newHome(t, "")
	if out := h.ok("--version"); !strings.Contains(out, "byline") {
		t.Errorf("--version: %q", out)
	}
	help := h.ok("help")
	for _, cmd := range []string{"add", "remove", "import", "export", "refresh", "feeds", "list", "search", "mark", "purge"} {
		if !strings.Contains(help, cmd) {
			t.Errorf("help does not list %s", cmd)
		}
		if out := h.ok(cmd, "--help"); !strings.Contains(out, cmd) {
			t.Errorf("%s --help: %q", cmd, out)
		}
	}
	for shell, marker := range map[string]string{"bash": "complete", "zsh": "#compdef", "fish": "complete -c byline"} {
		if out := h.ok("completion", shell); !strings.Contains(out, marker) {
			t.Errorf("completion %s lacks %q", shell, marker)
		}
	}
	if out := h.ok("man"); !strings.Contains(out, ".TH") {
		t.Errorf("man page: %.200q", out)
	}
	h.fails("list", "--no-such-flag")
	h.fails("no-such-command")
}

// TestReleaseStampIsShown: the harness builds byline with the -ldflags
// .goreleaser.yaml sets; --version shows all three.
func TestReleaseStampIsShown(t *testing.T) {
	out := newHome(t, "").ok("--version")
	for _, want := range []string{releaseVersion, releaseDate, releaseCommit[:7]} {
		if !strings.Contains(out, want) {
			t.Errorf("byline --version printed %q, want %s in it", out, want)
		}
	}
}

func TestBadConfigIsAClearError(t *testing.T) {
	h := newHome(t, "# none\n")
	h.write("config.toml", "jobs = 8\njobz = 3\n")
	if errOut := h.fails("list"); !strings.Contains(errOut, "jobz") || !strings.Contains(errOut, "2") {
		t.Errorf("unknown key: %q", errOut)
	}
}

func TestCorruptDatabaseIsNeverReplaced(t *testing.T) {
	h := newHome(t, "# none\n")
	junk := []byte(strings.Repeat("this is not sqlite ", 400))
	if err := os.WriteFile(h.db(), junk, 0o644); err != nil {
		t.Fatal(err)
	}
	errOut := h.fails("list")
	if !strings.Contains(errOut, h.db()) {
		t.Errorf("error does not name the file: %q", errOut)
	}
	if b, _ := os.ReadFile(h.db()); string(b) != string(junk) {
		t.Error("the damaged database was modified")
	}
}
