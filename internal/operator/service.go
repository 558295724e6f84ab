package operator

import (
	"context"
	"crypto/rand"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/audit"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
	"micuenta/internal/totp"
)

// Limits of the back office's sign-in. Staff sessions are shorter than a
// shift is long, and a second factor must follow the password quickly.
const (
	IdleTimeout     = 15 * time.Minute
	AbsoluteTimeout = 10 * time.Hour
	SecondFactorTTL = 5 * time.Minute
	MaxFailures     = 5
	LockFor         = 15 * time.Minute
	MinPassword     = 12
	// TemporaryFor is how long a password given by an administrator
	// works before the operator must have replaced it (OWASP ASVS 2.3.1).
	TemporaryFor = 72 * time.Hour
)

// Audit actions of the back office.
const (
	AuditSignIn          = "operator.signin"
	AuditSignInFailed    = "operator.signin_failed"
	AuditLocked          = "operator.locked"
	AuditEnrolled        = "operator.totp_enrolled"
	AuditCreated         = "operator.created"
	AuditDisabled        = "operator.disabled"
	AuditEnabled         = "operator.enabled"
	AuditTOTPReset       = "operator.totp_reset"
	AuditPasswordChanged = "operator.password_changed"
	AuditPasswordReset   = "operator.password_reset"
	AuditRequestAct      = "request.acted"
	AuditDocumentView    = "document.viewed"
)

// Deps are what the service works with.
type Deps struct {
	Tx     portal.TxRunner
	Store  Store
	Hasher *account.Hasher
	Audit  *audit.Log
	Now    func() time.Time
}

// Service creates operators and signs them in.
type Service struct {
	tx     portal.TxRunner
	store  Store
	hasher *account.Hasher
	audit  *audit.Log
	now    func() time.Time
}

// NewService builds the service.
func NewService(d Deps) *Service {
	return &Service{tx: d.Tx, store: d.Store, hasher: d.Hasher, audit: d.Audit, now: d.Now}
}

// New is what it takes to create an operator.
type New struct {
	Email, Name, Region, Password string
	Role                          Role
	// Temporary marks a password someone else will read out: it expires
	// and must be replaced at the first sign-in.
	Temporary bool
}

// Validate checks a new operator's data; errs maps fields to Spanish
// messages.
func (n *New) Validate() map[string]string {
	errs := map[string]string{}
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	n.Name = strings.Join(strings.Fields(n.Name), " ")
	n.Region = strings.ToUpper(strings.TrimSpace(n.Region))
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || len(n.Email) > 200 {
		errs["correo"] = "Escribe un correo válido, por ejemplo nombre@fondo.gob.mx."
	}
	if l := len([]rune(n.Name)); l < 3 || l > 120 {
		errs["nombre"] = "Escribe el nombre completo (de 3 a 120 caracteres)."
	}
	if !n.Role.Valid() {
		errs["rol"] = "Elige un rol."
	}
	if n.Region != "" && (n.Region == "NE" || !ident.State(n.Region).Valid()) {
		errs["entidad"] = "Elige una entidad de la lista, o todo el país."
	}
	if len([]rune(n.Password)) < MinPassword || len(n.Password) > 128 {
		errs["contrasena"] = "La contraseña debe tener de 12 a 128 caracteres."
	}
	return errs
}

