package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/operator"
	"micuenta/internal/portal"
)

const (
	sealTOTP        = "operators.totp"
	sealTOTPPending = "operator_sessions.pending"
	operatorColumns = "id, email, name, role, state, password_hash, password_expires_at, totp_sealed, totp_step, failed_signins, locked_until, disabled, created_at, updated_at"
)

// CreateOperator implements operator.Store.
func (db *DB) CreateOperator(ctx context.Context, o *operator.Operator) error {
	err := db.queryRowW(ctx, `INSERT INTO operators (email, name, role, state, password_hash, password_expires_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, strings.ToLower(o.Email), o.Name, string(o.Role), o.Region, o.PasswordHash,
		nullTime(o.PasswordExpiresAt),
		o.CreatedAt.UTC(), o.UpdatedAt.UTC()).Scan(&o.ID)
	if err != nil {
		return fmt.Errorf("store: create operator: %w", err)
	}
	return nil
}

func (db *DB) scanOperator(s scanner) (*operator.Operator, error) {
	var o operator.Operator
	var role string
	var secret []byte
	var expires, locked, created, updated timeValue
	var disabled int
	if err := s.Scan(&o.ID, &o.Email, &o.Name, &role, &o.Region, &o.PasswordHash, &expires, &secret, &o.TOTPStep, &o.Failed, &locked,
		&disabled, &created, &updated); err != nil {
		return nil, err
	}
	o.PasswordExpiresAt = expires.t
	o.Role, o.LockedUntil, o.Disabled, o.CreatedAt, o.UpdatedAt = operator.Role(role), locked.t, disabled != 0, created.t, updated.t
	if secret != nil {
		text, err := db.vault.Open(sealTOTP, secret)
		if err != nil {
			return nil, fmt.Errorf("store: operator %d second factor: %w", o.ID, err)
		}
		o.TOTPSecret = []byte(text)
	}
	return &o, nil
}

func (db *DB) findOperator(ctx context.Context, where string, arg any) (*operator.Operator, error) {
	o, err := db.scanOperator(db.queryRow(ctx, "SELECT "+operatorColumns+" FROM operators WHERE "+where, arg))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, portal.Wrap(portal.ENOTFOUND, err, "No encontramos a esa persona operadora.")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find operator: %w", err)
	}
	return o, nil
}

// FindOperator implements operator.Store.
func (db *DB) FindOperator(ctx context.Context, id int64) (*operator.Operator, error) {
	return db.findOperator(ctx, "id = ?", id)
}

// FindOperatorByEmail implements operator.Store.
func (db *DB) FindOperatorByEmail(ctx context.Context, email string) (*operator.Operator, error) {
	return db.findOperator(ctx, "email = ?", strings.ToLower(email))
}

// ListOperators implements operator.Store.
func (db *DB) ListOperators(ctx context.Context) ([]operator.Operator, error) {
	rows, err := db.query(ctx, "SELECT "+operatorColumns+" FROM operators ORDER BY name, id")
	if err != nil {
		return nil, fmt.Errorf("store: list operators: %w", err)
	}
	defer rows.Close()
	var out []operator.Operator
	for rows.Next() {
		o, err := db.scanOperator(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list operators: %w", err)
		}
		out = append(out, *o)
	}
	return out, mapError(rows.Err())
}

func (db *DB) updateOperator(ctx context.Context, what, set string, args ...any) error {
	if _, err := db.exec(ctx, "UPDATE operators SET "+set+", updated_at = ? WHERE id = ?", args...); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// SetOperatorSignIn implements operator.Store.
func (db *DB) SetOperatorSignIn(ctx context.Context, id int64, failed int, lockedUntil time.Time) error {
	return db.updateOperator(ctx, "operator sign-in", "failed_signins = ?, locked_until = ?", failed, nullTime(lockedUntil), db.clock.Now().UTC(), id)
}

// SetOperatorTOTP implements operator.Store.
func (db *DB) SetOperatorTOTP(ctx context.Context, id int64, secret []byte, step int64) error {
	var sealed any
	if secret != nil {
		sealed = db.vault.Seal(sealTOTP, string(secret))
	}
	return db.updateOperator(ctx, "operator second factor", "totp_sealed = ?, totp_step = ?", sealed, step, db.clock.Now().UTC(), id)
}

// AdvanceOperatorTOTP implements operator.Store.
func (db *DB) AdvanceOperatorTOTP(ctx context.Context, id int64, from, to int64) error {
	res, err := db.exec(ctx, "UPDATE operators SET totp_step = ? WHERE id = ? AND totp_step = ?", to, id, from)
	if err != nil {
		return fmt.Errorf("store: advance second factor: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return portal.Errorf(portal.ECONFLICT, "Ese código ya se usó.")
	}
	return nil
}

// SetOperatorDisabled implements operator.Store.
func (db *DB) SetOperatorDisabled(ctx context.Context, id int64, disabled bool) error {
	return db.updateOperator(ctx, "disable operator", "disabled = ?", boolInt(disabled), db.clock.Now().UTC(), id)
}

const operatorSessionColumns = "id, token_hash, operator_id, stage, pending_sealed, ip, user_agent, created_at, last_seen_at, expires_at"

// CreateOperatorSession implements operator.Store.
func (db *DB) CreateOperatorSession(ctx context.Context, s *operator.Session) error {
	err := db.queryRowW(ctx, `INSERT INTO operator_sessions (token_hash, operator_id, stage, ip, user_agent, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.TokenHash, s.OperatorID, s.Stage, s.IP, s.UserAgent,
		s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("store: create operator session: %w", err)
	}
	return nil
}

// FindOperatorSession implements operator.Store.
func (db *DB) FindOperatorSession(ctx context.Context, tokenHash []byte) (*operator.Session, error) {
	var s operator.Session
	var pending []byte
	var created, seen, expires timeValue
	err := db.queryRow(ctx, "SELECT "+operatorSessionColumns+" FROM operator_sessions WHERE token_hash = ?", tokenHash).Scan(
		&s.ID, &s.TokenHash, &s.OperatorID, &s.Stage, &pending, &s.IP, &s.UserAgent, &created, &seen, &expires)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: find operator session: %w", err)
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = created.t, seen.t, expires.t
	if pending != nil {
		text, err := db.vault.Open(sealTOTPPending, pending)
		if err != nil {
			return nil, fmt.Errorf("store: operator session: %w", err)
		}
		s.PendingSecret = []byte(text)
	}
	return &s, nil
}

// UpdateOperatorSession implements operator.Store.
func (db *DB) UpdateOperatorSession(ctx context.Context, s *operator.Session) error {
	var pending any
	if s.PendingSecret != nil {
		pending = db.vault.Seal(sealTOTPPending, string(s.PendingSecret))
	}
	_, err := db.exec(ctx, "UPDATE operator_sessions SET stage = ?, pending_sealed = ?, last_seen_at = ?, expires_at = ? WHERE id = ?",
		s.Stage, pending, s.LastSeenAt.UTC(), s.ExpiresAt.UTC(), s.ID)
	if err != nil {
		return fmt.Errorf("store: update operator session: %w", err)
	}
	return nil
}

// DeleteOperatorSession implements operator.Store.
func (db *DB) DeleteOperatorSession(ctx context.Context, id int64) error {
	if _, err := db.exec(ctx, "DELETE FROM operator_sessions WHERE id = ?", id); err != nil {
		return fmt.Errorf("store: delete operator session: %w", err)
	}
	return nil
}

// DeleteOperatorSessions implements operator.Store.
func (db *DB) DeleteOperatorSessions(ctx context.Context, operatorID int64) error {
	if _, err := db.exec(ctx, "DELETE FROM operator_sessions WHERE operator_id = ?", operatorID); err != nil {
		return fmt.Errorf("store: delete operator sessions: %w", err)
	}
	return nil
}

// SetOperatorPassword implements operator.Store.
func (db *DB) SetOperatorPassword(ctx context.Context, id int64, hash string, expires time.Time) error {
	return db.updateOperator(ctx, "operator password", "password_hash = ?, password_expires_at = ?", hash, nullTime(expires), db.clock.Now().UTC(), id)
}

// PurgeOperatorSessions removes operator sessions past their end or idle
// for longer than the idle time-out, for the housekeeping job.
func (db *DB) PurgeOperatorSessions(ctx context.Context, now time.Time, idle time.Duration) (int, error) {
	res, err := db.exec(ctx, "DELETE FROM operator_sessions WHERE expires_at <= ? OR last_seen_at <= ?", now.UTC(), now.Add(-idle).UTC())
	if err != nil {
		return 0, fmt.Errorf("store: purge operator sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
