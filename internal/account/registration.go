package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/ident"
	"micuenta/internal/notify"
	"micuenta/internal/person"
	"micuenta/internal/portal"
)

// Registration states, in order.
const (
	RegConfirmName  = "confirmar_nombre"
	RegContact      = "contacto"
	RegCodes        = "codigos"
	RegPassword     = "contrasena"
	registrationTTL = 30 * time.Minute
	regPerIP        = 20 // registration starts per address per hour
	regPerIPNoJS    = 5  // the same, for forms that skipped the browser's work
)

// RegistrationPeople is what registration needs from the fund's registry.
type RegistrationPeople interface {
	FindPersonByNSS(ctx context.Context, nss ident.NSS) (*person.Person, error)
	FindPersonByID(ctx context.Context, id int64) (*person.Person, error)
}

// RegistrationAccounts is what registration needs from the accounts.
type RegistrationAccounts interface {
	Store
	EmailInUse(ctx context.Context, email string) (bool, error)
	MobileInUse(ctx context.Context, mobile string) (bool, error)
	// DeleteAccount removes the portal account with its sessions,
	// devices and flows; the person's records stay.
	DeleteAccount(ctx context.Context, accountID int64) error
}

// Registration runs "Quiero una cuenta" (issue 4; domain.md §10.1).
type Registration struct {
	tx       portal.TxRunner
	people   RegistrationPeople
	accounts RegistrationAccounts
	flows    FlowStore
	codes    *Codes
	human    *HumanCheck
	limiter  *Limiter
	hasher   *Hasher
	devices  DeviceStore
	sessions *Sessions
	outbox   *notify.Outbox
	audit    *audit.Log
	now      func() time.Time
}

// RegistrationDeps are Registration's collaborators.
type RegistrationDeps struct {
	Tx       portal.TxRunner
	People   RegistrationPeople
	Accounts RegistrationAccounts
	Flows    FlowStore
	Codes    *Codes
	Human    *HumanCheck
	Limiter  *Limiter
	Hasher   *Hasher
	Devices  DeviceStore
	Sessions *Sessions
	Outbox   *notify.Outbox
	Audit    *audit.Log
	Now      func() time.Time
}

// NewRegistration builds the registration service.
func NewRegistration(d RegistrationDeps) *Registration {
	return &Registration{tx: d.Tx, people: d.People, accounts: d.Accounts, flows: d.Flows, codes: d.Codes, human: d.Human,
		limiter: d.Limiter, hasher: d.Hasher, devices: d.Devices, sessions: d.Sessions, outbox: d.Outbox, audit: d.Audit, now: d.Now}
}

// regData is what the flow carries between steps.
type regData struct {
	Email  string `json:"email,omitempty"`
	Mobile string `json:"mobile,omitempty"`
}

// FieldErrors maps form fields to Spanish messages.
type FieldErrors map[string]string

// Error lets FieldErrors travel as an error.
func (f FieldErrors) Error() string { return fmt.Sprintf("account: %d field error(s)", len(f)) }

// IdentityInput is step 1.
type IdentityInput struct {
	NSS, CURP, RFC        string
	Challenge, Work, Trap string
}

// Mismatch guidance (domain.md §10.5): which datum probably differs,
// judged only from what was typed, never from which identifier exists.
const (
	mismatchGeneric = "Tus datos no coinciden con nuestros registros. Revisa que tu NSS, tu CURP y tu RFC sean exactamente los de tus documentos del IMSS, RENAPO y SAT. Si alguno está mal en esas instituciones, corrígelo ahí primero; si siguen sin coincidir, agenda una cita en un Centro de Servicio."
	mismatchCURPRFC = "Tu CURP y tu RFC no empiezan igual, y casi siempre coinciden en sus primeros 10 caracteres. Revisa ambos con tu constancia de situación fiscal (SAT) y tu CURP (RENAPO)."
	mismatchNSS     = "El año de nacimiento de tu NSS no coincide con el de tu CURP. Revisa tu NSS en tu recibo de nómina o en el portal del IMSS."
)

