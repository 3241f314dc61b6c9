package cache

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Adding a schema version is adding migrations/NNNN_name.sql with the next
// number; Open applies every file above the database's user_version.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema step: the SQL that takes user_version-1 to version.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNNN_name.sql and checks that the
// versions run 1, 2, 3… without gaps or repeats.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		number, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(number)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", name)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: version, name: base, sql: string(text)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// prepareSchema checks that the file is a byline cache this code may use,
// switches it to WAL and applies pending migrations. Nothing is written to
// the file before the checks pass.
func (s *Store) prepareSchema(ctx context.Context, migrations []migration) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.openError(err)
	}
	defer conn.Close()

	var appID, version, objects int
	err = conn.QueryRowContext(ctx, `SELECT
		(SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema)`).Scan(&appID, &version, &objects)
	if err != nil {
		return s.openError(err)
	}
	latest := len(migrations)
	fresh := objects == 0 && version == 0
	switch {
	case !fresh && appID != applicationID:
		return &damagedError{path: s.path, cause: fmt.Errorf("application id %#x is not byline's", appID)}
	case version > latest:
		return fmt.Errorf("cache %s was %w (schema %d; this byline knows up to %d): upgrade byline, or move the file aside to start a new cache",
			s.path, ErrNewerSchema, version, latest)
	}

	if fresh {
		// Both settings apply only before the first table is created.
		for _, pragma := range []string{fmt.Sprintf("PRAGMA page_size = %d", pageSize), "PRAGMA auto_vacuum = INCREMENTAL"} {
			if _, err := conn.ExecContext(ctx, pragma); err != nil {
				return s.openError(err)
			}
		}
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return s.openError(err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("cache %s: cannot switch to WAL mode (journal mode is %q)", s.path, mode)
	}

	for _, m := range migrations[version:] {
		if err := applyMigration(ctx, conn, m); err != nil {
			return fmt.Errorf("cache %s: migrate to schema %d (%s): %w", s.path, m.version, m.name, err)
		}
	}
	return nil
}

// applyMigration runs one migration in its own transaction. The version is
// read again under the write lock because another byline process may have
// applied it since Open looked.
//
// Foreign keys are off while it runs, as SQLite's procedure for rebuilding
// a table asks: with them on, dropping a table that others reference
// deletes its rows first (cascading into its children), and no later
// rename satisfies the references again. They are checked before the
// commit instead.
func applyMigration(ctx context.Context, conn *sql.Conn, m migration) (err error) {
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	defer func() {
		if _, onErr := conn.ExecContext(ctx, "PRAGMA foreign_keys = ON"); err == nil {
			err = onErr
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	var table string
	switch err := tx.QueryRowContext(ctx, "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1").Scan(&table); {
	case err == nil:
		return fmt.Errorf("a row of %s refers to a row that is not there", table)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	return tx.Commit()
}

// openError names the file, and for a corrupt one says what to do.
func (s *Store) openError(err error) error {
	if s.explain(&err); errors.Is(err, ErrDamaged) {
		return err
	}
	return fmt.Errorf("cache %s: %w", s.path, err)
}
