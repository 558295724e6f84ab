package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"micuenta/internal/operator"
	"micuenta/internal/testutil/browser"
	"micuenta/internal/totp"
)

const arcoForm = "form[action='/mi-cuenta/tramites/nuevo/arco']"

// The pages no other journey opens, in Chromium and axe-clean, errors
// included. A person asks for their data (ARCO portability: the form and
// its errors, the instant approval, the data file) and chooses SMS notices
// of their requests. In the back office an administrator adds and disables
// an operator, an auditor reads and filters the log, and a supervisor
// filters the queue, opens the person's request, leaves an internal note
// and is refused the operators' page; a visitor who has not signed in is
// sent to sign in.
func TestBackOfficeAndARCOPagesInBrowser(t *testing.T) {
	s, email, password := demoSites(t, 40, 11)
	ctx := context.Background()
	_, p := demoAccount(t, s.a, email)
	nss := p.NSS.String()

	// The person asks for their data.
	b := browser.New(t)
	base := s.base
	signIn(t, b, base, email, password)
	proveDevice(t, b, base)

	b.Navigate(base + "/mi-cuenta/tramites/nuevo/arco")
	b.CheckA11y("/mi-cuenta/tramites/nuevo/arco")
	b.ClickAndWait(arcoForm + " button")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("empty ARCO form: %q", b.Title())
	}
	if msg := b.Text("#derecho-error"); !strings.Contains(msg, "Elige el derecho") {
		t.Fatalf("empty ARCO form: the right says %q", msg)
	}
	b.CheckA11y("/mi-cuenta/tramites/nuevo/arco with errors")

	b.Click("#derecho-cancelacion")
	b.ClickAndWait(arcoForm + " button")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("cancellation without a description: %q", b.Title())
	}
	if msg := b.Text("#detalle-error"); !strings.Contains(msg, "Di qué dato") {
		t.Fatalf("cancellation without a description: the field says %q", msg)
	}
	if !browser.Eval[bool](b, `document.getElementById("detalle").getAttribute("aria-describedby").split(" ").includes("detalle-error")`) {
		t.Fatal("cancellation without a description: #detalle is not described by its error")
	}
	b.CheckA11y("/mi-cuenta/tramites/nuevo/arco without a description")

	b.Click("#derecho-portabilidad")
	b.ClickAndWait(arcoForm + " button")
	folio := filedFolio(t, b, "ARC-")
	b.CheckA11y("/mi-cuenta/tramites with the ARCO folio")
	b.ClickAndWait("table a.mono")
	if path := browser.Eval[string](b, "location.pathname"); path != "/mi-cuenta/tramites/"+folio {
		t.Fatalf("opened %s, want the request %s", path, folio)
	}
	if state := b.Text("main dl.summary-list dd strong"); state != "Aprobada" {
		t.Fatalf("portability request: state %q", state)
	}
	if href := browser.Eval[string](b, `(document.querySelector("main a[href$='/mis-datos.json']") || {}).pathname || ""`); href != "/mi-cuenta/tramites/"+folio+"/mis-datos.json" {
		t.Fatalf("portability request: data file link %q", href)
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} ARCO approved")
	file := browser.Eval[string](b, "fetch(location.pathname + '/mis-datos.json').then(r => r.ok ? r.text() : 'HTTP ' + r.status)")
	if !strings.Contains(file, nss) {
		t.Fatalf("mis-datos.json lacks the person's NSS %s: %.300q", nss, file)
	}

	// Notices of requests by SMS too; the request's notices are listed.
	b.Navigate(base + "/mi-cuenta/notificaciones")
	b.CheckA11y("/mi-cuenta/notificaciones")
	if browser.Eval[bool](b, `document.getElementById("tramites_celular").checked`) {
		t.Fatal("SMS notices of requests are on before choosing them")
	}
	b.Click("#tramites_celular")
	b.ClickAndWait("form[action='/mi-cuenta/notificaciones'] button")
	if main := b.Text("main"); !strings.Contains(main, "Guardamos tus preferencias") {
		t.Fatalf("after saving the notices (%q): %q", b.Title(), main)
	}
	if !browser.Eval[bool](b, `document.getElementById("tramites_celular").checked`) {
		t.Fatal("SMS notices of requests not kept")
	}
	if notices := b.Text("main ul.notice-list"); !strings.Contains(notices, "Recibimos tu trámite "+folio) ||
		!strings.Contains(notices, "Tu trámite "+folio) {
		t.Fatalf("Avisos recibidos lacks the notices of %s: %q", folio, notices)
	}
	b.CheckA11y("/mi-cuenta/notificaciones saved")

	// The back office: one operator of each role this journey needs.
	const opPassword = "Clave-de-operacion-2026"
	const adminEmail, auditorEmail, supervisorEmail = "ana.admin@fondo.gob.mx", "raul.auditor@fondo.gob.mx", "sara.supervisora@fondo.gob.mx"
	for _, n := range []operator.New{
		{Email: adminEmail, Name: "Ana Administradora", Role: operator.Administrador},
		{Email: auditorEmail, Name: "Raúl Auditor", Role: operator.Auditor},
		{Email: supervisorEmail, Name: "Sara Supervisora", Role: operator.Supervisor},
	} {
		n.Password = opPassword
		if _, err := s.a.Operators.Create(ctx, n, nil, ""); err != nil {
			t.Fatalf("creating %s: %v", n.Email, err)
		}
	}
	admin := s.admin

	// The administrator adds an operator and disables them.
	ab := operatorSignIn(t, admin, adminEmail, opPassword)
	if path := browser.Eval[string](ab, "location.pathname"); path != "/admin/operadores" {
		t.Fatalf("administrator landed on %s (%q)", path, ab.Title())
	}
	ab.CheckA11y("/admin/operadores")
	ab.ClickAndWait("button[value='crear']")
	if !strings.HasPrefix(ab.Title(), "Error:") {
		t.Fatalf("empty operator form: %q", ab.Title())
	}
	ab.CheckA11y("/admin/operadores with errors")
	const newEmail = "jorge.operador@fondo.gob.mx"
	ab.SetValue("#nombre", "Jorge Operador")
	ab.SetValue("#correo", newEmail)
	ab.SetValue("#rol", string(operator.Operador))
	ab.SetValue("#entidad", "JC")
	ab.ClickAndWait("button[value='crear']")
	if main := ab.Text("main"); !strings.Contains(main, "Contraseña temporal") || !strings.Contains(main, newEmail) {
		t.Fatalf("after creating an operator (%q): %q", ab.Title(), main)
	}
	ab.CheckA11y("/admin/operadores with a new operator")
	row := `[...document.querySelectorAll("main tbody tr")].find(tr => tr.cells[1].textContent.trim() === ` + strconv.Quote(newEmail) + `)`
	id := browser.Eval[string](ab, `(`+row+`?.querySelector("input[name=id]") || {}).value || ""`)
	if id == "" {
		t.Fatalf("no row with a form for %s: %q", newEmail, ab.Text("main table"))
	}
	if rowText := browser.Eval[string](ab, row+`.textContent`); !strings.Contains(rowText, "Jalisco") || !strings.Contains(rowText, "Operador(a)") {
		t.Fatalf("new operator's row: %q", rowText)
	}
	ab.ClickAndWait("main form:has(input[name='id'][value='" + id + "']) button[value='desactivar']")
	if rowText := browser.Eval[string](ab, row+`.textContent`); !strings.Contains(rowText, "Desactivada") {
		t.Fatalf("after disabling (%q): row %q", ab.Title(), rowText)
	}
	ab.CheckA11y("/admin/operadores after disabling")

	// The auditor reads the log.
	ub := operatorSignIn(t, admin, auditorEmail, opPassword)
	if path := browser.Eval[string](ub, "location.pathname"); path != "/admin/auditoria" {
		t.Fatalf("auditor landed on %s (%q)", path, ub.Title())
	}
	if log := ub.Text("main table"); !strings.Contains(log, operator.AuditCreated) || !strings.Contains(log, operator.AuditDisabled) {
		t.Fatalf("audit log lacks %s and %s: %q", operator.AuditCreated, operator.AuditDisabled, log)
	}
	ub.CheckA11y("/admin/auditoria")
	ub.Navigate(admin + "/admin/auditoria?accion=" + operator.AuditSignIn)
	actions := browser.Eval[[]string](ub, `[...document.querySelectorAll("main tbody tr")].map(tr => tr.cells[1].textContent.trim())`)
	if len(actions) == 0 {
		t.Fatalf("no %s entries: %q", operator.AuditSignIn, ub.Text("main"))
	}
	for _, a := range actions {
		if a != operator.AuditSignIn {
			t.Fatalf("filtered by %s, shows %s", operator.AuditSignIn, a)
		}
	}
	if v := browser.Eval[string](ub, `document.getElementById("accion").value`); v != operator.AuditSignIn {
		t.Fatalf("the filter field shows %q", v)
	}
	ub.CheckA11y("/admin/auditoria filtered")

	// The supervisor finds the approved request, notes it and is refused
	// the operators' page.
	sb := operatorSignIn(t, admin, supervisorEmail, opPassword)
	if path := browser.Eval[string](sb, "location.pathname"); path != "/admin/tramites" {
		t.Fatalf("supervisor landed on %s (%q)", path, sb.Title())
	}
	sb.CheckA11y("/admin/tramites (supervisor)")
	sb.SetValue("#estado", "aprobada")
	sb.ClickAndWait("form.filter-form button")
	if q := browser.Eval[string](sb, "location.search"); !strings.Contains(q, "estado=aprobada") {
		t.Fatalf("filtering by state: at %q", q)
	}
	link := "table a.mono[href='/admin/tramites/" + folio + "']"
	if !browser.Eval[bool](sb, `document.querySelector(`+strconv.Quote(link)+`) !== null`) {
		t.Fatalf("approved requests lack %s: %q", folio, sb.Text("main"))
	}
	sb.CheckA11y("/admin/tramites?estado=aprobada")
	sb.ClickAndWait(link)
	if main := sb.Text("main"); !strings.Contains(main, "Registro de la persona en el Fondo") || !strings.Contains(main, "Aprobada") {
		t.Fatalf("back-office ARCO request page: %q", main)
	}
	sb.CheckA11y("/admin/tramites/{folio} ARCO")
	const note = "La persona descargó su archivo de portabilidad."
	sb.SetValue("#nota", note)
	sb.ClickAndWait("button[value='nota']")
	if strings.HasPrefix(sb.Title(), "Error:") {
		t.Fatalf("adding a note: %q", sb.Text("main"))
	}
	if history := sb.Text("main ol.notice-list"); !strings.Contains(history, "Nota interna") || !strings.Contains(history, note) {
		t.Fatalf("timeline after the note: %q", history)
	}
	sb.CheckA11y("/admin/tramites/{folio} with a note")
	sb.Navigate(admin + "/admin/operadores")
	if h := sb.Text("main h1"); h != "No tienes permiso para ver esto" {
		t.Fatalf("supervisor on /admin/operadores: heading %q", h)
	}
	sb.CheckA11y("/admin/operadores 403")

	// The supervisor reads the portal's figures, and a reversed range is
	// answered at its field.
	if _, err := s.a.Housekeep(ctx); err != nil { // roll up today's figures now rather than in ten minutes
		t.Fatal(err)
	}
	sb.Navigate(admin + "/admin/tablero")
	if h := sb.Text("main h1"); h != "Tablero de operación" {
		t.Fatalf("dashboard heading %q: %q", h, sb.Text("main"))
	}
	if !browser.Eval[bool](sb, `document.querySelector("main figure.chart svg[role=img] title") !== null && document.querySelector("#embudo-titulo") !== null`) {
		t.Fatalf("dashboard without its chart or funnel table: %q", sb.Text("main"))
	}
	if pages := sb.Text("#paginas-titulo + thead + tbody"); !strings.Contains(pages, "GET /mi-cuenta/tramites/nuevo/arco") {
		t.Fatalf("the person's page loads are not counted: %q", pages)
	}
	sb.CheckA11y("/admin/tablero")
	sb.SetValue("#desde", "2026-03-01")
	sb.SetValue("#hasta", "2026-01-31")
	sb.ClickAndWait("form.filter-form button")
	if !strings.HasPrefix(sb.Title(), "Error:") || !strings.Contains(sb.Text("main"), "La fecha final debe ser igual o posterior a la inicial") {
		t.Fatalf("a reversed range: %q %q", sb.Title(), sb.Text("main"))
	}
	sb.CheckA11y("/admin/tablero with an invalid range")

	// The person never sees the internal note.
	b.Navigate(base + "/mi-cuenta/tramites/" + folio)
	if main := b.Text("main"); strings.Contains(main, note) {
		t.Fatalf("the person sees the internal note: %q", main)
	}

	// Someone not signed in is sent to sign in.
	nb := browser.New(t)
	nb.Navigate(admin + "/admin/tramites")
	if path := browser.Eval[string](nb, "location.pathname"); path != "/admin/entrar" {
		t.Fatalf("not signed in, /admin/tramites went to %s (%q)", path, nb.Title())
	}
}

