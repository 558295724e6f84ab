package ui

import (
	"errors"
	"net/http"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/web"
)

// contactPage is /mi-cuenta/datos and its code step.
type contactPage struct {
	Form         *web.Form
	Message      string
	MaskedEmail  string
	MaskedMobile string
	Kind         string // correo | celular, on the code step
	MaskedNew    string
}

func (h *Handler) contactData(r *http.Request, form *web.Form) (contactPage, error) {
	acc, err := h.accounts.FindAccountByID(r.Context(), session(r).AccountID)
	if err != nil {
		return contactPage{}, err
	}
	page := contactPage{Form: form, MaskedEmail: account.MaskEmail(acc.Email), MaskedMobile: account.MaskMobile(acc.Mobile)}
	if r.URL.Query().Get("hecho") == "1" {
		page.Message = "Guardamos tu dato nuevo. Enviamos un aviso a tu dato anterior."
	}
	return page, nil
}

func (h *Handler) showContact(w http.ResponseWriter, r *http.Request) {
	page, err := h.contactData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "datos", page)
}

// failForm shows field errors at their fields, other refusals at field.
func (h *Handler) failForm(w http.ResponseWriter, r *http.Request, tpl string, page any, form *web.Form, fields []string, field string, err error) {
	var fe account.FieldErrors
	if errors.As(err, &fe) {
		for _, k := range fields {
			if msg, ok := fe[k]; ok {
				form.Fail(k, msg)
			}
		}
		h.render.Render(w, r, http.StatusBadRequest, tpl, page)
		return
	}
	h.formFailure(w, r, tpl, page, form, field, err)
}

func (h *Handler) submitContact(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page, err := h.contactData(r, form)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	kind := form.Get("tipo")
	if kind != account.ContactEmail && kind != account.ContactMobile {
		form.Fail("tipo", "Elige si quieres cambiar tu correo o tu celular.")
		h.render.Render(w, r, http.StatusBadRequest, "datos", page)
		return
	}
	f, err := h.settings.StartContactChange(r.Context(), session(r), kind, form.Get("valor"), form.Get("contrasena"), client(r))
	form.Set("contrasena", "")
	if err != nil {
		h.failForm(w, r, "datos", page, form, []string{"valor", "contrasena"}, "valor", err)
		return
	}
	web.SetCookie(w, web.FlowCookie, f.ID, 15*time.Minute)
	http.Redirect(w, r, "/mi-cuenta/datos/codigo", http.StatusSeeOther)
}

func (h *Handler) contactCodePage(w http.ResponseWriter, r *http.Request, form *web.Form) (contactPage, bool) {
	_, kind, masked, err := h.settings.ContactFlow(r.Context(), session(r), web.CookieValue(r, web.FlowCookie))
	if err != nil {
		page, perr := h.contactData(r, web.NewForm())
		if perr != nil {
			h.render.Error(w, r, perr)
			return contactPage{}, false
		}
		web.SetCookie(w, web.FlowCookie, "", -1)
		h.formFailure(w, r, "datos", page, page.Form, "tipo", err)
		return contactPage{}, false
	}
	return contactPage{Form: form, Kind: kind, MaskedNew: masked}, true
}

func (h *Handler) showContactCode(w http.ResponseWriter, r *http.Request) {
	page, ok := h.contactCodePage(w, r, web.NewForm())
	if ok {
		h.render.Render(w, r, http.StatusOK, "datos-codigo", page)
	}
}

func (h *Handler) submitContactCode(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page, ok := h.contactCodePage(w, r, form)
	if !ok {
		return
	}
	err = h.settings.ConfirmContactChange(r.Context(), session(r), web.CookieValue(r, web.FlowCookie), form.Get("codigo"), client(r))
	form.Set("codigo", "")
	if err != nil {
		h.failForm(w, r, "datos-codigo", page, form, []string{"codigo"}, "codigo", err)
		return
	}
	web.SetCookie(w, web.FlowCookie, "", -1)
	http.Redirect(w, r, "/mi-cuenta/datos?hecho=1", http.StatusSeeOther)
}
