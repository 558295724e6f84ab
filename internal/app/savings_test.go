package app_test

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/batch"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/savings"
	"micuenta/internal/store"
	"micuenta/internal/testutil/idgen"
	"micuenta/internal/testutil/need"
	"micuenta/internal/web"
)

// accountFor gives a seeded person an account with a recognised device
// and returns a browser signed in as them.
func accountFor(t *testing.T, a *app.App, personID int64) *browser {
	t.Helper()
	ctx := context.Background()
	hash, err := a.Hasher.Hash(ctx, "Pozole-2026!")
	if err != nil {
		t.Fatal(err)
	}
	acc := &account.Account{PersonID: personID, Email: fmt.Sprintf("persona%d@correo.example", personID), Mobile: fmt.Sprintf("56%08d", personID),
		PasswordHash: hash, TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion, AcceptedAt: time.Now()}
	if err := a.DB.CreateAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	token := account.NewToken()
	if err := a.DB.CreateDevice(ctx, &account.Device{AccountID: acc.ID, TokenHash: account.TokenHash(token), CreatedAt: time.Now(), LastSeenAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a.Site)
	b.cookies[web.DeviceCookie] = token
	if rec := b.do("POST", "/ingresar", url.Values{"identificador": {acc.Email}, "contrasena": {"Pozole-2026!"}}); rec.Code != http.StatusSeeOther || b.cookies[web.SessionCookie] == "" {
		t.Fatalf("sign in as %d: %d", personID, rec.Code)
	}
	return b
}

// newcomer adds a person just registered with the fund: no employer has
// paid anything yet (the seed gives everyone a history).
func newcomer(t *testing.T, a *app.App) int64 {
	t.Helper()
	ctx := context.Background()
	n := ident.Name{Given: "LUCIA", First: "RAMOS", Second: "VEGA"}
	nssText, curpText, rfcText := idgen.For(n, time.Date(2004, 3, 15, 0, 0, 0, 0, time.UTC), "M", "DF", "4124040001")
	nss, err1 := ident.ParseNSS(nssText)
	curp, err2 := ident.ParseCURP(curpText)
	rfc, err3 := ident.ParseRFC(rfcText)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	maxID, _ := a.DB.MaxPersonID(ctx)
	p := &person.Person{ID: maxID + 1, NSS: nss, CURP: curp, RFC: rfc, GivenNames: n.Given, FirstSurname: n.First, SecondSurname: n.Second,
		BirthDate: portal.NewDate(2004, 3, 15), Sex: "M", State: "DF"}
	if _, err := a.DB.LoadRecords(ctx, &store.Records{People: []*person.Person{p}}); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// kinds of people the savings pages must serve, found in the seed.
type savingsCases struct{ none, oneEmployer, severalEmployers, pensioner int64 }

func findSavingsCases(t *testing.T, a *app.App) savingsCases {
	t.Helper()
	ctx := context.Background()
	svc := savings.NewService(a.DB)
	var c savingsCases
	for id := int64(1); id <= 150; id++ {
		p, err := a.DB.FindPersonByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.FindAccountByPerson(ctx, id); err == nil {
			continue // the demo account
		}
		sum, _ := svc.Summary(ctx, id)
		jobs, _ := a.DB.JobsOf(ctx, id)
		employers := map[int64]bool{}
		for _, j := range jobs {
			employers[j.EmployerID] = true
		}
		switch {
		case p.PensionStatus == "pensionado" && c.pensioner == 0:
			c.pensioner = id
		case len(sum.Buckets) == 0 && c.none == 0:
			c.none = id
		case sum.LastContribution != nil && len(employers) == 1 && c.oneEmployer == 0:
			c.oneEmployer = id
		case sum.LastContribution != nil && len(employers) >= 2 && c.severalEmployers == 0:
			c.severalEmployers = id
		}
	}
	return c
}

func TestSavingsPages(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, _, _ := portalFor(t, engine)
			ctx := context.Background()
			c := findSavingsCases(t, a)
			if c.oneEmployer == 0 || c.severalEmployers == 0 || c.pensioner == 0 {
				t.Fatalf("the seed lacks a case: %+v", c)
			}
			svc := savings.NewService(a.DB)

			// Several employers: balance, buckets, movements with names, the
			// history with the current job first.
			b := accountFor(t, a, c.severalEmployers)
			sum, _ := svc.Summary(ctx, c.severalEmployers)
			rec := b.do("GET", "/mi-cuenta/ahorro", nil)
			body := rec.Body.String()
			if rec.Code != 200 || !strings.Contains(body, sum.Total.String()) || !strings.Contains(body, "Vivienda 97") ||
				!strings.Contains(body, sum.LastContribution.EmployerName) || !strings.Contains(body, "Aportación patronal") {
				t.Fatalf("savings page: %d %s", rec.Code, body)
			}
			// The summary: the balance as of its newest movement, and the last
			// contribution with its employer, as the savings page has them.
			summary := b.do("GET", "/mi-cuenta", nil).Body.String()
			lc := sum.LastContribution
			for _, want := range []string{
				"<dt>Ahorro para la vivienda</dt><dd><strong>" + sum.Total.String() + "</strong> al " + sum.AsOf.Spanish() + "</dd>",
				"<dt>Última aportación</dt><dd>" + lc.Amount.String() + " de " + template.HTMLEscapeString(lc.EmployerName) + " (" + lc.ValueDate.Spanish() + ")</dd>",
			} {
				if !strings.Contains(summary, want) {
					t.Fatalf("the summary lacks %s:\n%s", want, summary)
				}
			}
			// The sum of every movement is the balance shown.
			all, total, _ := svc.Entries(ctx, c.severalEmployers, savings.Filter{Limit: 1000})
			var s int64
			for _, e := range all {
				s += int64(e.Amount)
			}
			if int(total) != len(all) || s != int64(sum.Total) {
				t.Fatalf("movements sum to %d, balance %d", s, sum.Total)
			}
			// Filter by year and kind; pages of 20.
			// The year filter offers every year from the oldest movement's
			// to the newest's.
			years := sum.Years()
			if len(years) < 2 || years[0] != all[0].ValueDate.Y || years[len(years)-1] != all[len(all)-1].ValueDate.Y {
				t.Fatalf("years %v for movements from %s to %s", years, all[len(all)-1].ValueDate, all[0].ValueDate)
			}
			rec = b.do("GET", fmt.Sprintf("/mi-cuenta/ahorro?anio=%d&tipo=aportacion", years[1]), nil)
			if rec.Code != 200 || strings.Contains(rec.Body.String(), "<td>Rendimiento</td>") || !strings.Contains(rec.Body.String(), "<td>Aportación patronal</td>") ||
				!strings.Contains(rec.Body.String(), "Quitar filtros") {
				t.Fatalf("filtered: %d", rec.Code)
			}
			if total > 20 {
				if rec := b.do("GET", "/mi-cuenta/ahorro?pagina=2", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "página 2 de") {
					t.Fatalf("page 2: %d", rec.Code)
				}
			}
			// Bad filters are field errors, not 500s.
			for _, q := range []string{"anio=abc", "anio=1800", "tipo=robo", "pagina=-1", "pagina=zzz"} {
				if rec := b.do("GET", "/mi-cuenta/ahorro?"+q, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), "<title>Error: ") {
					t.Errorf("%s: %d", q, rec.Code)
				}
			}
			// The CSV has every movement and a header.
			rec = b.do("GET", "/mi-cuenta/ahorro/movimientos.csv", nil)
			lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment") || len(lines) != total+1 || !strings.Contains(lines[0], "fecha,movimiento") {
				t.Fatalf("csv: %d, %d lines for %d movements", rec.Code, len(lines), total)
			}
			jobs, _ := a.DB.JobsOf(ctx, c.severalEmployers)
			employment.SortJobs(jobs)
			rec = b.do("GET", "/mi-cuenta/relaciones-laborales", nil)
			body = rec.Body.String()
			if rec.Code != 200 || strings.Count(body, "<tr>") != len(jobs)+1 || strings.Index(body, jobs[0].RazonSocial) > strings.Index(body, jobs[len(jobs)-1].RazonSocial) {
				t.Fatalf("jobs page: %d, want %d jobs\n%s", rec.Code, len(jobs), body)
			}

			// One employer.
			b = accountFor(t, a, c.oneEmployer)
			if rec := b.do("GET", "/mi-cuenta/relaciones-laborales", nil); rec.Code != 200 || strings.Count(rec.Body.String(), "<tr>") != 2 {
				t.Fatalf("one employer: %d", rec.Code)
			}
			// A pensioner's page works too (balance or not).
			b = accountFor(t, a, c.pensioner)
			if rec := b.do("GET", "/mi-cuenta/ahorro", nil); rec.Code != 200 {
				t.Fatalf("pensioner: %d", rec.Code)
			}
			// Nobody's money: the empty states.
			c.none = newcomer(t, a)
			{
				b = accountFor(t, a, c.none)
				if rec := b.do("GET", "/mi-cuenta/ahorro", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Todavía no tienes ahorro") {
					t.Fatalf("no savings: %d", rec.Code)
				}
				if rec := b.do("GET", "/mi-cuenta", nil); !strings.Contains(rec.Body.String(), "Sin ahorro registrado") {
					t.Fatal("summary of a newcomer")
				}
				if rec := b.do("GET", "/mi-cuenta/relaciones-laborales", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "No tenemos relaciones laborales") {
					t.Fatalf("no jobs: %d", rec.Code)
				}
			}
			// Signed out, the pages send to sign in.
			if rec := newBrowser(t, a.Site).do("GET", "/mi-cuenta/ahorro/movimientos.csv", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("anonymous csv: %d", rec.Code)
			}
		})
	}
}

