// Package prequal owns pre-qualification and the credit simulator
// (domain.md §4): the fund's scoring models (the 1,080-point T1000 and the
// 100-point T100 in force from 18 August 2025), the points a person's
// records earn under the model in force on a date, whether they reach each
// product's threshold and, when not, why and roughly how many bimesters are
// missing; and, per product, the largest credit a salary, an age and a term
// allow, its rate, monthly payment and year-by-year amortization, with a
// server-rendered SVG chart of it.
//
// Models, thresholds, ceilings and rate tables are data (migration
// 0013_scoring.sql), loaded once into an immutable Catalog; the fund
// changes them in the database, never here. Where the sources publish no
// formula the data carries the approximation documented in domain.md
// together with a Spanish note that the page shows; docs/prequalification.md
// lists what is uncertain.
//
// Money is integer centavos (portal.Money); UMA multiples, salary shares
// and annual rates are fixed-point figures times 1,000,000 (E6), like
// reference values. The package knows nothing of HTTP or SQL.
package prequal
