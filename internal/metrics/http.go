package metrics

import (
	"net/http"
	"strconv"
	"time"
)

// Requests counts and times every request a mux answers, by the route
// pattern it matched (never the raw path, which would make a series per
// folio) and status. Wrap the mux itself: the pattern is set on the
// request the mux receives.
func (r *Registry) Requests(site string, mux http.Handler) http.Handler {
	r.Counter("micuenta_http_requests_total", "HTTP requests answered, by site, route and status.", "site", "route", "status")
	r.Histogram("micuenta_http_request_duration_seconds", "Time to answer HTTP requests, by site and route.", LatencyBuckets, "site", "route")
	return Observe(mux, func(req *http.Request, status int, took time.Duration) {
		route := req.Pattern
		if route == "" {
			route = "unmatched"
		}
		r.Add("micuenta_http_requests_total", 1, site, route, strconv.Itoa(status))
		r.Observe("micuenta_http_request_duration_seconds", took.Seconds(), site, route)
	})
}

// Observe serves each request with next and then tells fn what happened:
// the request (whose Pattern the mux has set; "" when nothing matched),
// the status answered and the time it took.
func Observe(next http.Handler, fn func(req *http.Request, status int, took time.Duration)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		sw := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, req)
		fn(req, sw.status, time.Since(start))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Handler serves the registry at /metrics.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = r.Write(req.Context(), w)
	})
}
