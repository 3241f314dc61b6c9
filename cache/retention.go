package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Retention says which articles a purge deletes. Starred articles are
// never deleted, nor unread ones for their age.
type Retention struct {
	// OlderThan: read articles published before it go; zero keeps them.
	OlderThan time.Time
	// MaxItems: a feed's articles beyond its newest MaxItems go, read or
	// not; 0 keeps them all.
	MaxItems int
	// Feeds holds the feeds with their own rules, by feed id; a zero field
	// of theirs keeps (it does not inherit: the caller resolves that).
	Feeds map[int64]FeedRetention
}

// FeedRetention is one feed's own retention.
type FeedRetention struct {
	OlderThan time.Time
	MaxItems  int
}

// Retain deletes what r says and returns how many articles went. Like
// Purge, it remembers each one (dropped.go), takes its page along unless
// another article shares the URL, and deletes pages of no article fetched
// before r.OlderThan.
func (s *Store) Retain(ctx context.Context, r Retention) (_ int, err error) {
	defer s.explain(&err)
	ages, limits := map[string]int64{}, map[string]int{}
	anyLimit := r.MaxItems > 0
	for id, own := range r.Feeds {
		key := "f" + strconv.FormatInt(id, 10)
		ages[key] = unixOrZero(own.OlderThan)
		limits[key] = own.MaxItems
		anyLimit = anyLimit || own.MaxItems > 0
	}
	agesJSON, _ := json.Marshal(ages) // a map of numbers always encodes
	limitsJSON, _ := json.Marshal(limits)
	// Ages: a feed's own cutoff, else the global one; a cutoff of 0 keeps
	// everything, as no article is dated before 1970.
	where := "starred = 0 AND (read = 1 AND published < coalesce(json_extract(?, '$.f' || feed_id), ?)"
	args := []any{string(agesJSON), unixOrZero(r.OlderThan)}
	if anyLimit {
		// Limits: the articles past a feed's newest n, counting starred
		// ones, which stay anyway.
		where += ` OR id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY feed_id ORDER BY published DESC, id DESC) AS n,
			coalesce(json_extract(?, '$.f' || feed_id), ?) AS keep FROM articles) WHERE keep > 0 AND n > keep)`
		args = append(args, string(limitsJSON), r.MaxItems)
	}
	where += ")"
	// Plain ? parameters only: rememberPurged puts one of its own first.
	var n int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := rememberPurged(ctx, tx, s.now(), where, args...); err != nil {
			return err
		}
		if anyLimit { // else only read articles go
			if err := rememberUnreadSynced(ctx, tx, s.now(), where, args...); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM articles WHERE "+where, args...)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if r.OlderThan.IsZero() {
			return nil
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM pages WHERE fetched < ?
			AND NOT EXISTS (SELECT 1 FROM articles WHERE url = pages.url)`, r.OlderThan.Unix())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge: %w", err)
	}
	return int(n), nil
}

// rememberUnreadSynced keeps the synced articles that the purge condition
// where is about to delete while unread (they are past their feed's
// max-items) out of the next syncs: their servers still list them as
// unread, and a sync fetches the unread entries it does not have. A read
// one may come back, as it should when it is marked unread there.
func rememberUnreadSynced(ctx context.Context, tx *sql.Tx, now time.Time, where string, args ...any) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO kept_out (account, remote_id, reason, kept_at)
		SELECT (SELECT account FROM feeds WHERE feeds.id = articles.feed_id), guid, '`+keptByRetention+`', ?
		FROM articles WHERE read = 0 AND feed_id IN (SELECT id FROM feeds WHERE account <> '') AND `+where,
		append([]any{now.Unix()}, args...)...)
	return err
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
