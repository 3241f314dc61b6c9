// Package cache is byline's SQLite store: subscriptions and their fetch
// state, articles with read and starred flags, and a full-text index.
//
// One file holds everything. It runs in WAL mode so a TUI can read while a
// cron refresh writes, and every write transaction starts with BEGIN
// IMMEDIATE so two writers queue on busy_timeout instead of failing with
// "database is locked". synchronous=NORMAL is enough under WAL for what the
// cache promises: a committed transaction survives the process being killed
// at any point (the WAL frames are in the OS before COMMIT returns); only a
// power cut can lose the last few commits, and even then the file stays
// consistent. FULL would add an fsync to every read/starred toggle for no
// gain against the crashes that actually happen to a terminal program.
//
// A refresh writes one transaction per feed, so it stays cheap by leaving
// work for later: SaveResult stores articles and lists them in
// index_pending, IndexPending indexes them for search in large batches,
// and Maintain merges the search indexes' segments. Indexing is most of
// the cost of storing an article, so a refresh does it only at its end,
// within a small budget, and only what fits there; the TUI catches up in
// the background, and Search indexes whatever is still pending before it
// searches.
//
// The schema is versioned with PRAGMA user_version and migrated forward by
// the embedded migrations/NNNN_name.sql files, one transaction each. A file
// from a newer byline, a damaged file or another program's database is
// refused and left as it is.
package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var (
	// ErrNotFound is returned for an unknown article or feed id.
	ErrNotFound = errors.New("not found")
	// ErrNewerSchema means the file was written by a newer byline; it is left untouched.
	ErrNewerSchema = errors.New("written by a newer version of byline")
	// ErrDamaged means the file is not a byline database or is corrupt; it is left untouched.
	ErrDamaged = errors.New("not a byline database or damaged")
)

// applicationID is the PRAGMA application_id that migration 1 stamps on
// every byline cache ('BYLN').
const applicationID = 0x42594c4e

// Connection settings. The page cache is per connection and counts against
// the process's memory, so it is kept small: the working set of the
// queries byline runs is the indexes, not the article text.
const (
	busyTimeout  = 10 * time.Second
	maxOpenConns = 4
	maxIdleConns = 2
	cacheKiB     = 4096
	// journalSizeLimit truncates the WAL after a checkpoint so one big
	// refresh does not leave a large -wal file behind for good.
	journalSizeLimit = 16 << 20
	// walCheckpointPages lets the WAL grow to about journalSizeLimit
	// before it is copied into the database (SQLite's default is 1,000
	// pages). Every transaction of a refresh rewrites the same index
	// pages, and a checkpoint copies each page once however often it was
	// rewritten: measured, a cold refresh stored in 17% less time.
	walCheckpointPages = journalSizeLimit / pageSize
	// pageSize is applied when the file is created. Every index entry a
	// refresh inserts rewrites a whole page into the WAL: measured, 8 KiB
	// pages wrote twice the bytes of 4 KiB ones and made a larger file.
	pageSize = 4096
)

// Store is an open cache. It is safe for concurrent use.
type Store struct {
	db           *sql.DB
	path         string
	now          func() time.Time
	searchWindow int64
	articleStmts *articleStatements
}

// Open opens the cache at path, creating it and its directory (0700) if
// needed, and migrates it to the current schema.
func Open(path string) (*Store, error) {
	migrations, err := loadMigrations(migrationFiles)
	if err != nil {
		return nil, fmt.Errorf("cache %s: %w", path, err)
	}
	return open(path, migrations)
}

