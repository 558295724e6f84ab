package e2e

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/document"
	"micuenta/internal/employment"
	"micuenta/internal/operator"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/testutil/browser"
)

// The page sweep: every HTML page of both sites, each in four modes —
//
//   - 1280 px: axe-core finds no WCAG 2.2 A/AA violation;
//   - 320 px wide: no sideways scrolling, and axe-clean;
//   - 200% zoom (a 1280×900 window): no sideways scrolling;
//   - JavaScript off: the page loads with its heading and content.
//
// The table below lists the pages; TestEveryRouteIsSwept fails when a GET
// route is neither in it nor skipped for a reason. A failed check keeps a
// screenshot named after the test, the page and the mode.

// who is the browser a page is opened in.
type who int

const (
	borrower   who = iota // the demo account, signed in: savings and a live credit
	visitor               // nobody signed in, walking through the flows
	supervisor            // a back-office supervisor, signed in
	admin                 // a back-office administrator, signed in
	auditor               // a back-office auditor, signed in
	newcomer              // an operator signing in to the back office
)

// sweepPage is one page of the sweep.
type sweepPage struct {
	route string // the route as registered: "portal GET /mi-cuenta", "admin GET /admin/citas"
	open  string // the address opened, when not the route's pattern
	who   who
	h1    string             // (part of) the page's heading
	setup func(t *testing.T) // brings who's flow to the page, before it is checked
	lands string             // the path shown, when the address redirects
	// errors are the page's forms sent empty or with bad values, after the
	// page is swept: each answers at the field, in Spanish, axe-clean.
	errors []formError
	// nojs are the page's main forms sent with JavaScript off: each gets
	// its answer (want in main) from the server alone.
	nojs []formError
}

// formError is one form sent with bad values and the error it must get.
type formError struct {
	submit string      // the form's submit button (CSS selector)
	query  string      // or, for a GET form whose select cannot hold a bad value, the query to open
	fill   [][2]string // fields (CSS selector, value) in order; the value "!click" clicks it, "!upload PATH" chooses a file
	field  string      // the field whose error is expected ("#field-error"), "" for anywhere in main
	want   string      // (part of) the error's text
}

// world is what the pages need: the sites, a browser for each who, and
// the objects some pages show, made in setup.
type world struct {
	s        sites
	b        map[who]*browser.Browser
	email    string // the demo account's
	password string
	spare    string // the e-mail of another account, for recovery and deletion
	folio    string // a pending ARCO request of the demo account
	asked    string // a request of the demo account waiting for their answer (requiere información)
	script   string // a shell script named .pdf, which uploads refuse
	intent   string // an unpaid payment of the demo account
	appt     string // an appointment of the demo account
	centre   string // its centre
	verified string // the folio of an issued document
	regNSS   string // a person with no account: registration and public appointments
	regCURP  string
	regRFC   string
	spareID  spareIDs
}

type spareIDs struct{ nss, curp, rfc string }

const (
	regEmail     = "registro.barrido@correo.example"
	regMobile    = "5544332211"
	publicEmail  = "cita.barrido@correo.example"
	newcomerMail = "nora.nueva@fondo.gob.mx"
	sweepOpPass  = "Clave-de-operacion-2026"
)

func (p sweepPage) address() string {
	if p.open != "" && p.open != "@" {
		return p.open
	}
	_, pattern, _ := strings.Cut(p.route, " GET ")
	return strings.TrimSuffix(pattern, "{$}")
}

