-- Schema 4: remembers the urls file the feeds were last synced with.
--
-- Every start of byline syncs the urls file into the feeds table. Comparing
-- it with 2,000 feed rows and their tags took 7 ms of a command meant to
-- take 50; comparing a digest of it takes one row. Only SyncSubscriptions
-- changes what the digest covers (URLs, user titles, order, tags,
-- subscribed), and it writes the digest in the same transaction.
CREATE TABLE synced_subscriptions (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    digest BLOB    NOT NULL -- SHA-256, see subscriptionsDigest
);
