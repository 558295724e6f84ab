package ui

import (
	"net/http"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/portal"
	"micuenta/internal/web"
)

// registrationPage is the data of every /registro step.
type registrationPage struct {
	Form         *web.Form
	Challenge    string
	Bits         int
	MaskedName   string
	MaskedEmail  string
	MaskedMobile string
	Message      string // a notice for the end pages
}

func (h *Handler) regPage(form *web.Form) registrationPage {
	return registrationPage{Form: form, Challenge: h.human.Challenge(), Bits: account.PowBits}
}

// regFields are the registration and deletion forms' fields, in the order
// their errors are listed.
var regFields = []string{"nss", "curp", "rfc", "dato", "correo", "celular", "codigo_correo", "codigo_celular", "codigo", "contrasena", "confirmacion", "acepto"}

// failRegistration shows a registration step's refusal: field errors at
// their fields, other refusals in the summary at the field named; an ended
// flow starts over at step 1.
func (h *Handler) failRegistration(w http.ResponseWriter, r *http.Request, tpl string, page registrationPage, field string, err error) {
	if err == account.ErrFlowExpired {
		page = h.regPage(web.NewForm())
		page.Form.Fail("nss", portal.ErrorMessage(err))
		web.SetCookie(w, web.FlowCookie, "", -1)
		h.render.Render(w, r, http.StatusBadRequest, "registro", page)
		return
	}
	h.failForm(w, r, tpl, page, page.Form, regFields, field, err)
}

func (h *Handler) showRegistration(w http.ResponseWriter, r *http.Request) {
	if session(r) != nil {
		http.Redirect(w, r, "/mi-cuenta", http.StatusSeeOther)
		return
	}
	h.render.Render(w, r, http.StatusOK, "registro", h.regPage(web.NewForm()))
}

func (h *Handler) submitRegistration(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page := h.regPage(form)
	f, err := h.registration.Start(r.Context(), account.IdentityInput{NSS: form.Get("nss"), CURP: form.Get("curp"), RFC: form.Get("rfc"),
		Challenge: form.Get("dato"), Work: form.Get("trabajo"), Trap: form.Get("sitio_web")}, client(r))
	if err != nil {
		if portal.ErrorCode(err) == portal.ECONFLICT {
			page.Message = portal.ErrorMessage(err)
			h.render.Render(w, r, http.StatusOK, "registro-fin", page)
			return
		}
		h.failRegistration(w, r, "registro", page, "nss", err)
		return
	}
	web.SetCookie(w, web.FlowCookie, f.ID, 30*time.Minute)
	http.Redirect(w, r, "/registro/nombre", http.StatusSeeOther)
}

func (h *Handler) showRegName(w http.ResponseWriter, r *http.Request) {
	_, p, err := h.registration.Flow(r.Context(), web.CookieValue(r, web.FlowCookie), account.RegConfirmName)
	if err != nil {
		h.failRegistration(w, r, "registro", h.regPage(web.NewForm()), "nss", err)
		return
	}
	page := h.regPage(web.NewForm())
	page.MaskedName = p.MaskedName()
	h.render.Render(w, r, http.StatusOK, "registro-nombre", page)
}

func (h *Handler) submitRegName(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	itsMe := form.Get("respuesta") == "si"
	if err := h.registration.ConfirmName(r.Context(), web.CookieValue(r, web.FlowCookie), itsMe, client(r)); err != nil {
		h.failRegistration(w, r, "registro", h.regPage(form), "nss", err)
		return
	}
	if !itsMe {
		web.SetCookie(w, web.FlowCookie, "", -1)
		page := h.regPage(form)
		page.Message = "Si el nombre no es el tuyo, es probable que uno de los datos que escribiste sea de otra persona. Revisa tu NSS, tu CURP y tu RFC en tus documentos e intenta de nuevo; si el problema sigue, agenda una cita en un Centro de Servicio."
		h.render.Render(w, r, http.StatusOK, "registro-fin", page)
		return
	}
	http.Redirect(w, r, "/registro/contacto", http.StatusSeeOther)
}

