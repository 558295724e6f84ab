package e2e

import (
	"context"
	"strings"
	"testing"

	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/synth"
	"micuenta/internal/testutil/browser"
)

// A person asks for a data correction in Chromium: the list, the form and
// its errors, the new folio, the request's page — all axe-clean.
func TestCorrectionRequestInBrowser(t *testing.T) {
	base, a := startPortalApp(t)
	ctx := context.Background()
	ref, _ := reference.Load(ctx, a.DB)
	g, _ := synth.NewGenerator(synth.Params{People: 40, Seed: 8, AsOf: portal.NewDate(2026, 11, 24)}, ref)
	if _, err := g.Run(ctx, a.DB, quiet{}); err != nil {
		t.Fatal(err)
	}
	email, password, err := a.CreateDemoAccount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := browser.New(t)
	signIn(t, b, base, email, password)
	b.ClickAndWait("button[type=submit]")
	code := codesIn(t, b, base)[0]
	b.Navigate(base + "/ingresar/dispositivo")
	b.SetValue("#codigo", code)
	b.ClickAndWait("form:last-of-type button[type=submit]")

	b.Navigate(base + "/mi-cuenta/tramites")
	b.CheckA11y("/mi-cuenta/tramites empty")
	b.Navigate(base + "/mi-cuenta/tramites/nuevo/correccion")
	b.CheckA11y("/mi-cuenta/tramites/nuevo/correccion")
	b.ClickAndWait("form[action='/mi-cuenta/tramites/nuevo/correccion'] button")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("empty form: %q", b.Title())
	}
	b.CheckA11y("/mi-cuenta/tramites/nuevo/correccion with errors")
	b.Click("#campo-curp")
	b.SetValue("#valor", "HEGG560427MVZRRL04")
	b.ClickAndWait("form[action='/mi-cuenta/tramites/nuevo/correccion'] button")
	if !strings.Contains(b.Text("main"), "Tu folio es") {
		t.Fatalf("after filing: %q", b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/tramites with the new folio")
	b.ClickAndWait("table a.mono")
	if !strings.Contains(b.Text("main"), "HEGG560427MVZRRL04") {
		t.Fatalf("request page: %q", b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio}")
}
