package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"micuenta/internal/testutil/browser"
)

// The account's own pages in Chromium — recovery, deletion, contact data,
// security with its error states, and the idle-session warning — each free
// of accessibility violations.
func TestAccountPagesInBrowser(t *testing.T) {
	base, a, email, _ := withDemoAccount(t, 60, 5)
	ctx := context.Background()
	acc, _ := a.DB.FindAccountByEmail(ctx, email)
	p, _ := a.DB.FindPersonByID(ctx, acc.PersonID)

	b := browser.New(t)
	// Recovery: an error, the "sent" answer, the link from the mailbox.
	b.Navigate(base + "/recuperar")
	b.CheckA11y("/recuperar")
	b.SetValue("#nss", "12")
	b.ClickAndWait("button[type=submit]")
	b.CheckA11y("/recuperar with errors")
	b.SetValue("#nss", p.NSS.String())
	b.ClickAndWait("button[type=submit]")
	if !strings.Contains(b.Text("main"), "Revisa tu correo") {
		t.Fatalf("after asking: %q", b.Text("main"))
	}
	b.CheckA11y("/recuperar sent")
	b.Navigate(base + "/dev/buzon")
	link := regexp.MustCompile(`/recuperar/nueva\?clave=[A-Za-z0-9_-]+`).FindString(b.Text("main"))
	if link == "" {
		t.Fatal("no recovery link in the mailbox")
	}
	b.Navigate(base + link)
	b.CheckA11y("/recuperar/nueva")
	b.SetValue("#contrasena", "Chiles#2026")
	b.SetValue("#confirmacion", "Chiles#2027")
	b.ClickAndWait("button[type=submit]")
	b.CheckA11y("/recuperar/nueva with errors")
	b.SetValue("#contrasena", "Chiles#2026")
	b.SetValue("#confirmacion", "Chiles#2026")
	b.ClickAndWait("button[type=submit]")
	if !strings.Contains(b.Text("main"), "Guardamos tu contraseña nueva") {
		t.Fatalf("after the new password: %q", b.Text("main"))
	}
	password := "Chiles#2026"

	// Sign in (a new device), then the signed-in pages.
	signIn(t, b, base, email, password)
	proveDevice(t, b, base)

	b.Navigate(base + "/mi-cuenta/seguridad")
	b.SetValue("#actual", "Mala#2026x")
	b.SetValue("#contrasena", "Tacos#2026")
	b.SetValue("#confirmacion", "Tacos#2026")
	b.ClickAndWait("form[action='/mi-cuenta/seguridad/contrasena'] button")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("wrong current password: %q", b.Title())
	}
	b.CheckA11y("/mi-cuenta/seguridad with errors")

	b.Navigate(base + "/mi-cuenta/datos")
	b.CheckA11y("/mi-cuenta/datos")
	b.ClickAndWait("form[action='/mi-cuenta/datos'] button")
	b.CheckA11y("/mi-cuenta/datos with errors")
	b.Click("#tipo-celular")
	b.SetValue("#valor", "5599001122")
	b.SetValue("#contrasena", password)
	b.ClickAndWait("form[action='/mi-cuenta/datos'] button")
	if !strings.Contains(b.Text("h1"), "Confirma tu celular nuevo") {
		t.Fatalf("contact change: %q — %q", b.Text("h1"), b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/datos/codigo")
	b.SetValue("#codigo", "1")
	b.ClickAndWait("form[action='/mi-cuenta/datos/codigo'] button")
	b.CheckA11y("/mi-cuenta/datos/codigo with errors")

	// The idle warning, brought forward: the page runs the script again
	// with a 6-second limit and a 5-second warning.
	b.Navigate(base + "/mi-cuenta")
	browser.Eval[bool](b, `(() => {
		const box = document.getElementById("aviso-sesion");
		box.setAttribute("data-inactiva", "6"); box.setAttribute("data-aviso", "5");
		const s = document.createElement("script");
		s.src = document.querySelector("script[src*='sesion']").src;
		document.body.appendChild(s);
		return true;
	})()`)
	time.Sleep(2 * time.Second)
	if !browser.Eval[bool](b, `!document.getElementById("aviso-sesion").hidden && document.activeElement.hasAttribute("data-seguir")`) {
		t.Fatal("the idle warning did not show with the focus on its button")
	}
	b.CheckA11y("/mi-cuenta with the idle warning")
	b.Click("[data-seguir]")
	time.Sleep(500 * time.Millisecond)
	if !browser.Eval[bool](b, `document.getElementById("aviso-sesion").hidden`) {
		t.Fatal("Seguir did not close the warning")
	}
	b.ClickAndWait("form[action='/salir'] button")

	// Deletion: the page and its error state, then the code page.
	b.Navigate(base + "/borrar-cuenta")
	b.CheckA11y("/borrar-cuenta")
	b.SetValue("#nss", p.NSS.String())
	b.ClickAndWait("form[action='/borrar-cuenta'] button")
	b.CheckA11y("/borrar-cuenta with errors")
	b.Navigate(base + "/borrar-cuenta")
	b.SetValue("#nss", p.NSS.String())
	b.SetValue("#curp", p.CURP.String())
	b.SetValue("#rfc", p.RFC.String())
	b.ClickAndWait("form[action='/borrar-cuenta'] button")
	if !strings.Contains(b.Text("h1"), "Confirma que quieres borrar") {
		t.Fatalf("deletion: %q — %q", b.Text("h1"), b.Text("main"))
	}
	b.CheckA11y("/borrar-cuenta/codigo")
	b.ClickAndWait("button[value=borrar]")
	b.CheckA11y("/borrar-cuenta/codigo with errors")
}
