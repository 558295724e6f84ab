package ui

import (
	"errors"
	"net/http"
	"net/url"

	"micuenta/internal/account"
	"micuenta/internal/appointment"
	"micuenta/internal/portal"
	"micuenta/internal/web"
)

// publicStartPage is /citas: book without signing in.
type publicStartPage struct{ Form *web.Form }

func (h *Handler) showPublicAppointments(w http.ResponseWriter, r *http.Request) {
	h.render.Render(w, r, http.StatusOK, "citas-publico", publicStartPage{Form: web.NewForm()})
}

func (h *Handler) submitPublicAppointments(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	f, err := h.publicBooking.Start(r.Context(), form.Get("nss"), form.Get("curp"), form.Get("contacto"), web.ClientIP(r))
	var fe appointment.PublicFieldErrors
	if errors.As(err, &fe) {
		for _, k := range []string{"nss", "curp", "contacto"} {
			if msg, ok := fe[k]; ok {
				form.Fail(k, msg)
			}
		}
		h.render.Render(w, r, http.StatusBadRequest, "citas-publico", publicStartPage{Form: form})
		return
	}
	if err != nil {
		h.formFailure(w, r, "citas-publico", publicStartPage{Form: form}, form, "nss", err)
		return
	}
	web.SetCookie(w, web.FlowCookie, f.ID, 0)
	http.Redirect(w, r, "/citas/codigo", http.StatusSeeOther)
}

// publicFlow loads the browser's /citas flow; without one, back to the start.
func (h *Handler) publicFlow(w http.ResponseWriter, r *http.Request) (*account.Flow, bool) {
	f, err := h.publicBooking.Flow(r.Context(), web.CookieValue(r, web.FlowCookie))
	if err != nil {
		form := web.NewForm()
		form.Fail("nss", portal.ErrorMessage(err))
		h.render.Render(w, r, http.StatusBadRequest, "citas-publico", publicStartPage{Form: form})
		return nil, false
	}
	return f, true
}

type publicCodePage struct{ Form *web.Form }

func (h *Handler) showPublicCode(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.publicFlow(w, r); !ok {
		return
	}
	h.render.Render(w, r, http.StatusOK, "citas-publico-codigo", publicCodePage{Form: web.NewForm()})
}

func (h *Handler) submitPublicCode(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	f, ok := h.publicFlow(w, r)
	if !ok {
		return
	}
	if err := h.publicBooking.Verify(r.Context(), f, form.Get("codigo")); err != nil {
		form.Set("codigo", "")
		h.formFailure(w, r, "citas-publico-codigo", publicCodePage{Form: form}, form, "codigo", err)
		return
	}
	http.Redirect(w, r, "/citas/horario", http.StatusSeeOther)
}

// verifiedFlow is publicFlow for the steps after the code.
func (h *Handler) verifiedFlow(w http.ResponseWriter, r *http.Request) (*account.Flow, bool) {
	f, ok := h.publicFlow(w, r)
	if ok && !h.publicBooking.Verified(f) {
		http.Redirect(w, r, "/citas/codigo", http.StatusSeeOther)
		return nil, false
	}
	return f, ok
}

func (h *Handler) showPublicSlots(w http.ResponseWriter, r *http.Request) {
	f, ok := h.verifiedFlow(w, r)
	if !ok {
		return
	}
	form := web.NewForm()
	page, err := h.newAppointmentData(r, form, r.URL.Query(), f.PersonID, "/citas/horario")
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusBadRequest
	}
	h.render.Render(w, r, status, "cita-nueva", page)
}

// publicDonePage confirms a public booking.
type publicDonePage struct{ Code, Service, Centre, Address, When string }

func (h *Handler) submitPublicSlot(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	f, ok := h.verifiedFlow(w, r)
	if !ok {
		return
	}
	centre, start, ok := parseSlot(form.Get("horario"))
	var a *appointment.Appointment
	if !ok {
		err = portal.Errorf(portal.EINVALID, "Elige un horario de la lista.")
	} else {
		a, err = h.publicBooking.Book(r.Context(), f, centre, appointment.Service(form.Get("servicio")), start)
	}
	if err == nil {
		c, cerr := h.bookings.Centre(r.Context(), a.Centre)
		if cerr != nil {
			h.render.Error(w, r, cerr)
			return
		}
		web.SetCookie(w, web.FlowCookie, "", -1)
		h.render.Render(w, r, http.StatusOK, "citas-publico-lista", publicDonePage{Code: a.Code, Service: a.Service.Name(), Centre: c.Name,
			Address: c.Address + ", " + c.Municipality, When: c.When(a.Start)})
		return
	}
	q := url.Values{"servicio": {form.Get("servicio")}, "entidad": {form.Get("entidad")}}
	page, perr := h.newAppointmentData(r, form, q, f.PersonID, "/citas/horario")
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	h.formFailure(w, r, "cita-nueva", page, form, "horario", err)
}
