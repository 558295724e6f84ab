package store

import (
	"context"
	"database/sql"
	"fmt"

	"micuenta/internal/config"

	"micuenta/internal/portal"
	"micuenta/internal/savings"
)

// typed gives a parameter in a SELECT list its type on PostgreSQL, which
// cannot infer it there; SQLite needs no cast (and a CAST to DATE would
// turn its text dates into numbers).
func (db *DB) typed(param, sqlType string) string {
	if db.engine == config.Postgres {
		return "CAST(" + param + " AS " + sqlType + ")"
	}
	return param
}

// YieldChunk is how many people one yield transaction covers by default.
const YieldChunk = 20_000

// PostYield posts one month's yield to every bucket that earns one
// (Vivienda 92 and 97, voluntary deposits; the Fondo 72-92 does not), on
// the balance at the end of the month before: balance × yearly rate / 12,
// rounded to the centavo, halves away from zero. People are taken in
// ranges of ids, each in its own transaction; a yield already posted for
// the month is skipped (the ledger's natural key), so a run that was killed
// is completed by running it again and gives the same amounts. progress is
// told the highest person id done. It returns how many yields it posted.
func (db *DB) PostYield(ctx context.Context, month portal.Date, yearlyRateE6 int64, chunk int64, progress func(done, total int64)) (int64, error) {
	if chunk <= 0 {
		chunk = YieldChunk
	}
	if yearlyRateE6 <= 0 {
		return 0, fmt.Errorf("store: post yield: the rate must be positive")
	}
	first := portal.NewDate(month.Y, month.M, 1)
	last := portal.NewDate(month.Y, month.M+1, 1).AddDays(-1)
	period := month.Y*100 + int(month.M)
	maxID, err := db.MaxPersonID(ctx)
	if err != nil {
		return 0, err
	}
	// For a positive sum s: round(s × r / 12e6) = (2·s·r + 12e6) / 24e6 in
	// integer arithmetic, the same on both engines — provided the sum is an
	// integer: PostgreSQL's SUM of a BIGINT is NUMERIC, whose division does
	// not truncate, hence the casts.
	q := `INSERT INTO savings_movements (person_id, bucket, kind, period, source_id, value_date, amount, daily_salary, days, created_at)
		SELECT person_id, bucket, ` + db.typed("?", "TEXT") + `, ` + db.typed("?", "INTEGER") + `, 0, ` + db.typed("?", "DATE") + `,
			(2 * CAST(SUM(amount) AS BIGINT) * ` + db.typed("?", "BIGINT") + ` + 12000000) / 24000000, 0, ` + db.typed("?", "INTEGER") + `, ` + db.typed("?", "TIMESTAMP") + `
		FROM savings_movements
		WHERE person_id >= ? AND person_id < ? AND value_date < ? AND bucket IN (?, ?, ?)
		GROUP BY person_id, bucket
		HAVING SUM(amount) > 0 AND (2 * CAST(SUM(amount) AS BIGINT) * ? + 12000000) / 24000000 > 0
		ON CONFLICT DO NOTHING`
	now := db.clock.Now().UTC()
	return db.inIDRanges(ctx, maxID, chunk, progress, "post yield for people", func(ctx context.Context, from, to int64) (sql.Result, error) {
		return db.exec(ctx, q, savings.KindRendimiento, period, last, yearlyRateE6, last.D, now,
			from, to, first, savings.BucketViv92, savings.BucketViv97, savings.BucketExtra, yearlyRateE6)
	})
}

// inIDRanges runs one statement per range of ids [from, from+chunk), from
// 1 to maxID, each in its own transaction, telling progress the highest id
// done; it returns the rows the statements affected. A failed range
// stops the run with what was done kept: the monthly batches built on it
// are idempotent, so running them again completes them.
func (db *DB) inIDRanges(ctx context.Context, maxID, chunk int64, progress func(done, total int64), what string,
	stmt func(ctx context.Context, from, to int64) (sql.Result, error)) (int64, error) {
	var done int64
	for from := int64(1); from <= maxID; from += chunk {
		err := db.InTx(ctx, func(ctx context.Context) error {
			res, err := stmt(ctx, from, from+chunk)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			done += n
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("store: %s %d–%d: %w", what, from, from+chunk-1, err)
		}
		if progress != nil {
			progress(min(from+chunk-1, maxID), maxID)
		}
	}
	return done, nil
}
