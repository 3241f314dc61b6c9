package cli_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// queryFeedRow is a feeds --json row with the query feed fields.
type queryFeedRow struct {
	feedRow
	Query  bool   `json:"query"`
	Filter string `json:"filter"`
}

func articleTitles(rows []articleRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Title
	}
	slices.Sort(out)
	return out
}

// Query feeds from the urls file, in newsboat's syntax: listed by feeds,
// read by list --feed and mark --feed, and always current.
func TestQueryFeeds(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/world.rss news\n"+
		srv.URL+"/tech.atom tech \"~My Tech\"\n"+
		"# virtual feeds\n"+
		`"query:Tech unread:unread = \"yes\" and tags # \"tech\"" daily`+"\n"+
		`"query:Weather:title =~ \"storm|glacier\""`+"\n"+
		`"query:Broken:title =~ \"[[\""`+"\n")
	r := h.run("refresh")
	if r.code != 0 {
		t.Fatalf("refresh: %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, `urls:6: query feed "Broken": filter expression: column 10: bad regular expression`) {
		t.Errorf("the broken query feed's warning does not point at it:\n%s", r.stderr)
	}

	var feeds []queryFeedRow
	h.json(&feeds, "feeds")
	byTitle := map[string]queryFeedRow{}
	for _, f := range feeds {
		byTitle[f.Title] = f
	}
	tech, weather := byTitle["Tech unread"], byTitle["Weather"]
	if len(feeds) != 4 || !tech.Query || !weather.Query || byTitle["My Tech"].Query {
		t.Fatalf("feeds --json: %+v", feeds)
	}
	if tech.Filter != `unread = "yes" and tags # "tech"` || !slices.Equal(tech.Tags, []string{"daily"}) || tech.ID != 0 ||
		tech.Unread != 2 || tech.Total != 2 || tech.LastSuccess != nil || tech.URL != `query:Tech unread:`+tech.Filter {
		t.Errorf("Tech unread: %+v", tech)
	}
	if weather.Unread != 2 || weather.Total != 2 {
		t.Errorf("Weather: %+v", weather)
	}
	if table := h.ok("feeds"); !strings.Contains(table, "Tech unread") || !strings.Contains(table, `query: unread = "yes"`) {
		t.Errorf("feeds table:\n%s", table)
	}

	got := h.list("--feed", "Tech unread")
	if want := []string{"A compiler learns new tricks", "Why terminals still matter"}; !slices.Equal(articleTitles(got), want) {
		t.Fatalf("list --feed \"Tech unread\": %q, want %q", articleTitles(got), want)
	}
	// A mark changes the query feed at once.
	h.ok("mark", "read", itoa(got[0].ID))
	if r := h.run("list", "--feed", "0"); r.code == 0 {
		t.Errorf("--feed 0 named a query feed: %s", r.stdout)
	}
	if again := h.list("--feed", "tech UNREAD"); len(again) != 1 || again[0].ID != got[1].ID {
		t.Errorf("after marking one read: %+v", again)
	}
	h.json(&feeds, "feeds")
	for _, f := range feeds {
		if f.Title == "Tech unread" && (f.Unread != 1 || f.Total != 1) {
			t.Errorf("feeds after the mark: %+v", f)
		}
	}
	if n := strings.TrimSpace(h.ok("list", "--feed", "Weather", "--count")); n != "2" {
		t.Errorf("list --feed Weather --count = %s", n)
	}
	// --filter is the same language, alone or with a query feed.
	if rows := h.list("--filter", `title =~ "storm" or feedtitle = "My Tech"`); len(rows) != 3 {
		t.Errorf("list --filter: %q", articleTitles(rows))
	}
	if rows := h.list("--feed", "Weather", "--filter", `title !~ "glacier"`); len(rows) != 1 || rows[0].Title != "Harbour reopens after storm" {
		t.Errorf("list --feed Weather --filter: %q", articleTitles(rows))
	}
	if msg := h.fails("list", "--filter", `title =~ "x" and nosuch = 1`); !mentions(msg, `column 18: unknown attribute "nosuch"`) {
		t.Errorf("a bad --filter: %s", msg)
	}
	if out := h.ok("mark", "read", "--all", "--feed", "Weather"); !strings.Contains(out, "Marked 2 articles read") {
		t.Errorf("mark read --all --feed Weather: %s", out)
	}
	if rows := h.list("--unread"); len(rows) != 2 {
		t.Errorf("unread after marking the query feed read: %q", articleTitles(rows))
	}
	// remove takes a query feed's name like any feed's; the rest of the
	// file stays as it was.
	before := h.read("urls")
	h.ok("remove", "Weather")
	if after := h.read("urls"); after != strings.Replace(before, `"query:Weather:title =~ \"storm|glacier\""`+"\n", "", 1) {
		t.Errorf("urls after removing the query feed:\n%s", after)
	}
}

