// Package audit owns the append-only log of security events and of
// operators' views of personal data: who did what, when, from where. It is
// written in the same transaction as the change it records, so the log
// never misses a committed change nor claims one that rolled back.
package audit

import (
	"context"
	"time"
)

// Actions recorded. Names are stable: dashboards and alerts match on them.
const (
	RegistrationStarted   = "registration.started"
	RegistrationMatched   = "registration.matched"
	RegistrationFailed    = "registration.failed"
	RegistrationNamed     = "registration.named"    // the person confirmed the name shown
	RegistrationContact   = "registration.contact"  // e-mail and mobile given, both codes sent
	RegistrationVerified  = "registration.verified" // both codes confirmed
	RegistrationCompleted = "registration.completed"
	SignInSucceeded       = "signin.succeeded"
	SignInFailed          = "signin.failed"
	SignInLocked          = "signin.locked"
	CodeSent              = "code.sent"
	CodeFailed            = "code.failed"
	RecoveryRequested     = "recovery.requested"
	RecoveryCompleted     = "recovery.completed"
	PasswordChanged       = "password.changed"
	ContactChanged        = "contact.changed"
	SessionEnded          = "session.ended"
	AccountDeleted        = "account.deleted"
	PersonViewed          = "person.viewed"
)

// Entry is one event.
type Entry struct {
	ID         int64
	At         time.Time
	Action     string
	AccountID  int64
	OperatorID int64
	PersonID   int64
	IP         string
	UserAgent  string
	Detail     string // short, never a secret, never a full identifier
}

// Store appends and reads entries.
type Store interface {
	AppendAudit(ctx context.Context, e Entry) error
	// AuditForAccount returns the newest entries of an account first.
	AuditForAccount(ctx context.Context, accountID int64, limit int) ([]Entry, error)
}

// Log records events with the clock's time.
type Log struct {
	store Store
	now   func() time.Time
}

// New builds a Log.
func New(s Store, now func() time.Time) *Log { return &Log{store: s, now: now} }

// Record appends e, stamping its time. Call it with the ctx of the
// transaction that makes the change being recorded.
func (l *Log) Record(ctx context.Context, e Entry) error {
	e.At = l.now().UTC()
	if len(e.UserAgent) > 256 {
		e.UserAgent = e.UserAgent[:256]
	}
	return l.store.AppendAudit(ctx, e)
}

// ForAccount lists an account's recent security activity.
func (l *Log) ForAccount(ctx context.Context, accountID int64, limit int) ([]Entry, error) {
	return l.store.AuditForAccount(ctx, accountID, limit)
}

// Filter selects entries for the auditors' page; zero fields match all.
type Filter struct {
	AccountID  int64
	Action     string
	OperatorID int64
	PersonID   int64
	Limit      int
}