func TestSavingsCalculator(t *testing.T) {
	a, email, password := portalFor(t, "sqlite")
	b := signedIn(t, a, email, password)
	// Defaults: the person's balance and salary, a yield from the reference values.
	rec := b.do("GET", "/mi-cuenta/ahorro/calculadora", nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "<svg") || strings.Count(body, `<th scope="row">`) != 20 || !strings.Contains(body, "Saldo estimado al cierre de") {
		t.Fatalf("defaults: %d %s", rec.Code, body)
	}
	// A hand-checked projection: 100,000.00, 500.00 a day, 2 years, 5% growth, 4% yield.
	rec = b.do("GET", "/mi-cuenta/ahorro/calculadora?saldo=100000.00&salario=500&anios=2&crecimiento=5&rendimiento=4", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "$113,307.50") || !strings.Contains(rec.Body.String(), "$127,612.68") {
		t.Fatalf("projection: %d", rec.Code)
	}
	// Out of range or not numbers: field errors, never a 500.
	for q, field := range map[string]string{
		"anios=0": "anios", "anios=51": "anios", "anios=diez": "anios", "salario=0": "salario", "salario=-5": "salario",
		"saldo=abc": "saldo", "crecimiento=30": "crecimiento", "rendimiento=-1": "rendimiento", "rendimiento=4.555": "rendimiento",
	} {
		rec := b.do("GET", "/mi-cuenta/ahorro/calculadora?"+q, nil)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#`+field+`"`) || strings.Contains(rec.Body.String(), "<svg") {
			t.Errorf("%s: %d", q, rec.Code)
		}
	}
}