// [[ignore]] rules keep what they match out of the cache; refresh says how
// many it ignored, every time.
func TestIgnoreRules(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/world.rss news\n"+srv.URL+"/tech.atom tech\n")
	h.write("config.toml", `[[ignore]]
feed = "*"
match = 'title =~ "rail strike"'

[[ignore]]
feed = "Tech Notes"        # by the title the feed gives itself
match = 'title =~ "^why" and tags # "tech"'

[[ignore]]
feed = "`+srv.URL+`/world.rss"
match = 'author = "nobody at all"'
`)
	for range 2 {
		out := h.ok("refresh")
		if !strings.Contains(out, "2 ignored") {
			t.Errorf("refresh does not report the ignored articles:\n%s", out)
		}
	}
	titles := articleTitles(h.list())
	if want := []string{"A compiler learns new tricks", "Glaciers retreat faster than forecast", "Harbour reopens after storm"}; !slices.Equal(titles, want) {
		t.Errorf("stored %q, want %q", titles, want)
	}
	h.write("config.toml", "[[ignore]]\nfeed = \"*\"\n\nmatch = 'title =~ \"x\" or titel = 1'\n")
	if msg := h.fails("refresh"); !mentions(msg, `config.toml:4: ignore.match: column 17: unknown attribute "titel"`) {
		t.Errorf("a bad rule: %s", msg)
	}
}

// [[feed]] settings, and the older [feeds."URL"] form, apply to their
// feed alone.
func TestPerFeedSettings(t *testing.T) {
	var mu sync.Mutex
	agents := map[string]string{}
	files := fixtureServer(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.URL.Path] = r.UserAgent()
		mu.Unlock()
		http.Redirect(w, r, files.URL+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	h := newHome(t, srv.URL+"/world.rss\n"+srv.URL+"/tech.atom\n")
	h.write("config.toml", `user-agent = "byline-e2e"

[[feed]]
url = "`+srv.URL+`/world.rss"
user-agent = "Mozilla/5.0 (compatible; e2e)"
max-items = 2
reload = "15m"
browser = "true"

[feeds."`+srv.URL+`/tech.atom"]
full-text = "never"
keep-days = 1
`)
	h.ok("refresh")
	mu.Lock()
	if agents["/world.rss"] != "Mozilla/5.0 (compatible; e2e)" || agents["/tech.atom"] != "byline-e2e" {
		t.Errorf("User-Agents: %v", agents)
	}
	mu.Unlock()
	if n := strings.TrimSpace(h.ok("list", "--feed", "World Desk", "--count")); n != "2" {
		t.Errorf("World Desk with max-items 2 keeps %s articles", n)
	}
	if n := strings.TrimSpace(h.ok("list", "--feed", "Tech Notes", "--count")); n != "2" {
		t.Errorf("Tech Notes keeps %s articles", n)
	}
	// Its keep-days takes Tech Notes' read articles (all older than a
	// day) at the next refresh, and for good, but not its starred one;
	// World Desk, without one, keeps what was read.
	starred := h.list("--feed", "Tech Notes")[0]
	h.ok("mark", "star", itoa(starred.ID))
	h.ok("mark", "read", "--all")
	for i := range 2 {
		h.ok("refresh")
		if tech := h.list("--feed", "Tech Notes"); len(tech) != 1 || tech[0].ID != starred.ID {
			t.Errorf("refresh %d: Tech Notes with keep-days 1 keeps %q, want only the starred %q", i+1, articleTitles(tech), starred.Title)
		}
		if n := strings.TrimSpace(h.ok("list", "--feed", "World Desk", "--count")); n != "2" {
			t.Errorf("refresh %d: World Desk keeps %s of its read articles, want 2", i+1, n)
		}
	}
	h.write("config.toml", "[[feed]]\nurl = \""+srv.URL+"/world.rss\"\nmax-itemz = 2\n")
	if msg := h.fails("feeds"); !mentions(msg, `config.toml:3: unknown key "max-itemz" in [[feed]] (did you mean "max-items"?)`) {
		t.Errorf("a typo in [[feed]]: %s", msg)
	}
}

// mentions reports whether an error message says text, however the
// terminal styling wrapped or cased it.
func mentions(msg, text string) bool {
	squeeze := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	return strings.Contains(squeeze(msg), squeeze(text))
}

// The README's examples of the new keys load as they are written.
func TestReadmeConfigExamplesLoad(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(readme), "```toml\n")
	if len(blocks) < 2 {
		t.Fatal("the README has no toml examples")
	}
	for i, block := range blocks[1:] {
		example := block[:strings.Index(block, "```")]
		h := newHome(t, "byline:welcome\n")
		h.write("config.toml", example)
		if r := h.run("feeds"); r.code != 0 {
			t.Errorf("README toml example %d does not load:\n%s\n%s", i+1, example, r.stderr)
		}
	}
}

