-- Schema 10: the pictures of a story shown from its feed's own text, and a
-- record of the pictures refused.
--
-- A full-content feed's item is read from the feed's text, with no page
-- kept for it; its pictures are kept under the key 'feed-text:' || the
-- article's id (FeedTextKey), which no page URL can be, and they go when
-- the article goes.
--
-- A picture fetched and refused (a tracking pixel, too large, unreadable,
-- gone from its server) is kept as a row saying why, with no format and
-- no data, so that it is not fetched each time its story opens; a tracking
-- pixel's line leaves the story.
ALTER TABLE pictures ADD COLUMN refused TEXT NOT NULL DEFAULT '';

CREATE TRIGGER articles_deleted_pictures AFTER DELETE ON articles BEGIN
    DELETE FROM pictures WHERE page_url = 'feed-text:' || OLD.id;
END;
