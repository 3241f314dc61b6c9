package cache

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bylinehq/byline/news"
)

// damagedCache is a cache of 400 articles in 4 feeds, every third read and
// every seventh starred, closed with pages of the named b-trees
// overwritten: the middle leaf of each, or its root when root is set.
func damagedCache(t *testing.T, trees []string, root bool) (path string, want map[int64]articleState) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "byline.db")
	s := mustOpenPath(t, path)
	ids := subscribe(t, s, urls(4)...)
	for f, items := range damagedCacheItems() {
		mustSave(t, s, ids[f], okResult(items...))
	}
	mustIndex(t, s)
	var readIDs, starIDs []int64
	for i := int64(1); i <= 400; i++ {
		if i%3 == 0 {
			readIDs = append(readIDs, i)
		}
		if i%7 == 0 {
			starIDs = append(starIDs, i)
		}
	}
	if err := s.SetRead(ctx, readIDs, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, starIDs, true); err != nil {
		t.Fatal(err)
	}
	var pages []int64
	for _, tree := range trees {
		query := "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path"
		if root {
			query = "SELECT rootpage FROM sqlite_schema WHERE name = ?"
		}
		leaves := queryInts(t, s.db, query, tree)
		if len(leaves) == 0 {
			t.Fatalf("%s: no pages", tree)
		}
		pages = append(pages, leaves[len(leaves)/2])
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	corruptPages(t, path, pages)

	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// An article's flags can still be read from its row, or from the
	// index of each feed's articles when the index of guids or of links
	// still ties them to an item.
	want = map[int64]articleState{}
	for id := int64(1); id <= 400; id++ {
		var st articleState
		if err := raw.QueryRow("SELECT read, starred FROM articles WHERE id = ?", id).Scan(&st.read, &st.starred); err == nil {
			want[id] = st
			continue
		}
		feedID := ids[(id-1)/100]
		var guid string
		err := raw.QueryRow("SELECT read, starred FROM articles INDEXED BY articles_feed WHERE feed_id = ? AND id = ?", feedID, id).Scan(&st.read, &st.starred)
		if err == nil && (raw.QueryRow("SELECT guid FROM articles INDEXED BY articles_guid WHERE feed_id = ? AND id = ?", feedID, id).Scan(&guid) == nil ||
			raw.QueryRow("SELECT url FROM articles INDEXED BY articles_url WHERE url > '' AND id = ?", id).Scan(&guid) == nil) {
			want[id] = st
		}
	}
	return path, want
}

// damagedCacheItems are the items of damagedCache's four feeds.
func damagedCacheItems() [][]news.Item {
	g := newTextGen(6)
	feeds := make([][]news.Item, 4)
	for f := range feeds {
		for i := range 100 {
			feeds[f] = append(feeds[f], g.item(fmt.Sprintf("f%d-%d", f, i), day0))
		}
	}
	return feeds
}

type articleState struct{ read, starred bool }

func queryInts(t *testing.T, db *sql.DB, query string, args ...any) []int64 {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := closeRows(rows); err != nil {
		t.Fatal(err)
	}
	return out
}

