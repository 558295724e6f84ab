package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/web"
)

// twin is a second portal process on the same database and keys as a, as
// a second `serve` behind a load balancer is.
func twin(t *testing.T, a *app.App, clock app.Options) *app.App {
	t.Helper()
	b, err := app.New(context.Background(), a.Config, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// Two processes on one PostgreSQL behave as one portal: a session made on
// one is valid on the other and ends on both; the account lock and the
// per-address limits count attempts made through either.
func TestScaleOutOnPostgres(t *testing.T) {
	a1, clock, email, password := newPortal(t, "postgres", func(c *config.Config) { c.Demo = true })
	a2 := twin(t, a1, app.Options{Vault: a1.Vault, Clock: clock})

	// A session made on one process is valid on the other.
	b1 := signedIn(t, a1, email, password)
	b2 := newBrowser(t, a2.Site)
	for k, v := range b1.cookies {
		b2.cookies[k] = v
	}
	if rec := b2.do("GET", "/mi-cuenta", nil); rec.Code != http.StatusOK {
		t.Fatalf("the session from process 1 on process 2: %d", rec.Code)
	}
	// Signing out on the second ends it on the first.
	if rec := b2.do("POST", "/salir", url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign out on process 2: %d", rec.Code)
	}
	b1.cookies[web.SessionCookie] = b2.cookies[web.SessionCookie]
	if signedInAt(b1) {
		t.Fatal("the session still works on process 1 after signing out on process 2")
	}

	// Failed sign-ins alternate between the processes; the lock after
	// LockAfter of them holds on both, even for the right password.
	sites := []http.Handler{a1.Site, a2.Site}
	for i := 0; i < 10; i++ {
		b := newBrowser(t, sites[i%2])
		b.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {"No-es-la-clave-1"}})
		clock.Add(61e9) // past the growing delay between attempts
	}
	for i, site := range sites {
		b := newBrowser(t, site)
		rec := b.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {password}})
		if rec.Code == http.StatusSeeOther {
			t.Fatalf("process %d signs in a locked account", i+1)
		}
	}

	// The per-address limit on recovery requests counts both processes.
	p, err := a1.DB.FindPersonByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[int]int{}
	for i := 0; i < 12; i++ { // the limit is 10 an hour per address
		b := newBrowser(t, sites[i%2])
		codes[b.do("POST", "/recuperar", url.Values{"nss": {p.NSS.String()}}).Code]++
	}
	if codes[http.StatusOK] != 10 || codes[http.StatusTooManyRequests] != 2 {
		t.Fatalf("12 recovery requests from one address through two processes: %v, want 10 accepted and 2 refused", codes)
	}
}
