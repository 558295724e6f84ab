package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"micuenta/internal/config"
	"micuenta/internal/testutil/smtptest"
)

// smsGateway is the SMS provider's HTTP API as an httptest server: it
// keeps what it is sent, as a phone would.
type smsGateway struct {
	mu   sync.Mutex
	sent map[string][]string // +52 number → texts
}

func startSMSGateway(t *testing.T, token string) (*smsGateway, string) {
	g := &smsGateway{sent: map[string][]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		var m struct{ To, Message string }
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		g.sent[m.To] = append(g.sent[m.To], m.Message)
		g.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return g, srv.URL
}

func (g *smsGateway) last(t *testing.T, to string) string {
	t.Helper()
	for range 200 {
		g.mu.Lock()
		texts := g.sent[to]
		g.mu.Unlock()
		if len(texts) > 0 {
			return texts[len(texts)-1]
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("no SMS to %s", to)
	return ""
}

// Registration with the codes delivered for real: e-mail through SMTP to a
// server on loopback, SMS through the gateway's HTTP API, by the outbox
// worker running as it does inside serve.
func TestCodesTravelThroughRealTransports(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			mail := smtptest.Start(t)
			sms, smsURL := startSMSGateway(t, "token-de-prueba")
			a, _, _, _ := newPortal(t, engine, func(c *config.Config) {
				c.SMTPAddr, c.SMTPUser, c.SMTPPassword, c.SMTPSecurity = mail.Addr, mail.Username, mail.Password, "none"
				c.SMTPFrom = "Mi Cuenta <no-responder@micuenta.example>"
				c.SMSURL, c.SMSToken = smsURL, "token-de-prueba"
			})
			ctx, stop := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { _ = a.Worker.Run(ctx); close(done) }()
			t.Cleanup(func() { stop(); <-done })

			p, _ := a.DB.FindPersonByID(context.Background(), 9)
			b := newBrowser(t, a.Site)
			if rec := b.do("POST", "/registro", identity(t, b, p)); rec.Code != http.StatusSeeOther {
				t.Fatalf("step 1: %d %s", rec.Code, rec.Body.String())
			}
			b.do("POST", "/registro/nombre", url.Values{"respuesta": {"si"}})
			if rec := b.do("POST", "/registro/contacto", url.Values{"correo": {"persona9@correo.example"}, "celular": {"5512340009"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("contact: %d %s", rec.Code, rec.Body.String())
			}
			m := mail.WaitFor(t, "persona9@correo.example", 10*time.Second)
			if !strings.Contains(m.Subject, "código") || !strings.Contains(m.Body, "No lo compartas") {
				t.Fatalf("e-mail: %q %q", m.Subject, m.Body)
			}
			emailCode := codeRe.FindString(m.Body)
			smsCode := codeRe.FindString(sms.last(t, "+525512340009"))
			if emailCode == "" || smsCode == "" {
				t.Fatal("no codes in the messages")
			}
			if rec := b.do("POST", "/registro/codigos", url.Values{"codigo_correo": {emailCode}, "codigo_celular": {smsCode}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("codes: %d %s", rec.Code, rec.Body.String())
			}
			if rec := b.do("POST", "/registro/contrasena", url.Values{"contrasena": {"Tamales#2026"}, "confirmacion": {"Tamales#2026"}, "acepto": {"si"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("finish: %d", rec.Code)
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				found := false
				for _, m := range mail.Mails() {
					found = found || strings.Contains(m.Subject, "Bienvenida")
				}
				if found {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("no welcome e-mail arrived")
				}
				time.Sleep(25 * time.Millisecond)
			}
		})
	}
}
