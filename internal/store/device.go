package store

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/portal"
)

const deviceColumns = "id, account_id, token_hash, user_agent, first_ip, created_at, last_seen_at"

// CreateDevice implements account.DeviceStore.
func (db *DB) CreateDevice(ctx context.Context, d *account.Device) error {
	err := db.queryRowW(ctx, `INSERT INTO devices (account_id, token_hash, user_agent, first_ip, created_at, last_seen_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, d.AccountID, d.TokenHash, d.UserAgent, d.FirstIP, d.CreatedAt.UTC(), d.LastSeenAt.UTC()).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("store: create device: %w", err)
	}
	return nil
}

func scanDevice(r scanner) (*account.Device, error) {
	var d account.Device
	var created, seen timeValue
	if err := r.Scan(&d.ID, &d.AccountID, &d.TokenHash, &d.UserAgent, &d.FirstIP, &created, &seen); err != nil {
		return nil, err
	}
	d.CreatedAt, d.LastSeenAt = created.t, seen.t
	return &d, nil
}

// FindDevice implements account.DeviceStore.
func (db *DB) FindDevice(ctx context.Context, tokenHash []byte) (*account.Device, error) {
	d, err := scanDevice(db.queryRow(ctx, "SELECT "+deviceColumns+" FROM devices WHERE token_hash = ?", tokenHash))
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return nil, err
		}
		return nil, fmt.Errorf("store: find device: %w", err)
	}
	return d, nil
}

// TouchDevice implements account.DeviceStore.
func (db *DB) TouchDevice(ctx context.Context, id int64, at time.Time) error {
	if _, err := db.exec(ctx, "UPDATE devices SET last_seen_at = ? WHERE id = ?", at.UTC(), id); err != nil {
		return fmt.Errorf("store: touch device: %w", err)
	}
	return nil
}

// AccountDevices implements account.DeviceStore.
func (db *DB) AccountDevices(ctx context.Context, accountID int64) ([]account.Device, error) {
	rows, err := db.query(ctx, "SELECT "+deviceColumns+" FROM devices WHERE account_id = ? ORDER BY last_seen_at DESC", accountID)
	if err != nil {
		return nil, fmt.Errorf("store: account devices: %w", err)
	}
	defer rows.Close()
	var out []account.Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("store: account devices: %w", err)
		}
		out = append(out, *d)
	}
	return out, mapError(rows.Err())
}

// DeleteDevice implements account.DeviceStore; only the owner's device.
func (db *DB) DeleteDevice(ctx context.Context, accountID, id int64) error {
	if _, err := db.exec(ctx, "DELETE FROM devices WHERE id = ? AND account_id = ?", id, accountID); err != nil {
		return fmt.Errorf("store: delete device: %w", err)
	}
	return nil
}
