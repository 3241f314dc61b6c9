package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bylinehq/byline/news"
)

// A sync account's feeds are rows of feeds with the account's name and the
// server's id of the feed; their articles have the server's id of the
// entry as GUID. Every read, unread, star and unstar of such an article
// is queued in the outbox in the transaction that makes it, and leaves the
// outbox when the server has acknowledged it (MarksPushed).
//
// The conflict rule lives in the statements that apply what a server
// says: they skip every article and flag with a row in the outbox. A sync
// pushes before it pulls, so a row there is a change the server has not
// seen; once it is pushed the server's state includes it and wins.

// queueMarksSQL queues, for the synced articles among those that the
// subquery ?1-bound "SELECT a.id FROM …" selects, the flag set to value.
func queueMarksSQL(flag news.Flag, on bool, ids string) string {
	return `INSERT OR REPLACE INTO outbox (account, article_id, remote_id, flag, value)
		SELECT sf.account, sa.id, sa.guid, '` + string(flag) + `', ` + flagLiteral(on) + `
		FROM articles sa JOIN feeds sf ON sf.id = sa.feed_id
		WHERE sf.account <> '' AND sa.id IN (` + ids + `)`
}

// hasSyncedFeeds reports whether any feed belongs to an account; without
// one, marking has no outbox to fill.
func hasSyncedFeeds(ctx context.Context, q queryer) (bool, error) {
	var yes bool
	err := q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM feeds WHERE account <> '')").Scan(&yes)
	return yes, err
}

// queueMarks queues the change of flag to on for the synced articles that
// "SELECT a.id"+from (with args) selects, which must be the ones about to
// change.
func queueMarks(ctx context.Context, tx *sql.Tx, flag news.Flag, on bool, from string, args []any) error {
	synced, err := hasSyncedFeeds(ctx, tx)
	if err != nil || !synced {
		return err
	}
	_, err = tx.ExecContext(ctx, queueMarksSQL(flag, on, "SELECT a.id"+from), args...)
	return err
}

// Waiting returns how many marks wait in the outbox for each account.
func (s *Store) Waiting(ctx context.Context) (_ map[string]int, err error) {
	defer s.explain(&err)
	rows, err := s.db.QueryContext(ctx, "SELECT account, count(*) FROM outbox GROUP BY account")
	if err != nil {
		return nil, fmt.Errorf("count waiting changes: %w", err)
	}
	waiting := make(map[string]int)
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("count waiting changes: %w", err)
		}
		waiting[name] = n
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("count waiting changes: %w", err)
	}
	return waiting, nil
}

// PendingMarks returns the account's marks waiting in the outbox, oldest
// first.
func (s *Store) PendingMarks(ctx context.Context, account string) (_ []news.Mark, err error) {
	defer s.explain(&err)
	rows, err := s.db.QueryContext(ctx, `SELECT seq, article_id, remote_id, flag, value FROM outbox
		WHERE account = ? ORDER BY seq`, account)
	if err != nil {
		return nil, fmt.Errorf("account %s: waiting changes: %w", account, err)
	}
	var marks []news.Mark
	for rows.Next() {
		var m news.Mark
		if err := rows.Scan(&m.Seq, &m.ArticleID, &m.RemoteID, &m.Flag, &m.On); err != nil {
			rows.Close()
			return nil, fmt.Errorf("account %s: waiting changes: %w", account, err)
		}
		marks = append(marks, m)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("account %s: waiting changes: %w", account, err)
	}
	return marks, nil
}

// MarksPushed removes marks the server has acknowledged. A mark replaced
// by a later change since it was read (a new seq) stays for the next push.
func (s *Store) MarksPushed(ctx context.Context, marks []news.Mark) (err error) {
	defer s.explain(&err)
	if len(marks) == 0 {
		return nil
	}
	seqs := make([]int64, len(marks))
	for i, m := range marks {
		seqs[i] = m.Seq
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(?))", jsonIDs(seqs))
		return err
	})
	if err != nil {
		return fmt.Errorf("forget pushed changes: %w", err)
	}
	return nil
}

