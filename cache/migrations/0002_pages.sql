-- Schema 2: web pages extracted for the article reader, and the queue that
-- lets the long text of an article be indexed after it is stored.

-- A page is stored by URL whether it is a feed article's or a link the
-- reader followed. data is the reader's extracted article, opaque to the
-- cache; text is its plain text, indexed into the full_text column of the
-- articles with the same URL. The small columns come first, as in articles.
CREATE TABLE pages (
    url     TEXT    NOT NULL PRIMARY KEY,
    fetched INTEGER NOT NULL, -- unix seconds
    text    TEXT    NOT NULL,
    data    BLOB    NOT NULL
);
CREATE INDEX pages_fetched ON pages (fetched);

-- Finds an article by its link (the reader opening one), and the articles
-- a page belongs to.
CREATE INDEX articles_url ON articles (url);

-- Articles whose index row holds only the headline columns (title, author,
-- summary). Tokenizing the content is most of the cost of indexing, so a
-- refresh indexes the headlines in its own transaction and lists the
-- article here; IndexPending later replaces the row with a complete one,
-- a batch per transaction.
CREATE TABLE index_pending (
    article_id INTEGER PRIMARY KEY
);

-- Index merging moves out of the refresh. FTS5 by default merges index
-- segments a little on every write, and with the long text indexed in
-- separate transactions (above) that work, re-merging rows just replaced,
-- cost several times the indexing itself. With automerge off, Maintain
-- merges at the end of a refresh instead. crisismerge bounds the segments
-- of one level if Maintain never runs: on 10,000 articles a search took
-- 5 ms with 260 segments against 2 ms with one.
-- The settings persist in the index's config table.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 0);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('crisismerge', 256);

-- SaveResult counts the articles it adds into feeds itself, once per
-- transaction: the per-row trigger cost a statement journal and an UPDATE
-- for each of the thousands of articles a refresh can add.
DROP TRIGGER articles_inserted;

-- A deleted article leaves the queue, and takes its page along unless
-- another article shares the URL.
CREATE TRIGGER articles_deleted_pending_and_page AFTER DELETE ON articles BEGIN
    DELETE FROM index_pending WHERE article_id = OLD.id;
    DELETE FROM pages
     WHERE url = OLD.url
       AND NOT EXISTS (SELECT 1 FROM articles WHERE url = OLD.url);
END;