// operatorSignIn signs an operator in to the back office for the first
// time in a new browser: password, then second-factor enrolment and code.
func operatorSignIn(t *testing.T, admin, email, password string) *browser.Browser {
	t.Helper()
	return operatorSignInAt(t, admin, email, password, time.Now())
}

// operatorSignInAt is operatorSignIn for a back office on a test clock:
// the second factor's code is the one for the app's time, now.
func operatorSignInAt(t *testing.T, admin, email, password string, now time.Time) *browser.Browser {
	t.Helper()
	ob := browser.New(t)
	ob.Navigate(admin + "/admin/entrar")
	ob.SetValue("#correo", email)
	ob.SetValue("#contrasena", password)
	ob.ClickAndWait("form[action='/admin/entrar'] button")
	if path := browser.Eval[string](ob, "location.pathname"); path != "/admin/entrar/codigo" {
		t.Fatalf("%s after the password: at %s (%q)", email, path, ob.Title())
	}
	key := ob.Text("#clave")
	secret, err := totp.Decode(key)
	if err != nil {
		t.Fatalf("%s: key %q: %v", email, key, err)
	}
	ob.SetValue("#codigo", totp.Code(secret, now))
	ob.ClickAndWait("form[action='/admin/entrar/codigo'] button")
	if strings.HasPrefix(ob.Title(), "Error:") {
		t.Fatalf("%s: the code was refused: %q", email, ob.Text("main"))
	}
	return ob
}
