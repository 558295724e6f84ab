package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/synth"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/testutil/testclock"
	"micuenta/internal/vault"
	"micuenta/internal/web"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// portalFor runs the app on a fresh database of the engine with a small
// seeded population and the demo account.
func portalFor(t *testing.T, engine string) (*app.App, string, string) {
	t.Helper()
	a, _, email, password := portalWithClock(t, engine)
	return a, email, password
}

// portalWithClock is portalFor with the clock in the test's hands.
func portalWithClock(t *testing.T, engine string) (*app.App, *testclock.Clock, string, string) {
	t.Helper()
	return newPortal(t, engine, func(cfg *config.Config) { cfg.Demo = true })
}

// newPortal builds the portal with the configuration adjusted by setup.
func newPortal(t *testing.T, engine string, setup func(*config.Config)) (*app.App, *testclock.Clock, string, string) {
	t.Helper()
	clock := testclock.New(time.Now())
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "a.db")
	if engine == "postgres" {
		dsn = pgtest.DSN(t)
	}
	cfg := config.Config{DB: dsn, Addr: "127.0.0.1:0", LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5e9,
		DocumentsDir: t.TempDir()}
	setup(&cfg)
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Vault: vault.NewRandom(), Migrate: true, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ref, err := reference.Load(ctx, a.DB)
	if err != nil {
		t.Fatal(err)
	}
	g, err := synth.NewGenerator(synth.Params{People: 150, Seed: 1, AsOf: portal.NewDate(2026, 11, 24)}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Run(ctx, a.DB, quiet{}); err != nil {
		t.Fatal(err)
	}
	email, password, err := a.CreateDemoAccount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return a, clock, email, password
}

type quiet struct{}

func (quiet) Start(int64) {}
func (quiet) Set(int64)   {}
func (quiet) Finish()     {}

// browser is a minimal client that keeps cookies the way a browser does
// for this site (the __Host- cookies are Secure, which a Go cookie jar
// would not send over the test's plain HTTP).
type browser struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]string
}

func newBrowser(t *testing.T, h http.Handler) *browser {
	return &browser{t: t, h: h, cookies: map[string]string{}}
}

func (b *browser) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	var body io.Reader
	contentType := ""
	if form != nil {
		body, contentType = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	return b.send(method, path, body, contentType)
}

// upload posts a multipart form with files, as a browser sends a form
// with enctype="multipart/form-data".
func (b *browser) upload(path string, form url.Values, files map[string][]byte) *httptest.ResponseRecorder {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		w, err := mw.CreateFormFile("documentos", name)
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = w.Write(files[name])
	}
	_ = mw.Close()
	return b.send("POST", path, &buf, mw.FormDataContentType())
}

func (b *browser) send(method, path string, body io.Reader, contentType string) *httptest.ResponseRecorder {
	b.t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = "203.0.113.9:4444"
	req.Header.Set("User-Agent", "Mozilla/5.0 Firefox/140.0")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return rec
}

var codeRe = regexp.MustCompile(`\b\d{6}\b`)

func lastMessageTo(t *testing.T, a *app.App, to string) (subject, body string) {
	t.Helper()
	ms, err := a.Outbox.Recent(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.To == to {
			return m.Subject, m.Body
		}
	}
	t.Fatalf("no message to %s", to)
	return "", ""
}

func TestSignInJourney(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, email, password := portalFor(t, engine)
			b := newBrowser(t, a.Site)

			// Not signed in: the account area sends to /ingresar and back.
			rec := b.do("GET", "/mi-cuenta", nil)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/ingresar?siguiente=%2Fmi-cuenta" {
				t.Fatalf("anonymous /mi-cuenta: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			if rec := b.do("GET", "/ingresar", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `autocomplete="current-password"`) {
				t.Fatalf("sign-in page: %d", rec.Code)
			}

			// Empty fields are answered at the fields, with "Error: " in the title.
			rec = b.do("POST", "/ingresar", url.Values{})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "<title>Error: Ingresar") || !strings.Contains(rec.Body.String(), `href="#identificador"`) {
				t.Fatalf("empty form: %d %s", rec.Code, rec.Body.String())
			}

			// A new browser: password, then a code.
			rec = b.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {password}, "siguiente": {"/mi-cuenta"}})
			if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/ingresar/dispositivo") || b.cookies[web.FlowCookie] == "" {
				t.Fatalf("password step: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			if b.cookies[web.SessionCookie] != "" {
				t.Fatal("a session was given before the new device was proved")
			}
			rec = b.do("GET", "/ingresar/dispositivo", nil)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), "de***@micuenta.example") || !strings.Contains(rec.Body.String(), "******0001") {
				t.Fatalf("device page: %d %s", rec.Code, rec.Body.String())
			}
			if rec := b.do("POST", "/ingresar/dispositivo", url.Values{"accion": {"enviar"}, "canal": {"correo"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("send code: %d %s", rec.Code, rec.Body.String())
			}
			_, body := lastMessageTo(t, a, email)
			code := codeRe.FindString(body)
			rec = b.do("POST", "/ingresar/dispositivo", url.Values{"accion": {"confirmar"}, "codigo": {"000000"}})
			if code != "000000" && (rec.Code != 400 || !strings.Contains(rec.Body.String(), "Te quedan 4 intentos")) {
				t.Fatalf("wrong code: %d", rec.Code)
			}
			rec = b.do("POST", "/ingresar/dispositivo", url.Values{"accion": {"confirmar"}, "codigo": {code}, "siguiente": {"/mi-cuenta"}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/mi-cuenta" || b.cookies[web.SessionCookie] == "" || b.cookies[web.DeviceCookie] == "" {
				t.Fatalf("confirm: %d %s %v", rec.Code, rec.Body.String(), b.cookies)
			}
			if subject, _ := lastMessageTo(t, a, email); !strings.Contains(subject, "dispositivo nuevo") {
				t.Fatalf("no new-device notice; last subject %q", subject)
			}
			rec = b.do("GET", "/mi-cuenta", nil)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Hola, ") || !strings.Contains(rec.Body.String(), `action="/salir"`) {
				t.Fatalf("summary: %d %s", rec.Code, rec.Body.String())
			}
			// The replayed code is refused.
			if rec := b.do("POST", "/ingresar/dispositivo", url.Values{"accion": {"confirmar"}, "codigo": {code}}); rec.Code == http.StatusSeeOther {
				t.Fatal("the code worked twice")
			}

			// Signing out ends the session on the server, not just the cookie.
			old := b.cookies[web.SessionCookie]
			if rec := b.do("POST", "/salir", url.Values{}); rec.Code != http.StatusSeeOther {
				t.Fatalf("sign out: %d", rec.Code)
			}
			b.cookies[web.SessionCookie] = old
			if rec := b.do("GET", "/mi-cuenta", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("old session still works after signing out: %d", rec.Code)
			}

			// The proved browser signs in with the password alone.
			rec = b.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {password}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/mi-cuenta" || b.cookies[web.SessionCookie] == old {
				t.Fatalf("known device: %d %s", rec.Code, rec.Header().Get("Location"))
			}
		})
	}
}

