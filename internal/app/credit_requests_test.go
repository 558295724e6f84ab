package app_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/operator"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/savings"
	"micuenta/internal/store"
	"micuenta/internal/testutil/idgen"
	"micuenta/internal/testutil/testclock"
	"micuenta/internal/testutil/testdocs"
)

// The requests after the credit (issue 8) over HTTP on both engines: each
// page's eligibility for people of the seeded population (and for people
// made here where the seed has none), filing with missing or invalid
// input (the Spanish message at the field, nothing written), an operator
// approving in the back office and the ledger or the savings changing by
// exactly the hand-checked centavos, and a rejection changing nothing.

// servicingDay is when these tests file and approve: the seeded
// population's date, a Tuesday inside the conversion window (noon in
// Mexico City).
var servicingDay = time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)

func servicingPortal(t *testing.T, engine string) (*app.App, *testclock.Clock) {
	t.Helper()
	a, clock, _, _ := portalWithClock(t, engine)
	clock.Set(servicingDay)
	return a, clock
}

// someone is a person made for a test, with what the fund records of them.
type someone struct {
	given, first, second string
	pension, law         string
	jobs                 []employment.Relation // PersonID is filled in
	credit               *credit.Credit        // ID, PersonID and Number are filled in
	moves                []credit.Movement     // CreditID is filled in
	savings              []savings.Movement    // PersonID is filled in
}

// addPerson records someone through the store, as an import would, and
// returns their id (their credit's id is the same).
func addPerson(t *testing.T, a *app.App, s someone) int64 {
	t.Helper()
	ctx := context.Background()
	maxID, err := a.DB.MaxPersonID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := maxID + 1
	// A birthday of their own, so people of similar names never share a CURP.
	birth := time.Date(1962, 5, 17, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(id))
	n := ident.Name{Given: s.given, First: s.first, Second: s.second}
	nssText, curpText, rfcText := idgen.For(n, birth, "H", "JC", fmt.Sprintf("4182%06d", id))
	nss, err1 := ident.ParseNSS(nssText)
	curp, err2 := ident.ParseCURP(curpText)
	rfc, err3 := ident.ParseRFC(rfcText)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	p := &person.Person{ID: id, NSS: nss, CURP: curp, RFC: rfc, GivenNames: s.given, FirstSurname: s.first, SecondSurname: s.second,
		BirthDate: portal.CivilDate(birth), Sex: "H", State: "JC", PensionStatus: s.pension, PensionLaw: s.law}
	r := &store.Records{People: []*person.Person{p}}
	for _, j := range s.jobs {
		j.PersonID = id
		r.Relations = append(r.Relations, j)
	}
	if s.credit != nil {
		c := *s.credit
		c.ID, c.PersonID, c.Number = id, id, fmt.Sprintf("98%08d", id)
		r.Credits = append(r.Credits, c)
		for _, m := range s.moves {
			m.CreditID = id
			r.CreditMovements = append(r.CreditMovements, m)
		}
	}
	for _, m := range s.savings {
		m.PersonID = id
		r.Savings = append(r.Savings, m)
	}
	if _, err := a.DB.LoadRecords(ctx, r); err != nil {
		t.Fatal(err)
	}
	return id
}

var day = portal.NewDate

// The seeded people a case needs, found by what the records say.
func seededWhere(t *testing.T, a *app.App, what string, ok func(p *person.Person, cs []credit.Credit, employed bool) bool) int64 {
	t.Helper()
	ctx := context.Background()
	for id := int64(1); id <= 150; id++ {
		if _, err := a.DB.FindAccountByPerson(ctx, id); err == nil {
			continue
		}
		p, err := a.DB.FindPersonByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		cs, _ := a.DB.CreditsOf(ctx, id)
		jobs, _ := a.DB.JobsOf(ctx, id)
		employed := false
		for _, j := range jobs {
			employed = employed || j.Current()
		}
		if ok(p, cs, employed) {
			return id
		}
	}
	t.Fatalf("the seed has nobody who %s", what)
	return 0
}

// staff signs a supervisor in to the back office, once per portal.
func staff(t *testing.T, a *app.App, clock *testclock.Clock) *browser {
	t.Helper()
	newOperator(t, a, "decide@fondo.example", operator.Supervisor, "")
	return staffSignIn(t, a, clock, "decide@fondo.example")
}

// decide takes a request and approves or rejects it in the back office.
func decide(t *testing.T, op *browser, folio, action, message string) {
	t.Helper()
	path := "/admin/tramites/" + folio
	if rec := op.do("POST", path, url.Values{"accion": {"tomar"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("take %s: %d %s", folio, rec.Code, rec.Body.String())
	}
	if rec := op.do("POST", path, url.Values{"accion": {action}, "mensaje": {message}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("%s %s: %d %s", action, folio, rec.Code, rec.Body.String())
	}
}

// filed reads the folio a filing redirected to.
func filed(t *testing.T, rec *httptest.ResponseRecorder, prefix string) string {
	t.Helper()
	res := rec.Result()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/mi-cuenta/tramites?folio="+prefix+"-") {
		t.Fatalf("filing: %d %s", res.StatusCode, loc)
	}
	return strings.TrimPrefix(loc, "/mi-cuenta/tramites?folio=")
}

func wantPage(t *testing.T, b *browser, path string, code int, parts ...string) string {
	t.Helper()
	rec := b.do("GET", path, nil)
	body := rec.Body.String()
	if rec.Code != code {
		t.Fatalf("%s: %d", path, rec.Code)
	}
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Fatalf("%s lacks %q\n%s", path, p, body)
		}
	}
	return body
}