// newsboatFixture serves testdata/newsboat's feeds and writes its urls and
// config, pointed at the server, into a newsboat directory.
func newsboatFixture(t *testing.T) (dir string) {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join("testdata", "newsboat"))))
	t.Cleanup(srv.Close)
	dir = t.TempDir()
	for _, name := range []string{"urls", "config"} {
		b, err := os.ReadFile(filepath.Join("testdata", "newsboat", name))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(b), "HOST", strings.TrimPrefix(srv.URL, "http://"))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A newsboat user's urls and config (tags, ~ names, query feeds,
// ignore-article rules) migrate: byline then shows the feeds, the query
// feeds and their counts, and hides the articles, that newsboat 2.21 does
// with the same two files (run by hand on this fixture: its feeds screen
// said LWN, Tech Blog (renamed) and World News (3/3) each; the query feeds
// (3/3), (3/3), (3/3), (3/3), (7/7), (3/3); its cache kept the nine
// titles below). TestNewsboatAgrees asks the installed newsboat itself.
func TestNewsboatMigration(t *testing.T) {
	nb := newsboatFixture(t)
	h := newHome(t, "")
	out := h.ok("migrate", nb)
	for _, want := range []string{"3 feeds, 6 query feeds", "ignore-article rules",
		"color: byline has no such setting", "bind-key: byline has no such setting", "articlelist-format"} {
		if !strings.Contains(out, want) {
			t.Errorf("migrate's report does not say %q:\n%s", want, out)
		}
	}
	settings := h.read("config.toml")
	for _, want := range []string{`reload-every = '30m0s'`, `max-items = 100`, `browser = 'firefox --new-tab %u'`,
		`notify-command = ['~/bin/notify']`, `match = 'title =~ "^\[\$\]"'`, "[[ignore]]\nfeed = '*'\nmatch = 'author =~ \"spammer\"'"} {
		if !strings.Contains(settings, want) {
			t.Errorf("config.toml lacks %q:\n%s", want, settings)
		}
	}
	if h.read("urls") != mustRead(t, filepath.Join(nb, "urls")) {
		t.Error("the urls file was not copied as it is")
	}
	if r := h.run("migrate", nb); r.code == 0 || !mentions(r.stderr, "has newsboat's settings already") {
		t.Errorf("a second migrate: exit %d, %s", r.code, r.stderr)
	}

	if out := h.ok("refresh"); !strings.Contains(out, "9 new articles, 5 ignored") {
		t.Errorf("refresh: %s", out)
	}
	// newsboat's cache held exactly these after its reload.
	stored := []string{"Elections tomorrow", "Go 1.22 is released", "Kernel prepatch 6.9-rc1", "Linux Foundation report",
		"Linux in every school", "Linux on the desktop, again", "Rust and Go, compared", "Security updates for Monday", "Storm hits the coast"}
	if got := articleTitles(h.list()); !slices.Equal(got, stored) {
		t.Errorf("stored %q\nnewsboat kept %q", got, stored)
	}
	var feeds []queryFeedRow
	h.json(&feeds, "feeds")
	var got []string
	for _, f := range feeds {
		got = append(got, fmt.Sprintf("%s (%d/%d)", f.Title, f.Unread, f.Total))
	}
	newsboat := []string{"LWN (3/3)", "Tech Blog (renamed) (3/3)", "World News (3/3)", "Linux everywhere (3/3)", "Tech unread (3/3)",
		"News, not LWN (3/3)", "Security or Ada (3/3)", "Early March (7/7)", "Two words (3/3)"}
	if !slices.Equal(got, newsboat) {
		t.Errorf("byline's feeds:  %q\nnewsboat's:      %q", got, newsboat)
	}
	if got := articleTitles(h.list("--feed", "Security or Ada")); !slices.Equal(got, []string{"Linux Foundation report", "Linux in every school", "Security updates for Monday"}) {
		t.Errorf("Security or Ada: %q", got)
	}
	if got := articleTitles(h.list("--feed", "News, not LWN")); !slices.Equal(got, []string{"Elections tomorrow", "Linux in every school", "Storm hits the coast"}) {
		t.Errorf("News, not LWN: %q", got)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Ignore rules keep a sync account's entries out of the cache as they do
// a fetched feed's (against the live Miniflux the sync tests use).
func TestIgnoreRulesOnSyncedEntries(t *testing.T) {
	m := liveMiniflux(t)
	u := m.newUser(t)
	stories := newStoryServer(t)
	u.subscribe(stories.add("world", 5), "News")
	h := u.syncHome(t, "miniflux", "")
	h.write("config.toml", h.read("config.toml")+"\n[[ignore]]\nfeed = \"world stories\"\nmatch = 'title =~ \"story [13]$\"'\n")
	if out := h.ok("refresh"); !strings.Contains(out, "home: 1 feed, 3 new articles, 2 ignored") {
		t.Fatalf("refresh:\n%s", out)
	}
	if got := articleTitles(h.list("--feed", "world stories")); !slices.Equal(got, []string{"world story 0", "world story 2", "world story 4"}) {
		t.Errorf("stored %q", got)
	}
}

// A feed whose own full-text is true has its new articles' pages kept at
// every refresh, and only its: they read offline.
func TestFeedFullTextKeepsPages(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/stories.rss\n"+srv.URL+"/world.rss\n")
	h.write("config.toml", "[[feed]]\nurl = \""+srv.URL+"/stories.rss\"\nfull-text = true\n")
	out := h.ok("refresh")
	var extracted, failed int
	if _, err := fmt.Sscanf(out[strings.Index(out, "full text: "):], "full text: %d page", &extracted); err != nil {
		t.Fatalf("refresh kept no pages:\n%s", out)
	}
	fmt.Sscanf(out[strings.Index(out, "kept; ")+len("kept; "):], "%d could not", &failed)
	if extracted+failed != 4 || extracted == 0 {
		t.Fatalf("pages of %d + %d articles, want the Stories feed's 4 alone:\n%s", extracted, failed, out)
	}
	var harbour articleRow
	for _, a := range h.list("--feed", "Stories") {
		if a.Title == "Harbour reopens after storm" {
			harbour = a
		}
	}
	srv.Close() // offline from here
	if text := h.ok("read", itoa(harbour.ID)); !strings.Contains(text, "Fishing boats returned to the harbour on Monday") {
		t.Errorf("the kept page does not read offline:\n%s", text)
	}
}

// The reader's a, E and d, in the real binary in a terminal: a finds a
// web page's feed and asks its tags, E edits a feed's tags and name, d
// asks, then removes a feed whose starred article stays; the urls file
// keeps every other line, comments and a query feed included, in order.
func TestReaderEditsFeedList(t *testing.T) {
	needTools(t, "tmux")
	srv := fixtureServer(t)
	urls := "# read every morning\n" +
		srv.URL + "/tech.atom tech \"~Notes\"\n" +
		"\n# stories, for the weekend\n" +
		srv.URL + "/stories.rss\n" +
		`"query:Storms:title =~ \"storm\""` + "\n"
	h := newHome(t, urls)
	h.write("config.toml", "refresh-on-start = false\n")
	h.ok("refresh")
	var starred articleRow
	for _, a := range h.list("--feed", "Notes") {
		if a.Title == "A compiler learns new tricks" {
			starred = a
		}
	}
	h.ok("mark", "star", itoa(starred.ID))

	term := h.startReader()
	term.keys("a")
	term.waitFor("Add the feed at")
	term.typeText(srv.URL + "/blog")
	term.keys("Enter")
	term.waitFor(`Tags (and "~name")`)
	term.typeText(`news "~Found on the blog"`)
	term.keys("Enter")
	// The feed's row, indented: the prompt shows the name as typed before
	// the urls file is written.
	term.waitFor("  Found on the blog")
	added := srv.URL + "/posts.rss news \"~Found on the blog\"\n"
	if got := h.read("urls"); got != urls+added {
		t.Fatalf("urls after a:\n%s", got)
	}

	term.keys("G", "E") // the new feed, the last row
	term.waitFor(`Tags and "~name" of Found on the blog: news "~Found on the blog"`)
	term.keys("C-u")
	term.typeText(`news blog "~The Blog"`)
	term.keys("Enter")
	term.waitFor("Saved the tags and name")
	edited := srv.URL + "/posts.rss news blog \"~The Blog\"\n"
	if got := h.read("urls"); got != urls+edited {
		t.Fatalf("urls after E:\n%s", got)
	}

	term.keys("k", "k", "d") // Notes
	term.waitFor("Remove Notes? Its starred articles stay. (y/n)")
	term.keys("n")
	term.keys("d")
	term.waitFor("Remove Notes?")
	term.keys("y")
	term.waitFor("Removed Notes")
	if got, want := h.read("urls"), strings.Replace(urls, srv.URL+"/tech.atom tech \"~Notes\"\n", "", 1)+edited; got != want {
		t.Fatalf("urls after d:\n%s\nwant:\n%s", got, want)
	}
	term.keys("q")
	term.waitExit()
	if kept := h.list("--starred"); len(kept) != 1 || kept[0].ID != starred.ID {
		t.Errorf("starred after removing Notes: %+v", kept)
	}
	if n := strings.TrimSpace(h.ok("list", "--feed", "The Blog", "--count")); n != "3" {
		t.Errorf("the added feed holds %s articles, want its 3", n)
	}
}

// growingFeed is an RSS feed the test adds items to, counting its
// requests.
type growingFeed struct {
	mu       sync.Mutex
	title    string
	items    int
	requests int
}

func (f *growingFeed) add(n int) {
	f.mu.Lock()
	f.items += n
	f.mu.Unlock()
}

func (f *growingFeed) fetched() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func (f *growingFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title>`, f.title)
	for i := f.items; i > 0; i-- {
		fmt.Fprintf(w, `<item><title>%s item %d</title><guid>%s-%d</guid><link>http://127.0.0.1/%s/%d</link><pubDate>%s</pubDate></item>`,
			f.title, i, f.title, i, f.title, i, time.Date(2026, 11, 1, i, 0, 0, 0, time.UTC).Format(time.RFC1123Z))
	}
	fmt.Fprint(w, `</channel></rss>`)
}

