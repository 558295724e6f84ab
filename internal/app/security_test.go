package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/web"
)

// signedIn signs a new browser in, proving it with a code by e-mail.
func signedIn(t *testing.T, a *app.App, email, password string) *browser {
	t.Helper()
	b := newBrowser(t, a.Site)
	if rec := b.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {password}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", rec.Code, rec.Body.String())
	}
	if b.cookies[web.SessionCookie] != "" {
		return b // a known device
	}
	if rec := b.do("POST", "/ingresar/dispositivo", url.Values{"accion": {"enviar"}, "canal": {"correo"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("send code: %d", rec.Code)
	}
	if rec := b.do("POST", "/ingresar/dispositivo", url.Values{"accion": {"confirmar"}, "codigo": {codeTo(t, a, email)}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body.String())
	}
	return b
}

func signedInAt(b *browser) bool { return b.do("GET", "/mi-cuenta", nil).Code == 200 }

func TestSecurityPage(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, email, password := portalFor(t, engine)
			ctx := context.Background()
			acc, _ := a.DB.FindAccountByEmail(ctx, email)
			b1 := signedIn(t, a, email, password)
			b2 := signedIn(t, a, email, password)
			b3 := signedIn(t, a, email, password)

			rec := b1.do("GET", "/mi-cuenta/seguridad", nil)
			body := rec.Body.String()
			if rec.Code != 200 || strings.Count(body, `value="cerrar-sesion"`) != 3 || strings.Count(body, "Esta sesión") != 1 ||
				strings.Count(body, `value="olvidar-dispositivo"`) != 3 || !strings.Contains(body, "Ingreso a tu cuenta") || !strings.Contains(body, "203.0.113.9") {
				t.Fatalf("security page: %d %s", rec.Code, body)
			}
			// End b3's session (the newest) from b1.
			list, _ := a.Sessions.List(ctx, acc.ID)
			newest := list[0].ID
			if rec := b1.do("POST", "/mi-cuenta/seguridad", url.Values{"accion": {"cerrar-sesion"}, "id": {strconv.FormatInt(newest, 10)}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/mi-cuenta/seguridad?hecho=sesion" {
				t.Fatalf("end session: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			if signedInAt(b3) || !signedInAt(b1) || !signedInAt(b2) {
				t.Fatal("ending one session ended the wrong ones")
			}
			// Somebody else's or an unknown session id changes nothing, and is no error page.
			if rec := b1.do("POST", "/mi-cuenta/seguridad", url.Values{"accion": {"cerrar-sesion"}, "id": {"999999"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("unknown session: %d", rec.Code)
			}
			if rec := b1.do("POST", "/mi-cuenta/seguridad", url.Values{"accion": {"nada"}}); rec.Code != 400 {
				t.Fatalf("unknown action: %d", rec.Code)
			}

			// Password change: the current one is needed, the rules hold.
			rec = b1.do("POST", "/mi-cuenta/seguridad/contrasena", url.Values{"actual": {"Mala#2026x"}, "contrasena": {"Chiles#2026"}, "confirmacion": {"Chiles#2026"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#actual"`) || !strings.Contains(rec.Body.String(), "<title>Error: ") {
				t.Fatalf("wrong current password: %d", rec.Code)
			}
			rec = b1.do("POST", "/mi-cuenta/seguridad/contrasena", url.Values{"actual": {password}, "contrasena": {"12345678"}, "confirmacion": {"12345678"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#contrasena"`) {
				t.Fatalf("weak password: %d", rec.Code)
			}
			rec = b1.do("POST", "/mi-cuenta/seguridad/contrasena", url.Values{"actual": {password}, "contrasena": {"Chiles#2026"}, "confirmacion": {"Chiles#2026"}})
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("change: %d %s", rec.Code, rec.Body.String())
			}
			if signedInAt(b2) || !signedInAt(b1) {
				t.Fatal("a password change must end the other sessions and keep this one")
			}
			if subject, _ := lastMessageTo(t, a, email); !strings.Contains(subject, "contraseña") {
				t.Fatalf("no notice: %q", subject)
			}
			if rec := b1.do("GET", "/mi-cuenta/seguridad?hecho=contrasena", nil); !strings.Contains(rec.Body.String(), "Contraseña cambiada") {
				t.Fatal("the change is not in the recent activity")
			}

			// "Cerrar las demás": b2 signs in again (a known device, no code), then is ended.
			b2 = signedIn(t, a, email, "Chiles#2026")
			if rec := b1.do("POST", "/mi-cuenta/seguridad", url.Values{"accion": {"cerrar-otras"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("end others: %d", rec.Code)
			}
			if signedInAt(b2) || !signedInAt(b1) {
				t.Fatal("end others")
			}

			// Forgetting this browser signs it out and it needs a code again.
			devs, _ := a.DB.AccountDevices(ctx, acc.ID)
			s1, _ := a.Sessions.Check(ctx, b1.cookies[web.SessionCookie])
			rec = b1.do("POST", "/mi-cuenta/seguridad", url.Values{"accion": {"olvidar-dispositivo"}, "id": {strconv.FormatInt(s1.DeviceID, 10)}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/ingresar?salida=1" || b1.cookies[web.DeviceCookie] != "" {
				t.Fatalf("forget this device: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			if after, _ := a.DB.AccountDevices(ctx, acc.ID); len(after) != len(devs)-1 {
				t.Fatalf("devices %d → %d", len(devs), len(after))
			}
		})
	}
}

// Sessions end after 15 idle minutes and after 12 hours whatever the
// activity; the next request asks to sign in again (no JavaScript needed).
func TestSessionTimeouts(t *testing.T) {
	a, clock, email, password := portalWithClock(t, "sqlite")
	b := signedIn(t, a, email, password)
	clock.Add(14 * time.Minute)
	if !signedInAt(b) {
		t.Fatal("ended before 15 idle minutes")
	}
	clock.Add(15*time.Minute + time.Second)
	rec := b.do("GET", "/mi-cuenta/seguridad", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/ingresar?siguiente=%2Fmi-cuenta%2Fseguridad&sesion=terminada" {
		t.Fatalf("idle: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	b = signedIn(t, a, email, password)
	for range 12 * 6 { // active every 10 minutes for 12 hours
		clock.Add(10 * time.Minute)
		if !signedInAt(b) {
			break
		}
	}
	if signedInAt(b) {
		t.Fatal("a session outlived 12 hours")
	}
}

func TestContactChange(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, email, password := portalFor(t, engine)
			ctx := context.Background()
			acc, _ := a.DB.FindAccountByEmail(ctx, email)
			b := signedIn(t, a, email, password)
			if rec := b.do("GET", "/mi-cuenta/datos", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "de***@micuenta.example") {
				t.Fatalf("page: %d", rec.Code)
			}
			// Nothing chosen; a wrong password; the same address; a bad one.
			if rec := b.do("POST", "/mi-cuenta/datos", url.Values{"valor": {"x@correo.example"}, "contrasena": {password}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#tipo"`) {
				t.Fatalf("no kind: %d", rec.Code)
			}
			rec := b.do("POST", "/mi-cuenta/datos", url.Values{"tipo": {"correo"}, "valor": {"nuevo@correo.example"}, "contrasena": {"Mala#2026x"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "contraseña actual no es correcta") || !strings.Contains(rec.Body.String(), `value="nuevo@correo.example"`) {
				t.Fatalf("wrong password: %d", rec.Code)
			}
			if rec := b.do("POST", "/mi-cuenta/datos", url.Values{"tipo": {"correo"}, "valor": {email}, "contrasena": {password}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "ya es el correo") {
				t.Fatalf("same e-mail: %d", rec.Code)
			}
			if rec := b.do("POST", "/mi-cuenta/datos", url.Values{"tipo": {"celular"}, "valor": {"123"}, "contrasena": {password}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "10 dígitos") {
				t.Fatalf("bad mobile: %d", rec.Code)
			}

			// The e-mail: a code to the new one, a notice to the old one.
			newEmail := "nuevo@correo.example"
			if rec := b.do("POST", "/mi-cuenta/datos", url.Values{"tipo": {"correo"}, "valor": {" Nuevo@Correo.example"}, "contrasena": {password}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("start: %d %s", rec.Code, rec.Body.String())
			}
			if rec := b.do("GET", "/mi-cuenta/datos/codigo", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "nu***@correo.example") {
				t.Fatalf("code page: %d %s", rec.Code, rec.Body.String())
			}
			if rec := b.do("POST", "/mi-cuenta/datos/codigo", url.Values{"codigo": {"12"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#codigo"`) {
				t.Fatalf("bad code: %d", rec.Code)
			}
			if rec := b.do("POST", "/mi-cuenta/datos/codigo", url.Values{"codigo": {codeTo(t, a, newEmail)}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/mi-cuenta/datos?hecho=1" {
				t.Fatalf("confirm: %d %s", rec.Code, rec.Body.String())
			}
			if subject, body := lastMessageTo(t, a, email); !strings.Contains(subject, "Cambió el correo") || !strings.Contains(body, "nu***@correo.example") {
				t.Fatalf("old address not told: %q", subject)
			}
			if got, _ := a.DB.FindAccountByID(ctx, acc.ID); got.Email != newEmail {
				t.Fatalf("e-mail is %q", got.Email)
			}
			// The mobile: the code goes by SMS; the old number hears of it.
			if rec := b.do("POST", "/mi-cuenta/datos", url.Values{"tipo": {"celular"}, "valor": {"55 9988 7766"}, "contrasena": {password}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("start mobile: %d %s", rec.Code, rec.Body.String())
			}
			if rec := b.do("POST", "/mi-cuenta/datos/codigo", url.Values{"codigo": {codeTo(t, a, "5599887766")}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("confirm mobile: %d %s", rec.Code, rec.Body.String())
			}
			if _, body := lastMessageTo(t, a, acc.Mobile); !strings.Contains(body, "celular de tu cuenta cambió") {
				t.Fatalf("old mobile not told: %q", body)
			}
			// The flow is spent: its page now sends back to the form.
			if rec := b.do("GET", "/mi-cuenta/datos/codigo", nil); rec.Code != 400 {
				t.Fatalf("spent flow: %d", rec.Code)
			}
			// Signing in works with the new address.
			if rec := newBrowser(t, a.Site).do("POST", "/ingresar", url.Values{"identificador": {newEmail}, "contrasena": {password}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("sign in with the new e-mail: %d", rec.Code)
			}
		})
	}
}

// The idle warning is on signed-in pages only, and its "Seguir" request
// keeps a live session (204) and reports an ended one (401).
func TestIdleWarningAndKeepAlive(t *testing.T) {
	a, clock, email, password := portalWithClock(t, "sqlite")
	anon := newBrowser(t, a.Site)
	if body := anon.do("GET", "/ayuda", nil).Body.String(); strings.Contains(body, "aviso-sesion") {
		t.Fatal("the warning is on a public page for an anonymous visitor")
	}
	b := signedIn(t, a, email, password)
	body := b.do("GET", "/mi-cuenta", nil).Body.String()
	if !strings.Contains(body, `id="aviso-sesion"`) || !strings.Contains(body, `data-inactiva="865"`) || !strings.Contains(body, `data-aviso="120"`) {
		t.Fatalf("no warning on a signed-in page: %s", body)
	}
	for range 3 { // 3 × 14 minutes, kept alive each time: 42 minutes in all
		clock.Add(14 * time.Minute)
		if rec := b.do("POST", "/mi-cuenta/sesion", url.Values{}); rec.Code != http.StatusNoContent {
			t.Fatalf("keep alive: %d", rec.Code)
		}
	}
	clock.Add(16 * time.Minute)
	if rec := b.do("POST", "/mi-cuenta/sesion", url.Values{}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("ended session: %d", rec.Code)
	}
}
