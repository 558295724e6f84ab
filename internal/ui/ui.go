// Package ui is the people's site: its routes and one handler per page or
// action. Handlers read the request, call services and render templates;
// the rules live in the services, the plumbing in package web.
package ui

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"micuenta/internal/appointment"
	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/origination"
	"micuenta/internal/reference"
	"micuenta/internal/request"
	"micuenta/internal/savings"
	"micuenta/internal/servicing"

	"micuenta/internal/account"
	"micuenta/internal/figures"
	"micuenta/internal/metrics"
	"micuenta/internal/notify"
	"micuenta/internal/payment"
	"micuenta/internal/person"
	"micuenta/internal/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Templates returns the people's site page templates.
func Templates() fs.FS {
	sub, _ := fs.Sub(templateFiles, "templates")
	return sub
}

// Checker reports whether a dependency is ready; /readyz asks each one.
type Checker interface {
	Ping(ctx context.Context) error
}

// BlockChecker says whether an address is blocked.
type BlockChecker interface {
	Blocked(ctx context.Context, ip string) (bool, error)
}

// Handler serves the people's site.
type Handler struct {
	render   *web.Renderer
	log      *slog.Logger
	ready    map[string]Checker
	signIn   *account.SignIn
	sessions *account.Sessions
	accounts account.Store
	people   person.Store
	outbox   *notify.Outbox
	demo     bool

	registration *account.Registration
	human        *account.HumanCheck
	recovery     *account.Recovery
	settings     *account.Settings
	savings      *savings.Service
	jobs         employment.Store
	refs         reference.Store
	notices      NoticeStore
	requests     *request.Service
	export       PersonalDataExport
	uploadSlots  chan struct{}

	bookings      *appointment.Bookings
	publicBooking *appointment.PublicBooking
	credits       *credit.Service
	metrics       *metrics.Registry
	pages         *figures.PageCounter
	blocked       BlockChecker
	payments      *credit.Payments
	gateway       payment.Gateway
	sandbox       *payment.Sandbox
	documents     DocumentDeps
	servicing     *servicing.Service
	origination   *origination.Service
}

// Deps are the services the site calls.
type Deps struct {
	Render   *web.Renderer
	Log      *slog.Logger
	Ready    map[string]Checker
	SignIn   *account.SignIn
	Sessions *account.Sessions
	Accounts account.Store
	People   person.Store
	Outbox   *notify.Outbox

	Registration *account.Registration
	Human        *account.HumanCheck
	Recovery     *account.Recovery
	Settings     *account.Settings
	Savings      *savings.Service
	Jobs         employment.Store
	// References are the UMA, yields and the like (the calculator).
	References reference.Store
	Notices    NoticeStore
	Requests   *request.Service
	// Export gathers a person's data for ARCO access and portability.
	Export PersonalDataExport
	// Bookings and PublicBooking are the appointments (/mi-cuenta/citas,
	// and /citas without an account).
	Bookings      *appointment.Bookings
	PublicBooking *appointment.PublicBooking
	// Credits are the borrower's pages (/mi-cuenta/credito).
	Credits *credit.Service
	// Metrics, when set, counts and times every request.
	Metrics *metrics.Registry
	// Pages, when set, counts page loads for the operations dashboard.
	Pages *figures.PageCounter
	// Blocked, when set, says which addresses the suspicious-activity
	// rules have blocked for a while.
	Blocked BlockChecker
	// Payments, Gateway and Sandbox pay credits online; Sandbox is set in
	// demo mode only (it then also serves as the Gateway).
	Payments *credit.Payments
	Gateway  payment.Gateway
	Sandbox  *payment.Sandbox
	// Documents are the credit's constancia, avisos and carta, and their
	// verification at /verificar.
	Documents DocumentDeps
	// Servicing answers the requests after the credit and the pensioner's
	// refund (/mi-cuenta/credito/responsabilidad-compartida and the rest).
	Servicing *servicing.Service
	// Origination is pre-qualification, the simulator and the credit
	// application (/mi-cuenta/precalificacion, /mi-cuenta/solicitud-credito).
	Origination *origination.Service
	// Demo enables /dev/buzon, where the messages that would have been
	// sent can be read.
	Demo bool
}

// New builds the site's handler.
func New(d Deps) *Handler {
	return &Handler{render: d.Render, log: d.Log, ready: d.Ready, signIn: d.SignIn, sessions: d.Sessions,
		accounts: d.Accounts, people: d.People, outbox: d.Outbox, demo: d.Demo, registration: d.Registration, human: d.Human, recovery: d.Recovery,
		settings: d.Settings, savings: d.Savings, jobs: d.Jobs, refs: d.References, notices: d.Notices, requests: d.Requests, export: d.Export, uploadSlots: make(chan struct{}, uploadSlots),
		bookings: d.Bookings, publicBooking: d.PublicBooking, credits: d.Credits, metrics: d.Metrics, pages: d.Pages, blocked: d.Blocked, payments: d.Payments, gateway: d.Gateway, sandbox: d.Sandbox,
		documents: d.Documents, servicing: d.Servicing, origination: d.Origination}
}

// Menus are the site's main menu for people signed out and signed in
// (web.Renderer.Menus); the signed-in menu ends with the sign-out button,
// which the layout writes.
func Menus() (signedOut, signedIn []web.NavLink) {
	return []web.NavLink{{Href: "/", Label: "Inicio"}, {Href: "/registro", Label: "Crear cuenta"}, {Href: "/ingresar", Label: "Ingresar"}, {Href: "/ayuda", Label: "Ayuda"}},
		[]web.NavLink{{Href: "/", Label: "Inicio"}, {Href: "/mi-cuenta", Label: "Mi cuenta"}, {Href: "/ayuda", Label: "Ayuda"}}
}
