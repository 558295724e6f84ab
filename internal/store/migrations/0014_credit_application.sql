-- The credit application (issue 9, internal/origination): the documents
-- each product asks for, the stages an application goes through while in
-- review, and the yearly sequence of the credit numbers the portal gives
-- the credits it exercises. The application itself is a request (kind
-- SCR) whose sealed data carry the product, the quote, the dwelling, the
-- seller, the appraisal and the co-borrower.

-- What a product's application must attach, one file each, in this order.
-- Data: the fund edits the list with an UPDATE or INSERT, no release.
-- Sources: domain.md §4.6 (solicitud de inscripción, avalúo, acta de
-- nacimiento, identificación oficial; Cofinavit's bank approval; Unamos
-- Créditos' second person; Mejoravit's bank account and home).
CREATE TABLE credit_product_documents (
    product TEXT NOT NULL REFERENCES credit_products (code),
    code TEXT NOT NULL CHECK (code <> ''),
    sort_order INTEGER NOT NULL,
    label TEXT NOT NULL,
    hint TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product, code)
);

INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('infonavit', 'solicitud', 1, 'Solicitud de inscripción de crédito', 'Firmada por ti. La descargas al terminar el curso «Saber más para decidir mejor».');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('infonavit', 'identificacion', 2, 'Identificación oficial vigente', 'INE o pasaporte, por ambos lados.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('infonavit', 'acta', 3, 'Acta de nacimiento', 'Completa y legible.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('infonavit', 'avaluo', 4, 'Avalúo de la vivienda', 'El que entregó la unidad de valuación; su clave debe ser la que escribes arriba.');

INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('cofinavit', 'solicitud', 1, 'Solicitud de inscripción de crédito', 'Firmada por ti. La descargas al terminar el curso «Saber más para decidir mejor».');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('cofinavit', 'identificacion', 2, 'Identificación oficial vigente', 'INE o pasaporte, por ambos lados.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('cofinavit', 'acta', 3, 'Acta de nacimiento', 'Completa y legible.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('cofinavit', 'avaluo', 4, 'Avalúo de la vivienda', 'El que entregó la unidad de valuación; su clave debe ser la que escribes arriba.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('cofinavit', 'carta_banco', 5, 'Carta de aprobación del crédito bancario', 'La carta en la que el banco o la entidad financiera aprueba su parte del crédito.');

INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('unamos', 'solicitud', 1, 'Solicitud de inscripción de crédito', 'Firmada por ti. La descargas al terminar el curso «Saber más para decidir mejor».');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('unamos', 'identificacion', 2, 'Identificación oficial vigente', 'INE o pasaporte, por ambos lados.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('unamos', 'acta', 3, 'Acta de nacimiento', 'Completa y legible.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('unamos', 'avaluo', 4, 'Avalúo de la vivienda', 'El que entregó la unidad de valuación; su clave debe ser la que escribes arriba.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('unamos', 'identificacion_coacreditado', 5, 'Identificación oficial de la persona con quien unes tu crédito', 'INE o pasaporte vigente, por ambos lados.');

INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('mejoravit', 'identificacion', 1, 'Identificación oficial vigente', 'INE o pasaporte, por ambos lados.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('mejoravit', 'comprobante_domicilio', 2, 'Comprobante de domicilio de la vivienda', 'Recibo de luz, agua o predial de no más de 3 meses.');
INSERT INTO credit_product_documents (product, code, sort_order, label, hint) VALUES ('mejoravit', 'estado_cuenta', 3, 'Estado de cuenta bancario con tu CLABE', 'A tu nombre, de no más de 3 meses: el crédito se deposita en esa cuenta.');

-- The stages of an application (integracion, revision, inscripcion,
-- firma, ejercido), one row per stage started: when it started, its due
-- date (its service level in working days from that day), and when it
-- finished. The first stage starts when the request is received and gets
-- its row when it finishes. done_at is set once, by a compare-and-set, so
-- two operators cannot both move an application on.
CREATE TABLE credit_application_stages (
    request_id BIGINT NOT NULL REFERENCES requests (id),
    stage TEXT NOT NULL,
    seq INTEGER NOT NULL,
    started_at TIMESTAMP NOT NULL,
    due_on DATE NOT NULL,
    done_at TIMESTAMP,
    operator_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (request_id, stage),
    UNIQUE (request_id, seq)
);

-- The numbers of the credits the portal exercises: YY9NNNNNNN, where the
-- 9 keeps them apart from the numbers the fund's files bring and NNNNNNN
-- is this sequence, per year.
CREATE TABLE credit_number_sequences (
    year INTEGER NOT NULL PRIMARY KEY,
    last BIGINT NOT NULL
);
