package account

import (
	"context"
	"encoding/hex"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/ident"
	"micuenta/internal/notify"
	"micuenta/internal/person"
	"micuenta/internal/portal"
)

// Recovery: NSS → an e-mail with a single-use link valid 30 minutes → a
// new password → every session ended → a notice (issue 4). The answer to
// the first step is the same whether or not the NSS has an account.
const (
	RecoveryTTL         = 30 * time.Minute
	recoveryPerIP       = 10 // requests per address per hour
	recoveryPerNSS      = 3  // e-mails per NSS per hour
	recoveryStateLinked = "enlace_enviado"
)

// RecoveryStore is what recovery needs beyond flows.
type RecoveryStore interface {
	FindPersonByNSS(ctx context.Context, nss ident.NSS) (*person.Person, error)
	FindPersonByID(ctx context.Context, id int64) (*person.Person, error)
	FindAccountByPerson(ctx context.Context, personID int64) (*Account, error)
	FindAccountByID(ctx context.Context, id int64) (*Account, error)
	// SetPassword replaces the hash and clears failures and locks: a
	// recovery is a successful proof.
	SetPassword(ctx context.Context, accountID int64, hash string) error
}

// Recovery runs "Olvidé mi contraseña".
type Recovery struct {
	tx       portal.TxRunner
	store    RecoveryStore
	flows    FlowStore
	limiter  *Limiter
	hasher   *Hasher
	sessions *Sessions
	outbox   *notify.Outbox
	audit    *audit.Log
	key      []byte
	baseURL  string
	now      func() time.Time
}

// RecoveryDeps are Recovery's collaborators; BaseURL makes the link.
type RecoveryDeps struct {
	Tx       portal.TxRunner
	Store    RecoveryStore
	Flows    FlowStore
	Limiter  *Limiter
	Hasher   *Hasher
	Sessions *Sessions
	Outbox   *notify.Outbox
	Audit    *audit.Log
	Key      []byte
	BaseURL  string
	Now      func() time.Time
}

// NewRecovery builds the recovery service.
func NewRecovery(d RecoveryDeps) *Recovery {
	return &Recovery{tx: d.Tx, store: d.Store, flows: d.Flows, limiter: d.Limiter, hasher: d.Hasher, sessions: d.Sessions,
		outbox: d.Outbox, audit: d.Audit, key: d.Key, baseURL: d.BaseURL, now: d.Now}
}

// Request is step 1. A malformed NSS is a field error (it says nothing
// about accounts); otherwise the answer is always nil, and an e-mail goes
// only when the NSS has an account.
func (r *Recovery) Request(ctx context.Context, nssText string, c Client) error {
	nss, err := ident.ParseNSS(nssText)
	if err != nil {
		return FieldErrors{"nss": identMessage("NSS", err)}
	}
	if ok, wait, err := r.limiter.Allow(ctx, "recuperar-ip:"+c.IP, recoveryPerIP, time.Hour); err != nil {
		return err
	} else if !ok {
		return portal.Errorf(portal.ERATELIMIT, "Hubo demasiadas solicitudes desde tu conexión. Espera %s e intenta de nuevo.", minutes(wait))
	}
	nssKey := hex.EncodeToString(HashCode(r.key, "recuperacion", "nss", nss.String())[:12])
	if ok, _, err := r.limiter.Allow(ctx, "recuperar-nss:"+nssKey, recoveryPerNSS, time.Hour); err != nil || !ok {
		return err // over the per-NSS limit: the same silent answer
	}
	p, err := r.store.FindPersonByNSS(ctx, nss)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return r.audit.Record(ctx, audit.Entry{Action: audit.RecoveryRequested, IP: c.IP, UserAgent: c.UserAgent, Detail: "sin cuenta"})
	}
	if err != nil {
		return err
	}
	acc, err := r.store.FindAccountByPerson(ctx, p.ID)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return r.audit.Record(ctx, audit.Entry{Action: audit.RecoveryRequested, PersonID: p.ID, IP: c.IP, UserAgent: c.UserAgent, Detail: "sin cuenta"})
	}
	if err != nil {
		return err
	}
	now := r.now().UTC()
	f := &Flow{ID: NewFlowID(), Kind: FlowRecovery, State: recoveryStateLinked, PersonID: p.ID, AccountID: acc.ID,
		Data: []byte("{}"), CreatedAt: now, ExpiresAt: now.Add(RecoveryTTL)}
	return r.tx.InTx(ctx, func(ctx context.Context) error {
		if err := r.flows.CreateFlow(ctx, f); err != nil {
			return err
		}
		m, err := compose("recuperacion", notify.Email, acc.Email, notify.PriorityCode, messageData{Link: r.baseURL + "/recuperar/nueva?clave=" + f.ID})
		if err != nil {
			return err
		}
		if _, err := r.outbox.Enqueue(ctx, m); err != nil {
			return err
		}
		return r.audit.Record(ctx, audit.Entry{Action: audit.RecoveryRequested, AccountID: acc.ID, PersonID: p.ID, IP: c.IP, UserAgent: c.UserAgent})
	})
}

