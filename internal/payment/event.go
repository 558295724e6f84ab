package payment

import (
	"encoding/json"
	"fmt"
	"time"

	"micuenta/internal/portal"
)

// wireEvent is the webhook body as the processor sends it.
type wireEvent struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// wireData is the data of a payment.* webhook.
type wireData struct {
	PaymentID   string `json:"payment_id"`
	IntentID    string `json:"intent_id"`
	AmountCents int64  `json:"amount_cents"`
	Currency    string `json:"currency"`
	PaidAt      string `json:"paid_at,omitempty"`
}

// statusOf maps webhook types to Event statuses.
var statusOf = map[string]string{
	"payment.paid":      StatusPaid,
	"payment.failed":    StatusFailed,
	"payment.cancelled": StatusCancelled,
}

// parseEvent reads a webhook body whose signature has been checked. Any
// departure from the contract is portal.EINVALID.
func parseEvent(body []byte) (*Event, error) {
	invalid := func(format string, args ...any) error {
		return portal.Wrap(portal.EINVALID, fmt.Errorf("payment: webhook: "+format, args...), msgInvalid)
	}
	var w wireEvent
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, invalid("body: %w", err)
	}
	if !validID(w.ID) {
		return nil, invalid("bad event id %q", w.ID)
	}
	status, ok := statusOf[w.Type]
	if !ok {
		return nil, invalid("event %s: type %q: %w", w.ID, w.Type, ErrUnsupportedType)
	}
	var d wireData
	if err := json.Unmarshal(w.Data, &d); err != nil {
		return nil, invalid("event %s: data: %w", w.ID, err)
	}
	switch {
	case !validID(d.PaymentID):
		return nil, invalid("event %s: bad payment_id %q", w.ID, d.PaymentID)
	case !ValidIntentID(d.IntentID):
		return nil, invalid("event %s: bad intent_id %q", w.ID, d.IntentID)
	case d.Currency != "MXN":
		return nil, invalid("event %s: currency %q, want MXN", w.ID, d.Currency)
	case d.AmountCents < 0:
		return nil, invalid("event %s: negative amount_cents %d", w.ID, d.AmountCents)
	case status == StatusPaid && d.AmountCents == 0:
		return nil, invalid("event %s: paid with amount_cents 0", w.ID)
	case status != StatusPaid && d.AmountCents != 0:
		return nil, invalid("event %s: %s with amount_cents %d", w.ID, status, d.AmountCents)
	case status == StatusPaid && d.PaidAt == "":
		return nil, invalid("event %s: paid without paid_at", w.ID)
	}
	ev := &Event{
		ID:        w.ID,
		PaymentID: d.PaymentID,
		IntentID:  d.IntentID,
		Status:    status,
		Amount:    portal.Money(d.AmountCents),
	}
	if d.PaidAt != "" {
		t, err := time.Parse(time.RFC3339, d.PaidAt)
		if err != nil {
			return nil, invalid("event %s: paid_at: %w", w.ID, err)
		}
		ev.PaidAt = t
	}
	return ev, nil
}

// validID reports whether s is an acceptable processor id: 1 to maxIDLen
// printable ASCII characters without spaces.
func validID(s string) bool {
	if s == "" || len(s) > maxIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
