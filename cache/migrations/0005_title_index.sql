-- Schema 5: a search index of titles alone, for Similar.
--
-- Similar ranks with bm25, which counts every document holding each query
-- word. In the main index a common word is in nearly every article's body,
-- so ranking one headline's words cost 50-90 ms on 100,000 articles; in an
-- index of titles the same words are in few documents. Stored like the
-- main index: contentless, rows deletable by rowid, merged by Maintain.
CREATE VIRTUAL TABLE titles_fts USING fts5 (
    title,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO titles_fts (titles_fts, rank) VALUES ('automerge', 0);
INSERT INTO titles_fts (titles_fts, rank) VALUES ('crisismerge', 256);

-- Titles are plain text already (the feed parser strips markup), which is
-- what SaveResult indexes.
INSERT INTO titles_fts (rowid, title) SELECT id, title FROM articles;

CREATE TRIGGER articles_deleted_title AFTER DELETE ON articles BEGIN
    DELETE FROM titles_fts WHERE rowid = OLD.id;
END;
