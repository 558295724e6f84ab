package store

import (
	"context"
	"database/sql"
	"fmt"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
)

const creditColumns = `id, number, person_id, product, denomination, origination_date, original_amount, original_vsm_e4, annual_rate_bp,
	term_months, monthly_payment, monthly_payment_vsm_e4, discount_type, discount_factor_e4, COALESCE(employer_id, 0), state`

func scanCredit(s scanner) (*credit.Credit, error) {
	var c credit.Credit
	var orig, pay int64
	if err := s.Scan(&c.ID, &c.Number, &c.PersonID, &c.Product, &c.Denomination, &c.Origination, &orig, &c.OriginalVSME4, &c.AnnualRateBP,
		&c.TermMonths, &pay, &c.MonthlyPaymentVSME4, &c.DiscountType, &c.DiscountFactorE4, &c.EmployerID, &c.State); err != nil {
		return nil, err
	}
	c.OriginalAmount, c.MonthlyPayment = portal.Money(orig), portal.Money(pay)
	return &c, nil
}

// CreditsOf lists a person's credits, the newest first.
func (db *DB) CreditsOf(ctx context.Context, personID int64) ([]credit.Credit, error) {
	rows, err := db.query(ctx, "SELECT "+creditColumns+" FROM credits WHERE person_id = ? ORDER BY origination_date DESC, id DESC", personID)
	if err != nil {
		return nil, fmt.Errorf("store: credits of: %w", err)
	}
	defer rows.Close()
	var out []credit.Credit
	for rows.Next() {
		c, err := scanCredit(rows)
		if err != nil {
			return nil, fmt.Errorf("store: credits of: %w", err)
		}
		out = append(out, *c)
	}
	return out, mapError(rows.Err())
}

// FindCreditByNumber returns a credit by its 10-digit number.
func (db *DB) FindCreditByNumber(ctx context.Context, number string) (*credit.Credit, error) {
	c, err := scanCredit(db.queryRow(ctx, "SELECT "+creditColumns+" FROM credits WHERE number = ?", number))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, portal.Wrap(portal.ENOTFOUND, err, "No encontramos ese crédito.")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find credit: %w", err)
	}
	return c, nil
}

// CreditMovements lists a credit's movements in value-date order.
func (db *DB) CreditMovements(ctx context.Context, creditID int64) ([]credit.Movement, error) {
	rows, err := db.query(ctx, `SELECT id, credit_id, kind, period, source_id, value_date, amount, amount_vsm_e4 FROM credit_movements
		WHERE credit_id = ? ORDER BY value_date, id`, creditID)
	if err != nil {
		return nil, fmt.Errorf("store: credit movements: %w", err)
	}
	defer rows.Close()
	var out []credit.Movement
	for rows.Next() {
		var m credit.Movement
		var amount int64
		if err := rows.Scan(&m.ID, &m.CreditID, &m.Kind, &m.Period, &m.SourceID, &m.ValueDate, &amount, &m.AmountVSM); err != nil {
			return nil, fmt.Errorf("store: credit movements: %w", err)
		}
		m.Amount = portal.Money(amount)
		out = append(out, m)
	}
	return out, mapError(rows.Err())
}

// MaxCreditID returns the highest credit id, 0 when there are none.
func (db *DB) MaxCreditID(ctx context.Context) (int64, error) {
	var n int64
	if err := db.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM credits").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: max credit id: %w", err)
	}
	return n, nil
}

// AccrueChunk is how many credits one accrual transaction covers.
const AccrueChunk = 20_000