// Start is step 1: the three identifiers and the human check. It opens the
// flow when they match one person of the registry.
func (r *Registration) Start(ctx context.Context, in IdentityInput, c Client) (*Flow, error) {
	p, err := r.matchIdentity(ctx, in, c, "registro")
	if err != nil {
		return nil, err
	}
	if _, err := r.accounts.FindAccountByPerson(ctx, p.ID); err == nil {
		return nil, portal.Errorf(portal.ECONFLICT, "Ya tienes una cuenta. Ingresa con tu correo o tu NSS; si olvidaste tu contraseña, recupérala. Si ya no tienes acceso a tu correo, puedes borrar tu cuenta y registrarte de nuevo.")
	} else if portal.ErrorCode(err) != portal.ENOTFOUND {
		return nil, err
	}
	return r.openFlow(ctx, p.ID, RegConfirmName, c)
}

// openFlow starts a registration flow at state for a matched person.
func (r *Registration) openFlow(ctx context.Context, personID int64, state string, c Client) (*Flow, error) {
	now := r.now().UTC()
	f := &Flow{ID: NewFlowID(), Kind: FlowRegistration, State: state, PersonID: personID, Data: []byte("{}"),
		CreatedAt: now, ExpiresAt: now.Add(registrationTTL)}
	err := r.tx.InTx(ctx, func(ctx context.Context) error {
		if err := r.flows.CreateFlow(ctx, f); err != nil {
			return err
		}
		return r.audit.Record(ctx, audit.Entry{Action: audit.RegistrationMatched, PersonID: personID, IP: c.IP, UserAgent: c.UserAgent})
	})
	return f, err
}

// matchIdentity parses the three identifiers and the human check, applies
// the per-address limit named by what, and returns the one person they
// match. A mismatch gets guidance judged only from what was typed.
func (r *Registration) matchIdentity(ctx context.Context, in IdentityInput, c Client, what string) (*person.Person, error) {
	fe := FieldErrors{}
	nss, err := ident.ParseNSS(in.NSS)
	if err != nil {
		fe["nss"] = identMessage("NSS", err)
	}
	curp, err := ident.ParseCURP(in.CURP)
	if err != nil {
		fe["curp"] = identMessage("CURP", err)
	}
	rfc, err := ident.ParseRFC(in.RFC)
	if err != nil && !errors.Is(err, ident.ErrCheckDigit) {
		fe["rfc"] = identMessage("RFC", err)
	} else if rfc.IsGeneric() || rfc.IsMoral() {
		fe["rfc"] = "Escribe tu RFC de persona física, de 13 caracteres; el RFC genérico o el de una empresa no sirve aquí."
	}
	verdict, nonce := r.human.Verify(in.Challenge, in.Work, in.Trap)
	if verdict == Failed {
		fe["dato"] = "No pudimos comprobar el dato de seguridad. Espera unos segundos y envía el formulario de nuevo."
	}
	if len(fe) > 0 {
		return nil, fe
	}
	limit := regPerIP
	if verdict == ByPatience {
		limit = regPerIPNoJS
	}
	if ok, wait, err := r.limiter.Allow(ctx, what+"-ip:"+c.IP, limit, time.Hour); err != nil {
		return nil, err
	} else if !ok {
		return nil, portal.Errorf(portal.ERATELIMIT, "Hubo demasiados intentos desde tu conexión. Espera %s e intenta de nuevo.", minutes(wait))
	}
	// A challenge is spent once.
	if ok, _, err := r.limiter.Allow(ctx, "dato:"+nonce, 1, PowMaxAge); err != nil {
		return nil, err
	} else if !ok {
		return nil, FieldErrors{"dato": "Este formulario ya se envió. Vuelve a cargar la página y envíalo de nuevo."}
	}
	p, err := r.people.FindPersonByNSS(ctx, nss)
	if err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
		return nil, err
	}
	if p == nil || p.CURP != curp || p.RFC.String() != rfc.String() {
		_ = r.audit.Record(ctx, audit.Entry{Action: audit.RegistrationFailed, IP: c.IP, UserAgent: c.UserAgent, Detail: what + ": no coinciden"})
		msg := mismatchGeneric
		for _, w := range ident.CrossCheck(nss, curp, rfc) {
			switch w.Code {
			case ident.WarnCURPRFCPrefix:
				msg = mismatchCURPRFC + " " + msg
			case ident.WarnNSSBirthYear:
				msg = mismatchNSS + " " + msg
			}
		}
		return nil, portal.Errorf(portal.EINVALID, "%s", msg)
	}
	return p, nil
}

