package store

import (
	"context"
	"fmt"
	"strings"

	"micuenta/internal/employment"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
)

// SavingsBalances implements savings.Store.
func (db *DB) SavingsBalances(ctx context.Context, personID int64) ([]savings.BucketBalance, portal.Date, error) {
	rows, err := db.query(ctx, `SELECT bucket, SUM(amount), MAX(value_date) FROM savings_movements WHERE person_id = ? GROUP BY bucket`, personID)
	if err != nil {
		return nil, portal.Date{}, fmt.Errorf("store: savings balances: %w", err)
	}
	defer rows.Close()
	var out []savings.BucketBalance
	var newest portal.Date
	for rows.Next() {
		var b savings.BucketBalance
		var sum int64
		var last portal.Date
		if err := rows.Scan(&b.Bucket, &sum, &last); err != nil {
			return nil, portal.Date{}, fmt.Errorf("store: savings balances: %w", err)
		}
		b.Balance = portal.Money(sum)
		out = append(out, b)
		if newest.Before(last) {
			newest = last
		}
	}
	return out, newest, mapError(rows.Err())
}

// savingsSummarySQL is SavingsSummary's statement: the balances per
// bucket with their oldest and newest value dates (from the covering
// index savings_movements_balance), then the last contribution with its
// employer.
const savingsSummarySQL = `SELECT m.bucket, CAST(SUM(m.amount) AS BIGINT), MIN(m.value_date), MAX(m.value_date), 0, 0, 0, 0, '', '', ''
		FROM savings_movements m WHERE m.person_id = ? GROUP BY m.bucket
		UNION ALL
		SELECT '', l.amount, l.value_date, l.value_date, l.period, l.source_id, l.daily_salary, l.days,
			COALESCE(e.razon_social, ''), COALESCE(e.registro_patronal, ''), l.bucket
		FROM (SELECT m.amount, m.value_date, m.period, m.source_id, m.daily_salary, m.days, m.bucket FROM savings_movements m
			WHERE m.person_id = ? AND m.kind = '` + savings.KindAportacion + `'
			ORDER BY m.period DESC, m.source_id DESC, m.bucket DESC LIMIT 1) l
		LEFT JOIN employers e ON e.id = l.source_id`

// SavingsSummary implements savings.Store in one statement: the balance
// of each bucket with its oldest and newest value dates, and after them
// one row for the last contribution (bucket left empty), the one of the
// latest bimester, read straight off the end of the unique index on
// (person_id, kind, period, …) rather than sorting every contribution by
// date. The savings page's year filter takes its span from here too,
// where it cost a statement of its own.
func (db *DB) SavingsSummary(ctx context.Context, personID int64) ([]savings.BucketBalance, savings.Span, *savings.Entry, error) {
	rows, err := db.query(ctx, savingsSummarySQL, personID, personID)
	if err != nil {
		return nil, savings.Span{}, nil, fmt.Errorf("store: savings summary: %w", err)
	}
	defer rows.Close()
	var out []savings.BucketBalance
	var span savings.Span
	var last *savings.Entry
	for rows.Next() {
		var bucket string
		var amount, salary int64
		var first, newest portal.Date
		e := savings.Entry{Movement: savings.Movement{PersonID: personID, Kind: savings.KindAportacion}}
		if err := rows.Scan(&bucket, &amount, &first, &newest, &e.Period, &e.SourceID, &salary, &e.Days, &e.EmployerName, &e.RegistroPatronal, &e.Bucket); err != nil {
			return nil, savings.Span{}, nil, fmt.Errorf("store: savings summary: %w", err)
		}
		if bucket == "" {
			e.Amount, e.DailySalary, e.ValueDate = portal.Money(amount), portal.Money(salary), newest
			last = &e
			continue
		}
		out = append(out, savings.BucketBalance{Bucket: bucket, Balance: portal.Money(amount)})
		if span.First.IsZero() || first.Before(span.First) {
			span.First = first
		}
		if span.Last.Before(newest) {
			span.Last = newest
		}
	}
	if err := rows.Err(); err != nil {
		return nil, savings.Span{}, nil, fmt.Errorf("store: savings summary: %w", mapError(err))
	}
	return out, span, last, nil
}

