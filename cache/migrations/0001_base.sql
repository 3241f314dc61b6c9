-- Schema 1: feeds and their tags, articles with read/starred state, per-feed
-- counters kept by triggers, and the full-text index.

-- Marks the file as byline's, so Open refuses some other program's database
-- instead of adding tables to it. 'BYLN' in ASCII.
PRAGMA application_id = 1113148494;

CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL UNIQUE,
    user_title    TEXT    NOT NULL DEFAULT '', -- from the urls file; wins over title
    title         TEXT    NOT NULL DEFAULT '', -- the feed's own
    site_url      TEXT    NOT NULL DEFAULT '',
    subscribed    INTEGER NOT NULL DEFAULT 1,
    position      INTEGER NOT NULL DEFAULT 0,  -- line order in the urls file
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    last_attempt  INTEGER NOT NULL DEFAULT 0,  -- unix seconds; 0 = never
    last_success  INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    moved_to      TEXT    NOT NULL DEFAULT '',
    gone          INTEGER NOT NULL DEFAULT 0,
    retry_after   INTEGER NOT NULL DEFAULT 0,
    -- Maintained by the triggers below so that the feed list and unread
    -- counts never scan the articles.
    unread_count  INTEGER NOT NULL DEFAULT 0,
    total_count   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feeds_subscribed ON feeds (subscribed, position);

-- Keyed by position so the tags of all feeds read out in order without a sort.
CREATE TABLE feed_tags (
    feed_id  INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    position INTEGER NOT NULL, -- order the user wrote the tags in
    tag      TEXT    NOT NULL,
    PRIMARY KEY (feed_id, position),
    UNIQUE (tag, feed_id)
) WITHOUT ROWID;

-- The small columns come first: SQLite reads a row's columns in order, so
-- filters and joins on them never touch the text, which spills to overflow
-- pages. AUTOINCREMENT keeps a purged article's id from being handed to a new
-- one while a screen or script still holds it.
CREATE TABLE articles (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_id   INTEGER NOT NULL REFERENCES feeds (id),
    published INTEGER NOT NULL, -- unix seconds
    fetched   INTEGER NOT NULL,
    read      INTEGER NOT NULL DEFAULT 0,
    starred   INTEGER NOT NULL DEFAULT 0,
    guid      TEXT    NOT NULL,
    url       TEXT    NOT NULL DEFAULT '',
    title     TEXT    NOT NULL DEFAULT '',
    author    TEXT    NOT NULL DEFAULT '',
    summary   TEXT    NOT NULL DEFAULT '',
    content   TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX articles_guid ON articles (feed_id, guid);
-- The list indexes hold every column a filter tests, so a page of ids is
-- chosen without reading article rows, which are mostly text.
CREATE INDEX articles_feed ON articles (feed_id, published DESC, id DESC, read, starred);
CREATE INDEX articles_published ON articles (published DESC, id DESC, feed_id, starred);
CREATE INDEX articles_unread ON articles (published DESC, id DESC, feed_id, starred) WHERE read = 0;
CREATE INDEX articles_starred ON articles (published DESC, id DESC, feed_id, read) WHERE starred = 1;

-- Contentless: the index holds the plain text that Go derives from the HTML
-- (so matches and snippets are words, not tags) without storing a second
-- copy of it. contentless_delete lets rows be removed by rowid alone.
-- detail = column would halve the index, but FTS5's bm25 then scores every
-- match 0, so search could not rank; positions also let a query word that
-- the tokenizer splits (as it does at Devanagari vowel signs) match as a phrase.
-- full_text is for the extracted article text a later schema stores; having
-- the column now means that schema needs no rebuild of the index.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, author, summary, content, full_text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_inserted AFTER INSERT ON articles BEGIN
    UPDATE feeds
       SET total_count = total_count + 1,
           unread_count = unread_count + (NEW.read = 0)
     WHERE id = NEW.feed_id;
END;

CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN
    UPDATE feeds
       SET total_count = total_count - 1,
           unread_count = unread_count - (OLD.read = 0)
     WHERE id = OLD.feed_id;
    DELETE FROM articles_fts WHERE rowid = OLD.id;
END;

CREATE TRIGGER articles_read_changed AFTER UPDATE OF read ON articles
WHEN OLD.read != NEW.read BEGIN
    UPDATE feeds
       SET unread_count = unread_count + (OLD.read != 0) - (NEW.read != 0)
     WHERE id = NEW.feed_id;
END;
