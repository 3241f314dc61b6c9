package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

// Retention deletes read articles that feeds may carry for a long time
// yet; the dropped_articles table (schema 6) remembers them so the next
// change to such a feed does not store them again as new and unread.

const (
	// droppedGrace is how long a dropped article is remembered after the
	// last document of its feed that still carried it. A feed that serves
	// an empty or cut-short document for a while keeps its memory; one that
	// has moved on forgets, so the table stays about the size of the feeds.
	droppedGrace = 30 * 24 * time.Hour
	// droppedSeenStep is how stale a dropped article's seen time may get
	// before a refresh writes it again: a feed refreshed every few minutes
	// costs one small write a day, not one per refresh.
	droppedSeenStep = 24 * time.Hour
)

// droppedArticle is one row of dropped_articles.
type droppedArticle struct {
	url  string
	seen int64
}

// droppedSet is what retention dropped from one feed, held by the
// articleWriter saving that feed's document.
type droppedSet struct {
	byGUID map[string]droppedArticle
	// ownURL holds the links that identify one item: held by one dropped
	// article and by at most one item of the document. A feed whose items
	// all link to its home page identifies them by guid alone.
	ownURL map[string]bool
	// docGUIDs and docURLs are the document's, to tell which dropped
	// articles it still carries.
	docGUIDs, docURLs map[string]bool
}

// loadDropped reads the feed's dropped articles, if it has any, for
// skipping the document's items.
func (w *articleWriter) loadDropped(ctx context.Context, items []preparedItem) error {
	rows, err := w.tx.QueryContext(ctx, droppedRowsSQL, w.feedID)
	if err != nil {
		return err
	}
	d := &droppedSet{byGUID: map[string]droppedArticle{}, ownURL: map[string]bool{}, docGUIDs: map[string]bool{}, docURLs: map[string]bool{}}
	urlCount := map[string]int{}
	for rows.Next() {
		var guid string
		var a droppedArticle
		if err := rows.Scan(&guid, &a.url, &a.seen); err != nil {
			rows.Close()
			return err
		}
		d.byGUID[guid] = a
		if a.url != "" {
			urlCount[a.url]++
		}
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	for _, it := range items {
		d.docGUIDs[it.GUID] = true
		if it.URL != "" {
			if d.docURLs[it.URL] {
				urlCount[it.URL]++ // a second item with this link
			}
			d.docURLs[it.URL] = true
		}
	}
	for url, n := range urlCount {
		if n == 1 {
			d.ownURL[url] = true
		}
	}
	w.dropped = d
	return nil
}

// covers reports whether item is one that retention dropped.
func (d *droppedSet) covers(item preparedItem) bool {
	if d == nil {
		return false
	}
	if _, ok := d.byGUID[item.GUID]; ok {
		return true
	}
	return item.URL != "" && d.ownURL[item.URL]
}

// updateDropped records which dropped articles the document still carries
// and forgets those it has not carried for droppedGrace.
func (w *articleWriter) updateDropped(ctx context.Context) error {
	d := w.dropped
	if d == nil {
		return nil
	}
	now := w.now.Unix()
	var seen, forgotten []string
	for guid, a := range d.byGUID {
		switch {
		case d.docGUIDs[guid] || (a.url != "" && d.docURLs[a.url]):
			if a.seen < now-int64(droppedSeenStep.Seconds()) {
				seen = append(seen, guid)
			}
		case a.seen < now-int64(droppedGrace.Seconds()):
			forgotten = append(forgotten, guid)
		}
	}
	if len(seen) > 0 {
		if _, err := w.tx.ExecContext(ctx, droppedSeenSQL, now, w.feedID, jsonStrings(seen)); err != nil {
			return err
		}
	}
	if len(forgotten) > 0 {
		if _, err := w.tx.ExecContext(ctx, droppedForgetSQL, w.feedID, jsonStrings(forgotten)); err != nil {
			return err
		}
	}
	return nil
}

// rememberPurged records the articles that the purge condition where
// (with args) is about to delete. An article dropped before keeps its row.
func rememberPurged(ctx context.Context, tx *sql.Tx, now time.Time, where string, args ...any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO dropped_articles (feed_id, guid, url, seen)
		SELECT feed_id, guid, url, ? FROM articles WHERE `+where+`
		ON CONFLICT (feed_id, guid) DO UPDATE SET url = excluded.url, seen = excluded.seen`,
		append([]any{now.Unix()}, args...)...)
	return err
}

// jsonStrings encodes ss as a JSON array for json_each.
func jsonStrings(ss []string) string {
	if ss == nil {
		ss = []string{} // not null, which json_each reads as one NULL
	}
	b, _ := json.Marshal(ss) // strings always encode
	return string(b)
}

const (
	droppedRowsSQL   = `SELECT guid, url, seen FROM dropped_articles WHERE feed_id = ?`
	droppedSeenSQL   = `UPDATE dropped_articles SET seen = ? WHERE feed_id = ? AND guid IN (SELECT value FROM json_each(?))`
	droppedForgetSQL = `DELETE FROM dropped_articles WHERE feed_id = ? AND guid IN (SELECT value FROM json_each(?))`
)
