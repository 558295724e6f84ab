package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"time"
)

// healthz says the process is alive; it checks nothing else, so a slow
// database never gets a healthy process restarted.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz says whether this instance can serve people: every dependency
// answers within two seconds. Load balancers route by it.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{}
	status := http.StatusOK
	names := make([]string, 0, len(h.ready))
	for name := range h.ready {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := h.ready[name].Ping(ctx); err != nil {
			checks[name] = "fail"
			status = http.StatusServiceUnavailable
			h.log.Warn("readiness check failed", "check", name, "err", err)
		} else {
			checks[name] = "ok"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": map[bool]string{true: "ok", false: "fail"}[status == http.StatusOK], "checks": checks})
}
