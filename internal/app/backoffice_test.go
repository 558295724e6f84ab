package app_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/audit"
	"micuenta/internal/config"
	"micuenta/internal/operator"
	"micuenta/internal/request"
	"micuenta/internal/testutil/testclock"
	"micuenta/internal/testutil/testdocs"
	"micuenta/internal/totp"
)

const staffPassword = "Clave-de-operacion-2026"

// newOperator creates an operator as `micuenta admin create-operator` does.
func newOperator(t *testing.T, a *app.App, email string, role operator.Role, region string) {
	t.Helper()
	if _, err := a.Operators.Create(context.Background(), operator.New{Email: email, Name: "Persona " + string(role) + " " + region,
		Role: role, Region: region, Password: staffPassword}, nil, ""); err != nil {
		t.Fatal(err)
	}
}

var keyRe = regexp.MustCompile(`id="clave">([A-Z2-7 ]+)<`)

// staffSignIn signs an operator in to the back office: password, then at
// the first time the enrolment (reading the key off the page, as a person
// types it into their app), then the code. It moves the clock to a fresh
// TOTP step first, as a code works once.
func staffSignIn(t *testing.T, a *app.App, clock *testclock.Clock, email string) *browser {
	t.Helper()
	clock.Add(31 * time.Second)
	b := newBrowser(t, a.Admin)
	if rec := b.do("POST", "/admin/entrar", url.Values{"correo": {email}, "contrasena": {staffPassword}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("%s: password: %d %s", email, rec.Code, rec.Body.String())
	}
	page := b.do("GET", "/admin/entrar/codigo", nil).Body.String()
	var secret []byte
	if m := keyRe.FindStringSubmatch(page); m != nil {
		if !strings.Contains(page, `src="data:image/png;base64,`) {
			t.Fatal("enrolment without a QR code")
		}
		var err error
		if secret, err = totp.Decode(m[1]); err != nil {
			t.Fatal(err)
		}
	} else {
		o, err := a.DB.FindOperatorByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		secret = o.TOTPSecret
	}
	if rec := b.do("POST", "/admin/entrar/codigo", url.Values{"codigo": {totp.Code(secret, clock.Now())}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("%s: code: %d %s", email, rec.Code, rec.Body.String())
	}
	return b
}

func TestBackOfficeSignInNeedsTOTP(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, email, password := portalWithClock(t, engine)
			ctx := context.Background()
			newOperator(t, a, "ana@fondo.example", operator.Operador, "")
			b := newBrowser(t, a.Admin)
			if rec := b.do("GET", "/admin/tramites", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/entrar" {
				t.Fatalf("signed out: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			rec := b.do("POST", "/admin/entrar", url.Values{"correo": {"ana@fondo.example"}, "contrasena": {"otra-cosa-larga"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "no son correctos") {
				t.Fatalf("wrong password: %d", rec.Code)
			}
			if rec := b.do("POST", "/admin/entrar", url.Values{"correo": {"ana@fondo.example"}, "contrasena": {staffPassword}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("password: %d", rec.Code)
			}
			// The password alone opens nothing.
			if rec := b.do("GET", "/admin/tramites", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("queue before the code: %d", rec.Code)
			}
			page := b.do("GET", "/admin/entrar/codigo", nil).Body.String()
			m := keyRe.FindStringSubmatch(page)
			if m == nil || !strings.Contains(page, "Activa tu segundo factor") {
				t.Fatalf("no enrolment at the first sign-in: %s", page)
			}
			secret, _ := totp.Decode(m[1])
			if again := keyRe.FindStringSubmatch(b.do("GET", "/admin/entrar/codigo", nil).Body.String()); again == nil || again[1] != m[1] {
				t.Fatal("the key offered changed on reload: the app would hold a different one")
			}
			if rec := b.do("POST", "/admin/entrar/codigo", url.Values{"codigo": {"000000"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#codigo"`) {
				t.Fatalf("wrong code: %d", rec.Code)
			}
			code := totp.Code(secret, clock.Now())
			if rec := b.do("POST", "/admin/entrar/codigo", url.Values{"codigo": {code}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("code: %d %s", rec.Code, rec.Body.String())
			}
			if rec := b.do("GET", "/admin/tramites", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Bandeja de trámites") {
				t.Fatalf("queue: %d", rec.Code)
			}
			// Signing out ends the session; the next sign-in asks for a
			// code (no new enrolment) and the code already used is refused.
			b.do("POST", "/admin/salir", url.Values{})
			if rec := b.do("GET", "/admin/tramites", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("after signing out: %d", rec.Code)
			}
			b.do("POST", "/admin/entrar", url.Values{"correo": {"ana@fondo.example"}, "contrasena": {staffPassword}})
			page = b.do("GET", "/admin/entrar/codigo", nil).Body.String()
			if keyRe.MatchString(page) || !strings.Contains(page, "Código de verificación") {
				t.Fatal("a second enrolment was offered")
			}
			if rec := b.do("POST", "/admin/entrar/codigo", url.Values{"codigo": {code}}); rec.Code != 400 {
				t.Fatalf("replayed code: %d", rec.Code)
			}
			clock.Add(30 * time.Second)
			if rec := b.do("POST", "/admin/entrar/codigo", url.Values{"codigo": {totp.Code(secret, clock.Now())}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("next code: %d", rec.Code)
			}
			// The two sites' sessions are separate: a person's session
			// cookie means nothing to the back office, and the other way.
			person := signedIn(t, a, email, password)
			person.h = a.Admin
			if rec := person.do("GET", "/admin/tramites", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("a person's session in the back office: %d", rec.Code)
			}
			b.h = a.Site
			if rec := b.do("GET", "/mi-cuenta", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("an operator's session on the people's site: %d", rec.Code)
			}
			// Five wrong codes lock the operator for 15 minutes.
			c := newBrowser(t, a.Admin)
			c.do("POST", "/admin/entrar", url.Values{"correo": {"ana@fondo.example"}, "contrasena": {staffPassword}})
			var last *http.Response
			for i := 0; i < operator.MaxFailures; i++ {
				last = c.do("POST", "/admin/entrar/codigo", url.Values{"codigo": {"999999"}}).Result()
			}
			if last.StatusCode != http.StatusForbidden {
				t.Fatalf("after %d wrong codes: %d", operator.MaxFailures, last.StatusCode)
			}
			if rec := c.do("POST", "/admin/entrar", url.Values{"correo": {"ana@fondo.example"}, "contrasena": {staffPassword}}); rec.Code != http.StatusForbidden {
				t.Fatalf("locked: %d", rec.Code)
			}
			if es, _ := a.DB.RecentAudit(ctx, audit.Filter{Action: operator.AuditLocked}); len(es) != 1 {
				t.Fatalf("lock not audited: %d", len(es))
			}
		})
	}
}

// TestBackOfficeRoles has every role try every action: what the role
// does not allow is refused, whatever the page offered.
func TestBackOfficeRoles(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, _, _ := portalWithClock(t, engine)
			ctx := context.Background()
			p, err := a.DB.FindPersonByID(ctx, 7)
			if err != nil {
				t.Fatal(err)
			}
			elsewhere := "YN"
			if p.State == elsewhere {
				elsewhere = "SR"
			}
			data, _ := request.ParseCorrection(request.FieldRFC, p.RFC.String()[:10]+"ZZ9", "")
			if data == nil {
				data = []byte(`{"campo":"rfc","valor":"` + p.RFC.String() + `"}`)
			}
			q, err := a.Requests.File(ctx, request.Correccion, p.ID, data, []request.Upload{testdocs.Upload(t, "csf.pdf", testdocs.PDF(t, "CONSTANCIA"))})
			if err != nil {
				t.Fatal(err)
			}
			newOperator(t, a, "op@fondo.example", operator.Operador, p.State)
			newOperator(t, a, "lejos@fondo.example", operator.Operador, elsewhere)
			newOperator(t, a, "sup@fondo.example", operator.Supervisor, "")
			newOperator(t, a, "adm@fondo.example", operator.Administrador, "")
			newOperator(t, a, "aud@fondo.example", operator.Auditor, "")
			op := staffSignIn(t, a, clock, "op@fondo.example")
			far := staffSignIn(t, a, clock, "lejos@fondo.example")
			sup := staffSignIn(t, a, clock, "sup@fondo.example")
			adm := staffSignIn(t, a, clock, "adm@fondo.example")
			aud := staffSignIn(t, a, clock, "aud@fondo.example")
			reqPath := "/admin/tramites/" + q.Folio
			act := func(b *browser, v url.Values) int { return b.do("POST", reqPath, v).Code }
			// Roles that do not work requests.
			for name, b := range map[string]*browser{"administrador": adm, "auditor": aud} {
				for _, path := range []string{"/admin/tramites", reqPath} {
					if code := b.do("GET", path, nil).Code; code != http.StatusForbidden {
						t.Errorf("%s GET %s: %d", name, path, code)
					}
				}
				for _, action := range []string{"tomar", "aprobar", "rechazar", "pedir_info", "nota", "asignar"} {
					if code := act(b, url.Values{"accion": {action}, "mensaje": {"x"}, "nota": {"x"}}); code != http.StatusForbidden {
						t.Errorf("%s %s: %d", name, action, code)
					}
				}
			}
			for name, b := range map[string]*browser{"operador": op, "supervisor": sup, "auditor": aud} {
				if code := b.do("GET", "/admin/operadores", nil).Code; code != http.StatusForbidden {
					t.Errorf("%s sees operators: %d", name, code)
				}
				if code := b.do("POST", "/admin/operadores", url.Values{"accion": {"crear"}, "correo": {"x@fondo.example"}, "nombre": {"Equis"}, "rol": {"administrador"}}).Code; code != http.StatusForbidden {
					t.Errorf("%s creates an operator: %d", name, code)
				}
			}
			for name, b := range map[string]*browser{"operador": op, "supervisor": sup, "administrador": adm} {
				if code := b.do("GET", "/admin/auditoria", nil).Code; code != http.StatusForbidden {
					t.Errorf("%s reads the audit log: %d", name, code)
				}
			}
			// An operator of another state neither lists nor opens it.
			if body := far.do("GET", "/admin/tramites", nil).Body.String(); strings.Contains(body, q.Folio) {
				t.Error("another state's operator lists the request")
			}
			if code := far.do("GET", reqPath, nil).Code; code != http.StatusNotFound {
				t.Errorf("another state's operator opens it: %d", code)
			}
			// The operator may not decide before taking it, nor reassign.
			if body := op.do("GET", "/admin/tramites", nil).Body.String(); !strings.Contains(body, q.Folio) {
				t.Fatal("the operator's queue misses the request")
			}
			if code := act(op, url.Values{"accion": {"aprobar"}}); code != http.StatusForbidden {
				t.Errorf("approve before taking: %d", code)
			}
			if code := act(op, url.Values{"accion": {"asignar"}, "operador": {"1"}}); code != http.StatusForbidden {
				t.Errorf("operator reassigns: %d", code)
			}
			if code := act(op, url.Values{"accion": {"tomar"}}); code != http.StatusSeeOther {
				t.Fatalf("take: %d", code)
			}
			if got, _ := a.Requests.Find(ctx, q.Folio); got.State != request.EnRevision || got.AssignedTo == 0 {
				t.Fatalf("after taking: %s %d", got.State, got.AssignedTo)
			}
			// Rejecting needs a reason, at the field; a note stays internal.
			if rec := op.do("POST", reqPath, url.Values{"accion": {"rechazar"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#mensaje"`) {
				t.Fatalf("reject without a reason: %d", rec.Code)
			}
			if code := act(op, url.Values{"accion": {"nota"}, "nota": {"Revisé la constancia con el SAT."}}); code != http.StatusSeeOther {
				t.Fatalf("note: %d", code)
			}
			// The supervisor reassigns it to the other operator and back.
			far2, _ := a.DB.FindOperatorByEmail(ctx, "op@fondo.example")
			if code := act(sup, url.Values{"accion": {"asignar"}, "operador": {"99999"}}); code != 400 {
				t.Errorf("reassign to nobody: %d", code)
			}
			if code := act(sup, url.Values{"accion": {"asignar"}, "operador": {strconv.FormatInt(far2.ID, 10)}}); code != http.StatusSeeOther {
				t.Fatalf("supervisor reassigns: %d", code)
			}
			if code := act(op, url.Values{"accion": {"aprobar"}, "mensaje": {"Actualizamos tu RFC."}}); code != http.StatusSeeOther {
				t.Fatalf("approve: %d", code)
			}
			got, _ := a.Requests.Find(ctx, q.Folio)
			person, _ := a.DB.FindPersonByID(ctx, p.ID)
			var d request.CorrectionData
			_ = json.Unmarshal(got.Data, &d)
			if got.State != request.Aprobada || person.RFC.String() != d.Value {
				t.Fatalf("after approval: %s, RFC %s want %s", got.State, person.RFC, d.Value)
			}
			// The owner's timeline has the decision but never the note.
			events, _ := a.Requests.Timeline(ctx, got)
			for _, e := range events {
				if strings.Contains(e.Message, "SAT") {
					t.Fatal("an internal note reached the owner's timeline")
				}
			}
			// The document is an attachment for operators too, and viewing
			// the request and the file is in the audit log.
			page := op.do("GET", reqPath, nil).Body.String()
			docLink := regexp.MustCompile(`href="(/admin/tramites/[^"]+/documentos/\d+)"`).FindStringSubmatch(page)
			if docLink == nil {
				t.Fatal("no document link for the operator")
			}
			if rec := op.do("GET", html.UnescapeString(docLink[1]), nil); rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment") {
				t.Fatalf("operator download: %d", rec.Code)
			}
			for _, action := range []string{audit.PersonViewed, operator.AuditDocumentView, operator.AuditRequestAct} {
				es, _ := a.DB.RecentAudit(ctx, audit.Filter{Action: action, PersonID: p.ID})
				if len(es) == 0 || es[0].OperatorID == 0 {
					t.Errorf("no %s entry with the operator", action)
				}
			}
			if body := aud.do("GET", "/admin/auditoria?accion=person.viewed", nil).Body.String(); !strings.Contains(body, q.Folio) {
				t.Error("the auditor's page misses the view")
			}
			// The administrator creates an operator: the password is shown
			// once; a duplicate e-mail is refused at the field.
			rec := adm.do("POST", "/admin/operadores", url.Values{"accion": {"crear"}, "correo": {"nuevo@fondo.example"}, "nombre": {"Nueva Persona"}, "rol": {"operador"}, "entidad": {"JC"}})
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Contraseña temporal") {
				t.Fatalf("create operator: %d", rec.Code)
			}
			rec = adm.do("POST", "/admin/operadores", url.Values{"accion": {"crear"}, "correo": {"nuevo@fondo.example"}, "nombre": {"Otra"}, "rol": {"operador"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "Ya hay una persona operadora") {
				t.Fatalf("duplicate operator: %d", rec.Code)
			}
			// Disabling an operator ends their session at once.
			opRow, _ := a.DB.FindOperatorByEmail(ctx, "lejos@fondo.example")
			if rec := adm.do("POST", "/admin/operadores", url.Values{"accion": {"desactivar"}, "id": {strconv.FormatInt(opRow.ID, 10)}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("disable: %d", rec.Code)
			}
			if code := far.do("GET", "/admin/tramites", nil).Code; code != http.StatusSeeOther {
				t.Fatalf("a disabled operator's session: %d", code)
			}
		})
	}
}

// Only the throwaway demo shows the current code on the sign-in page.
func TestBackOfficeDemoCodeOnlyInDemo(t *testing.T) {
	for _, demo := range []bool{true, false} {
		a, _, _, _ := newPortal(t, "sqlite", func(c *config.Config) { c.Demo = demo })
		newOperator(t, a, "ana@fondo.example", operator.Operador, "")
		b := newBrowser(t, a.Admin)
		b.do("POST", "/admin/entrar", url.Values{"correo": {"ana@fondo.example"}, "contrasena": {staffPassword}})
		page := b.do("GET", "/admin/entrar/codigo", nil).Body.String()
		if shown := strings.Contains(page, "el código de este momento es"); shown != demo {
			t.Errorf("demo %v: code shown %v", demo, shown)
		}
	}
}

// A password an administrator gives out is temporary: it expires after 72
// hours and must be replaced at the first sign-in before anything opens.
func TestBackOfficeTemporaryPassword(t *testing.T) {
	a, clock, _, _ := portalWithClock(t, "sqlite")
	newOperator(t, a, "adm@fondo.example", operator.Administrador, "")
	adm := staffSignIn(t, a, clock, "adm@fondo.example")
	create := func(email string) string {
		rec := adm.do("POST", "/admin/operadores", url.Values{"accion": {"crear"}, "correo": {email}, "nombre": {"Nueva Persona"}, "rol": {"operador"}})
		m := regexp.MustCompile(`Contraseña temporal: <strong class="mono">([^<]+)<`).FindStringSubmatch(rec.Body.String())
		if rec.Code != 200 || m == nil {
			t.Fatalf("create %s: %d", email, rec.Code)
		}
		return m[1]
	}
	temp := create("nueva@fondo.example")
	b := newBrowser(t, a.Admin)
	clock.Add(31 * time.Second)
	b.do("POST", "/admin/entrar", url.Values{"correo": {"nueva@fondo.example"}, "contrasena": {temp}})
	m := keyRe.FindStringSubmatch(b.do("GET", "/admin/entrar/codigo", nil).Body.String())
	secret, _ := totp.Decode(m[1])
	if rec := b.do("POST", "/admin/entrar/codigo", url.Values{"codigo": {totp.Code(secret, clock.Now())}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("code: %d", rec.Code)
	}
	if rec := b.do("GET", "/admin/tramites", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/contrasena" {
		t.Fatalf("with a temporary password: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	for _, bad := range []url.Values{
		{"actual": {"no-es-la-actual"}, "nueva": {"una-frase-bastante-larga"}, "confirmacion": {"una-frase-bastante-larga"}},
		{"actual": {temp}, "nueva": {"corta"}, "confirmacion": {"corta"}},
		{"actual": {temp}, "nueva": {"una-frase-bastante-larga"}, "confirmacion": {"otra-frase-bastante-larga"}},
		{"actual": {temp}, "nueva": {temp}, "confirmacion": {temp}},
	} {
		if rec := b.do("POST", "/admin/contrasena", bad); rec.Code != 400 || !strings.Contains(rec.Body.String(), "error-summary") {
			t.Errorf("%v: %d", bad, rec.Code)
		}
	}
	if rec := b.do("POST", "/admin/contrasena", url.Values{"actual": {temp}, "nueva": {"una-frase-bastante-larga"}, "confirmacion": {"una-frase-bastante-larga"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("change: %d", rec.Code)
	}
	if rec := b.do("GET", "/admin/tramites", nil); rec.Code != 200 {
		t.Fatalf("after choosing a password: %d", rec.Code)
	}
	// An unused temporary password stops working after 72 hours.
	late := create("tarde@fondo.example")
	clock.Add(operator.TemporaryFor + time.Minute)
	c := newBrowser(t, a.Admin)
	if rec := c.do("POST", "/admin/entrar", url.Values{"correo": {"tarde@fondo.example"}, "contrasena": {late}}); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "temporal venció") {
		t.Fatalf("expired temporary password: %d", rec.Code)
	}
}

// A name correction is approved in the back office with the name split
// into its parts, asked for at their own fields.
func TestBackOfficeApprovesANameCorrection(t *testing.T) {
	a, clock, _, _ := portalWithClock(t, "sqlite")
	ctx := context.Background()
	data, _ := request.ParseCorrection(request.FieldNombre, "José Luis de la Peña Ruiz", "")
	q, err := a.Requests.File(ctx, request.Correccion, 9, data, []request.Upload{testdocs.Upload(t, "acta.pdf", testdocs.PDF(t, "ACTA"))})
	if err != nil {
		t.Fatal(err)
	}
	newOperator(t, a, "sup@fondo.example", operator.Supervisor, "")
	sup := staffSignIn(t, a, clock, "sup@fondo.example")
	path := "/admin/tramites/" + q.Folio
	sup.do("POST", path, url.Values{"accion": {"tomar"}})
	if body := sup.do("GET", path, nil).Body.String(); !strings.Contains(body, `id="primer_apellido"`) {
		t.Fatal("the approval form does not ask for the name's parts")
	}
	if rec := sup.do("POST", path, url.Values{"accion": {"aprobar"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#nombres"`) {
		t.Fatalf("approve without the parts: %d", rec.Code)
	}
	rec := sup.do("POST", path, url.Values{"accion": {"aprobar"}, "nombres": {"José Luis"}, "primer_apellido": {"de la Peña"}, "segundo_apellido": {"Ruiz"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", rec.Code, rec.Body.String())
	}
	p, _ := a.DB.FindPersonByID(ctx, 9)
	if p.GivenNames != "JOSÉ LUIS" || p.FirstSurname != "DE LA PEÑA" || p.SecondSurname != "RUIZ" {
		t.Fatalf("name: %+v", p)
	}
}
