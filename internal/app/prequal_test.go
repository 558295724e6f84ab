package app_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"micuenta/internal/app"
	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
	"micuenta/internal/store"
	"micuenta/internal/testutil/idgen"
)

// Pre-qualification and the simulator (issue 9) over HTTP on both
// engines, on 24 November 2026 (the T100 model; UMA 117.31, minimum wage
// 315.04; the bimester looked at is the 5th, September–October), for
// three people recorded here so that every figure is checked by hand
// against docs/prequalification.md: one who qualifies, one without a
// current job, one with a live credit. Then the simulator at its edges and
// with every field wrong: the Spanish message at each field, never a 500.

// applicant is a person recorded for these tests: identity, jobs, the
// contributions their employer paid (1,500.00 a bimester) after a balance
// brought forward, and maybe a credit.
type applicant struct {
	given, first, second string
	birth                portal.Date
	sex                  string
	pension              string
	jobs                 []employment.Relation
	employer             int64           // who paid the contributions
	paidFrom, paidTo     portal.Bimestre // inclusive; zero for none
	brought              portal.Money    // balance brought forward on 31 December 2019
	credit               *credit.Credit  // ID, PersonID and Number are filled in
	moves                []credit.Movement
}

const bimesterPaid = portal.Money(1_500_00)

func addApplicant(t *testing.T, a *app.App, ap applicant) int64 {
	t.Helper()
	ctx := context.Background()
	maxID, err := a.DB.MaxPersonID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := maxID + 1
	n := ident.Name{Given: ap.given, First: ap.first, Second: ap.second}
	nssText, curpText, rfcText := idgen.For(n, ap.birth.Time(), ap.sex, "JC", fmt.Sprintf("4391%06d", id))
	nss, err1 := ident.ParseNSS(nssText)
	curp, err2 := ident.ParseCURP(curpText)
	rfc, err3 := ident.ParseRFC(rfcText)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	p := &person.Person{ID: id, NSS: nss, CURP: curp, RFC: rfc, GivenNames: ap.given, FirstSurname: ap.first, SecondSurname: ap.second,
		BirthDate: ap.birth, Sex: ap.sex, State: "JC", PensionStatus: ap.pension}
	r := &store.Records{People: []*person.Person{p}}
	for _, j := range ap.jobs {
		j.PersonID = id
		r.Relations = append(r.Relations, j)
	}
	if ap.brought > 0 {
		r.Savings = append(r.Savings, savings.Movement{PersonID: id, Bucket: savings.BucketViv97, Kind: savings.KindSaldoAnterior, Period: 201912,
			ValueDate: portal.NewDate(2019, 12, 31), Amount: ap.brought})
	}
	if ap.paidFrom.Year > 0 {
		for b := ap.paidFrom; !ap.paidTo.Before(b); b = b.Next() {
			r.Savings = append(r.Savings, savings.Movement{PersonID: id, Bucket: savings.BucketViv97, Kind: savings.KindAportacion, Period: b.Key(),
				SourceID: ap.employer, ValueDate: b.Next().First().AddDays(16), Amount: bimesterPaid, DailySalary: ap.jobs[0].DailySalary, Days: b.Days()})
		}
	}
	if ap.credit != nil {
		c := *ap.credit
		c.ID, c.PersonID, c.Number = id, id, fmt.Sprintf("98%08d", id)
		r.Credits = append(r.Credits, c)
		for _, m := range ap.moves {
			m.CreditID = id
			r.CreditMovements = append(r.CreditMovements, m)
		}
	}
	if _, err := a.DB.LoadRecords(ctx, r); err != nil {
		t.Fatal(err)
	}
	return id
}

