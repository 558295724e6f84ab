-- What a person is told and how. notification_prefs holds the channels a
-- person chose for contribution notices (no row: e-mail only, the
-- default). notices is the portal's own record of every notice, shown at
-- /mi-cuenta/notificaciones whatever the channels; its dedup_key makes a
-- notice exactly-once however often the batch that causes it is re-run.
CREATE TABLE notification_prefs (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    contributions_email INTEGER NOT NULL DEFAULT 1,
    contributions_sms INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    dedup_key TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX notices_dedup ON notices (dedup_key);
CREATE INDEX notices_person ON notices (person_id, created_at);

-- The contribution-notice cursor: the last ledger row the notice producer
-- has looked at. It starts at the ledger's end, so history already loaded
-- is not announced as news.
INSERT INTO meta (key, value) SELECT 'notices.cursor', CAST(COALESCE(MAX(id), 0) AS TEXT) FROM savings_movements;
