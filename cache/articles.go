package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bylinehq/byline/news"
)

// articleStatements are the statements SaveResult runs for every item. A
// Store prepares them once: preparing them in every transaction took a
// quarter of the time of saving a feed whose items had not changed.
type articleStatements struct {
	feedState, find, insert, insertText, updateRow, updateText, queue *sql.Stmt
}

// each calls fn with every statement field and its query.
func (st *articleStatements) each(fn func(stmt **sql.Stmt, query string) error) error {
	for _, p := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&st.feedState, `SELECT EXISTS (SELECT 1 FROM articles WHERE feed_id = ?1), EXISTS (SELECT 1 FROM dropped_articles WHERE feed_id = ?1),
			EXISTS (SELECT 1 FROM articles WHERE feed_id = ?1 AND ` + restoredGUIDRange + `)`},
		{&st.find, `SELECT a.id, a.published, a.url, a.title, a.author, t.summary, t.content
			FROM articles a JOIN article_text t ON t.id = a.id WHERE a.feed_id = ? AND a.guid = ?`},
		{&st.insert, `INSERT INTO articles (feed_id, guid, url, title, author, published, fetched)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed_id, guid) DO NOTHING`},
		{&st.insertText, `INSERT INTO article_text (id, summary, content) VALUES (?, ?, ?)`},
		{&st.updateRow, `UPDATE articles SET url = ?, title = ?, author = ?, published = ? WHERE id = ?`},
		{&st.updateText, `UPDATE article_text SET summary = ?, content = ? WHERE id = ?`},
		{&st.queue, queueIndexSQL},
	} {
		if err := fn(p.stmt, p.query); err != nil {
			return err
		}
	}
	return nil
}

func prepareArticleStatements(ctx context.Context, db *sql.DB) (*articleStatements, error) {
	st := &articleStatements{}
	err := st.each(func(stmt **sql.Stmt, query string) (err error) {
		*stmt, err = db.PrepareContext(ctx, query)
		return err
	})
	if err != nil {
		st.close()
		return nil, err
	}
	return st, nil
}

func (st *articleStatements) close() {
	st.each(func(stmt **sql.Stmt, _ string) error {
		if *stmt != nil {
			(*stmt).Close()
		}
		return nil
	})
}

// in returns the statements for use in tx. database/sql prepares each on
// the transaction's connection once and keeps it for later transactions.
func (st *articleStatements) in(ctx context.Context, tx *sql.Tx) *articleStatements {
	bound := *st
	bound.each(func(stmt **sql.Stmt, _ string) error {
		*stmt = tx.StmtContext(ctx, *stmt)
		return nil
	})
	return &bound
}

// articleWriter upserts the items of one feed in one transaction.
//
// Nothing is indexed for search here: every new or changed article is
// listed in index_pending, and IndexPending indexes it later, in large
// batches, off the path of the refresh the user waits for. Indexing was
// most of a refresh's work (about 0.2 ms of a single writer's time per
// article of 500 words); a search indexes what is pending first, so it
// never misses an article.
type articleWriter struct {
	*articleStatements
	tx          *sql.Tx
	feedID      int64
	now         time.Time
	hasArticles bool             // the feed had articles before this transaction
	dropped     *droppedSet      // what retention dropped from the feed; nil if nothing
	restored    map[string]int64 // articles a repair saved without their guid, by link
	queued      []int64          // articles to list in index_pending
}

// newArticleWriter starts saving items, the document of feedID.
func (s *Store) newArticleWriter(ctx context.Context, tx *sql.Tx, feedID int64, now time.Time, items []preparedItem) (*articleWriter, error) {
	w := &articleWriter{articleStatements: s.articleStmts.in(ctx, tx), tx: tx, feedID: feedID, now: now}
	var hasDropped, hasRestored bool
	if err := w.feedState.QueryRowContext(ctx, feedID).Scan(&w.hasArticles, &hasDropped, &hasRestored); err != nil {
		return nil, err
	}
	if hasRestored {
		if err := w.loadRestored(ctx); err != nil {
			return nil, fmt.Errorf("articles restored by a repair: %w", err)
		}
	}
	if hasDropped {
		if err := w.loadDropped(ctx, items); err != nil {
			return nil, fmt.Errorf("dropped articles: %w", err)
		}
	}
	return w, nil
}

// newSyncWriter returns a writer for the entries of a sync account's
// feeds, which switchFeed points at each feed in turn.
func (s *Store) newSyncWriter(ctx context.Context, tx *sql.Tx, now time.Time) *articleWriter {
	return &articleWriter{articleStatements: s.articleStmts.in(ctx, tx), tx: tx, now: now}
}

