package store

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/portal"
)

const sealFlowData = "auth_flows.data"

// CreateFlow implements account.FlowStore.
func (db *DB) CreateFlow(ctx context.Context, f *account.Flow) error {
	_, err := db.exec(ctx, `INSERT INTO auth_flows (id, kind, state, person_id, account_id, data_sealed, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, f.Kind, f.State, f.PersonID, f.AccountID,
		db.vault.Seal(sealFlowData, string(f.Data)), f.CreatedAt.UTC(), f.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("store: create flow: %w", err)
	}
	return nil
}

// FindFlow implements account.FlowStore.
func (db *DB) FindFlow(ctx context.Context, id string) (*account.Flow, error) {
	var f account.Flow
	var data []byte
	var created, expires timeValue
	err := db.queryRow(ctx, `SELECT id, kind, state, person_id, account_id, data_sealed, created_at, expires_at FROM auth_flows WHERE id = ?`, id).
		Scan(&f.ID, &f.Kind, &f.State, &f.PersonID, &f.AccountID, &data, &created, &expires)
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return nil, err
		}
		return nil, fmt.Errorf("store: find flow: %w", err)
	}
	f.CreatedAt, f.ExpiresAt = created.t, expires.t
	s, err := db.vault.Open(sealFlowData, data)
	if err != nil {
		return nil, fmt.Errorf("store: flow data: %w", err)
	}
	f.Data = []byte(s)
	return &f, nil
}

// UpdateFlow implements account.FlowStore.
func (db *DB) UpdateFlow(ctx context.Context, f *account.Flow) error {
	_, err := db.exec(ctx, `UPDATE auth_flows SET state = ?, person_id = ?, account_id = ?, data_sealed = ?, expires_at = ? WHERE id = ?`,
		f.State, f.PersonID, f.AccountID, db.vault.Seal(sealFlowData, string(f.Data)), f.ExpiresAt.UTC(), f.ID)
	if err != nil {
		return fmt.Errorf("store: update flow: %w", err)
	}
	return nil
}

// DeleteFlow implements account.FlowStore.
func (db *DB) DeleteFlow(ctx context.Context, id string) error {
	if _, err := db.exec(ctx, "DELETE FROM auth_flows WHERE id = ?", id); err != nil {
		return fmt.Errorf("store: delete flow: %w", err)
	}
	return nil
}

// PutCode implements account.FlowStore.
func (db *DB) PutCode(ctx context.Context, c *account.Code) error {
	_, err := db.exec(ctx, `INSERT INTO one_time_codes (flow_id, purpose, code_hash, attempts, expires_at, used_at, created_at)
		VALUES (?, ?, ?, 0, ?, NULL, ?)
		ON CONFLICT (flow_id, purpose) DO UPDATE SET code_hash = excluded.code_hash, attempts = 0,
			expires_at = excluded.expires_at, used_at = NULL, created_at = excluded.created_at`,
		c.FlowID, c.Purpose, c.Hash, c.ExpiresAt.UTC(), c.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("store: put code: %w", err)
	}
	return nil
}

// FindCode implements account.FlowStore.
func (db *DB) FindCode(ctx context.Context, flowID, purpose string) (*account.Code, error) {
	var c account.Code
	var expires, used, created timeValue
	err := db.queryRow(ctx, `SELECT flow_id, purpose, code_hash, attempts, expires_at, used_at, created_at
		FROM one_time_codes WHERE flow_id = ? AND purpose = ?`, flowID, purpose).
		Scan(&c.FlowID, &c.Purpose, &c.Hash, &c.Attempts, &expires, &used, &created)
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return nil, err
		}
		return nil, fmt.Errorf("store: find code: %w", err)
	}
	c.ExpiresAt, c.UsedAt, c.CreatedAt = expires.t, used.t, created.t
	return &c, nil
}

// CountCodeAttempt implements account.FlowStore.
func (db *DB) CountCodeAttempt(ctx context.Context, flowID, purpose string) (int, error) {
	var n int
	err := db.queryRowW(ctx, `UPDATE one_time_codes SET attempts = attempts + 1 WHERE flow_id = ? AND purpose = ? RETURNING attempts`,
		flowID, purpose).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count code attempt: %w", err)
	}
	return n, nil
}

// MarkCodeUsed implements account.FlowStore.
func (db *DB) MarkCodeUsed(ctx context.Context, flowID, purpose string, at time.Time) error {
	if _, err := db.exec(ctx, "UPDATE one_time_codes SET used_at = ? WHERE flow_id = ? AND purpose = ?", at.UTC(), flowID, purpose); err != nil {
		return fmt.Errorf("store: mark code used: %w", err)
	}
	return nil
}

// PurgeExpiredFlows removes flows (and, by cascade, their codes) that
// ended before cutoff, for the housekeeping job.
func (db *DB) PurgeExpiredFlows(ctx context.Context, cutoff time.Time) (int, error) {
	res, err := db.exec(ctx, "DELETE FROM auth_flows WHERE expires_at < ?", cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: purge flows: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
