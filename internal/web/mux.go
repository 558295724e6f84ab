package web

import (
	"net/http"
)

// Unmatched wraps a ServeMux so that the requests it has no route for get
// the portal's own 404 and 405 pages (with the layout, in Spanish) instead
// of the mux's plain-text answers.
func (r *Renderer) Unmatched(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h, pattern := mux.Handler(req)
		if pattern != "" {
			mux.ServeHTTP(w, req)
			return
		}
		// No pattern: the mux would answer 404, 405 or a redirect
		// (trailing slash, cleaned path). Ask it which, without a body.
		probe := &probeWriter{header: http.Header{}}
		h.ServeHTTP(probe, req)
		switch probe.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", probe.header.Get("Allow"))
			r.ErrorStatus(w, req, http.StatusMethodNotAllowed)
		case http.StatusNotFound, 0:
			r.Error(w, req, notFound)
		default:
			h.ServeHTTP(w, req)
		}
	})
}

type probeWriter struct {
	header http.Header
	status int
}

func (p *probeWriter) Header() http.Header { return p.header }
func (p *probeWriter) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}
func (p *probeWriter) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}
