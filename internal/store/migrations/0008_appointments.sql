-- Appointments at service centres (issue 10). Centres and the places
-- each offers per slot come from internal/appointment/centres.csv and
-- are then the fund's to edit (a supervisor changes places and
-- closures). A slot row exists once someone books it; its booked count
-- never passes its capacity because every booking is a conditional
-- UPDATE (booked < capacity) that the database applies one at a time
-- per row, on both engines.

CREATE TABLE service_centres (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    municipality TEXT NOT NULL,
    address TEXT NOT NULL,
    zone TEXT NOT NULL,
    opens INTEGER NOT NULL,
    closes INTEGER NOT NULL,
    slot_minutes INTEGER NOT NULL
);
CREATE INDEX service_centres_state ON service_centres (state);

CREATE TABLE centre_services (
    centre_code TEXT NOT NULL REFERENCES service_centres (code),
    service TEXT NOT NULL,
    places INTEGER NOT NULL CHECK (places >= 0),
    PRIMARY KEY (centre_code, service)
);

CREATE TABLE centre_closures (
    centre_code TEXT NOT NULL REFERENCES service_centres (code),
    day DATE NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (centre_code, day)
);

CREATE TABLE appointment_slots (
    id INTEGER PRIMARY KEY,
    centre_code TEXT NOT NULL REFERENCES service_centres (code),
    service TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    capacity INTEGER NOT NULL,
    booked INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0),
    UNIQUE (centre_code, service, starts_at)
);

-- A person's row, locked by every booking of theirs, so two bookings at
-- once cannot both pass the limit of open appointments.
CREATE TABLE appointment_holders (
    person_id BIGINT PRIMARY KEY REFERENCES people (id),
    touched_at TIMESTAMP NOT NULL
);

CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    slot_id BIGINT NOT NULL REFERENCES appointment_slots (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    folio TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('agendada', 'cancelada', 'llego', 'atendida', 'no_asistio')),
    -- how it was booked: 'cuenta' (signed in) or 'publico' (/citas, with
    -- a contact the person gave, sealed)
    via TEXT NOT NULL,
    contact_sealed BLOB,
    result TEXT NOT NULL DEFAULT '',
    reminded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX appointments_person ON appointments (person_id, state);
CREATE INDEX appointments_slot ON appointments (slot_id);
CREATE INDEX appointments_reminders ON appointments (state, reminded_at);