// AccountState returns the sync cursor stored for the account on server
// (its type and URL). An account seen with another server before starts
// over: its old feeds are unsubscribed (their starred articles stay, as
// for a removed feed) and no cursor is returned.
func (s *Store) AccountState(ctx context.Context, account, server string) (_ []byte, err error) {
	defer s.explain(&err)
	var state []byte
	var stored string
	err = s.db.QueryRowContext(ctx, "SELECT server, state FROM accounts WHERE name = ?", account).Scan(&stored, &state)
	if err == nil && stored == server {
		return state, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("account %s: sync state: %w", account, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (name, server) VALUES (?1, ?2)
			ON CONFLICT (name) DO UPDATE SET server = ?2, state = '', last_sync = 0, last_error = ''`, account, server); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM kept_out WHERE account = ?", account); err != nil {
			return err
		}
		// The old server's ids mean nothing to the new one; they are made
		// unique and unlike any server's so new feeds cannot collide.
		_, err := tx.ExecContext(ctx, "UPDATE feeds SET subscribed = 0, remote_id = '~' || id WHERE account = ?", account)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account %s: sync state: %w", account, err)
	}
	return nil, nil
}

// SaveAccountResult records how a sync of the account ended: at now when
// syncErr is empty, else the error (which must carry no secret).
func (s *Store) SaveAccountResult(ctx context.Context, account string, syncErr string) (err error) {
	defer s.explain(&err)
	err = s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if syncErr == "" {
			_, err = tx.ExecContext(ctx, "UPDATE accounts SET last_sync = ?, last_error = '' WHERE name = ?", s.now().Unix(), account)
		} else {
			_, err = tx.ExecContext(ctx, "UPDATE accounts SET last_error = ? WHERE name = ?", truncateUTF8(syncErr, maxErrorBytes), account)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("account %s: save sync result: %w", account, err)
	}
	return nil
}

// KeepAccounts unsubscribes the feeds of accounts not among names (an
// account removed from config.toml), like feeds removed from the urls
// file. It writes only when there is something to change.
func (s *Store) KeepAccounts(ctx context.Context, names []string) (err error) {
	defer s.explain(&err)
	list := jsonStrings(names)
	const stale = "account <> '' AND subscribed = 1 AND account NOT IN (SELECT value FROM json_each(?))"
	var any bool
	if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM feeds WHERE "+stale+")", list).Scan(&any); err != nil {
		return fmt.Errorf("sync accounts: %w", err)
	}
	if !any {
		return nil
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE feeds SET subscribed = 0 WHERE "+stale, list)
		return err
	})
	if err != nil {
		return fmt.Errorf("sync accounts: %w", err)
	}
	return nil
}

// SaveRemoteFeeds makes the account's subscribed feeds exactly feeds, in
// their order, with the server's titles and tags, and returns the id of
// each by the server's id. Feeds the server no longer lists are
// unsubscribed; their starred articles stay.
func (s *Store) SaveRemoteFeeds(ctx context.Context, account string, feeds []news.RemoteFeed) (_ map[string]int64, err error) {
	defer s.explain(&err)
	ids := make(map[string]int64, len(feeds))
	now := s.now().Unix()
	err = s.write(ctx, func(tx *sql.Tx) error {
		clear(ids)
		for i, f := range feeds {
			if _, seen := ids[f.ID]; seen {
				continue
			}
			var id int64
			// The server fetches the feed; its last success here is the
			// sync's, and its error the server's.
			err := tx.QueryRowContext(ctx, `INSERT INTO feeds (account, remote_id, url, title, site_url, position, subscribed,
					last_attempt, last_success, last_error)
				VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7, ?8)
				ON CONFLICT (account, remote_id) WHERE account <> '' DO UPDATE SET
					url = ?3, title = ?4, site_url = ?5, position = ?6, subscribed = 1,
					last_attempt = ?7, last_success = ?7, last_error = ?8
				RETURNING id`, account, f.ID, f.URL, f.Title, f.SiteURL, i, now, truncateUTF8(f.Error, maxErrorBytes)).Scan(&id)
			if err != nil {
				return fmt.Errorf("feed %s: %w", f.URL, err)
			}
			ids[f.ID] = id
			if err := saveTags(ctx, tx, id, f.Tags); err != nil {
				return fmt.Errorf("feed %s: %w", f.URL, err)
			}
		}
		kept := make([]int64, 0, len(ids))
		for _, id := range ids {
			kept = append(kept, id)
		}
		_, err := tx.ExecContext(ctx, `UPDATE feeds SET subscribed = 0
			WHERE account = ? AND subscribed = 1 AND id NOT IN (SELECT value FROM json_each(?))`, account, jsonIDs(kept))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account %s: save feeds: %w", account, err)
	}
	return ids, nil
}

// saveTags replaces the tags of feed id, which are cleaned of blanks and
// repeats, in order.
func saveTags(ctx context.Context, tx *sql.Tx, id int64, tags []string) error {
	var clean []string
	for _, tag := range tags {
		if tag = strings.TrimSpace(tag); tag != "" && !slices.Contains(clean, tag) {
			clean = append(clean, tag)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM feed_tags WHERE feed_id = ?", id); err != nil {
		return err
	}
	for i, tag := range clean {
		if _, err := tx.ExecContext(ctx, "INSERT INTO feed_tags (feed_id, position, tag) VALUES (?, ?, ?)", id, i, tag); err != nil {
			return err
		}
	}
	return nil
}

// RemoteArticles returns the server's ids of the account's stored articles
// and of those kept out of the cache (see KeptOut) by retention or by
// rules, a fingerprint of the rules in force: a sync need not fetch them.
func (s *Store) RemoteArticles(ctx context.Context, account, rules string) (_ map[string]bool, err error) {
	defer s.explain(&err)
	rows, err := s.db.QueryContext(ctx, `SELECT a.guid FROM articles a JOIN feeds f ON f.id = a.feed_id
		WHERE f.account = ?1
		UNION ALL SELECT remote_id FROM kept_out WHERE account = ?1 AND reason IN ('`+keptByRetention+`', ?2)`, account, rules)
	if err != nil {
		return nil, fmt.Errorf("account %s: stored articles: %w", account, err)
	}
	known := make(map[string]bool)
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("account %s: stored articles: %w", account, err)
		}
		known[id] = true
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("account %s: stored articles: %w", account, err)
	}
	return known, nil
}

// PreparedItems are a server's entries made ready for SaveRemoteItems off
// the writer, as Prepare does for a feed.
type PreparedItems struct {
	items  []preparedItem
	remote []news.RemoteItem
	// keptOut are the server's ids of entries that rules kept out.
	keptOut []string
	rules   string
}

// KeptOut adds to p the server's ids of entries that were kept out of the
// cache by rules (a fingerprint of them, never empty): SaveRemoteItems
// remembers them, so that a sync under the same rules does not fetch them
// again.
func (p *PreparedItems) KeptOut(rules string, ids []string) {
	p.rules = rules
	p.keptOut = append(p.keptOut, ids...)
}

// keptByRetention is the reason kept_out gives for the unread entries of
// a sync account that retention deleted (past a feed's max-items). They
// are not fetched again whatever the rules.
const keptByRetention = "retention"

// keepOut remembers entries of account kept out for reason.
func keepOut(ctx context.Context, tx *sql.Tx, account, reason string, ids []string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO kept_out (account, remote_id, reason, kept_at)
		SELECT ?, value, ?, ? FROM json_each(?)`, account, reason, now.Unix(), jsonStrings(ids))
	return err
}