// qualifier: a woman of 28 earning 500.00 a day (4.26 UMA) since 2020,
// 18 continuous bimesters (2023-6 to 2026-5) and 85,500.00 saved
// (58,500.00 brought forward + 18 × 1,500.00). T100: edad 28 (24–29) 28,
// salario ≥ 4.2 UMA 34, ahorro ≥ 50,000 29, cotización 18 35 = 126.
func qualifier() applicant {
	return applicant{given: "ROSA ELENA", first: "VILLARREAL", second: "OCHOA", birth: day(1998, 3, 10), sex: "M",
		jobs:     []employment.Relation{{EmployerID: 1, Start: day(2020, 1, 6), DailySalary: 500_00}},
		employer: 1, paidFrom: portal.Bimestre{Year: 2023, N: 6}, paidTo: portal.Bimestre{Year: 2026, N: 5}, brought: 58_500_00}
}

// withoutJob: a man of 30 whose job at 450.00 a day (3.84 UMA) ended on
// 30 June 2026, after 13 bimesters (2024-3 to 2026-3); 40,000.00 saved.
// T100: 29 30 29 and 0 for cotización (lost without a job) = 88; docs'
// example: 3 bimesters with a new employer reach 100.
func withoutJob() applicant {
	return applicant{given: "ARMANDO", first: "TREVIÑO", second: "SALAS", birth: day(1996, 5, 20), sex: "H",
		jobs:     []employment.Relation{{EmployerID: 2, Start: day(2019, 2, 1), End: day(2026, 6, 30), DailySalary: 450_00}},
		employer: 2, paidFrom: portal.Bimestre{Year: 2024, N: 3}, paidTo: portal.Bimestre{Year: 2026, N: 3}, brought: 20_500_00}
}

// withCredit: a man of 46 at 700.00 a day since 2010, 41 bimesters,
// 150,000.00 saved and a peso credit of 2019 still owed. T100: 30 34 29
// 45 = 138, and "crédito activo" on every product.
func withCredit() applicant {
	return applicant{given: "JESUS", first: "OLVERA", second: "NAVA", birth: day(1980, 7, 1), sex: "H",
		jobs:     []employment.Relation{{EmployerID: 3, Start: day(2010, 1, 4), DailySalary: 700_00}},
		employer: 3, paidFrom: portal.Bimestre{Year: 2020, N: 1}, paidTo: portal.Bimestre{Year: 2026, N: 5}, brought: 88_500_00,
		credit: &credit.Credit{Product: "tradicional", Denomination: credit.DenomPesos, Origination: day(2019, 3, 1), OriginalAmount: 600_000_00,
			AnnualRateBP: 1045, TermMonths: 360, MonthlyPayment: 5_000_00, DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 5_000_00,
			EmployerID: 3, State: credit.StateVigente},
		moves: []credit.Movement{{Kind: credit.KindApertura, Period: 202609, ValueDate: day(2026, 9, 30), Amount: 500_000_00}}}
}