// Known and unknown identifiers get byte-for-byte the same page.
func TestSignInDoesNotRevealAccounts(t *testing.T) {
	a, email, _ := portalFor(t, "sqlite")
	answer := func(id string) (int, string) {
		b := newBrowser(t, a.Site)
		rec := b.do("POST", "/ingresar", url.Values{"identificador": {id}, "contrasena": {"Incorrecta#2026"}})
		body := regexp.MustCompile(`value="[^"]*"`).ReplaceAllString(rec.Body.String(), "")
		return rec.Code, body
	}
	c1, b1 := answer(email)
	c2, b2 := answer("nadie@correo.example")
	c3, b3 := answer("12345678903")
	if c1 != c2 || c2 != c3 || b1 != b2 || b2 != b3 {
		t.Fatalf("answers differ: %d %d %d", c1, c2, c3)
	}
	if !strings.Contains(b1, "no coinciden con una cuenta") {
		t.Fatalf("answer: %s", b1)
	}
}

func TestOpenRedirectIsRefused(t *testing.T) {
	a, email, password := portalFor(t, "sqlite")
	b := newBrowser(t, a.Site)
	rec := b.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {password}, "siguiente": {"//malo.example/x"}})
	if loc := rec.Header().Get("Location"); !strings.Contains(loc, "siguiente=/mi-cuenta") {
		t.Fatalf("next kept an outside address: %s", loc)
	}
}

// One address that keeps trying gets 429 with Retry-After, a page that
// says to wait, and the form it typed; other addresses are unaffected.
// A locked account can still recover its password, which unlocks it.
func TestSignInThrottleAndLockOverHTTP(t *testing.T) {
	a, clock, email, password := portalWithClock(t, "sqlite")
	b := newBrowser(t, a.Site)
	var last *httptest.ResponseRecorder
	for i := 0; i < 61; i++ {
		last = b.do("POST", "/ingresar", url.Values{"identificador": {"nadie" + strconv.Itoa(i) + "@correo.example"}, "contrasena": {"Mala#2026x"}})
	}
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") == "" || !strings.Contains(last.Body.String(), "Espera") {
		t.Fatalf("61st attempt: %d %q", last.Code, last.Header().Get("Retry-After"))
	}

	// Ten wrong passwords lock the account (the same answer as ever), from
	// addresses of their own so the per-address limit is not what stops them.
	try := func(ip, pw string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/ingresar", strings.NewReader(url.Values{"identificador": {email}, "contrasena": {pw}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.RemoteAddr = ip + ":1000"
		rec := httptest.NewRecorder()
		a.Site.ServeHTTP(rec, req)
		return rec
	}
	for i := range 10 {
		clock.Add(90 * time.Second) // past the growing delay, so each failure counts
		if rec := try("198.51.100."+strconv.Itoa(i+1), "Mala#2026x"); rec.Code != 400 {
			t.Fatalf("failure %d: %d", i+1, rec.Code)
		}
	}
	if acc, _ := a.DB.FindAccountByEmail(context.Background(), email); acc.FailedSignins != 10 || !acc.LockedUntil.After(clock.Now()) {
		t.Fatalf("after 10 failures: %d failures, locked until %v", acc.FailedSignins, acc.LockedUntil)
	}
	clock.Add(90 * time.Second)
	if rec := try("198.51.100.77", password); rec.Code != 400 || !strings.Contains(rec.Body.String(), "no coinciden") {
		t.Fatalf("locked account with the right password: %d", rec.Code)
	}
	acc, _ := a.DB.FindAccountByEmail(context.Background(), email)
	p, _ := a.DB.FindPersonByID(context.Background(), acc.PersonID)
	r := newBrowser(t, a.Site)
	r.do("POST", "/recuperar", url.Values{"nss": {p.NSS.String()}})
	_, body := lastMessageTo(t, a, email)
	m := linkRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("recovery is closed while the password step is locked")
	}
	if rec := r.do("POST", "/recuperar/nueva", url.Values{"clave": {m[1]}, "contrasena": {"Chiles#2026"}, "confirmacion": {"Chiles#2026"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("reset: %d", rec.Code)
	}
	if rec := try("198.51.100.78", "Chiles#2026"); rec.Code != http.StatusSeeOther {
		t.Fatalf("after recovery: %d", rec.Code)
	}
}
