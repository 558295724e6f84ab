-- Pre-qualification and the credit simulator (domain.md §4, issue 9): the
-- scoring models with their blocks and bands, the credit products, each
-- model's threshold per product, and each product's simulator rules with
-- their interest-rate table. Like reference_values they are data: the fund
-- changes them with an UPDATE, or with new rows under a later valid_from,
-- never with a release (docs/prequalification.md shows the SQL).
--
-- uncertain = 1 marks what domain.md flags "(uncertain)" or what we
-- derived; note is the Mexican Spanish text the page shows about it.
-- *_e6 columns hold a figure times 1,000,000: an UMA multiple (823 UMA =
-- 823000000), a share of the salary (20% = 200000) or an annual rate as a
-- fraction (10.45% = 104500). Ceilings and limits are UMA multiples, not
-- pesos, so they rise every February with the UMA; "UMA mensual" is always
-- the daily UMA times 30.4. The one peso figure, the housing insurance, is
-- in centavos like all money.

-- A scoring model, in force from valid_from until the next model's
-- valid_from. women_bonus: points added for women (Mujer Infonavit);
-- employer_must_pay = 1: an employer who does not pay the worker's
-- contributions stops the pre-qualification.
CREATE TABLE scoring_models (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    valid_from DATE NOT NULL UNIQUE,
    women_bonus INTEGER NOT NULL DEFAULT 0 CHECK (women_bonus >= 0),
    employer_must_pay INTEGER NOT NULL DEFAULT 0,
    uncertain INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);

-- A block of points, read from one factor of the person's records:
--   edad                   completed years on the day of the query
--   salario_uma            daily salary / daily UMA, times 1,000,000, truncated
--   saldo_scv              subaccount balance, centavos
--   bimestres_continuos    continuous bimesters with contributions (0 without a current job)
--   trabajador_permanente  1 permanent, 0 eventual
--   empleo_actual          1 with a current labour relationship
--   patron_paga            1 when the current employer is paying
CREATE TABLE scoring_blocks (
    model TEXT NOT NULL REFERENCES scoring_models (code),
    code TEXT NOT NULL,
    sort_order INTEGER NOT NULL,
    label TEXT NOT NULL,
    factor TEXT NOT NULL,
    max_points INTEGER NOT NULL CHECK (max_points >= 0),
    uncertain INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (model, code)
);

-- A band of a block: a factor value from lower_bound (in the factor's unit)
-- up to the next band's lower_bound earns points. Each block's first band
-- starts at 0.
CREATE TABLE scoring_bands (
    model TEXT NOT NULL,
    block TEXT NOT NULL,
    lower_bound BIGINT NOT NULL CHECK (lower_bound >= 0),
    points INTEGER NOT NULL CHECK (points >= 0),
    PRIMARY KEY (model, block, lower_bound),
    FOREIGN KEY (model, block) REFERENCES scoring_blocks (model, code)
);

-- A credit product. purpose: vivienda (buy, build, pay off) or mejora
-- (improve the home).
CREATE TABLE credit_products (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sort_order INTEGER NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('vivienda', 'mejora')),
    description TEXT NOT NULL DEFAULT ''
);

-- What a model asks for each product. women_bonus = 1: the model's bonus
-- for women counts towards this product's threshold.
CREATE TABLE scoring_thresholds (
    model TEXT NOT NULL REFERENCES scoring_models (code),
    product TEXT NOT NULL REFERENCES credit_products (code),
    min_points INTEGER NOT NULL CHECK (min_points >= 0),
    min_bimesters INTEGER NOT NULL DEFAULT 0 CHECK (min_bimesters >= 0),
    women_bonus INTEGER NOT NULL DEFAULT 0,
    uncertain INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (model, product)
);