func requestsOf(t *testing.T, a *app.App, pid int64) int {
	t.Helper()
	rs, err := a.Requests.Mine(context.Background(), pid)
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}

func movesOf(t *testing.T, a *app.App, creditID int64) []credit.Movement {
	t.Helper()
	ms, err := a.DB.CreditMovements(context.Background(), creditID)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func creditOf(t *testing.T, a *app.App, pid int64) credit.Credit {
	t.Helper()
	cs, err := a.DB.CreditsOf(context.Background(), pid)
	if err != nil || len(cs) != 1 {
		t.Fatalf("credits of %d: %v %v", pid, cs, err)
	}
	return cs[0]
}

// vsmBorrower: 1,000.0000 VSM brought forward on 30 September 2026 with
// the records' own rounding (3,064,620.00 pesos, 4.00 below its value at
// the UMI of 100.81), October's interest posted, 4% a year, 10 VSM a
// month, 1,000,000.00 lent in January 2000 for 30 years; a job since 1990
// at 300.00 a day.
func vsmBorrower(given string) someone {
	return someone{given: given, first: "QUEZADA", second: "UZCANGA",
		jobs: []employment.Relation{{EmployerID: 1, Start: day(1990, 1, 8), DailySalary: 300_00}},
		credit: &credit.Credit{Product: "tradicional", Denomination: credit.DenomVSM, Origination: day(2000, 1, 15), OriginalAmount: 1_000_000_00,
			OriginalVSME4: 3_500_000, AnnualRateBP: 400, TermMonths: 360, MonthlyPaymentVSME4: 10_0000, DiscountType: credit.DiscountVSM,
			DiscountFactorE4: 10_0000, EmployerID: 1, State: credit.StateVigente},
		moves: []credit.Movement{
			{Kind: credit.KindApertura, Period: 202609, ValueDate: day(2026, 9, 30), AmountVSM: 10_000_000, Amount: 306_462_000},
			{Kind: credit.KindInteres, Period: 202610, ValueDate: day(2026, 10, 31), AmountVSM: 33_333, Amount: 1_021_531},
		}}
}

func TestCreditRequestConversion(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock := servicingPortal(t, engine)
			ctx := context.Background()
			const path = "/mi-cuenta/credito/responsabilidad-compartida"

			// The seed: a live VSM credit may convert; a peso credit, a
			// paid-off one and no credit at all may not, and say why.
			vsm := seededWhere(t, a, "has a live VSM credit", func(_ *person.Person, cs []credit.Credit, _ bool) bool {
				return len(cs) == 1 && cs[0].Denomination == credit.DenomVSM && cs[0].State == credit.StateVigente
			})
			wantPage(t, accountFor(t, a, vsm), path, 200, "Puedes solicitar la conversión de tu crédito a pesos", "Si pasas a pesos", `name="acepto"`)
			pesos := seededWhere(t, a, "has a peso credit", func(_ *person.Person, cs []credit.Credit, _ bool) bool {
				return len(cs) == 1 && cs[0].Denomination == credit.DenomPesos
			})
			if body := wantPage(t, accountFor(t, a, pesos), path, 200, "Tu crédito ya está en pesos"); strings.Contains(body, `name="acepto"`) {
				t.Fatal("a peso credit is offered the form")
			}
			paid := seededWhere(t, a, "has a paid-off VSM credit", func(_ *person.Person, cs []credit.Credit, _ bool) bool {
				return len(cs) == 1 && cs[0].Denomination == credit.DenomVSM && cs[0].State == credit.StateLiquidado
			})
			wantPage(t, accountFor(t, a, paid), path, 200, "ya no tiene saldo por pagar")
			wantPage(t, accountFor(t, a, firstWithoutCredit(t, a, 0)), path, 200, "No tienes un crédito con el Fondo")

			// Someone whose figures are checked by hand (credit/conversion_test.go).
			pid := addPerson(t, a, vsmBorrower("ROSENDO"))
			b := accountFor(t, a, pid)
			wantPage(t, b, path, 200, "$3,085,088.64 (1006.6777 VSM)", "$1,388,289.89, después de un descuento de $1,696,798.75 (55%)",
				"3.55% anual, fija", "$30,646.24 (10.0000 VSM)", "no publica la fórmula")

			// Outside the window: said before starting, and refused if sent.
			clock.Set(time.Date(2026, 11, 5, 18, 0, 0, 0, time.UTC))
			wantPage(t, b, path, 200, "Podrás solicitarla a partir del 9 nov 2026")
			if rec := b.do("POST", path, url.Values{"estado": {"DF"}, "codigo_postal": {"06700"}, "acepto": {"si"}}); rec.Code != 400 ||
				!strings.Contains(rec.Body.String(), `href="#elegibilidad"`) {
				t.Fatalf("outside the window: %d", rec.Code)
			}
			clock.Set(servicingDay)

			// Missing and invalid input: at each field, nothing filed.
			rec := b.do("POST", path, url.Values{"codigo_postal": {"6700"}})
			for _, f := range []string{`href="#estado"`, `href="#codigo_postal"`, `href="#acepto"`, "5 números", `value="6700"`} {
				if rec.Code != 400 || !strings.Contains(rec.Body.String(), f) {
					t.Fatalf("empty form: %d, wants %s", rec.Code, f)
				}
			}
			if n := requestsOf(t, a, pid); n != 0 {
				t.Fatalf("%d requests after refused forms", n)
			}
			folio := filed(t, b.do("POST", path, url.Values{"estado": {"DF"}, "codigo_postal": {"06700"}, "acepto": {"si"}}), "RCP")
			wantPage(t, b, path, 200, "Ya tienes una solicitud en trámite: folio "+folio)
			wantPage(t, b, "/mi-cuenta/tramites/"+folio, 200, "Responsabilidad Compartida", "$1,388,289.89", "Ciudad de México, C.P. 06700")

			// The operator sees the conversion as it would be applied, and approves.
			op := staff(t, a, clock)
			wantPage(t, op, "/admin/tramites/"+folio, 200, "La conversión si se aprueba hoy", "1006.6777 VSM", "$1,388,289.89", "Cumple hoy")
			before := len(movesOf(t, a, pid))
			decide(t, op, folio, "aprobar", "")

			// The ledger: November's interest in VSM, the conversion (the
			// peso column to exactly 3,085,088.64: +4.00) and the 55% discount.
			moves := movesOf(t, a, pid)
			if len(moves) != before+3 {
				t.Fatalf("%d movements after the approval, want %d", len(moves), before+3)
			}
			q, _ := a.Requests.Find(ctx, folio)
			want := []credit.Movement{
				{Kind: credit.KindInteres, Period: 202611, ValueDate: day(2026, 11, 24), AmountVSM: 33_444, Amount: 1_024_933},
				{Kind: credit.KindConversion, Period: 202611, SourceID: q.ID, ValueDate: day(2026, 11, 24), AmountVSM: -10_066_777, Amount: 400},
				{Kind: credit.KindDescuentoRC, Period: 202611, SourceID: q.ID, ValueDate: day(2026, 11, 24), Amount: -169_679_875},
			}
			for i, m := range moves[before:] {
				w := want[i]
				if m.Kind != w.Kind || m.Period != w.Period || m.SourceID != w.SourceID || m.ValueDate != w.ValueDate || m.Amount != w.Amount || m.AmountVSM != w.AmountVSM {
					t.Errorf("movement %d: %+v, want %+v", i, m, w)
				}
			}
			c := creditOf(t, a, pid)
			if c.Denomination != credit.DenomPesos || c.AnnualRateBP != 355 || c.MonthlyPaymentVSME4 != 0 || c.DiscountType != credit.DiscountCuotaFija ||
				c.MonthlyPayment > 30_646_24 || int64(c.MonthlyPayment) != credit.Payment(138_828_989, 355, c.TermMonths-322) {
				t.Fatalf("the credit after the conversion: %+v", c)
			}
			if changes, err := a.DB.DiscountChanges(ctx, pid); err != nil || len(changes) != 1 || changes[0].FactorE4 != int64(c.MonthlyPayment) {
				t.Fatalf("discount change for the aviso: %+v %v", changes, err)
			}
			// The person's pages now show pesos.
			body := wantPage(t, b, "/mi-cuenta/credito", 200, "$1,388,289.89", "Conversión a pesos", "Descuento por Responsabilidad Compartida")
			if strings.Contains(body, "En VSM") || strings.Contains(body, "Veces Salario Mínimo (VSM): su saldo") {
				t.Fatal("the credit page still shows VSM")
			}
			wantPage(t, b, "/mi-cuenta/tramites/"+folio, 200, "Aprobada", "está en pesos desde el 24 nov 2026", "quedó en $1,388,289.89")
			wantPage(t, b, path, 200, "Tu crédito ya se convirtió a pesos el 24 nov 2026")

			// The monthly accrual: November is done (charged in VSM on the
			// day); December earns 1,388,289.89 × 3.55% / 12 = 4,107.02 in
			// pesos, and the insurance.
			for _, m := range []portal.Date{day(2026, 11, 1), day(2026, 12, 1)} {
				if _, err := a.DB.Accrue(ctx, m, 10081, 0, nil); err != nil {
					t.Fatal(err)
				}
			}
			var dec, ins, nov int
			for _, m := range movesOf(t, a, pid) {
				switch {
				case m.Kind == credit.KindInteres && m.Period == 202612 && m.Amount == 4_107_02 && m.AmountVSM == 0:
					dec++
				case m.Kind == credit.KindSeguro && m.Period == 202612 && m.Amount == 15_00:
					ins++
				case m.Kind == credit.KindInteres && m.Period == 202611:
					nov++
				}
			}
			if dec != 1 || ins != 1 || nov != 1 {
				t.Fatalf("accrual after the conversion: december %d, insurance %d, november %d", dec, ins, nov)
			}

			// A rejection changes nothing.
			other := addPerson(t, a, vsmBorrower("ROSALIO"))
			ob := accountFor(t, a, other)
			rejected := filed(t, ob.do("POST", path, url.Values{"estado": {"JC"}, "codigo_postal": {"44100"}, "acepto": {"si"}}), "RCP")
			before = len(movesOf(t, a, other))
			decide(t, op, rejected, "rechazar", "La vivienda tiene un juicio en curso.")
			if c := creditOf(t, a, other); c.Denomination != credit.DenomVSM || c.AnnualRateBP != 400 || len(movesOf(t, a, other)) != before {
				t.Fatalf("after a rejection: %+v", c)
			}
			wantPage(t, ob, "/mi-cuenta/tramites/"+rejected, 200, "Rechazada", "juicio en curso")
			wantPage(t, ob, path, 200, "Puedes solicitar la conversión")
		})
	}
}

