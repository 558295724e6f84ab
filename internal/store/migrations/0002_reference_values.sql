-- Reference values as of November 2026, from domain.md §2.3 and §3. They
-- are data: the fund changes them with `micuenta import reference` (or a
-- later migration), never with a code change. uncertain = 1 marks figures
-- that domain.md flags "(uncertain)" or that were derived; pages that show
-- them say so.

-- UMA, daily, in force from 1 February of each year (INEGI).
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2016-01-28', 73040000, 1, 'INEGI; fecha de inicio 2016 incierta');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2017-02-01', 75490000, 0, 'INEGI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2018-02-01', 80600000, 0, 'INEGI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2019-02-01', 84490000, 0, 'INEGI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2020-02-01', 86880000, 0, 'INEGI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2021-02-01', 89620000, 0, 'INEGI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2022-02-01', 96220000, 0, 'INEGI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2023-02-01', 103740000, 0, 'INEGI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2024-02-01', 108570000, 0, 'INEGI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2025-02-01', 113140000, 0, 'INEGI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('uma_diaria', '2026-02-01', 117310000, 0, 'INEGI, comunicado del 8 de enero de 2026');

-- General minimum wage, daily, in force from the date given (CONASAMI).
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2017-01-01', 80040000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2017-12-01', 88360000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2019-01-01', 102680000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2020-01-01', 123220000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2021-01-01', 141700000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2022-01-01', 172870000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2023-01-01', 207440000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2024-01-01', 248930000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2025-01-01', 278800000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo', '2026-01-01', 315040000, 0, 'CONASAMI');

-- Minimum wage in the Zona Libre de la Frontera Norte, daily.
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo_zlfn', '2019-01-01', 176720000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo_zlfn', '2020-01-01', 185560000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo_zlfn', '2021-01-01', 213390000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo_zlfn', '2022-01-01', 260340000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo_zlfn', '2023-01-01', 312410000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo_zlfn', '2024-01-01', 374890000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo_zlfn', '2025-01-01', 419880000, 0, 'CONASAMI');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('salario_minimo_zlfn', '2026-01-01', 440870000, 0, 'CONASAMI');

-- Unidad Mixta Infonavit, daily: the unit of VSM-denominated credits.
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('umi_diaria', '2020-01-01', 84550000, 0, 'Infonavit');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('umi_diaria', '2021-01-01', 87210000, 0, 'Infonavit');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('umi_diaria', '2022-01-01', 91560000, 1, 'derivado del ajuste de 4.99%');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('umi_diaria', '2023-01-01', 96320000, 1, 'derivado del ajuste de 5.2%');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('umi_diaria', '2024-01-01', 100810000, 0, 'Infonavit');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('umi_diaria', '2025-01-01', 100810000, 0, 'Infonavit; congelado');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('umi_diaria', '2026-01-01', 100810000, 0, 'Infonavit, aviso del 19 de enero de 2026');

-- Yearly adjustment applied to VSM balances and payments (fraction).
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('ajuste_vsm', '2021-01-01', 31500, 0, 'igual a la UMA');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('ajuste_vsm', '2022-01-01', 49900, 0, 'Consejo de Administración, 19 ene 2022');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('ajuste_vsm', '2023-01-01', 52000, 0, 'promedio de inflación de 5 años');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('ajuste_vsm', '2024-01-01', 46600, 0, 'igual a la UMA');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('ajuste_vsm', '2025-01-01', 0, 0, 'congelamiento');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('ajuste_vsm', '2026-01-01', 0, 0, 'Infonavit');

-- Annual nominal yield of the housing subaccount (fraction), for the year
-- that starts on valid_from.
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('rendimiento_scv', '2018-01-01', 65600, 1, 'promedio 2018-2020 publicado; el de cada año no se encontró');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('rendimiento_scv', '2019-01-01', 65600, 1, 'promedio 2018-2020 publicado; el de cada año no se encontró');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('rendimiento_scv', '2020-01-01', 65600, 1, 'promedio 2018-2020 publicado; el de cada año no se encontró');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('rendimiento_scv', '2021-01-01', 73600, 0, 'Consejo de Administración, sesión 861');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('rendimiento_scv', '2022-01-01', 78200, 0, 'Infonavit');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('rendimiento_scv', '2023-01-01', 63300, 1, 'una sola fuente secundaria');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('rendimiento_scv', '2024-01-01', 42100, 1, 'no publicado; se usa el piso legal (inflación anual)');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('rendimiento_scv', '2025-01-01', 36900, 1, 'no publicado; se usa el piso legal (inflación anual)');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('rendimiento_scv', '2026-01-01', 36900, 1, 'no publicado; se repite el último piso legal');

-- INPC (base 2.ª quincena de julio de 2018 = 100), December of each year;
-- the monthly series the interest certificate needs is loaded with
-- `micuenta import reference`. Derived from the annual inflation in
-- domain.md §2.3, so marked uncertain until checked against INEGI.
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2018-12-01', 103020000, 1, 'INEGI; verificar');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2019-12-01', 105934000, 1, 'derivado de la inflación anual 2.83%');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2020-12-01', 109271000, 1, 'derivado de la inflación anual 3.15%');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2021-12-01', 117308000, 1, 'derivado de la inflación anual 7.36%');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2022-12-01', 126478000, 1, 'derivado de la inflación anual 7.82%');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2023-12-01', 132373000, 1, 'derivado de la inflación anual 4.66%');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2024-12-01', 137949000, 1, 'derivado de la inflación anual 4.21%');
INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES ('inpc', '2025-12-01', 143039000, 1, 'derivado de la inflación anual 3.69%');
