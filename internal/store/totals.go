package store

import (
	"context"
	"fmt"
)

// Totals summarises the fund's records: row counts and money sums, for
// comparing two databases (an interrupted load against a whole one) and
// for operators' checks after an import.
type Totals struct {
	People, Relations, Savings, Credits, CreditMovements int64
	SavingsSum, CreditSum                                int64 // centavos
}

// TotalsForTest is Totals; the name keeps tests honest about what they use.
func (db *DB) TotalsForTest(ctx context.Context) (Totals, error) { return db.Totals(ctx) }

// Totals counts and sums the records.
func (db *DB) Totals(ctx context.Context) (Totals, error) {
	var t Totals
	err := db.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM people),
		(SELECT COUNT(*) FROM employment_relations),
		(SELECT COUNT(*) FROM savings_movements),
		(SELECT COUNT(*) FROM credits),
		(SELECT COUNT(*) FROM credit_movements),
		(SELECT COALESCE(SUM(amount), 0) FROM savings_movements),
		(SELECT COALESCE(SUM(amount), 0) FROM credit_movements)`).
		Scan(&t.People, &t.Relations, &t.Savings, &t.Credits, &t.CreditMovements, &t.SavingsSum, &t.CreditSum)
	if err != nil {
		return t, fmt.Errorf("store: totals: %w", err)
	}
	return t, nil
}
