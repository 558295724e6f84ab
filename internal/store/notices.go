package store

import (
	"context"
	"fmt"
	"strings"

	"micuenta/internal/portal"
	"micuenta/internal/savings"
)

// RecipientsOf implements savings.NoticeStore.
func (db *DB) RecipientsOf(ctx context.Context, personIDs []int64) (map[int64]savings.Recipient, error) {
	out := map[int64]savings.Recipient{}
	seen := map[int64]bool{}
	uniq := make([]any, 0, len(personIDs))
	for _, id := range personIDs {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	for start := 0; start < len(uniq); start += lookupChunk {
		chunk := uniq[start:min(start+lookupChunk, len(uniq))]
		q := `SELECT a.id, a.person_id, a.email_sealed, a.mobile_sealed, COALESCE(p.contributions_email, 1), COALESCE(p.contributions_sms, 0)
			FROM accounts a LEFT JOIN notification_prefs p ON p.account_id = a.id
			WHERE a.person_id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",") + `)`
		rows, err := db.query(ctx, q, chunk...)
		if err != nil {
			return nil, fmt.Errorf("store: recipients: %w", err)
		}
		for rows.Next() {
			var r savings.Recipient
			var email, mobile []byte
			var byEmail, bySMS int
			if err := rows.Scan(&r.AccountID, &r.PersonID, &email, &mobile, &byEmail, &bySMS); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: recipients: %w", err)
			}
			if r.Email, err = db.vault.Open(sealEmail, email); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: recipients: %w", err)
			}
			if r.Mobile, err = db.vault.Open(sealMobile, mobile); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: recipients: %w", err)
			}
			r.ByEmail, r.BySMS = byEmail != 0, bySMS != 0
			out[r.PersonID] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: recipients: %w", mapError(err))
		}
	}
	return out, nil
}

// AddNotices implements savings.NoticeStore.
func (db *DB) AddNotices(ctx context.Context, ns []savings.Notice) (int, error) {
	now := db.clock.Now().UTC()
	cols := []string{"person_id", "kind", "dedup_key", "subject", "body", "created_at"}
	args := make([]any, 0, len(ns)*len(cols))
	for _, n := range ns {
		args = append(args, n.PersonID, n.Kind, n.DedupKey, n.Subject, n.Body, now)
	}
	k, err := db.insertRows(ctx, "notices", cols, len(ns), args)
	if err != nil {
		return 0, fmt.Errorf("store: add notices: %w", err)
	}
	return int(k), nil
}

// NoticesOf lists a person's notices, newest first.
func (db *DB) NoticesOf(ctx context.Context, personID int64, limit int) ([]savings.Notice, error) {
	rows, err := db.query(ctx, `SELECT kind, dedup_key, subject, body, created_at FROM notices WHERE person_id = ? ORDER BY created_at DESC, id DESC LIMIT `+sqlLimit(limit), personID)
	if err != nil {
		return nil, fmt.Errorf("store: notices: %w", err)
	}
	defer rows.Close()
	var out []savings.Notice
	for rows.Next() {
		n := savings.Notice{PersonID: personID}
		var at timeValue
		if err := rows.Scan(&n.Kind, &n.DedupKey, &n.Subject, &n.Body, &at); err != nil {
			return nil, fmt.Errorf("store: notices: %w", err)
		}
		n.At = at.t
		out = append(out, n)
	}
	return out, mapError(rows.Err())
}

// NoticePrefs returns an account's channels for contribution notices.
func (db *DB) NoticePrefs(ctx context.Context, accountID int64) (byEmail, bySMS bool, err error) {
	var e, s int
	err = db.queryRow(ctx, `SELECT contributions_email, contributions_sms FROM notification_prefs WHERE account_id = ?`, accountID).Scan(&e, &s)
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return true, false, nil
		}
		return false, false, fmt.Errorf("store: notice prefs: %w", err)
	}
	return e != 0, s != 0, nil
}

// SetNoticePrefs stores an account's channels for contribution notices.
func (db *DB) SetNoticePrefs(ctx context.Context, accountID int64, byEmail, bySMS bool) error {
	_, err := db.exec(ctx, `INSERT INTO notification_prefs (account_id, contributions_email, contributions_sms, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET contributions_email = excluded.contributions_email,
		contributions_sms = excluded.contributions_sms, updated_at = excluded.updated_at`, accountID, boolInt(byEmail), boolInt(bySMS), db.clock.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: set notice prefs: %w", err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RequestSMS reports whether an account wants request notices by SMS.
func (db *DB) RequestSMS(ctx context.Context, accountID int64) (bool, error) {
	var v int
	err := db.queryRow(ctx, `SELECT requests_sms FROM notification_prefs WHERE account_id = ?`, accountID).Scan(&v)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: request sms: %w", err)
	}
	return v != 0, nil
}

// SetRequestSMS stores whether an account wants request notices by SMS.
func (db *DB) SetRequestSMS(ctx context.Context, accountID int64, on bool) error {
	_, err := db.exec(ctx, `INSERT INTO notification_prefs (account_id, requests_sms, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET requests_sms = excluded.requests_sms, updated_at = excluded.updated_at`,
		accountID, boolInt(on), db.clock.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: set request sms: %w", err)
	}
	return nil
}