-- A product's simulator rules from valid_from until the product's next
-- row.
--   ceiling_uma_e6         the most the fund lends, in UMA mensual (for
--                          Unamos Créditos: all participants together)
--   person_ceiling_uma_e6  the most one participant gets (0: no own limit)
--   min_amount_uma_e6      the least the fund lends
--   age_term_men/women     age + term may not pass this many years
--   low_salary_sm_e6       salaries up to this many monthly minimum wages...
--   low_share_e6           ...pay at most this share of the salary a month;
--   share_e6               higher salaries, this share
--   adds_balance = 1       the subaccount balance is added to the credit
--   balance_cap_e6         > 0: the credit may not pass this share of the
--                          subaccount balance (it guarantees it)
--   rate_basis             salario: product_rates by monthly salary in UMA;
--                          monto: by the credit amount in UMA mensual
--   rate_interpolate = 1   the rate moves in a straight line between two
--                          product_rates rows, with the salary truncated to
--                          0.1 UMA; 0: each row's rate holds until the next
--   insurance_bimester     centavos of housing insurance (seguro de daños)
--                          charged each bimester with the payments
CREATE TABLE product_rules (
    product TEXT NOT NULL REFERENCES credit_products (code),
    valid_from DATE NOT NULL,
    ceiling_uma_e6 BIGINT NOT NULL CHECK (ceiling_uma_e6 > 0),
    person_ceiling_uma_e6 BIGINT NOT NULL DEFAULT 0,
    min_amount_uma_e6 BIGINT NOT NULL DEFAULT 0,
    min_term_years INTEGER NOT NULL,
    max_term_years INTEGER NOT NULL,
    age_term_men INTEGER NOT NULL,
    age_term_women INTEGER NOT NULL,
    low_salary_sm_e6 BIGINT NOT NULL,
    low_share_e6 BIGINT NOT NULL,
    share_e6 BIGINT NOT NULL,
    adds_balance INTEGER NOT NULL,
    balance_cap_e6 BIGINT NOT NULL DEFAULT 0,
    rate_basis TEXT NOT NULL CHECK (rate_basis IN ('salario', 'monto')),
    rate_interpolate INTEGER NOT NULL DEFAULT 0,
    min_applicants INTEGER NOT NULL DEFAULT 1,
    max_applicants INTEGER NOT NULL DEFAULT 1,
    insurance_bimester BIGINT NOT NULL DEFAULT 0 CHECK (insurance_bimester >= 0),
    uncertain INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product, valid_from)
);

-- A product's interest rate from a salary (or amount) of lower_uma_e6 UMA
-- mensual. max_term_years > 0 shortens the product's longest term for this
-- band (Mejoravit's small amounts).
CREATE TABLE product_rates (
    product TEXT NOT NULL,
    valid_from DATE NOT NULL,
    lower_uma_e6 BIGINT NOT NULL CHECK (lower_uma_e6 >= 0),
    rate_e6 BIGINT NOT NULL CHECK (rate_e6 >= 0),
    max_term_years INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product, valid_from, lower_uma_e6),
    FOREIGN KEY (product, valid_from) REFERENCES product_rules (product, valid_from)
);

-- ------------------------------------------------------------------ products

INSERT INTO credit_products (code, name, sort_order, purpose, description) VALUES ('infonavit', 'Crédito Infonavit', 1, 'vivienda', 'Para comprar una vivienda nueva o usada, construir, reparar o pagar una hipoteca.');
INSERT INTO credit_products (code, name, sort_order, purpose, description) VALUES ('cofinavit', 'Cofinavit', 2, 'vivienda', 'Un crédito del Infonavit junto con uno de un banco. Aquí se calcula solo la parte del Infonavit.');
INSERT INTO credit_products (code, name, sort_order, purpose, description) VALUES ('unamos', 'Unamos Créditos', 3, 'vivienda', 'Dos o más derechohabientes juntan sus créditos para comprar una vivienda: cónyuge, familiar, pareja o amistad.');
INSERT INTO credit_products (code, name, sort_order, purpose, description) VALUES ('mejoravit', 'Mejoravit Solo para Ti', 4, 'mejora', 'Para remodelar o reparar tu casa. El dinero se deposita en tu cuenta bancaria y tu ahorro en la Subcuenta de Vivienda lo respalda.');