// prorrogaBorrower: a peso credit of 2015, 500,000.00 brought forward on
// 30 September 2026 and October's interest; 4,354.17 a month; out of work
// since 15 August 2026 after eight and a half years.
func prorrogaBorrower(given string) someone {
	return someone{given: given, first: "VILLASEÑOR", second: "OCHOA",
		jobs: []employment.Relation{{EmployerID: 1, Start: day(2018, 1, 8), End: day(2026, 8, 15), DailySalary: 450_00}},
		credit: &credit.Credit{Product: "tradicional", Denomination: credit.DenomPesos, Origination: day(2015, 3, 1), OriginalAmount: 600_000_00,
			AnnualRateBP: 1045, TermMonths: 360, MonthlyPayment: 4_354_17, DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 4_354_17,
			EmployerID: 1, State: credit.StateVigente},
		moves: []credit.Movement{
			{Kind: credit.KindApertura, Period: 202609, ValueDate: day(2026, 9, 30), Amount: 500_000_00},
			{Kind: credit.KindInteres, Period: 202610, ValueDate: day(2026, 10, 31), Amount: 4_354_17},
			{Kind: credit.KindSeguro, Period: 202610, ValueDate: day(2026, 10, 31), Amount: 15_00},
		}}
}

func sumOf(ms []credit.Movement) portal.Money {
	var s portal.Money
	for _, m := range ms {
		s += m.Amount
	}
	return s
}

