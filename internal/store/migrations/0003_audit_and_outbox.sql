-- The security and data-access log, and the outbox of e-mails and SMS.

-- Append-only: nothing updates or deletes rows except the retention job,
-- which removes whole days older than the legal minimum.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    action TEXT NOT NULL,
    account_id BIGINT NOT NULL DEFAULT 0,
    operator_id BIGINT NOT NULL DEFAULT 0,
    person_id BIGINT NOT NULL DEFAULT 0,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_account ON audit_log (account_id, at);
CREATE INDEX audit_log_at ON audit_log (at);

-- Messages waiting to be sent, and sent ones for a while. Recipient and
-- body are sealed (contact data and codes). priority 0 goes first (codes),
-- then notices. dedup_key makes enqueueing exactly-once where the caller
-- names the message (a contribution notice per employer and bimester).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient_sealed BLOB NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body_sealed BLOB NOT NULL,
    priority INTEGER NOT NULL DEFAULT 1,
    dedup_key TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE UNIQUE INDEX outbox_dedup ON outbox (dedup_key);
CREATE INDEX outbox_due ON outbox (state, priority, next_attempt_at);
