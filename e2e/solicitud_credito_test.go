package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/operator"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/savings"
	"micuenta/internal/store"
	"micuenta/internal/testutil/browser"
	"micuenta/internal/testutil/idgen"
	"micuenta/internal/testutil/testdocs"
)

const (
	applicantPassword = "Mi-casa-propia-2026!"
	applicationForm   = "form[action='/mi-cuenta/solicitud-credito'][method=post]"
	simulatorForm     = "form[data-simulador]"
)

// futureBuyer records a woman of 28 who qualifies today: a job at 500.00
// a day since 2020, the last 18 bimesters paid up to the one before
// today's, 85,500.00 saved, and an account.
func futureBuyer(t *testing.T, a *app.App) (personID int64, email string) {
	t.Helper()
	ctx := context.Background()
	maxID, err := a.DB.MaxPersonID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := maxID + 1
	today := portal.DateOf(time.Now())
	birth := portal.NewDate(today.Y-28, 3, 10)
	if today.Before(portal.NewDate(today.Y, 3, 10)) {
		birth = portal.NewDate(today.Y-29, 3, 10)
	}
	n := ident.Name{Given: "ROSA ELENA", First: "VILLARREAL", Second: "OCHOA"}
	nssText, curpText, rfcText := idgen.For(n, birth.Time(), "M", "JC", fmt.Sprintf("4391%06d", id))
	nss, err1 := ident.ParseNSS(nssText)
	curp, err2 := ident.ParseCURP(curpText)
	rfc, err3 := ident.ParseRFC(rfcText)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("identifiers: %v %v %v", err1, err2, err3)
	}
	r := &store.Records{
		People: []*person.Person{{ID: id, NSS: nss, CURP: curp, RFC: rfc, GivenNames: n.Given, FirstSurname: n.First, SecondSurname: n.Second,
			BirthDate: birth, Sex: "M", State: "JC"}},
		Relations: []employment.Relation{{PersonID: id, EmployerID: 1, Start: portal.NewDate(2020, 1, 6), DailySalary: 500_00}},
		Savings: []savings.Movement{{PersonID: id, Bucket: savings.BucketViv97, Kind: savings.KindSaldoAnterior, Period: 201912,
			ValueDate: portal.NewDate(2019, 12, 31), Amount: 58_500_00}},
	}
	b := prequal.PreviousBimestre(today)
	for i := 0; i < 18; i++ {
		paidOn := b.Next().First().AddDays(16)
		if today.Before(paidOn) {
			paidOn = today
		}
		r.Savings = append(r.Savings, savings.Movement{PersonID: id, Bucket: savings.BucketViv97, Kind: savings.KindAportacion, Period: b.Key(),
			SourceID: 1, ValueDate: paidOn, Amount: 1_500_00, DailySalary: 500_00, Days: b.Days()})
		b = prequal.PreviousBimestre(b.First())
	}
	if _, err := a.DB.LoadRecords(ctx, r); err != nil {
		t.Fatal(err)
	}
	hash, err := a.Hasher.Hash(ctx, applicantPassword)
	if err != nil {
		t.Fatal(err)
	}
	email = "rosa.villarreal@correo.example"
	if err := a.DB.CreateAccount(ctx, &account.Account{PersonID: id, Email: email, Mobile: "3312345678", PasswordHash: hash,
		TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion, AcceptedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return id, email
}

// waitFor polls until the page text at selector contains want.
func waitFor(t *testing.T, b *browser.Browser, selector, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if strings.Contains(b.Text(selector), want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never said %q: %q", selector, want, b.Text(selector))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A worker who qualifies goes from their points, past the application's
// list of products, to the simulator — which answers a wrong salary at its
// field, updates as they type and draws the credit year by year — to the
// application: the offer filled from the simulator, a form sent empty
// refused at each field and document, then filed with the dwelling, the
// seller, the appraisal and one PDF per document. The request's page shows
// the five stages with their due dates; a supervisor takes it and finishes
// its first stage, and the person reads what comes next. Every page, the
// error states too, is axe-clean.
func TestCreditApplicationInBrowser(t *testing.T) {
	s, _, _ := demoSites(t, 40, 27)
	pid, email := futureBuyer(t, s.a)
	base := s.base

	dir := t.TempDir()
	docs := map[string]string{}
	for _, d := range []string{"solicitud", "identificacion", "acta", "avaluo"} {
		path := filepath.Join(dir, d+".pdf")
		if err := os.WriteFile(path, testdocs.PDF(t, "Documento "+d), 0o600); err != nil {
			t.Fatal(err)
		}
		docs[d] = path
	}

	b := browser.New(t)
	signIn(t, b, base, email, applicantPassword)
	proveDevice(t, b, base)

	// Points.
	b.Navigate(base + "/mi-cuenta")
	b.ClickAndWait("main a[href='/mi-cuenta/precalificacion']")
	if main := b.Text("main"); !strings.Contains(main, "Precalificas para un crédito") || !strings.Contains(main, "126") ||
		!strings.Contains(main, "Bimestres de cotización continua") {
		t.Fatalf("/mi-cuenta/precalificacion: %q", main)
	}
	b.CheckA11y("/mi-cuenta/precalificacion")

	// The application's first step lists what may be asked for.
	b.ClickAndWait("main .notice a[href='/mi-cuenta/solicitud-credito']")
	if main := b.Text("main"); !strings.Contains(main, "Puedes solicitar un crédito") || !strings.Contains(main, "Unamos Créditos") {
		t.Fatalf("/mi-cuenta/solicitud-credito: %q", main)
	}
	b.CheckA11y("/mi-cuenta/solicitud-credito")

	// The simulator, filled from the records.
	b.ClickAndWait("main p a[href='/mi-cuenta/precalificacion/simulador']")
	waitFor(t, b, "#resultado", "Plazo\n30 años")
	if hidden := browser.Eval[bool](b, `document.getElementById("coacreditado").hidden`); !hidden {
		t.Error("the other person's fields show for a Crédito Infonavit")
	}
	b.CheckA11y("/mi-cuenta/precalificacion/simulador")

	// A wrong salary, sent without waiting for the script: at its field.
	b.SetValue("#salario", "quince mil")
	b.ClickAndWait(simulatorForm + " button[type=submit]")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("a wrong salary: %q", b.Title())
	}
	if msg := b.Text("#salario-error"); !strings.Contains(msg, "Escribe tu salario mensual en pesos") {
		t.Fatalf("a wrong salary: the field says %q", msg)
	}
	if !browser.Eval[bool](b, `document.getElementById("salario").getAttribute("aria-describedby") === "salario-ayuda salario-error"`) {
		t.Fatal("#salario is not described by its error")
	}
	b.CheckA11y("/mi-cuenta/precalificacion/simulador with an error")

	// Typing updates the result in place: the error goes, the figures come.
	browser.Eval[bool](b, `(() => { const s = document.getElementById("salario"); s.value = "15200.00";
		s.dispatchEvent(new Event("input", {bubbles: true})); return true })()`)
	waitFor(t, b, "#resultado", "Te prestan hasta")
	if browser.Eval[bool](b, `!!document.getElementById("salario-error")`) {
		t.Error("the salary's error stayed after the live update")
	}
	browser.Eval[bool](b, `(() => { const s = document.getElementById("plazo"); s.value = "20";
		s.dispatchEvent(new Event("input", {bubbles: true})); return true })()`)
	waitFor(t, b, "#resultado", "Plazo\n20 años")
	if n := browser.Eval[int](b, `document.querySelectorAll("#resultado svg[role=img] rect.chart-bar").length`); n != 21 {
		t.Errorf("the chart has %d bars, want the signing and 20 years", n)
	}
	b.CheckA11y("/mi-cuenta/precalificacion/simulador updated live")

	// To the application, with the product and term chosen.
	b.ClickAndWait("#resultado a.button")
	if main := b.Text("main"); !strings.Contains(main, "Paso 1 de 2: tu crédito") || !strings.Contains(main, "20 años") {
		t.Fatalf("the application's offer: %q", main)
	}
	b.CheckA11y("/mi-cuenta/solicitud-credito with the offer")

	// Sent empty: every field and document asked for at its place.
	b.ClickAndWait(applicationForm + " button[type=submit]")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("an empty application: %q", b.Title())
	}
	for sel, want := range map[string]string{"#domicilio-error": "Escribe el domicilio de la vivienda", "#doc_acta-error": "Adjunta este documento: Acta de nacimiento.",
		"#acepto-error": "confirma que los datos"} {
		if msg := b.Text(sel); !strings.Contains(msg, want) {
			t.Errorf("%s says %q", sel, msg)
		}
	}
	b.CheckA11y("/mi-cuenta/solicitud-credito with errors")

	b.SetValue("#domicilio", "Av. Patria 1234, Col. Jardines del Valle, Zapopan")
	b.SetValue("#estado", "JC")
	b.SetValue("#codigo_postal", "45138")
	b.SetValue("#valor", "600000.00")
	b.SetValue("#vendedor", "DESARROLLOS DEL BAJIO, S.A. DE C.V.")
	b.SetValue("#avaluo", "AV-2026-0001234")
	for code, path := range docs {
		b.SetUploadFiles("#doc_"+code, path)
	}
	b.Click("#acepto")
	b.ClickAndWait(applicationForm + " button[type=submit]")
	folio := filedFolio(t, b, "SCR-")
	b.CheckA11y("/mi-cuenta/tramites with the application")

	b.ClickAndWait("table a.mono")
	main := b.Text("main")
	for _, want := range []string{"Solicitud de crédito", "Monto del crédito", "$514,500.00", "Etapas", "Integración del expediente",
		"En curso desde el", "Firma de escrituras", "Crédito ejercido", "(estimada)", "Acta de nacimiento - acta.pdf"} {
		if !strings.Contains(main, want) {
			t.Fatalf("the request's page lacks %q: %q", want, main)
		}
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} credit application")

	// Pre-qualification now says an application is in course.
	b.Navigate(base + "/mi-cuenta/precalificacion")
	if main := b.Text("main"); !strings.Contains(main, "Tu solicitud de crédito está en trámite") || !strings.Contains(main, folio) {
		t.Fatalf("pre-qualification after filing: %q", main)
	}
	b.CheckA11y("/mi-cuenta/precalificacion with an application in course")
	if rs, err := s.a.Requests.Mine(context.Background(), pid); err != nil || len(rs) != 1 || rs[0].Folio != folio {
		t.Fatalf("the person's requests: %v %v", rs, err)
	}

	// A supervisor takes it and finishes its first stage.
	const supervisor, opPassword = "marta.supervisora@fondo.gob.mx", "Clave-de-operacion-2026"
	if _, err := s.a.Operators.Create(context.Background(), operator.New{Email: supervisor, Name: "Marta Supervisora", Role: operator.Supervisor,
		Password: opPassword}, nil, ""); err != nil {
		t.Fatal(err)
	}
	ob := operatorSignIn(t, s.admin, supervisor, opPassword)
	ob.Navigate(s.admin + "/admin/tramites/" + folio)
	if main := ob.Text("main"); !strings.Contains(main, "Etapas") || !strings.Contains(main, "La solicitud hoy") || !strings.Contains(main, "precalifica") {
		t.Fatalf("the operator's request page: %q", main)
	}
	ob.CheckA11y("/admin/tramites/{folio} credit application")
	ob.ClickAndWait("button[value='tomar']")
	ob.CheckA11y("/admin/tramites/{folio} credit application taken")
	if label := ob.Text("button[value='etapa']"); label != "Expediente completo: pasar a revisión" {
		t.Fatalf("the stage button says %q", label)
	}
	ob.ClickAndWait("button[value='etapa']")
	if main := ob.Text("main"); !strings.Contains(main, "Revisión aprobada: pasar a inscripción") {
		t.Fatalf("after the first stage: %q", main)
	}
	ob.CheckA11y("/admin/tramites/{folio} credit application in revisión")
	b.Navigate(base + "/mi-cuenta/tramites/" + folio)
	if main := b.Text("main"); !strings.Contains(main, "Tu expediente está completo") {
		t.Fatalf("the person's page after the first stage: %q", main)
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} credit application in revisión")
}
