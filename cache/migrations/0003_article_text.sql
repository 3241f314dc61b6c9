-- Schema 3: article text moves out of the articles rows, and read counts
-- are kept by the statements that change them.
--
-- An articles row held a few KiB of summary and content, so marking 50,000
-- articles read rewrote (and first read, mostly from disk) 200 MB of pages
-- to flip one column. Now the rows are about 200 bytes and flag changes
-- touch only them; the text is read for the few articles shown.

CREATE TABLE article_text (
    id      INTEGER PRIMARY KEY, -- the article's id
    summary TEXT    NOT NULL DEFAULT '',
    content TEXT    NOT NULL DEFAULT ''
);
INSERT INTO article_text (id, summary, content) SELECT id, summary, content FROM articles;

-- The articles table is rebuilt rather than altered: DROP COLUMN would
-- leave every page of it nearly empty, and flag changes as slow as before
-- until a VACUUM.
CREATE TABLE articles_v3 (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_id   INTEGER NOT NULL REFERENCES feeds (id),
    published INTEGER NOT NULL, -- unix seconds
    fetched   INTEGER NOT NULL,
    read      INTEGER NOT NULL DEFAULT 0,
    starred   INTEGER NOT NULL DEFAULT 0,
    guid      TEXT    NOT NULL,
    url       TEXT    NOT NULL DEFAULT '',
    title     TEXT    NOT NULL DEFAULT '',
    author    TEXT    NOT NULL DEFAULT ''
);
INSERT INTO articles_v3 (id, feed_id, published, fetched, read, starred, guid, url, title, author)
    SELECT id, feed_id, published, fetched, read, starred, guid, url, title, author FROM articles;
-- The new table takes over the id sequence, so that the ids of purged
-- articles are still never handed out again.
DELETE FROM sqlite_sequence WHERE name = 'articles_v3';
INSERT INTO sqlite_sequence (name, seq) SELECT 'articles_v3', seq FROM sqlite_sequence WHERE name = 'articles';
DROP TABLE articles;
ALTER TABLE articles_v3 RENAME TO articles;

-- Schemas 1 and 2's indexes, gone with the old table.
CREATE UNIQUE INDEX articles_guid ON articles (feed_id, guid);
CREATE INDEX articles_feed ON articles (feed_id, published DESC, id DESC, read, starred);
CREATE INDEX articles_published ON articles (published DESC, id DESC, feed_id, starred);
CREATE INDEX articles_unread ON articles (published DESC, id DESC, feed_id, starred) WHERE read = 0;
CREATE INDEX articles_starred ON articles (published DESC, id DESC, feed_id, read) WHERE starred = 1;
CREATE INDEX articles_url ON articles (url);

-- The triggers went with the old table too. SaveResult counts new articles
-- (schema 2), and SetRead and MarkAllRead now adjust unread_count once
-- per feed: the per-row trigger cost as much as the rest of marking
-- thousands of articles read. A deleted article still updates the counts
-- and takes its index rows, text, queue entry and page along.
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
