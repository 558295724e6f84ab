// Package app builds micuenta's object graph from a Config — vault, store,
// services, sites — and runs it. The CLI and the end-to-end tests both use
// it, so what the tests exercise is what production runs.
package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/admin"
	"micuenta/internal/alert"
	"micuenta/internal/appointment"
	"micuenta/internal/audit"
	"micuenta/internal/config"
	"micuenta/internal/credit"
	"micuenta/internal/document"
	"micuenta/internal/figures"
	"micuenta/internal/metrics"
	"micuenta/internal/notify"
	"micuenta/internal/operator"
	"micuenta/internal/origination"
	"micuenta/internal/payment"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/savings"
	"micuenta/internal/servicing"
	"micuenta/internal/store"
	"micuenta/internal/ui"
	"micuenta/internal/upload"
	"micuenta/internal/vault"
	"micuenta/internal/web"
)

// App is a running portal's parts.
type App struct {
	Config config.Config
	Log    *slog.Logger
	DB     *store.DB
	Vault  *vault.Vault
	Site   http.Handler // the people's site
	Admin  http.Handler // the operators' back office
	// AdminListener, when set, is where Serve also serves the back office.
	AdminListener net.Listener

	Audit     *audit.Log
	Outbox    *notify.Outbox
	Worker    *notify.Worker
	Sessions  *account.Sessions
	Auth      *account.Authenticator
	Codes     *account.Codes
	Hasher    *account.Hasher
	SignIn    *account.SignIn
	Register  *account.Registration
	Human     *account.HumanCheck
	Recovery  *account.Recovery
	Settings  *account.Settings
	Notices   *savings.Notifier // contribution notices, produced by the worker
	Requests  *request.Service
	Operators *operator.Service
	// Credits and Payments are the borrower's credit and paying it online.
	Credits  *credit.Service
	Payments *credit.Payments
	gateway  payment.Gateway
	// Documents issues and verifies the credit's documents (constancia,
	// avisos, carta); CreditDocuments says what they say.
	Documents       *document.Service
	CreditDocuments *credit.Documents
	// Sandbox is the demo's stand-in payment processor (nil otherwise).
	Sandbox *payment.Sandbox
	// Metrics are the process's figures, served at the back office's
	// /metrics.
	Metrics *metrics.Registry
	// Alerts watch the audit log for suspicious activity.
	Alerts *alert.Detector
	// Figures are the portal's own figures, for the dashboard.
	Figures *figures.Service
	// Bookings are the appointments at service centres; PublicBooking
	// books them without an account.
	Bookings      *appointment.Bookings
	PublicBooking *appointment.PublicBooking
	Files         upload.Storage // the documents attached to requests
	// Servicing is the requests after the credit and the pensioner's
	// refund: eligibility, filing, and what their approval does.
	Servicing *servicing.Service
	// Origination is pre-qualification, the simulator and the credit
	// application: its stages and what exercising the credit writes.
	Origination *origination.Service

	// EmbeddedWorker runs the outbox worker inside Serve (the default).
	EmbeddedWorker bool
	// Version names the build in backup manifests.
	Version string

	clock      portal.Clock
	hashParams account.HashParams
	calendar   *request.Calendar
	conversion *credit.ConversionTerms // Responsabilidad Compartida's figures (data)
	lastBackup portal.Date             // the day this process last backed up
}

// Options adjust New for callers that already hold some parts.
type Options struct {
	// Vault replaces the one built from the config's keys (demo, tests).
	Vault *vault.Vault
	// Migrate applies pending migrations instead of refusing a stale
	// schema. serve sets it on SQLite, where one process owns the file.
	Migrate bool
	// Clock replaces the system clock (tests of expiries and time-outs).
	Clock portal.Clock
	// HashParams replace the password-hash parameters (the sign-in
	// benchmark's stubbed-hash run); zero means the defaults.
	HashParams account.HashParams
}