-- ------------------------------------------------- T1000 (May 2021 - Aug 2025)
-- Official: the 1,080 threshold and the block maxima (edad y salario 235,
-- ahorro 124, cotización continua 191, tipo de contratación 123,
-- estabilidad laboral 130, pago de la empresa 129). Third-party and
-- uncertain: the bands of edad, salario, ahorro and bimestres
-- (puntoseninfonavit.com, Feb 2024). Derived: the salary limits in pesos
-- (7,356 / 7,628 / 11,170 / 11,443) are 2.7, 2.8, 4.1 and 4.2 UMA mensual
-- of 2021 (2,724.45) to the peso, so they are stored as UMA multiples.
-- Approximated: the employer-side blocks, which need data the fund does not
-- send us, are given in full when the person has a job (and, for payment,
-- when the employer pays); the 148 points 1,080 - 932 are taken to be the
-- unpublished company-context and credit-bureau block.

INSERT INTO scoring_models (code, name, valid_from, women_bonus, employer_must_pay, uncertain, note, source) VALUES ('T1000', 'Modelo de 1,080 puntos (T1000)', '2021-05-01', 20, 1, 1, 'Modelo vigente de mayo de 2021 al 17 de agosto de 2025. Solo los 1,080 puntos y el máximo de cada bloque son oficiales: los rangos de edad, salario, ahorro y bimestres vienen de una fuente no oficial, y los bloques que dependen de tu patrón se calculan de forma aproximada.', 'opinionsonora.com 2021-05-23; informador.mx 2023-11-11; puntoseninfonavit.com 2024-02');

INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T1000', 'edad', 1, 'Edad', 'edad', 128, 1, 'Rangos de una fuente no oficial. El máximo oficial de edad y salario juntos es de 235 puntos.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T1000', 'salario', 2, 'Salario', 'salario_uma', 144, 1, 'Rangos de una fuente no oficial (hasta 2.7, de 2.8 a 4.1 y desde 4.2 UMA mensuales). El máximo oficial de edad y salario juntos es de 235 puntos.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T1000', 'ahorro', 3, 'Ahorro en la Subcuenta de Vivienda', 'saldo_scv', 124, 1, 'Máximo oficial; rangos de una fuente no oficial.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T1000', 'cotizacion', 4, 'Bimestres de cotización continua', 'bimestres_continuos', 191, 1, 'Máximo oficial; rangos de una fuente no oficial. Sin empleo actual estos puntos se pierden y vuelven a contar con un nuevo patrón.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T1000', 'contratacion', 5, 'Tipo de contratación', 'trabajador_permanente', 123, 1, 'Trabajador permanente: 123 puntos (oficial). El valor para trabajador eventual no se publicó; se cuenta como 0.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T1000', 'estabilidad', 6, 'Estabilidad laboral', 'empleo_actual', 130, 1, 'Depende de cuánto tiempo conserva tu patrón a sus trabajadores, un dato que no tenemos: se cuenta completo si tienes empleo.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T1000', 'pago_patron', 7, 'Comportamiento de pago de tu patrón', 'patron_paga', 129, 1, 'Se cuenta completo si tu patrón está al corriente con tus aportaciones.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T1000', 'contexto', 8, 'Contexto de la empresa y buró de crédito', 'empleo_actual', 148, 1, 'No se publicó. Se toman los 148 puntos que faltan para llegar a 1,080 y se cuentan completos si tienes empleo.');

INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'edad', 0, 105);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'edad', 24, 118);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'edad', 30, 124);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'edad', 40, 128);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'edad', 56, 114);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'salario', 0, 111);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'salario', 2800000, 128);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'salario', 4200000, 144);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'ahorro', 0, 116);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'ahorro', 1000000, 119);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'ahorro', 2500000, 122);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'ahorro', 5000000, 124);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'cotizacion', 0, 0);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'cotizacion', 3, 90);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'cotizacion', 9, 123);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'cotizacion', 18, 149);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'cotizacion', 30, 191);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'contratacion', 0, 0);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'contratacion', 1, 123);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'estabilidad', 0, 0);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'estabilidad', 1, 130);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'pago_patron', 0, 0);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'pago_patron', 1, 129);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'contexto', 0, 0);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T1000', 'contexto', 1, 148);

