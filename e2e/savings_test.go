package e2e

import (
	"strings"
	"testing"
	"time"

	"micuenta/internal/testutil/browser"
)

// A borrower looks at their savings in Chromium: the balance, a filtered
// movement list, a bad filter, their employment history — all free of
// accessibility violations, and usable at 320 px.
func TestSavingsInBrowser(t *testing.T) {
	base, _, email, password := withDemoAccount(t, 60, 6)
	b := browser.New(t)
	signIn(t, b, base, email, password)
	proveDevice(t, b, base)

	b.Navigate(base + "/mi-cuenta")
	if !strings.Contains(b.Text("main"), "Ahorro para la vivienda") {
		t.Fatalf("summary: %q", b.Text("main"))
	}
	b.Navigate(base + "/mi-cuenta/ahorro")
	if !strings.Contains(b.Text("main"), "Saldo de tu Subcuenta de Vivienda") {
		t.Fatalf("savings: %q", b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/ahorro")
	b.SetValue("#tipo", "aportacion")
	b.ClickAndWait("form.filter-form button[type=submit]")
	if !strings.Contains(b.Text("main"), "Quitar filtros") || strings.Contains(b.Text("table"), "Rendimiento") {
		t.Fatalf("filtered: %q", b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/ahorro filtered")
	b.Viewport(320, 800)
	if b.HorizontalOverflow() {
		t.Error("/mi-cuenta/ahorro scrolls sideways at 320 px")
	}
	b.Viewport(1280, 800)
	b.Navigate(base + "/mi-cuenta/ahorro?anio=1800")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("bad filter: %q", b.Title())
	}
	b.CheckA11y("/mi-cuenta/ahorro with a bad filter")
	// The calculator: works as a form, and updates as the person types.
	b.Navigate(base + "/mi-cuenta/ahorro/calculadora")
	b.CheckA11y("/mi-cuenta/ahorro/calculadora")
	before := b.Text("#resultado .heading-l")
	b.SetValue("#anios", "35")
	browser.Eval[bool](b, `(() => { document.getElementById("anios").dispatchEvent(new Event("input", {bubbles: true})); return true; })()`)
	time.Sleep(1500 * time.Millisecond)
	if after := b.Text("#resultado .heading-l"); after == before || !strings.Contains(b.Text("#resultado caption"), "Proyección") {
		t.Fatalf("live update: %q → %q", before, after)
	}
	b.SetValue("#anios", "99")
	browser.Eval[bool](b, `(() => { document.getElementById("anios").dispatchEvent(new Event("input", {bubbles: true})); return true; })()`)
	time.Sleep(1500 * time.Millisecond)
	if !strings.HasPrefix(b.Title(), "Error:") || !strings.Contains(b.Text("#calculadora-errores"), "de 1 a 50") {
		t.Fatalf("live error: %q %q", b.Title(), b.Text("#calculadora-errores"))
	}
	b.CheckA11y("/mi-cuenta/ahorro/calculadora with an error, updated live")

	b.Navigate(base + "/mi-cuenta/relaciones-laborales")
	b.CheckA11y("/mi-cuenta/relaciones-laborales")
	if !strings.Contains(b.Text("main"), "Actual") {
		t.Fatalf("jobs: %q", b.Text("main"))
	}
	// The notices page and its saved state.
	b.Navigate(base + "/mi-cuenta/notificaciones")
	b.CheckA11y("/mi-cuenta/notificaciones")
	b.Click("#celular")
	b.ClickAndWait("form[action='/mi-cuenta/notificaciones'] button")
	if !strings.Contains(b.Text("main"), "Guardamos tus preferencias") {
		t.Fatalf("notices: %q", b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/notificaciones saved")

	// Last, as axe needs JavaScript: the calculator without it.
	b.DisableJavaScript()
	b.Navigate(base + "/mi-cuenta/ahorro/calculadora?anios=5")
	if !strings.Contains(b.Text("main"), "Saldo estimado al cierre de") {
		t.Fatalf("without JavaScript: %q", b.Text("main"))
	}
}
