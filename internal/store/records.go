package store

import (
	"context"
	"fmt"
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
		if _, err := db.exec(ctx, "SELECT setval(pg_get_serial_sequence('"+t+"', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM "+t+"), 1))"); err != nil {
			return fmt.Errorf("store: sync %s ids: %w", t, err)
		}
	}
	return nil
}

// LoadRecords writes r in one transaction: all of it or none of it. Rows
// already present (same natural key) are skipped, so a load can be
// repeated or resumed after a crash without duplicating anything.
func (db *DB) LoadRecords(ctx context.Context, r *Records) (LoadCounts, error) {
	var c LoadCounts
	now := db.clock.Now().UTC()
	err := db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c.People, err = db.insertPeople(ctx, r.People, now); err != nil {
			return err
		}
		cols := []string{"person_id", "employer_id", "start_date", "end_date", "daily_salary"}
		args := make([]any, 0, len(r.Relations)*len(cols))
		for _, x := range r.Relations {
			args = append(args, x.PersonID, x.EmployerID, x.Start, nullDate(x.End), int64(x.DailySalary))
		}
		if c.Relations, err = db.insertRows(ctx, "employment_relations", cols, len(r.Relations), args); err != nil {
			return err
		}
		cols = []string{"person_id", "bucket", "kind", "period", "source_id", "value_date", "amount", "daily_salary", "days", "created_at"}
		args = make([]any, 0, len(r.Savings)*len(cols))
		for _, m := range r.Savings {
			args = append(args, m.PersonID, m.Bucket, m.Kind, m.Period, m.SourceID, m.ValueDate, int64(m.Amount), int64(m.DailySalary), m.Days, now)
		}
		if c.Savings, err = db.insertRows(ctx, "savings_movements", cols, len(r.Savings), args); err != nil {
			return err
		}
		cols = []string{"id", "number", "person_id", "product", "denomination", "origination_date", "original_amount", "original_vsm_e4",
			"annual_rate_bp", "term_months", "monthly_payment", "monthly_payment_vsm_e4", "discount_type", "discount_factor_e4",
			"employer_id", "state", "created_at", "updated_at"}
		args = make([]any, 0, len(r.Credits)*len(cols))
		for _, k := range r.Credits {
			args = append(args, k.ID, k.Number, k.PersonID, k.Product, k.Denomination, k.Origination, int64(k.OriginalAmount), k.OriginalVSME4,
				k.AnnualRateBP, k.TermMonths, int64(k.MonthlyPayment), k.MonthlyPaymentVSME4, k.DiscountType, k.DiscountFactorE4,
				nullID(k.EmployerID), k.State, now, now)
		}
		if c.Credits, err = db.insertRows(ctx, "credits", cols, len(r.Credits), args); err != nil {
			return err
		}
		cols = []string{"credit_id", "kind", "period", "source_id", "value_date", "amount", "amount_vsm_e4", "created_at"}
		args = make([]any, 0, len(r.CreditMovements)*len(cols))
		for _, m := range r.CreditMovements {
			args = append(args, m.CreditID, m.Kind, m.Period, m.SourceID, m.ValueDate, int64(m.Amount), m.AmountVSM, now)
		}
		if c.CreditMovements, err = db.insertRows(ctx, "credit_movements", cols, len(r.CreditMovements), args); err != nil {
			return err
		}
		if err := db.syncIdentity(ctx, "people", "credits"); err != nil {
			return err
		}
		// A seeded history is not news: contribution notices start after it.
		_, err = db.exec(ctx, "UPDATE meta SET value = CAST((SELECT COALESCE(MAX(id), 0) FROM savings_movements) AS TEXT) WHERE key = ?", noticeCursorKey)
		return err
	})
	if err != nil {
		return LoadCounts{}, fmt.Errorf("store: load records: %w", err)
	}
	return c, nil
}
