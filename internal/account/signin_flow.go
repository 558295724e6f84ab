package account

import (
	"context"
	"strings"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/notify"
	"micuenta/internal/portal"
)

// Sign-in flow states.
const (
	stateChooseChannel = "elegir_canal"
	stateCodeSent      = "codigo_enviado"
	signInFlowTTL      = 15 * time.Minute
)

// SignIn runs the sign-in: password, then — on a browser the account has
// not proved before — a one-time code to the e-mail or the mobile, the
// person's choice; then a session, and for a new device a notice.
type SignIn struct {
	tx       portal.TxRunner
	auth     *Authenticator
	accounts Store
	devices  DeviceStore
	flows    FlowStore
	codes    *Codes
	sessions *Sessions
	outbox   *notify.Outbox
	audit    *audit.Log
	now      func() time.Time
}

// SignInDeps are SignIn's collaborators.
type SignInDeps struct {
	Tx       portal.TxRunner
	Auth     *Authenticator
	Accounts Store
	Devices  DeviceStore
	Flows    FlowStore
	Codes    *Codes
	Sessions *Sessions
	Outbox   *notify.Outbox
	Audit    *audit.Log
	Now      func() time.Time
}

// NewSignIn builds the sign-in service.
func NewSignIn(d SignInDeps) *SignIn {
	return &SignIn{tx: d.Tx, auth: d.Auth, accounts: d.Accounts, devices: d.Devices, flows: d.Flows, codes: d.Codes,
		sessions: d.Sessions, outbox: d.Outbox, audit: d.Audit, now: d.Now}
}

// Client is who is asking: address, browser and its device cookie.
type Client struct {
	IP, UserAgent, DeviceToken string
}

// Outcome is where a sign-in step leaves the person.
type Outcome struct {
	SessionToken string // signed in: set the session cookie
	DeviceToken  string // a device just proved: set the device cookie
	FlowID       string // a code is needed: continue the flow
}

// Begin checks the password; on a known device it signs in at once,
// otherwise it opens a new-device flow.
func (s *SignIn) Begin(ctx context.Context, identifier, password string, c Client) (*Outcome, error) {
	res, err := s.auth.CheckPassword(ctx, identifier, password, c.IP, c.UserAgent)
	if err != nil {
		return nil, err
	}
	acc := res.Account
	var out *Outcome
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		now := s.now().UTC()
		dev, err := knownDevice(ctx, s.devices, acc.ID, c.DeviceToken, now)
		if err != nil {
			return err
		}
		if dev != nil {
			if err := s.devices.TouchDevice(ctx, dev.ID, now); err != nil {
				return err
			}
			token, _, err := s.sessions.Start(ctx, acc.ID, dev.ID, c.IP, c.UserAgent)
			if err != nil {
				return err
			}
			out = &Outcome{SessionToken: token}
			return s.audit.Record(ctx, audit.Entry{Action: audit.SignInSucceeded, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent})
		}
		f := &Flow{ID: NewFlowID(), Kind: FlowNewDevice, State: stateChooseChannel, AccountID: acc.ID, PersonID: acc.PersonID,
			Data: []byte("{}"), CreatedAt: now, ExpiresAt: now.Add(signInFlowTTL)}
		if err := s.flows.CreateFlow(ctx, f); err != nil {
			return err
		}
		out = &Outcome{FlowID: f.ID}
		return nil
	})
	return out, err
}

// DeviceFlow returns an open new-device flow and its account, to show the
// masked contacts the code can go to.
func (s *SignIn) DeviceFlow(ctx context.Context, flowID string) (*Flow, *Account, error) {
	f, err := s.flows.FindFlow(ctx, flowID)
	if portal.ErrorCode(err) == portal.ENOTFOUND || err == nil && (f.Kind != FlowNewDevice || f.Expired(s.now())) {
		return nil, nil, ErrFlowExpired
	}
	if err != nil {
		return nil, nil, err
	}
	acc, err := s.accounts.FindAccountByID(ctx, f.AccountID)
	if err != nil {
		return nil, nil, err
	}
	return f, acc, nil
}

