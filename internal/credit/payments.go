package credit

import (
	"context"
	"errors"
	"strings"
	"time"

	"micuenta/internal/payment"
	"micuenta/internal/portal"
)

// Payment states.
const (
	PaymentPending   = "pendiente"
	PaymentPaid      = "pagado"
	PaymentFailed    = "fallido"
	PaymentCancelled = "cancelado"
	PaymentReview    = "revisar" // the processor's amount differs from the one asked
)

// Payment purposes: what the person chose to pay.
const (
	PayMonthly = "mensualidad"
	PayArrears = "corriente"
	PayOff     = "liquidar"
	PayOther   = "otro"
)

// OnlinePayment is one payment started from the portal.
type OnlinePayment struct {
	ID                int64
	IntentID          string
	CreditID          int64
	PersonID          int64
	Purpose           string
	Amount            portal.Money
	AmountVSM         int64 // VSM credits: the amount in VSM × 10,000 at the day's UMI
	State             string
	ProviderPaymentID string
	PaidAmount        portal.Money
	PaidAt            time.Time
	CreatedAt         time.Time
}

// PaymentStore keeps online payments and posts them.
type PaymentStore interface {
	CreatePayment(ctx context.Context, p *OnlinePayment) error
	// FindPayment returns ENOTFOUND for an unknown intent.
	FindPayment(ctx context.Context, intentID string) (*OnlinePayment, error)
	// SettlePayment moves a pending payment to a final state; false when
	// it was no longer pending (a repeated notice).
	SettlePayment(ctx context.Context, p *OnlinePayment, state string, ev *payment.Event) (bool, error)
	// PostPayment writes the paid payment's ledger movement once.
	PostPayment(ctx context.Context, p *OnlinePayment, valueDate portal.Date) error
}

// Payments starts online payments and posts the processor's notices.
type Payments struct {
	tx      portal.TxRunner
	credits *Service
	store   PaymentStore
	gateway payment.Gateway // nil: paying online is not configured
	notify  func(ctx context.Context, p *OnlinePayment) error
	baseURL string
	now     func() time.Time
}

// PaymentsDeps are what Payments works with.
type PaymentsDeps struct {
	Tx      portal.TxRunner
	Credits *Service
	Store   PaymentStore
	Gateway payment.Gateway
	// Notify tells the person a payment was received, inside the posting
	// transaction (optional).
	Notify  func(ctx context.Context, p *OnlinePayment) error
	BaseURL string
	Now     func() time.Time
}

// NewPayments builds the service.
func NewPayments(d PaymentsDeps) *Payments {
	return &Payments{tx: d.Tx, credits: d.Credits, store: d.Store, gateway: d.Gateway, notify: d.Notify, baseURL: d.BaseURL, now: d.Now}
}

// Enabled reports whether paying online is configured.
func (p *Payments) Enabled() bool { return p.gateway != nil }

// MinOnline is the smallest online payment (the stores' minimum too).
const MinOnline = portal.Money(50_00)

// Amount works out what a purpose means today, or parses the amount the
// person typed for "otro"; it refuses zero, negatives, more than the
// payoff, more than two decimals and anything that is not a number.
func Amount(v *View, purpose, typed string) (portal.Money, error) {
	s := v.Summary
	monthly := v.MonthlyPayment()
	var amount portal.Money
	switch purpose {
	case PayMonthly:
		amount = min(monthly, s.Payoff)
	case PayArrears:
		if s.Arrears <= 0 {
			return 0, portal.Errorf(portal.EINVALID, "Estás al corriente: no tienes pagos atrasados.")
		}
		amount = s.Arrears
	case PayOff:
		amount = s.Payoff
	case PayOther:
		m, err := portal.ParseMoney(typed)
		if err != nil {
			return 0, err
		}
		amount = m
	default:
		return 0, portal.Errorf(portal.EINVALID, "Elige cuánto quieres pagar.")
	}
	switch {
	case amount <= 0:
		return 0, portal.Errorf(portal.EINVALID, "El importe debe ser mayor que cero.")
	case amount < MinOnline && amount < s.Payoff:
		return 0, portal.Errorf(portal.EINVALID, "El pago mínimo en línea es de %s.", MinOnline)
	case amount > s.Payoff:
		return 0, portal.Errorf(portal.EINVALID, "El importe no puede ser mayor que lo que falta para liquidar tu crédito: %s.", s.Payoff)
	}
	return amount, nil
}

