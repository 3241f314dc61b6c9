-- Schema 6: what retention dropped, so that a feed still carrying an item
-- does not bring it back.
--
-- Retention deletes read articles, but feeds often carry items for months
-- or years: the next time such a feed changed, its old items were stored
-- again, unread, with new ids. Purge now leaves a row here per article it
-- deletes; SaveResult skips an item whose guid, or whose link (when the
-- link is an item's own), is here. A row lives as long as the feed keeps
-- carrying its item: seen is when the feed last did, and a row unseen for
-- droppedGrace is forgotten, which keeps the table about the size of the
-- feeds' documents.
CREATE TABLE dropped_articles (
    feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    guid    TEXT    NOT NULL,
    url     TEXT    NOT NULL DEFAULT '',
    seen    INTEGER NOT NULL, -- unix seconds
    PRIMARY KEY (feed_id, guid)
) WITHOUT ROWID;
