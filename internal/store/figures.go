package store

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/figures"
	"micuenta/internal/portal"
)

// The figures derived from one day of the sources, replaced on every
// roll-up of the day.
var derivedFigures = []string{figures.AccountsNew, figures.AccountsDeleted, figures.DailyActive,
	figures.RequestsFiled, figures.Funnel, figures.CodesSent, figures.CodesFailed}

var snapshotFigures = []string{figures.AccountsTotal, figures.AccountsByState, figures.Active30}

// RollUpDay implements figures.Store. Every count is an indexed range of
// one day: audit_log (action, at), requests (received_at), outbox
// (created_at).
func (db *DB) RollUpDay(ctx context.Context, day portal.Date, from, to time.Time) error {
	from, to = from.UTC(), to.UTC()
	counts := map[string]map[string]int64{}
	add := func(figure, dim string, n int64) {
		if n == 0 {
			return
		}
		if counts[figure] == nil {
			counts[figure] = map[string]int64{}
		}
		counts[figure][dim] += n
	}
	one := func(q string, args ...any) (int64, error) {
		var n int64
		err := db.queryRow(ctx, q, args...).Scan(&n)
		return n, err
	}
	countAction := func(action string, distinct string) (int64, error) {
		what := "COUNT(*)"
		if distinct != "" {
			what = "COUNT(DISTINCT " + distinct + ")"
		}
		return one("SELECT "+what+" FROM audit_log WHERE action = ? AND at >= ? AND at < ?", action, from, to)
	}
	steps := []struct {
		figure, dim, action, distinct string
	}{
		{figures.AccountsNew, "", audit.RegistrationCompleted, ""},
		{figures.AccountsDeleted, "", audit.AccountDeleted, ""},
		{figures.DailyActive, "", audit.SignInSucceeded, "account_id"},
		{figures.Funnel, "1_identidad", audit.RegistrationMatched, ""},
		{figures.Funnel, "2_coincide", audit.RegistrationMatched, "person_id"},
		{figures.Funnel, "3_nombre", audit.RegistrationNamed, "person_id"},
		{figures.Funnel, "4_contacto", audit.RegistrationContact, "person_id"},
		{figures.Funnel, "5_codigos", audit.RegistrationVerified, "person_id"},
		{figures.Funnel, "6_cuenta", audit.RegistrationCompleted, "person_id"},
	}
	for _, s := range steps {
		n, err := countAction(s.action, s.distinct)
		if err != nil {
			return fmt.Errorf("store: roll up %s: %w", s.figure, err)
		}
		add(s.figure, s.dim, n)
	}
	// Step 1 counts every identity sent, matched or not.
	n, err := one("SELECT COUNT(*) FROM audit_log WHERE action = ? AND at >= ? AND at < ? AND detail LIKE 'registro:%'", audit.RegistrationFailed, from, to)
	if err != nil {
		return fmt.Errorf("store: roll up funnel: %w", err)
	}
	add(figures.Funnel, "1_identidad", n)

	grouped := func(figure, q string, args ...any) error {
		rows, err := db.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: roll up %s: %w", figure, err)
		}
		defer rows.Close()
		for rows.Next() {
			var dim, state string
			var n int64
			if err := rows.Scan(&dim, &state, &n); err != nil {
				return fmt.Errorf("store: roll up %s: %w", figure, err)
			}
			switch {
			case figure != figures.CodesSent:
				add(figure, dim, n)
			case state == "sent":
				add(figures.CodesSent, dim, n)
			case state == "failed":
				add(figures.CodesFailed, dim, n)
			}
		}
		return mapError(rows.Err())
	}
	if err := grouped(figures.RequestsFiled, "SELECT kind, '', COUNT(*) FROM requests WHERE received_at >= ? AND received_at < ? GROUP BY kind", from, to); err != nil {
		return err
	}
	// Priority 0 is the one-time codes (notify.PriorityCode).
	if err := grouped(figures.CodesSent, "SELECT channel, state, COUNT(*) FROM outbox WHERE created_at >= ? AND created_at < ? AND priority = 0 GROUP BY channel, state", from, to); err != nil {
		return err
	}
	return db.replaceFigures(ctx, day, derivedFigures, counts)
}

