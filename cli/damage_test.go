package cli_test

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bylinehq/byline/bench/feedserver"
	_ "modernc.org/sqlite"
)

// damagedHome is a home whose cache has read and starred articles and then
// a few of its pages overwritten, as a failing disk or a stray write does:
// a leaf of the index refresh looks items up in, a leaf of the article
// text and a leaf of the articles themselves.
func damagedHome(t *testing.T) (*feedserver.Server, *home) {
	t.Helper()
	srv, h := feedHome(t, feedserver.Options{Feeds: 8, Items: 40, ItemWords: 120, Seed: 11})
	h.ok("refresh")
	articles := h.list()
	if len(articles) != 320 {
		t.Fatalf("stored %d articles, want 320", len(articles))
	}
	var read, starred []string
	for i, a := range articles {
		if i%3 == 0 {
			read = append(read, itoa(a.ID))
		}
		if i%7 == 0 {
			starred = append(starred, itoa(a.ID))
		}
	}
	h.ok(append([]string{"mark", "read"}, read...)...)
	h.ok(append([]string{"mark", "star"}, starred...)...)

	db := openRaw(t, h.db())
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	var pages []int64
	for _, tree := range []string{"articles_guid", "article_text", "articles"} {
		pages = append(pages, middleLeaf(t, db, tree))
	}
	db.Close()
	overwritePages(t, h.db(), pages)

	return srv, h
}

// readableStates reads the state of every article of the damaged cache
// whose flags can still be read, by id: from its row, or from the index of
// each feed's articles when the index of guids or of links ties them to
// an item.
func readableStates(t *testing.T, h *home) map[int64]articleState {
	t.Helper()
	db := openRaw(t, h.db())
	defer db.Close()
	var maxID int64
	if err := db.QueryRow("SELECT seq FROM sqlite_sequence WHERE name = 'articles'").Scan(&maxID); err != nil {
		t.Fatal(err)
	}
	var feedIDs []int64
	for _, f := range h.feeds() {
		feedIDs = append(feedIDs, f.ID)
	}
	readable := map[int64]articleState{}
	rowsLost := 0
	for id := int64(1); id <= maxID; id++ {
		var s articleState
		if err := db.QueryRow("SELECT read, starred FROM articles WHERE id = ?", id).Scan(&s.read, &s.starred); err == nil {
			readable[id] = s
			continue
		}
		rowsLost++
		for _, f := range feedIDs {
			var guid string
			err := db.QueryRow("SELECT read, starred FROM articles INDEXED BY articles_feed WHERE feed_id = ? AND id = ?", f, id).Scan(&s.read, &s.starred)
			if err == nil && (db.QueryRow("SELECT guid FROM articles INDEXED BY articles_guid WHERE feed_id = ? AND id = ?", f, id).Scan(&guid) == nil ||
				db.QueryRow("SELECT url FROM articles INDEXED BY articles_url WHERE url > '' AND id = ?", id).Scan(&guid) == nil) {
				readable[id] = s
			}
		}
	}
	if rowsLost == 0 || len(readable) < 200 {
		t.Fatalf("the damage should cost some article rows, not most: %d rows lost, %d articles' flags readable", rowsLost, len(readable))
	}
	return readable
}

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// middleLeaf is the page number of a leaf in the middle of a b-tree.
func middleLeaf(t *testing.T, db *sql.DB, tree string) int64 {
	t.Helper()
	rows, err := db.Query("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path", tree)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var leaves []int64
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		leaves = append(leaves, p)
	}
	if len(leaves) < 3 {
		t.Fatalf("%s has %d leaves; the test needs more articles", tree, len(leaves))
	}
	return leaves[len(leaves)/2]
}

// overwritePages fills whole pages of the file with a pattern.
func overwritePages(t *testing.T, path string, pages []int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const pageSize = 4096
	junk := bytes.Repeat([]byte("\xde\xad\xbe\xef"), pageSize/4)
	for _, p := range pages {
		if _, err := f.WriteAt(junk, (p-1)*pageSize); err != nil {
			t.Fatal(err)
		}
	}
}