INSERT INTO scoring_thresholds (model, product, min_points, min_bimesters, women_bonus, uncertain, note) VALUES ('T1000', 'infonavit', 1080, 3, 1, 0, '');
INSERT INTO scoring_thresholds (model, product, min_points, min_bimesters, women_bonus, uncertain, note) VALUES ('T1000', 'cofinavit', 1080, 3, 1, 0, '');
INSERT INTO scoring_thresholds (model, product, min_points, min_bimesters, women_bonus, uncertain, note) VALUES ('T1000', 'unamos', 1080, 3, 1, 0, 'Cada participante debe reunir los puntos por su cuenta.');
INSERT INTO scoring_thresholds (model, product, min_points, min_bimesters, women_bonus, uncertain, note) VALUES ('T1000', 'mejoravit', 0, 0, 0, 1, 'Las fuentes no mencionan un mínimo de puntos para Mejoravit; pide relación laboral vigente y no tener un crédito Infonavit activo.');

-- ----------------------------------------------------- T100 (from 18 Aug 2025)
-- Official: the 100-point threshold, 6 continuous months (3 bimesters), a
-- formal job, no other active credit; an employer's non-payment no longer
-- counts against the worker. NOT published: how the 100 points are
-- computed. Approximation (all uncertain): the T1000 worker-side blocks
-- (edad, salario, ahorro, cotización) with the same band limits and points
-- times 100/422, where 422 = 105 + 111 + 116 + 90 is the lowest T1000
-- worker-side score with 3 bimesters; so whoever has the published minimum
-- of 3 continuous bimesters reaches 100, and with fewer nobody does (at
-- most 30 + 34 + 29 + 0 = 93). Rounded to whole points, except ahorro's
-- first band, 27.49 rounded up to 28 so that the minimum is exactly 100.

INSERT INTO scoring_models (code, name, valid_from, women_bonus, employer_must_pay, uncertain, note, source) VALUES ('T100', 'Modelo de 100 puntos (T100)', '2025-08-18', 0, 0, 1, 'El Infonavit no ha publicado cómo se calculan los 100 puntos. Esta es una aproximación: tu edad, salario, ahorro y bimestres de cotización continua con la escala del modelo anterior, ajustada para que con 6 meses (3 bimestres) de cotización continua se lleguen a 100 puntos. Si tu patrón no paga, ya no se te descuentan puntos.', 'unotv.com 2025-08-22; razon.com.mx 2025-08-21; expreso.com.mx');

INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T100', 'edad', 1, 'Edad', 'edad', 30, 1, 'Aproximación: escala del modelo anterior por 100/422.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T100', 'salario', 2, 'Salario', 'salario_uma', 34, 1, 'Aproximación: escala del modelo anterior por 100/422.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T100', 'ahorro', 3, 'Ahorro en la Subcuenta de Vivienda', 'saldo_scv', 29, 1, 'Aproximación: escala del modelo anterior por 100/422.');
INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note) VALUES ('T100', 'cotizacion', 4, 'Bimestres de cotización continua', 'bimestres_continuos', 45, 1, 'Aproximación: escala del modelo anterior por 100/422. Sin empleo actual estos puntos se pierden y vuelven a contar con un nuevo patrón.');

INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'edad', 0, 25);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'edad', 24, 28);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'edad', 30, 29);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'edad', 40, 30);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'edad', 56, 27);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'salario', 0, 26);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'salario', 2800000, 30);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'salario', 4200000, 34);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'ahorro', 0, 28);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'ahorro', 1000000, 28);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'ahorro', 2500000, 29);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'ahorro', 5000000, 29);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'cotizacion', 0, 0);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'cotizacion', 3, 21);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'cotizacion', 9, 29);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'cotizacion', 18, 35);
INSERT INTO scoring_bands (model, block, lower_bound, points) VALUES ('T100', 'cotizacion', 30, 45);

