package web

import (
	"context"
	"net/http"
	"time"
)

// Cookie names. The __Host- prefix makes the browser refuse them unless
// they are Secure, host-only and for the whole site, so no subdomain or
// plain-HTTP page can plant or read them.
const (
	SessionCookie = "__Host-sesion"
	DeviceCookie  = "__Host-dispositivo"
	FlowCookie    = "__Host-flujo"
)

// SetCookie sets an HttpOnly, Secure, SameSite=Lax cookie; maxAge 0 makes
// it last for the browser session, a negative one deletes it.
func SetCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}
	switch {
	case maxAge < 0:
		c.MaxAge = -1
	case maxAge > 0:
		c.MaxAge = int(maxAge / time.Second)
	}
	http.SetCookie(w, c)
}

// CookieValue reads a cookie, "" when absent.
func CookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// WithSignedIn marks the request as coming from a signed-in person, so the
// layout shows "Mi cuenta" and "Salir".
func WithSignedIn(ctx context.Context) context.Context {
	return context.WithValue(ctx, signedInKey{}, true)
}

// ClientIP is the address a request came from. Behind a proxy the
// operator must make the proxy set RemoteAddr (e.g. PROXY protocol); a
// client's X-Forwarded-For is not trusted.
func ClientIP(r *http.Request) string {
	host := r.RemoteAddr
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			host = host[:i]
			break
		}
	}
	if len(host) > 2 && host[0] == '[' {
		host = host[1 : len(host)-1]
	}
	return host
}