// The notices page: channels saved and respected by the next import, and
// the notice listed once however often the batch runs.
func TestContributionNoticesPage(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, email, password := portalFor(t, engine)
			ctx := context.Background()
			b := signedIn(t, a, email, password)
			rec := b.do("GET", "/mi-cuenta/notificaciones", nil)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="correo" name="correo" value="si" checked`) || strings.Contains(rec.Body.String(), `id="celular" name="celular" value="si" checked`) {
				t.Fatalf("defaults: %d", rec.Code)
			}
			if rec := b.do("POST", "/mi-cuenta/notificaciones", url.Values{"celular": {"si"}, "correo": {"tal-vez"}}); rec.Code != 400 {
				t.Fatalf("tampered: %d", rec.Code)
			}
			if rec := b.do("POST", "/mi-cuenta/notificaciones", url.Values{"celular": {"si"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("save: %d", rec.Code)
			}
			body := b.do("GET", "/mi-cuenta/notificaciones?guardado=1", nil).Body.String()
			if !strings.Contains(body, "Guardamos tus preferencias") || strings.Contains(body, `name="correo" value="si" checked`) || !strings.Contains(body, `name="celular" value="si" checked`) {
				t.Fatal("preferences not kept")
			}

			acc, _ := a.DB.FindAccountByEmail(ctx, email)
			p, _ := a.DB.FindPersonByID(ctx, acc.PersonID)
			ref, _ := reference.Load(ctx, a.DB)
			file := strings.Join(batch.ContributionsHeader, ",") + "\n" + p.NSS.String() + ",K1234567890,MUEBLES DEL BAJÍO,2026-6,520.00,61,1586.00,0.00,2026-12-01\n"
			for range 2 {
				rep, _ := batch.NewReport(io.Discard)
				im := &batch.ContributionImport{Store: a.DB, Ref: ref, Today: portal.NewDate(2026, 12, 2), Report: rep}
				if _, err := im.Run(ctx, strings.NewReader(file)); err != nil {
					t.Fatal(err)
				}
				// What the worker does before each delivery round.
				if err := a.Worker.Produce(ctx); err != nil {
					t.Fatal(err)
				}
			}
			body = b.do("GET", "/mi-cuenta/notificaciones", nil).Body.String()
			// One notice: the seeded history is not announced, the re-run adds nothing.
			if strings.Count(body, "aportó $1,586.00") != 1 || strings.Count(body, `<li><p class="caption">`) != 1 {
				t.Fatalf("notices listed: %d", strings.Count(body, `<li><p class="caption">`))
			}
			_, sms := lastMessageTo(t, a, acc.Mobile)
			if !strings.Contains(sms, "MUEBLES DEL BAJÍO aportó $1,586.00") {
				t.Fatalf("sms: %q", sms)
			}
			if subject, _ := lastMessageTo(t, a, email); strings.Contains(subject, "aportó") {
				t.Fatal("an e-mail went though the person chose SMS only")
			}
		})
	}
}

// The movements PDF: its text, extracted with pdftotext, has the holder,
// the balance and the movements, accents and all.
func TestSavingsPDF(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		need.Unavailable(t, "pdftotext", "install poppler-utils")
		return
	}
	a, email, password := portalFor(t, "sqlite")
	b := signedIn(t, a, email, password)
	ctx := context.Background()
	acc, _ := a.DB.FindAccountByEmail(ctx, email)
	p, _ := a.DB.FindPersonByID(ctx, acc.PersonID)
	sum, _ := savings.NewService(a.DB).Summary(ctx, p.ID)
	rec := b.do("GET", "/mi-cuenta/ahorro/movimientos.pdf?tipo=aportacion", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(rec.Body.String(), "%PDF-") {
		t.Fatalf("pdf: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	path := filepath.Join(t.TempDir(), "m.pdf")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"Movimientos de la Subcuenta de Vivienda", p.FullName(), p.NSS.Masked(), sum.Total.String(),
		sum.LastContribution.Amount.String(), "Aportación patronal", "hora del centro de México", "Página 1 de"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Rendimiento") {
		t.Error("the filter was not applied")
	}
	if rec := b.do("GET", "/mi-cuenta/ahorro/movimientos.pdf?anio=x", nil); rec.Code != 400 {
		t.Fatalf("bad filter: %d", rec.Code)
	}
}

// An employer's name that looks like a spreadsheet formula is defused in
// the CSV download.
func TestSavingsCSVDefusesFormulas(t *testing.T) {
	a, email, password := portalFor(t, "sqlite")
	ctx := context.Background()
	acc, _ := a.DB.FindAccountByEmail(ctx, email)
	p, _ := a.DB.FindPersonByID(ctx, acc.PersonID)
	ref, _ := reference.Load(ctx, a.DB)
	file := strings.Join(batch.ContributionsHeader, ",") + "\n" + p.NSS.String() + `,K1234567891,"=HYPERLINK(""http://malo.example"")",2026-6,520.00,61,1586.00,0.00,2026-12-01` + "\n"
	rep, _ := batch.NewReport(io.Discard)
	im := &batch.ContributionImport{Store: a.DB, Ref: ref, Today: portal.NewDate(2026, 12, 2), Report: rep}
	if sum, err := im.Run(ctx, strings.NewReader(file)); err != nil || sum.Posted != 1 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	b := signedIn(t, a, email, password)
	body := b.do("GET", "/mi-cuenta/ahorro/movimientos.csv?tipo=aportacion", nil).Body.String()
	if !strings.Contains(body, `'=HYPERLINK(""http://malo.example"")`) || strings.Contains(body, `,"=HYPERLINK`) {
		t.Fatalf("csv: %s", body)
	}
}