// damageAdvice checks that a failing command names the cache and says how
// to repair it.
func damageAdvice(t *testing.T, h *home, r result, args ...string) {
	t.Helper()
	if r.code == 0 {
		return
	}
	// However the message is laid out, the path and the advice are in it.
	stderr := strings.Join(strings.Fields(r.stderr), " ")
	if !strings.Contains(stderr, h.db()) || !strings.Contains(stderr, "byline purge --repair") {
		t.Errorf("byline %s: exit %d, stderr does not name %s and the repair:\n%s", strings.Join(args, " "), r.code, h.db(), r.stderr)
	}
}

// Issue 10, item 6: with a few pages of the cache overwritten, refresh
// failed with "database disk image is malformed (11)" and no path or
// advice. Every command that fails names the file and the way out, and
// `purge --repair` saves every read and starred flag that can still be
// read, under the same article IDs, into a new cache, keeping the damaged
// file beside it.
func TestDamagedCacheIsNamedAndRepaired(t *testing.T) {
	srv, h := damagedHome(t)

	srv.Bump() // every feed has a new item, so the refresh writes
	r := h.run("refresh")
	if r.code == 0 {
		t.Errorf("refresh of a damaged cache exited 0:\n%s", r.stdout)
	}
	damageAdvice(t, h, r, "refresh")
	for _, args := range [][]string{{"list"}, {"feeds"}, {"search", "the"}, {"list", "--starred"}, {"mark", "read", "--all"}} {
		damageAdvice(t, h, h.run(args...), args...)
	}

	readable := readableStates(t, h) // the failed refresh may have stored some
	out := h.ok("purge", "--repair")
	backups, _ := filepath.Glob(h.db() + ".damaged-*")
	if len(backups) != 1 || !strings.Contains(out, backups[0]) {
		t.Fatalf("want one backup beside the cache, named in the output; got %v:\n%s", backups, out)
	}
	if !strings.Contains(out, strconv.Itoa(len(readable))+" articles") {
		t.Errorf("the report does not say %d articles were saved:\n%s", len(readable), out)
	}
	checkIntegrity(t, h.db())
	got := map[int64]articleState{}
	for _, a := range h.list() {
		got[a.ID] = articleState{a.Read, a.Starred}
	}
	for id, want := range readable {
		if g, ok := got[id]; !ok || g != want {
			t.Errorf("article %d: %+v after the repair (kept: %v), %+v before", id, g, ok, want)
		}
	}
	for id := range got {
		if _, ok := readable[id]; !ok {
			t.Errorf("article %d saved but not readable by id in the damaged file", id)
		}
	}
	if len(got) != len(readable) {
		t.Errorf("%d articles after the repair, %d were readable", len(got), len(readable))
	}
	// Search works on the saved articles, and the next refresh brings back
	// what the damage took, as new. Which pages the damage hit is random:
	// an article rebuilt from the indexes alone has no title until then.
	searched := false
	for _, a := range h.list() {
		words := strings.Fields(a.Title)
		if len(words) == 0 {
			continue
		}
		if hits := h.ok("search", words[0]); !strings.Contains(hits, a.Title) {
			t.Errorf("search %q after the repair does not find %q:\n%s", words[0], a.Title, hits)
		}
		searched = true
		break
	}
	if !searched {
		t.Logf("the damage took every title of the %d saved articles: search not checked", len(got))
	}
	h.ok("refresh")
	after := h.list()
	if len(after) < 320 {
		t.Errorf("%d articles after the next refresh; want the 320 less those the feeds no longer carry, plus 8 new", len(after))
	}
	// Articles rebuilt from the indexes get their titles back from the
	// feeds, all but those the feeds dropped with the bump (one each).
	untitled := 0
	for _, a := range after {
		if a.Title == "" {
			untitled++
		}
	}
	if untitled > 8 {
		t.Errorf("%d articles still have no title after the refresh", untitled)
	}
	checkIntegrity(t, h.db())
}