// New opens the database, checks or migrates its schema and builds the
// sites. Every error names what to fix.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts Options) (*App, error) {
	v := opts.Vault
	if v == nil {
		var err error
		if v, err = VaultFromConfig(cfg); err != nil {
			return nil, err
		}
	}
	clock := opts.Clock
	if clock == nil {
		clock = portal.SystemClock{}
	}
	db, err := store.Open(ctx, cfg.DB, v, store.Options{Clock: clock})
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: log, DB: db, Vault: v, clock: clock, EmbeddedWorker: true, hashParams: opts.HashParams}
	if opts.Migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		for _, m := range applied {
			log.Info("migration applied", "version", m.Version, "name", m.Name)
		}
	} else if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if a.calendar, err = request.DefaultCalendar(); err != nil {
		db.Close()
		return nil, err
	}
	if a.conversion, err = credit.DefaultConversionTerms(); err != nil {
		db.Close()
		return nil, err
	}
	// Batch commands never touch documents and run with no directory.
	if cfg.DocumentsDir != "" {
		if a.Files, err = upload.NewDir(cfg.DocumentsDir); err != nil {
			db.Close()
			return nil, fmt.Errorf("cannot use the documents directory %s: %w; choose another with --documents-dir", cfg.DocumentsDir, err)
		}
	}
	a.buildServices()
	if err := a.loadCentres(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := a.buildSites(); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// VaultFromConfig builds the vault from the configured keys.
func VaultFromConfig(cfg config.Config) (*vault.Vault, error) {
	if cfg.DataKey == "" || cfg.LookupKey == "" {
		return nil, errors.New("MICUENTA_DATA_KEY and MICUENTA_LOOKUP_KEY are required: generate each with `head -c32 /dev/urandom | base64`")
	}
	dk, err := config.DecodeKey(cfg.DataKey)
	if err != nil {
		return nil, fmt.Errorf("MICUENTA_DATA_KEY: %w", err)
	}
	lk, err := config.DecodeKey(cfg.LookupKey)
	if err != nil {
		return nil, fmt.Errorf("MICUENTA_LOOKUP_KEY: %w", err)
	}
	var retired [][]byte
	if cfg.RetiredDataKeys != "" {
		for _, s := range strings.Split(cfg.RetiredDataKeys, ",") {
			k, err := config.DecodeKey(s)
			if err != nil {
				return nil, fmt.Errorf("MICUENTA_RETIRED_DATA_KEYS: %w", err)
			}
			retired = append(retired, k)
		}
	}
	return vault.New(dk, retired, lk)
}

// buildServices wires the domain services to the store.
func (a *App) buildServices() {
	now := func() time.Time { return a.clock.Now().UTC() }
	a.Metrics = metrics.New()
	a.Metrics.Counter("micuenta_audit_events_total", "Security and data-access events written to the audit log, by action (signin.succeeded, signin.failed, signin.locked, code.failed, …).", "action")
	a.DB.Gauges(a.Metrics, now)
	a.Audit = audit.New(countedAudit{a.DB, a.Metrics}, now)
	a.Alerts = alert.NewDetector(a.DB, alert.DefaultThresholds, a.securityNotice, now)
	a.Figures = figures.New(a.DB, now)
	a.Outbox = notify.NewOutbox(a.DB)
	a.Worker = notify.NewWorker(a.DB, a.senders(), notify.WorkerConfig{BulkPerSecond: a.Config.BulkRate}, now, a.Log)
	a.Notices = savings.NewNotifier(a.DB, a.DB)
	a.Worker.AddProducer(a.Notices.Pump)
	a.Requests = request.NewService(request.Deps{Tx: a.DB, Store: a.DB, Contacts: a.DB, Inbox: a.DB, Corrector: a.DB,
		Outbox: a.Outbox, Files: a.Files, Calendar: a.calendar, Now: now})
	limiter := account.NewLimiter(a.DB, now)
	params := a.hashParams
	if params == (account.HashParams{}) {
		params = account.DefaultHashParams
	}
	a.Hasher = account.NewHasher(params, hashSlots)
	a.Sessions = account.NewSessions(a.DB, now)
	a.Auth = account.NewAuthenticator(a.DB, a.Hasher, limiter, a.Audit, now)
	a.Codes = account.NewCodes(a.DB, a.Outbox, limiter, a.Vault.DeriveKey("one-time codes"), now)
	a.SignIn = account.NewSignIn(account.SignInDeps{Tx: a.DB, Auth: a.Auth, Accounts: a.DB, Devices: a.DB, Flows: a.DB,
		Codes: a.Codes, Sessions: a.Sessions, Outbox: a.Outbox, Audit: a.Audit, Now: now})
	a.Human = account.NewHumanCheck(a.Vault.DeriveKey("human check"), now)
	a.Register = account.NewRegistration(account.RegistrationDeps{Tx: a.DB, People: a.DB, Accounts: a.DB, Flows: a.DB,
		Codes: a.Codes, Human: a.Human, Limiter: limiter, Hasher: a.Hasher, Devices: a.DB, Sessions: a.Sessions,
		Outbox: a.Outbox, Audit: a.Audit, Now: now})
	a.Recovery = account.NewRecovery(account.RecoveryDeps{Tx: a.DB, Store: a.DB, Flows: a.DB, Limiter: limiter, Hasher: a.Hasher,
		Sessions: a.Sessions, Outbox: a.Outbox, Audit: a.Audit, Key: a.Vault.DeriveKey("recovery"), BaseURL: a.Config.PublicURL(), Now: now})
	a.Operators = operator.NewService(operator.Deps{Tx: a.DB, Store: a.DB, Hasher: a.Hasher, Audit: a.Audit, Now: now})
	a.Bookings = appointment.NewBookings(appointment.Deps{Tx: a.DB, Store: a.DB, Contacts: a.DB, Outbox: a.Outbox, Calendar: a.calendar,
		BaseURL: a.Config.PublicURL(), Now: now})
	a.Worker.AddProducer(a.Bookings.Remind)
	a.PublicBooking = appointment.NewPublicBooking(appointment.PublicDeps{Tx: a.DB, People: a.DB, Flows: a.DB, Codes: a.Codes,
		Limiter: limiter, Bookings: a.Bookings, Now: now})
	a.Credits = credit.NewService(a.DB, a.DB, now)
	// What approving each request after the credit does is servicing's,
	// registered on the workflow by type.
	a.Servicing = servicing.New(servicing.Deps{Store: a.DB, Requests: a.Requests, Terms: a.conversion, Now: now})
	for prefix, ap := range a.Servicing.Appliers() {
		a.Requests.RegisterApplier(prefix, ap)
	}
	a.Origination = origination.New(origination.Deps{Store: a.DB, Requests: a.Requests, Calendar: a.calendar, Now: now})
	for prefix, ap := range a.Origination.Appliers() {
		a.Requests.RegisterApplier(prefix, ap)
	}
	a.CreditDocuments = credit.NewDocuments(a.DB, a.DB, a.DB)
	a.Documents = document.NewService(document.Deps{Tx: a.DB, Store: a.DB, Audit: a.Audit, Limiter: limiter, BaseURL: a.Config.BaseURL, Now: now})
	switch {
	case a.Config.PaymentsURL != "":
		a.gateway = payment.NewHTTPGateway(a.Config.PaymentsURL, a.Config.PaymentsKey, a.Config.PaymentsWebhookSecret, nil)
	case a.Config.Demo:
		// The sandbox is served by the portal itself, so its checkout
		// address is relative: it works behind any proxy and on any
		// listen address.
		a.Sandbox = payment.NewSandbox(base64.RawURLEncoding.EncodeToString(a.Vault.DeriveKey("payments sandbox")), "")
		a.gateway = a.Sandbox
	}
	a.Payments = credit.NewPayments(credit.PaymentsDeps{Tx: a.DB, Credits: a.Credits, Store: a.DB, Gateway: a.gateway,
		Notify: a.paymentReceived, BaseURL: a.Config.PublicURL(), Now: now})
	a.Settings = account.NewSettings(account.SettingsDeps{Tx: a.DB, Store: a.DB, Devices: a.DB, Flows: a.DB, Codes: a.Codes,
		Limiter: limiter, Hasher: a.Hasher, Sessions: a.Sessions, Outbox: a.Outbox, Audit: a.Audit, Now: now})
}

// loadCentres adds the service centres of the embedded data that the
// database lacks; centres already there keep the fund's edits.
func (a *App) loadCentres(ctx context.Context) error {
	cs, err := appointment.DefaultCentres()
	if err != nil {
		return err
	}
	return a.DB.LoadCentres(ctx, cs)
}

// hashSlots bounds concurrent password hashes: two cores, 19 MiB each.
const hashSlots = 4

// senders picks each channel's transport: in demo mode messages are only
// kept (and shown at /dev/buzon); otherwise SMTP and the SMS gateway as
// configured. A channel with no transport keeps its messages queued and
// retried, with a warning, rather than dropping them.
func (a *App) senders() map[notify.Channel]notify.Sender {
	if a.Config.Demo {
		return map[notify.Channel]notify.Sender{notify.Email: notify.Keep{}, notify.SMS: notify.Keep{}}
	}
	out := map[notify.Channel]notify.Sender{}
	if a.Config.SMTPAddr != "" {
		s, err := notify.NewSMTPSender(notify.SMTPConfig{Addr: a.Config.SMTPAddr, From: a.Config.SMTPFrom,
			Username: a.Config.SMTPUser, Password: a.Config.SMTPPassword, Security: a.Config.SMTPSecurity})
		if err == nil {
			out[notify.Email] = s
		} else {
			a.Log.Error("e-mail disabled", "err", err)
		}
	}
	if a.Config.SMSURL != "" {
		out[notify.SMS] = notify.NewSMSGateway(a.Config.SMSURL, a.Config.SMSToken)
	}
	for _, ch := range []notify.Channel{notify.Email, notify.SMS} {
		if out[ch] == nil {
			a.Log.Warn("no transport configured: messages stay queued", "channel", ch)
			out[ch] = notify.Unconfigured{}
		}
	}
	return out
}

func (a *App) buildSites() error {
	src := web.Sources{Layout: web.LayoutTemplates(), Pages: ui.Templates(), Static: web.StaticFiles()}
	if a.Config.Dev {
		src.DevDirs = &[3]string{"internal/web/templates", "internal/ui/templates", "internal/web/static"}
	}
	render, err := web.NewRenderer(src, a.Log, a.Config.Demo)
	if err != nil {
		return err
	}
	render.SessionTimes(account.IdleTimeout-account.TouchEvery-account.TouchFlush, account.IdleWarning)
	render.Menus(ui.Menus())
	a.Site = ui.New(ui.Deps{Render: render, Log: a.Log, Ready: map[string]ui.Checker{"database": a.DB, "outbox_worker": workerCheck{a}},
		Metrics: a.Metrics, Pages: a.Figures.Pages(), Blocked: a.Alerts,
		SignIn: a.SignIn, Sessions: a.Sessions, Accounts: a.DB, People: a.DB, Outbox: a.Outbox, Demo: a.Config.Demo,
		Registration: a.Register, Human: a.Human, Recovery: a.Recovery, Settings: a.Settings,
		Savings: savings.NewService(a.DB), Jobs: a.DB, References: a.DB, Notices: a.DB,
		Requests: a.Requests, Export: a.DB, Bookings: a.Bookings, PublicBooking: a.PublicBooking,
		Credits: a.Credits, Payments: a.Payments, Gateway: a.gateway, Sandbox: a.Sandbox,
		Documents: ui.DocumentDeps{Issuer: a.Documents, Credit: a.CreditDocuments}, Servicing: a.Servicing,
		Origination: a.Origination}).Routes()
	adminRender, err := web.NewRenderer(web.Sources{Layout: admin.Templates(), Pages: admin.Templates(), Partials: web.LayoutTemplates(),
		Static: web.StaticFiles()}, a.Log, a.Config.Demo)
	if err != nil {
		return err
	}
	a.Admin = admin.New(admin.Deps{Render: adminRender, Log: a.Log, Operators: a.Operators, Requests: a.Requests, People: a.DB,
		Audit: a.Audit, AuditLog: a.DB, Issuer: "Operación Mi Cuenta", Now: func() time.Time { return a.clock.Now() }, Demo: a.Config.Demo, Bookings: a.Bookings, Centres: a.DB, Metrics: a.Metrics, Alerts: a.Alerts, Figures: a.Figures,
		Facts: admin.FactsList{a.Servicing, a.Origination}, Stages: a.Origination}).Routes()
	return nil
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Listen opens the site's listener, so callers can print the real address
// (the port may be :0) before serving.
func (a *App) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %v; choose another address with --addr", a.Config.Addr, errors.Unwrap(err))
	}
	return ln, nil
}

