package account

import (
	"context"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/notify"
	"micuenta/internal/person"
	"micuenta/internal/portal"
)

// Settings is what signed-in people do to their own account at
// /mi-cuenta/seguridad and /mi-cuenta/datos (issue 4): see and end their
// sessions and devices, read their recent security activity, change the
// password, and change the e-mail or the mobile.
type Settings struct {
	tx       portal.TxRunner
	store    SettingsStore
	devices  DeviceStore
	flows    FlowStore
	codes    *Codes
	limiter  *Limiter
	hasher   *Hasher
	sessions *Sessions
	outbox   *notify.Outbox
	audit    *audit.Log
	now      func() time.Time
}

// SettingsStore is what Settings needs beyond sessions, devices and flows.
type SettingsStore interface {
	FindAccountByID(ctx context.Context, id int64) (*Account, error)
	FindPersonByID(ctx context.Context, id int64) (*person.Person, error)
	SetPassword(ctx context.Context, accountID int64, hash string) error
	// SetContact replaces the e-mail or the mobile; ECONFLICT when
	// another account holds it.
	SetContact(ctx context.Context, accountID int64, kind, value string) error
	EmailInUse(ctx context.Context, email string) (bool, error)
	MobileInUse(ctx context.Context, mobile string) (bool, error)
}

// SettingsDeps are Settings' collaborators.
type SettingsDeps struct {
	Tx       portal.TxRunner
	Store    SettingsStore
	Devices  DeviceStore
	Flows    FlowStore
	Codes    *Codes
	Limiter  *Limiter
	Hasher   *Hasher
	Sessions *Sessions
	Outbox   *notify.Outbox
	Audit    *audit.Log
	Now      func() time.Time
}

// NewSettings builds the settings service.
func NewSettings(d SettingsDeps) *Settings {
	return &Settings{tx: d.Tx, store: d.Store, devices: d.Devices, flows: d.Flows, codes: d.Codes, limiter: d.Limiter,
		hasher: d.Hasher, sessions: d.Sessions, outbox: d.Outbox, audit: d.Audit, now: d.Now}
}

// Contact kinds a person may change.
const (
	ContactEmail  = "correo"
	ContactMobile = "celular"
)

const (
	// reauthPerWindow bounds password re-entries on the signed-in pages,
	// so a stolen session cannot guess the password there either.
	reauthPerWindow = 5
	reauthWindow    = 15 * time.Minute
	contactTTL      = 15 * time.Minute
	activityShown   = 20
)

// Overview is the security page's content.
type Overview struct {
	Account  *Account
	Sessions []Session
	Devices  []Device
	Activity []audit.Entry
}

// Overview gathers the security page.
func (st *Settings) Overview(ctx context.Context, accountID int64) (*Overview, error) {
	acc, err := st.store.FindAccountByID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	o := &Overview{Account: acc}
	if o.Sessions, err = st.sessions.List(ctx, accountID); err != nil {
		return nil, err
	}
	if o.Devices, err = st.devices.AccountDevices(ctx, accountID); err != nil {
		return nil, err
	}
	if o.Activity, err = st.audit.ForAccount(ctx, accountID, activityShown); err != nil {
		return nil, err
	}
	return o, nil
}

// EndSession signs out one of the person's sessions (maybe this one).
func (st *Settings) EndSession(ctx context.Context, sess *Session, sessionID int64, c Client) error {
	list, err := st.sessions.List(ctx, sess.AccountID)
	if err != nil {
		return err
	}
	for _, s := range list {
		if s.ID == sessionID {
			return st.tx.InTx(ctx, func(ctx context.Context) error {
				if err := st.sessions.End(ctx, s.ID); err != nil {
					return err
				}
				return st.audit.Record(ctx, audit.Entry{Action: audit.SessionEnded, AccountID: sess.AccountID, IP: c.IP, UserAgent: c.UserAgent,
					Detail: "cerrada desde seguridad: " + BrowserName(s.UserAgent)})
			})
		}
	}
	return portal.Errorf(portal.ENOTFOUND, "Esa sesión ya terminó.")
}

// EndOtherSessions signs out every session but this one.
func (st *Settings) EndOtherSessions(ctx context.Context, sess *Session, c Client) (int, error) {
	var n int
	err := st.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if n, err = st.sessions.EndOthers(ctx, sess.AccountID, sess.ID); err != nil {
			return err
		}
		return st.audit.Record(ctx, audit.Entry{Action: audit.SessionEnded, AccountID: sess.AccountID, IP: c.IP, UserAgent: c.UserAgent,
			Detail: fmt.Sprintf("cerradas las demás sesiones (%d)", n)})
	})
	return n, err
}

// ForgetDevice makes a browser ask for a code again at its next sign-in
// and ends its sessions.
func (st *Settings) ForgetDevice(ctx context.Context, sess *Session, deviceID int64, c Client) error {
	list, err := st.sessions.List(ctx, sess.AccountID)
	if err != nil {
		return err
	}
	return st.tx.InTx(ctx, func(ctx context.Context) error {
		if err := st.devices.DeleteDevice(ctx, sess.AccountID, deviceID); err != nil {
			return err
		}
		for _, s := range list {
			if s.DeviceID == deviceID {
				if err := st.sessions.End(ctx, s.ID); err != nil {
					return err
				}
			}
		}
		return st.audit.Record(ctx, audit.Entry{Action: audit.SessionEnded, AccountID: sess.AccountID, IP: c.IP, UserAgent: c.UserAgent, Detail: "dispositivo olvidado"})
	})
}