// sweepTable is every page of both sites. Built from an empty world it
// only names the routes (for TestEveryRouteIsSwept).
func sweepTable(w *world) []sweepPage {
	v := w.b[visitor]
	return []sweepPage{
		// Public pages.
		{route: "portal GET /{$}", who: visitor, h1: "Tu ahorro para la vivienda"},
		{route: "portal GET /ayuda", who: visitor, h1: "Ayuda"},
		{route: "portal GET /privacidad", who: visitor, h1: "Aviso de privacidad"},
		{route: "portal GET /terminos", who: visitor, h1: "Términos y condiciones"},
		{route: "portal GET /verificar", who: visitor, h1: "Verificar un documento", errors: []formError{{submit: "main form button[type=submit]", fill: [][2]string{{"#folio", "12345"}}, field: "#folio-error", want: "folio"}}, nojs: []formError{{submit: "main form button[type=submit]", fill: [][2]string{{"#folio", "12345"}}, want: "folio"}}},
		{route: "portal GET /verificar/{folio}", open: "/verificar/" + w.verified, who: visitor, h1: "Documento emitido", errors: []formError{{submit: "main form[enctype] button[type=submit]", field: "#archivo-error", want: "archivo"}}},
		// Registration, step by step: each setup takes the flow one step on.
		{route: "portal GET /registro", who: visitor, h1: "Crear mi cuenta", errors: []formError{{submit: "button[type=submit]", fill: [][2]string{{"#nss", "123"}}, field: "#nss-error", want: "NSS"}}},
		{route: "portal GET /registro/nombre", who: visitor, h1: "¿Eres tú?", setup: func(t *testing.T) {
			v.Navigate(w.s.base + "/registro")
			v.SetValue("#nss", w.regNSS)
			v.SetValue("#curp", w.regCURP)
			v.SetValue("#rfc", w.regRFC)
			v.ClickAndWait("button[type=submit]")
		}},
		{route: "portal GET /registro/contacto", who: visitor, h1: "Tu correo y tu celular", setup: func(t *testing.T) {
			v.Navigate(w.s.base + "/registro/nombre")
			v.ClickAndWait("button[value=si]")
		}, errors: []formError{{submit: "button[type=submit]", fill: [][2]string{{"#correo", "no-es-correo"}, {"#celular", "12"}}, field: "#correo-error", want: "correo"}}},
		{route: "portal GET /registro/codigos", who: visitor, h1: "Escribe tus códigos", setup: func(t *testing.T) {
			v.Navigate(w.s.base + "/registro/contacto")
			v.SetValue("#correo", regEmail)
			v.SetValue("#celular", regMobile)
			v.ClickAndWait("button[type=submit]")
		}, errors: []formError{{submit: "button[value=confirmar]", fill: [][2]string{{"#codigo_correo", "1"}, {"#codigo_celular", "abc"}}, want: "código"}}},
		{route: "portal GET /registro/contrasena", who: visitor, h1: "Crea tu contraseña", setup: func(t *testing.T) {
			email, mobile := codeTo(t, v, w.s.base, regEmail), codeTo(t, v, w.s.base, regMobile)
			v.Navigate(w.s.base + "/registro/codigos")
			v.SetValue("#codigo_correo", email)
			v.SetValue("#codigo_celular", mobile)
			v.ClickAndWait("button[value=confirmar]")
		}, errors: []formError{{submit: "button[type=submit]", fill: [][2]string{{"#contrasena", "corta"}}, field: "#contrasena-error", want: "contraseña"}}},
		// Signing in on a new device, recovery and deletion, with another
		// account (the demo account stays signed in elsewhere).
		{route: "portal GET /ingresar", who: visitor, h1: "Ingresar a Mi Cuenta", errors: []formError{{submit: "button[type=submit]", field: "#identificador-error", want: "Escribe tu correo electrónico o tu NSS"}}, nojs: []formError{{submit: "button[type=submit]", fill: [][2]string{{"#identificador", "nadie@correo.example"}, {"#contrasena", "No-es-la-clave-2026"}}, want: "Hay un problema"}}},
		{route: "portal GET /ingresar/dispositivo", who: visitor, h1: "Confirma que eres tú", setup: func(t *testing.T) {
			signIn(t, v, w.s.base, w.spare, borrowerPassword)
			v.ClickAndWait("button[type=submit]") // send the code by e-mail
		}, errors: []formError{{submit: "form:last-of-type button[type=submit]", fill: [][2]string{{"#codigo", "12"}}, field: "#codigo-error", want: "código"}}},
		{route: "portal GET /recuperar", who: visitor, h1: "Recuperar mi contraseña", errors: []formError{{submit: "button[type=submit]", fill: [][2]string{{"#nss", "12"}}, field: "#nss-error", want: "NSS"}}},
		{route: "portal GET /recuperar/nueva", who: visitor, h1: "Elige una contraseña nueva", setup: func(t *testing.T) {
			v.Navigate(w.s.base + "/recuperar")
			v.SetValue("#nss", w.spareID.nss)
			v.ClickAndWait("button[type=submit]")
			v.Navigate(w.s.base + "/dev/buzon")
			link := regexp.MustCompile(`/recuperar/nueva\?clave=[A-Za-z0-9_-]+`).FindString(v.Text("main"))
			if link == "" {
				t.Fatal("no recovery link in the mailbox")
			}
			v.Navigate(w.s.base + link)
		}, open: "@", errors: []formError{{submit: "button[type=submit]", fill: [][2]string{{"#contrasena", "Chiles#2026"}, {"#confirmacion", "Chiles#2027"}}, field: "#confirmacion-error", want: "no son iguales"}}}, // "@": the address the setup left the browser at
		{route: "portal GET /borrar-cuenta", who: visitor, h1: "Borrar mi cuenta", errors: []formError{{submit: "form[action='/borrar-cuenta'] button", field: "#nss-error", want: "NSS"}}},
		{route: "portal GET /borrar-cuenta/codigo", who: visitor, h1: "Confirma que quieres borrar tu cuenta", setup: func(t *testing.T) {
			v.Navigate(w.s.base + "/borrar-cuenta")
			v.SetValue("#nss", w.spareID.nss)
			v.SetValue("#curp", w.spareID.curp)
			v.SetValue("#rfc", w.spareID.rfc)
			v.ClickAndWait("form[action='/borrar-cuenta'] button")
		}, errors: []formError{{submit: "button[value=borrar]", field: "#confirmo-error", want: "marca la casilla"}}},
		// Appointments without an account.
		{route: "portal GET /citas", who: visitor, h1: "Agendar una cita sin cuenta", errors: []formError{{submit: "form[action='/citas'] button", field: "#nss-error", want: "NSS"}}},
		{route: "portal GET /citas/codigo", who: visitor, h1: "Escribe tu código", setup: func(t *testing.T) {
			v.Navigate(w.s.base + "/citas")
			v.SetValue("#nss", w.regNSS)
			v.SetValue("#curp", w.regCURP)
			v.SetValue("#contacto", publicEmail)
			v.ClickAndWait("form[action='/citas'] button")
		}, errors: []formError{{submit: "form[action='/citas/codigo'] button", fill: [][2]string{{"#codigo", "12"}}, field: "#codigo-error", want: "código"}}},
		{route: "portal GET /citas/horario", who: visitor, h1: "Agendar", setup: func(t *testing.T) {
			code := codeTo(t, v, w.s.base, publicEmail)
			v.Navigate(w.s.base + "/citas/codigo")
			v.SetValue("#codigo", code)
			v.ClickAndWait("form[action='/citas/codigo'] button")
		}, errors: []formError{{query: "?servicio=&entidad=", field: "#servicio-error", want: "Elige el servicio"}}},

		// The demo account's pages.
		{route: "portal GET /mi-cuenta", who: borrower, h1: "Hola,"},
		{route: "portal GET /mi-cuenta/ahorro", who: borrower, h1: "Mi ahorro para la vivienda", errors: []formError{{query: "?anio=1800", want: "Elige un año de la lista"}}, nojs: []formError{{submit: "form.filter-form button[type=submit]", fill: [][2]string{{"#tipo", "aportacion"}}, want: "Quitar filtros"}}},
		{route: "portal GET /mi-cuenta/relaciones-laborales", who: borrower, h1: "Mis relaciones laborales"},
		{route: "portal GET /mi-cuenta/ahorro/calculadora", who: borrower, h1: "Calculadora de ahorro", errors: []formError{{submit: "main form button[type=submit]", fill: [][2]string{{"#anios", "99"}}, field: "#anios-error", want: "de 1 a 50"}}, nojs: []formError{{submit: "main form button[type=submit]", fill: [][2]string{{"#anios", "5"}}, want: "Saldo estimado al cierre de"}}},
		{route: "portal GET /mi-cuenta/tramites", who: borrower, h1: "Mis trámites"},
		{route: "portal GET /mi-cuenta/tramites/nuevo/correccion", who: borrower, h1: "Corregir mis datos", errors: []formError{{submit: correctionForm + " button", field: "#campo-error", want: "Elige"}}},
		{route: "portal GET /mi-cuenta/tramites/nuevo/arco", who: borrower, h1: "Mis datos personales", errors: []formError{{submit: arcoForm + " button", field: "#derecho-error", want: "Elige el derecho"}}, nojs: []formError{{submit: arcoForm + " button", want: "Elige el derecho"}}},
		{route: "portal GET /mi-cuenta/tramites/{folio}", open: "/mi-cuenta/tramites/" + w.folio, who: borrower, h1: "Trámite"},
		{route: "portal GET /mi-cuenta/tramites/{folio}", open: "/mi-cuenta/tramites/" + w.asked, who: borrower, h1: "Trámite", errors: []formError{
			{submit: "button[value=responder]", field: "#respuesta-error", want: "Escribe tu respuesta"},
			{submit: "button[value=responder]", fill: [][2]string{{"#respuesta", "Adjunto mi identificación."}, {"#documentos", "!upload " + w.script}}, field: "#documentos-error", want: "Solo aceptamos archivos PDF, JPG o PNG"},
		}, nojs: []formError{{submit: "button[value=responder]", want: "Escribe tu respuesta"}}},
		{route: "portal GET /mi-cuenta/credito", who: borrower, h1: "Mi crédito", errors: []formError{{query: "?tipo=no-existe", want: "Elige un tipo de movimiento de la lista"}}, nojs: []formError{{submit: filterForm, fill: [][2]string{{"#tipo", credit.KindInteres}}, want: "Quitar filtros"}}},
		{route: "portal GET /mi-cuenta/credito/como-pagar", who: borrower, h1: "Cómo, cuándo y dónde pagar"},
		{route: "portal GET /mi-cuenta/credito/estados-de-cuenta", who: borrower, h1: "Mis estados de cuenta"},
		{route: "portal GET /mi-cuenta/credito/constancia-intereses", who: borrower, h1: "Constancia de intereses"},
		{route: "portal GET /mi-cuenta/credito/avisos", who: borrower, h1: "Avisos para tu patrón"},
		{route: "portal GET /mi-cuenta/credito/cancelacion-hipoteca", who: borrower, h1: "Cancelación de hipoteca"},
		{route: "portal GET /mi-cuenta/credito/pagar", who: borrower, h1: "Pagar mi crédito en línea", errors: []formError{{submit: payForm, fill: [][2]string{{"#concepto-otro", "!click"}, {"#importe", "cien"}}, field: "#importe-error", want: "solo con números"}}},
		{route: "portal GET /pagos/sandbox/{intent}", open: "/pagos/sandbox/" + w.intent, who: borrower, h1: "Pagar $"},
		{route: "portal GET /mi-cuenta/credito/pagos/{intent}", open: "/mi-cuenta/credito/pagos/" + w.intent, who: borrower, h1: "Tu pago"},
		{route: "portal GET /mi-cuenta/credito/responsabilidad-compartida", who: borrower, h1: "Responsabilidad Compartida"},
		{route: "portal GET /mi-cuenta/credito/proteccion", who: borrower, h1: "Si perdiste tu empleo"},
		{route: "portal GET /mi-cuenta/credito/escrituras", who: borrower, h1: "Entrega de escrituras"},
		{route: "portal GET /mi-cuenta/credito/devolucion-pagos-exceso", who: borrower, h1: "Devolución de pagos en exceso"},
		{route: "portal GET /mi-cuenta/devolucion-ahorro", who: borrower, h1: "Devolución de tu ahorro"},
		{route: "portal GET /mi-cuenta/precalificacion", who: borrower, h1: "Precalificación y puntos"},
		{route: "portal GET /mi-cuenta/precalificacion/simulador", who: borrower, h1: "Simulador de crédito", errors: []formError{{submit: "form[data-simulador] button[type=submit]", fill: [][2]string{{"#salario", "mucho"}}, field: "#salario-error", want: "salario"}}, nojs: []formError{{submit: "form[data-simulador] button[type=submit]", want: "Simulador de crédito"}}},
		{route: "portal GET /mi-cuenta/solicitud-credito", who: borrower, h1: ""},
		{route: "portal GET /mi-cuenta/citas", who: borrower, h1: "Mis citas"},
		{route: "portal GET /mi-cuenta/citas/nueva", who: borrower, h1: "cita", errors: []formError{{query: "?servicio=&entidad=", field: "#servicio-error", want: "Elige el servicio"}}, nojs: []formError{{submit: searchForm, fill: [][2]string{{"#servicio", "identidad"}}, want: "Horarios disponibles"}}},
		{route: "portal GET /mi-cuenta/citas/{code}", open: "/mi-cuenta/citas/" + w.appt, who: borrower, h1: "Cita"},
		{route: "portal GET /mi-cuenta/notificaciones", who: borrower, h1: "Mis notificaciones", nojs: []formError{{submit: "form[action='/mi-cuenta/notificaciones'] button", want: "Guardamos tus preferencias"}}},
		{route: "portal GET /mi-cuenta/seguridad", who: borrower, h1: "Seguridad de mi cuenta", errors: []formError{{submit: "form[action='/mi-cuenta/seguridad/contrasena'] button", fill: [][2]string{{"#actual", "Mala#2026x"}, {"#contrasena", "Tacos#2026"}, {"#confirmacion", "Tacos#2026"}}, field: "#actual-error", want: "contraseña"}}},
		{route: "portal GET /mi-cuenta/datos", who: borrower, h1: "Mis datos de contacto", errors: []formError{{submit: "form[action='/mi-cuenta/datos'] button", field: "#tipo-error", want: "Elige si quieres cambiar tu correo o tu celular"}}},
		{route: "portal GET /mi-cuenta/datos/codigo", who: borrower, h1: "Confirma tu celular nuevo", setup: func(t *testing.T) {
			b := w.b[borrower]
			b.Navigate(w.s.base + "/mi-cuenta/datos")
			b.Click("#tipo-celular")
			b.SetValue("#valor", "5599001122")
			b.SetValue("#contrasena", w.password)
			b.ClickAndWait("form[action='/mi-cuenta/datos'] button")
		}, errors: []formError{{submit: "form[action='/mi-cuenta/datos/codigo'] button", fill: [][2]string{{"#codigo", "1"}}, field: "#codigo-error", want: "código"}}},

		// The back office.
		{route: "admin GET /admin/entrar", who: newcomer, h1: "Ingresar a Operación", errors: []formError{{submit: "form[action='/admin/entrar'] button", field: "#correo-error", want: "Escribe tu correo"}}},
		{route: "admin GET /admin/entrar/codigo", who: newcomer, h1: "Activa tu segundo factor", setup: func(t *testing.T) {
			n := w.b[newcomer]
			n.Navigate(w.s.admin + "/admin/entrar")
			n.SetValue("#correo", newcomerMail)
			n.SetValue("#contrasena", sweepOpPass)
			n.ClickAndWait("form[action='/admin/entrar'] button")
		}, errors: []formError{{submit: "form[action='/admin/entrar/codigo'] button", fill: [][2]string{{"#codigo", "12"}}, field: "#codigo-error", want: "código"}}},
		{route: "admin GET /admin/{$}", who: supervisor, h1: "Bandeja de trámites", lands: "/admin/tramites"},
		{route: "admin GET /admin/tramites", who: supervisor, h1: "Bandeja de trámites", nojs: []formError{{submit: "form.filter-form button", fill: [][2]string{{"#estado", "aprobada"}}, want: "Bandeja de trámites"}}},
		{route: "admin GET /admin/tramites/{folio}", open: "/admin/tramites/" + w.folio, who: supervisor, h1: "Trámite", errors: []formError{{submit: "button[value=nota]", field: "#nota-error", want: "nota"}}},
		{route: "admin GET /admin/citas", who: supervisor, h1: "Agenda de citas"},
		{route: "admin GET /admin/centros/{code}", open: "/admin/centros/" + w.centre, who: supervisor, h1: "", errors: []formError{{submit: "button[value='lugares']", fill: [][2]string{{"#lugares_identidad", "-1"}}, field: "#lugares_identidad-error", want: "de 0 a 50"}}},
		{route: "admin GET /admin/alertas", who: supervisor, h1: "Alertas de seguridad"},
		{route: "admin GET /admin/tablero", who: supervisor, h1: "Tablero de operación", errors: []formError{{submit: "form.filter-form button", fill: [][2]string{{"#desde", "2026-03-01"}, {"#hasta", "2026-01-31"}}, field: "#hasta-error", want: "La fecha final debe ser igual o posterior a la inicial"}}, nojs: []formError{{submit: "form.filter-form button", fill: [][2]string{{"#desde", "2026-03-01"}, {"#hasta", "2026-01-31"}}, want: "La fecha final debe ser igual o posterior a la inicial"}}},
		{route: "admin GET /admin/contrasena", who: supervisor, h1: "contraseña", errors: []formError{{submit: "form[action='/admin/contrasena'] button", field: "#actual-error", want: "contraseña"}}},
		{route: "admin GET /admin/operadores", who: admin, h1: "Personas operadoras", errors: []formError{{submit: "button[value='crear']", field: "#nombre-error", want: "nombre"}}},
		{route: "admin GET /admin/auditoria", who: auditor, h1: "Bitácora de auditoría"},
	}
}

