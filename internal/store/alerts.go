package store

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/alert"
)

func (db *DB) findings(ctx context.Context, what, q string, args ...any) ([]alert.Finding, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []alert.Finding
	for rows.Next() {
		var subject string
		var events, distinct int
		if err := rows.Scan(&subject, &events, &distinct); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, alert.Finding{Subject: subject, Events: events, Detail: fmt.Sprintf("%d eventos, %d distintos", events, distinct)})
	}
	return out, mapError(rows.Err())
}

// AddressesFailing implements alert.Store.
func (db *DB) AddressesFailing(ctx context.Context, action string, since time.Time, minEvents, minAccounts int) ([]alert.Finding, error) {
	return db.findings(ctx, "addresses failing", `SELECT ip, COUNT(*), COUNT(DISTINCT account_id) FROM audit_log
		WHERE action = ? AND at >= ? AND ip <> '' GROUP BY ip HAVING COUNT(*) >= ? AND COUNT(DISTINCT account_id) >= ?`,
		action, since.UTC(), minEvents, minAccounts)
}

// CountAction implements alert.Store.
func (db *DB) CountAction(ctx context.Context, action string, since time.Time) (int, error) {
	var n int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = ? AND at >= ?", action, since.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count action: %w", err)
	}
	return n, nil
}

// AccountsFromManyAddresses implements alert.Store.
func (db *DB) AccountsFromManyAddresses(ctx context.Context, since time.Time, minAddresses int) ([]alert.Finding, error) {
	return db.findings(ctx, "accounts from many addresses", `SELECT `+db.typed("CAST(account_id AS TEXT)", "TEXT")+`, COUNT(*), COUNT(DISTINCT ip) FROM audit_log
		WHERE action IN ('signin.succeeded', 'signin.failed') AND at >= ? AND account_id <> 0 GROUP BY account_id HAVING COUNT(DISTINCT ip) >= ?`,
		since.UTC(), minAddresses)
}

// OperatorsReadingMany implements alert.Store.
func (db *DB) OperatorsReadingMany(ctx context.Context, since time.Time, minPeople int) ([]alert.Finding, error) {
	return db.findings(ctx, "operators reading many", `SELECT `+db.typed("CAST(operator_id AS TEXT)", "TEXT")+`, COUNT(*), COUNT(DISTINCT person_id) FROM audit_log
		WHERE action IN ('person.viewed', 'document.viewed') AND at >= ? AND operator_id <> 0 GROUP BY operator_id HAVING COUNT(DISTINCT person_id) >= ?`,
		since.UTC(), minPeople)
}

// RaiseAlert implements alert.Store: one alert per rule, subject and
// window, the first to be raised.
func (db *DB) RaiseAlert(ctx context.Context, a *alert.Alert) (bool, error) {
	res, err := db.exec(ctx, `INSERT INTO security_alerts (rule, subject, events, detail, window_start, raised_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (rule, subject, window_start) DO NOTHING`, a.Rule, a.Subject, a.Events, a.Detail, a.WindowStart.UTC(), a.RaisedAt.UTC())
	if err != nil {
		return false, fmt.Errorf("store: raise alert: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// BlockAddress implements alert.Store (a later block extends an earlier one).
func (db *DB) BlockAddress(ctx context.Context, ip string, until time.Time, reason string) error {
	_, err := db.exec(ctx, `INSERT INTO blocked_addresses (ip, until_at, reason) VALUES (?, ?, ?)
		ON CONFLICT (ip) DO UPDATE SET until_at = excluded.until_at, reason = excluded.reason`, ip, until.UTC(), reason)
	if err != nil {
		return fmt.Errorf("store: block address: %w", err)
	}
	return nil
}

// AddressBlocked implements alert.Store.
func (db *DB) AddressBlocked(ctx context.Context, ip string, now time.Time) (bool, error) {
	return db.exists(ctx, "SELECT COUNT(*) FROM blocked_addresses WHERE ip = ? AND until_at > ?", ip, now.UTC())
}

// RecentAlerts implements alert.Store.
func (db *DB) RecentAlerts(ctx context.Context, limit int) ([]alert.Alert, error) {
	rows, err := db.query(ctx, `SELECT id, rule, subject, events, detail, window_start, raised_at FROM security_alerts
		ORDER BY raised_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: recent alerts: %w", err)
	}
	defer rows.Close()
	var out []alert.Alert
	for rows.Next() {
		var a alert.Alert
		var ws, ra timeValue
		if err := rows.Scan(&a.ID, &a.Rule, &a.Subject, &a.Events, &a.Detail, &ws, &ra); err != nil {
			return nil, fmt.Errorf("store: recent alerts: %w", err)
		}
		a.WindowStart, a.RaisedAt = ws.t, ra.t
		out = append(out, a)
	}
	return out, mapError(rows.Err())
}
