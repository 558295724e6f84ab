package ui

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/notify"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
	"micuenta/internal/web"
)

// signInPage is the data of /ingresar.
type signInPage struct {
	Form  *web.Form
	Next  string
	Ended bool // the session had timed out
	Out   bool // just signed out
	// Recovered says a new password was just saved.
	Recovered bool
}

// safeNext keeps redirects inside the signed-in area: never another site.
func safeNext(s string) string {
	if strings.HasPrefix(s, "/mi-cuenta") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, "\\\r\n") {
		return s
	}
	return "/mi-cuenta"
}

func (h *Handler) showSignIn(w http.ResponseWriter, r *http.Request) {
	if session(r) != nil {
		http.Redirect(w, r, "/mi-cuenta", http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	h.render.Render(w, r, http.StatusOK, "ingresar", signInPage{Form: web.NewForm(), Next: safeNext(q.Get("siguiente")),
		Ended: q.Get("sesion") == "terminada", Out: q.Get("salida") == "1", Recovered: q.Get("recuperada") == "1"})
}

func (h *Handler) submitSignIn(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page := signInPage{Form: form, Next: safeNext(form.Get("siguiente"))}
	if form.Get("identificador") == "" {
		form.Fail("identificador", "Escribe tu correo electrónico o tu NSS.")
	}
	if form.Get("contrasena") == "" {
		form.Fail("contrasena", "Escribe tu contraseña.")
	}
	if !form.Valid() {
		form.Set("contrasena", "")
		h.render.Render(w, r, http.StatusBadRequest, "ingresar", page)
		return
	}
	out, err := h.signIn.Begin(r.Context(), form.Get("identificador"), form.Get("contrasena"), client(r))
	form.Set("contrasena", "")
	if err != nil {
		h.formFailure(w, r, "ingresar", page, form, "identificador", err)
		return
	}
	if out.SessionToken != "" {
		web.SetCookie(w, web.SessionCookie, out.SessionToken, 0)
		http.Redirect(w, r, page.Next, http.StatusSeeOther)
		return
	}
	web.SetCookie(w, web.FlowCookie, out.FlowID, 15*time.Minute)
	http.Redirect(w, r, "/ingresar/dispositivo?siguiente="+page.Next, http.StatusSeeOther)
}

// formFailure shows a service's refusal at a field, or the error page for
// anything that is not about the person's input.
func (h *Handler) formFailure(w http.ResponseWriter, r *http.Request, tpl string, data any, form *web.Form, field string, err error) {
	h.render.FormFailure(w, r, tpl, data, form, field, err)
}

// formError answers a body that could not be read.
func (h *Handler) formError(w http.ResponseWriter, r *http.Request, err error) {
	h.render.FormError(w, r, err)
}

// devicePage is the data of /ingresar/dispositivo.
type devicePage struct {
	Form         *web.Form
	Next         string
	MaskedEmail  string
	MaskedMobile string
	Sent         bool
}

func (h *Handler) deviceFlow(w http.ResponseWriter, r *http.Request) (*account.Flow, *account.Account, bool) {
	f, acc, err := h.signIn.DeviceFlow(r.Context(), web.CookieValue(r, web.FlowCookie))
	if err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			form := web.NewForm()
			form.Fail("identificador", portal.ErrorMessage(err))
			h.render.Render(w, r, http.StatusBadRequest, "ingresar", signInPage{Form: form, Next: "/mi-cuenta"})
			return nil, nil, false
		}
		h.render.Error(w, r, err)
		return nil, nil, false
	}
	return f, acc, true
}

func (h *Handler) showDevice(w http.ResponseWriter, r *http.Request) {
	f, acc, ok := h.deviceFlow(w, r)
	if !ok {
		return
	}
	h.render.Render(w, r, http.StatusOK, "ingresar-dispositivo", devicePage{Form: web.NewForm(), Next: safeNext(r.URL.Query().Get("siguiente")),
		MaskedEmail: account.MaskEmail(acc.Email), MaskedMobile: account.MaskMobile(acc.Mobile), Sent: f.State == "codigo_enviado"})
}

