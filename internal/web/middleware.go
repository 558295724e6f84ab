package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"micuenta/internal/portal"
)

type requestIDKey struct{}

// RequestID returns the id given to the request by WithRequestID.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// WithRequestID gives every request an id for logs and error pages. The
// client's own header is ignored: ids must be ours to be trusted in logs.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// LogRequests writes one structured line per request. It never logs query
// strings or bodies: they may carry personal data.
func LogRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", RequestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

// Recover turns a panic in a handler into the 500 page with the request id
// and a log line with the stack; the person never sees the stack.
func (r *Renderer) Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			r.log.Error("panic", "request_id", RequestID(req.Context()), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			r.ErrorStatus(w, req, http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, req)
	})
}

// ContentSecurityPolicy allows only our own scripts, styles, images and
// forms: no inline script, no inline style, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders are the headers every response carries, under their
// canonical names. Each value is a one-element slice with no room to
// grow: a handler that adds to one gets a new slice, never writes into
// this one, so every response may share it without an allocation each.
var securityHeaders = fixedHeaders(map[string]string{
	"Content-Security-Policy":      ContentSecurityPolicy,
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "same-origin",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Permissions-Policy":           "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
})

var strictTransport = fixedValue("max-age=63072000; includeSubDomains")

// fixedValue is a header value to share between responses (see
// securityHeaders): a slice of one with a capacity of one.
func fixedValue(v string) []string { return []string{v} }

func fixedHeaders(m map[string]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[http.CanonicalHeaderKey(k)] = fixedValue(v)
	}
	return out
}

// SecurityHeaders sets the headers every response carries.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaders {
			h[k] = v
		}
		if r.TLS != nil {
			h["Strict-Transport-Security"] = strictTransport
		}
		next.ServeHTTP(w, r)
	})
}

// CrossOrigin refuses state-changing requests that a browser marks as
// coming from another site (Go's CrossOriginProtection, which reads
// Sec-Fetch-Site and Origin), with the error page instead of plain text.
func (r *Renderer) CrossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.log.Warn("cross-origin request refused", "request_id", RequestID(req.Context()), "path", req.URL.Path,
			"origin", req.Header.Get("Origin"), "sec_fetch_site", req.Header.Get("Sec-Fetch-Site"))
		r.renderError(w, req, http.StatusForbidden, forbiddenCrossOrigin, RequestID(req.Context()))
	}))
	return cop.Handler(next)
}

var forbiddenCrossOrigin = portal.Errorf(portal.EFORBIDDEN, "Por tu seguridad rechazamos este envío porque llegó desde otro sitio. Vuelve a abrir el portal y repite la acción.")

// LimitBody caps request bodies; a larger body fails to parse and the
// handler answers 413.
func LimitBody(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}
