package account

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"

	"micuenta/internal/portal"
)

// Flow kinds.
const (
	FlowRegistration  = "registro"
	FlowNewDevice     = "dispositivo"
	FlowRecovery      = "recuperacion"
	FlowDeleteAccount = "borrar_cuenta"
	FlowContactChange = "cambio_contacto"
)

// Flow is a multi-step interaction persisted between requests: it has a
// kind, a state the domain advances, an expiry, and the data collected so
// far (sealed in the database). Its id travels in the form, never alone:
// every step also checks the browser's flow cookie.
type Flow struct {
	ID        string
	Kind      string
	State     string
	PersonID  int64
	AccountID int64
	Data      []byte // JSON of the kind's own fields
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Expired reports whether the flow can no longer be continued.
func (f *Flow) Expired(now time.Time) bool { return !now.Before(f.ExpiresAt) }

// NewFlowID returns 128 random bits, URL-safe.
func NewFlowID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("account: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ErrFlowExpired is what a step of a flow that ended or timed out gets.
var ErrFlowExpired = portal.Errorf(portal.EINVALID, "El tiempo para completar este trámite terminó. Empieza de nuevo; tus datos no se guardaron.")

// FlowStore keeps flows and their codes.
type FlowStore interface {
	CreateFlow(ctx context.Context, f *Flow) error
	// FindFlow returns ENOTFOUND for an unknown id.
	FindFlow(ctx context.Context, id string) (*Flow, error)
	UpdateFlow(ctx context.Context, f *Flow) error
	DeleteFlow(ctx context.Context, id string) error

	// PutCode stores the flow's live code for a purpose, replacing (and
	// so voiding) any earlier one.
	PutCode(ctx context.Context, c *Code) error
	// FindCode returns ENOTFOUND when the flow has no code for purpose.
	FindCode(ctx context.Context, flowID, purpose string) (*Code, error)
	// CountCodeAttempt adds a wrong entry and returns the new count.
	CountCodeAttempt(ctx context.Context, flowID, purpose string) (int, error)
	MarkCodeUsed(ctx context.Context, flowID, purpose string, at time.Time) error
}

// Code is a stored one-time code.
type Code struct {
	FlowID    string
	Purpose   string
	Hash      []byte
	Attempts  int
	ExpiresAt time.Time
	UsedAt    time.Time
	CreatedAt time.Time
}
