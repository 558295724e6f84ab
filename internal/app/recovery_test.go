package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var linkRe = regexp.MustCompile(`/recuperar/nueva\?clave=([A-Za-z0-9_-]+)`)

func TestRecoveryJourney(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, email, password := portalFor(t, engine)
			ctx := context.Background()
			acc, err := a.DB.FindAccountByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			p, _ := a.DB.FindPersonByID(ctx, acc.PersonID)
			other, _ := a.DB.FindPersonByID(ctx, acc.PersonID+1) // no account

			// A session open elsewhere, which recovery must end.
			token, _, err := a.Sessions.Start(ctx, acc.ID, 0, "198.51.100.4", "otro")
			if err != nil {
				t.Fatal(err)
			}

			b := newBrowser(t, a.Site)
			// Known and unknown NSS: the same page.
			known := b.do("POST", "/recuperar", url.Values{"nss": {p.NSS.String()}})
			unknown := b.do("POST", "/recuperar", url.Values{"nss": {other.NSS.String()}})
			if known.Code != 200 || unknown.Code != 200 || known.Body.String() != unknown.Body.String() || !strings.Contains(known.Body.String(), "Si tu NSS tiene una cuenta") {
				t.Fatalf("answers differ: %d %d", known.Code, unknown.Code)
			}
			if rec := b.do("POST", "/recuperar", url.Values{"nss": {"1234"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "11 números") {
				t.Fatalf("malformed NSS: %d", rec.Code)
			}
			_, body := lastMessageTo(t, a, email)
			m := linkRe.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no link in %q", body)
			}
			link := "/recuperar/nueva?clave=" + m[1]
			if rec := b.do("GET", link, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "contraseña nueva") {
				t.Fatalf("link page: %d", rec.Code)
			}
			rec := b.do("POST", "/recuperar/nueva", url.Values{"clave": {m[1]}, "contrasena": {"Chiles#2026"}, "confirmacion": {"Chiles#2026"}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/ingresar?recuperada=1" {
				t.Fatalf("reset: %d %s", rec.Code, rec.Body.String())
			}
			// The link is single-use.
			if rec := b.do("GET", link, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), "ya se usó o venció") {
				t.Fatalf("reused link: %d", rec.Code)
			}
			if subject, _ := lastMessageTo(t, a, email); !strings.Contains(subject, "contraseña") || !strings.Contains(subject, "cambió") {
				t.Fatalf("notice: %q", subject)
			}
			// The old password no longer works; the new one does.
			nb := newBrowser(t, a.Site)
			nb.cookies = map[string]string{}
			if rec := nb.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {password}}); rec.Code != 400 {
				t.Fatalf("old password: %d", rec.Code)
			}
			if rec := nb.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {"Chiles#2026"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("new password: %d", rec.Code)
			}
			if _, err := a.Sessions.Check(ctx, token); err == nil {
				t.Fatal("a session opened before the recovery survived it")
			}
		})
	}
}

// A link is good for 30 minutes; a newer link leaves the older one usable
// until it expires, and an expired one gets a clear page.
func TestRecoveryLinkExpires(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, email, _ := portalWithClock(t, engine)
			acc, _ := a.DB.FindAccountByEmail(context.Background(), email)
			p, _ := a.DB.FindPersonByID(context.Background(), acc.PersonID)
			b := newBrowser(t, a.Site)
			b.do("POST", "/recuperar", url.Values{"nss": {p.NSS.String()}})
			_, body := lastMessageTo(t, a, email)
			m := linkRe.FindStringSubmatch(body)
			clock.Add(29 * time.Minute)
			if rec := b.do("GET", "/recuperar/nueva?clave="+m[1], nil); rec.Code != 200 {
				t.Fatalf("at 29 minutes: %d", rec.Code)
			}
			clock.Add(2 * time.Minute)
			rec := b.do("POST", "/recuperar/nueva", url.Values{"clave": {m[1]}, "contrasena": {"Chiles#2026"}, "confirmacion": {"Chiles#2026"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "ya se usó o venció") || !strings.Contains(rec.Body.String(), "<title>Error: ") {
				t.Fatalf("at 31 minutes: %d", rec.Code)
			}
			// Garbage keys, too, get the page and never a 500.
			for _, k := range []string{"", "x", strings.Repeat("a", 500), "../../etc"} {
				if rec := b.do("GET", "/recuperar/nueva?clave="+url.QueryEscape(k), nil); rec.Code != 400 {
					t.Fatalf("key %q: %d", k, rec.Code)
				}
			}
			// Mismatched confirmation and a weak password are field errors.
			b.do("POST", "/recuperar", url.Values{"nss": {p.NSS.String()}})
			_, body = lastMessageTo(t, a, email)
			m = linkRe.FindStringSubmatch(body)
			rec = b.do("POST", "/recuperar/nueva", url.Values{"clave": {m[1]}, "contrasena": {"Chiles#2026"}, "confirmacion": {"Chiles#2027"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#confirmacion"`) {
				t.Fatalf("mismatch: %d", rec.Code)
			}
			rec = b.do("POST", "/recuperar/nueva", url.Values{"clave": {m[1]}, "contrasena": {"password123"}, "confirmacion": {"password123"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#contrasena"`) {
				t.Fatalf("weak: %d", rec.Code)
			}
		})
	}
}
