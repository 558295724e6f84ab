package store

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/audit"
)

// AppendAudit implements audit.Store.
func (db *DB) AppendAudit(ctx context.Context, e audit.Entry) error {
	_, err := db.exec(ctx, `INSERT INTO audit_log (at, action, account_id, operator_id, person_id, ip, user_agent, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.At.UTC(), e.Action, e.AccountID, e.OperatorID, e.PersonID, e.IP, e.UserAgent, e.Detail)
	if err != nil {
		return fmt.Errorf("store: append audit: %w", err)
	}
	return nil
}

// AuditForAccount implements audit.Store.
func (db *DB) AuditForAccount(ctx context.Context, accountID int64, limit int) ([]audit.Entry, error) {
	return db.RecentAudit(ctx, audit.Filter{AccountID: accountID, Limit: limit})
}

// RecentAudit returns the newest entries matching f (the auditors' page,
// a person's security page).
func (db *DB) RecentAudit(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	q := `SELECT id, at, action, account_id, operator_id, person_id, ip, user_agent, detail FROM audit_log WHERE 1 = 1`
	var args []any
	if f.AccountID != 0 {
		q, args = q+" AND account_id = ?", append(args, f.AccountID)
	}
	if f.Action != "" {
		q, args = q+" AND action = ?", append(args, f.Action)
	}
	if f.OperatorID != 0 {
		q, args = q+" AND operator_id = ?", append(args, f.OperatorID)
	}
	if f.PersonID != 0 {
		q, args = q+" AND person_id = ?", append(args, f.PersonID)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	rows, err := db.query(ctx, q+" ORDER BY at DESC, id DESC LIMIT ?", append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: recent audit: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at timeValue
		if err := rows.Scan(&e.ID, &at, &e.Action, &e.AccountID, &e.OperatorID, &e.PersonID, &e.IP, &e.UserAgent, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: recent audit: %w", err)
		}
		e.At = at.t
		out = append(out, e)
	}
	return out, mapError(rows.Err())
}

// auditPurgeChunk bounds each retention delete so no transaction holds
// the writer for long, even on the first pass over years of entries.
const auditPurgeChunk = 10000

// PurgeAuditBefore deletes the audit entries written before cutoff, in
// chunks of their own transactions, and returns how many went. The
// retention job is the only thing that ever deletes from the log.
func (db *DB) PurgeAuditBefore(ctx context.Context, cutoff time.Time) (int, error) {
	total := 0
	for {
		res, err := db.exec(ctx, "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)", cutoff.UTC(), auditPurgeChunk)
		if err != nil {
			return total, fmt.Errorf("store: purge audit: %w", err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
		if n < auditPurgeChunk {
			return total, nil
		}
	}
}
