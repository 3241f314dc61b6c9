package cache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
)

// feedTitleSQL is the title shown for feed row f: the user's, else the
// feed's own, else its URL.
const feedTitleSQL = "coalesce(nullif(f.user_title, ''), nullif(f.title, ''), f.url)"

// subscription is a feed row's urls-file side.
type subscription struct {
	id         int64
	url        string
	userTitle  string
	position   int
	subscribed bool
	tags       []string
}

// SyncSubscriptions makes the subscribed feeds exactly subs (the urls file):
// feeds are matched by URL, take their title override, tags and position
// from subs, and feeds missing from subs are unsubscribed. The feeds of
// sync accounts are the accounts' business and stay as they are. Their articles
// stay, so starred ones remain and resubscribing brings everything back.
// Syncing the urls file last synced reads one row and writes nothing, so
// calling it on every start is cheap.
func (s *Store) SyncSubscriptions(ctx context.Context, subs []news.Subscription) (err error) {
	defer s.explain(&err)
	wanted := normalizeSubscriptions(subs)
	digest := subscriptionsDigest(wanted)
	var synced []byte
	err = s.db.QueryRowContext(ctx, "SELECT digest FROM synced_subscriptions").Scan(&synced)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sync subscriptions: %w", err)
	}
	if bytes.Equal(synced, digest) {
		return nil
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		current, err := loadSubscriptions(ctx, tx)
		if err != nil {
			return err
		}
		changed, dropped := subscriptionChanges(current, wanted)
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO synced_subscriptions (id, digest) VALUES (1, ?)", digest); err != nil {
			return err
		}
		for _, sub := range changed {
			if err := saveSubscription(ctx, tx, sub); err != nil {
				return fmt.Errorf("%s: %w", sub.url, err)
			}
		}
		for _, id := range dropped {
			if _, err := tx.ExecContext(ctx, "UPDATE feeds SET subscribed = 0 WHERE id = ?", id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sync subscriptions: %w", err)
	}
	return nil
}

// normalizeSubscriptions numbers subs in order, drops repeated URLs (the
// first line wins) and blank or repeated tags.
func normalizeSubscriptions(subs []news.Subscription) []subscription {
	seen := make(map[string]bool, len(subs))
	out := make([]subscription, 0, len(subs))
	for _, sub := range subs {
		if seen[sub.URL] {
			continue
		}
		seen[sub.URL] = true
		var tags []string
		for _, tag := range sub.Tags {
			if tag = strings.TrimSpace(tag); tag != "" && !slices.Contains(tags, tag) {
				tags = append(tags, tag)
			}
		}
		out = append(out, subscription{url: sub.URL, userTitle: sub.Title, position: len(out), subscribed: true, tags: tags})
	}
	return out
}

