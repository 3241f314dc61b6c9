package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// RepairReport says what Repair saved from a damaged cache.
type RepairReport struct {
	// Backup is where the damaged file is kept, beside the new cache.
	Backup string
	// Articles were saved with their read and starred flags; Read and
	// Starred count those flags among them.
	Articles, Read, Starred int
	// Restored of the Articles were rebuilt from the indexes, flags and
	// all, without their titles, which the next refresh fills in.
	Restored int
	// Lost counts the articles of which nothing could be read, as far as
	// the damaged file still says how many there were. A refresh brings
	// back those their feeds still carry, as new articles.
	Lost  int
	Feeds int
}

// Repair saves what can still be read of a damaged cache into a new one:
// subscriptions and their fetch state, articles under the same IDs with
// their read and starred flags and text, kept pages, and every other table
// a migration added. Rows are read in order and, where a page cannot be
// read, the next readable row is looked for, so one bad page costs the
// rows on it and no others. The search index is built anew. The damaged
// file is kept beside the new cache as Backup; nothing is ever deleted.
//
// It holds the damaged file's write lock while it reads, and refuses to go
// on if another process has the cache open (a running reader would go on
// writing to the old file).
func Repair(ctx context.Context, path string) (RepairReport, error) {
	report, err := repair(ctx, path)
	if err != nil {
		return RepairReport{}, fmt.Errorf("repair %s: %w", path, err)
	}
	return report, nil
}

func repair(ctx context.Context, path string) (RepairReport, error) {
	var report RepairReport
	if _, err := os.Stat(path); err != nil {
		return report, err
	}
	if err := checkHeader(path); err != nil {
		return report, err
	}
	damaged, err := sql.Open("sqlite", dataSourceName(path))
	if err != nil {
		return report, err
	}
	defer damaged.Close()
	damaged.SetMaxOpenConns(1)
	var appID int
	if err := damaged.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err == nil && appID != applicationID {
		return report, &damagedError{path: path, cause: fmt.Errorf("application id %#x is not byline's", appID)}
	}
	// The write lock keeps another byline from changing the file while it
	// is read; writes wait (busy_timeout) and then fail, never vanish.
	old, err := damaged.BeginTx(ctx, nil)
	if err != nil {
		return report, fmt.Errorf("lock the damaged file: %w", err)
	}
	defer old.Rollback()

	newPath := path + ".repairing"
	if err := removeDatabase(newPath); err != nil {
		return report, err
	}
	fresh, err := Open(newPath)
	if err != nil {
		return report, err
	}
	defer func() {
		if fresh != nil {
			fresh.Close()
			removeDatabase(newPath)
		}
	}()
	if err := salvageInto(ctx, old, fresh, &report); err != nil {
		return report, err
	}
	if err := fresh.Close(); err != nil {
		return report, err
	}
	if err := old.Rollback(); err != nil {
		return report, err
	}
	// The damaged file's WAL goes into it before it is put aside: a WAL
	// left beside the new file would be applied to it.
	if _, err := damaged.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil && !isDamage(err) {
		return report, fmt.Errorf("checkpoint the damaged file: %w", err)
	}
	if err := damaged.Close(); err != nil {
		return report, err
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		removeDatabase(newPath)
		fresh = nil
		return report, errors.New("another byline has the cache open; close it and run `byline purge --repair` again")
	}
	report.Backup = path + ".damaged-" + time.Now().Format("20060102-150405")
	if err := keepBackup(path, report.Backup); err != nil {
		return report, err
	}
	if err := os.Rename(newPath, path); err != nil {
		return report, err
	}
	fresh = nil
	os.Remove(path + "-shm")
	return report, nil
}