INSERT INTO scoring_thresholds (model, product, min_points, min_bimesters, women_bonus, uncertain, note) VALUES ('T100', 'infonavit', 100, 3, 0, 1, 'Varias fuentes dicen que los 100 puntos reemplazaron a los 1,080 para todos los créditos; otra dice que algunos productos siguen pidiendo 1,080.');
INSERT INTO scoring_thresholds (model, product, min_points, min_bimesters, women_bonus, uncertain, note) VALUES ('T100', 'cofinavit', 100, 3, 0, 1, 'Varias fuentes dicen que los 100 puntos reemplazaron a los 1,080 para todos los créditos; otra dice que algunos productos siguen pidiendo 1,080.');
INSERT INTO scoring_thresholds (model, product, min_points, min_bimesters, women_bonus, uncertain, note) VALUES ('T100', 'unamos', 100, 3, 0, 1, 'Cada participante debe reunir los puntos por su cuenta. Varias fuentes dicen que los 100 puntos reemplazaron a los 1,080 para todos los créditos; otra dice que algunos productos siguen pidiendo 1,080.');
INSERT INTO scoring_thresholds (model, product, min_points, min_bimesters, women_bonus, uncertain, note) VALUES ('T100', 'mejoravit', 0, 0, 0, 1, 'Las fuentes no mencionan un mínimo de puntos para Mejoravit Solo para Ti; pide relación laboral vigente y no tener un crédito Infonavit activo.');

-- ------------------------------------------------------------ simulator rules
-- Ceilings (domain.md §4.3, derived to the centavo from every published
-- figure): Crédito Infonavit 823 UMA mensual (814 in May 2021), Unamos
-- Créditos 1,481.4 (= 1.8 x 823), Cofinavit's Infonavit part 325,
-- Mejoravit Solo para Ti 0.25 to 3.95 UMA anuales (3 to 47.4 mensuales).
-- Term 1-30 years (Cofinavit 3-30); age + term <= 70 for men, 75 for women.
-- Payment share (uncertain): up to one minimum wage the payroll discount
-- may not pass 20% of the salary; above it no cap was published and 30%,
-- common in the examples, is used. Charges (§4.5): no opening or
-- administration fees for credits from 1 May 2024; the housing insurance
-- is 15.00 a bimester (SUA, since January 2011) on the mortgage products,
-- none on Mejoravit, which has no mortgage.

-- Crédito Infonavit. 2021: the official band limits (1.5-2.0 UMA 1.91%-3.33%
-- ... >= 6.1 UMA 10.45%) with the rate in between interpolated
-- (approximation: the intermediate steps were not published).
INSERT INTO product_rules (product, valid_from, ceiling_uma_e6, person_ceiling_uma_e6, min_amount_uma_e6, min_term_years, max_term_years, age_term_men, age_term_women, low_salary_sm_e6, low_share_e6, share_e6, adds_balance, balance_cap_e6, rate_basis, rate_interpolate, min_applicants, max_applicants, insurance_bimester, uncertain, note, source) VALUES ('infonavit', '2021-05-01', 814000000, 0, 0, 1, 30, 70, 75, 1000000, 200000, 300000, 1, 0, 'salario', 1, 1, 1, 1500, 1, 'Las tasas de 2021 son oficiales en los extremos de cada rango de salario; las intermedias se calculan en línea recta (aproximación). El pago mensual como porcentaje de tu salario (20% hasta un salario mínimo y 30% arriba) es una aproximación.', 'nnc.mx; canal44chihuahua.com 2021-06');
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 0, 19100, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 1500000, 19100, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 2000000, 33300, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 2100000, 35500, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 3000000, 55100, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 3100000, 57000, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 4000000, 72100, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 4100000, 74100, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 5000000, 88600, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 5100000, 90300, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 6000000, 104200, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2021-05-01', 6100000, 104500, 0);