func identMessage(kind string, err error) string {
	switch {
	case errors.Is(err, ident.ErrLength):
		switch kind {
		case "NSS":
			return "Tu NSS debe tener 11 números."
		case "CURP":
			return "Tu CURP debe tener 18 caracteres."
		}
		return "Tu RFC debe tener 13 caracteres."
	case errors.Is(err, ident.ErrCharset):
		if kind == "NSS" {
			return "Tu NSS lleva solo números, sin letras ni signos."
		}
		return fmt.Sprintf("Tu %s lleva solo letras sin acento y números.", kind)
	case errors.Is(err, ident.ErrCheckDigit):
		return fmt.Sprintf("Tu %s no es válido: revisa que lo hayas copiado completo y sin errores.", kind)
	case errors.Is(err, ident.ErrDate):
		return fmt.Sprintf("La fecha de nacimiento dentro de tu %s no existe. Revisa los números.", kind)
	}
	return fmt.Sprintf("Tu %s no tiene el formato correcto. Revísalo en tu documento.", kind)
}

// Flow returns an open registration flow in the expected state.
func (r *Registration) Flow(ctx context.Context, flowID string, states ...string) (*Flow, *person.Person, error) {
	f, err := r.flows.FindFlow(ctx, flowID)
	if portal.ErrorCode(err) == portal.ENOTFOUND || err == nil && (f.Kind != FlowRegistration || f.Expired(r.now())) {
		return nil, nil, ErrFlowExpired
	}
	if err != nil {
		return nil, nil, err
	}
	ok := len(states) == 0
	for _, s := range states {
		ok = ok || f.State == s
	}
	if !ok {
		return nil, nil, portal.Errorf(portal.EINVALID, "Ese paso del registro no corresponde. Continúa desde donde te quedaste.")
	}
	p, err := r.people.FindPersonByID(ctx, f.PersonID)
	if err != nil {
		return nil, nil, err
	}
	return f, p, nil
}

// ConfirmName is step 2: "sí, soy yo" moves on; "no soy yo" ends the flow.
func (r *Registration) ConfirmName(ctx context.Context, flowID string, itsMe bool, c Client) error {
	f, _, err := r.Flow(ctx, flowID, RegConfirmName)
	if err != nil {
		return err
	}
	if !itsMe {
		return r.flows.DeleteFlow(ctx, f.ID)
	}
	f.State = RegContact
	return r.tx.InTx(ctx, func(ctx context.Context) error {
		if err := r.flows.UpdateFlow(ctx, f); err != nil {
			return err
		}
		return r.audit.Record(ctx, audit.Entry{Action: audit.RegistrationNamed, PersonID: f.PersonID, IP: c.IP, UserAgent: c.UserAgent})
	})
}

// NormalizeMobile keeps the 10 digits of a Mexican mobile number typed with
// spaces, dashes or a +52 prefix; "" when it is not one.
func NormalizeMobile(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '+' || r == '.':
		default:
			return ""
		}
	}
	d := b.String()
	if len(d) == 12 && strings.HasPrefix(d, "52") {
		d = d[2:]
	}
	if len(d) != 10 || d[0] == '0' {
		return ""
	}
	return d
}