func corruptPages(t *testing.T, path string, pages []int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := bytes.Repeat([]byte{0x5a, 0xa5}, pageSize/2)
	for _, p := range pages {
		if _, err := f.WriteAt(junk, (p-1)*pageSize); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDamageErrorsNameTheFileAndTheRepair(t *testing.T) {
	path, _ := damagedCache(t, []string{"articles"}, false)
	s := mustOpenPath(t, path)
	_, err := s.Articles(ctx, news.Filter{})
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "byline purge --repair") {
		t.Fatalf("Articles on a damaged cache: %v", err)
	}
	if sqliteCode(err) == 0 {
		t.Errorf("%v no longer wraps the SQLite error", err)
	}
}

func TestRepairSavesEveryReadableRow(t *testing.T) {
	for _, tt := range []struct {
		name  string
		trees []string
		root  bool
	}{
		{"a leaf of each table", []string{"articles", "article_text", "feed_tags", "articles_guid", "articles_fts_data"}, false},
		{"the root of the articles", []string{"articles"}, true},
		{"the roots of the indexes", []string{"articles_guid", "articles_published", "articles_fts_idx"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path, want := damagedCache(t, tt.trees, tt.root)
			report, err := Repair(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if report.Articles != len(want) || report.Lost != 400-len(want) || report.Feeds != 4 || report.Restored > report.Articles {
				t.Errorf("report %+v; %d articles were readable", report, len(want))
			}
			if _, err := os.Stat(report.Backup); err != nil || filepath.Dir(report.Backup) != filepath.Dir(path) {
				t.Errorf("backup %q: %v", report.Backup, err)
			}
			for _, leftover := range []string{path + ".repairing", path + "-wal"} {
				if _, err := os.Stat(leftover); err == nil {
					t.Errorf("%s left behind", leftover)
				}
			}
			s := mustOpenPath(t, path)
			integrityCheck(t, s.db)
			assertCountersMatchRows(t, s)
			got := map[int64]articleState{}
			for _, a := range mustArticles(t, s, news.Filter{}) {
				got[a.ID] = articleState{a.Read, a.Starred}
			}
			for id, st := range want {
				if g, ok := got[id]; !ok || g != st {
					t.Errorf("article %d: %+v (kept %v), want %+v", id, g, ok, st)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d articles, %d were readable", len(got), len(want))
			}
			// The search index is whole again, and the ids of lost
			// articles are not handed out again.
			if word := titleWord(t, s); word != "" && len(mustSearch(t, s, word)) == 0 {
				t.Errorf("search for %q finds nothing after the repair", word)
			}
			// The feeds, refreshed, give back what the repair could not
			// read: the articles keep their ids and flags, and none is
			// stored twice.
			for f, items := range damagedCacheItems() {
				mustSave(t, s, feedIDs(t, s)[f], okResult(items...))
			}
			for _, a := range mustArticles(t, s, news.Filter{}) {
				if st, ok := want[a.ID]; a.Title == "" || (ok && st != (articleState{a.Read, a.Starred})) {
					t.Errorf("after a refresh, article %d %q is %+v, want %+v", a.ID, a.Title, articleState{a.Read, a.Starred}, st)
				}
			}
			if n := mustCount(t, s, news.Filter{}); n != 400 {
				t.Errorf("%d articles after the refresh, want the 400", n)
			}
			mustSave(t, s, feedIDs(t, s)[0], okResult(item("after-repair", 1)))
			if a := articleByGUID(t, s, "after-repair"); a.ID <= 400 {
				t.Errorf("a new article got id %d, which a lost one may have had", a.ID)
			}
		})
	}
}

// titleWord is a word of the title of an article that has one, or "".
func titleWord(t *testing.T, s *Store) string {
	t.Helper()
	for _, a := range mustArticles(t, s, news.Filter{}) {
		if words := strings.Fields(a.Title); len(words) > 0 {
			return words[0]
		}
	}
	return ""
}

func TestRepairRefusesWhileAnotherProcessHasTheCacheOpen(t *testing.T) {
	path, _ := damagedCache(t, []string{"articles"}, false)
	other := mustOpenPath(t, path) // a reader left running
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Repair(ctx, path); err == nil || !strings.Contains(err.Error(), "close it") {
		t.Fatalf("Repair with the cache open elsewhere: %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("the damaged file changed")
	}
	if matches, _ := filepath.Glob(path + ".*"); len(matches) != 0 {
		t.Errorf("left behind: %v", matches)
	}
	other.Close()
}

func TestRepairRefusesAnotherProgramsDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE notes (x); PRAGMA application_id = 7"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Repair(ctx, path); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "move it aside") {
		t.Fatalf("Repair of another program's database: %v", err)
	}
	if matches, _ := filepath.Glob(path + ".*"); len(matches) != 0 {
		t.Errorf("left behind: %v", matches)
	}
}