// SendCode sends the new-device code by the chosen channel.
func (s *SignIn) SendCode(ctx context.Context, flowID string, ch notify.Channel, c Client) error {
	f, acc, err := s.DeviceFlow(ctx, flowID)
	if err != nil {
		return err
	}
	to := acc.Email
	if ch == notify.SMS {
		to = acc.Mobile
	} else if ch != notify.Email {
		return portal.Errorf(portal.EINVALID, "Elige si quieres recibir el código por correo o por mensaje de texto.")
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.codes.Send(ctx, f, PurposeSignIn, ch, to, c.IP); err != nil {
			return err
		}
		f.State = stateCodeSent
		if err := s.flows.UpdateFlow(ctx, f); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Entry{Action: audit.CodeSent, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: "ingreso " + string(ch)})
	})
}

// Confirm checks the code; on success the browser becomes a known device,
// a session starts, the person is told by e-mail, and the flow ends.
func (s *SignIn) Confirm(ctx context.Context, flowID, code string, c Client) (*Outcome, error) {
	f, acc, err := s.DeviceFlow(ctx, flowID)
	if err != nil {
		return nil, err
	}
	if f.State != stateCodeSent {
		return nil, portal.Errorf(portal.EINVALID, "Primero pide tu código.")
	}
	var out *Outcome
	verr := s.codes.Verify(ctx, f, PurposeSignIn, code)
	if verr != nil {
		_ = s.audit.Record(ctx, audit.Entry{Action: audit.CodeFailed, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: "ingreso"})
		return nil, verr
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		now := s.now().UTC()
		devToken := NewToken()
		ua := c.UserAgent
		if len(ua) > 256 {
			ua = ua[:256]
		}
		dev := &Device{AccountID: acc.ID, TokenHash: TokenHash(devToken), UserAgent: ua, FirstIP: c.IP, CreatedAt: now, LastSeenAt: now}
		if err := s.devices.CreateDevice(ctx, dev); err != nil {
			return err
		}
		token, _, err := s.sessions.Start(ctx, acc.ID, dev.ID, c.IP, c.UserAgent)
		if err != nil {
			return err
		}
		if err := s.flows.DeleteFlow(ctx, f.ID); err != nil {
			return err
		}
		m, err := newDeviceNotice(acc, c, now)
		if err := enqueue(ctx, s.outbox, m, err); err != nil {
			return err
		}
		out = &Outcome{SessionToken: token, DeviceToken: devToken}
		return s.audit.Record(ctx, audit.Entry{Action: audit.SignInSucceeded, AccountID: acc.ID, PersonID: acc.PersonID, IP: c.IP, UserAgent: c.UserAgent, Detail: "dispositivo nuevo"})
	})
	return out, err
}

// SignOut ends a session.
func (s *SignIn) SignOut(ctx context.Context, sess *Session, c Client) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.sessions.End(ctx, sess.ID); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Entry{Action: audit.SessionEnded, AccountID: sess.AccountID, IP: c.IP, UserAgent: c.UserAgent, Detail: "salir"})
	})
}

func newDeviceNotice(acc *Account, c Client, at time.Time) (notify.Message, error) {
	return compose("dispositivo-nuevo", notify.Email, acc.Email, notify.PriorityNotice, messageData{When: whenText(at), IP: c.IP, Browser: BrowserName(c.UserAgent)})
}

// BrowserName gives a short, human name for a user agent.
func BrowserName(ua string) string {
	switch {
	case strings.Contains(ua, "Edg/"):
		return "Microsoft Edge"
	case strings.Contains(ua, "Firefox/"):
		return "Firefox"
	case strings.Contains(ua, "Chrome/"), strings.Contains(ua, "Chromium/"):
		return "Chrome"
	case strings.Contains(ua, "Safari/"):
		return "Safari"
	case ua == "":
		return "desconocido"
	}
	if len(ua) > 60 {
		return ua[:60]
	}
	return ua
}

// MaskEmail shows enough of an address to recognise it: lu****@correo.mx.
func MaskEmail(e string) string {
	local, domain, ok := strings.Cut(e, "@")
	if !ok {
		return ""
	}
	keep := min(2, len(local))
	return local[:keep] + strings.Repeat("*", max(len(local)-keep, 3)) + "@" + domain
}

// MaskMobile keeps the last four digits: ******5678.
func MaskMobile(m string) string {
	if len(m) < 4 {
		return ""
	}
	return strings.Repeat("*", len(m)-4) + m[len(m)-4:]
}
