-- Schema 9: sync accounts, the feeds their servers hold, and the outbox of
-- marks waiting to reach those servers.

-- One row per account that has synced. server is the account's type and
-- URL: pointed at another server, the account starts over. state is the
-- client's own cursor, opaque to the cache, written in the transaction
-- that stores what it covers.
CREATE TABLE accounts (
    name       TEXT    NOT NULL PRIMARY KEY,
    server     TEXT    NOT NULL,
    state      BLOB    NOT NULL DEFAULT '',
    last_sync  INTEGER NOT NULL DEFAULT 0, -- unix seconds of the last complete sync
    last_error TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- A feed now belongs to the urls file (account '') or to an account, which
-- knows it by the server's id. The same URL may be in both, or in two
-- accounts, so url is unique only among the urls file's feeds. The table
-- is rebuilt to drop the UNIQUE on url; ids, counters and tags are kept.
CREATE TABLE feeds_v6 (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL,
    user_title    TEXT    NOT NULL DEFAULT '',
    title         TEXT    NOT NULL DEFAULT '',
    site_url      TEXT    NOT NULL DEFAULT '',
    subscribed    INTEGER NOT NULL DEFAULT 1,
    position      INTEGER NOT NULL DEFAULT 0,
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    last_attempt  INTEGER NOT NULL DEFAULT 0,
    last_success  INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    moved_to      TEXT    NOT NULL DEFAULT '',
    gone          INTEGER NOT NULL DEFAULT 0,
    retry_after   INTEGER NOT NULL DEFAULT 0,
    unread_count  INTEGER NOT NULL DEFAULT 0,
    total_count   INTEGER NOT NULL DEFAULT 0,
    account       TEXT    NOT NULL DEFAULT '',
    remote_id     TEXT    NOT NULL DEFAULT ''
);
INSERT INTO feeds_v6 (id, url, user_title, title, site_url, subscribed, position, etag, last_modified,
        last_attempt, last_success, last_error, moved_to, gone, retry_after, unread_count, total_count)
    SELECT id, url, user_title, title, site_url, subscribed, position, etag, last_modified,
        last_attempt, last_success, last_error, moved_to, gone, retry_after, unread_count, total_count
    FROM feeds;

-- The migration runs with foreign keys off, so dropping feeds leaves
-- feed_tags and articles alone; they refer to feeds by name, which
-- feeds_v6 takes with every id. The rename checks every trigger against
-- the schema, so the one that names feeds goes first and comes back as
-- schema 3 made it.
DROP TRIGGER articles_deleted;
DROP TABLE feeds;
ALTER TABLE feeds_v6 RENAME TO feeds;
CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN
    UPDATE feeds
       SET total_count = total_count - 1,
           unread_count = unread_count - (OLD.read = 0)
     WHERE id = OLD.feed_id;
    DELETE FROM article_text WHERE id = OLD.id;
    DELETE FROM articles_fts WHERE rowid = OLD.id;
    DELETE FROM index_pending WHERE article_id = OLD.id;
    DELETE FROM pages
     WHERE url = OLD.url
       AND NOT EXISTS (SELECT 1 FROM articles WHERE url = OLD.url);
END;
CREATE INDEX feeds_subscribed ON feeds (subscribed, position);
CREATE UNIQUE INDEX feeds_local_url ON feeds (url) WHERE account = '';
CREATE UNIQUE INDEX feeds_remote_id ON feeds (account, remote_id) WHERE account <> '';

-- A read, unread, star or unstar of a synced article, committed with the
-- change itself and deleted once the server has it. One row per article
-- and flag: a later change replaces an earlier one that was not pushed
-- yet, under a new seq, so a push that read the old row cannot delete the
-- new one. remote_id is kept here so a mark still reaches the server if
-- retention deletes the article first.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    account    TEXT    NOT NULL,
    article_id INTEGER NOT NULL,
    remote_id  TEXT    NOT NULL,
    flag       TEXT    NOT NULL CHECK (flag IN ('read', 'starred')),
    value      INTEGER NOT NULL,
    UNIQUE (article_id, flag)
);
CREATE INDEX outbox_account ON outbox (account, seq);
