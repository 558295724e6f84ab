package store

import (
	"context"
	"fmt"

	"micuenta/internal/credit"
	"micuenta/internal/payment"
	"micuenta/internal/portal"
)

// CreatePayment implements credit.PaymentStore.
func (db *DB) CreatePayment(ctx context.Context, p *credit.OnlinePayment) error {
	err := db.queryRowW(ctx, `INSERT INTO payments (intent_id, credit_id, person_id, purpose, amount, amount_vsm_e4, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.IntentID, p.CreditID, p.PersonID, p.Purpose, int64(p.Amount), p.AmountVSM, p.State,
		p.CreatedAt.UTC(), p.CreatedAt.UTC()).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("store: create payment: %w", err)
	}
	return nil
}

// FindPayment implements credit.PaymentStore.
func (db *DB) FindPayment(ctx context.Context, intentID string) (*credit.OnlinePayment, error) {
	var p credit.OnlinePayment
	var amount, paid int64
	var provider *string
	var paidAt, created timeValue
	err := db.queryRow(ctx, `SELECT id, intent_id, credit_id, person_id, purpose, amount, amount_vsm_e4, state, provider_payment_id, paid_amount, paid_at, created_at
		FROM payments WHERE intent_id = ?`, intentID).Scan(&p.ID, &p.IntentID, &p.CreditID, &p.PersonID, &p.Purpose, &amount, &p.AmountVSM, &p.State,
		&provider, &paid, &paidAt, &created)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, portal.Wrap(portal.ENOTFOUND, err, "No encontramos ese pago.")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find payment: %w", err)
	}
	p.Amount, p.PaidAmount, p.PaidAt, p.CreatedAt = portal.Money(amount), portal.Money(paid), paidAt.t, created.t
	if provider != nil {
		p.ProviderPaymentID = *provider
	}
	return &p, nil
}

// SettlePayment implements credit.PaymentStore: a compare-and-set from
// pendiente, so a repeated notice finds nothing to change.
func (db *DB) SettlePayment(ctx context.Context, p *credit.OnlinePayment, state string, ev *payment.Event) (bool, error) {
	var paidAt any
	if !ev.PaidAt.IsZero() {
		paidAt = ev.PaidAt.UTC()
	}
	var provider any
	if ev.PaymentID != "" && state != credit.PaymentReview {
		provider = ev.PaymentID
	}
	res, err := db.exec(ctx, `UPDATE payments SET state = ?, provider_payment_id = ?, provider_event_id = ?, paid_amount = ?, paid_at = ?, updated_at = ?
		WHERE id = ? AND state = 'pendiente'`, state, provider, ev.ID, int64(ev.Amount), paidAt, db.clock.Now().UTC(), p.ID)
	if err != nil {
		return false, fmt.Errorf("store: settle payment: %w", err)
	}
	n, _ := res.RowsAffected()
	if n == 1 {
		p.State, p.ProviderPaymentID, p.PaidAmount, p.PaidAt = state, ev.PaymentID, ev.Amount, ev.PaidAt
	}
	return n == 1, nil
}

// PostPayment implements credit.PaymentStore: the direct payment's
// movement, keyed by the payment's id.
func (db *DB) PostPayment(ctx context.Context, p *credit.OnlinePayment, day portal.Date) error {
	_, err := db.exec(ctx, `INSERT INTO credit_movements (credit_id, kind, period, source_id, value_date, amount, amount_vsm_e4, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, p.CreditID, credit.KindPagoDirecto, day.Y*100+int(day.M), p.ID, day,
		-int64(p.Amount), -p.AmountVSM, db.clock.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: post payment: %w", err)
	}
	return nil
}