func savingsWhere(personID int64, f savings.Filter) (string, []any) {
	where := []string{"m.person_id = ?"}
	args := []any{personID}
	if f.Year != 0 {
		where = append(where, "m.value_date >= ? AND m.value_date < ?")
		args = append(args, portal.NewDate(f.Year, 1, 1), portal.NewDate(f.Year+1, 1, 1))
	}
	if f.Kind != "" {
		where = append(where, "m.kind = ?")
		args = append(args, f.Kind)
	}
	return strings.Join(where, " AND "), args
}

// savingsEntriesSQL is SavingsEntries' statement for one page of the
// movements where says, limit long; the offset is its last parameter.
//
// The page is cut first (sorted and limited in the inner select) and
// only its rows are joined to their employer, by primary key: both
// engines loop over the page's rows (PostgreSQL's generic plan too,
// BENCHMARKS.md, sixth sitting). Joined before the cut, PostgreSQL
// hashed the whole employers table for every page (tens of
// milliseconds at 100,000 people, growing with the registry), and
// with the look-ups beside the sort SQLite made them for every
// movement of the person. One join where there were two correlated
// look-ups (name, registro) takes a tenth off the statement on SQLite.
// The limit is written into the statement (see sqlLimit); the offset
// stays a parameter.
func savingsEntriesSQL(where string, limit int) string {
	return `SELECT m.bucket, m.kind, m.period, m.source_id, m.value_date, m.amount, m.daily_salary, m.days,
		COALESCE(e.razon_social, ''), COALESCE(e.registro_patronal, '')
		FROM (SELECT m.id, m.bucket, m.kind, m.period, m.source_id, m.value_date, m.amount, m.daily_salary, m.days
			FROM savings_movements m WHERE ` + where + `
			ORDER BY ` + savingsEntriesOrder + ` LIMIT ` + sqlLimit(limit) + ` OFFSET ?) m
		LEFT JOIN employers e ON e.id = m.source_id AND m.kind = 'aportacion'
		ORDER BY ` + savingsEntriesOrder
}

// savingsEntriesOrder is the movements list's order, newest first. It
// ends at the movement's id so that it is total: movements tie on date,
// period and source (a month's yields on two subaccounts), and
// PostgreSQL's top-N sort may order tied rows differently for two
// limits, so that paging by offset showed a movement on two pages and
// another on none (TestSavingsEntriesPageThroughTies).
const savingsEntriesOrder = `m.value_date DESC, m.period DESC, m.source_id, m.id DESC`

// SavingsEntries implements savings.Store.
func (db *DB) SavingsEntries(ctx context.Context, personID int64, f savings.Filter) ([]savings.Entry, int, error) {
	where, args := savingsWhere(personID, f)
	var total int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM savings_movements m WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count savings: %w", err)
	}
	rows, err := db.query(ctx, savingsEntriesSQL(where, f.Limit), append(args, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: savings entries: %w", err)
	}
	defer rows.Close()
	var out []savings.Entry
	for rows.Next() {
		e := savings.Entry{Movement: savings.Movement{PersonID: personID}}
		var amount, salary int64
		if err := rows.Scan(&e.Bucket, &e.Kind, &e.Period, &e.SourceID, &e.ValueDate, &amount, &salary, &e.Days, &e.EmployerName, &e.RegistroPatronal); err != nil {
			return nil, 0, fmt.Errorf("store: savings entries: %w", err)
		}
		e.Amount, e.DailySalary = portal.Money(amount), portal.Money(salary)
		out = append(out, e)
	}
	return out, total, mapError(rows.Err())
}

// JobsOf implements employment.Store.
func (db *DB) JobsOf(ctx context.Context, personID int64) ([]employment.Job, error) {
	rows, err := db.query(ctx, `SELECT r.id, r.employer_id, r.start_date, r.end_date, r.daily_salary, e.registro_patronal, e.razon_social
		FROM employment_relations r JOIN employers e ON e.id = r.employer_id WHERE r.person_id = ?`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: jobs: %w", err)
	}
	defer rows.Close()
	var out []employment.Job
	for rows.Next() {
		j := employment.Job{Relation: employment.Relation{PersonID: personID}}
		var end *portal.Date
		var salary int64
		if err := rows.Scan(&j.ID, &j.EmployerID, &j.Start, &end, &salary, &j.RegistroPatronal, &j.RazonSocial); err != nil {
			return nil, fmt.Errorf("store: jobs: %w", err)
		}
		if end != nil {
			j.End = *end
		}
		j.DailySalary = portal.Money(salary)
		out = append(out, j)
	}
	return out, mapError(rows.Err())
}
