-- Online payments of credits (issue 7). A row is made when the person
-- starts a payment (pendiente) and moves once, on the processor's signed
-- notice, to pagado, fallido or cancelado; a notice whose amount differs
-- from what was asked goes to revisar and posts nothing. The ledger
-- movement of a paid payment has source_id = payments.id, so the ledger's
-- natural key makes the posting happen once however often the notice
-- arrives.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    intent_id TEXT NOT NULL UNIQUE,
    credit_id BIGINT NOT NULL REFERENCES credits (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    purpose TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    -- a VSM credit's payment in VSM × 10,000 at the day's UMI
    amount_vsm_e4 BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('pendiente', 'pagado', 'fallido', 'cancelado', 'revisar')),
    provider_payment_id TEXT UNIQUE,
    provider_event_id TEXT NOT NULL DEFAULT '',
    paid_amount BIGINT NOT NULL DEFAULT 0,
    paid_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_person ON payments (person_id, created_at);

-- The monthly accrual reads every live credit's opening balance: a
-- covering index lets it sum each credit's movements without visiting
-- the table's rows.
CREATE INDEX credit_movements_balance ON credit_movements (credit_id, value_date, amount, amount_vsm_e4);
