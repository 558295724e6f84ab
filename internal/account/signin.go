package account

import (
	"context"
	"errors"
	"strings"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
)

// Sign-in throttling (issue 4; NIST SP 800-63B §5.2.2): growing delays
// after a few failures, a 15-minute lock of the password step after 10 in a
// row, and never more than 100 failures without a successful proof (a
// sign-in, or a recovery that resets the password).
const (
	LockAfter         = 10
	LockFor           = 15 * time.Minute
	MaxFailures       = 100
	freeFailures      = 3
	maxDelay          = time.Minute
	perIPSignIns      = 60 // attempts per address per window
	perIPSignInWindow = 5 * time.Minute
)

// SignInStore is what sign-in needs from the database.
type SignInStore interface {
	FindAccountByEmail(ctx context.Context, email string) (*Account, error)
	FindAccountByPerson(ctx context.Context, personID int64) (*Account, error)
	FindPersonIDByNSS(ctx context.Context, nss ident.NSS) (int64, error)
	// RecordSignInFailure counts a failure and sets lockedUntil when
	// given; it returns the new consecutive count.
	RecordSignInFailure(ctx context.Context, accountID int64, lockedUntil time.Time) (int, error)
	RecordSignInSuccess(ctx context.Context, accountID int64, newHash string) error
}

// SignInResult says what a correct password leads to.
type SignInResult struct {
	Account *Account
	// NeedsPasswordRehash is handled inside; exposed for tests.
	Rehashed bool
}

// ErrBadCredentials is the one answer for an unknown user, a wrong
// password and a locked account, so none can be told from the others.
var ErrBadCredentials = portal.Errorf(portal.EUNAUTHORIZED, "El correo o NSS y la contraseña no coinciden con una cuenta. Revisa tus datos; si olvidaste tu contraseña, puedes recuperarla.")

// Authenticator checks passwords with throttling and anti-enumeration.
type Authenticator struct {
	store   SignInStore
	hasher  *Hasher
	limiter *Limiter
	audit   *audit.Log
	now     func() time.Time
}

// NewAuthenticator builds the password check.
func NewAuthenticator(s SignInStore, h *Hasher, l *Limiter, a *audit.Log, now func() time.Time) *Authenticator {
	return &Authenticator{store: s, hasher: h, limiter: l, audit: a, now: now}
}

// CheckPassword verifies identifier (an e-mail or an NSS) and password.
// Every path that fails spends one password hash, so the answer and its
// timing are the same whether the account exists, the password is wrong
// or the account is locked.
func (au *Authenticator) CheckPassword(ctx context.Context, identifier, password, ip, userAgent string) (*SignInResult, error) {
	if ok, wait, err := au.limiter.Allow(ctx, "signin-ip:"+ip, perIPSignIns, perIPSignInWindow); err != nil {
		return nil, err
	} else if !ok {
		return nil, portal.Errorf(portal.ERATELIMIT, "Hubo demasiados intentos desde tu conexión. Espera %s e intenta de nuevo.", minutes(wait))
	}
	if len(password) > 4*MaxPasswordLen {
		password = password[:4*MaxPasswordLen] // bound the hash's input; such a password never matches
	}
	acc, err := au.find(ctx, identifier)
	if err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
		return nil, err
	}
	now := au.now().UTC()
	if acc == nil {
		if err := au.hasher.DummyVerify(ctx, password); err != nil {
			return nil, err
		}
		_ = au.audit.Record(ctx, audit.Entry{Action: audit.SignInFailed, IP: ip, UserAgent: userAgent, Detail: "cuenta desconocida"})
		return nil, ErrBadCredentials
	}
	locked := now.Before(acc.LockedUntil) || acc.FailuresSinceSuccess >= MaxFailures || now.Before(au.nextAllowed(acc))
	if locked {
		if err := au.hasher.DummyVerify(ctx, password); err != nil {
			return nil, err
		}
		_ = au.audit.Record(ctx, audit.Entry{Action: audit.SignInLocked, AccountID: acc.ID, PersonID: acc.PersonID, IP: ip, UserAgent: userAgent})
		return nil, ErrBadCredentials
	}
	ok, rehash, err := au.hasher.Verify(ctx, password, acc.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		var until time.Time
		if acc.FailedSignins+1 >= LockAfter {
			until = now.Add(LockFor)
		}
		if _, err := au.store.RecordSignInFailure(ctx, acc.ID, until); err != nil {
			return nil, err
		}
		action := audit.SignInFailed
		if !until.IsZero() {
			action = audit.SignInLocked
		}
		_ = au.audit.Record(ctx, audit.Entry{Action: action, AccountID: acc.ID, PersonID: acc.PersonID, IP: ip, UserAgent: userAgent})
		return nil, ErrBadCredentials
	}
	newHash := ""
	if rehash {
		if newHash, err = au.hasher.Hash(ctx, password); err != nil {
			return nil, err
		}
	}
	// Most sign-ins follow no failure and need no re-hash: then there is
	// nothing to reset, and skipping the write saves a commit.
	if newHash != "" || acc.FailedSignins > 0 || acc.FailuresSinceSuccess > 0 || !acc.LockedUntil.IsZero() {
		if err := au.store.RecordSignInSuccess(ctx, acc.ID, newHash); err != nil {
			return nil, err
		}
	}
	return &SignInResult{Account: acc, Rehashed: rehash}, nil
}

// nextAllowed is when the next attempt may be made: free for the first
// few failures, then doubling from one second up to a minute.
func (au *Authenticator) nextAllowed(acc *Account) time.Time {
	if acc.FailedSignins < freeFailures {
		return time.Time{}
	}
	d := time.Second << min(acc.FailedSignins-freeFailures, 10)
	if d > maxDelay {
		d = maxDelay
	}
	return acc.UpdatedAt.Add(d)
}

func (au *Authenticator) find(ctx context.Context, identifier string) (*Account, error) {
	identifier = strings.TrimSpace(identifier)
	if strings.Contains(identifier, "@") {
		return au.store.FindAccountByEmail(ctx, identifier)
	}
	nss, err := ident.ParseNSS(identifier)
	if err != nil {
		return nil, portal.Wrap(portal.ENOTFOUND, errors.New("not an e-mail nor an NSS"), "")
	}
	pid, err := au.store.FindPersonIDByNSS(ctx, nss)
	if err != nil {
		return nil, err
	}
	return au.store.FindAccountByPerson(ctx, pid)
}