// keptOutGrace is how long an entry stays remembered as kept out once the
// server no longer lists it as unread or starred: past the few days a
// Google Reader sync looks back for new items.
const keptOutGrace = 30 * 24 * time.Hour

// PrepareRemote makes items ready for SaveRemoteItems. It is safe for
// concurrent use.
func PrepareRemote(items []news.RemoteItem) *PreparedItems {
	p := &PreparedItems{items: make([]preparedItem, len(items)), remote: items}
	for i, it := range items {
		p.items[i] = prepareItem(it.Item)
	}
	return p
}

// ErrUnknownFeed means a server's entry belongs to a feed that
// SaveRemoteFeeds has not stored: the server's list changed since.
var ErrUnknownFeed = errors.New("entry of a feed the server did not list")

// SaveRemoteItems stores a batch of the account's entries and state, the
// client's cursor past them, in one transaction, and returns how many
// entries were new. feedIDs maps the server's feed ids to feeds, as
// SaveRemoteFeeds returned it. Each entry's read and starred flags are
// the server's, except where a change made here waits in the outbox.
func (s *Store) SaveRemoteItems(ctx context.Context, account string, feedIDs map[string]int64, p *PreparedItems, state []byte) (newItems int, err error) {
	defer s.explain(&err)
	now := s.now()
	err = s.write(ctx, func(tx *sql.Tx) error {
		newItems = 0
		w := s.newSyncWriter(ctx, tx, now)
		added := make(map[int64]int) // per feed
		flags := make(map[bool][]int64)
		stars := make(map[bool][]int64)
		// Grouped by feed, so each feed's lookups use one writer state.
		order := make([]int, len(p.items))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(p.remote[a].FeedID, p.remote[b].FeedID) })
		for _, i := range order {
			item, remote := p.items[i], p.remote[i]
			feedID, ok := feedIDs[remote.FeedID]
			if !ok {
				return fmt.Errorf("entry %s of feed %s: %w", item.GUID, remote.FeedID, ErrUnknownFeed)
			}
			if feedID != w.feedID {
				if err := w.switchFeed(ctx, feedID); err != nil {
					return err
				}
			}
			id, isNew, err := w.saveID(ctx, item)
			if err != nil {
				return fmt.Errorf("entry %q: %w", item.GUID, err)
			}
			if isNew {
				added[feedID]++
				newItems++
			}
			flags[remote.Read] = append(flags[remote.Read], id)
			stars[remote.Starred] = append(stars[remote.Starred], id)
		}
		if err := w.flushQueue(ctx); err != nil {
			return err
		}
		for feedID, n := range added {
			if _, err := tx.ExecContext(ctx, "UPDATE feeds SET total_count = total_count + ?1, unread_count = unread_count + ?1 WHERE id = ?2", n, feedID); err != nil {
				return err
			}
		}
		for _, on := range []bool{true, false} {
			if _, err := applyRemoteFlags(ctx, tx, flags[on], stars[on], on); err != nil {
				return err
			}
		}
		if err := keepOut(ctx, tx, account, p.rules, p.keptOut, now); err != nil {
			return err
		}
		return saveState(ctx, tx, account, state)
	})
	if err != nil {
		return 0, fmt.Errorf("account %s: save entries: %w", account, err)
	}
	return newItems, nil
}