// Create adds an operator (by an administrator, or by
// `micuenta admin create-operator` when by is nil). The second factor is
// enrolled at the first sign-in.
func (s *Service) Create(ctx context.Context, n New, by *Operator, ip string) (*Operator, error) {
	if errs := n.Validate(); len(errs) > 0 {
		return nil, &FieldErrors{Fields: errs}
	}
	if by != nil && !by.Can(ManageOperators) {
		return nil, errForbidden
	}
	hash, err := s.hasher.Hash(ctx, n.Password)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	o := &Operator{Email: n.Email, Name: n.Name, Role: n.Role, Region: n.Region, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	if n.Temporary {
		o.PasswordExpiresAt = now.Add(TemporaryFor)
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateOperator(ctx, o); err != nil {
			if portal.ErrorCode(err) == portal.ECONFLICT {
				return &FieldErrors{Fields: map[string]string{"correo": "Ya hay una persona operadora con ese correo."}}
			}
			return err
		}
		return s.audit.Record(ctx, audit.Entry{Action: AuditCreated, OperatorID: byID(by), IP: ip, Detail: o.Email + " " + string(o.Role)})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// FieldErrors are a form's refusals, by field.
type FieldErrors struct{ Fields map[string]string }

func (e *FieldErrors) Error() string { return "operator: invalid fields" }

var (
	errForbidden        = portal.Errorf(portal.EFORBIDDEN, "Tu rol no permite esta acción.")
	errBadSignIn        = portal.Errorf(portal.EUNAUTHORIZED, "El correo o la contraseña no son correctos.")
	errBadCode          = portal.Errorf(portal.EUNAUTHORIZED, "El código no es correcto o ya se usó. Espera el siguiente código de tu aplicación y escríbelo.")
	errLocked           = portal.Errorf(portal.EFORBIDDEN, "Por seguridad bloqueamos el acceso de esta cuenta durante 15 minutos por demasiados intentos fallidos.")
	errDisabled         = portal.Errorf(portal.EFORBIDDEN, "Esta cuenta de operación está desactivada. Pide ayuda a una persona administradora.")
	errTemporaryExpired = portal.Errorf(portal.EFORBIDDEN, "Tu contraseña temporal venció. Pide a una persona administradora una nueva.")
	errEnded            = portal.Errorf(portal.EUNAUTHORIZED, "Tu sesión terminó. Ingresa de nuevo.")
	errNeedsStage       = portal.Errorf(portal.EUNAUTHORIZED, "Primero ingresa con tu correo y contraseña.")
)

func byID(o *Operator) int64 {
	if o == nil {
		return 0
	}
	return o.ID
}

// SignIn checks an e-mail and password and opens a session that still
// owes the second factor. Failures count toward a lock.
func (s *Service) SignIn(ctx context.Context, email, password, ip, userAgent string) (string, *Session, *Operator, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	o, err := s.store.FindOperatorByEmail(ctx, email)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		_ = s.hasher.DummyVerify(ctx, password) // same time as a real check
		_ = s.audit.Record(ctx, audit.Entry{Action: AuditSignInFailed, IP: ip, UserAgent: userAgent, Detail: "correo desconocido"})
		return "", nil, nil, errBadSignIn
	}
	if err != nil {
		return "", nil, nil, err
	}
	now := s.now().UTC()
	if now.Before(o.LockedUntil) {
		return "", nil, nil, errLocked
	}
	ok, _, err := s.hasher.Verify(ctx, password, o.PasswordHash)
	if err != nil {
		return "", nil, nil, err
	}
	if !ok {
		return "", nil, nil, s.failed(ctx, o, ip, userAgent, "contraseña")
	}
	if o.Disabled {
		return "", nil, nil, errDisabled
	}
	if o.MustChangePassword() && !now.Before(o.PasswordExpiresAt) {
		return "", nil, nil, errTemporaryExpired
	}
	token := account.NewToken()
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	sess := &Session{TokenHash: account.TokenHash(token), OperatorID: o.ID, Stage: StagePassword, IP: ip, UserAgent: userAgent,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SecondFactorTTL)}
	if err := s.store.CreateOperatorSession(ctx, sess); err != nil {
		return "", nil, nil, err
	}
	return token, sess, o, nil
}

// failed counts a failure and locks the operator at the limit.
func (s *Service) failed(ctx context.Context, o *Operator, ip, userAgent, what string) error {
	o.Failed++
	var until time.Time
	action, result := AuditSignInFailed, errBadSignIn
	if what == "código" {
		result = errBadCode
	}
	if o.Failed >= MaxFailures {
		until, o.Failed = s.now().UTC().Add(LockFor), 0
		action, result = AuditLocked, errLocked
		_ = s.store.DeleteOperatorSessions(ctx, o.ID)
	}
	if err := s.store.SetOperatorSignIn(ctx, o.ID, o.Failed, until); err != nil {
		return err
	}
	_ = s.audit.Record(ctx, audit.Entry{Action: action, OperatorID: o.ID, IP: ip, UserAgent: userAgent, Detail: what})
	return result
}

// Check returns a token's live session and its operator, in any stage,
// and records the activity. A disabled operator's session ends.
func (s *Service) Check(ctx context.Context, token string) (*Session, *Operator, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, errEnded
	}
	sess, err := s.store.FindOperatorSession(ctx, account.TokenHash(token))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, nil, errEnded
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.now().UTC()
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(IdleTimeout)) {
		_ = s.store.DeleteOperatorSession(ctx, sess.ID)
		return nil, nil, errEnded
	}
	o, err := s.store.FindOperator(ctx, sess.OperatorID)
	if err != nil {
		return nil, nil, err
	}
	if o.Disabled {
		_ = s.store.DeleteOperatorSession(ctx, sess.ID)
		return nil, nil, errDisabled
	}
	if now.Sub(sess.LastSeenAt) >= account.TouchEvery {
		sess.LastSeenAt = now
		if err := s.store.UpdateOperatorSession(ctx, sess); err != nil {
			return nil, nil, err
		}
	}
	return sess, o, nil
}

