-- Documents issued with a verification folio (issue 8): the constancia de
-- intereses, the avisos for the employer and the carta de cancelación de
-- hipoteca. A row is written the first time a document is downloaded;
-- downloading it again with the same inputs (doc_key) finds the row and
-- draws the same bytes. doc_key is the SHA-256 of what the PDF is drawn
-- from, so new inputs make a new row and folio; generation counts the
-- re-issues of one key after the earlier one expired (a carta, valid 180
-- days). sha256 is the hex hash of the PDF as issued, for /verificar.
-- valid_until is the last valid day (Mexico City); NULL: no expiry.
CREATE TABLE issued_documents (
    folio TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('constancia_intereses', 'aviso_retencion', 'aviso_modificacion', 'aviso_suspension', 'carta_cancelacion')),
    person_id BIGINT NOT NULL REFERENCES people (id),
    credit_number TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    issued_at TIMESTAMP NOT NULL,
    valid_until DATE,
    sha256 TEXT NOT NULL,
    holder_masked TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0,
    UNIQUE (doc_key, generation)
);
CREATE INDEX issued_documents_holder ON issued_documents (person_id, credit_number, kind, issued_at);

-- Changes of a credit's payroll discount (type and factor, from a date),
-- recorded by the fund's systems when a conversion, a restructuring or a
-- re-escritura changes it: they make the aviso de modificación apply.
CREATE TABLE credit_discount_changes (
    id INTEGER PRIMARY KEY,
    credit_id BIGINT NOT NULL REFERENCES credits (id),
    effective_date DATE NOT NULL,
    discount_type TEXT NOT NULL CHECK (discount_type IN ('cuota_fija', 'porcentaje', 'vsm')),
    discount_factor_e4 BIGINT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (credit_id, effective_date)
);

-- Reference values the constancia de intereses needs for the years the
-- ledgers cover. UDI on 31 December of each year (Banxico), for the
-- 750,000-UDIS cap; not in domain.md, so every one is marked uncertain
-- until checked against Banxico's series (2025 is an estimate from that
-- year's inflation). INPC of December for the years before 2018 (base
-- 2.ª quincena de julio de 2018 = 100), also to be checked against INEGI.
-- ON CONFLICT DO NOTHING: a figure someone loaded already wins.
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2012-12-31', 4874624, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2013-12-31', 5058731, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2014-12-31', 5270368, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2015-12-31', 5381175, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2016-12-31', 5562883, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2017-12-31', 5934551, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2018-12-31', 6226631, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2019-12-31', 6399018, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2020-12-31', 6605597, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2021-12-31', 7108233, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2022-12-31', 7646804, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2023-12-31', 7981602, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2024-12-31', 8340909, 1, 'Banxico; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('udi', '2025-12-31', 8648671, 1, 'Banxico; verificar (estimado con la inflación de 2025)') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2012-12-01', 80568000, 1, 'INEGI; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2013-12-01', 83770000, 1, 'INEGI; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2014-12-01', 87189000, 1, 'INEGI; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2015-12-01', 89047000, 1, 'INEGI; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2016-12-01', 92039000, 1, 'INEGI; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2017-12-01', 98273000, 1, 'INEGI; verificar') ON CONFLICT (kind, valid_from) DO NOTHING;
