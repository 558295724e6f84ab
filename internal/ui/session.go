package ui

import (
	"context"
	"net/http"
	"net/url"

	"micuenta/internal/account"
	"micuenta/internal/portal"
	"micuenta/internal/web"
)

type sessionKey struct{}

// withSession reads the session cookie on every request. A live session is
// put in the context (and the layout shows the signed-in menu); a dead one
// just is not there.
func (h *Handler) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := web.CookieValue(r, web.SessionCookie)
		if token == "" || len(r.URL.Path) > 7 && r.URL.Path[:8] == "/static/" {
			next.ServeHTTP(w, r)
			return
		}
		s, err := h.sessions.Check(r.Context(), token)
		switch {
		case err == nil:
			ctx := context.WithValue(web.WithSignedIn(r.Context()), sessionKey{}, s)
			r = r.WithContext(ctx)
		case portal.ErrorCode(err) == portal.EUNAUTHORIZED:
			web.SetCookie(w, web.SessionCookie, "", -1)
		default:
			h.render.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// session returns the request's live session, or nil.
func session(r *http.Request) *account.Session {
	s, _ := r.Context().Value(sessionKey{}).(*account.Session)
	return s
}

// requireSession sends people who are not signed in to /ingresar, which
// brings them back here afterwards.
func (h *Handler) requireSession(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if session(r) == nil {
			target := "/ingresar?siguiente=" + url.QueryEscape(r.URL.Path)
			if web.CookieValue(r, web.SessionCookie) != "" {
				target += "&sesion=terminada"
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

func client(r *http.Request) account.Client {
	return account.Client{IP: web.ClientIP(r), UserAgent: r.UserAgent(), DeviceToken: web.CookieValue(r, web.DeviceCookie)}
}

// keepSession answers the idle warning's "Seguir en mi cuenta": the
// session middleware has already recorded the activity, so a live session
// gets 204 and an ended one 401 (the script then goes to /ingresar).
func (h *Handler) keepSession(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if session(r) == nil {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
