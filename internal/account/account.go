package account

import (
	"context"
	"time"
)

// Versions of the legal texts a person accepts at registration; stored
// with the account so a later change can ask for acceptance again.
const (
	TermsVersion   = "1.0"
	PrivacyVersion = "1.0"
)

// Account is a person's access to the portal.
type Account struct {
	ID                   int64
	PersonID             int64
	Email                string // canonical: trimmed, lower-case
	Mobile               string // 10 digits
	PasswordHash         string
	TermsVersion         string
	PrivacyVersion       string
	AcceptedAt           time.Time
	FailedSignins        int // consecutive, reset by a success
	FailuresSinceSuccess int // never above 100 without a successful proof
	LockedUntil          time.Time
	PasswordChangedAt    time.Time
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// Store keeps accounts. Duplicate person, e-mail or mobile answer
// ECONFLICT; lookups of an absent account answer ENOTFOUND.
type Store interface {
	CreateAccount(ctx context.Context, a *Account) error
	FindAccountByID(ctx context.Context, id int64) (*Account, error)
	FindAccountByEmail(ctx context.Context, email string) (*Account, error)
	FindAccountByPerson(ctx context.Context, personID int64) (*Account, error)
}
