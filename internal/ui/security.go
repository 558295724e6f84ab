package ui

import (
	"net/http"
	"strconv"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/portal"
	"micuenta/internal/web"
)

// securityPage is /mi-cuenta/seguridad: sessions, devices, activity, and
// the password form.
type securityPage struct {
	Form     *web.Form
	Message  string
	Sessions []sessionRow
	Devices  []deviceRow
	Activity []activityRow
	Changed  string // when the password last changed
}

type sessionRow struct {
	ID                   int64
	Browser, IP, Started string
	LastSeen             string
	Current              bool
}

type deviceRow struct {
	ID                 int64
	Browser, IP, Added string
	LastSeen           string
	Current            bool
}

type activityRow struct {
	When, What, IP, Browser string
}

// when formats an instant for people: Mexico City time, day first.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(portal.MexicoCity).Format("02/01/2006 15:04")
}

var securityMessages = map[string]string{
	"sesion":      "Cerramos esa sesión.",
	"otras":       "Cerramos tus demás sesiones. Solo sigue abierta esta.",
	"dispositivo": "Olvidamos ese dispositivo: la próxima vez que alguien ingrese desde él, le pediremos un código.",
	"contrasena":  "Cambiamos tu contraseña y cerramos tus demás sesiones. Te enviamos un aviso a tu correo.",
}

func (h *Handler) securityData(r *http.Request, form *web.Form) (securityPage, error) {
	sess := session(r)
	o, err := h.settings.Overview(r.Context(), sess.AccountID)
	if err != nil {
		return securityPage{}, err
	}
	page := securityPage{Form: form, Changed: when(o.Account.PasswordChangedAt), Message: securityMessages[r.URL.Query().Get("hecho")]}
	for _, s := range o.Sessions {
		page.Sessions = append(page.Sessions, sessionRow{ID: s.ID, Browser: account.BrowserName(s.UserAgent), IP: s.IP,
			Started: when(s.CreatedAt), LastSeen: when(s.LastSeenAt), Current: s.ID == sess.ID})
	}
	for _, d := range o.Devices {
		page.Devices = append(page.Devices, deviceRow{ID: d.ID, Browser: account.BrowserName(d.UserAgent), IP: d.FirstIP,
			Added: when(d.CreatedAt), LastSeen: when(d.LastSeenAt), Current: d.ID == sess.DeviceID})
	}
	for _, e := range o.Activity {
		page.Activity = append(page.Activity, activityRow{When: when(e.At), What: account.ActivityName(e.Action), IP: e.IP,
			Browser: account.BrowserName(e.UserAgent)})
	}
	return page, nil
}

func (h *Handler) showSecurity(w http.ResponseWriter, r *http.Request) {
	page, err := h.securityData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "seguridad", page)
}

// securityAction runs one of the page's buttons (end a session, end the
// others, forget a device) and comes back with a notice.
func (h *Handler) securityAction(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	sess, c := session(r), client(r)
	id, _ := strconv.ParseInt(form.Get("id"), 10, 64)
	var done string
	switch form.Get("accion") {
	case "cerrar-sesion":
		err, done = h.settings.EndSession(r.Context(), sess, id, c), "sesion"
		if err == nil && id == sess.ID {
			web.SetCookie(w, web.SessionCookie, "", -1)
			http.Redirect(w, r, "/ingresar?salida=1", http.StatusSeeOther)
			return
		}
	case "cerrar-otras":
		_, err = h.settings.EndOtherSessions(r.Context(), sess, c)
		done = "otras"
	case "olvidar-dispositivo":
		err, done = h.settings.ForgetDevice(r.Context(), sess, id, c), "dispositivo"
		if err == nil && id == sess.DeviceID {
			web.SetCookie(w, web.SessionCookie, "", -1)
			web.SetCookie(w, web.DeviceCookie, "", -1)
			http.Redirect(w, r, "/ingresar?salida=1", http.StatusSeeOther)
			return
		}
	default:
		err = portal.Errorf(portal.EINVALID, "Esa acción no existe. Vuelve a la página de seguridad e inténtalo de nuevo.")
	}
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			// Already ended (another tab, a time-out): nothing to do.
			http.Redirect(w, r, "/mi-cuenta/seguridad", http.StatusSeeOther)
			return
		}
		h.render.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/mi-cuenta/seguridad?hecho="+done, http.StatusSeeOther)
}

func (h *Handler) submitPasswordChange(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	err = h.settings.ChangePassword(r.Context(), session(r), form.Get("actual"), form.Get("contrasena"), form.Get("confirmacion"), client(r))
	for _, k := range []string{"actual", "contrasena", "confirmacion"} {
		form.Set(k, "")
	}
	if err == nil {
		http.Redirect(w, r, "/mi-cuenta/seguridad?hecho=contrasena#contrasena-titulo", http.StatusSeeOther)
		return
	}
	page, perr := h.securityData(r, form)
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	h.failForm(w, r, "seguridad", page, form, []string{"actual", "contrasena", "confirmacion"}, "actual", err)
}