func TestCreditRequestProtection(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock := servicingPortal(t, engine)
			ctx := context.Background()
			const path = "/mi-cuenta/credito/proteccion"

			// The seed: a borrower out of work may ask for a prórroga; one
			// with a job may not; a credit from before 2009 has no FPP.
			jobless := seededWhere(t, a, "has a live peso credit and no job", func(_ *person.Person, cs []credit.Credit, employed bool) bool {
				return len(cs) == 1 && cs[0].State == credit.StateVigente && cs[0].Denomination == credit.DenomPesos && !employed
			})
			wantPage(t, accountFor(t, a, jobless), path, 200, "Puedes solicitar una prórroga", "0 de 24")
			employed := seededWhere(t, a, "has a live credit and a job", func(_ *person.Person, cs []credit.Credit, employed bool) bool {
				return len(cs) == 1 && cs[0].State == credit.StateVigente && employed
			})
			wantPage(t, accountFor(t, a, employed), path, 200, "Por ahora no puedes solicitar una prórroga", "Tienes una relación laboral vigente con")
			old := seededWhere(t, a, "has a live credit from before 2009", func(_ *person.Person, cs []credit.Credit, _ bool) bool {
				return len(cs) == 1 && cs[0].Live() && cs[0].Origination.Y < 2009
			})
			wantPage(t, accountFor(t, a, old), path, 200, "cubre los créditos otorgados desde 2009")
			wantPage(t, accountFor(t, a, firstWithoutCredit(t, a, 0)), path, 200, "No tienes un crédito con el Fondo")
			fppOK := seededWhere(t, a, "may use the Fondo de Protección de Pagos", func(p *person.Person, cs []credit.Credit, employed bool) bool {
				if len(cs) != 1 || employed {
					return false
				}
				page, err := a.Servicing.Protection(ctx, p.ID, "")
				return err == nil && page.FPP.Eligible
			})
			wantPage(t, accountFor(t, a, fppOK), path, 200, "Puedes solicitar el Fondo de Protección de Pagos")

			// A prórroga of three months, checked by hand.
			pid := addPerson(t, a, prorrogaBorrower("EUSEBIO"))
			b := accountFor(t, a, pid)
			wantPage(t, b, path, 200, "15 ago 2026", "hasta 12 meses, desde noviembre de 2026", "$3,918.75", "$435.42")
			for _, bad := range []string{"", "13", "tres", "0"} {
				rec := b.do("POST", path, url.Values{"medida": {"prorroga"}, "meses": {bad}})
				if rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#meses"`) || !strings.Contains(rec.Body.String(), "de 1 a 12") {
					t.Fatalf("months %q: %d", bad, rec.Code)
				}
			}
			if rec := b.do("POST", path, url.Values{"medida": {"nada"}}); rec.Code != 400 {
				t.Fatalf("an unknown measure: %d", rec.Code)
			}
			if n := requestsOf(t, a, pid); n != 0 {
				t.Fatalf("%d requests after refused forms", n)
			}
			folio := filed(t, b.do("POST", path, url.Values{"medida": {"prorroga"}, "meses": {"3"}}), "PRO")
			wantPage(t, b, path, 200, "Ya tienes una solicitud en trámite: folio "+folio)
			op := staff(t, a, clock)
			wantPage(t, op, "/admin/tramites/"+folio, 200, "Sin relación laboral vigente", "0 de 24", "Cumple hoy", "se registran 3 meses de prórroga")
			before := movesOf(t, a, pid)
			decide(t, op, folio, "aprobar", "")
			q, _ := a.Requests.Find(ctx, folio)
			moves := movesOf(t, a, pid)
			// Each month: its marker, keyed by the request, and its
			// interest, zero, so the accrual finds the month done.
			var want []credit.Movement
			for _, end := range []portal.Date{day(2026, 11, 30), day(2026, 12, 31), day(2027, 1, 31)} {
				want = append(want, credit.Movement{CreditID: pid, Kind: credit.KindProrroga, Period: credit.MonthKey(end), SourceID: q.ID, ValueDate: end},
					credit.Movement{CreditID: pid, Kind: credit.KindInteres, Period: credit.MonthKey(end), ValueDate: end})
			}
			if len(moves) != len(before)+6 || sumOf(moves) != sumOf(before) {
				t.Fatalf("the ledger after the prórroga: %d movements, %s", len(moves), sumOf(moves))
			}
			for i, m := range moves[len(before):] {
				m.ID = 0
				if m != want[i] {
					t.Errorf("movement %d: %+v, want %+v", i, m, want[i])
				}
			}
			if c := creditOf(t, a, pid); c.State != credit.StateEnProrroga {
				t.Fatalf("state %s", c.State)
			}
			wantPage(t, b, "/mi-cuenta/credito", 200, "En prórroga", "Sin pagos ni intereses hasta enero de 2027", "a más tardar el 28 feb 2027")
			wantPage(t, b, "/mi-cuenta/tramites/"+folio, 200, "Tu prórroga cubre de noviembre de 2026 a enero de 2027 (3 meses)", "Llevas 3 de 24")
			wantPage(t, b, path, 200, "Ya estás en prórroga hasta enero de 2027", "3 de 24")
			// November's accrual charges it no interest.
			if _, err := a.DB.Accrue(ctx, day(2026, 11, 1), 10081, 0, nil); err != nil {
				t.Fatal(err)
			}
			for _, m := range movesOf(t, a, pid) {
				if m.Kind == credit.KindInteres && m.Period == 202611 && m.Amount != 0 {
					t.Fatal("interest accrued in a month of prórroga")
				}
			}

			// The Fondo de Protección de Pagos: six months of 90% of
			// 4,354.17 = 3,918.753 → 3,918.75 each.
			fid := addPerson(t, a, prorrogaBorrower("EULOGIO"))
			fb := accountFor(t, a, fid)
			wantPage(t, fb, path, 200, "Puedes solicitar el Fondo de Protección de Pagos", "de noviembre de 2026 a abril de 2027")
			if rec := fb.do("POST", path, url.Values{"medida": {"fpp"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#acepto_fpp"`) {
				t.Fatalf("FPP without accepting the 10%%: %d", rec.Code)
			}
			fpp := filed(t, fb.do("POST", path, url.Values{"medida": {"fpp"}, "acepto_fpp": {"si"}}), "FPP")
			wantPage(t, op, "/admin/tramites/"+fpp, 200, "Paga el Fondo (90%)", "$3,918.75", "se registran 6 pagos")
			before = movesOf(t, a, fid)
			decide(t, op, fpp, "aprobar", "")
			fq, _ := a.Requests.Find(ctx, fpp)
			added := movesOf(t, a, fid)[len(before):]
			if len(added) != 6 {
				t.Fatalf("%d FPP movements", len(added))
			}
			for i, m := range added {
				end := day(2026, time.Month(11+i)+1, 1).AddDays(-1)
				if m.Kind != credit.KindFPP || m.Amount != -3_918_75 || m.SourceID != fq.ID || m.ValueDate != end || m.Period != credit.MonthKey(end) {
					t.Errorf("FPP month %d: %+v", i, m)
				}
			}
			if c := creditOf(t, a, fid); c.State != credit.StateVigente {
				t.Fatalf("state after the FPP: %s", c.State)
			}
			wantPage(t, fb, "/mi-cuenta/credito", 200, "Paga el 90% de tu mensualidad hasta abril de 2027")
			wantPage(t, fb, path, 200, "cubre tus mensualidades hasta abril de 2027")

			// Two requests for the same credit filed at once (past the
			// page's check) and approved at once: the approvals take turns
			// on the credit, and the second finds the cover already there.
			tid := addPerson(t, a, prorrogaBorrower("EUSTAQUIO"))
			data := []byte(fmt.Sprintf(`{"credito":"98%08d","meses":6}`, tid))
			var twins []string
			for range 2 {
				q, err := a.Requests.File(ctx, request.ProteccionPagos, tid, data, nil)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := a.Requests.Move(ctx, q.Folio, request.EnRevision, request.Operator, 1, ""); err != nil {
					t.Fatal(err)
				}
				twins = append(twins, q.Folio)
			}
			errs := make(chan error, 2)
			for _, f := range twins {
				go func() {
					_, err := a.Requests.Move(ctx, f, request.Aprobada, request.Operator, 1, "")
					errs <- err
				}()
			}
			var conflicts int
			for range 2 {
				if err := <-errs; portal.ErrorCode(err) == portal.ECONFLICT {
					conflicts++
				} else if err != nil {
					t.Fatalf("approving twins: %v", err)
				}
			}
			covered := 0
			for _, m := range movesOf(t, a, tid) {
				if m.Kind == credit.KindFPP {
					covered++
				}
			}
			if conflicts != 1 || covered != 6 {
				t.Fatalf("twins approved at once: %d refused, %d months covered", conflicts, covered)
			}

			// A rejection changes nothing.
			rid := addPerson(t, a, prorrogaBorrower("EUFEMIO"))
			rb := accountFor(t, a, rid)
			rejected := filed(t, rb.do("POST", path, url.Values{"medida": {"prorroga"}, "meses": {"2"}}), "PRO")
			before = movesOf(t, a, rid)
			decide(t, op, rejected, "rechazar", "Tu patrón reportó que sigues trabajando.")
			if c := creditOf(t, a, rid); c.State != credit.StateVigente || len(movesOf(t, a, rid)) != len(before) {
				t.Fatalf("after a rejection: %+v", c)
			}
			wantPage(t, rb, path, 200, "Puedes solicitar una prórroga", "0 de 24")
		})
	}
}