func (h *Handler) submitDevice(w http.ResponseWriter, r *http.Request) {
	f, acc, ok := h.deviceFlow(w, r)
	if !ok {
		return
	}
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	page := devicePage{Form: form, Next: safeNext(form.Get("siguiente")), MaskedEmail: account.MaskEmail(acc.Email),
		MaskedMobile: account.MaskMobile(acc.Mobile), Sent: f.State == "codigo_enviado"}
	if form.Get("accion") == "enviar" {
		var ch notify.Channel
		switch form.Get("canal") {
		case "correo":
			ch = notify.Email
		case "celular":
			ch = notify.SMS
		default:
			form.Fail("canal", "Elige si quieres recibir el código por correo o por mensaje de texto.")
			h.render.Render(w, r, http.StatusBadRequest, "ingresar-dispositivo", page)
			return
		}
		if err := h.signIn.SendCode(r.Context(), f.ID, ch, client(r)); err != nil {
			h.formFailure(w, r, "ingresar-dispositivo", page, form, "canal", err)
			return
		}
		http.Redirect(w, r, "/ingresar/dispositivo?siguiente="+page.Next, http.StatusSeeOther)
		return
	}
	out, err := h.signIn.Confirm(r.Context(), f.ID, form.Get("codigo"), client(r))
	if err != nil {
		form.Set("codigo", "")
		h.formFailure(w, r, "ingresar-dispositivo", page, form, "codigo", err)
		return
	}
	web.SetCookie(w, web.FlowCookie, "", -1)
	web.SetCookie(w, web.DeviceCookie, out.DeviceToken, account.DeviceTTL)
	web.SetCookie(w, web.SessionCookie, out.SessionToken, 0)
	http.Redirect(w, r, page.Next, http.StatusSeeOther)
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	if s := session(r); s != nil {
		if err := h.signIn.SignOut(r.Context(), s, client(r)); err != nil {
			h.render.Error(w, r, err)
			return
		}
	}
	web.SetCookie(w, web.SessionCookie, "", -1)
	http.Redirect(w, r, "/ingresar?salida=1", http.StatusSeeOther)
}

// summaryPage is the data of /mi-cuenta.
type summaryPage struct {
	Name       string
	Figures    template.HTML // the summary list (summaryFigures)
	IdleLimit  string
	SessionEnd string
}

func (h *Handler) showSummary(w http.ResponseWriter, r *http.Request) {
	s := session(r)
	sum, err := h.savings.Summary(r.Context(), s.PersonID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "mi-cuenta", summaryPage{Name: s.Holder.Name, Figures: summaryFigures(s.Holder.NSS.Masked(), sum),
		IdleLimit: strconv.Itoa(int(account.IdleTimeout / time.Minute)), SessionEnd: s.ExpiresAt.In(portal.MexicoCity).Format("15:04")})
}

// summaryFigures are the summary's NSS, savings balance and last
// contribution.
func summaryFigures(maskedNSS string, sum *savings.Summary) template.HTML {
	terms := make([]web.Term, 0, 3)
	terms = append(terms, web.Term{Name: "NSS", Value: maskedNSS, Mono: true})
	balance := web.Term{Name: "Ahorro para la vivienda", Value: "Sin ahorro registrado"}
	if len(sum.Buckets) > 0 {
		balance.Value, balance.Strong = sum.Total.String(), true
		if d := sum.AsOf.Spanish(); d != "" {
			balance.After = " al " + d
		}
	}
	terms = append(terms, balance)
	if c := sum.LastContribution; c != nil {
		terms = append(terms, web.Term{Name: "Última aportación", Value: c.Amount.String() + " de " + c.EmployerName + " (" + c.ValueDate.Spanish() + ")"})
	}
	return web.SummaryList(terms)
}

// mailboxPage is the data of /dev/buzon.
type mailboxPage struct{ Messages []notify.Message }

func (h *Handler) showMailbox(w http.ResponseWriter, r *http.Request) {
	if !h.demo {
		h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "La página que buscas no existe."))
		return
	}
	ms, err := h.outbox.Recent(r.Context(), 50)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "buzon", mailboxPage{Messages: ms})
}