// Accrue posts a month's interest (and, in even months, the insurance)
// for every live credit, with the rules of internal/credit/ledger.go done
// in SQL: interest on the balance at the start of the month, rounded
// halves away from zero, dated the month's last day. Credits are taken in
// ranges of ids, each in its own transaction; a movement already posted
// for the month is skipped (the ledger's natural key), so a killed run is
// completed by running it again and gives the same balances. umiCentavos
// is the daily UMI that values VSM interest in pesos. (A month whose
// interest an approved request already wrote — a prórroga's zero, a
// conversion's month in VSM — is skipped the same way.) It returns how
// many movements it posted.
func (db *DB) Accrue(ctx context.Context, month portal.Date, umiCentavos int64, chunk int64, progress func(done, total int64)) (int64, error) {
	if chunk <= 0 {
		chunk = AccrueChunk
	}
	first := portal.NewDate(month.Y, month.M, 1)
	last := portal.NewDate(month.Y, month.M+1, 1).AddDays(-1)
	period := month.Y*100 + int(month.M)
	maxID, err := db.MaxCreditID(ctx)
	if err != nil {
		return 0, err
	}
	live := "c.state IN ('" + credit.StateVigente + "', '" + credit.StateEnProrroga + "')"
	insurance := int64(0)
	if month.M%2 == 0 {
		insurance = int64(credit.InsurancePerBimester)
	}
	// One statement per range of credits: each credit's opening balance is
	// read once (the CTE, which both engines materialise as it is used
	// twice), and gives its interest and, in even months, its insurance.
	q := `WITH b AS (
			SELECT c.id AS id, c.denomination AS denom, c.annual_rate_bp AS bp,
				CAST(SUM(m.amount) AS BIGINT) AS s, CAST(SUM(m.amount_vsm_e4) AS BIGINT) AS v
			FROM credits c JOIN credit_movements m ON m.credit_id = c.id
			WHERE c.id >= ? AND c.id < ? AND ` + live + ` AND m.value_date < ?
			GROUP BY c.id, c.denomination, c.annual_rate_bp),
		i AS (
			SELECT id, denom, s, CASE WHEN denom = 'vsm' THEN (2 * v * bp + 120000) / 240000 ELSE 0 END AS vi,
				CASE WHEN denom = 'vsm' THEN 0 ELSE (2 * s * bp + 120000) / 240000 END AS pi
			FROM b WHERE (denom = 'vsm' AND v > 0) OR (denom = 'pesos' AND s > 0))
		INSERT INTO credit_movements (credit_id, kind, period, source_id, value_date, amount, amount_vsm_e4, created_at)
		SELECT id, ` + db.typed("?", "TEXT") + `, ` + db.typed("?", "INTEGER") + `, 0, ` + db.typed("?", "DATE") + `,
			CASE WHEN denom = 'vsm' THEN (2 * vi * ` + db.typed("?", "BIGINT") + ` * 304 + 100000) / 200000 ELSE pi END, vi, ` + db.typed("?", "TIMESTAMP") + `
		FROM i WHERE vi > 0 OR pi > 0
		UNION ALL
		SELECT id, ` + db.typed("?", "TEXT") + `, ` + db.typed("?", "INTEGER") + `, 0, ` + db.typed("?", "DATE") + `,
			` + db.typed("?", "BIGINT") + `, 0, ` + db.typed("?", "TIMESTAMP") + `
		FROM i WHERE denom = 'pesos' AND ` + db.typed("?", "BIGINT") + ` > 0
		ON CONFLICT DO NOTHING`
	now := db.clock.Now().UTC()
	return db.inIDRanges(ctx, maxID, chunk, progress, "accrue credits", func(ctx context.Context, from, to int64) (sql.Result, error) {
		return db.exec(ctx, q, from, to, first,
			credit.KindInteres, period, last, umiCentavos, now,
			credit.KindSeguro, period, last, insurance, now, insurance)
	})
}

// AddStatementNotices announces in each borrower's inbox that the month's
// statement of their live credit is ready, once per credit and month
// however often it runs (the notices' dedup key).
func (db *DB) AddStatementNotices(ctx context.Context, month portal.Date, monthName string) (int64, error) {
	period := fmt.Sprintf("%04d%02d", month.Y, int(month.M))
	subject := "Tu estado de cuenta de " + monthName + " está listo"
	body := "Ya puedes descargar el estado de cuenta de tu crédito de " + monthName + " en Mi Cuenta > Mi crédito > Mis estados de cuenta."
	res, err := db.exec(ctx, `INSERT INTO notices (person_id, kind, dedup_key, subject, body, created_at)
		SELECT c.person_id, `+db.typed("?", "TEXT")+`, 'edc:' || CAST(c.id AS TEXT) || ':' || `+db.typed("?", "TEXT")+`, `+db.typed("?", "TEXT")+`, `+db.typed("?", "TEXT")+`, `+db.typed("?", "TIMESTAMP")+`
		FROM credits c WHERE c.state IN ('`+credit.StateVigente+`', '`+credit.StateEnProrroga+`')
		ON CONFLICT DO NOTHING`, "estado_cuenta", period, subject, body, db.clock.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("store: statement notices: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
