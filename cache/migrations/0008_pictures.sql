-- Schema 8: the pictures of kept pages, so that a story shows its photos
-- offline.
--
-- A picture is kept shrunk and re-encoded (package picture), a few hundred
-- kilobytes at most, by the URL of the page it belongs to and its own URL
-- as the page gives it. It goes when its page goes: retention, or the
-- article it belongs to being deleted.
CREATE TABLE pictures (
    page_url TEXT    NOT NULL,
    src      TEXT    NOT NULL,
    width    INTEGER NOT NULL,
    height   INTEGER NOT NULL,
    format   TEXT    NOT NULL, -- jpeg or png
    data     BLOB    NOT NULL,
    small    BLOB,             -- a copy for drawing small; NULL if data is small
    PRIMARY KEY (page_url, src)
);

CREATE TRIGGER pages_deleted_pictures AFTER DELETE ON pages BEGIN
    DELETE FROM pictures WHERE page_url = OLD.url;
END;
