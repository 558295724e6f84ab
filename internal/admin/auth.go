package admin

import (
	"context"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"

	"micuenta/internal/operator"
	"micuenta/internal/portal"
	"micuenta/internal/totp"
	"micuenta/internal/web"
)

type signedIn struct {
	sess *operator.Session
	op   *operator.Operator
}

type operatorKey struct{}

// withOperator reads the back office's cookie on every request and puts
// the session, in whatever stage, in the context.
func (h *Handler) withOperator(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := web.CookieValue(r, SessionCookie)
		if token == "" {
			next.ServeHTTP(w, r)
			return
		}
		sess, op, err := h.operators.Check(r.Context(), token)
		switch {
		case err == nil:
			ctx := context.WithValue(r.Context(), operatorKey{}, &signedIn{sess, op})
			if sess.Stage == operator.StageComplete {
				ctx = web.WithNav(web.WithSignedIn(ctx), menu(op))
			}
			r = r.WithContext(ctx)
		case portal.ErrorCode(err) == portal.EUNAUTHORIZED || portal.ErrorCode(err) == portal.EFORBIDDEN:
			web.SetCookie(w, SessionCookie, "", -1)
		default:
			h.render.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func current(r *http.Request) *signedIn {
	s, _ := r.Context().Value(operatorKey{}).(*signedIn)
	return s
}

// requireSignedIn lets through only operators past the second factor;
// anyone else goes to sign in. An operator still on a temporary password
// goes to change it first.
func (h *Handler) requireSignedIn(next http.HandlerFunc) http.HandlerFunc {
	return h.requireComplete(func(w http.ResponseWriter, r *http.Request) {
		if current(r).op.MustChangePassword() {
			http.Redirect(w, r, "/admin/contrasena", http.StatusSeeOther)
			return
		}
		next(w, r)
	})
}

// requireComplete lets through operators past the second factor.
func (h *Handler) requireComplete(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := current(r)
		if s == nil || s.sess.Stage != operator.StageComplete {
			http.Redirect(w, r, "/admin/entrar", http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

// passwordPage is /admin/contrasena.
type passwordPage struct {
	Form      *web.Form
	Temporary bool
	Changed   bool
}

func (h *Handler) showPassword(w http.ResponseWriter, r *http.Request) {
	h.render.Render(w, r, http.StatusOK, "contrasena", passwordPage{Form: web.NewForm(), Temporary: current(r).op.MustChangePassword(),
		Changed: r.URL.Query().Get("hecho") == "1"})
}

func (h *Handler) submitPassword(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.render.FormError(w, r, err)
		return
	}
	s := current(r)
	page := passwordPage{Form: form, Temporary: s.op.MustChangePassword()}
	err = h.operators.ChangePassword(r.Context(), s.sess, s.op, form.Get("actual"), form.Get("nueva"), form.Get("confirmacion"))
	for _, k := range []string{"actual", "nueva", "confirmacion"} {
		form.Set(k, "")
	}
	var fe *operator.FieldErrors
	if errors.As(err, &fe) {
		for _, k := range []string{"actual", "nueva", "confirmacion"} {
			if msg, ok := fe.Fields[k]; ok {
				form.Fail(k, msg)
			}
		}
		h.render.Render(w, r, http.StatusBadRequest, "contrasena", page)
		return
	}
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/contrasena?hecho=1", http.StatusSeeOther)
}

// require also checks the role: an operator without the permission gets
// 403 and the attempt is logged.
func (h *Handler) require(p operator.Permission, next http.HandlerFunc) http.HandlerFunc {
	return h.requireSignedIn(func(w http.ResponseWriter, r *http.Request) {
		if o := current(r).op; !o.Can(p) {
			h.log.Warn("back office: permission refused", "operator", o.ID, "role", o.Role, "permission", p, "path", r.URL.Path,
				"request_id", web.RequestID(r.Context()))
			h.render.Error(w, r, portal.Errorf(portal.EFORBIDDEN, "Tu rol (%s) no permite esta acción.", operator.RoleNames[o.Role]))
			return
		}
		next(w, r)
	})
}

type signInPage struct{ Form *web.Form }

func (h *Handler) showSignIn(w http.ResponseWriter, r *http.Request) {
	if s := current(r); s != nil && s.sess.Stage == operator.StageComplete {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return
	}
	h.render.Render(w, r, http.StatusOK, "entrar", signInPage{Form: web.NewForm()})
}

func (h *Handler) submitSignIn(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.render.FormError(w, r, err)
		return
	}
	page := signInPage{Form: form}
	if form.Get("correo") == "" {
		form.Fail("correo", "Escribe tu correo.")
	}
	if form.Get("contrasena") == "" {
		form.Fail("contrasena", "Escribe tu contraseña.")
	}
	if form.HasErrors() {
		h.render.Render(w, r, http.StatusBadRequest, "entrar", page)
		return
	}
	token, _, _, err := h.operators.SignIn(r.Context(), form.Get("correo"), form.Get("contrasena"), web.ClientIP(r), r.UserAgent())
	if err != nil {
		form.Set("contrasena", "")
		if portal.ErrorCode(err) == portal.EFORBIDDEN {
			form.Fail("correo", portal.ErrorMessage(err))
			h.render.Render(w, r, http.StatusForbidden, "entrar", page)
			return
		}
		h.render.FormFailure(w, r, "entrar", page, form, "correo", err)
		return
	}
	web.SetCookie(w, SessionCookie, token, 0)
	http.Redirect(w, r, "/admin/entrar/codigo", http.StatusSeeOther)
}

// codePage is /admin/entrar/codigo: the TOTP code, or at the first sign-in
// the enrolment (QR and key) and the first code.
type codePage struct {
	Form   *web.Form
	Enrol  bool
	QR     template.URL // data: URL of the QR image (made here, so safe)
	Key    string       // the secret in groups of four, to type
	Name   string
	Issuer string
	// DemoCode is the current code, shown in demo mode only so a visitor
	// without an authenticator app can look around.
	DemoCode string
}

func (h *Handler) codeData(r *http.Request, form *web.Form) (codePage, error) {
	s := current(r)
	page := codePage{Form: form, Name: s.op.Name, Issuer: h.issuer}
	if s.op.TOTPSecret != nil {
		if h.demo {
			page.DemoCode = totp.Code(s.op.TOTPSecret, h.now())
		}
		return page, nil
	}
	secret, err := h.operators.Enrolment(r.Context(), s.sess, s.op)
	if err != nil {
		return page, err
	}
	png, err := totp.QRPNG(totp.URI(h.issuer, s.op.Email, secret), 240)
	if err != nil {
		return page, err
	}
	page.Enrol, page.Key = true, totp.EncodeGrouped(secret)
	if h.demo {
		page.DemoCode = totp.Code(secret, h.now())
	}
	page.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	return page, nil
}

// pendingSecondFactor answers true when the request has a session that
// still owes its code; otherwise it redirects.
func (h *Handler) pendingSecondFactor(w http.ResponseWriter, r *http.Request) bool {
	s := current(r)
	if s == nil {
		http.Redirect(w, r, "/admin/entrar", http.StatusSeeOther)
		return false
	}
	if s.sess.Stage == operator.StageComplete {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return false
	}
	return true
}

func (h *Handler) showCode(w http.ResponseWriter, r *http.Request) {
	if !h.pendingSecondFactor(w, r) {
		return
	}
	page, err := h.codeData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "entrar-codigo", page)
}

func (h *Handler) submitCode(w http.ResponseWriter, r *http.Request) {
	if !h.pendingSecondFactor(w, r) {
		return
	}
	form, err := web.ParseForm(r)
	if err != nil {
		h.render.FormError(w, r, err)
		return
	}
	s := current(r)
	err = h.operators.SecondFactor(r.Context(), s.sess, s.op, form.Get("codigo"))
	if err == nil {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return
	}
	form.Set("codigo", "")
	if portal.ErrorCode(err) == portal.EFORBIDDEN {
		// Locked: the session ended with the lock.
		web.SetCookie(w, SessionCookie, "", -1)
		form.Fail("correo", portal.ErrorMessage(err))
		h.render.Render(w, r, http.StatusForbidden, "entrar", signInPage{Form: form})
		return
	}
	page, perr := h.codeData(r, form)
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	h.render.FormFailure(w, r, "entrar-codigo", page, form, "codigo", err)
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	if s := current(r); s != nil {
		if err := h.operators.SignOut(r.Context(), s.sess); err != nil {
			h.render.Error(w, r, err)
			return
		}
	}
	web.SetCookie(w, SessionCookie, "", -1)
	http.Redirect(w, r, "/admin/entrar?salida=1", http.StatusSeeOther)
}

// menu is what the operator's role lets them open.
func menu(o *operator.Operator) []web.NavLink {
	var out []web.NavLink
	if o.Can(operator.WorkRequests) {
		out = append(out, web.NavLink{Href: "/admin/tramites", Label: "Bandeja de trámites"},
			web.NavLink{Href: "/admin/citas", Label: "Agenda de citas"})
	}
	if o.Can(operator.SeeFigures) {
		out = append(out, web.NavLink{Href: "/admin/tablero", Label: "Tablero"})
	}
	if o.Can(operator.ManageOperators) {
		out = append(out, web.NavLink{Href: "/admin/operadores", Label: "Personas operadoras"})
	}
	if o.Can(operator.ReadAudit) {
		out = append(out, web.NavLink{Href: "/admin/auditoria", Label: "Bitácora de auditoría"})
	}
	if o.Can(operator.SeeAlerts) {
		out = append(out, web.NavLink{Href: "/admin/alertas", Label: "Alertas de seguridad"})
	}
	return append(out, web.NavLink{Href: "/admin/contrasena", Label: "Mi contraseña"})
}
