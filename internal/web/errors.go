package web

import (
	"context"
	"errors"
	"net/http"

	"micuenta/internal/portal"
)

// ErrorView is the data of the error page.
type ErrorView struct {
	Status    int
	Heading   string
	Message   string
	RequestID string
}

var (
	notFound      = portal.Errorf(portal.ENOTFOUND, "La página que buscas no existe o cambió de dirección. Revisa la dirección o vuelve al inicio.")
	errorInternal = portal.Errorf(portal.EINTERNAL, "")
)

// statusOf is the one place that maps error codes to HTTP statuses.
func statusOf(code string) int {
	switch code {
	case portal.EINVALID:
		return http.StatusBadRequest
	case portal.ENOTFOUND:
		return http.StatusNotFound
	case portal.ECONFLICT:
		return http.StatusConflict
	case portal.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case portal.EFORBIDDEN:
		return http.StatusForbidden
	case portal.ERATELIMIT:
		return http.StatusTooManyRequests
	case portal.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

var headings = map[int]string{
	http.StatusBadRequest:            "No pudimos procesar tu solicitud",
	http.StatusNotFound:              "No encontramos la página",
	http.StatusMethodNotAllowed:      "Esa acción no está permitida aquí",
	http.StatusConflict:              "No pudimos completar la acción",
	http.StatusUnauthorized:          "Necesitas ingresar a tu cuenta",
	http.StatusForbidden:             "No tienes permiso para ver esto",
	http.StatusRequestEntityTooLarge: "El envío es demasiado grande",
	http.StatusTooManyRequests:       "Demasiados intentos",
	http.StatusServiceUnavailable:    "El servicio no está disponible en este momento",
	http.StatusInternalServerError:   "Tuvimos un problema",
}

var defaultMessages = map[int]string{
	http.StatusMethodNotAllowed:      "Regresa a la página anterior y usa los botones del portal.",
	http.StatusRequestEntityTooLarge: "Lo que enviaste supera el tamaño permitido. Revisa tus datos o archivos e intenta de nuevo.",
	http.StatusInternalServerError:   "Ocurrió un error inesperado de nuestro lado. Intenta de nuevo en unos minutos; si continúa, comunícate a Infonatel y menciona el folio de la falla.",
	http.StatusServiceUnavailable:    "Estamos teniendo dificultades técnicas. Intenta de nuevo en unos minutos.",
}

// StatusClientClosed is what a request is counted as (in the metrics and
// the request log) when its client went away before the answer: nginx's
// 499, "client closed request".
const StatusClientClosed = 499

// Error answers a request that failed with the error page. Internal errors
// are logged with the request id and shown without any detail; every
// other code shows its own Spanish message.
//
// A request whose client went away (a closed tab, a phone that lost its
// signal) has its context cancelled, and the statement it was running is
// interrupted: that is no failure of the portal, and nobody is left to
// read a page. It is counted as 499 and logged below error level, so
// the error log and the 5xx figures keep to the portal's own failures.
func (r *Renderer) Error(w http.ResponseWriter, req *http.Request, err error) {
	if errors.Is(req.Context().Err(), context.Canceled) {
		r.log.Info("request abandoned by its client", "err", err, "method", req.Method, "path", req.URL.Path, "request_id", RequestID(req.Context()))
		w.WriteHeader(StatusClientClosed)
		return
	}
	code := portal.ErrorCode(err)
	status := statusOf(code)
	rid := RequestID(req.Context())
	var pe *portal.Error
	if status >= 500 || !errors.As(err, &pe) {
		r.log.Error("request failed", "err", err, "code", code, "method", req.Method, "path", req.URL.Path, "request_id", rid)
		r.renderError(w, req, status, nil, rid)
		return
	}
	r.renderError(w, req, status, pe, rid)
}

// ErrorStatus answers with the error page for a bare status (405, 413 …).
func (r *Renderer) ErrorStatus(w http.ResponseWriter, req *http.Request, status int) {
	r.renderError(w, req, status, nil, RequestID(req.Context()))
}

func (r *Renderer) renderError(w http.ResponseWriter, req *http.Request, status int, pe *portal.Error, rid string) {
	v := ErrorView{Status: status, Heading: headings[status], Message: defaultMessages[status]}
	if v.Heading == "" {
		v.Heading = headings[http.StatusBadRequest]
	}
	if pe != nil && pe.Message != "" {
		v.Message = pe.Message
	}
	if status >= 500 {
		v.RequestID = rid
	}
	r.Render(w, req, status, "error", v)
}

// FormFailure shows a form again with a service's refusal at field, or
// the error page for anything that is not about the input.
func (r *Renderer) FormFailure(w http.ResponseWriter, req *http.Request, tpl string, data any, form *Form, field string, err error) {
	switch portal.ErrorCode(err) {
	case portal.EINVALID, portal.EUNAUTHORIZED, portal.ECONFLICT:
		form.Fail(field, portal.ErrorMessage(err))
		r.Render(w, req, http.StatusBadRequest, tpl, data)
	case portal.ERATELIMIT:
		form.Fail(field, portal.ErrorMessage(err))
		w.Header().Set("Retry-After", "60")
		r.Render(w, req, http.StatusTooManyRequests, tpl, data)
	case portal.ENOTFOUND:
		form.Fail(field, portal.ErrorMessage(err))
		r.Render(w, req, http.StatusNotFound, tpl, data)
	default:
		r.Error(w, req, err)
	}
}

// FormError answers a body that could not be read: too large, or not a
// form at all.
func (r *Renderer) FormError(w http.ResponseWriter, req *http.Request, err error) {
	if errors.Is(err, ErrBodyTooLarge) {
		r.ErrorStatus(w, req, http.StatusRequestEntityTooLarge)
		return
	}
	r.Error(w, req, portal.Wrap(portal.EINVALID, err, "No pudimos leer lo que enviaste. Vuelve a intentarlo."))
}
