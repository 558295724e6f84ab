package ui

import (
	"net/http"

	"micuenta/internal/account"
	"micuenta/internal/web"
)

// recoveryPage is the data of /recuperar and /recuperar/nueva.
type recoveryPage struct {
	Form *web.Form
	Sent bool
	Key  string
}

func (h *Handler) showRecovery(w http.ResponseWriter, r *http.Request) {
	h.render.Render(w, r, http.StatusOK, "recuperar", recoveryPage{Form: web.NewForm()})
}

func (h *Handler) submitRecovery(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page := recoveryPage{Form: form}
	if err := h.recovery.Request(r.Context(), form.Get("nss"), client(r)); err != nil {
		h.failForm(w, r, "recuperar", page, form, []string{"nss"}, "nss", err)
		return
	}
	page.Sent = true
	h.render.Render(w, r, http.StatusOK, "recuperar", page)
}

func (h *Handler) showRecoveryReset(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("clave")
	page := recoveryPage{Form: web.NewForm(), Key: key}
	if _, err := h.recovery.Link(r.Context(), key); err != nil {
		f := web.NewForm()
		h.formFailure(w, r, "recuperar", recoveryPage{Form: f}, f, "nss", err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "recuperar-nueva", page)
}

func (h *Handler) submitRecoveryReset(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page := recoveryPage{Form: form, Key: form.Get("clave")}
	err = h.recovery.Reset(r.Context(), form.Get("clave"), form.Get("contrasena"), form.Get("confirmacion"), client(r))
	form.Set("contrasena", "")
	form.Set("confirmacion", "")
	if err == account.ErrRecoveryLink {
		f := web.NewForm()
		h.formFailure(w, r, "recuperar", recoveryPage{Form: f}, f, "nss", err)
		return
	}
	if err != nil {
		h.failForm(w, r, "recuperar-nueva", page, form, []string{"contrasena", "confirmacion"}, "contrasena", err)
		return
	}
	web.SetCookie(w, web.SessionCookie, "", -1)
	http.Redirect(w, r, "/ingresar?recuperada=1", http.StatusSeeOther)
}