// overpaidBorrower: a peso credit of 2010 paid off in September 2026,
// and a payroll discount of 1,234.56 that arrived after.
func overpaidBorrower(given string) someone {
	return someone{given: given, first: "ARREDONDO", second: "PLIEGO",
		jobs: []employment.Relation{{EmployerID: 1, Start: day(2005, 2, 1), DailySalary: 600_00}},
		credit: &credit.Credit{Product: "tradicional", Denomination: credit.DenomPesos, Origination: day(2010, 6, 1), OriginalAmount: 400_000_00,
			AnnualRateBP: 1045, TermMonths: 240, MonthlyPayment: 4_000_00, DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 4_000_00,
			EmployerID: 1, State: credit.StateLiquidado},
		moves: []credit.Movement{
			{Kind: credit.KindApertura, Period: 202608, ValueDate: day(2026, 8, 31), Amount: 10_000_00},
			{Kind: credit.KindPagoDirecto, Period: 202609, ValueDate: day(2026, 9, 15), Amount: -10_000_00},
			{Kind: credit.KindDescuentoNomina, Period: 20265, SourceID: 1, ValueDate: day(2026, 10, 17), Amount: -1_234_56},
		}}
}

func TestCreditRequestAfterPayoff(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock := servicingPortal(t, engine)
			ctx := context.Background()
			op := staff(t, a, clock)

			// Deeds: a credit of 1972–2007 paid off, from the seed.
			const deeds = "/mi-cuenta/credito/escrituras"
			pid := seededWhere(t, a, "paid off a credit of 1972–2007", func(_ *person.Person, cs []credit.Credit, _ bool) bool {
				return len(cs) == 1 && cs[0].State == credit.StateLiquidado && cs[0].Origination.Y <= 2007
			})
			late := seededWhere(t, a, "paid off a credit of 2008–2012", func(_ *person.Person, cs []credit.Credit, _ bool) bool {
				return len(cs) == 1 && cs[0].State == credit.StateLiquidado && cs[0].Origination.Y >= 2008
			})
			wantPage(t, accountFor(t, a, late), deeds, 200, "la notaría que las firmó")
			live := seededWhere(t, a, "has a live credit of 1972–2007", func(_ *person.Person, cs []credit.Credit, _ bool) bool {
				return len(cs) == 1 && cs[0].State == credit.StateVigente && cs[0].Origination.Y <= 2007
			})
			lb := accountFor(t, a, live)
			wantPage(t, lb, deeds, 200, "se entregan cuando el crédito está liquidado")
			nb := accountFor(t, a, firstWithoutCredit(t, a, 0))
			wantPage(t, nb, deeds, 200, "No tienes un crédito con el Fondo")
			wantPage(t, nb, "/mi-cuenta/credito/devolucion-pagos-exceso", 200, "No tienes un crédito con el Fondo")
			b := accountFor(t, a, pid)
			wantPage(t, b, deeds, 200, "Puedes solicitar la entrega de tus escrituras", `name="domicilio"`)
			if rec := b.do("POST", deeds, url.Values{"domicilio": {"Calle 5"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#domicilio"`) {
				t.Fatalf("a short address: %d", rec.Code)
			}
			if n := requestsOf(t, a, pid); n != 0 {
				t.Fatalf("%d requests after a refused form", n)
			}
			folio := filed(t, b.do("POST", deeds, url.Values{"domicilio": {"Calle Robles 45, Col. Las Águilas, Zapopan, Jalisco"}}), "ESC")
			wantPage(t, b, deeds, 200, "Ya tienes una solicitud en trámite: folio "+folio)
			creditID := creditOf(t, a, pid).ID
			before := movesOf(t, a, creditID)
			wantPage(t, op, "/admin/tramites/"+folio, 200, "Crédito de 1972 a 2007 y liquidado", "Calle Robles 45")
			decide(t, op, folio, "aprobar", "")
			if len(movesOf(t, a, creditID)) != len(before) {
				t.Fatal("approving the deeds changed the ledger")
			}
			// After approval the person books the visit, with the folio.
			booking := "/mi-cuenta/citas/nueva?servicio=escrituras&amp;folio=" + folio
			wantPage(t, b, "/mi-cuenta/tramites/"+folio, 200, "Tus escrituras están listas", booking)
			page := wantPage(t, b, "/mi-cuenta/citas/nueva?servicio=escrituras&entidad=JC&folio="+folio, 200)
			slots := slotsOn(t, page)
			if len(slots) == 0 {
				t.Fatal("no slots to collect the deeds")
			}
			rec := b.do("POST", "/mi-cuenta/citas/nueva", url.Values{"servicio": {"escrituras"}, "entidad": {"JC"}, "folio": {folio}, "horario": {slots[0]}})
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("booking: %d %s", rec.Code, rec.Body.String())
			}
			code := strings.TrimSuffix(strings.TrimPrefix(rec.Header().Get("Location"), "/mi-cuenta/citas/"), "?agendada=1")
			wantPage(t, b, "/mi-cuenta/tramites/"+folio, 200, "Ver mi cita "+code)

			// Overpayments: nothing to refund for the seed's paid-off
			// credits (paid to the centavo) nor for a live one.
			const excess = "/mi-cuenta/credito/devolucion-pagos-exceso"
			wantPage(t, b, excess, 200, "no tienes pagos en exceso")
			wantPage(t, lb, excess, 200, "cuando el crédito está liquidado")
			oid := addPerson(t, a, overpaidBorrower("PORFIRIO"))
			ob := accountFor(t, a, oid)
			wantPage(t, ob, excess, 200, "$1,234.56", "Puedes solicitar la devolución de tus pagos en exceso")
			pdf, png := testdocs.PDF(t, "INE"), testdocs.PNG(t)
			exe, _ := os.ReadFile(os.Args[0])
			for _, c := range []struct {
				clabe  string
				files  map[string][]byte
				fields []string
			}{
				{"", nil, []string{`href="#clabe"`, `href="#documentos"`}},
				{"002010077777777772", map[string][]byte{"ine.pdf": pdf, "estado.png": png}, []string{`href="#clabe"`, "dígito verificador"}},
				{"ABC010077777777771", map[string][]byte{"ine.pdf": pdf, "estado.png": png}, []string{`href="#clabe"`, "18 números"}},
				{"002010077777777771", map[string][]byte{"ine.pdf": pdf}, []string{`href="#documentos"`, "los dos documentos"}},
				{"002010077777777771", map[string][]byte{"ine.pdf": exe[:32<<10], "estado.png": png}, []string{`href="#documentos"`, "Solo aceptamos archivos PDF, JPG o PNG"}},
			} {
				rec := ob.upload(excess, url.Values{"clabe": {c.clabe}}, c.files)
				for _, f := range c.fields {
					if rec.Code != 400 || !strings.Contains(rec.Body.String(), f) {
						t.Fatalf("CLABE %q with %d files: %d, wants %s", c.clabe, len(c.files), rec.Code, f)
					}
				}
			}
			if n := requestsOf(t, a, oid); n != 0 {
				t.Fatalf("%d requests after refused forms", n)
			}
			if left, _ := os.ReadDir(a.Config.DocumentsDir); len(left) != 0 {
				t.Fatalf("refused forms left %d files", len(left))
			}
			refund := filed(t, ob.upload(excess, url.Values{"clabe": {"002 010 07777777777 1"}}, map[string][]byte{"ine.pdf": pdf, "estado.png": png}), "DPE")
			if docs, _ := a.Requests.Documents(ctx, mustFind(t, a, refund)); len(docs) != 2 {
				t.Fatalf("%d documents on the refund", len(docs))
			}
			wantPage(t, op, "/admin/tramites/"+refund, 200, "Saldo a favor hoy", "$1,234.56", "002010077777777771 (Banamex)")
			decide(t, op, refund, "aprobar", "")
			rq := mustFind(t, a, refund)
			moves := movesOf(t, a, oid)
			last := moves[len(moves)-1]
			if last.Kind != credit.KindDevolucionExceso || last.Amount != 1_234_56 || last.SourceID != rq.ID || sumOf(moves) != 0 {
				t.Fatalf("the refund in the ledger: %+v, balance %s", last, sumOf(moves))
			}
			wantPage(t, ob, "/mi-cuenta/tramites/"+refund, 200, "Te devolveremos $1,234.56", "terminación 7771")
			wantPage(t, ob, excess, 200, "no tienes pagos en exceso")

			// A rejection changes nothing.
			rid := addPerson(t, a, overpaidBorrower("PRUDENCIO"))
			rb := accountFor(t, a, rid)
			rejected := filed(t, rb.upload(excess, url.Values{"clabe": {"021180550300050811"}}, map[string][]byte{"ine.pdf": pdf, "estado.png": png}), "DPE")
			decide(t, op, rejected, "rechazar", "El estado de cuenta no está a tu nombre.")
			if got := sumOf(movesOf(t, a, rid)); got != -1_234_56 {
				t.Fatalf("balance after a rejection: %s", got)
			}
			wantPage(t, rb, excess, 200, "$1,234.56", "Puedes solicitar la devolución de tus pagos en exceso")
		})
	}
}