// NormalizeEmail checks an address and returns it trimmed and lower-cased.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		return "", false
	}
	return s, true
}

// Contact is step 3: e-mail and mobile, each proved by its own code.
func (r *Registration) Contact(ctx context.Context, flowID, email, mobile string, c Client) error {
	f, _, err := r.Flow(ctx, flowID, RegContact, RegCodes)
	if err != nil {
		return err
	}
	fe := FieldErrors{}
	e, ok := NormalizeEmail(email)
	if !ok {
		fe["correo"] = "Escribe un correo electrónico válido, por ejemplo nombre@correo.com."
	}
	m := NormalizeMobile(mobile)
	if m == "" {
		fe["celular"] = "Escribe tu número de celular a 10 dígitos, sin el 044 ni el 045."
	}
	if ok {
		if used, err := r.accounts.EmailInUse(ctx, e); err != nil {
			return err
		} else if used {
			fe["correo"] = "Ese correo ya está registrado en otra cuenta. Usa tu correo personal; cada cuenta necesita uno propio."
		}
	}
	if m != "" {
		if used, err := r.accounts.MobileInUse(ctx, m); err != nil {
			return err
		} else if used {
			fe["celular"] = "Ese número ya está registrado en otra cuenta. Usa tu propio celular."
		}
	}
	if len(fe) > 0 {
		return fe
	}
	data, _ := json.Marshal(regData{Email: e, Mobile: m})
	return r.tx.InTx(ctx, func(ctx context.Context) error {
		f.Data, f.State = data, RegCodes
		if err := r.flows.UpdateFlow(ctx, f); err != nil {
			return err
		}
		if err := r.codes.Send(ctx, f, PurposeEmail, notify.Email, e, c.IP); err != nil {
			return err
		}
		if err := r.codes.Send(ctx, f, PurposeMobile, notify.SMS, m, c.IP); err != nil {
			return err
		}
		return r.audit.Record(ctx, audit.Entry{Action: audit.RegistrationContact, PersonID: f.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: "códigos enviados al correo y al celular"})
	})
}

// Contacts returns the e-mail and mobile a flow collected.
func (r *Registration) Contacts(f *Flow) (email, mobile string) {
	var d regData
	_ = json.Unmarshal(f.Data, &d)
	return d.Email, d.Mobile
}

// VerifyCodes is step 4: both codes must be right.
func (r *Registration) VerifyCodes(ctx context.Context, flowID, emailCode, smsCode string, c Client) error {
	f, _, err := r.Flow(ctx, flowID, RegCodes)
	if err != nil {
		return err
	}
	fe := FieldErrors{}
	if err := r.codes.Check(ctx, f, PurposeEmail, emailCode); err != nil {
		if portal.ErrorCode(err) != portal.EINVALID {
			return err
		}
		fe["codigo_correo"] = portal.ErrorMessage(err)
	}
	if err := r.codes.Check(ctx, f, PurposeMobile, smsCode); err != nil {
		if portal.ErrorCode(err) != portal.EINVALID {
			return err
		}
		fe["codigo_celular"] = portal.ErrorMessage(err)
	}
	if len(fe) > 0 {
		_ = r.audit.Record(ctx, audit.Entry{Action: audit.CodeFailed, PersonID: f.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: "registro"})
		return fe
	}
	return r.tx.InTx(ctx, func(ctx context.Context) error {
		if err := r.codes.Consume(ctx, f, PurposeEmail); err != nil {
			return err
		}
		if err := r.codes.Consume(ctx, f, PurposeMobile); err != nil {
			return err
		}
		f.State = RegPassword
		if err := r.flows.UpdateFlow(ctx, f); err != nil {
			return err
		}
		return r.audit.Record(ctx, audit.Entry{Action: audit.RegistrationVerified, PersonID: f.PersonID, IP: c.IP, UserAgent: c.UserAgent})
	})
}

