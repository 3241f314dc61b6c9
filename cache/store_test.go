package cache

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bylinehq/byline/news"
)

func TestOpenCreatesPrivateDirectoryAndCurrentSchema(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "byline")
	s := mustOpenPath(t, filepath.Join(dir, "byline.db"))
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode %o, want 700", perm)
	}
	migrations, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	var version, appID int
	var mode string
	err = s.db.QueryRow("SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id), (SELECT journal_mode FROM pragma_journal_mode)").
		Scan(&version, &appID, &mode)
	if err != nil {
		t.Fatal(err)
	}
	if version != len(migrations) || appID != applicationID || mode != "wal" {
		t.Errorf("user_version %d application_id %#x journal_mode %s; want %d %#x wal", version, appID, mode, len(migrations), applicationID)
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?b#c%20d e", "byline.db")
	s := mustOpenPath(t, path)
	subscribe(t, s, urls(1)...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the path given: %v", err)
	}
	if got := feedIDs(t, mustOpenPath(t, path)); len(got) != 1 {
		t.Errorf("reopened cache has %d feeds, want 1", len(got))
	}
}

func TestLoadMigrationsChecksNumbering(t *testing.T) {
	embedded, err := loadMigrations(migrationFiles)
	if err != nil || len(embedded) == 0 {
		t.Fatalf("embedded migrations: %d, %v", len(embedded), err)
	}
	for name, files := range map[string]fstest.MapFS{
		"gap":      {"migrations/0001_a.sql": {}, "migrations/0003_c.sql": {}},
		"repeat":   {"migrations/0001_a.sql": {}, "migrations/0001_b.sql": {}},
		"bad name": {"migrations/first.sql": {}},
	} {
		if _, err := loadMigrations(files); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// withMigration is the embedded migrations plus one more, as the next
// schema version would add it.
func withMigration(t *testing.T, sql string) []migration {
	t.Helper()
	files := fstest.MapFS{}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(migrationFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: data}
	}
	files[fmt.Sprintf("migrations/%04d_next.sql", len(names)+1)] = &fstest.MapFile{Data: []byte(sql)}
	ms, err := loadMigrations(files)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestMigrationKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	old := mustOpenPath(t, path)
	id := subscribe(t, old, news.Subscription{URL: "http://127.0.0.1/a.xml", Tags: []string{"news"}})[0]
	mustSave(t, old, id, okResult(item("kept", 1)))
	a := articleByGUID(t, old, "kept")
	if err := old.SetStarred(ctx, []int64{a.ID}, true); err != nil {
		t.Fatal(err)
	}
	old.Close()

	next := withMigration(t, `
		ALTER TABLE articles ADD COLUMN full_text TEXT NOT NULL DEFAULT '';
		CREATE TABLE article_links (article_id INTEGER NOT NULL REFERENCES articles (id), n INTEGER NOT NULL, url TEXT NOT NULL);`)
	s, err := open(path, next)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(next) {
		t.Fatalf("user_version %d, %v; want %d", version, err, len(next))
	}
	got, err := s.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != a.Title || !got.Starred {
		t.Errorf("after migration: %+v", got)
	}
	if n := mustCount(t, s, news.Filter{Tag: "news"}); n != 1 {
		t.Errorf("tagged articles after migration: %d", n)
	}
	if _, err := s.db.Exec("UPDATE articles SET full_text = 'x' WHERE id = ?", a.ID); err != nil {
		t.Errorf("new column: %v", err)
	}
}

// fileState is what must not change when Open refuses a file.
type fileState struct {
	data  []byte
	mtime time.Time
}

func stateOf(t *testing.T, path string) fileState {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{data, info.ModTime()}
}

func assertUntouched(t *testing.T, path string, before fileState) {
	t.Helper()
	after := stateOf(t, path)
	if !bytes.Equal(before.data, after.data) || !before.mtime.Equal(after.mtime) {
		t.Errorf("%s was modified (size %d → %d, mtime %v → %v)", path, len(before.data), len(after.data), before.mtime, after.mtime)
	}
}

// rawExec runs statements on path with a plain connection, outside the Store.
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

func TestNewerSchemaRefusedAndUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	s := mustOpenPath(t, path)
	subscribe(t, s, urls(3)...)
	s.Close()
	rawExec(t, path, "PRAGMA user_version = 99")
	before := stateOf(t, path)
	// The mtime has a granularity; make any write show.
	time.Sleep(20 * time.Millisecond)

	_, err := Open(path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
	for _, want := range []string{path, "newer", "99"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	assertUntouched(t, path, before)
}

func TestDamagedFileRefusedAndUntouched(t *testing.T) {
	valid := filepath.Join(t.TempDir(), "valid.db")
	s := mustOpenPath(t, valid)
	subscribe(t, s, urls(50)...)
	s.Close()
	validBytes, err := os.ReadFile(valid)
	if err != nil {
		t.Fatal(err)
	}
	garbledSchema := bytes.Clone(validBytes)
	for i := 100; i < 4096; i++ {
		garbledSchema[i] = 0xa5
	}

	for name, write := range map[string]func(path string){
		"text file":      func(path string) { os.WriteFile(path, []byte("https://example.com/feed.xml tech\n"), 0o600) },
		"short file":     func(path string) { os.WriteFile(path, []byte("SQLite"), 0o600) },
		"garbled schema": func(path string) { os.WriteFile(path, garbledSchema, 0o600) },
		"another program": func(path string) {
			rawExec(t, path, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('mine')")
		},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "byline.db")
			write(path)
			before := stateOf(t, path)
			time.Sleep(20 * time.Millisecond)
			_, err := Open(path)
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("Open = %v, want ErrDamaged", err)
			}
			// A byline cache with damaged pages can be repaired; what is
			// not one can only be moved aside.
			advice := "move it aside"
			if name == "garbled schema" {
				advice = "byline purge --repair"
			}
			for _, want := range []string{path, advice} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
			assertUntouched(t, path, before)
		})
	}
}

func TestEmptyFileBecomesCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := mustOpenPath(t, path)
	if ids := subscribe(t, s, urls(2)...); len(ids) != 2 {
		t.Errorf("feeds: %v", ids)
	}
}

// writeMix does n mixed writes on feed id: new items, read and star
// toggles, mark-all-read and a resync, as a TUI and a refresh would.
func writeMix(s *Store, id int64, subs []news.Subscription, n int, tag string) error {
	for i := range n {
		var err error
		switch i % 5 {
		case 0, 1:
			_, err = s.SaveResult(ctx, id, okResult(item(fmt.Sprintf("%s-%d", tag, i), i)))
		case 2:
			var as []news.Article
			if as, err = s.Articles(ctx, news.Filter{FeedIDs: []int64{id}, Limit: 3}); err == nil && len(as) > 0 {
				err = s.SetRead(ctx, []int64{as[0].ID}, true)
			}
		case 3:
			_, err = s.MarkAllRead(ctx, news.Filter{FeedIDs: []int64{id}, Limit: 2})
		case 4:
			err = s.SyncSubscriptions(ctx, subs)
		}
		if err != nil {
			return fmt.Errorf("op %d: %w", i, err)
		}
	}
	return nil
}

func TestTwoStoresWriteAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	a, b := mustOpenPath(t, path), mustOpenPath(t, path)
	subs := urls(2)
	ids := subscribe(t, a, subs...)
	const ops = 300
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, s := range []*Store{a, b} {
		wg.Go(func() { errs[i] = writeMix(s, ids[i], subs, ops, strconv.Itoa(i)) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	assertCountersMatchRows(t, a)
	integrityCheck(t, a.db)
}

// assertCountersMatchRows checks the trigger-kept per-feed counts against
// the articles themselves.
func assertCountersMatchRows(t *testing.T, s *Store) {
	t.Helper()
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		all := len(mustArticles(t, s, news.Filter{FeedIDs: []int64{f.ID}}))
		unread := len(mustArticles(t, s, news.Filter{FeedIDs: []int64{f.ID}, Unread: true}))
		if f.Total != all || f.Unread != unread {
			t.Errorf("feed %d counters total %d unread %d; rows %d and %d", f.ID, f.Total, f.Unread, all, unread)
		}
	}
}

// TestTwoProcessesWriteAtOnce runs writers in child processes (this test
// binary again), as a TUI and a cron refresh would.
func TestTwoProcessesWriteAtOnce(t *testing.T) {
	if path := os.Getenv("BYLINE_CACHE_TEST_WRITER"); path != "" {
		childWriter(t, path)
		return
	}
	path := filepath.Join(t.TempDir(), "byline.db")
	s := mustOpenPath(t, path)
	subscribe(t, s, urls(3)...)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTwoProcessesWriteAtOnce$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BYLINE_CACHE_TEST_WRITER="+path, fmt.Sprintf("BYLINE_CACHE_TEST_FEED=%d", i))
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("writer %d: %v\n%s", i, err, out)
			}
		})
	}
	// This process writes too, to the third feed.
	errParent := writeMix(s, feedIDs(t, s)[2], urls(3), 150, "parent")
	wg.Wait()
	if err := errors.Join(append(errs, errParent)...); err != nil {
		t.Fatal(err)
	}
	// writeMix saves two new items in every five operations.
	for _, id := range feedIDs(t, s) {
		if n := mustCount(t, s, news.Filter{FeedIDs: []int64{id}}); n != 60 {
			t.Errorf("feed %d has %d articles, want 60", id, n)
		}
	}
	assertCountersMatchRows(t, s)
	integrityCheck(t, s.db)
}

func childWriter(t *testing.T, path string) {
	n, err := strconv.Atoi(os.Getenv("BYLINE_CACHE_TEST_FEED"))
	if err != nil {
		t.Fatal(err)
	}
	s := mustOpenPath(t, path)
	if err := writeMix(s, feedIDs(t, s)[n], urls(3), 150, fmt.Sprintf("child%d", n)); err != nil {
		t.Fatal(err)
	}
}