-- 2022-2024: the ceiling became 823 UMA; the 2021 rates are kept although a
-- 2023 source gives a 3.09% floor (uncertain).
INSERT INTO product_rules (product, valid_from, ceiling_uma_e6, person_ceiling_uma_e6, min_amount_uma_e6, min_term_years, max_term_years, age_term_men, age_term_women, low_salary_sm_e6, low_share_e6, share_e6, adds_balance, balance_cap_e6, rate_basis, rate_interpolate, min_applicants, max_applicants, insurance_bimester, uncertain, note, source) VALUES ('infonavit', '2022-02-01', 823000000, 0, 0, 1, 30, 70, 75, 1000000, 200000, 300000, 1, 0, 'salario', 1, 1, 1, 1500, 1, 'Se usan las tasas de 2021; una fuente de 2023 da 3.09% como tasa mínima. Las intermedias se calculan en línea recta (aproximación). El pago mensual como porcentaje de tu salario (20% hasta un salario mínimo y 30% arriba) es una aproximación.', 'runahr.com; lasillarota 2023-10-19; calibrenoticias.com');
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) SELECT product, '2022-02-01', lower_uma_e6, rate_e6, max_term_years FROM product_rates WHERE product = 'infonavit' AND valid_from = '2021-05-01';

-- 2025: 3.50% up to 2.4 UMA, 10.45% from 6.6 UMA; in between a straight
-- line (approximation; another 2025 source gives a 3.76% floor).
INSERT INTO product_rules (product, valid_from, ceiling_uma_e6, person_ceiling_uma_e6, min_amount_uma_e6, min_term_years, max_term_years, age_term_men, age_term_women, low_salary_sm_e6, low_share_e6, share_e6, adds_balance, balance_cap_e6, rate_basis, rate_interpolate, min_applicants, max_applicants, insurance_bimester, uncertain, note, source) VALUES ('infonavit', '2025-02-01', 823000000, 0, 0, 1, 30, 70, 75, 1000000, 200000, 300000, 1, 0, 'salario', 1, 1, 1, 1500, 1, 'Tasa de 3.50% hasta 2.4 UMA y de 10.45% desde 6.6 UMA; entre ambas se calcula en línea recta (aproximación; otra fuente da 3.76% como mínimo). El pago mensual como porcentaje de tu salario (20% hasta un salario mínimo y 30% arriba) es una aproximación.', 'puenteciudadano.com; proceso.com.mx 2025-09-10');
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2025-02-01', 0, 35000, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2025-02-01', 2400000, 35000, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2025-02-01', 6600000, 104500, 0);

-- 2026: 3.69% to 10.45%; that the floor reaches 2.4 UMA is assumed.
INSERT INTO product_rules (product, valid_from, ceiling_uma_e6, person_ceiling_uma_e6, min_amount_uma_e6, min_term_years, max_term_years, age_term_men, age_term_women, low_salary_sm_e6, low_share_e6, share_e6, adds_balance, balance_cap_e6, rate_basis, rate_interpolate, min_applicants, max_applicants, insurance_bimester, uncertain, note, source) VALUES ('infonavit', '2026-02-01', 823000000, 0, 0, 1, 30, 70, 75, 1000000, 200000, 300000, 1, 0, 'salario', 1, 1, 1, 1500, 1, 'Tasas de 3.69% a 10.45%. Que el 3.69% llegue hasta 2.4 UMA es un supuesto; entre 2.4 y 6.6 UMA la tasa se calcula en línea recta (aproximación). El pago mensual como porcentaje de tu salario (20% hasta un salario mínimo y 30% arriba) es una aproximación.', 'mexicoya.com.mx 2026; laverdadnoticias.com');
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2026-02-01', 0, 36900, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2026-02-01', 2400000, 36900, 0);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('infonavit', '2026-02-01', 6600000, 104500, 0);

-- Cofinavit: the Infonavit part, 325 UMA, fixed 10.45% for every salary,
-- 3-30 years.
INSERT INTO product_rules (product, valid_from, ceiling_uma_e6, person_ceiling_uma_e6, min_amount_uma_e6, min_term_years, max_term_years, age_term_men, age_term_women, low_salary_sm_e6, low_share_e6, share_e6, adds_balance, balance_cap_e6, rate_basis, rate_interpolate, min_applicants, max_applicants, insurance_bimester, uncertain, note, source) VALUES ('cofinavit', '2025-02-01', 325000000, 0, 0, 3, 30, 70, 75, 1000000, 200000, 300000, 1, 0, 'salario', 0, 1, 1, 1500, 1, 'Solo la parte del Infonavit, con tasa fija de 10.45%; el crédito del banco se cotiza aparte. El pago mensual como porcentaje de tu salario es una aproximación.', 'unotv.com; mediotiempo.com; proceso.com.mx 2025-09-10');
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('cofinavit', '2025-02-01', 0, 104500, 0);

