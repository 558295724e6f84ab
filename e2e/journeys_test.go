package e2e

import (
	"context"
	"strings"
	"testing"

	"micuenta/internal/testutil/browser"
)

// The security page's actions and account deletion, end to end in
// Chromium. The demo account signs in on two browsers; from one it closes
// the other's session, changes its password (which ends the other
// sessions), and forgets its other device. Then it deletes the account
// with its identifiers and the code sent to its celular, lands on the
// registration's contact step to register again, and the old password
// no longer signs in. Every page is axe-clean.
func TestSecurityAndDeletionInBrowser(t *testing.T) {
	s, email, password := demoSites(t, 40, 17)
	base := s.base
	ctx := context.Background()
	acc, p := demoAccount(t, s.a, email)

	b := browser.New(t)
	signIn(t, b, base, email, password)
	proveDevice(t, b, base)
	other := browser.New(t)
	signIn(t, other, base, email, password)
	proveDevice(t, other, base)

	// Close the other browser's session.
	b.Navigate(base + "/mi-cuenta/seguridad")
	b.CheckA11y("/mi-cuenta/seguridad with two sessions")
	b.ClickAndWait("tr:not(:has(.tag)) button[value=cerrar-sesion]")
	if notice := b.Text("main .notice"); !strings.Contains(notice, "Cerramos esa sesión") {
		t.Fatalf("after closing a session: %q", notice)
	}
	other.Navigate(base + "/mi-cuenta")
	if !strings.Contains(other.Text("main"), "Tu sesión terminó") {
		t.Fatalf("the closed session still works: %q", other.Text("h1"))
	}

	// Change the password; the other browser, signed in again, is signed
	// out by it.
	signIn(t, other, base, email, password) // a known device now: no code
	const newPassword = "Nopales#2027"
	b.Navigate(base + "/mi-cuenta/seguridad")
	b.SetValue("#actual", password)
	b.SetValue("#contrasena", newPassword)
	b.SetValue("#confirmacion", newPassword)
	b.ClickAndWait("form[action='/mi-cuenta/seguridad/contrasena'] button")
	if notice := b.Text("main .notice"); !strings.Contains(notice, "Cambiamos tu contraseña") {
		t.Fatalf("after changing the password (%q): %q", b.Title(), b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/seguridad after changing the password")
	other.Navigate(base + "/mi-cuenta")
	if !strings.Contains(other.Text("main"), "Tu sesión terminó") {
		t.Fatalf("changing the password left the other session open: %q", other.Text("h1"))
	}

	// Forget the other browser: it is asked for a code again.
	b.Navigate(base + "/mi-cuenta/seguridad")
	b.ClickAndWait("tr:not(:has(.tag)) button[value=olvidar-dispositivo]")
	if notice := b.Text("main .notice"); !strings.Contains(notice, "Olvidamos ese dispositivo") {
		t.Fatalf("after forgetting a device: %q", b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/seguridad after forgetting a device")
	signIn(t, other, base, email, newPassword)
	if h := other.Text("h1"); !strings.Contains(h, "Confirma que eres tú") {
		t.Fatalf("a forgotten device signs in without a code: %q", h)
	}

	// Delete the account and start again.
	b.ClickAndWait("form[action='/salir'] button")
	b.Navigate(base + "/borrar-cuenta")
	b.SetValue("#nss", p.NSS.String())
	b.SetValue("#curp", p.CURP.String())
	b.SetValue("#rfc", p.RFC.String())
	b.ClickAndWait("form[action='/borrar-cuenta'] button")
	if h := b.Text("h1"); !strings.Contains(h, "Confirma que quieres borrar") {
		t.Fatalf("deletion: %q — %q", h, b.Text("main"))
	}
	code := codeTo(t, b, base, acc.Mobile[len(acc.Mobile)-4:])
	b.Navigate(base + "/borrar-cuenta/codigo")
	b.SetValue("#codigo", code)
	b.Click("#confirmo")
	b.ClickAndWait("button[value=borrar]")
	if path := browser.Eval[string](b, "location.pathname"); path != "/registro/contacto" {
		t.Fatalf("after deleting: at %s (%q) %q", path, b.Title(), b.Text("main"))
	}
	b.CheckA11y("/registro/contacto after deleting the account")
	if _, err := s.a.DB.FindAccountByEmail(ctx, email); err == nil {
		t.Fatal("the account is still there")
	}
	signIn(t, other, base, email, newPassword)
	if !strings.HasPrefix(other.Title(), "Error:") {
		t.Fatalf("the deleted account signs in: %q", other.Text("main"))
	}
}
