package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/person"
	"micuenta/internal/web"
)

var challengeRe = regexp.MustCompile(`name="dato" value="([^"]+)"`)

// identity returns the form of step 1 for a person, with the human check
// solved as a browser would.
func identity(t *testing.T, b *browser, p *person.Person) url.Values {
	t.Helper()
	rec := b.do("GET", "/registro", nil)
	m := challengeRe.FindStringSubmatch(rec.Body.String())
	if rec.Code != 200 || m == nil {
		t.Fatalf("registration page: %d", rec.Code)
	}
	return url.Values{"nss": {p.NSS.String()}, "curp": {p.CURP.String()}, "rfc": {p.RFC.String()},
		"dato": {m[1]}, "trabajo": {account.SolveWork(m[1], account.PowBits)}}
}

func codeTo(t *testing.T, a *app.App, to string) string {
	t.Helper()
	_, body := lastMessageTo(t, a, to)
	return codeRe.FindString(body)
}

func TestRegistrationJourney(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, demoEmail, _ := portalFor(t, engine)
			p, err := a.DB.FindPersonByID(context.Background(), 7)
			if err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, a.Site)

			// Step 1, with a typo in the CURP: a field error, nothing opened.
			form := identity(t, b, p)
			form.Set("curp", p.CURP.String()[:17])
			if rec := b.do("POST", "/registro", form); rec.Code != 400 || !strings.Contains(rec.Body.String(), "18 caracteres") {
				t.Fatalf("short CURP: %d", rec.Code)
			}
			// Someone else's RFC: the guidance, not which identifier exists.
			form = identity(t, b, p)
			form.Set("rfc", "GODE561231GR8")
			rec := b.do("POST", "/registro", form)
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "no coinciden con nuestros registros") {
				t.Fatalf("mismatch: %d %s", rec.Code, rec.Body.String())
			}
			// The same challenge cannot be spent twice.
			form = identity(t, b, p)
			if rec := b.do("POST", "/registro", form); rec.Code != http.StatusSeeOther {
				t.Fatalf("step 1: %d %s", rec.Code, rec.Body.String())
			}
			if rec := b.do("POST", "/registro", form); rec.Code != 400 || !strings.Contains(rec.Body.String(), "ya se envió") {
				t.Fatalf("replayed challenge: %d", rec.Code)
			}

			// Step 2: the masked name.
			rec = b.do("GET", "/registro/nombre", nil)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), p.MaskedName()) || strings.Contains(rec.Body.String(), p.FirstSurname) && len(p.FirstSurname) > 2 {
				t.Fatalf("name step: %d", rec.Code)
			}
			if rec := b.do("POST", "/registro/nombre", url.Values{"respuesta": {"si"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("confirm name: %d", rec.Code)
			}

			// Step 3: the demo account's e-mail is taken; a bad mobile is refused.
			rec = b.do("POST", "/registro/contacto", url.Values{"correo": {demoEmail}, "celular": {"55 1234 567"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "ya está registrado en otra cuenta") || !strings.Contains(rec.Body.String(), "10 dígitos") {
				t.Fatalf("contact errors: %d %s", rec.Code, rec.Body.String())
			}
			email, mobile := "persona7@correo.example", "5587654321"
			if rec := b.do("POST", "/registro/contacto", url.Values{"correo": {"Persona7@Correo.example"}, "celular": {"+52 55 8765 4321"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("contact: %d %s", rec.Code, rec.Body.String())
			}

			// Step 4: both codes, each from its own channel.
			emailCode, smsCode := codeTo(t, a, email), codeTo(t, a, mobile)
			rec = b.do("POST", "/registro/codigos", url.Values{"codigo_correo": {emailCode}, "codigo_celular": {"12"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "6 números") {
				t.Fatalf("bad SMS code: %d", rec.Code)
			}
			// The right e-mail code was not spent by the attempt with the wrong SMS code.
			if rec := b.do("POST", "/registro/codigos", url.Values{"codigo_correo": {emailCode}, "codigo_celular": {smsCode}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("codes: %d %s", rec.Code, rec.Body.String())
			}

			// Step 5: a password with the person's name, then mismatched
			// confirmation, then no acceptance, then right.
			given := strings.Fields(p.GivenNames)[0]
			rec = b.do("POST", "/registro/contrasena", url.Values{"contrasena": {given + "#2026x"}, "confirmacion": {given + "#2026x"}, "acepto": {"si"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "no debe contener tu nombre") {
				t.Fatalf("password with the name: %d %s", rec.Code, rec.Body.String())
			}
			rec = b.do("POST", "/registro/contrasena", url.Values{"contrasena": {"Tamales#2026"}, "confirmacion": {"Tamales#2027"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "no son iguales") || !strings.Contains(rec.Body.String(), "debes aceptar") {
				t.Fatalf("mismatch and no acceptance: %d", rec.Code)
			}
			if strings.Contains(rec.Body.String(), "Tamales#2026") {
				t.Fatal("the password was echoed back in the page")
			}
			rec = b.do("POST", "/registro/contrasena", url.Values{"contrasena": {"Tamales#2026"}, "confirmacion": {"Tamales#2026"}, "acepto": {"si"}})
			if rec.Code != http.StatusSeeOther || b.cookies[web.SessionCookie] == "" || b.cookies[web.DeviceCookie] == "" {
				t.Fatalf("finish: %d %s", rec.Code, rec.Body.String())
			}
			if rec := b.do("GET", "/mi-cuenta", nil); rec.Code != 200 {
				t.Fatalf("signed in after registering: %d", rec.Code)
			}
			if subject, _ := lastMessageTo(t, a, email); !strings.Contains(subject, "Bienvenida") {
				t.Fatalf("welcome e-mail: %q", subject)
			}
			acc, err := a.DB.FindAccountByEmail(context.Background(), email)
			if err != nil || acc.Mobile != mobile || acc.TermsVersion != account.TermsVersion {
				t.Fatalf("account %+v %v", acc, err)
			}

			// The person cannot register twice.
			other := newBrowser(t, a.Site)
			if rec := other.do("POST", "/registro", identity(t, other, p)); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Ya tienes una cuenta") {
				t.Fatalf("second registration: %d", rec.Code)
			}
			// A later step without a flow starts over with a clear message.
			if rec := other.do("GET", "/registro/contrasena", nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), "terminó") {
				t.Fatalf("no flow: %d", rec.Code)
			}
		})
	}
}