// sweepMode is one way of showing a page.
type sweepMode struct {
	name   string
	set    func(b *browser.Browser)
	load   bool // open the page again (else the page shown is resized, as when a phone turns or a person zooms)
	axe    bool // run axe-core
	narrow bool // check for sideways scrolling
}

var sweepModes = []sweepMode{
	{"1280px", func(b *browser.Browser) { b.Viewport(1280, 900) }, true, true, false},
	{"320px", func(b *browser.Browser) { b.Viewport(320, 900) }, false, true, true},
	{"zoom200", func(b *browser.Browser) { b.Zoom(200) }, false, false, true},
	{"nojs", func(b *browser.Browser) { b.Viewport(1280, 900); b.DisableJavaScript() }, true, false, false},
}

// newWorld starts both sites with the demo account and another, signs in
// a browser for each who, and makes what the pages show.
func newWorld(t *testing.T) *world {
	t.Helper()
	s, email, password := demoSites(t, 40, 41)
	ctx := context.Background()
	a := s.a
	w := &world{s: s, email: email, password: password, b: map[who]*browser.Browser{}}

	v := demoCredit(t, a, email)
	// A pending request of the demo account, for both sites.
	data, errs := request.ParseARCO(request.RightOpposition, "No quiero que usen mis datos para encuestas.")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	r, err := a.Requests.File(ctx, request.ARCO, v.Credit.PersonID, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.folio = r.Folio
	// A document to verify.
	d, _, err := a.Documents.Issue(ctx, document.Request{Kind: document.KindRetencion, PersonID: v.Credit.PersonID, CreditNumber: v.Credit.Number,
		Holder: "PERSONA DE PRUEBA", Layout: "e2e", Inputs: []byte("e2e"), Origin: s.base}, func(d *document.Issued, url string) ([]byte, error) {
		return []byte("%PDF-1.4 " + d.Folio + " " + url), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.verified = d.Folio
	// A person with no account, and another account.
	reg, err := a.DemoRegistrant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.regNSS, w.regCURP, w.regRFC = reg.NSS.String(), reg.CURP.String(), reg.RFC.String()
	w.spare = "eulalia.barrido@correo.example"
	spareID := record(t, a, holder{given: "EULALIA", first: "BARRIDO", second: "QUINTERO", email: w.spare,
		jobs: []employment.Relation{{EmployerID: 1, Start: portal.NewDate(2010, 2, 1), DailySalary: 480_00}}})
	sp, err := a.DB.FindPersonByID(ctx, spareID)
	if err != nil {
		t.Fatal(err)
	}
	w.spareID = spareIDs{sp.NSS.String(), sp.CURP.String(), sp.RFC.String()}
	// Operators.
	var supervisorID int64
	for _, n := range []operator.New{
		{Email: "sofia.supervisora@fondo.gob.mx", Name: "Sofía Supervisora", Role: operator.Supervisor},
		{Email: "adan.admin@fondo.gob.mx", Name: "Adán Administrador", Role: operator.Administrador},
		{Email: "aurora.auditora@fondo.gob.mx", Name: "Aurora Auditora", Role: operator.Auditor},
		{Email: newcomerMail, Name: "Nora Nueva", Role: operator.Operador},
	} {
		n.Password = sweepOpPass
		o, err := a.Operators.Create(ctx, n, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if n.Role == operator.Supervisor {
			supervisorID = o.ID
		}
	}

	// The demo account signs in, books an appointment and starts a payment.
	b := browser.New(t)
	w.b[borrower] = b
	signIn(t, b, s.base, email, password)
	proveDevice(t, b, s.base)
	b.Navigate(s.base + "/mi-cuenta/citas/nueva")
	p, err := a.DB.FindPersonByID(ctx, v.Credit.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	searchSlots(t, b, "identidad", p.State)
	pickSlot(t, b, time.Time{})
	b.ClickAndWait(slotForm)
	w.appt = bookedCode(t, b)
	appt, centre, err := a.Bookings.Lookup(ctx, w.appt)
	if err != nil || appt == nil {
		t.Fatal(err)
	}
	w.centre = centre.Code
	b.Navigate(s.base + "/mi-cuenta/credito/pagar")
	b.ClickAndWait(payForm)
	path := browser.Eval[string](b, "location.pathname")
	w.intent = strings.TrimPrefix(path, sandboxPath)
	if w.intent == path || w.intent == "" {
		t.Fatalf("starting a payment: at %s (%q)", path, b.Title())
	}

	w.b[visitor] = browser.New(t)
	w.b[newcomer] = browser.New(t)
	w.b[supervisor] = operatorSignIn(t, s.admin, "sofia.supervisora@fondo.gob.mx", sweepOpPass)
	w.b[admin] = operatorSignIn(t, s.admin, "adan.admin@fondo.gob.mx", sweepOpPass)
	w.b[auditor] = operatorSignIn(t, s.admin, "aurora.auditora@fondo.gob.mx", sweepOpPass)

	// A request of the demo account the supervisor asked more about (after
	// its sign-in, so that its e-mails come after the sign-in code), and a
	// file its answer form must refuse.
	r, err = a.Requests.File(ctx, request.ARCO, v.Credit.PersonID, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		to      request.State
		message string
	}{{request.EnRevision, ""}, {request.RequiereInfo, "Envía una identificación oficial vigente."}} {
		if _, err := a.Requests.Move(ctx, r.Folio, m.to, request.Operator, supervisorID, m.message); err != nil {
			t.Fatal(err)
		}
	}
	w.asked = r.Folio
	w.script = filepath.Join(t.TempDir(), "identificacion.pdf")
	if err := os.WriteFile(w.script, []byte("#!/bin/sh\necho hola\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// Every page of both sites in every mode.
func TestEveryPage(t *testing.T) {
	w := newWorld(t)
	pages := sweepTable(w)
	checked := map[string]bool{}
	// MICUENTA_SWEEP, a regular expression, sweeps only the routes it
	// matches (and the flows' steps), to check a fix quickly.
	only := os.Getenv("MICUENTA_SWEEP")
	for _, p := range pages {
		if ok, _ := regexp.MatchString(only, p.route); !ok && p.setup == nil {
			continue
		}
		start := time.Now()
		b := w.b[p.who]
		if p.setup != nil {
			p.setup(t)
		}
		site := w.s.base
		if strings.HasPrefix(p.route, "admin ") {
			site = w.s.admin
		}
		address := site + p.address()
		if p.open == "@" {
			address = browser.Eval[string](b, "location.href")
		}
		for _, m := range sweepModes {
			m.set(b)
			if m.load {
				b.Navigate(address)
			}
			if !checkPage(b, p, address, m) {
				break
			}
		}
		b.EnableJavaScript()
		b.Viewport(1280, 900)
		for _, fe := range p.errors {
			checkFormError(b, p, address, fe)
		}
		if len(p.nojs) > 0 {
			b.DisableJavaScript()
			for _, fe := range p.nojs {
				checkSubmit(b, p, address, fe)
			}
			b.EnableJavaScript()
		}
		checked[p.route] = true
		t.Logf("%s: %v", p.route, time.Since(start).Round(10*time.Millisecond))
	}
	if only != "" {
		return
	}

	// Every new-request form the requests page offers is in the table.
	b := w.b[borrower]
	b.Navigate(w.s.base + "/mi-cuenta/tramites")
	for _, link := range browser.Eval[[]string](b, `[...document.querySelectorAll("a[href^='/mi-cuenta/tramites/nuevo/']")].map(a => a.pathname)`) {
		if !checked["portal GET "+link] {
			t.Errorf("/mi-cuenta/tramites links to %s, which the sweep does not open", link)
		}
	}
}

// checkPage checks the page shown in one mode, and says whether it is
// there to check in the next.
func checkPage(b *browser.Browser, p sweepPage, address string, m sweepMode) bool {
	name := p.address()
	if m.load {
		if status := b.Status(); status >= 400 {
			b.Errorf(name, "HTTP %d: %q", status, b.Text("main"))
			return false
		}
		want := p.lands
		if want == "" {
			u, _ := url.Parse(address)
			want = u.Path
		}
		if path := browser.Eval[string](b, "location.pathname"); path != want {
			b.Errorf(name, "at %s, want %s (%q)", path, want, b.Title())
			return false
		}
		if h1 := browser.Eval[string](b, `(document.querySelector("main h1") || {}).textContent || ""`); strings.TrimSpace(h1) == "" || !strings.Contains(h1, p.h1) {
			b.Errorf(name, "heading %q, want %q", strings.TrimSpace(h1), p.h1)
		}
		if strings.HasPrefix(b.Title(), "Error:") {
			b.Errorf(name, "shows an error: %q", b.Text("main"))
		}
		if main := browser.Eval[string](b, `(document.querySelector("main") || {}).innerText || ""`); len(strings.TrimSpace(main)) < 40 {
			b.Errorf(name, "main has almost no content: %q", main)
		}
	}
	if m.narrow && b.HorizontalOverflow() {
		b.Errorf(name, "scrolls sideways (%d px wide): %s", browser.Eval[int](b, "document.documentElement.scrollWidth"), browser.Eval[string](b, wideElements))
	}
	if m.axe {
		b.ExpectA11y(name)
	}
	return true
}

// wideElements names the first elements that stick out of the viewport,
// leaving out those inside a scroll container.
const wideElements = `(() => {
	const w = document.documentElement.clientWidth;
	const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) { if (getComputedStyle(p).overflowX !== "visible") return true; } return false; };
	return [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > w + 1 && !clipped(e)).slice(0, 6)
		.map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "") + " " + Math.round(e.getBoundingClientRect().right) + "px").join(", ");
})()`

// fillAndSend fills a form and sends it; false when a field or the button
// is missing.
func fillAndSend(b *browser.Browser, name, address string, fe formError) bool {
	present := func(sel string) bool {
		return browser.Eval[bool](b, `document.querySelector(`+strconv.Quote(sel)+`) !== null`)
	}
	b.Navigate(address)
	for _, f := range fe.fill {
		if !present(f[0]) {
			b.Errorf(name, "no field %s", f[0])
			return false
		}
		if path, ok := strings.CutPrefix(f[1], "!upload "); ok {
			b.SetUploadFiles(f[0], path)
		} else if f[1] == "!click" {
			b.Click(f[0])
		} else {
			b.SetValue(f[0], f[1])
		}
	}
	switch {
	case fe.query != "":
		b.Navigate(address + fe.query)
	case !present(fe.submit):
		b.Errorf(name, "no button %s", fe.submit)
		return false
	default:
		b.ClickAndWait(fe.submit)
	}
	return true
}

// checkSubmit sends one of the page's forms (JavaScript off) and checks
// the server's answer.
func checkSubmit(b *browser.Browser, p sweepPage, address string, fe formError) {
	name := p.address() + " sent"
	if !fillAndSend(b, name, address, fe) {
		return
	}
	if status := b.Status(); status >= 500 {
		b.Errorf(name, "HTTP %d: %q", status, b.Text("main"))
		return
	}
	if got := b.Text("main"); !strings.Contains(got, fe.want) {
		b.Errorf(name, "the answer lacks %q: %q", fe.want, got)
	}
}

// checkFormError sends one of the page's forms with bad values: the page
// answers (no 5xx) with the error at the field, in Spanish, axe-clean.
func checkFormError(b *browser.Browser, p sweepPage, address string, fe formError) {
	name := p.address() + " with errors"
	if !fillAndSend(b, name, address, fe) {
		return
	}
	present := func(sel string) bool {
		return browser.Eval[bool](b, `document.querySelector(`+strconv.Quote(sel)+`) !== null`)
	}
	if status := b.Status(); status >= 500 {
		b.Errorf(name, "HTTP %d: %q", status, b.Text("main"))
		return
	}
	if title := b.Title(); !strings.HasPrefix(title, "Error:") {
		b.Errorf(name, "title %q does not start with Error:", title)
	}
	where := "main"
	if fe.field != "" {
		where = fe.field
		if !present(where) {
			b.Errorf(name, "no %s; the page says %q", where, b.Text("main"))
			return
		}
	}
	if got := b.Text(where); !strings.Contains(got, fe.want) {
		b.Errorf(name, "%s says %q, want %q", where, got, fe.want)
	}
	b.ExpectA11y(name)
}
