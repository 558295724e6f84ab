package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
)

const (
	sealEmail  = "accounts.email"
	sealMobile = "accounts.mobile"
)

const accountColumns = `id, person_id, email_sealed, mobile_sealed, password_hash, terms_version, privacy_version, accepted_at,
	failed_signins, failures_since_success, locked_until, password_changed_at, created_at, updated_at`

// CreateAccount implements account.Store.
func (db *DB) CreateAccount(ctx context.Context, a *account.Account) error {
	now := db.clock.Now().UTC()
	if a.CreatedAt.IsZero() { // set only when seeding a synthetic history
		a.CreatedAt = now
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), now
	if a.PasswordChangedAt.IsZero() {
		a.PasswordChangedAt = a.CreatedAt
	}
	email := strings.ToLower(strings.TrimSpace(a.Email))
	err := db.queryRowW(ctx, `INSERT INTO accounts (person_id, email_index, email_sealed, mobile_index, mobile_sealed, password_hash,
		terms_version, privacy_version, accepted_at, password_changed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.PersonID, db.vault.Index(sealEmail, email), db.vault.Seal(sealEmail, email),
		db.vault.Index(sealMobile, a.Mobile), db.vault.Seal(sealMobile, a.Mobile), a.PasswordHash,
		a.TermsVersion, a.PrivacyVersion, a.AcceptedAt.UTC(), a.PasswordChangedAt.UTC(), a.CreatedAt, now).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("store: create account: %w", err)
	}
	return nil
}

// FindAccountByID implements account.Store.
func (db *DB) FindAccountByID(ctx context.Context, id int64) (*account.Account, error) {
	return db.findAccount(ctx, "id = ?", id)
}

// FindAccountByEmail implements account.Store.
func (db *DB) FindAccountByEmail(ctx context.Context, email string) (*account.Account, error) {
	return db.findAccount(ctx, "email_index = ?", db.vault.Index(sealEmail, strings.ToLower(strings.TrimSpace(email))))
}

// FindAccountByPerson implements account.Store.
func (db *DB) FindAccountByPerson(ctx context.Context, personID int64) (*account.Account, error) {
	return db.findAccount(ctx, "person_id = ?", personID)
}

func (db *DB) findAccount(ctx context.Context, where string, arg any) (*account.Account, error) {
	var a account.Account
	var email, mobile []byte
	var accepted, locked, changed, created, updated timeValue
	err := db.queryRow(ctx, "SELECT "+accountColumns+" FROM accounts WHERE "+where, arg).Scan(&a.ID, &a.PersonID, &email, &mobile,
		&a.PasswordHash, &a.TermsVersion, &a.PrivacyVersion, &accepted, &a.FailedSignins, &a.FailuresSinceSuccess, &locked,
		&changed, &created, &updated)
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return nil, portal.Wrap(portal.ENOTFOUND, err, "No encontramos esa cuenta.")
		}
		return nil, fmt.Errorf("store: find account: %w", err)
	}
	a.AcceptedAt, a.LockedUntil, a.PasswordChangedAt, a.CreatedAt, a.UpdatedAt = accepted.t, locked.t, changed.t, created.t, updated.t
	if a.Email, err = db.vault.Open(sealEmail, email); err != nil {
		return nil, fmt.Errorf("store: account %d email: %w", a.ID, err)
	}
	if a.Mobile, err = db.vault.Open(sealMobile, mobile); err != nil {
		return nil, fmt.Errorf("store: account %d mobile: %w", a.ID, err)
	}
	return &a, nil
}

// FindPersonIDByNSS finds a person's id by NSS without opening the row's
// sealed columns: sign-in needs only the id.
func (db *DB) FindPersonIDByNSS(ctx context.Context, nss ident.NSS) (int64, error) {
	var id int64
	err := db.queryRow(ctx, "SELECT id FROM people WHERE nss_index = ?", db.vault.Index(sealNSS, nss.String())).Scan(&id)
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return 0, err
		}
		return 0, fmt.Errorf("store: person by NSS: %w", err)
	}
	return id, nil
}

// RecordSignInFailure implements account.SignInStore.
func (db *DB) RecordSignInFailure(ctx context.Context, accountID int64, lockedUntil time.Time) (int, error) {
	var n int
	err := db.queryRowW(ctx, `UPDATE accounts SET failed_signins = failed_signins + 1, failures_since_success = failures_since_success + 1,
		locked_until = COALESCE(?, locked_until), updated_at = ? WHERE id = ? RETURNING failed_signins`,
		nullTime(lockedUntil), db.clock.Now().UTC(), accountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: record sign-in failure: %w", err)
	}
	return n, nil
}

// RecordSignInSuccess implements account.SignInStore: counters reset, and
// the password hash is replaced when it was re-hashed with stronger
// parameters.
func (db *DB) RecordSignInSuccess(ctx context.Context, accountID int64, newHash string) error {
	now := db.clock.Now().UTC()
	var err error
	if newHash != "" {
		_, err = db.exec(ctx, `UPDATE accounts SET failed_signins = 0, failures_since_success = 0, locked_until = NULL, password_hash = ?, updated_at = ? WHERE id = ?`, newHash, now, accountID)
	} else {
		_, err = db.exec(ctx, `UPDATE accounts SET failed_signins = 0, failures_since_success = 0, locked_until = NULL, updated_at = ? WHERE id = ?`, now, accountID)
	}
	if err != nil {
		return fmt.Errorf("store: record sign-in success: %w", err)
	}
	return nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// DemoPersonID picks the person the demo account belongs to: the first
// one with a live credit, savings movements and a current job, so every
// page of the portal has something to show.
func (db *DB) DemoPersonID(ctx context.Context) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT c.person_id FROM credits c
		WHERE c.state = 'vigente'
		  AND EXISTS (SELECT 1 FROM savings_movements s WHERE s.person_id = c.person_id)
		  AND EXISTS (SELECT 1 FROM employment_relations r WHERE r.person_id = c.person_id AND r.end_date IS NULL)
		  AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = c.person_id)
		ORDER BY c.person_id LIMIT 1`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: demo person: %w", err)
	}
	return id, nil
}

