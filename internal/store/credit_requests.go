package store

import (
	"context"
	"fmt"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
)

// What approving a request after the credit writes (issue 8,
// internal/servicing): ledger movements keyed by the request, a credit's
// new terms or state, withdrawals from the savings. Each is a plain
// INSERT or a compare-and-set UPDATE inside the approval's transaction,
// so a movement already there, or a credit changed meanwhile, fails the
// approval (ECONFLICT) instead of applying it twice.

// LockCredit holds a person's credit (by number) until the transaction
// ends, so two approvals about the same credit (two requests filed at
// once) take their turns: the second reads what the first wrote. On
// SQLite the one writer already serialises them.
func (db *DB) LockCredit(ctx context.Context, personID int64, number string) error {
	if _, err := db.exec(ctx, "UPDATE credits SET updated_at = updated_at WHERE person_id = ? AND number = ?", personID, number); err != nil {
		return fmt.Errorf("store: lock credit: %w", err)
	}
	return nil
}

// LockPerson holds a person's record until the transaction ends, for the
// same reason (their savings).
func (db *DB) LockPerson(ctx context.Context, personID int64) error {
	if _, err := db.exec(ctx, "UPDATE people SET updated_at = updated_at WHERE id = ?", personID); err != nil {
		return fmt.Errorf("store: lock person: %w", err)
	}
	return nil
}

// PostCreditMovements writes movements to credits' ledgers.
func (db *DB) PostCreditMovements(ctx context.Context, ms []credit.Movement) error {
	now := db.clock.Now().UTC()
	for _, m := range ms {
		if _, err := db.exec(ctx, `INSERT INTO credit_movements (credit_id, kind, period, source_id, value_date, amount, amount_vsm_e4, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.CreditID, m.Kind, m.Period, m.SourceID, m.ValueDate, int64(m.Amount), m.AmountVSM, now); err != nil {
			if portal.ErrorCode(err) == portal.ECONFLICT {
				return portal.Wrap(portal.ECONFLICT, err, "Ese movimiento ya está registrado en el crédito.")
			}
			return fmt.Errorf("store: post credit movement: %w", err)
		}
	}
	return nil
}

// RestructureCredit gives a credit new terms — denomination, rate, term,
// payment and payroll discount — only if it still has the denomination
// and state it had when they were worked out (ECONFLICT otherwise).
func (db *DB) RestructureCredit(ctx context.Context, before, after credit.Credit) error {
	res, err := db.exec(ctx, `UPDATE credits SET denomination = ?, annual_rate_bp = ?, term_months = ?, monthly_payment = ?,
		monthly_payment_vsm_e4 = ?, discount_type = ?, discount_factor_e4 = ?, updated_at = ?
		WHERE id = ? AND denomination = ? AND state = ?`,
		after.Denomination, after.AnnualRateBP, after.TermMonths, int64(after.MonthlyPayment), after.MonthlyPaymentVSME4,
		after.DiscountType, after.DiscountFactorE4, db.clock.Now().UTC(), before.ID, before.Denomination, before.State)
	if err != nil {
		return fmt.Errorf("store: restructure credit: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return portal.Errorf(portal.ECONFLICT, "El crédito cambió mientras se revisaba el trámite. Vuelve a cargar la página.")
	}
	return nil
}

// SetCreditState moves a credit from one state to another, only if it is
// still in from (ECONFLICT otherwise).
func (db *DB) SetCreditState(ctx context.Context, id int64, from, to string) error {
	res, err := db.exec(ctx, "UPDATE credits SET state = ?, updated_at = ? WHERE id = ? AND state = ?", to, db.clock.Now().UTC(), id, from)
	if err != nil {
		return fmt.Errorf("store: credit state: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return portal.Errorf(portal.ECONFLICT, "El crédito cambió mientras se revisaba el trámite. Vuelve a cargar la página.")
	}
	return nil
}

// PostSavingsMovements writes movements to people's savings ledgers.
func (db *DB) PostSavingsMovements(ctx context.Context, ms []savings.Movement) error {
	now := db.clock.Now().UTC()
	for _, m := range ms {
		if _, err := db.exec(ctx, `INSERT INTO savings_movements (person_id, bucket, kind, period, source_id, value_date, amount, daily_salary, days, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.PersonID, m.Bucket, m.Kind, m.Period, m.SourceID, m.ValueDate, int64(m.Amount),
			int64(m.DailySalary), m.Days, now); err != nil {
			if portal.ErrorCode(err) == portal.ECONFLICT {
				return portal.Wrap(portal.ECONFLICT, err, "Ese movimiento ya está registrado en la subcuenta.")
			}
			return fmt.Errorf("store: post savings movement: %w", err)
		}
	}
	return nil
}

// EndProrrogas returns to vigente every credit en prórroga whose last
// deferred month is month or earlier: run after the month's accrual, it
// ends the prórrogas that month closed. It returns how many ended.
func (db *DB) EndProrrogas(ctx context.Context, month portal.Date) (int64, error) {
	res, err := db.exec(ctx, `UPDATE credits SET state = ?, updated_at = ? WHERE state = ? AND NOT EXISTS (
		SELECT 1 FROM credit_movements p WHERE p.credit_id = credits.id AND p.kind = ? AND p.period > ?)`,
		credit.StateVigente, db.clock.Now().UTC(), credit.StateEnProrroga, credit.KindProrroga, credit.MonthKey(month))
	if err != nil {
		return 0, fmt.Errorf("store: end prórrogas: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
