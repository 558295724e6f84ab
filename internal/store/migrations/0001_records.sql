-- The fund's records that the portal shows. The portal never invents these:
-- they arrive from the fund's systems as batch files (micuenta import) or,
-- in demo and test databases, from micuenta seed.
--
-- Conventions: money is BIGINT centavos; instants are TIMESTAMP in UTC;
-- calendar dates are DATE; a bimester is the integer YYYYB (20253 = 3rd
-- bimester of 2025) and a month the integer YYYYMM. Written in SQLite's
-- dialect; store/dialect.go translates it for PostgreSQL.

-- Key/value facts about this database itself (who seeded it, and so on).
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Reference values published by INEGI, CONASAMI and the fund (domain.md §3).
-- value_e6 is the value times 1,000,000: pesos for UMA, minimum wage and UMI,
-- index points for INPC, a fraction for rates (0.0736 = 73600).
CREATE TABLE reference_values (
    kind TEXT NOT NULL,
    valid_from DATE NOT NULL,
    value_e6 BIGINT NOT NULL,
    uncertain INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, valid_from)
);

-- A person in the fund's registry. Identifiers are sealed (AES-GCM) and
-- found through keyed hashes; names are not identifiers and stay readable
-- so operators and letters can use them.
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    nss_index BLOB NOT NULL,
    curp_index BLOB NOT NULL,
    rfc_index BLOB NOT NULL,
    nss_sealed BLOB NOT NULL,
    curp_sealed BLOB NOT NULL,
    rfc_sealed BLOB NOT NULL,
    given_names TEXT NOT NULL,
    first_surname TEXT NOT NULL,
    second_surname TEXT NOT NULL DEFAULT '',
    birth_date DATE NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('H', 'M', 'X')),
    state TEXT NOT NULL,
    pension_status TEXT NOT NULL DEFAULT '' CHECK (pension_status IN ('', 'en_tramite', 'pensionado')),
    pension_law TEXT NOT NULL DEFAULT '' CHECK (pension_law IN ('', '73', '97')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX people_nss ON people (nss_index);
CREATE UNIQUE INDEX people_curp ON people (curp_index);
CREATE INDEX people_rfc ON people (rfc_index);

-- An employer, known by its registro patronal (IMSS).
CREATE TABLE employers (
    id INTEGER PRIMARY KEY,
    registro_patronal TEXT NOT NULL UNIQUE,
    razon_social TEXT NOT NULL,
    state TEXT NOT NULL
);

-- A person's employment with one employer; end_date is NULL while current.
CREATE TABLE employment_relations (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    start_date DATE NOT NULL,
    end_date DATE,
    daily_salary BIGINT NOT NULL,
    UNIQUE (person_id, employer_id, start_date)
);

-- The housing subaccount ledger: append-only; balances are sums.
-- bucket: fondo72, viv92, viv97, extra (domain.md §2.2).
-- kind: aportacion (period = bimester, source_id = employer), rendimiento
-- (period = month), aportacion_extraordinaria, aplicacion_credito,
-- devolucion, ajuste. The unique key is the movement's natural key: the
-- same batch line posted twice collides instead of doubling money.
CREATE TABLE savings_movements (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    bucket TEXT NOT NULL,
    kind TEXT NOT NULL,
    period INTEGER NOT NULL,
    source_id BIGINT NOT NULL DEFAULT 0,
    value_date DATE NOT NULL,
    amount BIGINT NOT NULL,
    daily_salary BIGINT NOT NULL DEFAULT 0,
    days INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (person_id, kind, period, source_id, bucket)
);

-- A mortgage. denomination: pesos or vsm (old credits in multiples of the
-- minimum wage, updated yearly). Amounts of a VSM credit are in its
-- units times 10,000 (vsm_e4) beside their peso equivalent.
CREATE TABLE credits (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    product TEXT NOT NULL,
    denomination TEXT NOT NULL CHECK (denomination IN ('pesos', 'vsm')),
    origination_date DATE NOT NULL,
    original_amount BIGINT NOT NULL,
    original_vsm_e4 BIGINT NOT NULL DEFAULT 0,
    annual_rate_bp INTEGER NOT NULL,
    term_months INTEGER NOT NULL,
    monthly_payment BIGINT NOT NULL,
    monthly_payment_vsm_e4 BIGINT NOT NULL DEFAULT 0,
    discount_type TEXT NOT NULL CHECK (discount_type IN ('cuota_fija', 'porcentaje', 'vsm')),
    discount_factor_e4 BIGINT NOT NULL,
    employer_id BIGINT REFERENCES employers (id),
    state TEXT NOT NULL CHECK (state IN ('vigente', 'en_prorroga', 'liquidado', 'cerrado')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX credits_person ON credits (person_id);

-- The credit ledger: append-only; amount > 0 increases what is owed.
-- kind: apertura (opening balance brought forward), disposicion, interes,
-- seguro, administracion, descuento_nomina (period = bimester, source_id =
-- employer), pago_directo, ajuste, actualizacion_vsm, aplicacion_scv.
CREATE TABLE credit_movements (
    id INTEGER PRIMARY KEY,
    credit_id BIGINT NOT NULL REFERENCES credits (id),
    kind TEXT NOT NULL,
    period INTEGER NOT NULL,
    source_id BIGINT NOT NULL DEFAULT 0,
    value_date DATE NOT NULL,
    amount BIGINT NOT NULL,
    amount_vsm_e4 BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (credit_id, kind, period, source_id)
);