// SnapshotDay implements figures.Store: the day's only full scans (the
// accounts, and a month of sign-ins through the audit log's action
// index), once per day.
func (db *DB) SnapshotDay(ctx context.Context, day portal.Date, close time.Time) error {
	close = close.UTC()
	counts := map[string]map[string]int64{figures.AccountsByState: {}}
	var total, active int64
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM accounts WHERE created_at < ?", close).Scan(&total); err != nil {
		return fmt.Errorf("store: snapshot accounts: %w", err)
	}
	active, err := db.activeAccounts(ctx, day)
	if err != nil {
		return err
	}
	counts[figures.AccountsTotal] = map[string]int64{"": total}
	counts[figures.Active30] = map[string]int64{"": active}
	rows, err := db.query(ctx, "SELECT p.state, COUNT(*) FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.created_at < ? GROUP BY p.state", close)
	if err != nil {
		return fmt.Errorf("store: snapshot states: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return fmt.Errorf("store: snapshot states: %w", err)
		}
		counts[figures.AccountsByState][state] = n
	}
	if err := rows.Err(); err != nil {
		return mapError(err)
	}
	return db.replaceFigures(ctx, day, snapshotFigures, counts)
}

// activeTrackedKey (meta) is the last day whose sign-ins are in
// active_accounts.
const activeTrackedKey = "figures_active_through"

// activeAccounts brings active_accounts up to day, one day of sign-ins at
// a time (the first time, the 30 days before), and counts the accounts
// that signed in during the 30 days ending with day.
func (db *DB) activeAccounts(ctx context.Context, day portal.Date) (int64, error) {
	var active int64
	err := db.InTx(ctx, func(ctx context.Context) error {
		next := day.AddDays(-29)
		if v, err := db.Meta(ctx, activeTrackedKey); err == nil {
			through, err := portal.ParseDate(v)
			if err != nil {
				return fmt.Errorf("store: %s: %w", activeTrackedKey, err)
			}
			next = latest(through.AddDays(1), next)
		} else if portal.ErrorCode(err) != portal.ENOTFOUND {
			return err
		}
		for d := next; !day.Before(d); d = d.AddDays(1) {
			from, to := figures.DayBounds(d)
			if _, err := db.exec(ctx, `INSERT INTO active_accounts (account_id, last_day)
				SELECT DISTINCT account_id, `+db.typed("?", "TEXT")+` FROM audit_log WHERE action = ? AND at >= ? AND at < ? AND account_id <> 0
				ON CONFLICT (account_id) DO UPDATE SET last_day = excluded.last_day WHERE excluded.last_day > active_accounts.last_day`,
				d.String(), audit.SignInSucceeded, from.UTC(), to.UTC()); err != nil {
				return fmt.Errorf("store: active accounts: %w", err)
			}
		}
		if !day.Before(next) {
			if err := db.SetMeta(ctx, activeTrackedKey, day.String()); err != nil {
				return err
			}
		}
		if _, err := db.exec(ctx, "DELETE FROM active_accounts WHERE last_day < ?", day.AddDays(-60).String()); err != nil {
			return fmt.Errorf("store: active accounts: %w", err)
		}
		return db.queryRow(ctx, "SELECT COUNT(*) FROM active_accounts WHERE last_day >= ? AND last_day <= ?", day.AddDays(-29).String(), day.String()).Scan(&active)
	})
	if err != nil {
		return 0, fmt.Errorf("store: active accounts: %w", err)
	}
	return active, nil
}

func latest(a, b portal.Date) portal.Date {
	if a.Before(b) {
		return b
	}
	return a
}