// ListenAdmin opens the back office's listener, or returns nil when the
// configuration serves none.
func (a *App) ListenAdmin() (net.Listener, error) {
	if a.Config.AdminAddr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", a.Config.AdminAddr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %v; choose another address with --admin-addr, or --admin-addr= for no back office", a.Config.AdminAddr, errors.Unwrap(err))
	}
	return ln, nil
}

// Serve answers requests on ln until ctx ends, then shuts down gracefully:
// it stops accepting, lets requests in flight finish within the configured
// time-out, and returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           web.TrustProxies(a.Config.TrustedProxies, a.Site),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	// The outbox worker runs beside the server (issue 4): on one machine
	// that is all the deployment there is; on PostgreSQL more workers can
	// run as `micuenta worker` and they share the queue safely.
	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		if a.EmbeddedWorker {
			_ = a.Worker.Run(workerCtx)
		}
	}()
	defer func() { stopWorker(); <-workerDone }()
	housekeepDone := make(chan struct{})
	go func() { defer close(housekeepDone); a.housekeepLoop(workerCtx) }()
	defer func() { stopWorker(); <-housekeepDone }()
	// Deferred after the server's shutdown has let the requests in flight
	// finish, so the last flush has every touch they made.
	a.Sessions.BatchTouches()
	touchesDone := make(chan struct{})
	go func() { defer close(touchesDone); a.touchLoop(workerCtx) }()
	defer func() { stopWorker(); <-touchesDone }()

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	var adminSrv *http.Server
	if a.AdminListener != nil {
		adminSrv = &http.Server{Handler: a.Admin, ReadHeaderTimeout: srv.ReadHeaderTimeout, ReadTimeout: srv.ReadTimeout,
			WriteTimeout: srv.WriteTimeout, IdleTimeout: srv.IdleTimeout, MaxHeaderBytes: srv.MaxHeaderBytes, ErrorLog: srv.ErrorLog}
		go func() { errc <- adminSrv.Serve(a.AdminListener) }()
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.Log.Info("shutting down", "timeout", a.Config.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	if adminSrv != nil {
		if err := adminSrv.Shutdown(sctx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// paymentReceived tells the person, in their inbox and by e-mail, that an
// online payment was posted to their credit.
func (a *App) paymentReceived(ctx context.Context, p *credit.OnlinePayment) error {
	subject := "Recibimos tu pago de " + p.Amount.String()
	body := "Aplicamos tu pago en línea de " + p.Amount.String() + " a tu crédito. Número de operación: " + p.ProviderPaymentID +
		". Consulta tus movimientos en Mi Cuenta > Mi crédito."
	if err := a.DB.AddNotice(ctx, p.PersonID, "pago", "pago:"+p.IntentID, subject, body); err != nil {
		return err
	}
	to, ok, err := a.DB.RequestRecipient(ctx, p.PersonID)
	if err != nil || !ok || to.Email == "" {
		return err
	}
	_, err = a.Outbox.Enqueue(ctx, notify.Message{Channel: notify.Email, To: to.Email, Priority: notify.PriorityNotice,
		Subject: subject, Body: "Hola:\n\n" + body + "\n\nMi Cuenta\n"})
	return err
}

// countedAudit counts every audit event by action as it is written, so
// sign-in outcomes and the like show in /metrics without a query.
type countedAudit struct {
	audit.Store
	m *metrics.Registry
}

func (c countedAudit) AppendAudit(ctx context.Context, e audit.Entry) error {
	if err := c.Store.AppendAudit(ctx, e); err != nil {
		return err
	}
	c.m.Add("micuenta_audit_events_total", 1, e.Action)
	return nil
}

// workerCheck is /readyz's view of the embedded outbox worker: healthy
// when this process does not run one.
type workerCheck struct{ a *App }

func (w workerCheck) Ping(ctx context.Context) error {
	if !w.a.EmbeddedWorker {
		return nil
	}
	return w.a.Worker.Ping(ctx)
}

// securityNotice e-mails the security contact about a new alert.
func (a *App) securityNotice(ctx context.Context, al *alert.Alert) error {
	if a.Config.SecurityEmail == "" {
		return nil
	}
	_, err := a.Outbox.Enqueue(ctx, notify.Message{Channel: notify.Email, To: a.Config.SecurityEmail, Priority: notify.PriorityCode,
		Subject: "Alerta de seguridad: " + alert.Titles[al.Rule],
		Body: "Regla: " + alert.Titles[al.Rule] + "\nSujeto: " + al.Subject + "\nDetalle: " + al.Detail +
			"\n\nConsulta Operación > Alertas de seguridad.\n"})
	return err
}