-- Unamos Créditos: each participant as a Crédito Infonavit (own salary,
-- age, rate and 823-UMA limit); together at most 1,481.4 UMA.
INSERT INTO product_rules (product, valid_from, ceiling_uma_e6, person_ceiling_uma_e6, min_amount_uma_e6, min_term_years, max_term_years, age_term_men, age_term_women, low_salary_sm_e6, low_share_e6, share_e6, adds_balance, balance_cap_e6, rate_basis, rate_interpolate, min_applicants, max_applicants, insurance_bimester, uncertain, note, source) VALUES ('unamos', '2025-02-01', 1481400000, 823000000, 0, 1, 30, 70, 75, 1000000, 200000, 300000, 1, 0, 'salario', 1, 2, 0, 1500, 1, 'Cada participante se calcula como un Crédito Infonavit con su propio salario y edad; si la suma pasa del monto máximo, cada parte se reduce en la misma proporción (aproximación). Tasas y pago mensual aproximados como en el Crédito Infonavit.', 'nmas.com.mx 2025-10-06; cronista.com');
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) SELECT 'unamos', valid_from, lower_uma_e6, rate_e6, max_term_years FROM product_rates WHERE product = 'infonavit' AND valid_from = '2025-02-01';
INSERT INTO product_rules (product, valid_from, ceiling_uma_e6, person_ceiling_uma_e6, min_amount_uma_e6, min_term_years, max_term_years, age_term_men, age_term_women, low_salary_sm_e6, low_share_e6, share_e6, adds_balance, balance_cap_e6, rate_basis, rate_interpolate, min_applicants, max_applicants, insurance_bimester, uncertain, note, source) VALUES ('unamos', '2026-02-01', 1481400000, 823000000, 0, 1, 30, 70, 75, 1000000, 200000, 300000, 1, 0, 'salario', 1, 2, 0, 1500, 1, 'Cada participante se calcula como un Crédito Infonavit con su propio salario y edad; si la suma pasa del monto máximo, cada parte se reduce en la misma proporción (aproximación). Tasas y pago mensual aproximados como en el Crédito Infonavit.', 'nmas.com.mx 2025-10-06; cronista.com; mexicoya.com.mx 2026');
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) SELECT 'unamos', valid_from, lower_uma_e6, rate_e6, max_term_years FROM product_rates WHERE product = 'infonavit' AND valid_from = '2026-02-01';

-- Mejoravit Solo para Ti (2025): 0.25 to 3.95 UMA anuales and at most 90% of
-- the subaccount balance; up to 1 UMA anual (12 mensuales) 10% and 1-5
-- years, above it 11% and 1-10 years. Launch date approximate (July 2025).
INSERT INTO product_rules (product, valid_from, ceiling_uma_e6, person_ceiling_uma_e6, min_amount_uma_e6, min_term_years, max_term_years, age_term_men, age_term_women, low_salary_sm_e6, low_share_e6, share_e6, adds_balance, balance_cap_e6, rate_basis, rate_interpolate, min_applicants, max_applicants, insurance_bimester, uncertain, note, source) VALUES ('mejoravit', '2025-07-01', 47400000, 0, 3000000, 1, 10, 70, 75, 1000000, 200000, 300000, 0, 900000, 'monto', 0, 1, 1, 0, 1, 'De 0.25 a 3.95 UMA anuales y hasta el 90% de tu ahorro en la Subcuenta de Vivienda. Hasta 1 UMA anual: 10% y hasta 5 años; más: 11% y hasta 10 años. El pago mensual como porcentaje de tu salario y el límite de edad más plazo son aproximaciones.', 'giratusfinanzas.com 2025-07-16; unotv.com');
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('mejoravit', '2025-07-01', 0, 100000, 5);
INSERT INTO product_rates (product, valid_from, lower_uma_e6, rate_e6, max_term_years) VALUES ('mejoravit', '2025-07-01', 12000000, 110000, 10);
