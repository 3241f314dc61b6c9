package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bylinehq/byline/feed"
)

// articleWriter upserts the items of one transaction, with the statements
// prepared once for all of them.
//
// Index writes are queued and run together by flushIndex at the end.
// FTS5 keeps new entries in memory and writes them out as a new index
// segment whenever another statement in the transaction opens a savepoint,
// which the article INSERT (it fires a trigger) does. Interleaved, every
// article became a segment of its own and merging them cost most of the
// time of a refresh; queued, a transaction adds one segment.
type articleWriter struct {
	find, insert, update, unindex, index *sql.Stmt
	pending                              []indexEntry
}

// indexEntry is an article whose text goes into the search index;
// replace means an older version of it is there now.
type indexEntry struct {
	id      int64
	item    feed.Item
	replace bool
}

func newArticleWriter(ctx context.Context, tx *sql.Tx) (*articleWriter, error) {
	w := &articleWriter{}
	for _, p := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&w.find, `SELECT id, published, url, title, author, summary, content FROM articles WHERE feed_id = ? AND guid = ?`},
		{&w.insert, `INSERT INTO articles (feed_id, guid, url, title, author, summary, content, published, fetched)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`},
		{&w.update, `UPDATE articles SET url = ?, title = ?, author = ?, summary = ?, content = ?, published = ? WHERE id = ?`},
		{&w.unindex, `DELETE FROM articles_fts WHERE rowid = ?`},
		{&w.index, `INSERT INTO articles_fts (rowid, title, author, summary, content, full_text) VALUES (?, ?, ?, ?, ?, '')`},
	} {
		stmt, err := tx.PrepareContext(ctx, p.query)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.stmt = stmt
	}
	return w, nil
}

func (w *articleWriter) close() {
	for _, stmt := range []*sql.Stmt{w.find, w.insert, w.update, w.unindex, w.index} {
		if stmt != nil {
			stmt.Close()
		}
	}
}

// save inserts item, or updates the stored one with the same GUID if it
// changed, and reports whether it was new. Read and starred are never touched.
func (w *articleWriter) save(ctx context.Context, feedID int64, item feed.Item, now time.Time) (added bool, err error) {
	date := item.Published
	if date.IsZero() {
		date = item.Updated
	}
	// A date in the future would pin the item to the top of every list,
	// so such an item is filed as seen now and keeps that date.
	dated := !date.IsZero() && !date.After(now)

	var cur struct {
		id, published                        int64
		url, title, author, summary, content string
	}
	err = w.find.QueryRowContext(ctx, feedID, item.GUID).Scan(&cur.id, &cur.published, &cur.url, &cur.title, &cur.author, &cur.summary, &cur.content)
	if errors.Is(err, sql.ErrNoRows) {
		published := now
		if dated {
			published = date
		}
		var id int64
		err := w.insert.QueryRowContext(ctx, feedID, item.GUID, item.URL, item.Title, item.Author, item.Summary, item.Content,
			published.Unix(), now.Unix()).Scan(&id)
		if err != nil {
			return false, err
		}
		w.pending = append(w.pending, indexEntry{id: id, item: item})
		return true, nil
	}
	if err != nil {
		return false, err
	}

	published := cur.published
	if dated {
		published = date.Unix()
	}
	textChanged := cur.title != item.Title || cur.author != item.Author || cur.summary != item.Summary || cur.content != item.Content
	if !textChanged && cur.url == item.URL && cur.published == published {
		return false, nil
	}
	if _, err := w.update.ExecContext(ctx, item.URL, item.Title, item.Author, item.Summary, item.Content, published, cur.id); err != nil {
		return false, err
	}
	if textChanged {
		w.pending = append(w.pending, indexEntry{id: cur.id, item: item, replace: true})
	}
	return false, nil
}

// flushIndex writes the queued index entries; nothing else may run in the
// transaction between them.
func (w *articleWriter) flushIndex(ctx context.Context) error {
	for _, e := range w.pending {
		if e.replace {
			if _, err := w.unindex.ExecContext(ctx, e.id); err != nil {
				return fmt.Errorf("index article %d: %w", e.id, err)
			}
		}
		it := e.item
		if _, err := w.index.ExecContext(ctx, e.id, plainText(it.Title), plainText(it.Author), plainText(it.Summary), plainText(it.Content)); err != nil {
			return fmt.Errorf("index article %d: %w", e.id, err)
		}
	}
	w.pending = w.pending[:0]
	return nil
}

