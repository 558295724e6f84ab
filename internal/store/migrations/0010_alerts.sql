-- Suspicious activity (issue 11): alerts raised by the rules over the
-- audit log, once per rule, subject and window; and addresses blocked for
-- a while by the first two rules.
CREATE TABLE security_alerts (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    subject TEXT NOT NULL,
    events BIGINT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    window_start TIMESTAMP NOT NULL,
    raised_at TIMESTAMP NOT NULL,
    UNIQUE (rule, subject, window_start)
);
CREATE INDEX security_alerts_raised ON security_alerts (raised_at);

CREATE TABLE blocked_addresses (
    ip TEXT PRIMARY KEY,
    until_at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL
);

CREATE INDEX audit_log_ip ON audit_log (ip, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
