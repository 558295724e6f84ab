package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"micuenta/internal/testutil/browser"
)

// codesIn returns the newest code sent to each recipient shown in the demo
// mailbox, newest first as the mailbox lists them.
func codesIn(t *testing.T, b *browser.Browser, base string) []string {
	t.Helper()
	b.Navigate(base + "/dev/buzon")
	b.CheckA11y("/dev/buzon")
	return regexp.MustCompile(`\b\d{6}\b`).FindAllString(b.Text("main"), -1)
}

// A person registers in Chromium: identifiers (the browser does the
// human check), name, contacts, both codes from the demo mailbox, password
// — each step and its error state free of accessibility violations.
func TestRegistrationInBrowser(t *testing.T) {
	base, a := seededPortal(t, 60, 4)
	ctx := context.Background()
	p, err := a.DB.FindPersonByID(ctx, 11)
	if err != nil {
		t.Fatal(err)
	}

	b := browser.New(t)
	b.Navigate(base + "/registro")
	b.CheckA11y("/registro")
	b.SetValue("#nss", "123")
	b.ClickAndWait("button[type=submit]")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("bad NSS: title %q", b.Title())
	}
	b.CheckA11y("/registro with errors")

	b.SetValue("#nss", p.NSS.String())
	b.SetValue("#curp", strings.ToLower(p.CURP.String()))
	b.SetValue("#rfc", p.RFC.String())
	b.ClickAndWait("button[type=submit]")
	if !strings.Contains(b.Text("h1"), "¿Eres tú?") {
		t.Fatalf("after step 1: %q — %q", b.Text("h1"), b.Text("main"))
	}
	b.CheckA11y("/registro/nombre")
	b.ClickAndWait("button[value=si]")

	b.CheckA11y("/registro/contacto")
	b.SetValue("#correo", "no-es-correo")
	b.SetValue("#celular", "5511223344")
	b.ClickAndWait("button[type=submit]")
	b.CheckA11y("/registro/contacto with errors")
	b.SetValue("#correo", "persona11@correo.example")
	b.ClickAndWait("button[type=submit]")
	if !strings.Contains(b.Text("h1"), "Escribe tus códigos") {
		t.Fatalf("after contacts: %q", b.Text("h1"))
	}
	b.CheckA11y("/registro/codigos")

	codes := codesIn(t, b, base)
	if len(codes) < 2 {
		t.Fatalf("codes in the mailbox: %v", codes)
	}
	// The mailbox lists newest first: the SMS code, then the e-mail code.
	b.Navigate(base + "/registro/codigos")
	b.SetValue("#codigo_correo", codes[1])
	b.SetValue("#codigo_celular", codes[0])
	b.ClickAndWait("button[value=confirmar]")
	if !strings.Contains(b.Text("h1"), "Crea tu contraseña") {
		t.Fatalf("after codes: %q — %q", b.Text("h1"), b.Text("main"))
	}
	b.CheckA11y("/registro/contrasena")
	b.SetValue("#contrasena", "corta")
	b.ClickAndWait("button[type=submit]")
	b.CheckA11y("/registro/contrasena with errors")
	b.SetValue("#contrasena", "el maguey florece en la sierra")
	b.SetValue("#confirmacion", "el maguey florece en la sierra")
	b.Click("#acepto")
	b.ClickAndWait("button[type=submit]")
	if !strings.HasPrefix(b.Text("h1"), "Hola,") {
		t.Fatalf("after registering: %q — %q", b.Text("h1"), b.Text("main"))
	}

	// The new account signs out, then signs in on another browser (a new
	// device: a code from the mailbox), and from there ends the first
	// browser's session.
	b.ClickAndWait("form[action='/salir'] button")
	b.CheckA11y("/ingresar after signing out")
	signIn(t, b, base, "persona11@correo.example", "el maguey florece en la sierra") // a known device: no code
	if !strings.HasPrefix(b.Text("h1"), "Hola,") {
		t.Fatalf("known device: %q", b.Text("h1"))
	}

	other := browser.New(t)
	signIn(t, other, base, "persona11@correo.example", "el maguey florece en la sierra")
	if !strings.Contains(other.Text("h1"), "Confirma que eres tú") {
		t.Fatalf("new device: %q", other.Text("h1"))
	}
	proveDevice(t, other, base)
	if !strings.HasPrefix(other.Text("h1"), "Hola,") {
		t.Fatalf("after the code: %q", other.Text("h1"))
	}
	other.Navigate(base + "/mi-cuenta/seguridad")
	other.CheckA11y("/mi-cuenta/seguridad")
	if n := strings.Count(other.Text("main"), "la sesión de Chrome"); n != 2 {
		t.Fatalf("%d sessions listed: %q", n, other.Text("main"))
	}
	other.ClickAndWait("tr:not(:has(.tag)) button[value=cerrar-sesion]")
	if !strings.Contains(other.Text("main"), "Cerramos esa sesión") {
		t.Fatalf("after ending the other session: %q", other.Text("main"))
	}
	other.CheckA11y("/mi-cuenta/seguridad after ending a session")
	b.Navigate(base + "/mi-cuenta")
	if !strings.Contains(b.Text("main"), "Tu sesión terminó") {
		t.Fatalf("the ended session still works: %q", b.Text("h1"))
	}
}

// signIn fills /ingresar and submits it.
func signIn(t *testing.T, b *browser.Browser, base, email, password string) {
	t.Helper()
	b.Navigate(base + "/ingresar")
	b.SetValue("#identificador", email)
	b.SetValue("#contrasena", password)
	b.ClickAndWait("button[type=submit]")
}
