package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"micuenta/internal/config"
	"micuenta/internal/notify"
)

const (
	sealRecipient = "outbox.recipient"
	sealBody      = "outbox.body"
)

// EnqueueMessages implements notify.Store.
func (db *DB) EnqueueMessages(ctx context.Context, ms []notify.Message) (int, error) {
	now := db.clock.Now().UTC()
	cols := []string{"channel", "recipient_sealed", "subject", "body_sealed", "priority", "dedup_key", "state", "next_attempt_at", "created_at"}
	args := make([]any, 0, len(ms)*len(cols))
	for _, m := range ms {
		var dedup any
		if m.DedupKey != "" {
			dedup = m.DedupKey
		}
		args = append(args, string(m.Channel), db.vault.Seal(sealRecipient, m.To), m.Subject, db.vault.Seal(sealBody, m.Body),
			m.Priority, dedup, notify.StatePending, now, now)
	}
	n, err := db.insertRows(ctx, "outbox", cols, len(ms), args)
	if err != nil {
		return 0, fmt.Errorf("store: enqueue: %w", err)
	}
	return int(n), nil
}

// ClaimMessages implements notify.Store. Expired leases go back to pending
// first; then the due messages, codes first, are leased in one statement.
// On PostgreSQL SKIP LOCKED lets workers claim side by side without
// waiting for each other; SQLite has one writer, so claims are serial.
func (db *DB) ClaimMessages(ctx context.Context, now, leaseUntil time.Time, limit int) ([]notify.Message, error) {
	var out []notify.Message
	err := db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, "UPDATE outbox SET state = ? WHERE state = ? AND next_attempt_at <= ?",
			notify.StatePending, notify.StateSending, now.UTC()); err != nil {
			return err
		}
		lock := ""
		if db.engine == config.Postgres {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		rows, err := db.writer(ctx).QueryContext(ctx, db.bind(`UPDATE outbox SET state = ?, next_attempt_at = ?
			WHERE id IN (SELECT id FROM outbox WHERE state = ? AND next_attempt_at <= ? ORDER BY priority, next_attempt_at LIMIT ?`+lock+`)
			RETURNING id, channel, recipient_sealed, subject, body_sealed, priority, COALESCE(dedup_key, ''), attempts, created_at`),
			notify.StateSending, leaseUntil.UTC(), notify.StatePending, now.UTC(), limit)
		if err != nil {
			return mapError(err)
		}
		defer rows.Close()
		for rows.Next() {
			m, err := db.scanMessage(rows)
			if err != nil {
				return err
			}
			m.State = notify.StateSending
			out = append(out, m)
		}
		return mapError(rows.Err())
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim messages: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Priority != out[j].Priority {
			return out[i].Priority < out[j].Priority
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func (db *DB) scanMessage(rows *sql.Rows) (notify.Message, error) {
	var m notify.Message
	var channel string
	var to, body []byte
	var created timeValue
	if err := rows.Scan(&m.ID, &channel, &to, &m.Subject, &body, &m.Priority, &m.DedupKey, &m.Attempts, &created); err != nil {
		return m, err
	}
	m.Channel, m.CreatedAt = notify.Channel(channel), created.t
	var err error
	if m.To, err = db.vault.Open(sealRecipient, to); err != nil {
		return m, fmt.Errorf("store: message %d recipient: %w", m.ID, err)
	}
	if m.Body, err = db.vault.Open(sealBody, body); err != nil {
		return m, fmt.Errorf("store: message %d body: %w", m.ID, err)
	}
	return m, nil
}

// MarkSent implements notify.Store.
func (db *DB) MarkSent(ctx context.Context, id int64, at time.Time) error {
	_, err := db.exec(ctx, "UPDATE outbox SET state = ?, sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?",
		notify.StateSent, at.UTC(), id)
	if err != nil {
		return fmt.Errorf("store: mark sent: %w", err)
	}
	return nil
}

// MarkRetry implements notify.Store.
func (db *DB) MarkRetry(ctx context.Context, id int64, attempts int, next time.Time, lastError string, final bool) error {
	state := notify.StatePending
	if final {
		state = notify.StateFailed
	}
	_, err := db.exec(ctx, "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
		state, attempts, next.UTC(), lastError, id)
	if err != nil {
		return fmt.Errorf("store: mark retry: %w", err)
	}
	return nil
}

// RecentMessages implements notify.Store.
func (db *DB) RecentMessages(ctx context.Context, limit int) ([]notify.Message, error) {
	rows, err := db.query(ctx, `SELECT id, channel, recipient_sealed, subject, body_sealed, priority, COALESCE(dedup_key, ''), attempts, created_at, state, last_error
		FROM outbox ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: recent messages: %w", err)
	}
	defer rows.Close()
	var out []notify.Message
	for rows.Next() {
		var m notify.Message
		var channel string
		var to, body []byte
		var created timeValue
		if err := rows.Scan(&m.ID, &channel, &to, &m.Subject, &body, &m.Priority, &m.DedupKey, &m.Attempts, &created, &m.State, &m.LastError); err != nil {
			return nil, fmt.Errorf("store: recent messages: %w", err)
		}
		m.Channel, m.CreatedAt = notify.Channel(channel), created.t
		if m.To, err = db.vault.Open(sealRecipient, to); err != nil {
			return nil, err
		}
		if m.Body, err = db.vault.Open(sealBody, body); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, mapError(rows.Err())
}
