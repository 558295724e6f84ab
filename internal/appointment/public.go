package appointment

import (
	"context"
	"encoding/json"
	"net/mail"
	"strings"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/ident"
	"micuenta/internal/notify"
	"micuenta/internal/person"
	"micuenta/internal/portal"
)

// Public booking (issue 10): people who cannot sign in — they lost the
// e-mail and mobile of their account — book with their NSS and CURP and a
// code sent to a contact they give now. Limits are stricter than signed
// in: per address and per NSS.
const (
	FlowPublic      = "cita_publica"
	purposePublic   = "cita"
	publicFlowTTL   = 30 * time.Minute
	publicPerIP     = 5 // starts per hour from one address
	publicPerNSS    = 3 // starts per day for one NSS
	flowVerified    = "verificado"
	flowCodeSent    = "codigo_enviado"
	maxContactRunes = 200
)

// PublicDeps are what public booking works with.
type PublicDeps struct {
	Tx       portal.TxRunner
	People   person.Store
	Flows    account.FlowStore
	Codes    *account.Codes
	Limiter  *account.Limiter
	Bookings *Bookings
	Now      func() time.Time
}

// PublicBooking runs the /citas flow.
type PublicBooking struct {
	d PublicDeps
}

// NewPublicBooking builds the flow.
func NewPublicBooking(d PublicDeps) *PublicBooking { return &PublicBooking{d: d} }

type publicData struct {
	Contact string `json:"contacto"`
}

// PublicFieldErrors are the start form's refusals by field.
type PublicFieldErrors map[string]string

func (e PublicFieldErrors) Error() string { return "appointment: invalid fields" }

// Start checks who the person is (NSS and CURP of the same record) and
// sends a code to the contact they give. The answer for identifiers that
// do not match is the same whichever is wrong.
func (p *PublicBooking) Start(ctx context.Context, nss, curp, contact, ip string) (*account.Flow, error) {
	errs := PublicFieldErrors{}
	n, err := ident.ParseNSS(strings.TrimSpace(nss))
	if err != nil {
		errs["nss"] = "Escribe tu NSS: 11 números, como aparece en tu recibo de nómina."
	}
	c, err := ident.ParseCURP(strings.ToUpper(strings.TrimSpace(curp)))
	if err != nil {
		errs["curp"] = "Escribe tu CURP completa: 18 caracteres."
	}
	contact = strings.TrimSpace(contact)
	ch, to, ok := parseContact(contact)
	if !ok {
		errs["contacto"] = "Escribe un correo electrónico o un celular de 10 números donde recibir el código."
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, lim := range []struct {
		key   string
		limit int
		every time.Duration
	}{{"cita-publica-ip:" + ip, publicPerIP, time.Hour}, {"cita-publica-nss:" + n.String(), publicPerNSS, 24 * time.Hour}} {
		allowed, _, err := p.d.Limiter.Allow(ctx, lim.key, lim.limit, lim.every)
		if err != nil {
			return nil, err
		}
		if !allowed {
			return nil, portal.Errorf(portal.ERATELIMIT, "Hiciste demasiados intentos. Espera una hora o llama a Infonatel al 800 008 3900 para agendar tu cita.")
		}
	}
	who, err := p.d.People.FindPersonByNSS(ctx, n)
	if err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
		return nil, err
	}
	if err != nil || who.CURP.String() != c.String() {
		return nil, PublicFieldErrors{"nss": "Tu NSS y tu CURP no coinciden con el registro del Fondo. Revísalos; si son correctos, llama a Infonatel al 800 008 3900."}
	}
	now := p.d.Now().UTC()
	data, _ := json.Marshal(publicData{Contact: to})
	f := &account.Flow{ID: account.NewFlowID(), Kind: FlowPublic, State: flowCodeSent, PersonID: who.ID, Data: data,
		CreatedAt: now, ExpiresAt: now.Add(publicFlowTTL)}
	err = p.d.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := p.d.Flows.CreateFlow(ctx, f); err != nil {
			return err
		}
		return p.d.Codes.Send(ctx, f, purposePublic, ch, to, ip)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// parseContact reads an e-mail or a 10-digit Mexican mobile.
func parseContact(s string) (notify.Channel, string, bool) {
	if len([]rune(s)) > maxContactRunes {
		return "", "", false
	}
	if strings.Contains(s, "@") {
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s {
			return "", "", false
		}
		return notify.Email, strings.ToLower(s), true
	}
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
	digits = strings.TrimPrefix(digits, "+52")
	if len(digits) != 10 || strings.Trim(digits, "0123456789") != "" {
		return "", "", false
	}
	return notify.SMS, digits, true
}

// Flow returns a live public flow.
func (p *PublicBooking) Flow(ctx context.Context, id string) (*account.Flow, error) {
	if id == "" || len(id) > 64 {
		return nil, account.ErrFlowExpired
	}
	f, err := p.d.Flows.FindFlow(ctx, id)
	if err != nil || f.Kind != FlowPublic || f.Expired(p.d.Now()) {
		return nil, account.ErrFlowExpired
	}
	return f, nil
}

// Verify checks the code sent to the contact.
func (p *PublicBooking) Verify(ctx context.Context, f *account.Flow, code string) error {
	if err := p.d.Codes.Verify(ctx, f, purposePublic, code); err != nil {
		return err
	}
	f.State = flowVerified
	return p.d.Flows.UpdateFlow(ctx, f)
}

// Verified reports whether the flow's code was confirmed.
func (p *PublicBooking) Verified(f *account.Flow) bool { return f.State == flowVerified }

// Book books for the verified person and ends the flow; the confirmation
// goes to the contact they gave.
func (p *PublicBooking) Book(ctx context.Context, f *account.Flow, centre string, s Service, start time.Time) (*Appointment, error) {
	if !p.Verified(f) {
		return nil, account.ErrFlowExpired
	}
	var d publicData
	_ = json.Unmarshal(f.Data, &d)
	a, err := p.d.Bookings.Book(ctx, Request{PersonID: f.PersonID, Centre: centre, Service: s, Start: start, Via: ViaPublic, Contact: d.Contact})
	if err != nil {
		return nil, err
	}
	_ = p.d.Flows.DeleteFlow(ctx, f.ID)
	return a, nil
}
