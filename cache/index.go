package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// queueIndexSQL lists article ? in index_pending, for IndexPending to
// (re)index it.
const queueIndexSQL = `INSERT OR IGNORE INTO index_pending (article_id) VALUES (?)`

// Batches of IndexPending. The first batch is small, so that a short
// budget is kept; later batches are sized from the time per article so
// far, between these bounds. Each batch is one transaction and one index
// segment, so the upper bound also limits how long another writer waits.
const (
	firstIndexBatch = 32
	maxIndexBatch   = 512
	// maxIndexBytes bounds the text a batch reads and indexes at once (a
	// kept page alone may be 1 MiB): at most about the 4 MiB the search
	// index gathers in memory before it writes a segment (hashsize, set
	// by migration 12). indexAll's batches are that size, however many
	// articles it takes: a search that indexed 100,000 bench articles in
	// batches of 512 wrote 183 segments, 120 MB, and in batches of 4 MiB
	// 37 segments, 112 MB, which later searches read fewer of.
	maxIndexBytes = 4 << 20
)

// IndexPending indexes the articles listed in index_pending (new and
// changed ones, and those whose page was stored) for search and Similar,
// in batches of one transaction each, until none is left or budget has
// been spent, and returns how many are left. A batch that is started is
// finished, so it may overrun budget by one batch; a budget of 0 or less
// only counts. When nothing is pending it costs one small read, and does
// not wait for the write lock.
//
// Until its turn comes an article is in the lists but not in the indexes;
// Search indexes what is pending first. A crash between batches leaves
// the rest pending; no article is ever half indexed.
func (s *Store) IndexPending(ctx context.Context, budget time.Duration) (remaining int, err error) {
	defer s.explain(&err)
	deadline := time.Now().Add(budget)
	batch := firstIndexBatch
	for budget > 0 {
		var pending bool
		if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM index_pending)").Scan(&pending); err != nil {
			return 0, fmt.Errorf("index pending articles: %w", err)
		}
		if !pending {
			return 0, nil
		}
		start := time.Now()
		n, err := s.indexBatch(ctx, batch)
		if err != nil {
			return 0, fmt.Errorf("index pending articles: %w", err)
		}
		left := time.Until(deadline)
		if n < batch || left <= 0 {
			break
		}
		perArticle := time.Since(start) / time.Duration(n)
		batch = min(maxIndexBatch, max(1, int(left/max(perArticle, time.Microsecond))))
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM index_pending").Scan(&remaining); err != nil {
		return 0, fmt.Errorf("index pending articles: %w", err)
	}
	return remaining, nil
}

// indexAll indexes every pending article, in batches of maxIndexBytes:
// the caller waits for all of it anyway, so a writer that comes meanwhile
// waits for a larger batch than IndexPending's.
func (s *Store) indexAll(ctx context.Context) error {
	for {
		var pending bool
		if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM index_pending)").Scan(&pending); err != nil || !pending {
			return err
		}
		if _, err := s.indexBatch(ctx, math.MaxInt32); err != nil {
			return fmt.Errorf("index pending articles: %w", err)
		}
	}
}

// pendingArticle is the indexed text of one queued article.
type pendingArticle struct {
	id                                    int64
	title, author, summary, content, page string
	exists                                bool
}

// indexBatch replaces the index rows of up to limit queued articles, the
// oldest first, as many as maxIndexBytes of text holds (one at least),
// with complete ones and returns how many it took off the queue.
func (s *Store) indexBatch(ctx context.Context, limit int) (int, error) {
	var batch []pendingArticle
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if batch, err = loadPending(ctx, tx, limit); err != nil || len(batch) == 0 {
			return err
		}
		// The queue goes first, and each index is written in one run in
		// rowid order: FTS5 keeps new entries in memory and writes them
		// out as a new segment whenever another statement comes between,
		// or a rowid comes out of order. An article indexed before (changed
		// since, or given a page) loses its old rows first; deleting the
		// rows of one never indexed costs nothing, as its rowid is past
		// every segment's.
		if _, err := tx.ExecContext(ctx, "DELETE FROM index_pending WHERE article_id <= ?", batch[len(batch)-1].id); err != nil {
			return err
		}
		for _, ix := range []struct {
			unindex, index string
			args           func(a pendingArticle) []any
		}{
			{"DELETE FROM articles_fts WHERE rowid = ?",
				"INSERT INTO articles_fts (rowid, title, author, summary, content, full_text) VALUES (?, ?, ?, ?, ?, ?)",
				func(a pendingArticle) []any {
					content := plainText(a.content)
					return []any{a.id, plainText(a.title), plainText(a.author), indexedSummary(plainText(a.summary), content), content, truncateUTF8(a.page, maxIndexedPageBytes)}
				}},
			{"DELETE FROM titles_fts WHERE rowid = ?",
				"INSERT INTO titles_fts (rowid, title) VALUES (?, ?)",
				func(a pendingArticle) []any { return []any{a.id, plainText(a.title)} }},
		} {
			if err := writeIndex(ctx, tx, batch, ix.unindex, ix.index, ix.args); err != nil {
				return err
			}
		}
		return nil
	})
	return len(batch), err
}

// indexedSummary is the text of summary to index beside content, both
// plain text: none when content holds it already. Most feeds' summary is
// their content's first lines (often with "…" or "[…]" after), and
// indexing them twice made a sixth of the index and found nothing more;
// a word there still counts for the article, in its content.
func indexedSummary(summary, content string) string {
	if head := strings.TrimRight(summary, " .…[]"); head != "" && strings.Contains(content, head) {
		return ""
	}
	return summary
}