// checkCurrentPassword re-proves the password on a signed-in page, within
// its own limit; a wrong one is a field error at field.
func (st *Settings) checkCurrentPassword(ctx context.Context, acc *Account, password, field string, c Client) error {
	ok, wait, err := st.limiter.Allow(ctx, fmt.Sprintf("reauth:%d", acc.ID), reauthPerWindow, reauthWindow)
	if err != nil {
		return err
	}
	if !ok {
		return portal.Errorf(portal.ERATELIMIT, "Escribiste mal tu contraseña varias veces. Espera %s e intenta de nuevo, o sal y recupera tu contraseña.", minutes(wait))
	}
	if password == "" {
		return FieldErrors{field: "Escribe tu contraseña actual."}
	}
	if len(password) > 4*MaxPasswordLen {
		password = password[:4*MaxPasswordLen]
	}
	match, _, err := st.hasher.Verify(ctx, password, acc.PasswordHash)
	if err != nil {
		return err
	}
	if !match {
		_ = st.audit.Record(ctx, audit.Entry{Action: audit.SignInFailed, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: "contraseña actual incorrecta"})
		return FieldErrors{field: "Tu contraseña actual no es correcta."}
	}
	return nil
}

// ChangePassword needs the current password; the other sessions end and
// the person is told by e-mail.
func (st *Settings) ChangePassword(ctx context.Context, sess *Session, current, next, confirm string, c Client) error {
	acc, err := st.store.FindAccountByID(ctx, sess.AccountID)
	if err != nil {
		return err
	}
	if err := st.checkCurrentPassword(ctx, acc, current, "actual", c); err != nil {
		return err
	}
	p, err := st.store.FindPersonByID(ctx, acc.PersonID)
	if err != nil {
		return err
	}
	if msg := CheckPassword(next, PersonalData{Names: []string{p.GivenNames, p.FirstSurname, p.SecondSurname},
		NSS: p.NSS.String(), CURP: p.CURP.String(), RFC: p.RFC.String(), Email: acc.Email}); msg != "" {
		return FieldErrors{"contrasena": msg}
	}
	if next == current {
		return FieldErrors{"contrasena": "La contraseña nueva debe ser distinta de la actual."}
	}
	if next != confirm {
		return FieldErrors{"confirmacion": "Las dos contraseñas no son iguales. Escríbela de nuevo."}
	}
	hash, err := st.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	return st.tx.InTx(ctx, func(ctx context.Context) error {
		if err := st.store.SetPassword(ctx, acc.ID, hash); err != nil {
			return err
		}
		if _, err := st.sessions.EndOthers(ctx, acc.ID, sess.ID); err != nil {
			return err
		}
		m, err := passwordChangedNotice(acc, c, st.now())
		if err := enqueue(ctx, st.outbox, m, err); err != nil {
			return err
		}
		return st.audit.Record(ctx, audit.Entry{Action: audit.PasswordChanged, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent})
	})
}

