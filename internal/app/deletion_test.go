package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"micuenta/internal/web"
)

// Deleting the account of a person who lost its e-mail: identifiers, a code
// to the registered mobile, and registration continues at the contact step.
func TestDeleteAccountJourney(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, email, password := portalFor(t, engine)
			ctx := context.Background()
			acc, _ := a.DB.FindAccountByEmail(ctx, email)
			p, _ := a.DB.FindPersonByID(ctx, acc.PersonID)
			if _, _, err := a.Sessions.Start(ctx, acc.ID, 0, "198.51.100.4", "otro"); err != nil {
				t.Fatal(err)
			}
			recordsBefore, err := a.DB.Totals(ctx)
			if err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, a.Site)
			if rec := b.do("GET", "/borrar-cuenta", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "800 008 3900") {
				t.Fatalf("page: %d", rec.Code)
			}

			// A person without an account is told so (they proved all three identifiers).
			other, _ := a.DB.FindPersonByID(ctx, acc.PersonID+1)
			if rec := b.do("POST", "/borrar-cuenta", identity(t, b, other)); rec.Code != 404 || !strings.Contains(rec.Body.String(), "No tienes una cuenta que borrar") {
				t.Fatalf("no account: %d %s", rec.Code, rec.Body.String())
			}
			// A wrong RFC gets the guidance.
			form := identity(t, b, p)
			form.Set("rfc", "GODE561231GR8")
			if rec := b.do("POST", "/borrar-cuenta", form); rec.Code != 400 || !strings.Contains(rec.Body.String(), "no coinciden") {
				t.Fatalf("mismatch: %d", rec.Code)
			}
			if rec := b.do("POST", "/borrar-cuenta", identity(t, b, p)); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/borrar-cuenta/codigo" {
				t.Fatalf("step 1: %d %s", rec.Code, rec.Body.String())
			}
			if rec := b.do("GET", "/borrar-cuenta/codigo", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "******"+acc.Mobile[6:]) {
				t.Fatalf("code page: %d", rec.Code)
			}
			code := codeTo(t, a, acc.Mobile)
			// Without the confirmation box nothing is deleted, and the code survives.
			if rec := b.do("POST", "/borrar-cuenta/codigo", url.Values{"codigo": {code}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#confirmo"`) {
				t.Fatalf("no confirmation: %d", rec.Code)
			}
			if rec := b.do("POST", "/borrar-cuenta/codigo", url.Values{"codigo": {"000000"}, "confirmo": {"si"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#codigo"`) {
				t.Fatalf("wrong code: %d", rec.Code)
			}
			if _, err := a.DB.FindAccountByEmail(ctx, email); err != nil {
				t.Fatal("the account went before the code was right")
			}
			rec := b.do("POST", "/borrar-cuenta/codigo", url.Values{"codigo": {code}, "confirmo": {"si"}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/registro/contacto?cuenta_borrada=1" {
				t.Fatalf("confirm: %d %s", rec.Code, rec.Body.String())
			}
			if _, err := a.DB.FindAccountByEmail(ctx, email); err == nil {
				t.Fatal("the account is still there")
			}
			if n, _ := a.Sessions.List(ctx, acc.ID); len(n) != 0 {
				t.Fatalf("%d sessions survived", len(n))
			}
			if after, _ := a.DB.Totals(ctx); after != recordsBefore {
				t.Fatalf("the fund's records changed: %v → %v", recordsBefore, after)
			}
			if subject, _ := lastMessageTo(t, a, email); !strings.Contains(subject, "Se borró tu cuenta") {
				t.Fatalf("old address not told: %q", subject)
			}
			// Registration continues at the contact step, and the old
			// e-mail and mobile are free again.
			if rec := b.do("GET", "/registro/contacto?cuenta_borrada=1", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Borramos tu cuenta anterior") {
				t.Fatalf("contact step: %d", rec.Code)
			}
			if rec := b.do("POST", "/registro/contacto", url.Values{"correo": {"nuevo@correo.example"}, "celular": {acc.Mobile}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("contact: %d %s", rec.Code, rec.Body.String())
			}
			// The old password opens nothing.
			nb := newBrowser(t, a.Site)
			if rec := nb.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {password}}); rec.Code != 400 {
				t.Fatalf("old sign-in: %d", rec.Code)
			}
			// An ended flow gets the first step with the reason.
			nb.cookies[web.FlowCookie] = "no-existe"
			if rec := nb.do("GET", "/borrar-cuenta/codigo", nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), "terminó") {
				t.Fatalf("ended flow: %d", rec.Code)
			}
		})
	}
}
