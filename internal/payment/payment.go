package payment

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net/http"
	"net/url"
	"strings"
	"time"

	"micuenta/internal/portal"
)

// Event statuses.
const (
	StatusPaid      = "paid"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// Intent is a payment the portal asks for.
type Intent struct {
	ID           string       // our id, unique, URL-safe (made by NewIntentID)
	CreditNumber string       // the credit the payment goes to; never sent to the processor
	Amount       portal.Money // centavos, > 0
	Description  string       // Spanish, shown on the checkout page
	ReturnURL    string       // absolute http(s) URL the person comes back to
}

// Gateway is a payment processor.
type Gateway interface {
	// Checkout returns the URL to send the person to.
	Checkout(ctx context.Context, in Intent) (url string, err error)
	// Verify checks a webhook request's signature and freshness and
	// parses it. A bad signature, a stale or future timestamp, or a body
	// that does not parse is an error (portal.EUNAUTHORIZED for
	// signature/time, portal.EINVALID for the body) and must never reach
	// the ledger.
	Verify(r *http.Request, now time.Time) (*Event, error)
}

// Event is a verified notice from the processor.
type Event struct {
	// ID is the processor's event id. Redeliveries of an event repeat it.
	ID string
	// PaymentID is the processor's payment id: the idempotency key for
	// posting the payment to the ledger.
	PaymentID string
	// IntentID is our Intent.ID.
	IntentID string
	// Status is StatusPaid, StatusFailed or StatusCancelled.
	Status string
	// Amount is what was actually charged; > 0 when paid, 0 otherwise.
	Amount portal.Money
	// PaidAt is when the payment was made; zero if the processor sent none
	// (only possible when not paid).
	PaidAt time.Time
}

const (
	intentPrefix = "pay_"
	intentChars  = "0123456789abcdefghijklmnopqrstuv" // base32hex, lower case
	intentIDLen  = len(intentPrefix) + 24
)

var intentEncoding = base32.NewEncoding(intentChars).WithPadding(base32.NoPadding)

// NewIntentID returns a fresh intent id: "pay_" followed by 24 random
// lower-case base32hex characters (120 bits).
func NewIntentID() string {
	var b [15]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	return intentPrefix + intentEncoding.EncodeToString(b[:])
}

// ValidIntentID reports whether s has the form NewIntentID makes.
func ValidIntentID(s string) bool {
	if len(s) != intentIDLen || !strings.HasPrefix(s, intentPrefix) {
		return false
	}
	for i := len(intentPrefix); i < len(s); i++ {
		if strings.IndexByte(intentChars, s[i]) < 0 {
			return false
		}
	}
	return true
}

// validate checks what a checkout needs, before anything leaves the portal.
func (in Intent) validate() error {
	if !ValidIntentID(in.ID) {
		return portal.Errorf(portal.EINVALID, "El identificador del pago no es válido.")
	}
	if strings.TrimSpace(in.CreditNumber) == "" {
		return portal.Errorf(portal.EINVALID, "Falta el número de crédito del pago.")
	}
	if in.Amount <= 0 {
		return portal.Errorf(portal.EINVALID, "El monto a pagar debe ser mayor que cero.")
	}
	u, err := url.Parse(in.ReturnURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return portal.Errorf(portal.EINVALID, "La dirección de regreso del pago no es válida.")
	}
	return nil
}