func saveState(ctx context.Context, tx *sql.Tx, account string, state []byte) error {
	if state == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, "UPDATE accounts SET state = ? WHERE name = ?", state, account)
	return err
}

// notQueuedSQL excludes articles a whose flag waits in the outbox: a change
// made here and not pushed yet wins over what the server says.
func notQueuedSQL(flag news.Flag) string {
	return " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.article_id = a.id AND o.flag = '" + string(flag) + "')"
}

// applyRemoteFlags sets read to on for the articles readIDs and starred to
// on for starIDs, where they differ and nothing waits in the outbox, and
// returns how many flags changed.
func applyRemoteFlags(ctx context.Context, tx *sql.Tx, readIDs, starIDs []int64, on bool) (int, error) {
	changed := 0
	if len(readIDs) > 0 {
		from := " FROM articles a WHERE a.read = " + flagLiteral(!on) +
			" AND a.id IN (SELECT value FROM json_each(?))" + notQueuedSQL(news.FlagRead)
		n, err := setRead(ctx, tx, from, []any{jsonIDs(readIDs)}, on)
		if err != nil {
			return 0, err
		}
		changed += n
	}
	if len(starIDs) > 0 {
		res, err := tx.ExecContext(ctx, "UPDATE articles AS a SET starred = "+flagLiteral(on)+
			" WHERE a.starred = "+flagLiteral(!on)+" AND a.id IN (SELECT value FROM json_each(?))"+notQueuedSQL(news.FlagStarred),
			jsonIDs(starIDs))
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		changed += int(n)
	}
	return changed, nil
}