// conditions is a WHERE clause under construction.
type conditions struct {
	clauses []string
	args    []any
}

func (c *conditions) add(clause string, args ...any) {
	c.clauses = append(c.clauses, clause)
	c.args = append(c.args, args...)
}

func (c *conditions) where() string {
	if len(c.clauses) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.clauses, " AND ")
}

// feedConditions selects f's feeds by their id column (a.feed_id or f.id).
func feedConditions(f Filter, column string) conditions {
	var c conditions
	if len(f.FeedIDs) > 0 {
		c.add(column+" IN (SELECT value FROM json_each(?))", jsonIDs(f.FeedIDs))
	}
	if f.Tag != "" {
		c.add(column+" IN (SELECT feed_id FROM feed_tags WHERE tag = ?)", f.Tag)
	}
	return c
}

// articleConditions selects f's articles a joined to their feeds f.
// Articles of unsubscribed feeds are hidden unless starred: removing a
// feed from the urls file removes it from the lists, but a starred article
// was kept on purpose.
//
// The read and starred tests are literals, not parameters, so SQLite can
// use the partial indexes built on them.
func articleConditions(f Filter) conditions {
	c := feedConditions(f, "a.feed_id")
	if f.Unread {
		c.add("a.read = 0")
	}
	if f.Starred {
		c.add("a.starred = 1")
	} else {
		c.add("(f.subscribed = 1 OR a.starred = 1)")
	}
	return c
}

const (
	articleColumns = "a.id, a.feed_id, " + feedTitleSQL + `, a.guid, a.url, a.title, a.author, a.summary, a.content,
		a.published, a.fetched, a.read, a.starred`
	articlesFromSQL = " FROM articles a JOIN feeds f ON f.id = a.feed_id"
	newestFirstSQL  = " ORDER BY a.published DESC, a.id DESC"
)

// articleIDsSQL selects the ids of the articles f selects, for use as a
// subquery. The list indexes hold every column it tests, so choosing a
// page reads no article rows; only the page's rows are read afterwards.
// Without a Limit or Offset the order does not matter here.
func articleIDsSQL(f Filter) (string, []any) {
	c := articleConditions(f)
	query := "SELECT a.id" + articlesFromSQL + c.where()
	if f.Limit <= 0 && f.Offset <= 0 {
		return query, c.args
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return query + newestFirstSQL + " LIMIT ? OFFSET ?", append(c.args, limit, max(f.Offset, 0))
}

// rowScanner is what *sql.Row and *sql.Rows share.
type rowScanner interface{ Scan(dest ...any) error }

// scanArticle reads the articleColumns, then any extra columns into extra.
func scanArticle(row rowScanner, extra ...any) (Article, error) {
	var a Article
	var published, fetched int64
	dest := append([]any{&a.ID, &a.FeedID, &a.FeedTitle, &a.GUID, &a.URL, &a.Title, &a.Author, &a.Summary, &a.Content,
		&published, &fetched, &a.Read, &a.Starred}, extra...)
	err := row.Scan(dest...)
	a.Published, a.Fetched = unixTime(published), unixTime(fetched)
	return a, err
}

// Articles returns the articles f selects, newest first (ties broken by
// id, so paging is stable).
func (s *Store) Articles(ctx context.Context, f Filter) ([]Article, error) {
	ids, args := articleIDsSQL(f)
	rows, err := s.db.QueryContext(ctx, "SELECT "+articleColumns+articlesFromSQL+
		" WHERE a.id IN ("+ids+")"+newestFirstSQL, args...)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	var articles []Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list articles: %w", err)
		}
		articles = append(articles, a)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return articles, nil
}

