package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/operator"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
	"micuenta/internal/store"
	"micuenta/internal/testutil/browser"
	"micuenta/internal/testutil/idgen"
	"micuenta/internal/testutil/testdocs"
)

const (
	protectionPath   = "/mi-cuenta/credito/proteccion"
	prorrogaSubmit   = "form:has(input[value='prorroga']) button[type=submit]"
	borrowerPassword = "Prorroga-de-2026!"
)

// holder is a person recorded for a journey: identity, jobs, a credit
// and its movements, savings, and an account to sign in with.
type holder struct {
	given, first, second, email string
	pension, law                string
	jobs                        []employment.Relation
	credit                      *credit.Credit
	moves                       []credit.Movement
	savings                     []savings.Movement
}

// record writes a holder through the store, as an import would, with an
// account; it returns their person id (their credit's id is the same).
func record(t *testing.T, a *app.App, h holder) int64 {
	t.Helper()
	ctx := context.Background()
	maxID, err := a.DB.MaxPersonID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := maxID + 1
	birth := time.Date(1958, 9, 3, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(id))
	n := ident.Name{Given: h.given, First: h.first, Second: h.second}
	nssText, curpText, rfcText := idgen.For(n, birth, "H", "NL", fmt.Sprintf("4290%06d", id))
	nss, err1 := ident.ParseNSS(nssText)
	curp, err2 := ident.ParseCURP(curpText)
	rfc, err3 := ident.ParseRFC(rfcText)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("identifiers: %v %v %v", err1, err2, err3)
	}
	r := &store.Records{People: []*person.Person{{ID: id, NSS: nss, CURP: curp, RFC: rfc, GivenNames: n.Given, FirstSurname: n.First,
		SecondSurname: n.Second, BirthDate: portal.CivilDate(birth), Sex: "H", State: "NL", PensionStatus: h.pension, PensionLaw: h.law}}}
	for _, j := range h.jobs {
		j.PersonID = id
		r.Relations = append(r.Relations, j)
	}
	if h.credit != nil {
		c := *h.credit
		c.ID, c.PersonID, c.Number = id, id, fmt.Sprintf("97%08d", id)
		r.Credits = append(r.Credits, c)
		for _, m := range h.moves {
			m.CreditID = id
			r.CreditMovements = append(r.CreditMovements, m)
		}
	}
	for _, m := range h.savings {
		m.PersonID = id
		r.Savings = append(r.Savings, m)
	}
	if _, err := a.DB.LoadRecords(ctx, r); err != nil {
		t.Fatal(err)
	}
	hash, err := a.Hasher.Hash(ctx, borrowerPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DB.CreateAccount(ctx, &account.Account{PersonID: id, Email: h.email, Mobile: fmt.Sprintf("81%08d", id), PasswordHash: hash,
		TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion, AcceptedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return id
}

// recordVSMBorrower adds a borrower with a live VSM credit from 2001, its
// ledger opened two month-ends before today with a month of interest,
// who can file the conversion to pesos.
func recordVSMBorrower(t *testing.T, a *app.App, email string, today portal.Date) int64 {
	t.Helper()
	lastMonthEnd := portal.NewDate(today.Y, today.M, 1).AddDays(-1)
	twoMonthsAgo := portal.NewDate(today.Y, today.M-1, 1).AddDays(-1)
	return record(t, a, holder{given: "SATURNINO", first: "OLGUIN", second: "BECERRA", email: email,
		jobs: []employment.Relation{{EmployerID: 1, Start: portal.NewDate(1992, 4, 1), DailySalary: 310_00}},
		credit: &credit.Credit{Product: "tradicional", Denomination: credit.DenomVSM, Origination: portal.NewDate(2001, 6, 1), OriginalAmount: 350_000_00,
			OriginalVSME4: 1_500_000, AnnualRateBP: 400, TermMonths: 360, MonthlyPaymentVSME4: 10_0000, DiscountType: credit.DiscountVSM,
			DiscountFactorE4: 10_0000, EmployerID: 1, State: credit.StateVigente},
		moves: []credit.Movement{
			{Kind: credit.KindApertura, Period: credit.MonthKey(twoMonthsAgo), ValueDate: twoMonthsAgo, AmountVSM: 8_000_000, Amount: 245_169_920},
			{Kind: credit.KindInteres, Period: credit.MonthKey(lastMonthEnd), ValueDate: lastMonthEnd, AmountVSM: 26_667, Amount: 817_262},
		}})
}

// jobless records a borrower who lost their job three months ago: a peso
// credit of 2015 brought forward four months ago.
func jobless(t *testing.T, a *app.App) (personID int64, email string) {
	t.Helper()
	today := portal.DateOf(time.Now())
	lost := portal.NewDate(today.Y, today.M-3, 15)
	brought := portal.NewDate(today.Y, today.M-3, 1).AddDays(-1)
	email = "teodoro.illescas@correo.example"
	return record(t, a, holder{given: "TEODORO", first: "ILLESCAS", second: "MENCHACA", email: email,
		jobs: []employment.Relation{{EmployerID: 1, Start: portal.NewDate(2016, 2, 1), End: lost, DailySalary: 520_00}},
		credit: &credit.Credit{Product: "tradicional", Denomination: credit.DenomPesos, Origination: portal.NewDate(2015, 3, 1), OriginalAmount: 600_000_00,
			AnnualRateBP: 1045, TermMonths: 360, MonthlyPayment: 4_354_17, DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 4_354_17,
			EmployerID: 1, State: credit.StateVigente},
		moves: []credit.Movement{{Kind: credit.KindApertura, Period: credit.MonthKey(brought), ValueDate: brought, Amount: 500_000_00}},
	}), email
}

// A borrower who lost their job asks for a prórroga in Chromium — from
// their credit page to the protection page, which says they qualify and
// why; the form refuses no months chosen at the field; three months are
// filed — and a supervisor approves it in the back office, where the
// request shows the records it is decided on. The person then sees the
// request approved, the credit en prórroga with no payment due until it
// ends, and the ledger holds the three months. Every page is axe-clean.
func TestProrrogaInBrowser(t *testing.T) {
	s, _, _ := demoSites(t, 40, 21)
	ctx := context.Background()
	pid, email := jobless(t, s.a)
	base := s.base

	b := browser.New(t)
	signIn(t, b, base, email, borrowerPassword)
	proveDevice(t, b, base)

	b.Navigate(base + creditPath)
	b.CheckA11y(creditPath + " before the prórroga")
	b.ClickAndWait("main a[href='" + protectionPath + "']")
	if path := browser.Eval[string](b, "location.pathname"); path != protectionPath {
		t.Fatalf("the credit page's link went to %s", path)
	}
	if main := b.Text("main"); !strings.Contains(main, "Puedes solicitar una prórroga") || !strings.Contains(main, "0 de 24") {
		t.Fatalf("%s: %q", protectionPath, main)
	}
	b.CheckA11y(protectionPath)

	// No months chosen: refused at the field.
	b.ClickAndWait(prorrogaSubmit)
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("no months: %q", b.Title())
	}
	if msg := b.Text("#meses-error"); !strings.Contains(msg, "Elige cuántos meses") {
		t.Fatalf("no months: the field says %q", msg)
	}
	if !browser.Eval[bool](b, `document.getElementById("meses").getAttribute("aria-describedby") === "meses-error"`) {
		t.Fatal("#meses is not described by its error")
	}
	b.CheckA11y(protectionPath + " with errors")

	b.SetValue("#meses", "3")
	b.ClickAndWait(prorrogaSubmit)
	folio := filedFolio(t, b, "PRO-")
	b.CheckA11y("/mi-cuenta/tramites with the prórroga")
	b.ClickAndWait("table a.mono")
	if main := b.Text("main"); !strings.Contains(main, "Prórroga de pagos por pérdida del empleo") || !strings.Contains(main, "Meses") {
		t.Fatalf("request page: %q", main)
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} prórroga received")

	// A supervisor approves it.
	ob := supervisorOpens(t, s, "lucia.supervisora@fondo.gob.mx", "Lucía Supervisora", "PRO", folio, time.Now())
	if main := ob.Text("main"); !strings.Contains(main, "Condiciones hoy") || !strings.Contains(main, "Sin relación laboral vigente") ||
		!strings.Contains(main, "Cumple hoy") {
		t.Fatalf("the operator's request page: %q", main)
	}
	ob.CheckA11y("/admin/tramites/{folio} prórroga")
	approveRequest(t, ob, "/admin/tramites/{folio} prórroga", "")

	// The person sees it approved, and the credit en prórroga.
	b.Navigate(base + "/mi-cuenta/tramites/" + folio)
	if main := b.Text("main"); !strings.Contains(main, "Aprobada") || !strings.Contains(main, "Tu prórroga cubre") {
		t.Fatalf("request page after approval: %q", main)
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} prórroga approved")
	b.Navigate(base + creditPath)
	today := portal.DateOf(time.Now())
	last := portal.NewDate(today.Y, today.M+3, 1).AddDays(-1)
	if summary := b.Text("main dl.summary-list"); !strings.Contains(summary, "Sin pagos ni intereses hasta "+portal.NewDate(today.Y, today.M+2, 1).MonthYear()) ||
		!strings.Contains(b.Text("main .caption"), "En prórroga") {
		t.Fatalf("credit page after approval: %q", summary)
	}
	b.CheckA11y(creditPath + " en prórroga")
	b.Navigate(base + protectionPath)
	if main := b.Text("main"); !strings.Contains(main, "Ya estás en prórroga") || !strings.Contains(main, "3 de 24") {
		t.Fatalf("%s after approval: %q", protectionPath, main)
	}
	b.CheckA11y(protectionPath + " en prórroga")

	moves, err := s.a.DB.CreditMovements(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	var months []portal.Date
	for _, m := range moves {
		if m.Kind == credit.KindProrroga {
			if m.Amount != 0 {
				t.Fatalf("a month of prórroga with an amount: %+v", m)
			}
			months = append(months, m.ValueDate)
		}
	}
	if len(months) != 3 || months[2] != last {
		t.Fatalf("months of prórroga in the ledger: %v, want 3 ending %s", months, last)
	}
}

// The other requests after the credit in Chromium, each page axe-clean in
// the states a person meets: a VSM borrower with a job sees the
// conversion side by side with staying in VSM (and its form's errors when
// the window is open) and why the deeds and the savings refund are not
// for them yet; the owner of a 1995 credit paid off with an overpayment
// asks for the deeds (errors first) and for the refund (a wrong CLABE
// first, then the identification and the bank statement), and an
// operator opens the refund with what deciding it needs; a Ley 97
// pensioner sees what is refunded and what goes to the Afore and asks for
// it. The operator approves the refund, the deeds and the pensioner's
// savings, and each owner reads the answer.
func TestCreditRequestPagesInBrowser(t *testing.T) {
	s, _, _ := demoSites(t, 30, 23)
	ctx := context.Background()
	a, base := s.a, s.base
	today := portal.DateOf(time.Now())
	recordVSMBorrower(t, a, "saturnino@correo.example", today)
	lastMonthEnd := portal.NewDate(today.Y, today.M, 1).AddDays(-1)
	twoMonthsAgo := portal.NewDate(today.Y, today.M-1, 1).AddDays(-1)
	overpaid := record(t, a, holder{given: "CRESCENCIO", first: "LIZARDI", second: "ONTIVEROS", email: "crescencio@correo.example",
		jobs: []employment.Relation{{EmployerID: 1, Start: portal.NewDate(1990, 1, 15), DailySalary: 700_00}},
		credit: &credit.Credit{Product: "tradicional", Denomination: credit.DenomPesos, Origination: portal.NewDate(1995, 5, 2), OriginalAmount: 90_000_00,
			AnnualRateBP: 900, TermMonths: 360, MonthlyPayment: 1_000_00, DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 1_000_00,
			EmployerID: 1, State: credit.StateLiquidado},
		moves: []credit.Movement{
			{Kind: credit.KindApertura, Period: credit.MonthKey(twoMonthsAgo), ValueDate: twoMonthsAgo, Amount: 10_000_00},
			{Kind: credit.KindPagoDirecto, Period: credit.MonthKey(lastMonthEnd), ValueDate: lastMonthEnd.AddDays(-10), Amount: -10_000_00},
			{Kind: credit.KindDescuentoNomina, Period: portal.BimestreOf(lastMonthEnd).Key(), SourceID: 1, ValueDate: lastMonthEnd, Amount: -1_234_56},
		}})
	y := lastMonthEnd.AddDays(-400)
	record(t, a, holder{given: "HERMENEGILDO", first: "ZUBIETA", second: "CANTU", email: "hermenegildo@correo.example", pension: person.Pensionado, law: "97",
		jobs: []employment.Relation{{EmployerID: 1, Start: portal.NewDate(1998, 3, 1), End: y, DailySalary: 400_00}},
		savings: []savings.Movement{
			{Bucket: savings.BucketFondo72, Kind: savings.KindSaldoAnterior, Period: credit.MonthKey(y), ValueDate: y, Amount: 3_210_50},
			{Bucket: savings.BucketViv97, Kind: savings.KindSaldoAnterior, Period: credit.MonthKey(y), ValueDate: y, Amount: 95_000_00},
		}})
	dir := t.TempDir()
	ine, estado := dir+"/ine.pdf", dir+"/estado-de-cuenta.png"
	if err := os.WriteFile(ine, testdocs.PDF(t, "INE"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(estado, testdocs.PNG(t), 0o600); err != nil {
		t.Fatal(err)
	}

	b := browser.New(t)
	as := func(email string) {
		t.Helper()
		if browser.Eval[bool](b, `!!document.querySelector("form[action='/salir'] button")`) {
			b.ClickAndWait("form[action='/salir'] button")
		}
		signIn(t, b, base, email, borrowerPassword)
		if browser.Eval[string](b, "location.pathname") == "/ingresar/dispositivo" { // not a known device yet
			proveDevice(t, b, base)
		}
	}
	visit := func(path, want string) {
		t.Helper()
		b.Navigate(base + path)
		if main := b.Text("main"); !strings.Contains(main, want) {
			t.Fatalf("%s lacks %q: %q", path, want, main)
		}
		b.CheckA11y(path)
	}

	// The VSM borrower.
	b.Navigate(base + "/")
	as("saturnino@correo.example")
	visit("/mi-cuenta/credito/responsabilidad-compartida", "Si pasas a pesos")
	if browser.Eval[bool](b, `!!document.getElementById("acepto")`) {
		b.ClickAndWait("form[action='/mi-cuenta/credito/responsabilidad-compartida'] button")
		if msg := b.Text("#acepto-error"); !strings.Contains(msg, "confirma que leíste") {
			t.Fatalf("conversion without accepting: %q", msg)
		}
		b.CheckA11y("/mi-cuenta/credito/responsabilidad-compartida with errors")
	}
	visit("/mi-cuenta/credito/escrituras", "se entregan cuando el crédito está liquidado")
	visit("/mi-cuenta/devolucion-ahorro", "es para personas pensionadas")

	// The owner of the 1995 credit: deeds and the overpayment.
	as("crescencio@correo.example")
	visit("/mi-cuenta/credito/escrituras", "Puedes solicitar la entrega de tus escrituras")
	b.ClickAndWait("form[action='/mi-cuenta/credito/escrituras'] button")
	if msg := b.Text("#domicilio-error"); !strings.Contains(msg, "Escribe el domicilio") {
		t.Fatalf("deeds without an address: %q", msg)
	}
	b.CheckA11y("/mi-cuenta/credito/escrituras with errors")
	b.SetValue("#domicilio", "Calle Morelos 12, Col. Centro, Monterrey, Nuevo León")
	b.ClickAndWait("form[action='/mi-cuenta/credito/escrituras'] button")
	deeds := b.Text("main .notice strong.mono")
	if !strings.HasPrefix(deeds, "ESC-") {
		t.Fatalf("after asking for the deeds (%q): %q", b.Title(), b.Text("main"))
	}
	visit("/mi-cuenta/credito/devolucion-pagos-exceso", "$1,234.56")
	b.SetValue("#clabe", "002010077777777772")
	b.SetUploadFiles("#documentos", ine, estado)
	b.ClickAndWait("form[action='/mi-cuenta/credito/devolucion-pagos-exceso'] button")
	if msg := b.Text("#clabe-error"); !strings.Contains(msg, "dígito verificador") {
		t.Fatalf("a wrong CLABE: %q", msg)
	}
	b.CheckA11y("/mi-cuenta/credito/devolucion-pagos-exceso with errors")
	b.SetValue("#clabe", "002010077777777771")
	b.SetUploadFiles("#documentos", ine, estado)
	b.ClickAndWait("form[action='/mi-cuenta/credito/devolucion-pagos-exceso'] button")
	folio := b.Text("main .notice strong.mono")
	if !strings.HasPrefix(folio, "DPE-") {
		t.Fatalf("after filing the refund (%q): %q", b.Title(), b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/tramites with the refund")
	visit("/mi-cuenta/tramites/"+folio, "002010077777777771")

	// The pensioner.
	as("hermenegildo@correo.example")
	visit("/mi-cuenta/devolucion-ahorro", "Se integra a tu pensión a través de tu Afore")
	b.SetValue("#clabe", "002010077777777771")
	b.ClickAndWait("form[action='/mi-cuenta/devolucion-ahorro'] button")
	if msg := b.Text("#documentos-error"); !strings.Contains(msg, "los dos documentos") {
		t.Fatalf("a refund without documents: %q", msg)
	}
	b.CheckA11y("/mi-cuenta/devolucion-ahorro with errors")
	b.SetValue("#clabe", "002010077777777771")
	b.SetUploadFiles("#documentos", ine, estado)
	b.ClickAndWait("form[action='/mi-cuenta/devolucion-ahorro'] button")
	refund := b.Text("main .notice strong.mono")
	if !strings.HasPrefix(refund, "DAH-") {
		t.Fatalf("after asking for the savings (%q): %q", b.Title(), b.Text("main"))
	}

	// The operator's page for the overpayment refund.
	const supervisor, opPassword = "ramon.supervisor@fondo.gob.mx", "Clave-de-operacion-2026"
	if _, err := a.Operators.Create(ctx, operator.New{Email: supervisor, Name: "Ramón Supervisor", Role: operator.Supervisor, Password: opPassword}, nil, ""); err != nil {
		t.Fatal(err)
	}
	ob := operatorSignIn(t, s.admin, supervisor, opPassword)
	ob.Navigate(s.admin + "/admin/tramites/" + folio)
	if main := ob.Text("main"); !strings.Contains(main, "Saldo a favor hoy") || !strings.Contains(main, "(Banamex)") {
		t.Fatalf("the operator's refund page: %q", main)
	}
	ob.CheckA11y("/admin/tramites/{folio} overpayment refund")
	if moves, _ := a.DB.CreditMovements(ctx, overpaid); len(moves) != 3 {
		t.Fatalf("filing changed the ledger: %d movements", len(moves))
	}

	// The supervisor takes the refund and approves it; its owner reads
	// the answer.
	const answer = "Depositamos tu saldo a favor en tu cuenta CLABE."
	approveRequest(t, ob, "/admin/tramites/{folio} overpayment refund", answer)
	as("crescencio@correo.example")
	visit("/mi-cuenta/tramites/"+folio, answer)
	if state := b.Text("main dl.summary-list dd strong"); state != "Aprobada" {
		t.Fatalf("the person's refund: state %q", state)
	}

	// The deeds and the pensioner's savings, approved the same way.
	for _, f := range []struct{ folio, owner string }{{deeds, "crescencio@correo.example"}, {refund, "hermenegildo@correo.example"}} {
		ob.Navigate(s.admin + "/admin/tramites/" + f.folio)
		approveRequest(t, ob, "/admin/tramites/"+f.folio, answer)
		as(f.owner)
		visit("/mi-cuenta/tramites/"+f.folio, answer)
	}
}