// The real binary left open with reload-every = "1m": at the first look
// a minute on, it refreshes the feeds that are due (not the one whose own
// reload is 10m), lists what came and says so in the status line, and
// runs notify-command with the summary. A minute of waiting: BYLINE_LONG
// only (CI sets it); TestAutoReload tests the same with a fake clock.
func TestReaderAutoReloads(t *testing.T) {
	if !longMode() {
		t.Skip("waits a minute for the reload; BYLINE_LONG=1 runs it")
	}
	needTools(t, "tmux")
	t.Parallel()
	often, seldom := &growingFeed{title: "Often", items: 2}, &growingFeed{title: "Seldom", items: 1}
	mux := http.NewServeMux()
	mux.Handle("/often.rss", often)
	mux.Handle("/seldom.rss", seldom)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h := newHome(t, srv.URL+"/often.rss\n"+srv.URL+"/seldom.rss\n")
	notified := filepath.Join(h.dir, "notified")
	notify := h.script("notify", "printf '%s|' \"$@\" >> "+notified)
	h.write("config.toml", `refresh-on-start = false
reload-every = "1m"
notify-command = ["`+notify+`", "--from", "byline"]

[[feed]]
url = "`+srv.URL+`/seldom.rss"
reload = "10m"
`)
	h.ok("refresh")
	term := h.startReader()
	term.keys("Enter")
	term.waitFor("All articles · 3")
	often.add(2)
	seldom.add(1)

	deadline := time.Now().Add(150 * time.Second)
	for !slices.ContainsFunc(term.screen(), func(line string) bool { return strings.Contains(line, "Reloaded: 2 new in 1 feed") }) {
		if time.Now().After(deadline) {
			t.Fatalf("no reload in %s:\n%s", 150*time.Second, strings.Join(term.screen(), "\n"))
		}
		time.Sleep(time.Second)
	}
	term.waitFor("All articles · 5")
	term.waitFor("Often item 4")
	if n := seldom.fetched(); n != 1 {
		t.Errorf("the feed with reload = \"10m\" was fetched %d times, want only by the refresh before", n)
	}
	if n := often.fetched(); n != 2 {
		t.Errorf("the feed with the global reload-every was fetched %d times, want 2", n)
	}
	waitForFile(t, notified, "--from|byline|2 new in 1 feed|")
	term.keys("q", "q")
	term.waitExit()
}