// ResendCodes sends both codes again (each within its own send limit).
func (r *Registration) ResendCodes(ctx context.Context, flowID string, c Client) error {
	f, _, err := r.Flow(ctx, flowID, RegCodes)
	if err != nil {
		return err
	}
	e, m := r.Contacts(f)
	return r.tx.InTx(ctx, func(ctx context.Context) error {
		if err := r.codes.Send(ctx, f, PurposeEmail, notify.Email, e, c.IP); err != nil {
			return err
		}
		return r.codes.Send(ctx, f, PurposeMobile, notify.SMS, m, c.IP)
	})
}

// Finish is step 5: password and acceptance of the terms and the privacy
// notice. The account is active at once; this browser, which just proved
// the e-mail and the mobile, becomes a known device and is signed in.
func (r *Registration) Finish(ctx context.Context, flowID, password, confirm string, accepted bool, c Client) (*Outcome, error) {
	f, p, err := r.Flow(ctx, flowID, RegPassword)
	if err != nil {
		return nil, err
	}
	email, mobile := r.Contacts(f)
	fe := FieldErrors{}
	if msg := CheckPassword(password, PersonalData{Names: []string{p.GivenNames, p.FirstSurname, p.SecondSurname},
		NSS: p.NSS.String(), CURP: p.CURP.String(), RFC: p.RFC.String(), Email: email}); msg != "" {
		fe["contrasena"] = msg
	} else if password != confirm {
		fe["confirmacion"] = "Las dos contraseñas no son iguales. Escríbela de nuevo."
	}
	if !accepted {
		fe["acepto"] = "Para crear tu cuenta debes aceptar los términos y condiciones y el aviso de privacidad."
	}
	if len(fe) > 0 {
		return nil, fe
	}
	hash, err := r.hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	var out *Outcome
	err = r.tx.InTx(ctx, func(ctx context.Context) error {
		now := r.now().UTC()
		acc := &Account{PersonID: p.ID, Email: email, Mobile: mobile, PasswordHash: hash, TermsVersion: TermsVersion,
			PrivacyVersion: PrivacyVersion, AcceptedAt: now}
		if err := r.accounts.CreateAccount(ctx, acc); err != nil {
			if portal.ErrorCode(err) == portal.ECONFLICT {
				return portal.Errorf(portal.ECONFLICT, "Mientras te registrabas, ese correo, ese celular o tus datos quedaron registrados en otra cuenta. Empieza de nuevo o ingresa a tu cuenta.")
			}
			return err
		}
		devToken := NewToken()
		dev := &Device{AccountID: acc.ID, TokenHash: TokenHash(devToken), UserAgent: truncateUA(c.UserAgent), FirstIP: c.IP, CreatedAt: now, LastSeenAt: now}
		if err := r.devices.CreateDevice(ctx, dev); err != nil {
			return err
		}
		token, _, err := r.sessions.Start(ctx, acc.ID, dev.ID, c.IP, c.UserAgent)
		if err != nil {
			return err
		}
		if err := r.flows.DeleteFlow(ctx, f.ID); err != nil {
			return err
		}
		m, err := compose("bienvenida", notify.Email, email, notify.PriorityNotice, messageData{Name: p.GivenNames})
		if err := enqueue(ctx, r.outbox, m, err); err != nil {
			return err
		}
		out = &Outcome{SessionToken: token, DeviceToken: devToken}
		return r.audit.Record(ctx, audit.Entry{Action: audit.RegistrationCompleted, AccountID: acc.ID, PersonID: p.ID, IP: c.IP, UserAgent: c.UserAgent})
	})
	return out, err
}

func truncateUA(ua string) string {
	if len(ua) > 256 {
		return ua[:256]
	}
	return ua
}