func mustFind(t *testing.T, a *app.App, folio string) *request.Request {
	t.Helper()
	q, err := a.Requests.Find(context.Background(), folio)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// pensioner: no credit, savings brought forward at the end of 2025.
func pensioner(given, status, law string, buckets map[string]portal.Money) someone {
	s := someone{given: given, first: "BERISTAIN", second: "ZAMACONA", pension: status, law: law,
		jobs: []employment.Relation{{EmployerID: 1, Start: day(1985, 3, 1), End: day(2024, 5, 17), DailySalary: 380_00}}}
	for _, b := range savings.BucketOrder {
		if amt, ok := buckets[b]; ok {
			s.savings = append(s.savings, savings.Movement{Bucket: b, Kind: savings.KindSaldoAnterior, Period: 202512, ValueDate: day(2025, 12, 31), Amount: amt})
		}
	}
	return s
}

func balancesOf(t *testing.T, a *app.App, pid int64) map[string]portal.Money {
	t.Helper()
	bs, _, err := a.DB.SavingsBalances(context.Background(), pid)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]portal.Money{}
	for _, b := range bs {
		out[b.Bucket] = b.Balance
	}
	return out
}

func TestCreditRequestSavingsRefund(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock := servicingPortal(t, engine)
			ctx := context.Background()
			op := staff(t, a, clock)
			const path = "/mi-cuenta/devolucion-ahorro"
			pdf, png := testdocs.PDF(t, "RESOLUCION DE PENSION"), testdocs.PNG(t)
			docs := map[string][]byte{"resolucion.pdf": pdf, "estado.png": png}

			// The seed: its pensioners still have a live credit; most
			// people are not pensioned.
			withCredit := seededWhere(t, a, "is pensioned with a live credit", func(p *person.Person, cs []credit.Credit, _ bool) bool {
				return p.PensionStatus == person.Pensionado && len(cs) > 0 && cs[0].Live()
			})
			wantPage(t, accountFor(t, a, withCredit), path, 200, "Tienes un crédito vigente con el Fondo")
			worker := seededWhere(t, a, "is not pensioned", func(p *person.Person, _ []credit.Credit, _ bool) bool { return p.PensionStatus == "" })
			if body := wantPage(t, accountFor(t, a, worker), path, 200, "es para personas pensionadas"); strings.Contains(body, `name="clabe"`) {
				t.Fatal("a worker is offered the form")
			}
			pending := addPerson(t, a, pensioner("ANACLETO", person.PensionEnTramite, "73", map[string]portal.Money{savings.BucketViv97: 10_000_00}))
			wantPage(t, accountFor(t, a, pending), path, 200, "Tu pensión está en trámite")
			nothing97 := addPerson(t, a, pensioner("ANASTASIO", person.Pensionado, "97", map[string]portal.Money{savings.BucketViv97: 90_000_00}))
			wantPage(t, accountFor(t, a, nothing97), path, 200, "se integra a tu pensión a través de tu Afore")

			// Ley 73: everything, 12,345.67 + 45,678.90 + 123,456.78 +
			// 1,000.00 = 182,481.35.
			all := map[string]portal.Money{savings.BucketFondo72: 12_345_67, savings.BucketViv92: 45_678_90, savings.BucketViv97: 123_456_78, savings.BucketExtra: 1_000_00}
			pid := addPerson(t, a, pensioner("ARCADIO", person.Pensionado, "73", all))
			b := accountFor(t, a, pid)
			wantPage(t, b, path, 200, "Puedes solicitar la devolución de tu ahorro", "$182,481.35", "Ley de 1973")
			if rec := b.upload(path, url.Values{"clabe": {"12345"}}, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#clabe"`) ||
				!strings.Contains(rec.Body.String(), `href="#documentos"`) {
				t.Fatalf("bad CLABE, no documents: %d", rec.Code)
			}
			if n := requestsOf(t, a, pid); n != 0 {
				t.Fatalf("%d requests after a refused form", n)
			}
			folio := filed(t, b.upload(path, url.Values{"clabe": {"012180001234567899"}}, docs), "DAH")
			wantPage(t, op, "/admin/tramites/"+folio, 200, "Total a devolver hoy", "$182,481.35", "Ley del Seguro Social de 1973", "012180001234567899 (BBVA México)")
			decide(t, op, folio, "aprobar", "")
			q := mustFind(t, a, folio)
			for bucket, bal := range balancesOf(t, a, pid) {
				if bal != 0 {
					t.Errorf("%s after the refund: %s", bucket, bal)
				}
			}
			entries, _, _ := a.DB.SavingsEntries(ctx, pid, savings.Filter{Kind: savings.KindDevolucion, Limit: 10})
			if len(entries) != 4 {
				t.Fatalf("%d withdrawals", len(entries))
			}
			for _, e := range entries {
				if e.Amount != -all[e.Bucket] || e.SourceID != q.ID || e.ValueDate != day(2026, 11, 24) {
					t.Errorf("withdrawal %+v", e)
				}
			}
			wantPage(t, b, "/mi-cuenta/tramites/"+folio, 200, "Te devolveremos $182,481.35", "BBVA México", "terminación 7899")

			// Ley 97: the Fondo de Ahorro 72-92 only (no voluntary
			// deposits); Vivienda 92 and 97 stay for the Afore.
			p97 := addPerson(t, a, pensioner("ARSENIO", person.Pensionado, "97",
				map[string]portal.Money{savings.BucketFondo72: 5_000_00, savings.BucketViv92: 20_000_00, savings.BucketViv97: 80_000_00}))
			b97 := accountFor(t, a, p97)
			wantPage(t, b97, path, 200, "$5,000.00", "Se integra a tu pensión a través de tu Afore")
			f97 := filed(t, b97.upload(path, url.Values{"clabe": {"646180112345678903"}}, docs), "DAH")
			decide(t, op, f97, "aprobar", "")
			if got := balancesOf(t, a, p97); got[savings.BucketFondo72] != 0 || got[savings.BucketViv92] != 20_000_00 || got[savings.BucketViv97] != 80_000_00 {
				t.Fatalf("Ley 97 after the refund: %v", got)
			}

			// A rejection changes nothing.
			rid := addPerson(t, a, pensioner("ARNULFO", person.Pensionado, "73", all))
			rb := accountFor(t, a, rid)
			rejected := filed(t, rb.upload(path, url.Values{"clabe": {"021180550300050811"}}, docs), "DAH")
			decide(t, op, rejected, "rechazar", "La resolución de pensión no se lee.")
			for bucket, bal := range balancesOf(t, a, rid) {
				if bal != all[bucket] {
					t.Errorf("%s after a rejection: %s", bucket, bal)
				}
			}
			wantPage(t, rb, path, 200, "Puedes solicitar la devolución de tu ahorro")
		})
	}
}