// replaceFigures deletes day's figures of the names given and writes
// counts instead, in one transaction.
func (db *DB) replaceFigures(ctx context.Context, day portal.Date, names []string, counts map[string]map[string]int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		for _, name := range names {
			if _, err := db.exec(ctx, "DELETE FROM daily_figures WHERE day = ? AND figure = ?", day.String(), name); err != nil {
				return fmt.Errorf("store: replace figures: %w", err)
			}
			for dim, n := range counts[name] {
				if _, err := db.exec(ctx, "INSERT INTO daily_figures (day, figure, dim, value) VALUES (?, ?, ?, ?)", day.String(), name, dim, n); err != nil {
					return fmt.Errorf("store: replace figures: %w", err)
				}
			}
		}
		return nil
	})
}

// AddFigures implements figures.Store.
func (db *DB) AddFigures(ctx context.Context, day portal.Date, figure string, counts map[string]int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		for dim, n := range counts {
			if _, err := db.exec(ctx, `INSERT INTO daily_figures (day, figure, dim, value) VALUES (?, ?, ?, ?)
				ON CONFLICT (day, figure, dim) DO UPDATE SET value = daily_figures.value + excluded.value`, day.String(), figure, dim, n); err != nil {
				return fmt.Errorf("store: add figures: %w", err)
			}
		}
		return nil
	})
}

// Figures implements figures.Store.
func (db *DB) Figures(ctx context.Context, from, to portal.Date) ([]figures.Row, error) {
	rows, err := db.query(ctx, "SELECT day, figure, dim, value FROM daily_figures WHERE day >= ? AND day <= ? ORDER BY day, figure, dim", from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("store: figures: %w", err)
	}
	defer rows.Close()
	var out []figures.Row
	for rows.Next() {
		var r figures.Row
		var day string
		if err := rows.Scan(&day, &r.Figure, &r.Dim, &r.Value); err != nil {
			return nil, fmt.Errorf("store: figures: %w", err)
		}
		if r.Day, err = portal.ParseDate(day); err != nil {
			return nil, fmt.Errorf("store: figures: %w", err)
		}
		out = append(out, r)
	}
	return out, mapError(rows.Err())
}

// FirstActivity implements figures.Store.
func (db *DB) FirstActivity(ctx context.Context) (time.Time, error) {
	var first timeValue
	if err := db.queryRow(ctx, "SELECT MIN(at) FROM audit_log").Scan(&first); err != nil {
		return time.Time{}, fmt.Errorf("store: first activity: %w", err)
	}
	return first.t, nil
}

// endSessions deletes the sessions where says and adds them to the
// visits of the day each began: how many, and how long from first to last
// request (the idle time-out has already cut a session left open). The
// rows counted are the rows the DELETE returned, in its transaction, so a
// visit is counted exactly once whichever way its session ends, even with
// two processes purging at once.
func (db *DB) endSessions(ctx context.Context, where string, args ...any) (int, error) {
	var n int
	err := db.InTx(ctx, func(ctx context.Context) error {
		rows, err := db.writer(ctx).QueryContext(ctx, db.bind("DELETE FROM sessions WHERE "+where+" RETURNING created_at, last_seen_at"), args...)
		if err != nil {
			return mapError(err)
		}
		visits, seconds := map[portal.Date]int64{}, map[portal.Date]int64{}
		for rows.Next() {
			var created, seen timeValue
			if err := rows.Scan(&created, &seen); err != nil {
				rows.Close()
				return err
			}
			day := portal.DateOf(created.t)
			visits[day]++
			seconds[day] += int64(max(seen.t.Sub(created.t), 0) / time.Second)
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		for day, v := range visits {
			if err := db.AddFigures(ctx, day, figures.Visits, map[string]int64{"": v}); err != nil {
				return err
			}
			if err := db.AddFigures(ctx, day, figures.VisitSeconds, map[string]int64{"": seconds[day]}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