// keepBackup makes backup a second name of the damaged file, so that the
// new cache can replace it in one rename; where links are not possible it
// copies.
func keepBackup(path, backup string) error {
	if err := os.Link(path, backup); err == nil {
		return nil
	}
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(backup, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// removeDatabase removes a database file and its WAL and shared memory.
func removeDatabase(path string) error {
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// salvageInto copies the readable rows of every table of old into fresh,
// then mends what the lost rows leave behind.
func salvageInto(ctx context.Context, old *sql.Tx, fresh *Store, report *RepairReport) error {
	conn, err := fresh.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Rows arrive table by table, so an article may come before the feed
	// row it points to; the references are checked once all are in.
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	tables, err := salvageableTables(ctx, conn)
	if err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range tables {
		if err := copyTable(ctx, old, tx, t); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	if err := restoreFromIndexes(ctx, old, tx, report); err != nil {
		return err
	}
	if err := mend(ctx, old, tx, report); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	var violations int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&violations); err != nil {
		return err
	}
	if violations > 0 {
		return fmt.Errorf("%d rows of the saved data point at rows that were lost", violations)
	}
	// The search index is rebuilt from the saved articles, as a refresh
	// would index them.
	if _, err := fresh.IndexPending(ctx, time.Hour); err != nil {
		return err
	}
	return fresh.Maintain(ctx)
}

// salvageTable is one table to copy: its name, the columns the new schema
// and the damaged file share, and whether rows are addressed by rowid.
type salvageTable struct {
	name    string
	columns []string
	rowid   bool
}

// notSalvaged are tables rebuilt rather than copied: the search indexes
// (and their shadow tables), the indexing queue, and the digest that makes
// the next start sync the urls file again.
var notSalvaged = []string{"articles_fts", "titles_fts", "index_pending", "synced_subscriptions"}

// salvageableTables lists the new schema's ordinary tables, feeds first,
// with their columns. Tables a later migration adds are copied too.
func salvageableTables(ctx context.Context, conn *sql.Conn) ([]salvageTable, error) {
	rows, err := conn.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema
		WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name = 'feeds' DESC, name`)
	if err != nil {
		return nil, err
	}
	var tables []salvageTable
	for rows.Next() {
		var name, ddl string
		if err := rows.Scan(&name, &ddl); err != nil {
			rows.Close()
			return nil, err
		}
		if skipSalvage(name) {
			continue
		}
		tables = append(tables, salvageTable{name: name, rowid: !strings.Contains(strings.ToUpper(ddl), "WITHOUT ROWID")})
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	for i := range tables {
		cols, err := conn.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", tables[i].name)
		if err != nil {
			return nil, err
		}
		for cols.Next() {
			var c string
			if err := cols.Scan(&c); err != nil {
				cols.Close()
				return nil, err
			}
			tables[i].columns = append(tables[i].columns, c)
		}
		if err := closeRows(cols); err != nil {
			return nil, err
		}
	}
	return tables, nil
}

func skipSalvage(table string) bool {
	for _, name := range notSalvaged {
		if table == name || strings.HasPrefix(table, name+"_") {
			return true
		}
	}
	return false
}

// copyTable copies t's readable rows from old into tx. A column the
// damaged file lacks (it is of an older schema) takes its default.
func copyTable(ctx context.Context, old, tx *sql.Tx, t salvageTable) error {
	columns, err := sharedColumns(ctx, old, t)
	if err != nil || len(columns) == 0 {
		return nil // the table cannot be read at all: nothing to save
	}
	list := strings.Join(quoteAll(columns), ", ")
	insert, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO "+quote(t.name)+" ("+list+") VALUES (?"+strings.Repeat(", ?", len(columns)-1)+")")
	if err != nil {
		return err
	}
	defer insert.Close()
	copyRow := func(values []any) error {
		_, err := insert.ExecContext(ctx, values...)
		return err
	}
	if !t.rowid {
		return copyUntilDamage(ctx, old, "SELECT "+list+" FROM "+quote(t.name), len(columns), copyRow)
	}
	return copyByRowid(ctx, old, t.name, list, len(columns), copyRow)
}

// sharedColumns are t's columns that the damaged file's table has too.
func sharedColumns(ctx context.Context, old *sql.Tx, t salvageTable) ([]string, error) {
	rows, err := old.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", t.name)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		have[c] = true
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	var shared []string
	for _, c := range t.columns {
		if have[c] {
			shared = append(shared, c)
		}
	}
	return shared, nil
}

// copyUntilDamage copies the rows query returns until one cannot be read.
// It is for the small tables without rowids (a feed's tags, the dropped
// articles), which cannot be resumed past a bad page.
func copyUntilDamage(ctx context.Context, old *sql.Tx, query string, width int, copyRow func([]any) error) error {
	rows, err := old.QueryContext(ctx, query)
	if err != nil {
		return ignoreDamage(err)
	}
	defer rows.Close()
	values, dest := scanTargets(width)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return ignoreDamage(err)
		}
		if err := copyRow(values); err != nil {
			return err
		}
	}
	return ignoreDamage(rows.Err())
}

// salvageBatch is how many rows one query of copyByRowid reads.
const salvageBatch = 500

// copyByRowid copies a rowid table's readable rows in rowid order. Where a
// row cannot be read, it finds the next row that can and goes on from there.
func copyByRowid(ctx context.Context, old *sql.Tx, table, list string, width int, copyRow func([]any) error) error {
	query := "SELECT rowid, " + list + " FROM " + quote(table) + " WHERE rowid >= ? ORDER BY rowid LIMIT ?"
	from := int64(math.MinInt64)
	resumed := false // from is a row nextReadableRowid found
	values, dest := scanTargets(width)
	dest = append([]any{new(int64)}, dest...)
	for {
		read, last, err := copyBatch(ctx, old, query, from, dest, values, copyRow)
		switch {
		case err == nil && read < salvageBatch:
			return nil
		case err == nil:
			from, resumed = last+1, false
			continue
		case !isDamage(err):
			return err
		case read > 0:
			from = last + 1
		case resumed:
			// The row was found by its rowid but cannot be read whole (a
			// bad overflow page holds its text): it is lost; go past it.
			from++
		}
		next, found, err := nextReadableRowid(ctx, old, table, from-1)
		if err != nil || !found {
			return ignoreDamage(err)
		}
		from, resumed = next, true
	}
}

// copyBatch copies up to salvageBatch rows from rowid from on, and returns
// how many it read and the last rowid read.
func copyBatch(ctx context.Context, old *sql.Tx, query string, from int64, dest, values []any, copyRow func([]any) error) (read int, last int64, err error) {
	rows, err := old.QueryContext(ctx, query, from, salvageBatch)
	if err != nil {
		return 0, from, err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return read, last, err
		}
		if err := copyRow(values); err != nil {
			return read, last, fmt.Errorf("save row %d: %w", *dest[0].(*int64), err)
		}
		read++
		last = *dest[0].(*int64)
	}
	return read, last, rows.Err()
}

// nextReadableRowid finds the smallest rowid above after that a lookup can
// reach without meeting the damage: first by steps that double, past the
// bad pages, then by halving back to where they end.
func nextReadableRowid(ctx context.Context, old *sql.Tx, table string, after int64) (rowid int64, found bool, err error) {
	probe := func(from int64) (int64, bool, error) {
		var id int64
		err := old.QueryRowContext(ctx, "SELECT rowid FROM "+quote(table)+" WHERE rowid > ? ORDER BY rowid LIMIT 1", from).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		return id, err == nil, err
	}
	// Rowids here start at 1: stepping up from the smallest int64 would
	// take 63 doublings to get there.
	bad, good := max(after, 0), int64(0)
	for step := int64(1); ; step *= 2 {
		if step > math.MaxInt64/4 || bad > math.MaxInt64-step {
			return 0, false, nil // damaged to the end
		}
		good = bad + step
		_, _, err := probe(good)
		if err == nil {
			break
		}
		if !isDamage(err) {
			return 0, false, err
		}
		bad = good
	}
	for good-bad > 1 {
		mid := bad + (good-bad)/2
		if _, _, err := probe(mid); err == nil {
			good = mid
		} else if isDamage(err) {
			bad = mid
		} else {
			return 0, false, err
		}
	}
	// The row at good itself, if there is one, may be readable although
	// the search for the first row past bad was not.
	var id int64
	if err := old.QueryRowContext(ctx, "SELECT rowid FROM "+quote(table)+" WHERE rowid = ?", good).Scan(&id); err == nil {
		return id, true, nil
	}
	return probe(good)
}

// restoreFromIndexes brings back the read and starred flags of articles
// whose rows were lost but whose index entries can still be read: the
// articles_feed index holds each article's id, date and flags, and
// articles_guid its guid. Such an article is saved without its title; the
// next refresh fills it in (matched by guid, keeping the flags) while the
// feed still carries it, and its text is there if its text row was saved.
func restoreFromIndexes(ctx context.Context, old, tx *sql.Tx, report *RepairReport) error {
	feeds, err := queryIDs(ctx, tx, "SELECT id FROM feeds UNION SELECT feed_id FROM articles")
	if err != nil {
		return err
	}
	saved := map[int64]bool{}
	ids, err := queryIDs(ctx, tx, "SELECT id FROM articles")
	if err != nil {
		return err
	}
	for _, id := range ids {
		saved[id] = true
	}
	urls := map[int64]string{}
	// Only the indexes are read (they cover these queries), so a damaged
	// articles table is no obstacle; a damaged index ends its own scan.
	_ = scanIndex(ctx, old, "SELECT id, url FROM articles INDEXED BY articles_url WHERE url > '' ORDER BY url %s", func(rows *sql.Rows) error {
		var id int64
		var u string
		if err := rows.Scan(&id, &u); err != nil {
			return err
		}
		if !saved[id] {
			urls[id] = u
		}
		return nil
	})
	insert, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO articles (id, feed_id, published, fetched, read, starred, guid, url)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insert.Close()
	for _, feedID := range feeds {
		guids := map[int64]string{}
		_ = scanIndex(ctx, old, "SELECT id, guid FROM articles INDEXED BY articles_guid WHERE feed_id = ? ORDER BY guid %s", func(rows *sql.Rows) error {
			var id int64
			var guid string
			if err := rows.Scan(&id, &guid); err != nil {
				return err
			}
			if !saved[id] {
				guids[id] = guid
			}
			return nil
		}, feedID)
		err := scanIndex(ctx, old, `SELECT id, published, read, starred FROM articles INDEXED BY articles_feed
			WHERE feed_id = ? ORDER BY published %[1]s, id %[1]s`, func(rows *sql.Rows) error {
			var id, published int64
			var read, starred bool
			if err := rows.Scan(&id, &published, &read, &starred); err != nil {
				return err
			}
			guid, ok := guids[id]
			if !ok && urls[id] == "" {
				return nil // nothing ties the flags to an item of the feed
			}
			if !ok {
				guid = restoredGUIDPrefix + strconv.FormatInt(id, 10)
			}
			res, err := insert.ExecContext(ctx, id, feedID, published, published, read, starred, guid, urls[id])
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err == nil && n == 1 {
				report.Restored++
			}
			return nil
		}, feedID)
		if err != nil && !isDamage(err) {
			return err
		}
	}
	return nil
}

// An article whose guid was lost with its row, but whose link was not, is
// saved under a placeholder guid; the first new item of its feed with
// that link takes it over, flags and id (see articleWriter.adopt).
const (
	restoredGUIDPrefix = "byline:restored:"
	// restoredGUIDRange selects the placeholder guids on the guid index.
	restoredGUIDRange = "guid >= 'byline:restored:' AND guid < 'byline:restored;'"
)

// loadRestored reads the feed's articles that wait for their item.
func (w *articleWriter) loadRestored(ctx context.Context) error {
	rows, err := w.tx.QueryContext(ctx, "SELECT id, url FROM articles WHERE feed_id = ? AND "+restoredGUIDRange, w.feedID)
	if err != nil {
		return err
	}
	w.restored = map[string]int64{}
	for rows.Next() {
		var id int64
		var u string
		if err := rows.Scan(&id, &u); err != nil {
			rows.Close()
			return err
		}
		w.restored[u] = id
	}
	return closeRows(rows)
}

// adopt makes the restored article id item's: its guid, then the rest of
// what the refresh brings, keeping its read and starred flags.
func (w *articleWriter) adopt(ctx context.Context, id int64, item preparedItem) error {
	delete(w.restored, item.URL)
	if _, err := w.tx.ExecContext(ctx, "UPDATE articles SET guid = ? WHERE id = ?", item.GUID, id); err != nil {
		return err
	}
	cur, _, err := w.lookup(ctx, item.GUID)
	if err != nil {
		return err
	}
	return w.update(ctx, cur, item)
}

// scanIndex calls fn for each row of query on the damaged file. query
// orders by the index, with a %s for the direction: when a row cannot be
// read, the index is read again from its other end up to the damage, so
// only the entries on the bad pages are missed. fn may see a row twice.
func scanIndex(ctx context.Context, old *sql.Tx, query string, fn func(*sql.Rows) error, args ...any) error {
	err := scanOnce(ctx, old, fmt.Sprintf(query, "ASC"), fn, args)
	if isDamage(err) {
		err = scanOnce(ctx, old, fmt.Sprintf(query, "DESC"), fn, args)
	}
	return err
}

func scanOnce(ctx context.Context, old *sql.Tx, query string, fn func(*sql.Rows) error, args []any) error {
	rows, err := old.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func queryIDs(ctx context.Context, q *sql.Tx, query string) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, closeRows(rows)
}

// mend makes the saved rows whole: every article has its text row and a
// feed to belong to, the counters match the rows, ids of lost articles are
// never handed out again, and every saved article is queued for indexing.
// Feeds lose their validators, so that the next refresh fetches them whole
// and brings back the articles that were lost and are still in the feeds.
func mend(ctx context.Context, old, tx *sql.Tx, report *RepairReport) error {
	var expected sql.NullInt64
	if err := old.QueryRowContext(ctx, "SELECT sum(total_count) FROM feeds").Scan(&expected); err != nil && !isDamage(err) {
		return err
	}
	var oldSeq int64
	if err := old.QueryRowContext(ctx, "SELECT seq FROM sqlite_sequence WHERE name = 'articles'").Scan(&oldSeq); err != nil &&
		!isDamage(err) && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	for _, stmt := range []string{
		// A feed whose row was lost: its articles are kept, starred ones
		// stay listed; the urls file brings the subscription back.
		`INSERT INTO feeds (id, url, subscribed)
			SELECT DISTINCT feed_id, 'byline:lost-feed/' || feed_id, 0 FROM articles
			WHERE feed_id NOT IN (SELECT id FROM feeds)`,
		`DELETE FROM article_text WHERE id NOT IN (SELECT id FROM articles)`,
		`INSERT INTO article_text (id) SELECT id FROM articles WHERE id NOT IN (SELECT id FROM article_text)`,
		`DELETE FROM feed_tags WHERE feed_id NOT IN (SELECT id FROM feeds)`,
		`DELETE FROM dropped_articles WHERE feed_id NOT IN (SELECT id FROM feeds)`,
		`UPDATE feeds SET etag = '', last_modified = '',
			total_count = (SELECT count(*) FROM articles WHERE feed_id = feeds.id),
			unread_count = (SELECT count(*) FROM articles WHERE feed_id = feeds.id AND read = 0)`,
		`INSERT INTO index_pending (article_id) SELECT id FROM articles`,
		`INSERT INTO titles_fts (rowid, title) SELECT id, title FROM articles ORDER BY id`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	// Saving articles under their ids moved the sequence to the largest
	// saved; ids of lost articles above it must not be handed out either.
	for _, stmt := range []string{
		`UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'articles'`,
		`INSERT INTO sqlite_sequence (name, seq) SELECT 'articles', ?1
			WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'articles')`,
	} {
		if _, err := tx.ExecContext(ctx, stmt, oldSeq); err != nil {
			return err
		}
	}
	err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(read), 0), coalesce(sum(starred), 0),
		(SELECT count(*) FROM feeds WHERE subscribed = 1) FROM articles`).Scan(&report.Articles, &report.Read, &report.Starred, &report.Feeds)
	if err != nil {
		return err
	}
	if expected.Valid {
		report.Lost = max(0, int(expected.Int64)-report.Articles)
	}
	return nil
}

// ignoreDamage treats a damaged page as the end of what can be read.
func ignoreDamage(err error) error {
	if isDamage(err) {
		return nil
	}
	return err
}

// scanTargets returns width values and pointers to them for Scan. Values
// are copied as SQLite stores them (compressed text stays a blob).
func scanTargets(width int) (values, dest []any) {
	values = make([]any, width)
	dest = make([]any, width)
	for i := range values {
		dest[i] = &values[i]
	}
	return values, dest
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = quote(n)
	}
	return out
}