func (h *Handler) showRegContact(w http.ResponseWriter, r *http.Request) {
	if _, _, err := h.registration.Flow(r.Context(), web.CookieValue(r, web.FlowCookie), account.RegContact, account.RegCodes); err != nil {
		h.failRegistration(w, r, "registro", h.regPage(web.NewForm()), "nss", err)
		return
	}
	page := h.regPage(web.NewForm())
	if r.URL.Query().Get("cuenta_borrada") == "1" {
		page.Message = "Borramos tu cuenta anterior. Tus ahorros y tu crédito no cambiaron. Continúa tu registro con un correo y un celular a los que tengas acceso."
	}
	h.render.Render(w, r, http.StatusOK, "registro-contacto", page)
}

func (h *Handler) submitRegContact(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	if err := h.registration.Contact(r.Context(), web.CookieValue(r, web.FlowCookie), form.Get("correo"), form.Get("celular"), client(r)); err != nil {
		h.failRegistration(w, r, "registro-contacto", h.regPage(form), "correo", err)
		return
	}
	http.Redirect(w, r, "/registro/codigos", http.StatusSeeOther)
}

func (h *Handler) codesPage(r *http.Request, form *web.Form) (registrationPage, error) {
	f, _, err := h.registration.Flow(r.Context(), web.CookieValue(r, web.FlowCookie), account.RegCodes)
	if err != nil {
		return registrationPage{}, err
	}
	e, m := h.registration.Contacts(f)
	page := h.regPage(form)
	page.MaskedEmail, page.MaskedMobile = account.MaskEmail(e), account.MaskMobile(m)
	return page, nil
}

func (h *Handler) showRegCodes(w http.ResponseWriter, r *http.Request) {
	page, err := h.codesPage(r, web.NewForm())
	if err != nil {
		h.failRegistration(w, r, "registro", h.regPage(web.NewForm()), "nss", err)
		return
	}
	if r.URL.Query().Get("reenviados") == "1" {
		page.Message = "Te enviamos códigos nuevos; los anteriores ya no sirven."
	}
	h.render.Render(w, r, http.StatusOK, "registro-codigos", page)
}

func (h *Handler) submitRegCodes(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page, err := h.codesPage(r, form)
	if err != nil {
		h.failRegistration(w, r, "registro", h.regPage(web.NewForm()), "nss", err)
		return
	}
	flowID := web.CookieValue(r, web.FlowCookie)
	if form.Get("accion") == "reenviar" {
		if err := h.registration.ResendCodes(r.Context(), flowID, client(r)); err != nil {
			h.failRegistration(w, r, "registro-codigos", page, "codigo_correo", err)
			return
		}
		http.Redirect(w, r, "/registro/codigos?reenviados=1", http.StatusSeeOther)
		return
	}
	if err := h.registration.VerifyCodes(r.Context(), flowID, form.Get("codigo_correo"), form.Get("codigo_celular"), client(r)); err != nil {
		form.Set("codigo_correo", "")
		form.Set("codigo_celular", "")
		h.failRegistration(w, r, "registro-codigos", page, "codigo_correo", err)
		return
	}
	http.Redirect(w, r, "/registro/contrasena", http.StatusSeeOther)
}

func (h *Handler) showRegPassword(w http.ResponseWriter, r *http.Request) {
	if _, _, err := h.registration.Flow(r.Context(), web.CookieValue(r, web.FlowCookie), account.RegPassword); err != nil {
		h.failRegistration(w, r, "registro", h.regPage(web.NewForm()), "nss", err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "registro-contrasena", h.regPage(web.NewForm()))
}

func (h *Handler) submitRegPassword(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	out, err := h.registration.Finish(r.Context(), web.CookieValue(r, web.FlowCookie), form.Get("contrasena"), form.Get("confirmacion"),
		form.Get("acepto") == "si", client(r))
	form.Set("contrasena", "")
	form.Set("confirmacion", "")
	if err != nil {
		h.failRegistration(w, r, "registro-contrasena", h.regPage(form), "contrasena", err)
		return
	}
	web.SetCookie(w, web.FlowCookie, "", -1)
	web.SetCookie(w, web.DeviceCookie, out.DeviceToken, account.DeviceTTL)
	web.SetCookie(w, web.SessionCookie, out.SessionToken, 0)
	http.Redirect(w, r, "/mi-cuenta?bienvenida=1", http.StatusSeeOther)
}
