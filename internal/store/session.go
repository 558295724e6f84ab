package store

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
)

// sessionSelect reads sessions with their account's person and the
// name and NSS every signed-in page may greet them with: a person never
// changes account, so pages need not look the account or the person up
// only to learn who is signed in.
const sessionSelect = `SELECT s.id, s.token_hash, s.account_id, a.person_id, s.device_id, s.ip, s.user_agent, s.created_at, s.last_seen_at, s.expires_at,
	p.given_names, p.first_surname, p.second_surname, p.nss_sealed` + sessionFrom

// CreateSession implements account.SessionStore.
func (db *DB) CreateSession(ctx context.Context, s *account.Session) error {
	err := db.queryRowW(ctx, `INSERT INTO sessions (token_hash, account_id, device_id, ip, user_agent, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.TokenHash, s.AccountID, s.DeviceID, s.IP, s.UserAgent, s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// sessionFrom is what every session query joins: the account's person,
// for the name and NSS pages greet them with.
const sessionFrom = ` FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN people p ON p.id = a.person_id`

// FindSession implements account.SessionStore. Every signed-in request
// runs it, so it reads only what checking the session and greeting the
// person need: not the token hash it was found by, nor the IP, browser
// and start that only the security page lists (AccountSessions).
func (db *DB) FindSession(ctx context.Context, tokenHash []byte) (*account.Session, error) {
	var s account.Session
	var seen, expires timeValue
	var p person.Person
	var nss []byte
	err := db.queryRow(ctx, `SELECT s.id, s.account_id, a.person_id, s.device_id, s.last_seen_at, s.expires_at,
		p.given_names, p.first_surname, p.second_surname, p.nss_sealed`+sessionFrom+` WHERE s.token_hash = ?`, tokenHash).
		Scan(&s.ID, &s.AccountID, &s.PersonID, &s.DeviceID, &seen, &expires, &p.GivenNames, &p.FirstSurname, &p.SecondSurname, &nss)
	if err == nil {
		s.LastSeenAt, s.ExpiresAt = seen.t, expires.t
		s.Holder, err = db.holder(&p, nss)
	}
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return nil, err
		}
		return nil, fmt.Errorf("store: find session: %w", err)
	}
	return &s, nil
}

func (db *DB) scanSession(r scanner) (*account.Session, error) {
	var s account.Session
	var created, seen, expires timeValue
	var p person.Person
	var nss []byte
	if err := r.Scan(&s.ID, &s.TokenHash, &s.AccountID, &s.PersonID, &s.DeviceID, &s.IP, &s.UserAgent, &created, &seen, &expires,
		&p.GivenNames, &p.FirstSurname, &p.SecondSurname, &nss); err != nil {
		return nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = created.t, seen.t, expires.t
	var err error
	if s.Holder, err = db.holder(&p, nss); err != nil {
		return nil, err
	}
	return &s, nil
}

// holder is how pages name a session's person: full name, and the NSS
// opened from its sealed column.
func (db *DB) holder(p *person.Person, sealedNSS []byte) (account.Holder, error) {
	nss, err := openAs(db, sealNSS, sealedNSS, ident.ParseNSS)
	if err != nil {
		return account.Holder{}, err
	}
	return account.Holder{Name: p.FullName(), NSS: nss}, nil
}

// TouchSessions implements account.SessionStore. The guard keeps a
// newer time another process wrote.
func (db *DB) TouchSessions(ctx context.Context, seen map[int64]time.Time) error {
	err := db.InTx(ctx, func(ctx context.Context) error {
		for id, at := range seen {
			if _, err := db.exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?", at.UTC(), id, at.UTC()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: touch sessions: %w", err)
	}
	return nil
}

// DeleteSession implements account.SessionStore.
func (db *DB) DeleteSession(ctx context.Context, id int64) error {
	if _, err := db.endSessions(ctx, "id = ?", id); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteAccountSessions implements account.SessionStore.
func (db *DB) DeleteAccountSessions(ctx context.Context, accountID, keepID int64) (int, error) {
	n, err := db.endSessions(ctx, "account_id = ? AND id <> ?", accountID, keepID)
	if err != nil {
		return 0, fmt.Errorf("store: delete account sessions: %w", err)
	}
	return n, nil
}

// AccountSessions implements account.SessionStore.
func (db *DB) AccountSessions(ctx context.Context, accountID int64) ([]account.Session, error) {
	rows, err := db.query(ctx, sessionSelect+" WHERE s.account_id = ? ORDER BY s.created_at DESC, s.id DESC", accountID)
	if err != nil {
		return nil, fmt.Errorf("store: account sessions: %w", err)
	}
	defer rows.Close()
	var out []account.Session
	for rows.Next() {
		s, err := db.scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("store: account sessions: %w", err)
		}
		out = append(out, *s)
	}
	return out, mapError(rows.Err())
}

// PurgeExpiredSessions removes sessions past their absolute end or idle
// for longer than the idle time-out, for the housekeeping job.
func (db *DB) PurgeExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	n, err := db.endSessions(ctx, "expires_at <= ? OR last_seen_at <= ?", now.UTC(), now.Add(-account.IdleTimeout).UTC())
	if err != nil {
		return 0, fmt.Errorf("store: purge sessions: %w", err)
	}
	return n, nil
}

// queryRowW runs a one-row statement on the writer (INSERT … RETURNING).
func (db *DB) queryRowW(ctx context.Context, q string, args ...any) row {
	return row{db.writer(ctx).QueryRowContext(ctx, db.bind(q), args...)}
}