// Enrolment returns the secret to show an operator who has no second
// factor yet, keeping it in the session until a code proves it was saved.
func (s *Service) Enrolment(ctx context.Context, sess *Session, o *Operator) ([]byte, error) {
	if sess.Stage != StagePassword || o.TOTPSecret != nil {
		return nil, errNeedsStage
	}
	if sess.PendingSecret == nil {
		secret, err := totp.NewSecret()
		if err != nil {
			return nil, err
		}
		sess.PendingSecret = secret
		if err := s.store.UpdateOperatorSession(ctx, sess); err != nil {
			return nil, err
		}
	}
	return sess.PendingSecret, nil
}

// SecondFactor checks a TOTP code — against the enrolled secret, or
// against the one being enrolled — and completes the sign-in. A code is
// accepted once.
func (s *Service) SecondFactor(ctx context.Context, sess *Session, o *Operator, code string) error {
	if sess.Stage != StagePassword {
		return errNeedsStage
	}
	now := s.now().UTC()
	if now.Before(o.LockedUntil) {
		return errLocked
	}
	enrolling := o.TOTPSecret == nil
	secret := o.TOTPSecret
	if enrolling {
		if sess.PendingSecret == nil {
			return errNeedsStage
		}
		secret = sess.PendingSecret
	}
	step, ok := totp.Verify(secret, code, now, o.TOTPStep)
	if !ok {
		return s.failed(ctx, o, sess.IP, sess.UserAgent, "código")
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if enrolling {
			if err := s.store.SetOperatorTOTP(ctx, o.ID, secret, step); err != nil {
				return err
			}
			if err := s.audit.Record(ctx, audit.Entry{Action: AuditEnrolled, OperatorID: o.ID, IP: sess.IP, UserAgent: sess.UserAgent}); err != nil {
				return err
			}
		} else if err := s.store.AdvanceOperatorTOTP(ctx, o.ID, o.TOTPStep, step); err != nil {
			return errBadCode
		}
		if err := s.store.SetOperatorSignIn(ctx, o.ID, 0, time.Time{}); err != nil {
			return err
		}
		sess.Stage, sess.PendingSecret = StageComplete, nil
		sess.LastSeenAt, sess.ExpiresAt = now, now.Add(AbsoluteTimeout)
		if err := s.store.UpdateOperatorSession(ctx, sess); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Entry{Action: AuditSignIn, OperatorID: o.ID, IP: sess.IP, UserAgent: sess.UserAgent})
	})
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, sess *Session) error {
	return s.store.DeleteOperatorSession(ctx, sess.ID)
}

// List returns every operator (administrators).
func (s *Service) List(ctx context.Context, by *Operator) ([]Operator, error) {
	if !by.Can(ManageOperators) {
		return nil, errForbidden
	}
	return s.store.ListOperators(ctx)
}

// SetDisabled disables or re-enables an operator; disabling ends their
// sessions. Nobody disables themselves (the last administrator would be
// locked out).
func (s *Service) SetDisabled(ctx context.Context, by *Operator, id int64, disabled bool, ip string) error {
	if !by.Can(ManageOperators) {
		return errForbidden
	}
	if id == by.ID {
		return portal.Errorf(portal.ECONFLICT, "No puedes desactivar tu propia cuenta.")
	}
	action := AuditEnabled
	if disabled {
		action = AuditDisabled
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.FindOperator(ctx, id); err != nil {
			return err
		}
		if err := s.store.SetOperatorDisabled(ctx, id, disabled); err != nil {
			return err
		}
		if disabled {
			if err := s.store.DeleteOperatorSessions(ctx, id); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, audit.Entry{Action: action, OperatorID: by.ID, IP: ip, Detail: "operador " + strconv.FormatInt(id, 10)})
	})
}

// ResetSecondFactor clears an operator's TOTP (a lost phone): they enrol
// again at their next sign-in. Their sessions end.
func (s *Service) ResetSecondFactor(ctx context.Context, by *Operator, id int64, ip string) error {
	if !by.Can(ManageOperators) {
		return errForbidden
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.FindOperator(ctx, id); err != nil {
			return err
		}
		if err := s.store.SetOperatorTOTP(ctx, id, nil, 0); err != nil {
			return err
		}
		if err := s.store.DeleteOperatorSessions(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Entry{Action: AuditTOTPReset, OperatorID: by.ID, IP: ip, Detail: "operador " + strconv.FormatInt(id, 10)})
	})
}

