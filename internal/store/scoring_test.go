package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/store"
)

// The scoring models and simulator rules that migration 0013 seeds load
// into a valid catalog on both engines, with the figures domain.md gives.
func TestScoringCatalogLoads(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d, err := db.ScoringData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Models) != 2 || len(d.Blocks) != 12 || len(d.Bands) != 42 || len(d.Products) != 4 || len(d.Thresholds) != 8 ||
			len(d.Rules) != 8 || len(d.Rates) != 39 {
			t.Fatalf("rows: %d models, %d blocks, %d bands, %d products, %d thresholds, %d rules, %d rates",
				len(d.Models), len(d.Blocks), len(d.Bands), len(d.Products), len(d.Thresholds), len(d.Rules), len(d.Rates))
		}
		cat, err := prequal.Load(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		t1000, err := cat.ModelAt(portal.NewDate(2024, time.June, 15))
		if err != nil || t1000.Code != "T1000" || t1000.WomenBonus != 20 || !t1000.EmployerMustPay || !t1000.Uncertain ||
			t1000.ValidFrom != portal.NewDate(2021, time.May, 1) || !strings.Contains(t1000.Note, "1,080") {
			t.Fatalf("T1000 %+v, %v", t1000.ModelRow, err)
		}
		t100, err := cat.ModelAt(portal.NewDate(2025, time.August, 18))
		if err != nil || t100.Code != "T100" || t100.EmployerMustPay || len(t100.Blocks) != 4 || t100.Blocks[3].Factor != prequal.FactorBimestres {
			t.Fatalf("T100 %+v, %v", t100.ModelRow, err)
		}
		if th, ok := t100.Threshold("infonavit"); !ok || th.MinPoints != 100 || th.MinBimesters != 3 || !th.Uncertain || th.Note == "" {
			t.Fatalf("T100 infonavit threshold %+v", th)
		}
		if ps := cat.Products(); ps[0].Name != "Crédito Infonavit" || ps[3].Purpose != prequal.PurposeMejora {
			t.Fatalf("products %+v", ps)
		}
		r, err := cat.RulesAt("infonavit", portal.NewDate(2026, time.March, 15))
		if err != nil || r.CeilingUMAE6 != 823_000_000 || len(r.Rates) != 3 || r.Rates[2].RateE6 != 104_500 || !r.RateInterpolate {
			t.Fatalf("infonavit 2026 %+v, %v", r, err)
		}
		// The 2022 row copied 2021's twelve rates with INSERT ... SELECT.
		if r, _ := cat.RulesAt("infonavit", portal.NewDate(2023, time.March, 1)); len(r.Rates) != 12 || r.Rates[11].RateE6 != 104_500 {
			t.Fatalf("infonavit 2022 rates %+v", r.Rates)
		}
		// One hand-checked figure from each side, through the database:
		// the mid-career T1000 worker (1,071 points) and the 2026 ceiling.
		res, err := cat.Prequalify(portal.NewDate(2024, time.June, 15), 10857, prequal.Applicant{BirthDate: portal.NewDate(1989, time.March, 1),
			Sex: "H", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true, EmployerPaying: true})
		if err != nil || res.Points != 1071 || res.Products[0].MissingBimesters != 10 {
			t.Fatalf("prequalify %+v, %v", res, err)
		}
		q, err := cat.Simulate(prequal.Request{Product: "infonavit", On: portal.NewDate(2026, time.March, 15), UMADaily: 11731, MinimumWageDaily: 31504,
			Participants: []prequal.Participant{{BirthDate: portal.NewDate(1990, time.January, 1), Sex: "H", MonthlySalary: 20_000_000}}})
		if err != nil || q.Credit != 293_500_235 {
			t.Fatalf("quote %+v, %v", q, err)
		}
	})
}

// The fund changes a table with SQL (docs/prequalification.md): a new
// model from a later date, copied from the current one with one band
// changed, and a threshold raised. The catalog loaded afterwards uses
// them on and after that date and keeps the old ones before it.
func TestScoringTablesChangeWithSQL(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := e.dsn(t)
			db := openMigrated(t, dsn)
			raw := openRaw(t, e.name, dsn)
			for _, stmt := range []string{
				`INSERT INTO scoring_models (code, name, valid_from, women_bonus, employer_must_pay, uncertain, note, source)
				 SELECT 'T100-2027', 'Modelo de 100 puntos (2027)', '2027-01-01', women_bonus, employer_must_pay, uncertain, note, 'prueba'
				 FROM scoring_models WHERE code = 'T100'`,
				`INSERT INTO scoring_blocks (model, code, sort_order, label, factor, max_points, uncertain, note)
				 SELECT 'T100-2027', code, sort_order, label, factor, max_points, uncertain, note FROM scoring_blocks WHERE model = 'T100'`,
				`INSERT INTO scoring_bands (model, block, lower_bound, points)
				 SELECT 'T100-2027', block, lower_bound, points FROM scoring_bands WHERE model = 'T100'`,
				`INSERT INTO scoring_thresholds (model, product, min_points, min_bimesters, women_bonus, uncertain, note)
				 SELECT 'T100-2027', product, min_points, min_bimesters, women_bonus, uncertain, note FROM scoring_thresholds WHERE model = 'T100'`,
				`UPDATE scoring_bands SET points = 25 WHERE model = 'T100-2027' AND block = 'cotizacion' AND lower_bound = 3`,
				`UPDATE scoring_thresholds SET min_points = 120 WHERE model = 'T100-2027' AND product = 'cofinavit'`,
			} {
				if _, err := raw.ExecContext(ctx, stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			cat, err := prequal.Load(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			// The young T100 worker of the prequal tests with 3 bimesters:
			// 25 + 26 + 28 + 21 = 100 before; 25 + 26 + 28 + 25 = 104 after.
			a := prequal.Applicant{BirthDate: portal.NewDate(2004, time.May, 20), Sex: "M", DailySalary: 31_504, Balance: 400_000,
				ContinuousBimesters: 3, Employed: true, EmployerPaying: true}
			before, err := cat.Prequalify(portal.NewDate(2026, time.December, 31), 11731, a)
			if err != nil || before.Model.Code != "T100" || before.Points != 100 {
				t.Fatalf("before: %s %d, %v", before.Model.Code, before.Points, err)
			}
			after, err := cat.Prequalify(portal.NewDate(2027, time.January, 1), 11731, a)
			if err != nil || after.Model.Code != "T100-2027" || after.Points != 104 {
				t.Fatalf("after: %s %d, %v", after.Model.Code, after.Points, err)
			}
			if after.Products[1].Product.Code != "cofinavit" || after.Products[1].MinPoints != 120 || after.Products[1].Qualifies {
				t.Fatalf("cofinavit after: %+v", after.Products[1])
			}
			// A broken edit is refused at load, naming the row.
			if _, err := raw.ExecContext(ctx, `DELETE FROM scoring_bands WHERE model = 'T100-2027' AND block = 'edad' AND lower_bound = 0`); err != nil {
				t.Fatal(err)
			}
			if _, err := prequal.Load(ctx, db); err == nil || !strings.Contains(err.Error(), "T100-2027/edad") {
				t.Fatalf("load after a broken edit: %v", err)
			}
		})
	}
}

// openRaw opens a second, plain connection to a test database, the way an
// operator's SQL client would.
func openRaw(t *testing.T, engine, dsn string) *sql.DB {
	t.Helper()
	driver, source := "pgx", dsn
	if engine == "sqlite" {
		driver, source = "sqlite", strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}
