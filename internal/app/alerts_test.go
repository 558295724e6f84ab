package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"micuenta/internal/alert"
	"micuenta/internal/audit"
	"micuenta/internal/config"
	"micuenta/internal/operator"
)

// Synthetic attack traffic replayed into the audit log raises each rule's
// alert once, e-mails the security contact, and blocks the addresses of
// the first two rules: their forms get 429 while other addresses go on.
func TestSuspiciousActivity(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, _, _ := newPortal(t, engine, func(c *config.Config) { c.Demo, c.SecurityEmail = true, "seguridad@fondo.example" })
			ctx := context.Background()
			rec := func(e audit.Entry) {
				if err := a.Audit.Record(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			const attacker, guesser = "203.0.113.9", "198.51.100.8"
			for i := 0; i < 25; i++ {
				rec(audit.Entry{Action: audit.SignInFailed, AccountID: int64(1 + i%6), IP: attacker})
				rec(audit.Entry{Action: audit.CodeFailed, IP: guesser})
			}
			for i := 0; i < 3; i++ { // a person mistyping: below every threshold
				rec(audit.Entry{Action: audit.SignInFailed, AccountID: 40, IP: "192.0.2.10"})
			}
			for i := 0; i < 120; i++ {
				rec(audit.Entry{Action: audit.RecoveryRequested, IP: fmt.Sprintf("10.0.%d.%d", i/200, i%200)})
			}
			for i := 0; i < 6; i++ {
				rec(audit.Entry{Action: audit.SignInSucceeded, AccountID: 9, IP: fmt.Sprintf("192.0.2.%d", 100+i)})
			}
			for p := int64(1); p <= 210; p++ {
				rec(audit.Entry{Action: audit.PersonViewed, OperatorID: 77, PersonID: p})
			}
			raised, err := a.Alerts.Detect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, al := range raised {
				got[al.Rule] = al.Subject
			}
			want := map[string]string{alert.CredentialStuffing: attacker, alert.CodeGuessing: guesser, alert.RecoveryBurst: "todas",
				alert.ManyAddresses: "9", alert.OperatorReading: "77"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("alerts %v, want %v", got, want)
			}
			if again, err := a.Alerts.Detect(ctx); err != nil || len(again) != 0 {
				t.Fatalf("the same window raised again: %v %v", again, err)
			}
			if _, body := lastMessageTo(t, a, "seguridad@fondo.example"); !strings.Contains(body, "Regla:") {
				t.Fatal("the security contact was not told")
			}
			// The attacker's address: forms refused, pages still readable.
			b := newBrowser(t, a.Site) // sends from 203.0.113.9
			if rec := b.do("POST", "/ingresar", url.Values{"identificador": {"x@y.example"}, "contrasena": {"z"}}); rec.Code != http.StatusTooManyRequests {
				t.Fatalf("a blocked address signs in: %d", rec.Code)
			}
			if rec := b.do("GET", "/ingresar", nil); rec.Code != 200 {
				t.Fatalf("a blocked address reads a page: %d", rec.Code)
			}
			req := httptest.NewRequest("POST", "/ingresar", strings.NewReader("identificador=x%40y.example&contrasena=z"))
			req.RemoteAddr = "192.0.2.10:5555"
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			other := httptest.NewRecorder()
			a.Site.ServeHTTP(other, req)
			if other.Code == http.StatusTooManyRequests {
				t.Fatal("an address below the thresholds was blocked")
			}
			// The block ends after an hour.
			clock.Add(61 * 60e9)
			if rec := b.do("POST", "/ingresar", url.Values{"identificador": {"x@y.example"}, "contrasena": {"z"}}); rec.Code == http.StatusTooManyRequests {
				t.Fatal("the block did not end")
			}
			// The alerts page, for the roles that may see it.
			newOperator(t, a, "aud@fondo.example", operator.Auditor, "")
			newOperator(t, a, "op@fondo.example", operator.Operador, "")
			if body := staffSignIn(t, a, clock, "aud@fondo.example").do("GET", "/admin/alertas", nil).Body.String(); !strings.Contains(body, alert.Titles[alert.CredentialStuffing]) {
				t.Fatal("the auditor's alerts page misses the alert")
			}
			if code := staffSignIn(t, a, clock, "op@fondo.example").do("GET", "/admin/alertas", nil).Code; code != http.StatusForbidden {
				t.Fatalf("an operator reads the alerts: %d", code)
			}
		})
	}
}
