-- Portal accounts and what signing in needs: sessions, known devices,
-- multi-step flows with their one-time codes, and rate counters. All of it
-- lives in the database so several serve processes share it.

-- One account per person. Contact data is sealed and found by lookup hash;
-- an address or number belongs to at most one account.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    email_index BLOB NOT NULL,
    email_sealed BLOB NOT NULL,
    mobile_index BLOB NOT NULL,
    mobile_sealed BLOB NOT NULL,
    password_hash TEXT NOT NULL,
    terms_version TEXT NOT NULL,
    privacy_version TEXT NOT NULL,
    accepted_at TIMESTAMP NOT NULL,
    failed_signins INTEGER NOT NULL DEFAULT 0,
    failures_since_success INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    password_changed_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX accounts_person ON accounts (person_id);
CREATE UNIQUE INDEX accounts_email ON accounts (email_index);
CREATE UNIQUE INDEX accounts_mobile ON accounts (mobile_index);

-- A browser the person has proved, by a one-time code, to be theirs. The
-- long-lived device cookie holds a random token; only its hash is here.
CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL,
    user_agent TEXT NOT NULL DEFAULT '',
    first_ip TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX devices_token ON devices (token_hash);
CREATE INDEX devices_account ON devices (account_id);

-- Server-side sessions: the cookie holds a 256-bit token, the table its
-- SHA-256. last_seen_at drives the idle time-out, expires_at the absolute.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    device_id BIGINT NOT NULL DEFAULT 0,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- A multi-step interaction (registration, new-device sign-in, recovery,
-- account deletion, contact change) with its own state and expiry; data
-- holds what earlier steps collected, sealed.
CREATE TABLE auth_flows (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    person_id BIGINT NOT NULL DEFAULT 0,
    account_id BIGINT NOT NULL DEFAULT 0,
    data_sealed BLOB,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX auth_flows_expires ON auth_flows (expires_at);

-- The live one-time code of a flow for one purpose (a new one replaces it).
CREATE TABLE one_time_codes (
    flow_id TEXT NOT NULL REFERENCES auth_flows (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    code_hash BLOB NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (flow_id, purpose)
);

-- Fixed-window counters for rate limits (per IP, per account, per flow).
CREATE TABLE rate_counters (
    key TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