// Count returns how many articles f selects, ignoring Limit and Offset.
// Unless f asks for starred articles it adds up the per-feed counters
// instead of counting rows, which keeps it fast on a large cache.
func (s *Store) Count(ctx context.Context, f Filter) (int, error) {
	var query string
	var args []any
	if f.Starred {
		c := articleConditions(f)
		query, args = "SELECT count(*)"+articlesFromSQL+c.where(), c.args
	} else {
		counter := "f.total_count"
		if f.Unread {
			counter = "f.unread_count"
		}
		subscribed := feedConditions(f, "f.id")
		subscribed.add("f.subscribed = 1")
		// Starred articles of unsubscribed feeds are listed too; no
		// counter covers them, and there are few.
		kept := feedConditions(f, "a.feed_id")
		kept.add("a.starred = 1")
		kept.add("f.subscribed = 0")
		if f.Unread {
			kept.add("a.read = 0")
		}
		query = "SELECT (SELECT coalesce(sum(" + counter + "), 0) FROM feeds f" + subscribed.where() + ")" +
			" + (SELECT count(*)" + articlesFromSQL + kept.where() + ")"
		args = append(subscribed.args, kept.args...)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return n, nil
}

// Article returns one article, whichever feed it belongs to.
func (s *Store) Article(ctx context.Context, id int64) (Article, error) {
	a, err := scanArticle(s.db.QueryRowContext(ctx, "SELECT "+articleColumns+articlesFromSQL+" WHERE a.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, fmt.Errorf("article %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Article{}, fmt.Errorf("article %d: %w", id, err)
	}
	return a, nil
}

// SetRead marks the articles read or unread. If any id is unknown nothing
// changes and the error, wrapping ErrNotFound, names it.
func (s *Store) SetRead(ctx context.Context, ids []int64, read bool) error {
	return s.setFlag(ctx, "read", ids, read)
}

// SetStarred stars or unstars the articles, like SetRead.
func (s *Store) SetStarred(ctx context.Context, ids []int64, starred bool) error {
	return s.setFlag(ctx, "starred", ids, starred)
}

// setFlag sets column, one of the article flags, on ids.
func (s *Store) setFlag(ctx context.Context, column string, ids []int64, on bool) error {
	if len(ids) == 0 {
		return nil
	}
	list := jsonIDs(ids)
	err := s.write(ctx, func(tx *sql.Tx) error {
		var missing int64
		err := tx.QueryRowContext(ctx, `SELECT j.value FROM json_each(?) j
			WHERE NOT EXISTS (SELECT 1 FROM articles WHERE id = j.value) LIMIT 1`, list).Scan(&missing)
		if err == nil {
			return fmt.Errorf("article %d: %w", missing, ErrNotFound)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE articles SET "+column+" = ?1 WHERE id IN (SELECT value FROM json_each(?2)) AND "+column+" != ?1", on, list)
		return err
	})
	if err != nil {
		return fmt.Errorf("set %s: %w", column, err)
	}
	return nil
}

// MarkAllRead marks read the articles Articles(f) would return (so a Limit
// limits it too) and returns how many were unread.
func (s *Store) MarkAllRead(ctx context.Context, f Filter) (int, error) {
	ids, args := articleIDsSQL(f)
	n, err := s.writeCount(ctx, "UPDATE articles SET read = 1 WHERE read = 0 AND id IN ("+ids+")", args...)
	if err != nil {
		return 0, fmt.Errorf("mark all read: %w", err)
	}
	return n, nil
}

// Purge deletes read, unstarred articles published before olderThan and
// returns how many. Unread and starred articles are never deleted.
func (s *Store) Purge(ctx context.Context, olderThan time.Time) (int, error) {
	n, err := s.writeCount(ctx, "DELETE FROM articles WHERE read = 1 AND starred = 0 AND published < ?", olderThan.Unix())
	if err != nil {
		return 0, fmt.Errorf("purge: %w", err)
	}
	return n, nil
}

// Vacuum merges the search index, rebuilds the file without free pages and
// truncates the WAL. It waits for other writers like any write.
func (s *Store) Vacuum(ctx context.Context) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
		return err
	})
	if err != nil {
		return fmt.Errorf("vacuum %s: %w", s.path, err)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("vacuum %s: %w", s.path, err)
	}
	defer conn.Close()
	for _, stmt := range []string{"VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("vacuum %s: %s: %w", s.path, stmt, err)
		}
	}
	return nil
}

// jsonIDs encodes ids as a JSON array for json_each, so any number of them
// is one parameter.
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, 2+len(ids)*8)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
