package app_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// /metrics, on the back office's listener, counts the people's requests
// by route and status and reads the outbox, sessions, pools and audit
// events; /readyz fails when the embedded outbox worker has stopped
// completing rounds.
func TestMetricsAndReadiness(t *testing.T) {
	a, clock, email, password := portalWithClock(t, "sqlite")
	b := signedIn(t, a, email, password)
	b.do("GET", "/mi-cuenta", nil)
	b.do("GET", "/mi-cuenta/tramites/COR-2026-000001-X", nil)
	rec := httptest.NewRecorder()
	a.Admin.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`micuenta_http_requests_total{site="personas",route="GET /mi-cuenta",status="200"} 1`,
		`micuenta_http_requests_total{site="personas",route="GET /mi-cuenta/tramites/{folio}",status="404"} 1`,
		`micuenta_http_request_duration_seconds_bucket{site="personas",route="GET /mi-cuenta",le="+Inf"} 1`,
		`micuenta_audit_events_total{action="signin.succeeded"}`,
		`micuenta_sessions_active{site="personas"} 1`,
		`micuenta_outbox_messages{channel="email",state="pending"}`,
		`micuenta_db_connections{pool="writer",state="open"}`,
		"micuenta_scrape_errors 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if rec := b.do("GET", "/metrics", nil); rec.Code != 404 {
		t.Errorf("/metrics on the people's site: %d", rec.Code)
	}
	// The worker completes a round, then stalls: readiness follows.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = a.Worker.Run(ctx); close(done) }()
	time.Sleep(300 * time.Millisecond)
	cancel()
	<-done
	if rec := b.do("GET", "/readyz", nil); rec.Code != 200 {
		t.Fatalf("ready after a round: %d %s", rec.Code, rec.Body.String())
	}
	clock.Add(5 * time.Minute)
	if rec := b.do("GET", "/readyz", nil); rec.Code != 503 || !strings.Contains(rec.Body.String(), `"outbox_worker":"fail"`) {
		t.Fatalf("a stalled worker: %d %s", rec.Code, rec.Body.String())
	}
	a.EmbeddedWorker = false
	if rec := b.do("GET", "/readyz", nil); rec.Code != 200 {
		t.Fatalf("without an embedded worker: %d", rec.Code)
	}
}
