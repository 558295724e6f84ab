package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"micuenta/internal/config"

	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/person"
	"micuenta/internal/savings"
)

// Records is a set of the fund's records loaded together: a slice of the
// registry with the history that belongs to it. IDs of people and credits
// are given by the caller (the fund's systems own them); relations and
// movements get theirs from the database.
type Records struct {
	People          []*person.Person
	Relations       []employment.Relation
	Savings         []savings.Movement
	Credits         []credit.Credit
	CreditMovements []credit.Movement
}

// LoadCounts says how many rows of each kind a load inserted; rows that
// were already present are not counted.
type LoadCounts struct {
	People, Relations, Savings, Credits, CreditMovements int64
}

// LoadEmployers writes employers, skipping those already present.
func (db *DB) LoadEmployers(ctx context.Context, es []employment.Employer) error {
	cols := []string{"id", "registro_patronal", "razon_social", "state"}
	args := make([]any, 0, len(es)*len(cols))
	for _, e := range es {
		args = append(args, e.ID, e.RegistroPatronal, e.RazonSocial, e.State)
	}
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.insertRows(ctx, "employers", cols, len(es), args); err != nil {
			return err
		}
		return db.syncIdentity(ctx, "employers")
	})
}

// syncIdentity moves PostgreSQL's identity sequences past ids that a load
// wrote explicitly; otherwise the next row added without an id (an
// employer first seen in an import) would be given a taken one. SQLite
// needs nothing: its rowid follows the largest id.
func (db *DB) syncIdentity(ctx context.Context, tables ...string) error {
	if db.engine != config.Postgres {
		return nil
	}
	for _, t := range tables {
		if _, err := db.exec(ctx, syncIdentitySQL(t)); err != nil {
			return fmt.Errorf("store: sync %s ids: %w", t, err)
		}
	}
	return nil
}

func syncIdentitySQL(table string) string {
	return "SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM " + table + "), 1))"
}

// LoadRecords writes r in one transaction: all of it or none of it. Rows
// already present (same natural key) are skipped, so a load can be
// repeated or resumed after a crash without duplicating anything. On
// PostgreSQL the rows go by COPY (copyRows), on SQLite by prepared
// multi-row INSERTs; both skip the same rows.
func (db *DB) LoadRecords(ctx context.Context, r *Records) (LoadCounts, error) {
	return db.LoadRecordsInOrder(ctx, r, nil)
}

// LoadRecordsInOrder is LoadRecords for loads that write several batches
// at once (see ParallelLoads) but must commit them in order, so that a
// crash leaves a prefix of the batches: once every row is written, the
// transaction calls ready (when not nil) and commits only if it returns
// nil, which it does when the batch before has committed.
func (db *DB) LoadRecordsInOrder(ctx context.Context, r *Records, ready func() error) (LoadCounts, error) {
	now := db.clock.Now().UTC()
	tables := recordRows(r, db.personRows(r.People, now), now)
	counts := make([]int64, len(tables))
	if ready == nil {
		ready = func() error { return nil }
	}
	// A seeded history is not news: contribution notices start after it.
	// This one-row update comes after ready: the batches in flight would
	// otherwise wait for each other's lock on it.
	const skipNotices = "UPDATE meta SET value = CAST((SELECT COALESCE(MAX(id), 0) FROM savings_movements) AS TEXT) WHERE key = ?"
	var err error
	if db.engine == config.Postgres {
		err = db.inPgxTx(ctx, func(tx pgx.Tx) error {
			for i, t := range tables {
				if counts[i], err = copyRows(ctx, tx, t); err != nil {
					return err
				}
			}
			for _, t := range []string{"people", "credits"} {
				if _, err := tx.Exec(ctx, syncIdentitySQL(t)); err != nil {
					return fmt.Errorf("store: sync %s ids: %w", t, err)
				}
			}
			if err := ready(); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, db.bind(skipNotices), noticeCursorKey)
			return err
		})
	} else {
		err = db.InTx(ctx, func(ctx context.Context) error {
			for i, t := range tables {
				if counts[i], err = db.insertRows(ctx, t.table, t.cols, t.n, t.args); err != nil {
					return err
				}
			}
			if err := ready(); err != nil {
				return err
			}
			_, err := db.exec(ctx, skipNotices, noticeCursorKey)
			return err
		})
	}
	if err != nil {
		return LoadCounts{}, fmt.Errorf("store: load records: %w", mapError(err))
	}
	return LoadCounts{People: counts[0], Relations: counts[1], Savings: counts[2], Credits: counts[3], CreditMovements: counts[4]}, nil
}

// ParallelLoads is how many LoadRecordsInOrder calls are worth running at
// once: two on PostgreSQL, where each transaction is a server process of
// its own, one on SQLite, which has one writer.
func (db *DB) ParallelLoads() int {
	if db.engine == config.Postgres {
		return 2
	}
	return 1
}

// recordRows lays r out as rows of each table, in the order they must be
// written (people, relations, savings, credits, credit movements).
func recordRows(r *Records, people bulkRows, now time.Time) []bulkRows {
	rel := bulkRows{table: "employment_relations", cols: []string{"person_id", "employer_id", "start_date", "end_date", "daily_salary"}, n: len(r.Relations)}
	rel.args = make([]any, 0, rel.n*len(rel.cols))
	for _, x := range r.Relations {
		rel.args = append(rel.args, x.PersonID, x.EmployerID, x.Start, nullDate(x.End), int64(x.DailySalary))
	}
	sav := bulkRows{table: "savings_movements", cols: []string{"person_id", "bucket", "kind", "period", "source_id", "value_date", "amount", "daily_salary", "days", "created_at"}, n: len(r.Savings)}
	sav.args = make([]any, 0, sav.n*len(sav.cols))
	for _, m := range r.Savings {
		sav.args = append(sav.args, m.PersonID, m.Bucket, m.Kind, m.Period, m.SourceID, m.ValueDate, int64(m.Amount), int64(m.DailySalary), m.Days, now)
	}
	cr := bulkRows{table: "credits", cols: []string{"id", "number", "person_id", "product", "denomination", "origination_date", "original_amount", "original_vsm_e4",
		"annual_rate_bp", "term_months", "monthly_payment", "monthly_payment_vsm_e4", "discount_type", "discount_factor_e4",
		"employer_id", "state", "created_at", "updated_at"}, n: len(r.Credits)}
	cr.args = make([]any, 0, cr.n*len(cr.cols))
	for _, k := range r.Credits {
		cr.args = append(cr.args, k.ID, k.Number, k.PersonID, k.Product, k.Denomination, k.Origination, int64(k.OriginalAmount), k.OriginalVSME4,
			k.AnnualRateBP, k.TermMonths, int64(k.MonthlyPayment), k.MonthlyPaymentVSME4, k.DiscountType, k.DiscountFactorE4,
			nullID(k.EmployerID), k.State, now, now)
	}
	mv := bulkRows{table: "credit_movements", cols: []string{"credit_id", "kind", "period", "source_id", "value_date", "amount", "amount_vsm_e4", "created_at"}, n: len(r.CreditMovements)}
	mv.args = make([]any, 0, mv.n*len(mv.cols))
	for _, m := range r.CreditMovements {
		mv.args = append(mv.args, m.CreditID, m.Kind, m.Period, m.SourceID, m.ValueDate, int64(m.Amount), m.AmountVSM, now)
	}
	return []bulkRows{people, rel, sav, cr, mv}
}
