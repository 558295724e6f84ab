package ui

import (
	"net/http"
	"strings"

	"micuenta/internal/portal"

	"micuenta/internal/web"
)

// maxBody bounds every request body of the people's site; uploads get
// their own larger limit on their own routes.
const maxBody = 64 << 10

// Routes returns the whole site with its middleware, outermost first:
// request id, logging, panic recovery, security headers, cross-origin
// protection, body limit.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", h.render.StaticHandler())
	mux.HandleFunc("GET /healthz", h.healthz)
	mux.HandleFunc("GET /readyz", h.readyz)

	mux.HandleFunc("GET /{$}", h.page("inicio"))
	mux.HandleFunc("GET /ayuda", h.page("ayuda"))
	mux.HandleFunc("GET /privacidad", h.page("privacidad"))
	mux.HandleFunc("GET /terminos", h.page("terminos"))
	mux.HandleFunc("GET /verificar", h.showVerifyForm)
	mux.HandleFunc("GET /verificar/{folio}", h.showVerify)
	mux.HandleFunc("POST /verificar/{folio}", h.submitVerify)

	mux.HandleFunc("GET /registro", h.showRegistration)
	mux.HandleFunc("POST /registro", h.submitRegistration)
	mux.HandleFunc("GET /registro/nombre", h.showRegName)
	mux.HandleFunc("POST /registro/nombre", h.submitRegName)
	mux.HandleFunc("GET /registro/contacto", h.showRegContact)
	mux.HandleFunc("POST /registro/contacto", h.submitRegContact)
	mux.HandleFunc("GET /registro/codigos", h.showRegCodes)
	mux.HandleFunc("POST /registro/codigos", h.submitRegCodes)
	mux.HandleFunc("GET /registro/contrasena", h.showRegPassword)
	mux.HandleFunc("POST /registro/contrasena", h.submitRegPassword)

	mux.HandleFunc("GET /recuperar", h.showRecovery)
	mux.HandleFunc("POST /recuperar", h.submitRecovery)
	mux.HandleFunc("GET /recuperar/nueva", h.showRecoveryReset)
	mux.HandleFunc("POST /recuperar/nueva", h.submitRecoveryReset)

	mux.HandleFunc("GET /borrar-cuenta", h.showDeletion)
	mux.HandleFunc("POST /borrar-cuenta", h.submitDeletion)
	mux.HandleFunc("GET /borrar-cuenta/codigo", h.showDeletionCode)
	mux.HandleFunc("POST /borrar-cuenta/codigo", h.submitDeletionCode)

	mux.HandleFunc("GET /ingresar", h.showSignIn)
	mux.HandleFunc("POST /ingresar", h.submitSignIn)
	mux.HandleFunc("GET /ingresar/dispositivo", h.showDevice)
	mux.HandleFunc("POST /ingresar/dispositivo", h.submitDevice)
	mux.HandleFunc("POST /salir", h.signOut)
	mux.HandleFunc("GET /mi-cuenta", h.requireSession(h.showSummary))
	mux.HandleFunc("POST /mi-cuenta/sesion", h.keepSession)
	mux.HandleFunc("GET /mi-cuenta/ahorro", h.requireSession(h.showSavings))
	mux.HandleFunc("GET /mi-cuenta/ahorro/movimientos.csv", h.requireSession(h.savingsCSV))
	mux.HandleFunc("GET /mi-cuenta/ahorro/movimientos.pdf", h.requireSession(h.savingsPDF))
	mux.HandleFunc("GET /mi-cuenta/relaciones-laborales", h.requireSession(h.showJobs))
	mux.HandleFunc("GET /mi-cuenta/ahorro/calculadora", h.requireSession(h.showCalculator))
	mux.HandleFunc("GET /mi-cuenta/tramites", h.requireSession(h.showRequests))
	for name := range newRequestForms {
		mux.HandleFunc("GET /mi-cuenta/tramites/nuevo/"+name, h.requireSession(h.showNewRequest))
		mux.HandleFunc("POST /mi-cuenta/tramites/nuevo/"+name, h.requireSession(h.submitNewRequest))
	}
	mux.HandleFunc("GET /mi-cuenta/tramites/{folio}", h.requireSession(h.showRequest))
	mux.HandleFunc("POST /mi-cuenta/tramites/{folio}", h.requireSession(h.actOnRequest))
	mux.HandleFunc("GET /mi-cuenta/tramites/{folio}/documentos/{id}", h.requireSession(h.requestDocument))
	mux.HandleFunc("GET /mi-cuenta/tramites/{folio}/mis-datos.json", h.requireSession(h.personalDataFile))
	mux.HandleFunc("GET /mi-cuenta/credito", h.requireSession(h.showCredit))
	mux.HandleFunc("GET /mi-cuenta/credito/movimientos.csv", h.requireSession(h.creditCSV))
	mux.HandleFunc("GET /mi-cuenta/credito/como-pagar", h.requireSession(h.showHowToPay))
	mux.HandleFunc("GET /mi-cuenta/credito/ficha-de-pago.pdf", h.requireSession(h.creditSlip))
	mux.HandleFunc("GET /mi-cuenta/credito/estados-de-cuenta", h.requireSession(h.showStatements))
	mux.HandleFunc("GET /mi-cuenta/credito/estados-de-cuenta/{mes}", h.requireSession(h.statementPDF))
	mux.HandleFunc("GET /mi-cuenta/credito/constancia-intereses", h.requireSession(h.showInterest))
	mux.HandleFunc("GET /mi-cuenta/credito/constancia-intereses/{archivo}", h.requireSession(h.interestPDF))
	mux.HandleFunc("GET /mi-cuenta/credito/avisos", h.requireSession(h.showAvisos))
	mux.HandleFunc("GET /mi-cuenta/credito/avisos/{archivo}", h.requireSession(h.avisoPDF))
	mux.HandleFunc("GET /mi-cuenta/credito/cancelacion-hipoteca", h.requireSession(h.showCancellation))
	mux.HandleFunc("GET /mi-cuenta/credito/cancelacion-hipoteca/carta.pdf", h.requireSession(h.cancellationPDF))
	mux.HandleFunc("GET /mi-cuenta/credito/pagos/{intent}/comprobante.pdf", h.requireSession(h.paymentReceipt))
	mux.HandleFunc("GET /mi-cuenta/credito/pagar", h.requireSession(h.showPay))
	mux.HandleFunc("POST /mi-cuenta/credito/pagar", h.requireSession(h.submitPay))
	mux.HandleFunc("GET /mi-cuenta/credito/pagos/{intent}", h.requireSession(h.showPayment))
	mux.HandleFunc("GET /mi-cuenta/credito/responsabilidad-compartida", h.requireSession(h.showForm("credito-responsabilidad", h.conversionData)))
	mux.HandleFunc("POST /mi-cuenta/credito/responsabilidad-compartida", h.requireSession(h.submitConversion))
	mux.HandleFunc("GET /mi-cuenta/credito/proteccion", h.requireSession(h.showForm("credito-proteccion", h.protectionData)))
	mux.HandleFunc("POST /mi-cuenta/credito/proteccion", h.requireSession(h.submitProtection))
	mux.HandleFunc("GET /mi-cuenta/credito/escrituras", h.requireSession(h.showForm("credito-escrituras", h.deedsData)))
	mux.HandleFunc("POST /mi-cuenta/credito/escrituras", h.requireSession(h.submitDeeds))
	mux.HandleFunc("GET /mi-cuenta/credito/devolucion-pagos-exceso", h.requireSession(h.showForm("credito-pagos-exceso", h.overpaidData)))
	mux.HandleFunc("POST /mi-cuenta/credito/devolucion-pagos-exceso", h.requireSession(h.submitOverpaid))
	mux.HandleFunc("GET /mi-cuenta/devolucion-ahorro", h.requireSession(h.showForm("devolucion-ahorro", h.refundData)))
	mux.HandleFunc("POST /mi-cuenta/devolucion-ahorro", h.requireSession(h.submitRefund))
	mux.HandleFunc("GET /mi-cuenta/precalificacion", h.requireSession(h.showPrequal))
	mux.HandleFunc("GET /mi-cuenta/precalificacion/simulador", h.requireSession(h.showSimulator))
	mux.HandleFunc("GET "+applicationPath, h.requireSession(h.showApplication))
	mux.HandleFunc("POST "+applicationPath, h.requireSession(h.submitApplication))
	mux.HandleFunc("POST /pagos/notificaciones", h.paymentNotice)
	if h.sandbox != nil {
		mux.HandleFunc("GET /pagos/sandbox/{intent}", h.requireSession(h.showSandbox))
		mux.HandleFunc("POST /pagos/sandbox/{intent}", h.requireSession(h.submitSandbox))
	}
	mux.HandleFunc("GET /mi-cuenta/citas", h.requireSession(h.showAppointments))
	mux.HandleFunc("GET /mi-cuenta/citas/nueva", h.requireSession(h.showNewAppointment))
	mux.HandleFunc("POST /mi-cuenta/citas/nueva", h.requireSession(h.submitNewAppointment))
	mux.HandleFunc("GET /mi-cuenta/citas/{code}", h.requireSession(h.showAppointment))
	mux.HandleFunc("POST /mi-cuenta/citas/{code}", h.requireSession(h.cancelAppointment))
	mux.HandleFunc("GET /mi-cuenta/citas/{code}/cita.ics", h.requireSession(h.appointmentICS))
	mux.HandleFunc("GET /citas", h.showPublicAppointments)
	mux.HandleFunc("POST /citas", h.submitPublicAppointments)
	mux.HandleFunc("GET /citas/codigo", h.showPublicCode)
	mux.HandleFunc("POST /citas/codigo", h.submitPublicCode)
	mux.HandleFunc("GET /citas/horario", h.showPublicSlots)
	mux.HandleFunc("POST /citas/horario", h.submitPublicSlot)
	mux.HandleFunc("GET /mi-cuenta/notificaciones", h.requireSession(h.showNotices))
	mux.HandleFunc("POST /mi-cuenta/notificaciones", h.requireSession(h.submitNotices))
	mux.HandleFunc("GET /mi-cuenta/seguridad", h.requireSession(h.showSecurity))
	mux.HandleFunc("POST /mi-cuenta/seguridad", h.requireSession(h.securityAction))
	mux.HandleFunc("POST /mi-cuenta/seguridad/contrasena", h.requireSession(h.submitPasswordChange))
	mux.HandleFunc("GET /mi-cuenta/datos", h.requireSession(h.showContact))
	mux.HandleFunc("POST /mi-cuenta/datos", h.requireSession(h.submitContact))
	mux.HandleFunc("GET /mi-cuenta/datos/codigo", h.requireSession(h.showContactCode))
	mux.HandleFunc("POST /mi-cuenta/datos/codigo", h.requireSession(h.submitContactCode))
	mux.HandleFunc("GET /dev/buzon", h.showMailbox)

	var handler http.Handler = h.render.Unmatched(mux)
	if h.pages != nil {
		handler = h.pages.Wrap(handler)
	}
	if h.metrics != nil {
		handler = h.metrics.Requests("personas", handler)
	}
	handler = h.withSession(handler)
	handler = h.refuseBlocked(handler)
	handler = web.LimitBodyFunc(bodyLimit, handler)
	handler = h.render.CrossOrigin(handler)
	handler = web.SecurityHeaders(handler)
	handler = h.render.Recover(handler)
	handler = web.LogRequests(h.log, handler)
	return web.WithRequestID(handler)
}