func open(path string, migrations []migration) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cache %s: %w", path, err)
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dataSourceName(path))
	if err != nil {
		return nil, fmt.Errorf("cache %s: %w", path, err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	s := &Store{db: db, path: path, now: time.Now, searchWindow: searchWindow}
	if err := s.prepareSchema(context.Background(), migrations); err != nil {
		db.Close()
		return nil, err
	}
	if s.articleStmts, err = prepareArticleStatements(context.Background(), db); err != nil {
		db.Close()
		return nil, s.openError(err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.articleStmts.close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close cache %s: %w", s.path, err)
	}
	return nil
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// dataSourceName builds a file: URI, so a path with '?', '#' or '%' in it
// reaches SQLite intact, plus the per-connection settings. journal_mode is
// not among them: it is persistent and changes the file, so it is set only
// after Open has checked that the file is one it may change.
func dataSourceName(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	params := url.Values{}
	params.Add("_txlock", "immediate")
	for _, p := range []string{
		fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()),
		"foreign_keys(1)",
		"synchronous(NORMAL)",
		fmt.Sprintf("cache_size(-%d)", cacheKiB),
		fmt.Sprintf("journal_size_limit(%d)", journalSizeLimit),
		fmt.Sprintf("wal_autocheckpoint(%d)", walCheckpointPages),
	} {
		params.Add("_pragma", p)
	}
	uriPath := filepath.ToSlash(abs)
	if !strings.HasPrefix(uriPath, "/") {
		uriPath = "/" + uriPath // a drive letter: file:///C:/…
	}
	return (&url.URL{Scheme: "file", Path: uriPath}).String() + "?" + params.Encode()
}

// sqliteMagic starts every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// checkHeader refuses a file that is not SQLite before SQLite itself opens
// it, so nothing is ever written to it. A missing or empty file is a new cache.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cache %s: %w", path, err)
	}
	defer f.Close()
	header := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, header)
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		return nil
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("cache %s: %w", path, err)
	case string(header[:n]) != sqliteMagic:
		return &damagedError{path: path, cause: errors.New("file is not a database")}
	}
	return nil
}

// damagedError tells the user which file is wrong and what to do about it.
// A byline cache with damaged pages can be repaired (see Repair); a file
// that is not a byline cache at all can only be moved aside.
type damagedError struct {
	path       string
	cause      error
	repairable bool
}

func (e *damagedError) Error() string {
	if e.repairable {
		return fmt.Sprintf("cache %s is damaged (%v); run `byline purge --repair` to save what can still be read into a new cache (the damaged file is kept beside it)", e.path, e.cause)
	}
	return fmt.Sprintf("cache %s is not a byline database or is damaged (%v); move it aside and run byline again", e.path, e.cause)
}

// explain makes an error that says the file is damaged name the file and
// the way out, whichever query met it. Every exported method defers it:
// pages can go bad at any time after Open, and the first sign is an
// error deep in some query.
func (s *Store) explain(err *error) {
	if *err != nil && isDamage(*err) && !errors.Is(*err, ErrDamaged) {
		*err = &damagedError{path: s.path, cause: *err, repairable: sqliteCode(*err) == sqlite3.SQLITE_CORRUPT}
	}
}

func (e *damagedError) Unwrap() []error { return []error{ErrDamaged, e.cause} }

// sqliteCode is the primary result code of an SQLite error, or 0.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() & 0xff
	}
	return 0
}

func isDamage(err error) bool {
	code := sqliteCode(err)
	return code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB
}

// Write transactions that meet SQLITE_BUSY after busy_timeout has run out
// (a very long transaction in another process) are tried again a few times
// before the error reaches the user.
const (
	busyRetries = 3
	busyBackoff = 200 * time.Millisecond
)

// write runs fn in one BEGIN IMMEDIATE transaction. fn may run more than
// once, so it must not keep state from an earlier attempt.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.writeOnce(ctx, fn)
		if err == nil || sqliteCode(err) != sqlite3.SQLITE_BUSY || attempt > busyRetries {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt) * busyBackoff):
		}
	}
}

func (s *Store) writeOnce(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil) // immediate, from the DSN
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// queryer is what *sql.DB and *sql.Tx share, so reads can run inside or
// outside a write transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// unixTime converts a stored unix-seconds value; 0 means never.
func unixTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// unixSeconds is the stored form of t; the zero time is 0.
func unixSeconds(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