// subscriptionsDigest identifies a normalized urls file: the SHA-256 of
// its feeds' URLs, titles, positions and tags, each text prefixed with its
// length so that none can fake a boundary.
func subscriptionsDigest(subs []subscription) []byte {
	var b []byte
	text := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	for _, sub := range subs {
		text(sub.url)
		text(sub.userTitle)
		b = strconv.AppendInt(b, int64(sub.position), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(len(sub.tags)), 10)
		for _, tag := range sub.tags {
			text(tag)
		}
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

func loadSubscriptions(ctx context.Context, q queryer) (map[string]*subscription, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, url, user_title, position, subscribed FROM feeds WHERE account = ''")
	if err != nil {
		return nil, err
	}
	byURL := make(map[string]*subscription)
	byID := make(map[int64]*subscription)
	for rows.Next() {
		sub := &subscription{}
		if err := rows.Scan(&sub.id, &sub.url, &sub.userTitle, &sub.position, &sub.subscribed); err != nil {
			rows.Close()
			return nil, err
		}
		byURL[sub.url] = sub
		byID[sub.id] = sub
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	err = eachTag(ctx, q, func(feedID int64, tag string) {
		if sub := byID[feedID]; sub != nil {
			sub.tags = append(sub.tags, tag)
		}
	})
	return byURL, err
}

// eachTag calls fn for every tag of every feed, in the order the user
// wrote them.
func eachTag(ctx context.Context, q queryer, fn func(feedID int64, tag string)) error {
	rows, err := q.QueryContext(ctx, "SELECT feed_id, tag FROM feed_tags ORDER BY feed_id, position")
	if err != nil {
		return err
	}
	for rows.Next() {
		var feedID int64
		var tag string
		if err := rows.Scan(&feedID, &tag); err != nil {
			rows.Close()
			return err
		}
		fn(feedID, tag)
	}
	return closeRows(rows)
}

// closeRows closes rows and reports the iteration error, if any.
func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// subscriptionChanges lists the wanted subscriptions that differ from the
// stored ones and the ids of subscribed feeds that are no longer wanted.
func subscriptionChanges(current map[string]*subscription, wanted []subscription) (changed []subscription, dropped []int64) {
	keep := make(map[string]bool, len(wanted))
	for _, w := range wanted {
		keep[w.url] = true
		cur := current[w.url]
		if cur == nil || !cur.subscribed || cur.userTitle != w.userTitle || cur.position != w.position || !slices.Equal(cur.tags, w.tags) {
			changed = append(changed, w)
		}
	}
	for _, cur := range current {
		if cur.subscribed && !keep[cur.url] {
			dropped = append(dropped, cur.id)
		}
	}
	return changed, dropped
}

func saveSubscription(ctx context.Context, tx *sql.Tx, sub subscription) error {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO feeds (url, user_title, position, subscribed) VALUES (?, ?, ?, 1)
		ON CONFLICT (url) WHERE account = '' DO UPDATE SET user_title = excluded.user_title, position = excluded.position, subscribed = 1
		RETURNING id`, sub.url, sub.userTitle, sub.position).Scan(&id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM feed_tags WHERE feed_id = ?", id); err != nil {
		return err
	}
	for i, tag := range sub.tags {
		if _, err := tx.ExecContext(ctx, "INSERT INTO feed_tags (feed_id, position, tag) VALUES (?, ?, ?)", id, i, tag); err != nil {
			return err
		}
	}
	return nil
}

// Feeds returns the subscribed feeds with their fetch state and article
// counts: the urls file's in its order, then each account's.
func (s *Store) Feeds(ctx context.Context) (_ []news.Feed, err error) {
	defer s.explain(&err)
	rows, err := s.db.QueryContext(ctx, `SELECT f.id, f.url, `+feedTitleSQL+`, f.site_url, f.etag, f.last_modified,
		f.last_attempt, f.last_success, f.last_error, f.moved_to, f.gone, f.retry_after, f.unread_count, f.total_count,
		f.account, f.remote_id
		FROM feeds f WHERE f.subscribed = 1 ORDER BY f.account, f.position, f.id`)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	var feeds []news.Feed
	index := make(map[int64]int)
	for rows.Next() {
		var f news.Feed
		var attempt, success, retryAfter int64
		if err := rows.Scan(&f.ID, &f.URL, &f.Title, &f.SiteURL, &f.Validators.ETag, &f.Validators.LastModified,
			&attempt, &success, &f.LastError, &f.MovedTo, &f.Gone, &retryAfter, &f.Unread, &f.Total, &f.Account, &f.RemoteID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list feeds: %w", err)
		}
		f.LastAttempt, f.LastSuccess, f.RetryAfter = unixTime(attempt), unixTime(success), unixTime(retryAfter)
		index[f.ID] = len(feeds)
		feeds = append(feeds, f)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	err = eachTag(ctx, s.db, func(feedID int64, tag string) {
		if i, ok := index[feedID]; ok {
			feeds[i].Tags = append(feeds[i].Tags, tag)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return feeds, nil
}

// maxErrorBytes bounds a stored fetch error: it is shown in a status line,
// and its text may come from a server.
const maxErrorBytes = 1024

// SaveResult stores one fetch outcome in one transaction and returns how
// many new articles it added.
//
// StatusOK upserts the items by GUID (a changed item keeps its read and
// starred flags; items that left the feed stay), takes the feed's title and
// site, stores the validators and clears the error. StatusNotModified is a
// success that changes no article: it records the attempt and clears the
// error, keeping the validators unless new ones came. StatusFailed records
// the attempt, the error, 410 Gone, Retry-After and a permanent redirect,
// and keeps the last success and validators.
func (s *Store) SaveResult(ctx context.Context, feedID int64, r feed.Result) (newItems int, err error) {
	return s.SavePrepared(ctx, feedID, Prepare(r))
}

// SavePrepared is SaveResult of a result that Prepare made ready.
func (s *Store) SavePrepared(ctx context.Context, feedID int64, p *Prepared) (newItems int, err error) {
	defer s.explain(&err)
	r := p.Result
	now := s.now()
	err = s.write(ctx, func(tx *sql.Tx) error {
		newItems = 0
		if err := saveFeedState(ctx, tx, feedID, r, now.Unix()); err != nil {
			return err
		}
		if r.Status != feed.StatusOK || r.Feed == nil {
			return nil
		}
		w, err := s.newArticleWriter(ctx, tx, feedID, now, p.items)
		if err != nil {
			return err
		}
		for _, item := range p.items {
			added, err := w.save(ctx, item)
			if err != nil {
				return fmt.Errorf("item %q: %w", item.GUID, err)
			}
			if added {
				newItems++
			}
		}
		if err := w.flushQueue(ctx); err != nil {
			return err
		}
		if err := w.updateDropped(ctx); err != nil {
			return fmt.Errorf("dropped articles: %w", err)
		}
		// New articles are unread. The counters are bumped once here
		// rather than by a trigger per row, which cost a statement
		// journal and an UPDATE for every article of a refresh.
		if newItems > 0 {
			_, err = tx.ExecContext(ctx, "UPDATE feeds SET total_count = total_count + ?1, unread_count = unread_count + ?1 WHERE id = ?2", newItems, feedID)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("save feed %d (%s): %w", feedID, r.URL, err)
	}
	return newItems, nil
}

func saveFeedState(ctx context.Context, tx *sql.Tx, feedID int64, r feed.Result, now int64) error {
	var res sql.Result
	var err error
	switch r.Status {
	case feed.StatusOK:
		var title, site string
		if r.Feed != nil {
			title, site = r.Feed.Title, r.Feed.SiteURL
		}
		res, err = tx.ExecContext(ctx, `UPDATE feeds SET
			title = CASE WHEN ?1 <> '' THEN ?1 ELSE title END,
			site_url = CASE WHEN ?2 <> '' THEN ?2 ELSE site_url END,
			etag = ?3, last_modified = ?4, last_attempt = ?5, last_success = ?5,
			last_error = '', gone = 0, retry_after = 0, moved_to = ?6
			WHERE id = ?7`,
			title, site, r.Validators.ETag, r.Validators.LastModified, now, r.MovedTo, feedID)
	case feed.StatusNotModified:
		res, err = tx.ExecContext(ctx, `UPDATE feeds SET
			etag = CASE WHEN ?1 <> '' OR ?2 <> '' THEN ?1 ELSE etag END,
			last_modified = CASE WHEN ?1 <> '' OR ?2 <> '' THEN ?2 ELSE last_modified END,
			last_attempt = ?3, last_success = ?3, last_error = '', gone = 0, retry_after = 0, moved_to = ?4
			WHERE id = ?5`,
			r.Validators.ETag, r.Validators.LastModified, now, r.MovedTo, feedID)
	default:
		message := "unknown error"
		if r.Err != nil {
			message = truncateUTF8(r.Err.Error(), maxErrorBytes)
		}
		res, err = tx.ExecContext(ctx, `UPDATE feeds SET
			last_attempt = ?, last_error = ?, gone = ?, retry_after = ?, moved_to = ?
			WHERE id = ?`,
			now, message, r.Gone, unixSeconds(r.RetryAfter), r.MovedTo, feedID)
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
