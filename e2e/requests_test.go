package e2e

import (
	"strings"
	"testing"

	"micuenta/internal/testutil/browser"
)

// A person asks for a data correction in Chromium: the list, the form and
// its errors, the new folio, the request's page — all axe-clean.
func TestCorrectionRequestInBrowser(t *testing.T) {
	base, _, email, password := withDemoAccount(t, 40, 8)
	b := browser.New(t)
	signIn(t, b, base, email, password)
	proveDevice(t, b, base)

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