// A feed's own browser, in the real binary: o on its article runs it, o
// on another feed's runs the global one.
func TestReaderFeedBrowser(t *testing.T) {
	needTools(t, "tmux")
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/tech.atom\n"+srv.URL+"/world.rss\n")
	opened := filepath.Join(h.dir, "opened")
	browser := h.script("browser", `echo "$*" >> `+opened)
	h.write("config.toml", `refresh-on-start = false
browser = "`+browser+` --global %u"

[[feed]]
url = "`+srv.URL+`/tech.atom"
browser = "`+browser+` --tech %u"
`)
	h.ok("refresh")
	term := h.startReader()
	term.keys("Enter") // All: Tech Notes' newest, then World Desk's
	term.waitFor("All articles · 5")
	term.keys("o")
	term.waitFor("Opened http://tech.example/compiler")
	term.keys("j", "o")
	term.waitFor("Opened http://world.example/glaciers")
	waitForFile(t, opened, "--tech http://tech.example/compiler\n--global http://world.example/glaciers\n")
	term.keys("q", "q")
	term.waitExit()
}

// waitForFile waits for a program the reader started, which it does not
// wait for, to have written want to path.
func waitForFile(t *testing.T, path, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if string(b) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s holds %q, want %q", filepath.Base(path), b, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// script writes an executable shell script into the home and returns its
// path.
func (h *home) script(name, body string) string {
	h.t.Helper()
	h.write(name, "#!/bin/sh\n"+body+"\n")
	path := filepath.Join(h.dir, name)
	if err := os.Chmod(path, 0o755); err != nil {
		h.t.Fatal(err)
	}
	return path
}

// startReader opens the reader on the home in a 120×40 terminal.
func (h *home) startReader() *terminal {
	h.t.Helper()
	term := startTerminal(h.t, append(testEnv(h.dir), "TERM=xterm-256color"), 120, 40, bylineBin, "--home", h.dir)
	term.waitFor("Feeds ·")
	return term
}
