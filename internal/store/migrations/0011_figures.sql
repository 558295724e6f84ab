-- The portal's own figures (issue 11): one row per day (Mexico City),
-- figure and dimension (a state of the country, a route, a request type,
-- a funnel step; '' when none). The dashboard reads days from here only,
-- never the large tables, so it stays fast at 9 million accounts; how each
-- figure gets here is in internal/figures.
CREATE TABLE daily_figures (
    day TEXT NOT NULL,
    figure TEXT NOT NULL,
    dim TEXT NOT NULL DEFAULT '',
    value BIGINT NOT NULL,
    PRIMARY KEY (day, figure, dim)
);

-- Progress of the batch commands (import, post-yield, accrue) for
-- /metrics: a command writes its row every few seconds while it runs.
CREATE TABLE batch_progress (
    job TEXT PRIMARY KEY,
    source TEXT NOT NULL DEFAULT '',
    done BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    started_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);

-- Requests filed per day by type, and codes sent per day: the daily
-- roll-up reads one day of each through these.
CREATE INDEX requests_received ON requests (received_at);
CREATE INDEX outbox_created ON outbox (created_at);

-- The last day each account signed in, for the accounts active in the
-- last 30 days: the daily close adds one day of sign-ins (a covering
-- index range) instead of counting 4 million entries of 30 days again.
-- Accounts not seen for 60 days leave it.
CREATE TABLE active_accounts (
    account_id BIGINT PRIMARY KEY,
    last_day TEXT NOT NULL
);
CREATE INDEX active_accounts_day ON active_accounts (last_day);
DROP INDEX audit_log_action;
CREATE INDEX audit_log_action ON audit_log (action, at, account_id);
-- Accounts created before the close, counted from the index alone.
CREATE INDEX accounts_created ON accounts (created_at);