// switchFeed makes the writer save the items of feedID from here on; the
// index entries queued so far stay queued. What retention dropped is not
// consulted: a server that sends an entry again means it to be here, as
// when it was marked unread there. Nor is what a repair restored: a
// server's entries are known by the server's ids, not by their links.
func (w *articleWriter) switchFeed(ctx context.Context, feedID int64) error {
	w.feedID, w.dropped, w.restored = feedID, nil, nil
	var hasDropped, hasRestored bool
	return w.feedState.QueryRowContext(ctx, feedID).Scan(&w.hasArticles, &hasDropped, &hasRestored)
}

// save inserts item, or updates the stored one with the same GUID if it
// changed, and reports whether it was new. Read and starred are never
// touched. An item that retention dropped is not stored again.
func (w *articleWriter) save(ctx context.Context, item preparedItem) (added bool, err error) {
	_, added, err = w.saveID(ctx, item)
	return added, err
}

// saveID is save that also returns the article's id.
func (w *articleWriter) saveID(ctx context.Context, item preparedItem) (id int64, added bool, err error) {
	// Most items of a feed that has articles are stored already, so they
	// are looked up first. In a feed without any (a first refresh) the
	// insert is tried first, which costs one statement and no lookup.
	if w.hasArticles {
		cur, found, err := w.lookup(ctx, item.GUID)
		if err != nil {
			return 0, false, err
		}
		if found {
			return cur.id, false, w.update(ctx, cur, item)
		}
	}
	if w.dropped.covers(item) {
		return 0, false, nil
	}
	if id, ok := w.restored[item.URL]; ok && item.URL != "" {
		return id, false, w.adopt(ctx, id, item)
	}
	published := w.now
	if date, ok := w.itemDate(item.Item); ok {
		published = date
	}
	// An Exec: in database/sql a statement that returns rows costs
	// several times more.
	res, err := w.insert.ExecContext(ctx, w.feedID, item.GUID, item.URL, item.Title, item.Author, published.Unix(), w.now.Unix())
	if err != nil {
		return 0, false, err
	}
	inserted, err := res.RowsAffected()
	if err != nil {
		return 0, false, err
	}
	if inserted == 0 {
		// The GUID came earlier in the same result.
		cur, _, err := w.lookup(ctx, item.GUID)
		if err != nil {
			return 0, false, err
		}
		return cur.id, false, w.update(ctx, cur, item)
	}
	id, err = res.LastInsertId()
	if err != nil {
		return 0, false, err
	}
	if _, err := w.insertText.ExecContext(ctx, id, item.storedSummary, item.storedContent); err != nil {
		return 0, false, err
	}
	w.queued = append(w.queued, id)
	return id, true, nil
}

// itemDate is the date item is filed under, if it has a usable one. A
// date in the future would pin the item to the top of every list, so such
// an item is filed as seen now and keeps that date.
func (w *articleWriter) itemDate(item news.Item) (time.Time, bool) {
	date := item.Published
	if date.IsZero() {
		date = item.Updated
	}
	return date, !date.IsZero() && !date.After(w.now)
}

// storedArticle is the part of an article that a refresh may change.
type storedArticle struct {
	id, published                        int64
	url, title, author, summary, content string
}

// lookup finds the stored article with guid in the writer's feed.
func (w *articleWriter) lookup(ctx context.Context, guid string) (cur storedArticle, found bool, err error) {
	err = w.find.QueryRowContext(ctx, w.feedID, guid).Scan(&cur.id, &cur.published, &cur.url, &cur.title, &cur.author, storedText{s: &cur.summary}, storedText{s: &cur.content, summary: &cur.summary})
	if errors.Is(err, sql.ErrNoRows) {
		return cur, false, nil
	}
	return cur, err == nil, err
}

// update brings the stored article cur up to date with item, writing
// only if something changed.
func (w *articleWriter) update(ctx context.Context, cur storedArticle, item preparedItem) error {
	published := cur.published
	if date, ok := w.itemDate(item.Item); ok {
		published = date.Unix()
	}
	textChanged := cur.title != item.Title || cur.author != item.Author || cur.summary != item.Summary || cur.content != item.Content
	if !textChanged && cur.url == item.URL && cur.published == published {
		return nil
	}
	if _, err := w.updateRow.ExecContext(ctx, item.URL, item.Title, item.Author, published, cur.id); err != nil {
		return err
	}
	if cur.summary != item.Summary || cur.content != item.Content {
		if _, err := w.updateText.ExecContext(ctx, item.storedSummary, item.storedContent, cur.id); err != nil {
			return err
		}
	}
	if textChanged {
		w.queued = append(w.queued, cur.id)
	}
	return nil
}

