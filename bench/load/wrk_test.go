package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"micuenta/internal/metrics"
	"micuenta/internal/testutil/need"
)

// The script sends each request in turn, with its headers, and its
// count agrees with the server's; statuses above 399 are wrk's errors.
// Run against a real wrk.
func TestWrkScriptCycles(t *testing.T) {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		need.Unavailable(t, "wrk", "install it with `apt-get install wrk`")
	}
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.RequestURI()+" "+r.Header.Get("Cookie")+" "+r.Header.Get("X-Forwarded-For")]++
		mu.Unlock()
		if r.Header.Get("Cookie") == "s=broken" {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	reqs := []wrkRequest{
		{path: "/mi-cuenta", headers: map[string]string{"Cookie": "s=a; d=\"x\\y\"", "X-Forwarded-For": "10.2.0.1"}},
		{path: "/mi-cuenta/ahorro?tipo=aportacion", headers: map[string]string{"Cookie": "s=b", "X-Forwarded-For": "10.2.0.2"}},
		{path: "/mi-cuenta", headers: map[string]string{"Cookie": "s=broken", "X-Forwarded-For": "10.2.0.3"}},
	}
	res, err := runWrk(context.Background(), wrk, t.TempDir(), srv.URL, reqs, 2, 2, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	var total, broken int
	for k, n := range seen {
		total += n
		if strings.Contains(k, "s=broken") {
			broken += n
		}
	}
	for _, want := range []string{`/mi-cuenta s=a; d="x\y" 10.2.0.1`, "/mi-cuenta/ahorro?tipo=aportacion s=b 10.2.0.2", "/mi-cuenta s=broken 10.2.0.3"} {
		if seen[want] == 0 {
			t.Fatalf("no request %q among %v", want, seen)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("requests %v, want only the three given", seen)
	}
	// wrk stops counting at its deadline while a few answers are still
	// on their way, so its count may fall short of the server's by the
	// connections in flight.
	if res.requests < 100 || res.requests > total || total-res.requests > 2 {
		t.Fatalf("wrk counted %d requests, the server answered %d", res.requests, total)
	}
	if res.errors < broken-2 || res.errors > broken || res.errors < res.requests/4 || res.statuses != res.errors {
		t.Fatalf("wrk counted %d errors of %d requests; %d were 500s", res.errors, res.requests, broken)
	}
	if res.wall < 900*time.Millisecond || res.p50 <= 0 || res.p99 < res.p50 || res.cpu <= 0 {
		t.Fatalf("result %+v", res)
	}
	rec := wrkRecorder(res)
	_, sum := merge([]*recorder{rec, wrkRecorder(wrkResult{requests: 10, wall: time.Second, p50: time.Hour, p99: time.Hour})}).table()
	if sum.Count != res.requests+10 || sum.Errors != res.errors || sum.P99 != time.Hour || sum.LastError == "" {
		t.Fatalf("merged %+v", sum)
	}
}

// A wrk run's answers are checked by the portal's own count, read from
// what its metrics registry writes: every answer of the people's site
// but a 200 is an error (an ended session's 303 among them) except
// those abandoned at wrk's deadline (499), the back office's answers do
// not count, and a portal that answered fewer requests than wrk sent, or
// abandoned more than wrk had connections, fails the run.
func TestPortalAnswersCheckWrk(t *testing.T) {
	reg := metrics.New()
	srv := httptest.NewServer(reg.Handler())
	defer srv.Close()
	reg.Counter("micuenta_http_requests_total", "HTTP requests answered, by site, route and status.", "site", "route", "status")
	reg.Add("micuenta_http_requests_total", 1000, "personas", "GET /mi-cuenta", "200")
	before, err := portalAnswers(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	reg.Add("micuenta_http_requests_total", 5000, "personas", "GET /mi-cuenta", "200")
	reg.Add("micuenta_http_requests_total", 7, "personas", "GET /mi-cuenta", "303")
	reg.Add("micuenta_http_requests_total", 2, "personas", "unmatched", "404")
	reg.Add("micuenta_http_requests_total", 3, "personas", "GET /mi-cuenta", "499")
	reg.Add("micuenta_http_requests_total", 50, "operacion", "GET /metrics", "500")
	after, err := portalAnswers(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	got := after.minus(before)
	if got != (answers{ok: 5000, abandoned: 3, other: 9}) {
		t.Fatalf("answers %+v", got)
	}
	// wrk saw 2 of the 9 (the 404s); with 1 failed socket that is 10
	// errors, not 12.
	res := wrkResult{requests: 5000, errors: 3, statuses: 2}
	if err := res.check(got, 32); err != nil || res.errors != 10 || res.statuses != 9 {
		t.Fatalf("check: %v, errors %d, statuses %d", err, res.errors, res.statuses)
	}
	res = wrkResult{requests: 6000}
	if err := res.check(got, 32); err == nil || !strings.Contains(err.Error(), "portal answered 5012") {
		t.Fatalf("a portal that answered fewer than wrk sent: %v", err)
	}
	res = wrkResult{requests: 5000}
	if err := res.check(got, 2); err == nil || !strings.Contains(err.Error(), "3 requests abandoned") {
		t.Fatalf("more abandoned than connections: %v", err)
	}
	two := wrkResult{requests: 10, errors: 1, statuses: 1, wall: time.Second, p50: time.Millisecond, p99: 9 * time.Millisecond, cpu: time.Second}.
		plus(wrkResult{requests: 20, errors: 2, wall: 2 * time.Second, p50: 2 * time.Millisecond, p99: 3 * time.Millisecond, cpu: time.Second})
	if two != (wrkResult{requests: 30, errors: 3, statuses: 1, wall: 2 * time.Second, p50: 2 * time.Millisecond, p99: 9 * time.Millisecond, cpu: 2 * time.Second}) {
		t.Fatalf("two wrk runs side by side: %+v", two)
	}
	if _, err := parseAnswers("# nothing\n"); err == nil {
		t.Fatal("metrics without the people's answers accepted")
	}
}

func TestParseWrk(t *testing.T) {
	out := "Running 1s test @ http://127.0.0.1:1\n  2 threads and 2 connections\nmicuenta-wrk requests=1234 duration_us=1000456 sockets=3 statuses=4 p50_us=250 p99_us=3100\n"
	res, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if res.requests != 1234 || res.wall != 1000456*time.Microsecond || res.errors != 7 || res.statuses != 4 || res.p50 != 250*time.Microsecond || res.p99 != 3100*time.Microsecond {
		t.Fatalf("parsed %+v", res)
	}
	if _, err := parseWrk("unable to connect to 127.0.0.1:1 Connection refused"); err == nil || !strings.Contains(err.Error(), "Connection refused") {
		t.Fatalf("no result line: %v", err)
	}
	if got := luaString("a\"b\\c\n\xc3\xb1"); got != `"a\"b\\c\010\195\177"` {
		t.Fatalf("luaString %s", got)
	}
}
