package store

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/origination"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
)

// What the credit application reads and writes (issue 9,
// internal/origination, migration 0014): the bimesters a person's
// employers paid, the documents each product asks for, an application's
// stages, and the credit it exercises.

// PaidBimesters implements origination.Store: the bimesters with an
// employer contribution, one line per employer and bimester.
func (db *DB) PaidBimesters(ctx context.Context, personID int64) ([]origination.PaidBimester, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT period, source_id FROM savings_movements
		WHERE person_id = ? AND kind = ? AND amount > 0 ORDER BY period, source_id`, personID, savings.KindAportacion)
	if err != nil {
		return nil, fmt.Errorf("store: paid bimesters: %w", err)
	}
	defer rows.Close()
	var out []origination.PaidBimester
	for rows.Next() {
		var key int
		var p origination.PaidBimester
		if err := rows.Scan(&key, &p.EmployerID); err != nil {
			return nil, fmt.Errorf("store: paid bimesters: %w", err)
		}
		p.Bimestre = portal.BimestreFromKey(key)
		out = append(out, p)
	}
	return out, mapError(rows.Err())
}

// ProductDocuments implements origination.Store.
func (db *DB) ProductDocuments(ctx context.Context) ([]origination.DocumentRule, error) {
	rows, err := db.query(ctx, "SELECT product, code, sort_order, label, hint FROM credit_product_documents ORDER BY product, sort_order, code")
	if err != nil {
		return nil, fmt.Errorf("store: product documents: %w", err)
	}
	defer rows.Close()
	var out []origination.DocumentRule
	for rows.Next() {
		var d origination.DocumentRule
		if err := rows.Scan(&d.Product, &d.Code, &d.SortOrder, &d.Label, &d.Hint); err != nil {
			return nil, fmt.Errorf("store: product documents: %w", err)
		}
		out = append(out, d)
	}
	return out, mapError(rows.Err())
}

// ApplicationStages implements origination.Store.
func (db *DB) ApplicationStages(ctx context.Context, requestID int64) ([]origination.StageRow, error) {
	rows, err := db.query(ctx, `SELECT stage, seq, started_at, due_on, done_at, operator_id FROM credit_application_stages
		WHERE request_id = ? ORDER BY seq`, requestID)
	if err != nil {
		return nil, fmt.Errorf("store: application stages: %w", err)
	}
	defer rows.Close()
	var out []origination.StageRow
	for rows.Next() {
		var r origination.StageRow
		var started, done timeValue
		if err := rows.Scan(&r.Stage, &r.Seq, &started, &r.Due, &done, &r.OperatorID); err != nil {
			return nil, fmt.Errorf("store: application stages: %w", err)
		}
		r.Started, r.Done = started.t, done.t
		out = append(out, r)
	}
	return out, mapError(rows.Err())
}

// StartStage implements origination.Store: a stage already started is
// ECONFLICT (someone else moved the application first).
func (db *DB) StartStage(ctx context.Context, requestID int64, r origination.StageRow) error {
	_, err := db.exec(ctx, `INSERT INTO credit_application_stages (request_id, stage, seq, started_at, due_on, done_at, operator_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, requestID, r.Stage, r.Seq, r.Started.UTC(), r.Due, nullTime(r.Done), r.OperatorID)
	if portal.ErrorCode(err) == portal.ECONFLICT {
		return portal.Wrap(portal.ECONFLICT, err, "Alguien más acaba de cambiar de etapa esta solicitud. Vuelve a cargarla para ver dónde está.")
	}
	if err != nil {
		return fmt.Errorf("store: start stage: %w", err)
	}
	return nil
}

// FinishStage implements origination.Store: a compare-and-set on done_at.
func (db *DB) FinishStage(ctx context.Context, requestID int64, stage string, at time.Time, operatorID int64) error {
	res, err := db.exec(ctx, `UPDATE credit_application_stages SET done_at = ?, operator_id = ?
		WHERE request_id = ? AND stage = ? AND done_at IS NULL`, at.UTC(), operatorID, requestID, stage)
	if err != nil {
		return fmt.Errorf("store: finish stage: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return portal.Errorf(portal.ECONFLICT, "Alguien más acaba de cambiar de etapa esta solicitud. Vuelve a cargarla para ver dónde está.")
	}
	return nil
}

// NextCreditNumber implements origination.Store: an upsert that returns
// the year's next number, so two credits exercised at once never share
// one.
func (db *DB) NextCreditNumber(ctx context.Context, year int) (int64, error) {
	var n int64
	err := db.queryRowW(ctx, `INSERT INTO credit_number_sequences (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = credit_number_sequences.last + 1 RETURNING last`, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: next credit number: %w", err)
	}
	return n, nil
}

// CreateCredit implements origination.Store: the credit gets its id from
// the database (credits the fund's files bring carry their own).
func (db *DB) CreateCredit(ctx context.Context, c *credit.Credit) error {
	now := db.clock.Now().UTC()
	err := db.queryRowW(ctx, `INSERT INTO credits (number, person_id, product, denomination, origination_date, original_amount, original_vsm_e4,
		annual_rate_bp, term_months, monthly_payment, monthly_payment_vsm_e4, discount_type, discount_factor_e4, employer_id, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Number, c.PersonID, c.Product, c.Denomination, c.Origination, int64(c.OriginalAmount), c.OriginalVSME4, c.AnnualRateBP,
		c.TermMonths, int64(c.MonthlyPayment), c.MonthlyPaymentVSME4, c.DiscountType, c.DiscountFactorE4, nullID(c.EmployerID), c.State, now, now).Scan(&c.ID)
	if portal.ErrorCode(err) == portal.ECONFLICT {
		return portal.Wrap(portal.ECONFLICT, err, "Ya existe un crédito con el número "+c.Number+". Intenta de nuevo.")
	}
	if err != nil {
		return fmt.Errorf("store: create credit: %w", err)
	}
	return nil
}
