-- The operators' back office (issue 6): operators with a role and a
-- mandatory TOTP second factor, their own sessions, documents attached to
-- requests, internal notes, assignment, and the person's choice of SMS for
-- request notices.

CREATE TABLE operators (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('operador', 'supervisor', 'administrador', 'auditor')),
    -- the state of the country the operator works (CURP two-letter code);
    -- '' for the whole country
    state TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    -- a temporary password (given by an administrator or the command
    -- line) expires then and must be replaced at the first sign-in; NULL
    -- for a password the operator chose
    password_expires_at TIMESTAMP,
    -- the TOTP secret, sealed; NULL until enrolled at first sign-in
    totp_sealed BLOB,
    -- the last TOTP time step accepted, so a code works once
    totp_step BIGINT NOT NULL DEFAULT 0,
    failed_signins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- An operator's browser. stage is 'clave' after the password and
-- 'completa' after the second factor; pending_sealed holds the secret
-- offered during enrolment until a code proves it was saved.
CREATE TABLE operator_sessions (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    operator_id BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    pending_sealed BLOB,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

-- Who works a request (0: nobody yet).
ALTER TABLE requests ADD COLUMN assigned_to BIGINT NOT NULL DEFAULT 0;

-- Internal notes are events the owner never sees.
ALTER TABLE request_events ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;

-- Files attached to a request. The bytes live in the document storage
-- under storage_name (generated); file_name is what the person's file was
-- called, cleaned, for display only.
CREATE TABLE request_documents (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    storage_name TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX request_documents_request ON request_documents (request_id);

-- Request notices by SMS as well as e-mail (the default is e-mail only).
ALTER TABLE notification_prefs ADD COLUMN requests_sms INTEGER NOT NULL DEFAULT 0;

-- The auditors' page filters the log by operator and by person.
CREATE INDEX audit_log_operator ON audit_log (operator_id, at);
CREATE INDEX audit_log_person ON audit_log (person_id, at);