// StartContactChange checks the password and the new e-mail or mobile,
// and sends a code to the new one. The flow's data holds kind:value.
func (st *Settings) StartContactChange(ctx context.Context, sess *Session, kind, value, password string, c Client) (*Flow, error) {
	acc, err := st.store.FindAccountByID(ctx, sess.AccountID)
	if err != nil {
		return nil, err
	}
	var normalized string
	var inUse func(context.Context, string) (bool, error)
	ch := notify.Email
	switch kind {
	case ContactEmail:
		e, ok := NormalizeEmail(value)
		if !ok {
			return nil, FieldErrors{"valor": "Escribe un correo electrónico válido, por ejemplo nombre@correo.com."}
		}
		normalized, inUse = e, st.store.EmailInUse
		if e == acc.Email {
			return nil, FieldErrors{"valor": "Ese ya es el correo de tu cuenta. Escribe el nuevo."}
		}
	case ContactMobile:
		m := NormalizeMobile(value)
		if m == "" {
			return nil, FieldErrors{"valor": "Escribe tu número de celular a 10 dígitos, sin el 044 ni el 045."}
		}
		normalized, inUse, ch = m, st.store.MobileInUse, notify.SMS
		if m == acc.Mobile {
			return nil, FieldErrors{"valor": "Ese ya es el celular de tu cuenta. Escribe el nuevo."}
		}
	default:
		return nil, portal.Errorf(portal.EINVALID, "Elige si quieres cambiar tu correo o tu celular.")
	}
	if err := st.checkCurrentPassword(ctx, acc, password, "contrasena", c); err != nil {
		return nil, err
	}
	if used, err := inUse(ctx, normalized); err != nil {
		return nil, err
	} else if used {
		return nil, FieldErrors{"valor": "Ese dato ya está registrado en otra cuenta. Usa uno tuyo; cada cuenta necesita el suyo."}
	}
	now := st.now().UTC()
	f := &Flow{ID: NewFlowID(), Kind: FlowContactChange, State: kind, PersonID: acc.PersonID, AccountID: acc.ID,
		Data: []byte(normalized), CreatedAt: now, ExpiresAt: now.Add(contactTTL)}
	err = st.tx.InTx(ctx, func(ctx context.Context) error {
		if err := st.flows.CreateFlow(ctx, f); err != nil {
			return err
		}
		if err := st.codes.Send(ctx, f, PurposeContact, ch, normalized, c.IP); err != nil {
			return err
		}
		return st.audit.Record(ctx, audit.Entry{Action: audit.CodeSent, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: "cambio de " + kind})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ContactFlow returns the session's open contact-change flow: its kind
// and the masked new value.
func (st *Settings) ContactFlow(ctx context.Context, sess *Session, flowID string) (f *Flow, kind, masked string, err error) {
	f, err = st.flows.FindFlow(ctx, flowID)
	if portal.ErrorCode(err) == portal.ENOTFOUND || err == nil && (f.Kind != FlowContactChange || f.AccountID != sess.AccountID || f.Expired(st.now())) {
		return nil, "", "", ErrFlowExpired
	}
	if err != nil {
		return nil, "", "", err
	}
	if f.State == ContactMobile {
		return f, f.State, MaskMobile(string(f.Data)), nil
	}
	return f, f.State, MaskEmail(string(f.Data)), nil
}

// ConfirmContactChange checks the code sent to the new e-mail or mobile
// and makes the change; the old one is told.
func (st *Settings) ConfirmContactChange(ctx context.Context, sess *Session, flowID, code string, c Client) error {
	f, kind, _, err := st.ContactFlow(ctx, sess, flowID)
	if err != nil {
		return err
	}
	if err := st.codes.Check(ctx, f, PurposeContact, code); err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			_ = st.audit.Record(ctx, audit.Entry{Action: audit.CodeFailed, AccountID: f.AccountID, PersonID: f.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: "cambio de " + kind})
			return FieldErrors{"codigo": portal.ErrorMessage(err)}
		}
		return err
	}
	acc, err := st.store.FindAccountByID(ctx, f.AccountID)
	if err != nil {
		return err
	}
	value := string(f.Data)
	return st.tx.InTx(ctx, func(ctx context.Context) error {
		if err := st.codes.Consume(ctx, f, PurposeContact); err != nil {
			return err
		}
		if err := st.store.SetContact(ctx, acc.ID, kind, value); err != nil {
			if portal.ErrorCode(err) == portal.ECONFLICT {
				return FieldErrors{"codigo": "Mientras confirmabas, ese dato quedó registrado en otra cuenta. Empieza de nuevo con otro."}
			}
			return err
		}
		if err := st.flows.DeleteFlow(ctx, f.ID); err != nil {
			return err
		}
		ms, err := contactChangedNotices(acc, kind, value, c, st.now())
		if err != nil {
			return err
		}
		for _, m := range ms {
			if _, err := st.outbox.Enqueue(ctx, m); err != nil {
				return err
			}
		}
		return st.audit.Record(ctx, audit.Entry{Action: audit.ContactChanged, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: kind})
	})
}

// contactChangedNotices tell the old e-mail (and, when the mobile
// changes, the old mobile too) so a takeover is noticed by the person who
// had the account.
func contactChangedNotices(acc *Account, kind, value string, c Client, at time.Time) ([]notify.Message, error) {
	d := messageData{When: whenText(at), IP: c.IP, What: "correo electrónico", Masked: MaskEmail(value)}
	if kind == ContactMobile {
		d.What, d.Masked = "número de celular", MaskMobile(value)
	}
	email, err := compose("contacto-cambiado", notify.Email, acc.Email, notify.PriorityNotice, d)
	if err != nil || kind != ContactMobile {
		return []notify.Message{email}, err
	}
	sms, err := compose("contacto-cambiado", notify.SMS, acc.Mobile, notify.PriorityNotice, d)
	return []notify.Message{email, sms}, err
}

// activityNames are the Spanish names of the audit actions a person sees.
var activityNames = map[string]string{
	audit.RegistrationCompleted: "Cuenta creada",
	audit.SignInSucceeded:       "Ingreso a tu cuenta",
	audit.SignInFailed:          "Intento de ingreso fallido",
	audit.SignInLocked:          "Ingreso bloqueado por intentos fallidos",
	audit.CodeSent:              "Código enviado",
	audit.CodeFailed:            "Código incorrecto",
	audit.RecoveryRequested:     "Solicitud para recuperar la contraseña",
	audit.RecoveryCompleted:     "Contraseña recuperada",
	audit.PasswordChanged:       "Contraseña cambiada",
	audit.ContactChanged:        "Datos de contacto cambiados",
	audit.SessionEnded:          "Sesión cerrada",
}

// ActivityName is how an audit action reads on the security page.
func ActivityName(action string) string {
	if n, ok := activityNames[action]; ok {
		return n
	}
	return strings.ReplaceAll(action, ".", " ")
}
