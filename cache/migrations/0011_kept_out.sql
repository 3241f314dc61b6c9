-- Schema 11: the entries of sync accounts that byline turned away. An
-- ignore rule or a feed's max-items keeps an arriving entry out of the
-- cache, and retention deletes unread ones past max-items; the server
-- still lists them as unread, and a sync fetches every unread entry it
-- does not have, so they are remembered here instead of fetched again.
-- reason is 'retention', or a fingerprint of the rules that turned the
-- entry away: under other rules it is fetched again and judged anew, as a
-- local feed's items are judged at every refresh.
CREATE TABLE kept_out (
    account   TEXT    NOT NULL,
    remote_id TEXT    NOT NULL,
    reason    TEXT    NOT NULL,
    kept_at   INTEGER NOT NULL, -- unix seconds
    PRIMARY KEY (account, remote_id)
) WITHOUT ROWID;
