-- Schema 12: the article index gathers up to 4 MiB of new entries in
-- memory before it writes them out as a segment (FTS5's default is 1 MiB),
-- so that a search indexing a large backlog in batches of that size (see
-- maxIndexBytes) writes a quarter of the segments. Small batches, a
-- refresh's, are written at their commit as before.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 4194304);