// writeIndex replaces the rows of the batch's articles in one index.
func writeIndex(ctx context.Context, tx *sql.Tx, batch []pendingArticle, unindexSQL, indexSQL string, args func(pendingArticle) []any) error {
	unindex, err := tx.PrepareContext(ctx, unindexSQL)
	if err != nil {
		return err
	}
	defer unindex.Close()
	index, err := tx.PrepareContext(ctx, indexSQL)
	if err != nil {
		return err
	}
	defer index.Close()
	for _, a := range batch {
		if !a.exists {
			continue
		}
		if _, err := unindex.ExecContext(ctx, a.id); err != nil {
			return fmt.Errorf("article %d: %w", a.id, err)
		}
	}
	for _, a := range batch {
		if !a.exists {
			continue
		}
		if _, err := index.ExecContext(ctx, args(a)...); err != nil {
			return fmt.Errorf("article %d: %w", a.id, err)
		}
	}
	return nil
}

// loadPending reads the first limit queued articles in id order, and no
// more once they hold maxIndexBytes of text. A queued id whose article is
// gone is returned with exists false, so that it leaves the queue too.
func loadPending(ctx context.Context, tx *sql.Tx, limit int) ([]pendingArticle, error) {
	rows, err := tx.QueryContext(ctx, `SELECT q.article_id, a.id IS NOT NULL,
			coalesce(a.title, ''), coalesce(a.author, ''), t.summary, t.content, coalesce(p.text, '')
		FROM index_pending q
		LEFT JOIN articles a ON a.id = q.article_id
		LEFT JOIN article_text t ON t.id = q.article_id
		LEFT JOIN pages p ON p.url = a.url
		ORDER BY q.article_id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	var batch []pendingArticle
	size := 0
	for size < maxIndexBytes && rows.Next() {
		var a pendingArticle
		if err := rows.Scan(&a.id, &a.exists, &a.title, &a.author, storedText{s: &a.summary}, storedText{s: &a.content, summary: &a.summary}, &a.page); err != nil {
			rows.Close()
			return nil, err
		}
		batch = append(batch, a)
		size += len(a.title) + len(a.author) + len(a.summary) + len(a.content) + len(a.page)
	}
	return batch, closeRows(rows)
}

// Merging in Maintain goes in steps of mergeStepPages index pages (FTS5's
// 'merge' command): each step is one transaction of a few tens of
// milliseconds, so other writers never wait long.
const (
	mergeStepPages = 128
	// maintainBudget bounds Maintain when ctx has no deadline. Measured:
	// after each refresh of 10,000 new articles, merging until none was
	// due took 50 ms in a new cache and 1.4 s on average while it grew
	// to 100,000 articles (BenchmarkColdRefresh, BenchmarkBuild100k).
	maintainBudget = 500 * time.Millisecond
)

// Maintain merges the segments of the search indexes until no merge is
// due or its time is up: ctx's deadline, or maintainBudget if ctx has none.
// Work left over continues on the next call, so calling it with a generous
// deadline when the TUI is idle is how a large backlog gets merged. A
// deadline that passes in the middle of a step rolls that step back and is
// not an error.
//
// Every write transaction adds a segment to an index and a search looks
// each word up in every segment, so a refresh should end with a call to
// Maintain. A merge is due when a level of an index holds four or more
// segments, or a segment is mostly deleted rows; when none is, Maintain
// costs a small transaction per index.
func (s *Store) Maintain(ctx context.Context) (err error) {
	defer s.explain(&err)
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(maintainBudget)
	}
	for {
		start := time.Now()
		merged := false
		for _, ix := range []ftsIndex{articleIndex, titleIndex} {
			m, err := s.mergeStep(ctx, ix.table)
			switch {
			case err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
				return nil
			case err != nil:
				return fmt.Errorf("maintain %s: %w", s.path, err)
			}
			merged = merged || m
		}
		if !merged {
			return s.releaseFreePages(ctx)
		}
		// Stop when another round would likely not finish in time.
		if time.Now().Add(time.Since(start)).After(deadline) {
			return nil
		}
	}
}

// releaseFreePages gives the pages that merging and indexing freed back
// to the file system: after a large refresh they are a tenth of the file,
// and a cache that only grows by them is a cache people delete. A cache
// created before auto_vacuum was set has none to release until a purge.
func (s *Store) releaseFreePages(ctx context.Context) error {
	// Most calls find none, and need not wait for the write lock to know.
	var free int
	err := s.db.QueryRowContext(ctx, "SELECT freelist_count FROM pragma_freelist_count").Scan(&free)
	if err != nil {
		return fmt.Errorf("maintain %s: count free pages: %w", s.path, err)
	}
	if free == 0 {
		return nil
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "PRAGMA incremental_vacuum")
		return err
	})
	if err != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("maintain %s: release free pages: %w", s.path, err)
	}
	return nil
}

// mergeStep runs one bounded FTS5 merge of index table and reports
// whether it did any work.
func (s *Store) mergeStep(ctx context.Context, table string) (merged bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		var before, after int64
		if err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&before); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" ("+table+", rank) VALUES ('merge', ?)", mergeStepPages); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&after); err != nil {
			return err
		}
		// FTS5 documents this test: a merge that did any work changed
		// at least two rows.
		merged = after-before >= 2
		return nil
	})
	return merged, err
}