// Link returns the open recovery flow of a link, or ErrFlowExpired.
func (r *Recovery) Link(ctx context.Context, flowID string) (*Flow, error) {
	if flowID == "" || len(flowID) > 64 {
		return nil, ErrRecoveryLink
	}
	f, err := r.flows.FindFlow(ctx, flowID)
	if portal.ErrorCode(err) == portal.ENOTFOUND || err == nil && (f.Kind != FlowRecovery || f.Expired(r.now())) {
		return nil, ErrRecoveryLink
	}
	return f, err
}

// ErrRecoveryLink answers a used, expired or unknown link.
var ErrRecoveryLink = portal.Errorf(portal.EINVALID, "El enlace ya se usó o venció. Pide uno nuevo; cada enlace sirve una sola vez y dura 30 minutos.")

// Reset is step 2: the new password. Every session of the account ends.
func (r *Recovery) Reset(ctx context.Context, flowID, password, confirm string, c Client) error {
	f, err := r.Link(ctx, flowID)
	if err != nil {
		return err
	}
	acc, err := r.store.FindAccountByID(ctx, f.AccountID)
	if err != nil {
		return err
	}
	p, err := r.store.FindPersonByID(ctx, acc.PersonID)
	if err != nil {
		return err
	}
	if msg := CheckPassword(password, PersonalData{Names: []string{p.GivenNames, p.FirstSurname, p.SecondSurname},
		NSS: p.NSS.String(), CURP: p.CURP.String(), RFC: p.RFC.String(), Email: acc.Email}); msg != "" {
		return FieldErrors{"contrasena": msg}
	}
	if password != confirm {
		return FieldErrors{"confirmacion": "Las dos contraseñas no son iguales. Escríbela de nuevo."}
	}
	hash, err := r.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	return r.tx.InTx(ctx, func(ctx context.Context) error {
		if err := r.store.SetPassword(ctx, acc.ID, hash); err != nil {
			return err
		}
		if _, err := r.sessions.EndAll(ctx, acc.ID); err != nil {
			return err
		}
		if err := r.flows.DeleteFlow(ctx, f.ID); err != nil {
			return err
		}
		m, err := passwordChangedNotice(acc, c, r.now())
		if err := enqueue(ctx, r.outbox, m, err); err != nil {
			return err
		}
		return r.audit.Record(ctx, audit.Entry{Action: audit.RecoveryCompleted, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent})
	})
}

func passwordChangedNotice(acc *Account, c Client, at time.Time) (notify.Message, error) {
	return compose("contrasena-cambiada", notify.Email, acc.Email, notify.PriorityNotice, messageData{When: whenText(at), IP: c.IP})
}

// enqueue queues a composed message, or returns the error composing it.
func enqueue(ctx context.Context, o *notify.Outbox, m notify.Message, err error) error {
	if err != nil {
		return err
	}
	_, err = o.Enqueue(ctx, m)
	return err
}
