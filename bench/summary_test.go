package bench

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"micuenta/internal/web"
)

// BenchmarkSummaryPage measures GET /mi-cuenta, the signed-in summary,
// through the whole handler stack on a seeded SQLite database: the page
// the load benchmark (bench/load) compares with a bare hello handler.
// Run it with -cpuprofile to see where a request's time goes.
//
//	go test ./bench -run '^$' -bench SummaryPage -benchtime 20000x
func BenchmarkSummaryPage(b *testing.B) {
	benchmarkSignedInPage(b, "/mi-cuenta")
}

// BenchmarkMovementsPage measures the savings page filtered to
// contributions (its first page of 20), the load benchmark's movements
// phase and DESIGN.md's second throughput budget.
//
//	go test ./bench -run '^$' -bench MovementsPage -benchtime 5000x
func BenchmarkMovementsPage(b *testing.B) {
	benchmarkSignedInPage(b, "/mi-cuenta/ahorro?tipo=aportacion")
}

// benchmarkSignedInPage signs 50 people in and asks for target with their
// sessions in turn, two requests in flight, each expected to answer 200.
func benchmarkSignedInPage(b *testing.B, target string) {
	a := seededApp(b, "sqlite", signInAccounts, stubHash)
	users := seedAccounts(b, a)
	cookies := make([]string, 0, 50)
	for _, u := range users[:50] {
		form := url.Values{"identificador": {u.email}, "contrasena": {u.password}}
		req := httptest.NewRequest("POST", "/ingresar", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(&http.Cookie{Name: web.DeviceCookie, Value: u.device})
		rec := httptest.NewRecorder()
		a.Site.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			if c.Name == web.SessionCookie {
				cookies = append(cookies, web.SessionCookie+"="+c.Value+"; "+web.DeviceCookie+"="+u.device)
			}
		}
	}
	if len(cookies) != 50 {
		b.Fatalf("%d sessions", len(cookies))
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			req := httptest.NewRequest("GET", target, nil)
			req.Header.Set("Cookie", cookies[i%len(cookies)])
			rec := httptest.NewRecorder()
			a.Site.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("%s: %d", target, rec.Code)
			}
		}
	})
}
