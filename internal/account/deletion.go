package account

import (
	"context"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/notify"
	"micuenta/internal/portal"
)

// Account deletion ("borrar cuenta e iniciar un nuevo registro", issue 4;
// domain.md §10): for people who lost the e-mail of their account. They
// prove NSS, CURP and RFC again, plus a code sent to the registered mobile;
// the portal account goes (never the fund's records) and registration
// starts over at the contact step, since identity was just proved.
const (
	DelCode     = "codigo"
	deletionTTL = 15 * time.Minute
)

// DeletionStart is what step 1 returns: the flow and where the code went.
type DeletionStart struct {
	Flow         *Flow
	MaskedMobile string
}

// StartDeletion is step 1: the identifiers and the human check; when they
// match a person with an account, a code goes to its mobile.
func (r *Registration) StartDeletion(ctx context.Context, in IdentityInput, c Client) (*DeletionStart, error) {
	p, err := r.matchIdentity(ctx, in, c, "borrar")
	if err != nil {
		return nil, err
	}
	acc, err := r.accounts.FindAccountByPerson(ctx, p.ID)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, portal.Errorf(portal.ENOTFOUND, "No tienes una cuenta que borrar: tus datos no tienen una cuenta registrada. Puedes registrarte ahora.")
	} else if err != nil {
		return nil, err
	}
	now := r.now().UTC()
	f := &Flow{ID: NewFlowID(), Kind: FlowDeleteAccount, State: DelCode, PersonID: p.ID, AccountID: acc.ID,
		Data: []byte("{}"), CreatedAt: now, ExpiresAt: now.Add(deletionTTL)}
	err = r.tx.InTx(ctx, func(ctx context.Context) error {
		if err := r.flows.CreateFlow(ctx, f); err != nil {
			return err
		}
		if err := r.codes.Send(ctx, f, PurposeDelete, notify.SMS, acc.Mobile, c.IP); err != nil {
			return err
		}
		return r.audit.Record(ctx, audit.Entry{Action: audit.CodeSent, AccountID: acc.ID, PersonID: p.ID, IP: c.IP, UserAgent: c.UserAgent, Detail: "borrar cuenta"})
	})
	if err != nil {
		return nil, err
	}
	return &DeletionStart{Flow: f, MaskedMobile: MaskMobile(acc.Mobile)}, nil
}

// DeletionFlow returns an open deletion flow and the account's masked
// mobile, for the code page.
func (r *Registration) DeletionFlow(ctx context.Context, flowID string) (*Flow, string, error) {
	f, err := r.flows.FindFlow(ctx, flowID)
	if portal.ErrorCode(err) == portal.ENOTFOUND || err == nil && (f.Kind != FlowDeleteAccount || f.Expired(r.now())) {
		return nil, "", ErrFlowExpired
	}
	if err != nil {
		return nil, "", err
	}
	acc, err := r.accounts.FindAccountByID(ctx, f.AccountID)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, "", ErrFlowExpired // deleted meanwhile
	} else if err != nil {
		return nil, "", err
	}
	return f, MaskMobile(acc.Mobile), nil
}

// ResendDeletionCode sends a new code to the registered mobile.
func (r *Registration) ResendDeletionCode(ctx context.Context, flowID string, c Client) error {
	f, _, err := r.DeletionFlow(ctx, flowID)
	if err != nil {
		return err
	}
	acc, err := r.accounts.FindAccountByID(ctx, f.AccountID)
	if err != nil {
		return err
	}
	return r.tx.InTx(ctx, func(ctx context.Context) error {
		return r.codes.Send(ctx, f, PurposeDelete, notify.SMS, acc.Mobile, c.IP)
	})
}

// ConfirmDeletion is step 2: the right code deletes the account, with its
// sessions and devices, and returns a registration flow that continues at
// the contact step.
func (r *Registration) ConfirmDeletion(ctx context.Context, flowID, code string, c Client) (*Flow, error) {
	f, _, err := r.DeletionFlow(ctx, flowID)
	if err != nil {
		return nil, err
	}
	if err := r.codes.Check(ctx, f, PurposeDelete, code); err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			_ = r.audit.Record(ctx, audit.Entry{Action: audit.CodeFailed, AccountID: f.AccountID, PersonID: f.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: "borrar cuenta"})
			return nil, FieldErrors{"codigo": portal.ErrorMessage(err)}
		}
		return nil, err
	}
	acc, err := r.accounts.FindAccountByID(ctx, f.AccountID)
	if err != nil {
		return nil, err
	}
	now := r.now().UTC()
	next := &Flow{ID: NewFlowID(), Kind: FlowRegistration, State: RegContact, PersonID: f.PersonID, Data: []byte("{}"),
		CreatedAt: now, ExpiresAt: now.Add(registrationTTL)}
	err = r.tx.InTx(ctx, func(ctx context.Context) error {
		if err := r.codes.Consume(ctx, f, PurposeDelete); err != nil {
			return err
		}
		if err := r.accounts.DeleteAccount(ctx, acc.ID); err != nil {
			return err
		}
		if err := r.flows.DeleteFlow(ctx, f.ID); err != nil {
			return err
		}
		if err := r.flows.CreateFlow(ctx, next); err != nil {
			return err
		}
		// The old address hears of it: if it was taken over, its owner
		// learns at once.
		m, err := compose("cuenta-borrada", notify.Email, acc.Email, notify.PriorityNotice, messageData{When: whenText(now)})
		if err != nil {
			return err
		}
		if _, err := r.outbox.Enqueue(ctx, m); err != nil {
			return err
		}
		return r.audit.Record(ctx, audit.Entry{Action: audit.AccountDeleted, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent})
	})
	if err != nil {
		return nil, err
	}
	return next, nil
}