var (
	tags   = regexp.MustCompile(`<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
)

// textOf is a page's text as a person reads it: no tags, one space.
func textOf(body string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(html.UnescapeString(tags.ReplaceAllString(body, " ")), " "))
}

// wantText fetches a page and checks its status and what it says.
func wantText(t *testing.T, b *browser, path string, code int, parts ...string) string {
	t.Helper()
	rec := b.do("GET", path, nil)
	text := textOf(rec.Body.String())
	if rec.Code != code {
		t.Fatalf("%s: %d, want %d\n%s", path, rec.Code, code, text)
	}
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Fatalf("%s lacks %q\n%s", path, p, text)
		}
	}
	return rec.Body.String()
}

func TestPrequalificationPage(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, _ := servicingPortal(t, engine)
			const path = "/mi-cuenta/precalificacion"

			q := accountFor(t, a, addApplicant(t, a, qualifier()))
			wantText(t, q, path, http.StatusOK,
				"Precalificas para un crédito",
				"Modelo de 100 puntos (T100)", "24 nov 2026",
				"Edad 28 años",
				"Salario diario $500.00 al día, de",
				"(empleo actual)",
				"Relación laboral vigente en el bimestre anterior Sí",
				"Tu patrón pagó tus aportaciones del bimestre anterior Sí",
				"Bimestres de cotización continua 18, hasta el 5.º bimestre 2026 (septiembre–octubre)",
				"Ahorro en la Subcuenta de Vivienda $85,500.00",
				"Crédito Infonavit vigente o en trámite No",
				// Points by block, with the maximum.
				"Edad aproximado 28 30", "Salario aproximado 34 34", "Ahorro en la Subcuenta de Vivienda aproximado 29 29",
				"Bimestres de cotización continua aproximado 35 45", "Total 126 138",
				// Each product's threshold and the outcome.
				"Crédito Infonavit 100 3 126 Sí", "Cofinavit 100 3 126 Sí", "Unamos Créditos 100 3 126 Sí", "Mejoravit Solo para Ti 0 0 126 Sí",
				// The approximations, said.
				"El Infonavit no ha publicado cómo se calculan los 100 puntos",
				"Solicitar mi crédito")

			j := accountFor(t, a, addApplicant(t, a, withoutJob()))
			body := wantText(t, j, path, http.StatusOK,
				"Hoy no precalificas para un crédito",
				"Edad 30 años",
				"Salario diario $450.00 al día, de", "(último empleo, terminó el 30 jun 2026)",
				"Relación laboral vigente en el bimestre anterior No",
				"Tu patrón pagó tus aportaciones del bimestre anterior No aplica: no tienes un empleo vigente",
				"Bimestres de cotización continua 0, hasta el 5.º bimestre 2026",
				"Ahorro en la Subcuenta de Vivienda $40,000.00",
				"Edad aproximado 29 30", "Salario aproximado 30 34", "Ahorro en la Subcuenta de Vivienda aproximado 29 29",
				"Bimestres de cotización continua aproximado 0 45", "Total 88 138",
				"Crédito Infonavit 100 3 88 No", "Mejoravit Solo para Ti 0 0 88 No",
				"Por qué no precalificas para Crédito Infonavit",
				"No tienes una relación laboral vigente: ningún patrón te reportó en el bimestre anterior.",
				"Necesitas al menos 3 bimestres de cotización continua y tienes 0.",
				"Tienes 88 puntos y este crédito pide 100.",
				"te faltan unos 3 bimestres de cotización continua (unos 6 meses)")
			if strings.Contains(body, "Solicitar mi crédito</a>") {
				t.Error("someone who does not qualify is offered the application")
			}

			c := accountFor(t, a, addApplicant(t, a, withCredit()))
			wantText(t, c, path, http.StatusOK,
				"Ya tienes un crédito Infonavit",
				"Edad 46 años", "Bimestres de cotización continua 41, hasta el 5.º bimestre 2026",
				"Ahorro en la Subcuenta de Vivienda $150,000.00",
				"Crédito Infonavit vigente o en trámite Sí: crédito 98",
				"Edad aproximado 30 30", "Bimestres de cotización continua aproximado 45 45", "Total 138 138",
				"Crédito Infonavit 100 3 138 No",
				"Tienes un crédito Infonavit vigente o en trámite.")

			// The seeded population, whatever its records: every page answers.
			qualified := 0
			for id := int64(2); id <= 40; id += 3 {
				if _, err := a.DB.FindAccountByPerson(context.Background(), id); err == nil {
					continue
				}
				sb := accountFor(t, a, id)
				page := wantText(t, sb, path, http.StatusOK, "Tus puntos por bloque", "Lo que pide cada crédito")
				if strings.Contains(page, "Precalificas para un crédito") {
					qualified++
				}
				wantText(t, sb, "/mi-cuenta/precalificacion/simulador", http.StatusOK, "Simulador de crédito")
				wantText(t, sb, "/mi-cuenta/solicitud-credito", http.StatusOK, "Solicitar mi crédito")
			}
			if qualified == 0 {
				t.Error("nobody in the seeded sample pre-qualifies")
			}

			// Signed out: the sign-in page, not the figures.
			if rec := newBrowser(t, a.Site).do("GET", path, nil); rec.Code != http.StatusSeeOther {
				t.Errorf("signed out: %d", rec.Code)
			}
		})
	}
}

func TestCreditSimulator(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, _ := servicingPortal(t, engine)
			const path = "/mi-cuenta/precalificacion/simulador"
			b := accountFor(t, a, addApplicant(t, a, qualifier()))

			// The first visit is filled from the records: 500.00 × 30.4 =
			// 15,200.00 a month = 4.26 UMA → 4.2 for the rate: 3.69% +
			// 6.76 × 1.8 / 4.2 = 6.59%; above one minimum wage 30% = 4,560.00
			// for 30 years (a woman of 28) → 714,735.27; + 85,500.00.
			body := wantText(t, b, path, http.StatusOK,
				"Resultado: Crédito Infonavit", "Te prestan hasta $714,735.27",
				"Tasa de interés 6.59% anual, fija todo el plazo", "Plazo 30 años",
				"Mensualidad $4,560.00, más $15.00 de seguro de daños cada bimestre",
				"Para comprar la vivienda $800,235.27", "Monto máximo de este crédito hoy $2,935,002.35",
				"Tú 28 $15,200.00 6.59% $4,560.00 (30% del salario) 30 de 30 años $714,735.27 lo que el salario puede pagar al mes",
				"Tu crédito año por año", "Solicitar este crédito")
			for _, want := range []string{`value="15200.00"`, `value="85500.00"`, `value="28"`, `<option value="M" selected>`,
				`role="img"`, `<th scope="row">30</th>`, `<script src="/static/`} {
				if !strings.Contains(body, want) {
					t.Errorf("the simulator lacks %q", want)
				}
			}

			sim := func(v url.Values) string { return path + "?" + v.Encode() }
			man30 := func(salary, balance string) url.Values {
				return url.Values{"producto": {"infonavit"}, "plazo": {""}, "salario": {salary}, "ahorro": {balance}, "edad": {"30"}, "sexo": {"H"}}
			}
			// One minimum wage a month (9,577.22) pays 20%; a centavo more, 30%.
			wantText(t, b, sim(man30("9577.22", "50000")), http.StatusOK, "Te prestan hasta $400,726.38", "Tasa de interés 4.01% anual",
				"Mensualidad $1,915.44", "Para comprar la vivienda $450,726.38")
			wantText(t, b, sim(man30("9577.23", "0")), http.StatusOK, "Mensualidad $2,873.17", "(30% del salario)")
			// The ceiling: 823 UMA mensuales = 2,935,002.35.
			wantText(t, b, sim(man30("89126.54", "0")), http.StatusOK, "Te prestan hasta $2,935,001.64", "lo que el salario puede pagar al mes")
			wantText(t, b, sim(man30("89126.55", "0")), http.StatusOK, "Te prestan hasta $2,935,002.35", "Mensualidad $26,737.97",
				"el monto máximo del crédito")
			// Age + term: a man of 45 gets 25 years and no more.
			v := man30("20000", "0")
			v.Set("edad", "45")
			wantText(t, b, sim(v), http.StatusOK, "Plazo 25 años")
			v.Set("plazo", "26")
			body = wantText(t, b, sim(v), http.StatusBadRequest, "Error: Simulador de crédito", "Por la edad, el plazo máximo es de 25 años.")
			if !strings.Contains(body, `id="plazo-error"`) || !strings.Contains(body, `href="#plazo"`) {
				t.Error("the term's error is not at its field and in the summary")
			}
			v.Set("edad", "70")
			v.Set("plazo", "")
			wantText(t, b, sim(v), http.StatusOK, "Con estos datos no es posible este crédito",
				"Por la edad ya no es posible contratar este crédito: la edad más el plazo no puede pasar de 70 años.")
			// Cofinavit is 3 to 30 years.
			v = man30("20000", "0")
			v.Set("producto", "cofinavit")
			v.Set("plazo", "2")
			wantText(t, b, sim(v), http.StatusBadRequest, "El plazo de este crédito es de 3 a 30 años.")
			// Mejoravit: 90% of the balance, priced by amount.
			v = man30("15000", "100000")
			v.Set("producto", "mejoravit")
			wantText(t, b, sim(v), http.StatusOK, "Te prestan hasta $90,000.00", "Tasa de interés 11% anual", "Plazo 10 años",
				"Mensualidad $1,239.76", "el porcentaje del ahorro que puede prestarse")
			v.Set("ahorro", "10000")
			wantText(t, b, sim(v), http.StatusOK, "Con estos datos no es posible este crédito", "monto mínimo")
			// Unamos Créditos: the other person's fields are asked for, and
			// two at 100,000.00 pass the joint ceiling, each cut alike.
			v = man30("100000", "0")
			v.Set("producto", "unamos")
			body = wantText(t, b, sim(v), http.StatusBadRequest, "Escribe el salario mensual de la otra persona",
				"Escribe la edad de la otra persona", "Elige el sexo de la otra persona")
			for _, f := range []string{"co_salario", "co_ahorro", "co_edad", "co_sexo"} {
				if !strings.Contains(body, `id="`+f+`-error"`) {
					t.Errorf("no error at %s", f)
				}
			}
			v.Set("co_salario", "100000")
			v.Set("co_ahorro", "0")
			v.Set("co_edad", "30")
			v.Set("co_sexo", "H")
			wantText(t, b, sim(v), http.StatusOK, "Les prestan hasta, entre las dos personas $5,283,004.22",
				"Tú 30 $100,000.00", "$2,641,502.11 el monto máximo del crédito", "La otra persona 30 $100,000.00", "Mensualidad $48,128.34")

			// Every field wrong: each message at its field, in Spanish, a 400.
			bad := url.Values{"producto": {"hipoteca"}, "plazo": {"veinte"}, "salario": {"-5"}, "ahorro": {"mucho"}, "edad": {"3"}, "sexo": {"F"}}
			body = wantText(t, b, sim(bad), http.StatusBadRequest, "Hay un problema",
				"Elige un tipo de crédito de la lista.",
				"Escribe el plazo en años, solo el número (por ejemplo 20), o déjalo vacío para el plazo más largo.",
				"Escribe tu salario mensual en pesos, mayor que 0 y hasta 10,000,000.00, por ejemplo 12000.00.",
				"Escribe tu ahorro en la Subcuenta de Vivienda en pesos, por ejemplo 85000.00 (puede ser 0).",
				"Escribe tu edad en años cumplidos, de 15 a 99.",
				"Elige tu sexo como aparece en tu CURP.")
			for _, f := range []string{"producto", "plazo", "salario", "ahorro", "edad", "sexo"} {
				if !strings.Contains(body, `id="`+f+`-error"`) {
					t.Errorf("no error at %s", f)
				}
			}
			if strings.Contains(body, "Resultado:") {
				t.Error("a result with errors")
			}
			// The values typed are kept; nothing odd gets through as markup.
			odd := url.Values{"producto": {"infonavit"}, "salario": {`"><script>alert(1)</script>`}, "ahorro": {"1e9"}, "edad": {"99999999999999999999"},
				"sexo": {"M"}, "plazo": {"\x00"}}
			body = wantText(t, b, sim(odd), http.StatusBadRequest, "Escribe tu salario mensual")
			if strings.Contains(body, "<script>alert") {
				t.Error("the salary typed came back unescaped")
			}
			// Someone with no job on record: the form to fill in, no errors yet.
			nb := accountFor(t, a, newcomer(t, a))
			body = wantText(t, nb, path, http.StatusOK, "Simulador de crédito", "Tu salario mensual (pesos)")
			if strings.Contains(body, "Resultado:") || strings.Contains(body, "Hay un problema") {
				t.Error("the first visit without a salary on record shows a result or errors")
			}
			wantText(t, nb, path+"?producto=infonavit&plazo=&salario=12000&ahorro=0&edad=22&sexo=M", http.StatusOK, "Te prestan hasta")

			// Salary and balance at their limits.
			wantText(t, b, sim(man30("10000000.00", "1000000000.00")), http.StatusOK, "Te prestan hasta $2,935,002.35")
			wantText(t, b, sim(man30("10000000.01", "0")), http.StatusBadRequest, "Escribe tu salario mensual")
		})
	}
}
