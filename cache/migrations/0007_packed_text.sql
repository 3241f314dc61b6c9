-- Schema 7: an article's summary and content may be stored as one
-- compressed value.
--
-- When both are there, article_text.content holds them compressed together
-- and article_text.summary a zero-length BLOB (see packTexts in
-- storedtext.go): the summary is mostly the content's first lines again,
-- and compressed with them it costs next to nothing. Rows written before
-- read as they always did; this version number is what keeps an older
-- byline, which would take the pair for damage, from opening the file.
SELECT 1;
