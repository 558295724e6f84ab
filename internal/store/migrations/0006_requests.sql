-- Trámites (issue 6): one table for every request type, its timeline of
-- events, and a sequence per type and year for the folios.
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    folio TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    state TEXT NOT NULL,
    data_sealed BLOB,
    received_at TIMESTAMP NOT NULL,
    due_on DATE NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX requests_person ON requests (person_id, received_at);
CREATE INDEX requests_queue ON requests (state, due_on);

CREATE TABLE request_events (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    actor_id BIGINT NOT NULL DEFAULT 0,
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_events_request ON request_events (request_id, at);

CREATE TABLE request_sequences (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (kind, year)
);

-- Changes to a person's record made by approved requests: the old and new
-- values (sealed, as identifiers are), when, and which request.
CREATE TABLE person_history (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    field TEXT NOT NULL,
    old_sealed BLOB NOT NULL,
    new_sealed BLOB NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX person_history_person ON person_history (person_id, changed_at);