// bodyLimit lets the request forms, which carry documents, take more than
// the rest of the site.
func bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && r.URL.Path == applicationPath {
		return maxApplicationBody // one file per document of the credit application
	}
	if r.Method == http.MethodPost && (strings.HasPrefix(r.URL.Path, "/mi-cuenta/tramites/") || uploadRoutes[r.URL.Path]) {
		return maxUploadBody
	}
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/verificar/") {
		return maxVerifyBody
	}
	return maxBody
}

// refuseBlocked answers every form sent from an address the
// suspicious-activity rules blocked (credential stuffing, code guessing)
// with 429, before any password or code is checked; pages still load, so
// a person behind the same address can read why.
func (h *Handler) refuseBlocked(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.blocked != nil && r.Method == http.MethodPost && r.URL.Path != "/pagos/notificaciones" {
			blocked, err := h.blocked.Blocked(r.Context(), web.ClientIP(r))
			if err != nil {
				h.render.Error(w, r, err)
				return
			}
			if blocked {
				w.Header().Set("Retry-After", "3600")
				h.render.Error(w, r, portal.Errorf(portal.ERATELIMIT, "Por seguridad bloqueamos por un tiempo los envíos desde tu conexión: detectamos demasiados intentos fallidos. Intenta más tarde o llama a Infonatel al 800 008 3900."))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
