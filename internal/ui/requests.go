package ui

import (
	"encoding/json"
	"net/http"

	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/web"
)

// requestsPage is /mi-cuenta/tramites.
type requestsPage struct {
	Requests []requestRow
	Filed    string // the folio just filed
}

type requestRow struct {
	Folio, Kind, State, Received, Due string
	Final                             bool
}

var kindNames = map[string]string{request.Correccion.Prefix: "Corrección de datos"}

func (h *Handler) showRequests(w http.ResponseWriter, r *http.Request) {
	pid, err := h.personID(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	rs, err := h.requests.Mine(r.Context(), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page := requestsPage{Filed: r.URL.Query().Get("folio")}
	for _, q := range rs {
		page.Requests = append(page.Requests, requestRow{Folio: q.Folio, Kind: kindNames[q.Kind], State: request.Names[q.State],
			Received: portal.DateOf(q.ReceivedAt).Spanish(), Due: q.DueOn.Spanish(), Final: q.State.Final()})
	}
	h.render.Render(w, r, http.StatusOK, "tramites", page)
}

// requestPage is /mi-cuenta/tramites/{folio}.
type requestPage struct {
	Form      *web.Form
	Folio     string
	Kind      string
	State     string
	Due       string
	Detail    []detailRow
	Events    []eventRow
	CanAnswer bool
	CanCancel bool
}

type detailRow struct{ Label, Value string }

type eventRow struct{ When, State, Who, Message string }

var actorNames = map[request.Actor]string{request.Owner: "Tú", request.Operator: "Personal del Fondo", request.System: "Mi Cuenta"}

// ownRequest loads a request of the signed-in person; anyone else's, or a
// folio that does not exist, is the same 404.
func (h *Handler) ownRequest(r *http.Request) (*request.Request, error) {
	pid, err := h.personID(r)
	if err != nil {
		return nil, err
	}
	q, err := h.requests.Find(r.Context(), r.PathValue("folio"))
	if err != nil || q.PersonID != pid {
		return nil, portal.Errorf(portal.ENOTFOUND, "No encontramos ese trámite entre los tuyos. Revisa el folio en tu lista de trámites.")
	}
	return q, nil
}

func (h *Handler) requestData(r *http.Request, q *request.Request, form *web.Form) (requestPage, error) {
	page := requestPage{Form: form, Folio: q.Folio, Kind: kindNames[q.Kind], State: request.Names[q.State], Due: q.DueOn.Spanish(),
		CanAnswer: q.State == request.RequiereInfo, CanCancel: request.CanMove(q.State, request.Cancelada, request.Owner)}
	if q.Kind == request.Correccion.Prefix {
		var d request.CorrectionData
		if json.Unmarshal(q.Data, &d) == nil {
			page.Detail = []detailRow{{"Dato a corregir", request.FieldNames[d.Field]}, {"Valor correcto", d.Value}}
			if d.Reason != "" {
				page.Detail = append(page.Detail, detailRow{"Motivo", d.Reason})
			}
		}
	}
	events, err := h.requests.Timeline(r.Context(), q)
	if err != nil {
		return page, err
	}
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		page.Events = append(page.Events, eventRow{When: portal.DateOf(e.At).Spanish() + " " + e.At.In(portal.MexicoCity).Format("15:04"),
			State: request.Names[e.To], Who: actorNames[e.Actor], Message: e.Message})
	}
	return page, nil
}

func (h *Handler) showRequest(w http.ResponseWriter, r *http.Request) {
	q, err := h.ownRequest(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page, err := h.requestData(r, q, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "tramite", page)
}

// actOnRequest answers a "requiere información" or cancels.
func (h *Handler) actOnRequest(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	q, err := h.ownRequest(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	to, message := request.Cancelada, "Cancelaste el trámite."
	if form.Get("accion") == "responder" {
		to, message = request.EnRevision, form.Get("respuesta")
		if n := len([]rune(message)); n == 0 || n > 1000 {
			form.Fail("respuesta", "Escribe tu respuesta, en 1000 caracteres o menos.")
		}
	} else if form.Get("accion") != "cancelar" {
		form.Fail("respuesta", "Esa acción no existe. Vuelve a cargar la página.")
	}
	if !form.HasErrors() {
		if _, err = h.requests.Move(r.Context(), q.Folio, to, request.Owner, 0, message); err == nil {
			http.Redirect(w, r, "/mi-cuenta/tramites/"+q.Folio, http.StatusSeeOther)
			return
		}
	}
	page, perr := h.requestData(r, q, form)
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	if form.HasErrors() {
		h.render.Render(w, r, http.StatusBadRequest, "tramite", page)
		return
	}
	h.formFailure(w, r, "tramite", page, form, "respuesta", err)
}

// correctionPage is /mi-cuenta/tramites/nuevo/correccion.
type correctionPage struct {
	Form    *web.Form
	Current []detailRow
}

func (h *Handler) correctionData(r *http.Request, form *web.Form) (correctionPage, error) {
	pid, err := h.personID(r)
	if err != nil {
		return correctionPage{}, err
	}
	p, err := h.people.FindPersonByID(r.Context(), pid)
	if err != nil {
		return correctionPage{}, err
	}
	return correctionPage{Form: form, Current: []detailRow{{"Nombre", p.FullName()}, {"CURP", p.CURP.Masked()}, {"RFC", p.RFC.Masked()}}}, nil
}

func (h *Handler) showCorrection(w http.ResponseWriter, r *http.Request) {
	page, err := h.correctionData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "tramite-correccion", page)
}

func (h *Handler) submitCorrection(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	data, errs := request.ParseCorrection(form.Get("campo"), form.Get("valor"), form.Get("motivo"))
	if len(errs) > 0 {
		for _, k := range []string{"campo", "valor", "motivo"} {
			if msg, ok := errs[k]; ok {
				form.Fail(k, msg)
			}
		}
		page, err := h.correctionData(r, form)
		if err != nil {
			h.render.Error(w, r, err)
			return
		}
		h.render.Render(w, r, http.StatusBadRequest, "tramite-correccion", page)
		return
	}
	pid, err := h.personID(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	q, err := h.requests.File(r.Context(), request.Correccion, pid, data)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/mi-cuenta/tramites?folio="+q.Folio, http.StatusSeeOther)
}
