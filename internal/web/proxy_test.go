package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestTrustProxies(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}
	var seen string
	h := TrustProxies(proxies, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = ClientIP(r) }))
	for _, c := range []struct{ remote, xff, want string }{
		{"203.0.113.5:4000", "198.51.100.1", "203.0.113.5"},                   // not from a proxy: the header is ignored
		{"10.1.2.3:4000", "198.51.100.1", "198.51.100.1"},                     // from the load balancer
		{"10.1.2.3:4000", "6.6.6.6, 198.51.100.1", "198.51.100.1"},            // a forged first hop is not believed
		{"10.1.2.3:4000", "198.51.100.1, 192.0.2.7", "198.51.100.1"},          // two trusted hops
		{"10.1.2.3:4000", "", "10.1.2.3"},                                     // no header: the proxy itself
		{"10.1.2.3:4000", "not-an-address", "10.1.2.3"},                       // garbage: the proxy itself
		{"[::ffff:10.1.2.3]:4000", "2001:db8::1", "2001:db8::1"},              // IPv6 client through an IPv4-mapped proxy
		{"192.0.2.7:80", "198.51.100.9, 10.9.9.9, 192.0.2.7", "198.51.100.9"}, // every hop but the client is trusted
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if seen != c.want {
			t.Errorf("from %s with %q: client %s, want %s", c.remote, c.xff, seen, c.want)
		}
	}
}