// EmailInUse reports whether an account already uses the address.
func (db *DB) EmailInUse(ctx context.Context, email string) (bool, error) {
	return db.exists(ctx, "SELECT COUNT(*) FROM accounts WHERE email_index = ?", db.vault.Index(sealEmail, strings.ToLower(strings.TrimSpace(email))))
}

// MobileInUse reports whether an account already uses the number.
func (db *DB) MobileInUse(ctx context.Context, mobile string) (bool, error) {
	return db.exists(ctx, "SELECT COUNT(*) FROM accounts WHERE mobile_index = ?", db.vault.Index(sealMobile, mobile))
}

func (db *DB) exists(ctx context.Context, q string, args ...any) (bool, error) {
	var n int
	if err := db.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return false, fmt.Errorf("store: exists: %w", err)
	}
	return n > 0, nil
}

// SetPassword implements account.RecoveryStore.
func (db *DB) SetPassword(ctx context.Context, accountID int64, hash string) error {
	now := db.clock.Now().UTC()
	_, err := db.exec(ctx, `UPDATE accounts SET password_hash = ?, password_changed_at = ?, failed_signins = 0,
		failures_since_success = 0, locked_until = NULL, updated_at = ? WHERE id = ?`, hash, now, now, accountID)
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	return nil
}

// DeleteAccount implements account.RegistrationAccounts: the portal
// account and what hangs from it go; the person's records and the audit
// log stay. Explicit deletes, not only the foreign keys' cascade, so both
// engines behave the same whatever their settings.
func (db *DB) DeleteAccount(ctx context.Context, accountID int64) error {
	if _, err := db.endSessions(ctx, "account_id = ?", accountID); err != nil {
		return fmt.Errorf("store: delete account: %w", err)
	}
	for _, q := range []string{
		"DELETE FROM devices WHERE account_id = ?",
		"DELETE FROM auth_flows WHERE account_id = ? AND kind <> 'borrar_cuenta'",
		"DELETE FROM accounts WHERE id = ?",
	} {
		if _, err := db.exec(ctx, q, accountID); err != nil {
			return fmt.Errorf("store: delete account: %w", err)
		}
	}
	return nil
}

// SetContact implements account.SettingsStore.
func (db *DB) SetContact(ctx context.Context, accountID int64, kind, value string) error {
	col, seal := "email", sealEmail
	if kind == account.ContactMobile {
		col, seal = "mobile", sealMobile
	} else {
		value = strings.ToLower(strings.TrimSpace(value))
	}
	_, err := db.exec(ctx, "UPDATE accounts SET "+col+"_index = ?, "+col+"_sealed = ?, updated_at = ? WHERE id = ?",
		db.vault.Index(seal, value), db.vault.Seal(seal, value), db.clock.Now().UTC(), accountID)
	if err != nil {
		return fmt.Errorf("store: set contact: %w", err)
	}
	return nil
}
