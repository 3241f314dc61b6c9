package ui

import (
	"bytes"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/bylinehq/byline/cache"
)

// damageTable overwrites the root page of table in the fixture's cache
// file and opens the cache again, as byline would the next time.
func damageTable(t *testing.T, f *fixture, table string) {
	t.Helper()
	path := f.store.Path()
	if err := f.store.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var root int64
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = ?", table).Scan(&root); err != nil {
		t.Fatal(err)
	}
	db.Close()
	file, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	const pageSize = 4096
	if _, err := file.WriteAt(bytes.Repeat([]byte{0xa5}, pageSize), (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	file.Close()
	if f.store, err = cache.Open(path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.store.Close() })
}

// Issue 10, item 6: with pages of the cache damaged the reader waited on
// "loading…" for ever. The list, or the feeds screen, shows the error in
// full instead: the file and the way out.
func TestDamagedCacheShowsTheErrorInsteadOfLoading(t *testing.T) {
	for _, tt := range []struct{ table, keys string }{
		{"articles", "enter"}, // the feeds load from their counters; the list does not
		{"feeds", ""},
	} {
		t.Run(tt.table, func(t *testing.T) {
			f := newFixture(t)
			path := f.store.Path()
			damageTable(t, f, tt.table)
			h := newHarness(t, f.deps(), testSettings(), 120, 30)
			if tt.keys != "" {
				h.press(tt.keys)
			}
			view := h.view()
			if strings.Contains(view, "loading…") || !strings.Contains(view, "could not load") {
				t.Fatalf("view:\n%s", view)
			}
			// The list itself, not only the status line, says it all:
			// its lines left of the pane border, white space (the
			// wrapping) taken out.
			lines := strings.Split(view, "\n")
			var list strings.Builder
			for _, line := range lines[:len(lines)-1] {
				left, _, _ := strings.Cut(line, "│")
				list.WriteString(strings.Join(strings.Fields(left), ""))
			}
			for _, want := range []string{path, "isdamaged", "bylinepurge--repair"} {
				if !strings.Contains(list.String(), want) {
					t.Errorf("the list does not say %q:\n%s", want, view)
				}
			}
		})
	}
}
