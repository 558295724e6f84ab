package account

import (
	"context"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/notify"
	"micuenta/internal/portal"
)

// Purposes a code is bound to; a code for one never opens another.
const (
	PurposeEmail    = "correo"   // proves the e-mail address
	PurposeMobile   = "celular"  // proves the mobile number
	PurposeSignIn   = "ingreso"  // a new device's sign-in
	PurposeDelete   = "borrar"   // deleting the account
	PurposeContact  = "contacto" // a new e-mail or mobile
	perIPCodeSends  = 30         // codes one address may ask for per window
	maxCodeTypedLen = 20
)

// Codes issues and checks one-time codes.
type Codes struct {
	flows   FlowStore
	outbox  *notify.Outbox
	limiter *Limiter
	key     []byte
	now     func() time.Time
}

// NewCodes builds the code service; key keys the code hashes.
func NewCodes(flows FlowStore, outbox *notify.Outbox, limiter *Limiter, key []byte, now func() time.Time) *Codes {
	return &Codes{flows: flows, outbox: outbox, limiter: limiter, key: key, now: now}
}

// Send issues a new code for the flow and purpose, voiding any earlier one,
// and queues it (ahead of every other message) to the recipient. Call it
// inside the caller's transaction.
func (c *Codes) Send(ctx context.Context, f *Flow, purpose string, ch notify.Channel, to, ip string) error {
	for _, lim := range []struct {
		key   string
		limit int
	}{{"code:" + f.ID + ":" + purpose, CodeSendsPerWindow}, {"code-ip:" + ip, perIPCodeSends}} {
		ok, wait, err := c.limiter.Allow(ctx, lim.key, lim.limit, CodeSendWindow)
		if err != nil {
			return err
		}
		if !ok {
			return portal.Errorf(portal.ERATELIMIT, "Ya enviamos varios códigos. Espera %s antes de pedir otro.", minutes(wait))
		}
	}
	code := NewCode()
	now := c.now().UTC()
	if err := c.flows.PutCode(ctx, &Code{FlowID: f.ID, Purpose: purpose, Hash: HashCode(c.key, f.ID, purpose, code),
		ExpiresAt: now.Add(CodeTTL), CreatedAt: now}); err != nil {
		return err
	}
	m, err := compose("codigo", ch, to, notify.PriorityCode, messageData{Code: code})
	if err != nil {
		return err
	}
	_, err = c.outbox.Enqueue(ctx, m)
	return err
}

// Verify checks a typed code and uses it up. A wrong code counts an
// attempt; the fifth voids the code.
func (c *Codes) Verify(ctx context.Context, f *Flow, purpose, typed string) error {
	if err := c.Check(ctx, f, purpose, typed); err != nil {
		return err
	}
	return c.Consume(ctx, f, purpose)
}

// Consume uses up a code that Check accepted. Steps that need two codes
// (e-mail and SMS) check both, then consume both, so a right code is not
// spent while the other one was mistyped.
func (c *Codes) Consume(ctx context.Context, f *Flow, purpose string) error {
	return c.flows.MarkCodeUsed(ctx, f.ID, purpose, c.now().UTC())
}

// Check is Verify without using the code up.
func (c *Codes) Check(ctx context.Context, f *Flow, purpose, typed string) error {
	typed = strings.Join(strings.Fields(typed), "")
	if len(typed) > maxCodeTypedLen || len(typed) != CodeDigits || strings.Trim(typed, "0123456789") != "" {
		return portal.Errorf(portal.EINVALID, "Escribe el código de 6 números que te enviamos.")
	}
	stored, err := c.flows.FindCode(ctx, f.ID, purpose)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return portal.Errorf(portal.EINVALID, "Pide un código nuevo.")
	}
	if err != nil {
		return err
	}
	now := c.now().UTC()
	switch {
	case !stored.UsedAt.IsZero():
		return portal.Errorf(portal.EINVALID, "Ese código ya se usó. Pide uno nuevo.")
	case !now.Before(stored.ExpiresAt):
		return portal.Errorf(portal.EINVALID, "El código venció. Pide uno nuevo.")
	case stored.Attempts >= CodeMaxAttempts:
		return portal.Errorf(portal.EINVALID, "Escribiste mal el código demasiadas veces. Pide uno nuevo.")
	}
	if !CodeMatches(c.key, f.ID, purpose, typed, stored.Hash) {
		n, err := c.flows.CountCodeAttempt(ctx, f.ID, purpose)
		if err != nil {
			return err
		}
		if left := CodeMaxAttempts - n; left > 0 {
			return portal.Errorf(portal.EINVALID, "El código no es correcto. Te quedan %d intentos.", left)
		}
		return portal.Errorf(portal.EINVALID, "Escribiste mal el código demasiadas veces. Pide uno nuevo.")
	}
	return nil
}

// minutes says a wait in whole minutes, in Spanish.
func minutes(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "1 minuto"
	}
	return fmt.Sprintf("%d minutos", m)
}
