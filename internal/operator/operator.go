// Package operator owns the fund's staff who work the back office (issue
// 6): who they are, their role, and how they sign in — a password and a
// mandatory TOTP second factor enrolled at the first sign-in — with their
// own sessions, separate from the people's.
package operator

import (
	"context"
	"time"
)

// Role is what an operator may do.
type Role string

// Roles (issue 6).
const (
	Operador      Role = "operador"      // works requests
	Supervisor    Role = "supervisor"    // also reassigns and sees everything in their state
	Administrador Role = "administrador" // manages operators
	Auditor       Role = "auditor"       // reads the audit log only
)

// RoleNames are the roles as staff read them.
var RoleNames = map[Role]string{
	Operador:      "Operador(a)",
	Supervisor:    "Supervisor(a)",
	Administrador: "Administrador(a)",
	Auditor:       "Auditor(a)",
}

// Permission is one thing the back office lets someone do.
type Permission string

// Permissions.
const (
	WorkRequests    Permission = "work_requests"    // see the queue, act on requests
	Reassign        Permission = "reassign"         // give a request to someone else
	SeeAllInRegion  Permission = "see_all_region"   // see every request of their state, not only their own
	ManageOperators Permission = "manage_operators" // create, disable, reset second factors
	ReadAudit       Permission = "read_audit"       // read the audit log
	SeeAlerts       Permission = "see_alerts"       // read the suspicious-activity alerts
	SeeFigures      Permission = "see_figures"      // the operations dashboard: the portal's own figures
)

var grants = map[Role][]Permission{
	Operador:      {WorkRequests},
	Supervisor:    {WorkRequests, Reassign, SeeAllInRegion, SeeAlerts, SeeFigures},
	Administrador: {ManageOperators, SeeAlerts, SeeFigures},
	Auditor:       {ReadAudit, SeeAlerts},
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { _, ok := grants[r]; return ok }

// Can reports whether the role grants p.
func (r Role) Can(p Permission) bool {
	for _, g := range grants[r] {
		if g == p {
			return true
		}
	}
	return false
}

// Operator is one member of staff.
type Operator struct {
	ID    int64
	Email string // lower case, unique
	Name  string
	Role  Role
	// Region is the state of the country they work (a CURP state code), ""
	// for the whole country.
	Region       string
	PasswordHash string
	// PasswordExpiresAt is set while the password is a temporary one: it
	// stops working then, and must be replaced at the first sign-in.
	PasswordExpiresAt time.Time
	TOTPSecret        []byte // nil until enrolled
	TOTPStep          int64  // the last time step accepted
	Failed            int
	LockedUntil       time.Time
	Disabled          bool
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// MustChangePassword reports whether the operator still signs in with a
// temporary password.
func (o *Operator) MustChangePassword() bool { return !o.PasswordExpiresAt.IsZero() }

// Can reports whether the operator may do p.
func (o *Operator) Can(p Permission) bool { return o != nil && !o.Disabled && o.Role.Can(p) }

// Covers reports whether a person of region falls in the operator's
// territory.
func (o *Operator) Covers(region string) bool { return o.Region == "" || o.Region == region }

// Session stages.
const (
	StagePassword = "clave"    // password given, second factor still owed
	StageComplete = "completa" // signed in
)

// Session is an operator's browser.
type Session struct {
	ID            int64
	TokenHash     []byte
	OperatorID    int64
	Stage         string
	PendingSecret []byte // a TOTP secret offered during enrolment
	IP, UserAgent string
	CreatedAt     time.Time
	LastSeenAt    time.Time
	ExpiresAt     time.Time
}

// Store keeps operators and their sessions.
type Store interface {
	// CreateOperator answers ECONFLICT for an e-mail already in use.
	CreateOperator(ctx context.Context, o *Operator) error
	FindOperator(ctx context.Context, id int64) (*Operator, error)
	FindOperatorByEmail(ctx context.Context, email string) (*Operator, error)
	ListOperators(ctx context.Context) ([]Operator, error)
	SetOperatorSignIn(ctx context.Context, id int64, failed int, lockedUntil time.Time) error
	// SetOperatorTOTP stores a secret (nil resets it) and the step.
	SetOperatorTOTP(ctx context.Context, id int64, secret []byte, step int64) error
	// AdvanceOperatorTOTP moves the last accepted step from → to, only if
	// it is still from: two sign-ins with one code cannot both pass.
	AdvanceOperatorTOTP(ctx context.Context, id int64, from, to int64) error
	SetOperatorDisabled(ctx context.Context, id int64, disabled bool) error
	// SetOperatorPassword stores a new hash; a zero expires makes it the
	// operator's own, lasting password.
	SetOperatorPassword(ctx context.Context, id int64, hash string, expires time.Time) error

	CreateOperatorSession(ctx context.Context, s *Session) error
	FindOperatorSession(ctx context.Context, tokenHash []byte) (*Session, error)
	UpdateOperatorSession(ctx context.Context, s *Session) error
	DeleteOperatorSession(ctx context.Context, id int64) error
	DeleteOperatorSessions(ctx context.Context, operatorID int64) error
}
