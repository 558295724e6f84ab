// Package e2e holds the browser journeys: the real app on a temporary
// database, driven by headless Chromium, every page checked with axe-core.
package e2e

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/credit"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/synth"
	"micuenta/internal/testutil/browser"
	"micuenta/internal/vault"
)

// startPortal serves the whole portal on a fresh SQLite database and
// returns its base URL.
func startPortal(t *testing.T) string {
	base, _ := startPortalApp(t)
	return base
}

// sites is a running portal: the people's site and the back office, each
// on its own listener, and the app behind both.
type sites struct {
	base  string // the people's site, e.g. http://127.0.0.1:41234
	admin string // the operators' back office
	a     *app.App
}

// startSites serves the whole portal and the back office on a fresh SQLite
// database, keeping the documents attached to requests in a temporary
// directory.
func startSites(t *testing.T) sites {
	t.Helper()
	return startSitesAt(t, nil)
}

// startSitesAt is startSites on the test's clock (nil: the system's), for
// journeys whose rules depend on the day, such as a monthly window.
func startSitesAt(t *testing.T, clock portal.Clock) sites {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := config.Config{
		DB: "sqlite:" + filepath.Join(t.TempDir(), "e2e.db"), Addr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0",
		DocumentsDir: t.TempDir(), LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5e9, Demo: true,
	}
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Vault: vault.NewRandom(), Migrate: true, Clock: clock})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ln, err := a.Listen()
	if err != nil {
		cancel()
		a.Close()
		t.Fatal(err)
	}
	adminLn, err := a.ListenAdmin()
	if err != nil {
		cancel()
		ln.Close()
		a.Close()
		t.Fatal(err)
	}
	a.AdminListener = adminLn
	done := make(chan struct{})
	go func() { _ = a.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done; a.Close() })
	return sites{base: "http://" + ln.Addr().String(), admin: "http://" + adminLn.Addr().String(), a: a}
}

// startPortalApp is startPortal that also returns the app.
func startPortalApp(t *testing.T) (string, *app.App) {
	t.Helper()
	s := startSites(t)
	return s.base, s.a
}

// seedPeople loads a synthetic population of people (from seed), as the
// demo loads one.
func seedPeople(t *testing.T, a *app.App, people int, seed uint64) {
	t.Helper()
	ctx := context.Background()
	ref, err := reference.Load(ctx, a.DB)
	if err != nil {
		t.Fatal(err)
	}
	g, err := synth.NewGenerator(synth.Params{People: people, Seed: seed, AsOf: portal.NewDate(2026, 11, 24)}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Run(ctx, a.DB, quiet{}); err != nil {
		t.Fatal(err)
	}
}

// seededPortal is startPortalApp with a synthetic population of people
// (from seed) loaded.
func seededPortal(t *testing.T, people int, seed uint64) (string, *app.App) {
	t.Helper()
	base, a := startPortalApp(t)
	seedPeople(t, a, people, seed)
	return base, a
}

// withDemoAccount is seededPortal plus the demo account.
func withDemoAccount(t *testing.T, people int, seed uint64) (base string, a *app.App, email, password string) {
	t.Helper()
	s, email, password := demoSites(t, people, seed)
	return s.base, s.a, email, password
}

// demoSites is withDemoAccount that also serves the back office.
func demoSites(t *testing.T, people int, seed uint64) (s sites, email, password string) {
	t.Helper()
	s = startSites(t)
	seedPeople(t, s.a, people, seed)
	email, password, err := s.a.CreateDemoAccount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s, email, password
}

// demoAccount is the demo account of the sites and its person.
func demoAccount(t *testing.T, a *app.App, email string) (*account.Account, *person.Person) {
	t.Helper()
	ctx := context.Background()
	acc, err := a.DB.FindAccountByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.DB.FindPersonByID(ctx, acc.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	return acc, p
}

// demoCredit is the demo account's credit, which the journeys need live.
func demoCredit(t *testing.T, a *app.App, email string) *credit.View {
	t.Helper()
	acc, _ := demoAccount(t, a, email)
	v, err := a.Credits.Mine(context.Background(), acc.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Credit.State != credit.StateVigente && v.Credit.State != credit.StateEnProrroga {
		t.Fatalf("the demo account's credit %s is %s, not live", v.Credit.Number, v.Credit.State)
	}
	return v
}

// proveDevice finishes a sign-in that asks for a code on a new device: the
// code goes by e-mail and is read from the demo mailbox.
func proveDevice(t *testing.T, b *browser.Browser, base string) {
	t.Helper()
	b.ClickAndWait("button[type=submit]") // send the code by e-mail
	code := codesIn(t, b, base)[0]
	b.Navigate(base + "/ingresar/dispositivo")
	b.SetValue("#codigo", code)
	b.ClickAndWait("form:last-of-type button[type=submit]")
}
