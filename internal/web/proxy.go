package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustProxies makes the client's address the one a trusted proxy saw:
// when a request comes from one of proxies, RemoteAddr becomes the
// right-most address of X-Forwarded-For that is not itself a trusted
// proxy — the last hop no client can forge. Requests from anywhere else
// keep their RemoteAddr and their X-Forwarded-For is ignored, so a client
// cannot dodge the per-address limits by sending the header. With no
// proxies it changes nothing.
func TrustProxies(proxies []netip.Prefix, next http.Handler) http.Handler {
	if len(proxies) == 0 {
		return next
	}
	trusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range proxies {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !trusted(ClientIP(r)) {
			next.ServeHTTP(w, r)
			return
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop := strings.TrimSpace(hops[i])
			if hop == "" || trusted(hop) {
				continue
			}
			if a, err := netip.ParseAddr(hop); err == nil {
				r2 := r.Clone(r.Context())
				r2.RemoteAddr = net.JoinHostPort(a.Unmap().String(), "0")
				next.ServeHTTP(w, r2)
				return
			}
			break // garbage in the header: keep the proxy's own address
		}
		next.ServeHTTP(w, r)
	})
}
