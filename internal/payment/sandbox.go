package payment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Sandbox is a pretend processor for demo mode and tests; it uses no
// network. Checkout points at a page the portal serves itself, and Complete
// makes the webhook a real processor would send, signed with the sandbox
// secret, for that page (or a test) to deliver to the portal's own webhook
// handler. The sandbox secret must not be a production webhook secret.
type Sandbox struct {
	secret  string
	baseURL string
}

// NewSandbox returns a sandbox signing webhooks with secret whose checkout
// pages live under baseURL (the portal's own address; may be empty for a
// path-only URL).
func NewSandbox(secret string, baseURL string) *Sandbox {
	return &Sandbox{secret: secret, baseURL: strings.TrimRight(baseURL, "/")}
}

// Checkout returns baseURL + "/pagos/sandbox/" + in.ID. An invalid intent is
// portal.EINVALID, as with HTTPGateway.
func (s *Sandbox) Checkout(ctx context.Context, in Intent) (string, error) {
	if err := in.validate(); err != nil {
		return "", err
	}
	return s.baseURL + "/pagos/sandbox/" + in.ID, nil
}

// Verify implements Gateway with the shared webhook verification.
func (s *Sandbox) Verify(r *http.Request, now time.Time) (*Event, error) {
	return verify(s.secret, r, now)
}

// Complete returns the webhook body for in ending with status (StatusPaid,
// StatusFailed or StatusCancelled) and its Pago-Firma header, signed at now.
// A paid event charges in.Amount at now; the others charge nothing. The
// event and payment ids depend only on the intent and the status, so
// completing the same intent twice models a redelivery, not a second
// payment. Any other status makes a "payment.<status>" event, which Verify
// refuses as a real processor's unknown type would be refused.
func (s *Sandbox) Complete(in Intent, status string, now time.Time) (body []byte, signature string) {
	d := wireData{
		PaymentID: sandboxID("sbx_pago_", "payment", status, in.ID),
		IntentID:  in.ID,
		Currency:  "MXN",
	}
	if status == StatusPaid {
		d.AmountCents = int64(in.Amount)
		d.PaidAt = now.UTC().Format(time.RFC3339)
	}
	data, err := json.Marshal(d)
	if err != nil {
		panic("payment: encoding sandbox webhook: " + err.Error()) // strings and an int cannot fail
	}
	body, err = json.Marshal(wireEvent{
		ID:   sandboxID("evt_sbx_", "event", status, in.ID),
		Type: "payment." + status,
		Data: data,
	})
	if err != nil {
		panic("payment: encoding sandbox webhook: " + err.Error())
	}
	return body, Sign(s.secret, now, body)
}

// sandboxID derives a stable processor-style id from its parts.
func sandboxID(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return prefix + hex.EncodeToString(h.Sum(nil))[:24]
}