// Start records a payment and returns the processor's checkout URL.
func (p *Payments) Start(ctx context.Context, personID int64, purpose, typed string) (*OnlinePayment, string, error) {
	if p.gateway == nil {
		return nil, "", portal.Errorf(portal.EUNAVAILABLE, "El pago en línea no está disponible en este momento. Paga en el banco o en tienda con tu referencia.")
	}
	v, err := p.credits.Mine(ctx, personID)
	if err != nil {
		return nil, "", err
	}
	if !v.Credit.Live() {
		return nil, "", portal.Errorf(portal.ECONFLICT, "Tu crédito está %s: no tiene pagos pendientes.", strings.ToLower(StateNames[v.Credit.State]))
	}
	amount, err := Amount(v, purpose, typed)
	if err != nil {
		return nil, "", err
	}
	now := p.now().UTC()
	op := &OnlinePayment{IntentID: payment.NewIntentID(), CreditID: v.Credit.ID, PersonID: personID, Purpose: purpose, Amount: amount,
		State: PaymentPending, CreatedAt: now}
	if v.Credit.Denomination == DenomVSM && v.UMI > 0 {
		op.AmountVSM = PesosToVSM(amount, v.UMI)
	}
	if err := p.store.CreatePayment(ctx, op); err != nil {
		return nil, "", err
	}
	url, err := p.gateway.Checkout(ctx, payment.Intent{ID: op.IntentID, CreditNumber: v.Credit.Number, Amount: amount,
		Description: "Pago a tu crédito " + v.Credit.Number, ReturnURL: p.baseURL + "/mi-cuenta/credito/pagos/" + op.IntentID})
	if err != nil {
		return nil, "", err
	}
	return op, url, nil
}

// ErrUnknownIntent is a notice for a payment the portal never started.
var ErrUnknownIntent = errors.New("credit: notice for an unknown payment")

// Confirm applies a verified notice: a paid payment is posted to the
// ledger exactly once (a repeated notice changes nothing); a paid amount
// that differs from the one asked is set aside for review and posts
// nothing; failures and cancellations are recorded.
func (p *Payments) Confirm(ctx context.Context, ev *payment.Event) error {
	return p.tx.InTx(ctx, func(ctx context.Context) error {
		op, err := p.store.FindPayment(ctx, ev.IntentID)
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return ErrUnknownIntent
		}
		if err != nil {
			return err
		}
		state := map[string]string{payment.StatusPaid: PaymentPaid, payment.StatusFailed: PaymentFailed, payment.StatusCancelled: PaymentCancelled}[ev.Status]
		if state == PaymentPaid && ev.Amount != op.Amount {
			state = PaymentReview
		}
		changed, err := p.store.SettlePayment(ctx, op, state, ev)
		if err != nil || !changed || state != PaymentPaid {
			return err
		}
		if err := p.store.PostPayment(ctx, op, portal.DateOf(ev.PaidAt)); err != nil {
			return err
		}
		if p.notify != nil {
			return p.notify(ctx, op)
		}
		return nil
	})
}

// Find returns a person's payment; anyone else's is ENOTFOUND.
func (p *Payments) Find(ctx context.Context, personID int64, intentID string) (*OnlinePayment, error) {
	op, err := p.store.FindPayment(ctx, intentID)
	if err != nil || op.PersonID != personID {
		return nil, portal.Errorf(portal.ENOTFOUND, "No encontramos ese pago entre los tuyos.")
	}
	return op, nil
}

// Lookup returns any payment by intent (the demo's sandbox page).
func (p *Payments) Lookup(ctx context.Context, intentID string) (*OnlinePayment, error) {
	return p.store.FindPayment(ctx, intentID)
}

// Now is the service's clock (webhook freshness is judged by it).
func (p *Payments) Now() time.Time { return p.now() }
