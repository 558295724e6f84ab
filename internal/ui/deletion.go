package ui

import (
	"net/http"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/web"
)

// /borrar-cuenta: for people who lost the e-mail of their account. The
// pages reuse the registration page's data (identity form, masked mobile).

func (h *Handler) showDeletion(w http.ResponseWriter, r *http.Request) {
	h.render.Render(w, r, http.StatusOK, "borrar-cuenta", h.regPage(web.NewForm()))
}

func (h *Handler) submitDeletion(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page := h.regPage(form)
	st, err := h.registration.StartDeletion(r.Context(), account.IdentityInput{NSS: form.Get("nss"), CURP: form.Get("curp"), RFC: form.Get("rfc"),
		Challenge: form.Get("dato"), Work: form.Get("trabajo"), Trap: form.Get("sitio_web")}, client(r))
	if err != nil {
		h.failRegistration(w, r, "borrar-cuenta", page, "nss", err)
		return
	}
	web.SetCookie(w, web.FlowCookie, st.Flow.ID, 15*time.Minute)
	http.Redirect(w, r, "/borrar-cuenta/codigo", http.StatusSeeOther)
}

// deletionCodePage loads the flow of the browser's cookie; an ended one
// sends back to the first step with the reason.
func (h *Handler) deletionCodePage(w http.ResponseWriter, r *http.Request, form *web.Form) (registrationPage, bool) {
	_, masked, err := h.registration.DeletionFlow(r.Context(), web.CookieValue(r, web.FlowCookie))
	if err != nil {
		page := h.regPage(web.NewForm())
		web.SetCookie(w, web.FlowCookie, "", -1)
		h.formFailure(w, r, "borrar-cuenta", page, page.Form, "nss", err)
		return registrationPage{}, false
	}
	page := h.regPage(form)
	page.MaskedMobile = masked
	return page, true
}

func (h *Handler) showDeletionCode(w http.ResponseWriter, r *http.Request) {
	page, ok := h.deletionCodePage(w, r, web.NewForm())
	if !ok {
		return
	}
	if r.URL.Query().Get("reenviado") == "1" {
		page.Message = "Te enviamos un código nuevo; el anterior ya no sirve."
	}
	h.render.Render(w, r, http.StatusOK, "borrar-cuenta-codigo", page)
}

func (h *Handler) submitDeletionCode(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page, ok := h.deletionCodePage(w, r, form)
	if !ok {
		return
	}
	flowID := web.CookieValue(r, web.FlowCookie)
	if form.Get("accion") == "reenviar" {
		if err := h.registration.ResendDeletionCode(r.Context(), flowID, client(r)); err != nil {
			h.failRegistration(w, r, "borrar-cuenta-codigo", page, "codigo", err)
			return
		}
		http.Redirect(w, r, "/borrar-cuenta/codigo?reenviado=1", http.StatusSeeOther)
		return
	}
	if form.Get("confirmo") != "si" {
		form.Set("codigo", "")
		page.Form.Fail("confirmo", "Para borrar tu cuenta marca la casilla que confirma que entiendes lo que pasará.")
		h.render.Render(w, r, http.StatusBadRequest, "borrar-cuenta-codigo", page)
		return
	}
	next, err := h.registration.ConfirmDeletion(r.Context(), flowID, form.Get("codigo"), client(r))
	form.Set("codigo", "")
	if err != nil {
		h.failRegistration(w, r, "borrar-cuenta-codigo", page, "codigo", err)
		return
	}
	// The old account is gone; the browser's old session with it.
	web.SetCookie(w, web.SessionCookie, "", -1)
	web.SetCookie(w, web.FlowCookie, next.ID, 30*time.Minute)
	http.Redirect(w, r, "/registro/contacto?cuenta_borrada=1", http.StatusSeeOther)
}