// ApplyRemoteState makes the flags of the articles of the account's
// subscribed feeds the server's whole state, except where a change waits
// in the outbox, and stores the client's cursor with it. It returns how
// many flags changed.
func (s *Store) ApplyRemoteState(ctx context.Context, account string, remote news.RemoteState, state []byte) (_ int, err error) {
	defer s.explain(&err)
	changed := 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		changed = 0
		// Only the feeds the server lists: it deletes the entries of a
		// feed it no longer has, which then look neither unread nor
		// starred there, and their stars stay here as a removed local
		// feed's do.
		rows, err := tx.QueryContext(ctx, `SELECT a.id, a.guid, a.read, a.starred FROM articles a JOIN feeds f ON f.id = a.feed_id
			WHERE f.account = ? AND f.subscribed = 1`, account)
		if err != nil {
			return err
		}
		var flags, stars [2][]int64 // [0]: to turn off, [1]: to turn on
		for rows.Next() {
			var id int64
			var guid string
			var read, starred bool
			if err := rows.Scan(&id, &guid, &read, &starred); err != nil {
				rows.Close()
				return err
			}
			if wantRead := !remote.Unread[guid]; wantRead != read {
				flags[index(wantRead)] = append(flags[index(wantRead)], id)
			}
			if wantStar := remote.Starred[guid]; wantStar != starred {
				stars[index(wantStar)] = append(stars[index(wantStar)], id)
			}
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		for _, on := range []bool{true, false} {
			n, err := applyRemoteFlags(ctx, tx, flags[index(on)], stars[index(on)], on)
			if err != nil {
				return err
			}
			changed += n
		}
		if err := forgetKeptOut(ctx, tx, account, remote, s.now()); err != nil {
			return err
		}
		return saveState(ctx, tx, account, state)
	})
	if err != nil {
		return 0, fmt.Errorf("account %s: save read and starred state: %w", account, err)
	}
	return changed, nil
}

// forgetKeptOut forgets the entries kept out longer than keptOutGrace ago
// that the server lists as neither unread nor starred: a sync would not
// fetch them anyway.
func forgetKeptOut(ctx context.Context, tx *sql.Tx, account string, remote news.RemoteState, now time.Time) error {
	rows, err := tx.QueryContext(ctx, "SELECT remote_id FROM kept_out WHERE account = ? AND kept_at < ?",
		account, now.Add(-keptOutGrace).Unix())
	if err != nil {
		return err
	}
	var forget []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if !remote.Unread[id] && !remote.Starred[id] {
			forget = append(forget, id)
		}
	}
	if err := closeRows(rows); err != nil || len(forget) == 0 {
		return err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM kept_out WHERE account = ? AND remote_id IN (SELECT value FROM json_each(?))", account, jsonStrings(forget))
	return err
}

func index(on bool) int {
	if on {
		return 1
	}
	return 0
}

// UnsubscribeRemote unsubscribes the synced feed id here, once its server
// has; its starred articles stay, as for any removed feed.
func (s *Store) UnsubscribeRemote(ctx context.Context, id int64) (err error) {
	defer s.explain(&err)
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE feeds SET subscribed = 0 WHERE id = ? AND account <> ''", id)
		return err
	})
	if err != nil {
		return fmt.Errorf("unsubscribe feed %d: %w", id, err)
	}
	return nil
}