// Find returns an operator by id.
func (s *Service) Find(ctx context.Context, id int64) (*Operator, error) {
	return s.store.FindOperator(ctx, id)
}

// Workers lists the active operators who can work a request of a person
// of region, for a supervisor's reassignment.
func (s *Service) Workers(ctx context.Context, region string) ([]Operator, error) {
	all, err := s.store.ListOperators(ctx)
	if err != nil {
		return nil, err
	}
	var out []Operator
	for _, o := range all {
		if o.Can(WorkRequests) && o.Covers(region) {
			out = append(out, o)
		}
	}
	return out, nil
}

// MaySee reports whether o may see a request assigned to assignedTo, of a
// person of region: in their territory, and either theirs, nobody's yet,
// or any if they supervise.
func (o *Operator) MaySee(assignedTo int64, region string) bool {
	if !o.Can(WorkRequests) || !o.Covers(region) {
		return false
	}
	return o.Can(SeeAllInRegion) || assignedTo == 0 || assignedTo == o.ID
}

// MayAct reports whether o may decide on a request assigned to
// assignedTo: the one it is assigned to, or a supervisor of its region.
func (o *Operator) MayAct(assignedTo int64, region string) bool {
	return o.MaySee(assignedTo, region) && (assignedTo == o.ID || o.Can(SeeAllInRegion))
}

// ChangePassword replaces a signed-in operator's password (a temporary one
// at the first sign-in): the current one is asked again, and the new one
// must differ from it. The operator's other sessions end.
func (s *Service) ChangePassword(ctx context.Context, sess *Session, o *Operator, current, next, confirm string) error {
	errs := map[string]string{}
	ok, _, err := s.hasher.Verify(ctx, current, o.PasswordHash)
	if err != nil {
		return err
	}
	switch {
	case !ok:
		errs["actual"] = "La contraseña actual no es correcta."
	case len([]rune(next)) < MinPassword || len(next) > 128:
		errs["nueva"] = "La nueva contraseña debe tener de 12 a 128 caracteres."
	case next == current:
		errs["nueva"] = "La nueva contraseña debe ser distinta de la actual."
	case next != confirm:
		errs["confirmacion"] = "Las contraseñas no coinciden. Escríbela igual las dos veces."
	}
	if len(errs) > 0 {
		return &FieldErrors{Fields: errs}
	}
	hash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetOperatorPassword(ctx, o.ID, hash, time.Time{}); err != nil {
			return err
		}
		if err := s.store.DeleteOperatorSessions(ctx, o.ID); err != nil {
			return err
		}
		// This session lives on: recreate it under the same token.
		if err := s.store.CreateOperatorSession(ctx, sess); err != nil {
			return err
		}
		o.PasswordExpiresAt = time.Time{}
		return s.audit.Record(ctx, audit.Entry{Action: AuditPasswordChanged, OperatorID: o.ID, IP: sess.IP, UserAgent: sess.UserAgent})
	})
}

// ResetPassword gives an operator a new temporary password (a forgotten
// one), ending their sessions; the administrator reads it out once.
func (s *Service) ResetPassword(ctx context.Context, by *Operator, id int64, ip string) (string, error) {
	if !by.Can(ManageOperators) {
		return "", errForbidden
	}
	if id == by.ID {
		return "", portal.Errorf(portal.ECONFLICT, "Para cambiar tu propia contraseña usa «Cambiar mi contraseña».")
	}
	password := TemporaryPassword()
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return "", err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.FindOperator(ctx, id); err != nil {
			return err
		}
		if err := s.store.SetOperatorPassword(ctx, id, hash, s.now().UTC().Add(TemporaryFor)); err != nil {
			return err
		}
		if err := s.store.DeleteOperatorSessions(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Entry{Action: AuditPasswordReset, OperatorID: by.ID, IP: ip, Detail: "operador " + strconv.FormatInt(id, 10)})
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// TemporaryPassword makes a first password of 16 characters from an
// alphabet without look-alikes (about 90 bits), to be read out once.
func TemporaryPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	out := make([]byte, 0, 16)
	var b [1]byte
	for len(out) < 16 {
		if _, err := rand.Read(b[:]); err != nil {
			panic("operator: no randomness: " + err.Error())
		}
		// Bytes past the last whole multiple of the alphabet are skipped,
		// so every character is equally likely.
		if int(b[0]) < 256-256%len(alphabet) {
			out = append(out, alphabet[int(b[0])%len(alphabet)])
		}
	}
	return string(out)
}
