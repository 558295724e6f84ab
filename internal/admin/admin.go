// Package admin is the operators' back office (issue 6): a separate site,
// served on its own listener, with its own session cookie and sign-in
// (password and a mandatory TOTP second factor), where fund staff work
// the queue of requests by role. Every view of a person's data by an
// operator is written to the audit log.
package admin

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"micuenta/internal/alert"
	"micuenta/internal/appointment"
	"micuenta/internal/audit"
	"micuenta/internal/figures"
	"micuenta/internal/metrics"
	"micuenta/internal/operator"
	"micuenta/internal/person"
	"micuenta/internal/request"
	"micuenta/internal/servicing"
	"micuenta/internal/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Templates returns the back office's layout, error page and pages.
func Templates() fs.FS {
	sub, _ := fs.Sub(templateFiles, "templates")
	return sub
}

// SessionCookie is the back office's own cookie. Cookies do not keep
// ports apart, so it has a name of its own: the people's site never reads
// or sets it.
const SessionCookie = "__Host-operacion"

// maxBody bounds every request body of the back office: forms only.
const maxBody = 64 << 10

// AuditReader reads the audit log (auditors).
type AuditReader interface {
	RecentAudit(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
}

// Handler serves the back office.
type Handler struct {
	render    *web.Renderer
	log       *slog.Logger
	operators *operator.Service
	requests  *request.Service
	people    person.Store
	audit     *audit.Log
	auditLog  AuditReader
	issuer    string
	now       func() time.Time
	demo      bool
	bookings  *appointment.Bookings
	centres   CentreAdmin
	metrics   *metrics.Registry
	alerts    *alert.Detector
	figures   *figures.Service
	facts     RequestFacts
	stages    RequestStages
}

// RequestFacts work out what an operator needs to decide a request from
// the records as they are now: for the requests after the credit, the
// eligibility today, the simulation, the amounts, the CLABE.
type RequestFacts interface {
	Facts(ctx context.Context, q *request.Request) ([]servicing.Section, error)
}

// Deps are what the back office works with.
type Deps struct {
	Render    *web.Renderer
	Log       *slog.Logger
	Operators *operator.Service
	Requests  *request.Service
	People    person.Store
	Audit     *audit.Log
	AuditLog  AuditReader
	// Issuer names the site in authenticator apps.
	Issuer string
	Now    func() time.Time
	// Demo shows the current second-factor code on the sign-in page, for
	// visitors of the throwaway demo only.
	Demo bool
	// Bookings and Centres are the service centres' agendas.
	Bookings *appointment.Bookings
	Centres  CentreAdmin
	// Metrics are served at /metrics on this (internal) listener.
	Metrics *metrics.Registry
	// Alerts are the suspicious-activity alerts.
	Alerts *alert.Detector
	// Figures are the portal's own figures for the dashboard.
	Figures *figures.Service
	// Facts, when set, add to a request's page what deciding it needs.
	Facts RequestFacts
	// Stages, when set, list the stages of the request types that have
	// them and move such a request from one to the next.
	Stages RequestStages
}

// New builds the back office's handler.
func New(d Deps) *Handler {
	return &Handler{render: d.Render, log: d.Log, operators: d.Operators, requests: d.Requests, people: d.People,
		audit: d.Audit, auditLog: d.AuditLog, issuer: d.Issuer, now: d.Now, demo: d.Demo, bookings: d.Bookings, centres: d.Centres, metrics: d.Metrics, alerts: d.Alerts, figures: d.Figures,
		facts: d.Facts, stages: d.Stages}
}

// Routes returns the whole back office with its middleware (the same
// protections as the people's site).
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", h.render.StaticHandler())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/admin/", http.StatusSeeOther) })
	mux.HandleFunc("GET /admin/{$}", h.requireSignedIn(h.home))
	mux.HandleFunc("GET /admin/entrar", h.showSignIn)
	mux.HandleFunc("POST /admin/entrar", h.submitSignIn)
	mux.HandleFunc("GET /admin/entrar/codigo", h.showCode)
	mux.HandleFunc("POST /admin/entrar/codigo", h.submitCode)
	mux.HandleFunc("POST /admin/salir", h.signOut)
	mux.HandleFunc("GET /admin/contrasena", h.requireComplete(h.showPassword))
	mux.HandleFunc("POST /admin/contrasena", h.requireComplete(h.submitPassword))

	mux.HandleFunc("GET /admin/tramites", h.require(operator.WorkRequests, h.showQueue))
	mux.HandleFunc("GET /admin/tramites/{folio}", h.require(operator.WorkRequests, h.showRequest))
	mux.HandleFunc("POST /admin/tramites/{folio}", h.require(operator.WorkRequests, h.actOnRequest))
	mux.HandleFunc("GET /admin/tramites/{folio}/documentos/{id}", h.require(operator.WorkRequests, h.requestDocument))

	mux.HandleFunc("GET /admin/citas", h.require(operator.WorkRequests, h.showAgenda))
	mux.HandleFunc("POST /admin/citas/{code}", h.require(operator.WorkRequests, h.markAppointment))
	mux.HandleFunc("GET /admin/centros/{code}", h.require(operator.Reassign, h.showCentre))
	mux.HandleFunc("POST /admin/centros/{code}", h.require(operator.Reassign, h.submitCentre))

	mux.HandleFunc("GET /admin/operadores", h.require(operator.ManageOperators, h.showOperators))
	mux.HandleFunc("POST /admin/operadores", h.require(operator.ManageOperators, h.submitOperators))

	mux.HandleFunc("GET /admin/auditoria", h.require(operator.ReadAudit, h.showAudit))
	mux.HandleFunc("GET /admin/alertas", h.require(operator.SeeAlerts, h.showAlerts))
	mux.HandleFunc("GET /admin/tablero", h.require(operator.SeeFigures, h.showDashboard))
	mux.HandleFunc("GET /admin/tablero.csv", h.require(operator.SeeFigures, h.dashboardCSV))

	if h.metrics != nil {
		mux.Handle("GET /metrics", h.metrics.Handler())
	}
	var handler http.Handler = h.render.Unmatched(mux)
	if h.metrics != nil {
		handler = h.metrics.Requests("operacion", handler)
	}
	handler = h.withOperator(handler)
	handler = web.LimitBody(maxBody, handler)
	handler = h.render.CrossOrigin(handler)
	handler = web.SecurityHeaders(handler)
	handler = h.render.Recover(handler)
	handler = web.LogRequests(h.log, handler)
	return web.WithRequestID(handler)
}

// home sends each role to its first page.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	o := current(r).op
	switch {
	case o.Can(operator.WorkRequests):
		http.Redirect(w, r, "/admin/tramites", http.StatusSeeOther)
	case o.Can(operator.ManageOperators):
		http.Redirect(w, r, "/admin/operadores", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/admin/auditoria", http.StatusSeeOther)
	}
}
