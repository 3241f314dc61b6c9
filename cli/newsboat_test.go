package cli_test

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// newsboatTUI is a real newsboat in a terminal, driven by its keys and
// read from its screen: the only way newsboat tells what its query feeds
// hold.
type newsboatTUI struct{ *terminal }

// startNewsboat runs newsboat on dir's urls, a copy of its config that
// adds only how the lists are drawn (and no refresh: the cache is made
// already), and cache.
func startNewsboat(t *testing.T, dir, cache string) newsboatTUI {
	t.Helper()
	config, err := os.ReadFile(filepath.Join(dir, "config"))
	if err != nil {
		t.Fatal(err)
	}
	config = append(config, "\n"+`feedlist-format "@@%t@@%U@@%c@@"`+"\n"+`articlelist-format "@@%t@@"`+"\n"+
		"refresh-on-startup no\nauto-reload no\n"...)
	screenConfig := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(screenConfig, config, 0o644); err != nil {
		t.Fatal(err)
	}
	nb := newsboatTUI{startTerminal(t, newsboatEnv(t), 200, 60,
		"newsboat", "-u", filepath.Join(dir, "urls"), "-C", screenConfig, "-c", cache)}
	nb.waitFor("Your feeds")
	return nb
}

// newsboatEnv is the environment newsboat (and its tmux) run in: a home
// of their own, and no proxy for the loopback feeds; byline's testEnv
// points the proxies at a closed port, which curl would use even for
// 127.0.0.1.
func newsboatEnv(t *testing.T) []string {
	return []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "TERM=xterm-256color"}
}

var newsboatRow = regexp.MustCompile(`^@@(.*)@@(\d+)@@(\d+)@@\s*$`)

// feeds reads the feed list: "Title (unread/total)", as the test of the
// migration writes byline's.
func (nb newsboatTUI) feeds() []string {
	nb.t.Helper()
	var rows []string
	for _, line := range nb.waitFor("Your feeds")[1:] {
		if m := newsboatRow.FindStringSubmatch(line); m != nil {
			rows = append(rows, fmt.Sprintf("%s (%s/%s)", m[1], m[2], m[3]))
		}
	}
	return rows
}

// articles opens the feed list's row-th row (from 0, the cursor on the
// first row) and reads the titles it lists, sorted; it leaves the cursor
// on that row.
func (nb newsboatTUI) articles(row int, title string) []string {
	nb.t.Helper()
	nb.keys("Home")
	for range row {
		nb.keys("Down")
	}
	nb.keys("Enter")
	var titles []string
	for _, line := range nb.waitFor("Articles in feed '" + title + "'")[1:] {
		if t, ok := strings.CutPrefix(strings.TrimRight(line, " "), "@@"); ok {
			titles = append(titles, strings.TrimSuffix(t, "@@"))
		}
	}
	nb.keys("q")
	nb.waitFor("Your feeds")
	slices.Sort(titles)
	return titles
}

// quit ends newsboat, which writes what was marked to its cache.
func (nb newsboatTUI) quit() {
	nb.t.Helper()
	nb.keys("q")
	nb.waitExit()
}

// newsboatStored is what newsboat's cache holds: the titles it kept, and
// those it has read.
func newsboatStored(t *testing.T, cache string) (kept, read []string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+cache+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT title, unread FROM rss_item WHERE deleted = 0 ORDER BY title`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var title string
		var unread bool
		if err := rows.Scan(&title, &unread); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, title)
		if !unread {
			read = append(read, title)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return kept, read
}

// bylineFeeds is byline's feed list written as newsboatTUI.feeds writes
// newsboat's, and which of its rows are query feeds.
func bylineFeeds(h *home) (rows []string, queries map[int]string) {
	var feeds []queryFeedRow
	h.json(&feeds, "feeds")
	queries = map[int]string{}
	for i, f := range feeds {
		rows = append(rows, fmt.Sprintf("%s (%d/%d)", f.Title, f.Unread, f.Total))
		if f.Query {
			queries[i] = f.Title
		}
	}
	return rows, queries
}

// The migration's fixture, given to the real newsboat and to byline alike
// (the same urls and config, the same feeds on the same server): both keep
// the same articles after the ignore-article rules, list the same feeds
// and query feeds with the same counts, and hold the same articles in each
// query feed, before and after one is read in each. TestNewsboatMigration
// checks byline against figures written down from newsboat; this asks
// newsboat itself, when it is installed (and tmux, to read its screen).
func TestNewsboatAgrees(t *testing.T) {
	needTools(t, "newsboat", "tmux")
	nb := newsboatFixture(t)
	cache := filepath.Join(t.TempDir(), "cache.db")
	reload := exec.Command("newsboat", "-u", filepath.Join(nb, "urls"), "-C", filepath.Join(nb, "config"), "-c", cache, "-x", "reload")
	reload.Env = newsboatEnv(t)
	if out, err := reload.CombinedOutput(); err != nil {
		t.Fatalf("newsboat -x reload: %v\n%s", err, out)
	}
	if out, _ := exec.Command("newsboat", "-v").Output(); len(out) > 0 {
		t.Logf("%s", strings.SplitN(string(out), "\n", 2)[0])
	}

	h := newHome(t, "")
	h.ok("migrate", nb)
	h.ok("refresh")

	kept, _ := newsboatStored(t, cache)
	if len(kept) == 0 {
		t.Fatal("newsboat kept nothing: did its reload reach the server?")
	}
	if got := articleTitles(h.list()); !slices.Equal(got, kept) {
		t.Errorf("byline stored %q\nnewsboat kept %q", got, kept)
	}

	compare := func(when string) {
		t.Helper()
		screen := startNewsboat(t, nb, cache)
		want := screen.feeds()
		got, queries := bylineFeeds(h)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: byline's feeds %q\nnewsboat's %q", when, got, want)
		}
		if len(queries) < 6 {
			t.Fatalf("%s: byline lists %d query feeds, the fixture has 6", when, len(queries))
		}
		for row, title := range queries {
			want := screen.articles(row, title)
			if got := articleTitles(h.list("--feed", title)); !slices.Equal(got, want) {
				t.Errorf("%s: query feed %q: byline %q\nnewsboat %q", when, title, got, want)
			}
		}
		screen.quit()
	}
	compare("after the reload")

	// Read the first article of "Tech unread" in newsboat, the same one in
	// byline: the query feeds follow in both.
	screen := startNewsboat(t, nb, cache)
	_, queries := bylineFeeds(h)
	row := -1
	for r, title := range queries {
		if title == "Tech unread" {
			row = r
		}
	}
	if row < 0 {
		t.Fatalf("byline has no Tech unread: %v", queries)
	}
	screen.keys("Home")
	for range row {
		screen.keys("Down")
	}
	screen.keys("Enter")
	screen.waitFor("Articles in feed 'Tech unread'")
	screen.keys("N") // toggle-article-read
	screen.keys("q")
	screen.waitFor("Your feeds")
	screen.quit()
	_, read := newsboatStored(t, cache)
	if len(read) != 1 {
		t.Fatalf("newsboat read %q, want one article", read)
	}
	for _, a := range h.list() {
		if a.Title == read[0] {
			h.ok("mark", "read", strconv.FormatInt(a.ID, 10))
		}
	}
	compare("after reading " + strconv.Quote(read[0]))
}