// flushQueue lists the new and changed articles in index_pending, in id
// order (IndexPending takes them in that order).
func (w *articleWriter) flushQueue(ctx context.Context) error {
	slices.Sort(w.queued)
	for _, id := range slices.Compact(w.queued) {
		if _, err := w.queue.ExecContext(ctx, id); err != nil {
			return fmt.Errorf("queue article %d for indexing: %w", id, err)
		}
	}
	w.queued = w.queued[:0]
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
func feedConditions(f news.Filter, column string) conditions {
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
func articleConditions(f news.Filter) conditions {
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
	articleColumns = "a.id, a.feed_id, " + feedTitleSQL + `, a.guid, a.url, a.title, a.author, t.summary, t.content,
		a.published, a.fetched, a.read, a.starred`
	// articlesFromSQL is what filters need; articleRowsFromSQL adds the
	// text, for the articleColumns of the few articles returned.
	articlesFromSQL    = " FROM articles a JOIN feeds f ON f.id = a.feed_id"
	articleRowsFromSQL = articlesFromSQL + " JOIN article_text t ON t.id = a.id"
	newestFirstSQL     = " ORDER BY a.published DESC, a.id DESC"
)

// orderSQL is the ORDER BY clause of an Order. NOCASE folds ASCII case,
// as byTitle's Go comparison does.
func orderSQL(o news.Order) string {
	switch o {
	case news.ByTitle:
		return " ORDER BY a.title COLLATE NOCASE, a.published DESC, a.id DESC"
	case news.ByFeed:
		return " ORDER BY " + feedTitleSQL + " COLLATE NOCASE, a.published DESC, a.id DESC"
	}
	return newestFirstSQL
}

// articleIDsSQL selects the ids of the articles f selects, for use as a
// subquery. The list indexes hold every column it tests, so choosing a
// page reads no article rows; only the page's rows are read afterwards.
// Without a Limit or Offset the order does not matter here.
func articleIDsSQL(f news.Filter) (string, []any) {
	return pageSQL(articleConditions(f), f)
}

// pageSQL selects the ids of the articles c selects, cut to f's page.
func pageSQL(c conditions, f news.Filter) (string, []any) {
	query := "SELECT a.id" + articlesFromSQL + c.where()
	if f.Limit <= 0 && f.Offset <= 0 {
		return query, c.args
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return query + orderSQL(f.Order) + " LIMIT ? OFFSET ?", append(c.args, limit, max(f.Offset, 0))
}

// rowScanner is what *sql.Row and *sql.Rows share.
type rowScanner interface{ Scan(dest ...any) error }

// scanArticle reads the articleColumns, then any extra columns into extra.
func scanArticle(row rowScanner, extra ...any) (news.Article, error) {
	var a news.Article
	var published, fetched int64
	dest := append([]any{&a.ID, &a.FeedID, &a.FeedTitle, &a.GUID, &a.URL, &a.Title, &a.Author, storedText{s: &a.Summary}, storedText{s: &a.Content, summary: &a.Summary},
		&published, &fetched, &a.Read, &a.Starred}, extra...)
	err := row.Scan(dest...)
	a.Published, a.Fetched = unixTime(published), unixTime(fetched)
	return a, err
}

// Articles returns the articles f selects, newest first (ties broken by
// id, so paging is stable).
func (s *Store) Articles(ctx context.Context, f news.Filter) (_ []news.Article, err error) {
	defer s.explain(&err)
	var articles []news.Article
	if f.Query != "" {
		articles, err = s.queryArticles(ctx, f)
	} else {
		ids, args := articleIDsSQL(f)
		articles, err = s.articlesIn(ctx, ids, args, f.Order)
	}
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return articles, nil
}

// articlesIn returns the articles whose ids the subquery ids selects, in
// order.
func (s *Store) articlesIn(ctx context.Context, ids string, args []any, order news.Order) ([]news.Article, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+articleColumns+articleRowsFromSQL+
		" WHERE a.id IN ("+ids+")"+orderSQL(order), args...)
	if err != nil {
		return nil, err
	}
	var articles []news.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		articles = append(articles, a)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	return articles, nil
}

// Count returns how many articles f selects, ignoring Limit and Offset.
// Unless f asks for starred articles it adds up the per-feed counters
// instead of counting rows, which keeps it fast on a large cache.
func (s *Store) Count(ctx context.Context, f news.Filter) (_ int, err error) {
	defer s.explain(&err)
	if f.Query != "" {
		n, err := s.queryCount(ctx, f)
		if err != nil {
			return 0, fmt.Errorf("count articles: %w", err)
		}
		return n, nil
	}
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
func (s *Store) Article(ctx context.Context, id int64) (_ news.Article, err error) {
	defer s.explain(&err)
	a, err := scanArticle(s.db.QueryRowContext(ctx, "SELECT "+articleColumns+articleRowsFromSQL+" WHERE a.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Article{}, fmt.Errorf("article %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("article %d: %w", id, err)
	}
	return a, nil
}

// SetRead marks the articles read or unread. If any id is unknown nothing
// changes and the error, wrapping ErrNotFound, names it.
func (s *Store) SetRead(ctx context.Context, ids []int64, read bool) (err error) {
	defer s.explain(&err)
	return s.setFlag(ctx, "read", ids, read)
}

// SetStarred stars or unstars the articles, like SetRead.
func (s *Store) SetStarred(ctx context.Context, ids []int64, starred bool) (err error) {
	defer s.explain(&err)
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
		// Marks of synced articles are queued for their servers in the
		// same transaction, before the flags change.
		from := " FROM articles a WHERE a." + column + " = " + flagLiteral(!on) + " AND a.id IN (SELECT value FROM json_each(?))"
		if err := queueMarks(ctx, tx, news.Flag(column), on, from, []any{list}); err != nil {
			return err
		}
		if column == "read" {
			_, err = setRead(ctx, tx, from, []any{list}, on)
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE articles SET starred = ?1 WHERE id IN (SELECT value FROM json_each(?2)) AND starred != ?1", on, list)
		return err
	})
	if err != nil {
		return fmt.Errorf("set %s: %w", column, err)
	}
	return nil
}

// setRead sets the read flag of the articles a that the FROM clause from
// (with args) selects, which must all have the other value, keeps the
// feeds' unread counts, and returns how many articles changed.
func setRead(ctx context.Context, tx *sql.Tx, from string, args []any, read bool) (int, error) {
	sign := "+"
	if read {
		sign = "-"
	}
	_, err := tx.ExecContext(ctx, "UPDATE feeds SET unread_count = unread_count "+sign+" c.n"+
		" FROM (SELECT a.feed_id, count(*) AS n"+from+" GROUP BY a.feed_id) AS c"+
		" WHERE feeds.id = c.feed_id", args...)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, "UPDATE articles SET read = "+flagLiteral(read)+" WHERE id IN (SELECT a.id"+from+")", args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// flagLiteral is a flag's value as an SQL literal: SQLite uses the partial
// indexes on read and starred only for conditions with literals.
func flagLiteral(on bool) string {
	if on {
		return "1"
	}
	return "0"
}

// MarkAllRead marks read the articles Articles(f) would return (so a Limit
// limits it too) and returns how many were unread.
func (s *Store) MarkAllRead(ctx context.Context, f news.Filter) (_ int, err error) {
	defer s.explain(&err)
	if f.Query != "" {
		n, err := s.queryMarkRead(ctx, f)
		if err != nil {
			return 0, fmt.Errorf("mark all read: %w", err)
		}
		return n, nil
	}
	// Without a page to cut, the unread articles f selects are found on
	// the index of unread articles alone.
	var from string
	var args []any
	if f.Limit <= 0 && f.Offset <= 0 {
		f.Unread = true
		c := articleConditions(f)
		from, args = articlesFromSQL+c.where(), c.args
	} else {
		var ids string
		ids, args = articleIDsSQL(f)
		from = " FROM articles a WHERE a.read = 0 AND a.id IN (" + ids + ")"
	}
	var n int
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := queueMarks(ctx, tx, news.FlagRead, true, from, args); err != nil {
			return err
		}
		var err error
		n, err = setRead(ctx, tx, from, args, true)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("mark all read: %w", err)
	}
	return n, nil
}

// Purge deletes read, unstarred articles published before olderThan and
// returns how many. Unread and starred articles are never deleted. The
// page of a deleted article goes with it (unless another article has the
// same URL); pages of no article go when fetched before olderThan. A
// deleted article is remembered (see dropped.go), so that its feed, which
// may carry it for a long time yet, does not bring it back.
func (s *Store) Purge(ctx context.Context, olderThan time.Time) (_ int, err error) {
	defer s.explain(&err)
	return s.Retain(ctx, Retention{OlderThan: olderThan})
}

// Vacuum indexes what is pending, merges the search indexes, rebuilds the
// file without free pages and truncates the WAL. It waits for other
// writers like any write.
func (s *Store) Vacuum(ctx context.Context) (err error) {
	defer s.explain(&err)
	if err := s.indexAll(ctx); err != nil {
		return fmt.Errorf("vacuum %s: %w", s.path, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		for _, ix := range []ftsIndex{articleIndex, titleIndex} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+ix.table+" ("+ix.table+") VALUES ('optimize')"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("vacuum %s: %w", s.path, err)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("vacuum %s: %w", s.path, err)
	}
	defer conn.Close()
	// A cache made before Maintain released free pages switches to
	// incremental vacuum here: VACUUM is what applies the change.
	for _, stmt := range []string{"PRAGMA auto_vacuum = INCREMENTAL", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
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
