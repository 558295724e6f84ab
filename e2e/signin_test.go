package e2e

import (
	"regexp"
	"strings"
	"testing"

	"micuenta/internal/testutil/browser"
)

type quiet struct{}

func (quiet) Start(int64) {}
func (quiet) Set(int64)   {}
func (quiet) Finish()     {}

// A person signs in on a new browser: password, a code read from the demo
// mailbox, their account page, and out again — every page and error state
// without accessibility violations.
func TestSignInOnNewDevice(t *testing.T) {
	base, _, email, password := withDemoAccount(t, 100, 2)

	b := browser.New(t)
	b.Navigate(base + "/ingresar")
	b.CheckA11y("/ingresar")
	b.ClickAndWait("button[type=submit]")
	if !strings.Contains(b.Title(), "Error:") || !strings.Contains(b.Text(".error-summary"), "Escribe tu correo") {
		t.Fatalf("empty form: title %q", b.Title())
	}
	b.CheckA11y("/ingresar with errors")

	b.SetValue("#identificador", email)
	b.SetValue("#contrasena", "Equivocada#1")
	b.ClickAndWait("button[type=submit]")
	if !strings.Contains(b.Text(".error-summary"), "no coinciden") {
		t.Fatal("wrong password: no error")
	}
	b.SetValue("#contrasena", password)
	b.ClickAndWait("button[type=submit]")
	if !strings.Contains(b.Text("h1"), "Confirma que eres tú") {
		t.Fatalf("after the password: %q", b.Text("h1"))
	}
	b.CheckA11y("/ingresar/dispositivo")
	b.ClickAndWait("button[type=submit]") // send the code by e-mail
	b.CheckA11y("/ingresar/dispositivo with the code form")

	b.Navigate(base + "/dev/buzon")
	b.CheckA11y("/dev/buzon")
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(b.Text("main"))
	if code == "" {
		t.Fatal("no code in the demo mailbox")
	}
	b.Navigate(base + "/ingresar/dispositivo")
	b.SetValue("#codigo", code)
	b.ClickAndWait("form:last-of-type button[type=submit]")
	if !strings.HasPrefix(b.Text("h1"), "Hola,") {
		t.Fatalf("after the code: %q", b.Text("h1"))
	}
	b.CheckA11y("/mi-cuenta")
	b.Viewport(320, 800)
	if b.HorizontalOverflow() {
		t.Error("/mi-cuenta scrolls sideways at 320 px")
	}
	b.ClickAndWait("form[action='/salir'] button")
	if !strings.Contains(b.Text("main"), "Saliste de tu cuenta") {
		t.Fatalf("after signing out: %q", b.Text("main"))
	}
	b.CheckA11y("/ingresar after signing out")
}
