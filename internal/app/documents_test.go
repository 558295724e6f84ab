package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/audit"
	"micuenta/internal/credit"
	"micuenta/internal/document"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/store"
	"micuenta/internal/testutil/idgen"
	"micuenta/internal/testutil/need"
)

// documentsDay is when these tests run: 2 Dec 2026, 12:00 in Mexico City.
var documentsDay = time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)

// handMadeBorrower adds JUAN PÉREZ LÓPEZ, working since March 2019 for
// ACME, with a peso credit whose 2025 ledger is credit's hand-checked
// example A (internal/credit/interest_test.go): nominal interest paid
// 59,800.00, average balance 498,845.00, adjustment 18,406.23, real and
// deductible interest 41,393.77. It returns the person and the credit.
func handMadeBorrower(t *testing.T, a *app.App) (int64, credit.Credit) {
	t.Helper()
	ctx := context.Background()
	n := ident.Name{Given: "JUAN", First: "PÉREZ", Second: "LÓPEZ"}
	nssText, curpText, rfcText := idgen.For(n, time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC), "H", "DF", "4180050077")
	nss, e1 := ident.ParseNSS(nssText)
	curp, e2 := ident.ParseCURP(curpText)
	rfc, e3 := ident.ParseRFC(rfcText)
	if err := errors.Join(e1, e2, e3); err != nil {
		t.Fatal(err)
	}
	maxPerson, _ := a.DB.MaxPersonID(ctx)
	maxCredit, _ := a.DB.MaxCreditID(ctx)
	p := &person.Person{ID: maxPerson + 1, NSS: nss, CURP: curp, RFC: rfc, GivenNames: n.Given, FirstSurname: n.First, SecondSurname: n.Second,
		BirthDate: portal.NewDate(1980, 5, 17), Sex: "H", State: "DF"}
	acme := employment.Employer{ID: 900_001, RegistroPatronal: "A1234567890", RazonSocial: "ACME DE MÉXICO, S.A. DE C.V.", State: "DF"}
	if err := a.DB.LoadEmployers(ctx, []employment.Employer{acme}); err != nil {
		t.Fatal(err)
	}
	c := credit.Credit{ID: maxCredit + 1, Number: "1599000001", PersonID: p.ID, Product: "tradicional", Denomination: credit.DenomPesos,
		Origination: portal.NewDate(2015, 6, 1), OriginalAmount: portal.Pesos(650_000, 0), AnnualRateBP: 1200, TermMonths: 360,
		MonthlyPayment: portal.Pesos(6_000, 0), DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: int64(portal.Pesos(6_000, 0)),
		EmployerID: acme.ID, State: credit.StateVigente}
	mv := func(kind string, y int, m time.Month, d int, pesos int64) credit.Movement {
		return credit.Movement{CreditID: c.ID, Kind: kind, Period: y*100 + int(m), ValueDate: portal.NewDate(y, m, d), Amount: portal.Pesos(pesos, 0)}
	}
	moves := []credit.Movement{mv(credit.KindApertura, 2024, 11, 30, 500_000), mv(credit.KindInteres, 2024, 12, 31, 4_800)}
	for m := time.January; m <= time.December; m++ {
		switch m {
		case time.May:
		case time.June:
			moves = append(moves, mv(credit.KindDescuentoNomina, 2025, m, 15, -12_000))
		default:
			moves = append(moves, mv(credit.KindDescuentoNomina, 2025, m, 15, -6_000))
		}
		last := portal.NewDate(2025, m+1, 0)
		moves = append(moves, mv(credit.KindInteres, 2025, m, last.D, 5_000))
		if m%2 == 0 {
			moves = append(moves, mv(credit.KindSeguro, 2025, m, last.D, 15))
		}
	}
	moves = append(moves, mv(credit.KindPagoDirecto, 2026, 1, 15, -6_000))
	rel := employment.Relation{PersonID: p.ID, EmployerID: acme.ID, Start: portal.NewDate(2019, 3, 1), DailySalary: portal.Pesos(900, 0)}
	if _, err := a.DB.LoadRecords(ctx, &store.Records{People: []*person.Person{p}, Relations: []employment.Relation{rel},
		Credits: []credit.Credit{c}, CreditMovements: moves}); err != nil {
		t.Fatal(err)
	}
	return p.ID, c
}

var folioRe = regexp.MustCompile(`Folio: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})`)

// pdfText extracts a PDF's text with pdftotext, every run of white space
// made one space.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		need.Unavailable(t, "pdftotext", "install poppler-utils")
		return ""
	}
	path := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`\s+`).ReplaceAllString(string(out), " ")
}

// download GETs a PDF and returns it with its folio.
func download(t *testing.T, b *browser, path string) ([]byte, string, string) {
	t.Helper()
	rec := b.do("GET", path, nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF-")) {
		t.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
	text := pdfText(t, rec.Body.Bytes())
	m := folioRe.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("%s: no folio in %s", path, text)
	}
	return rec.Body.Bytes(), m[1], text
}

func contains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

// The constancia de intereses through the site on both engines: the
// page's figures are example A's, the PDF says the same, downloading it
// twice gives the same file and folio, /verificar knows it, accepts the
// file and refuses it with one byte changed; a corrected ledger gives a
// new folio and the old one says a newer version exists.
func TestConstanciaDocument(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, _, _ := portalWithClock(t, engine)
			clock.Set(documentsDay)
			ctx := context.Background()
			pid, c := handMadeBorrower(t, a)
			b := accountFor(t, a, pid)

			if body := b.do("GET", "/mi-cuenta/credito", nil).Body.String(); !strings.Contains(body, `href="/mi-cuenta/credito/constancia-intereses"`) ||
				!strings.Contains(body, `href="/mi-cuenta/credito/avisos"`) || !strings.Contains(body, `href="/mi-cuenta/credito/cancelacion-hipoteca"`) {
				t.Error("the credit page does not link the documents")
			}
			rec := b.do("GET", "/mi-cuenta/credito/constancia-intereses", nil)
			contains(t, "constancia page", rec.Body.String(), `<option value="2025" selected>2025</option>`,
				"$59,800.00", "$498,845.00", "0.036898", "$18,406.23", "$41,393.77", "60,520.98 UDIS con la UDI de 8.340909",
				"$504,800.00", "$492,890.00", "Banxico; verificar", `<th scope="row">noviembre de 2025</th><td class="num">$493,875.00</td>`,
				`href="/mi-cuenta/credito/constancia-intereses/2025.pdf" download`)
			if rec.Code != 200 || strings.Contains(rec.Body.String(), "Veces Salario Mínimo") {
				t.Fatalf("constancia page: %d", rec.Code)
			}
			for _, bad := range []string{"1800", "2026", "dos mil", ""} {
				rec := b.do("GET", "/mi-cuenta/credito/constancia-intereses?anio="+url.QueryEscape(bad), nil)
				if rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#anio"`) || !strings.Contains(rec.Body.String(), "Elige un año de la lista") {
					t.Errorf("year %q: %d", bad, rec.Code)
				}
			}
			for path, want := range map[string]string{
				"/mi-cuenta/credito/constancia-intereses/2026.pdf": "a partir del 1 de enero de 2027",
				"/mi-cuenta/credito/constancia-intereses/2023.pdf": "Tu historial en Mi Cuenta empieza en 2025",
				"/mi-cuenta/credito/constancia-intereses/2025":     "no existe",
				"/mi-cuenta/credito/constancia-intereses/x.pdf":    "no existe",
			} {
				if rec := b.do("GET", path, nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), want) {
					t.Errorf("%s: %d", path, rec.Code)
				}
			}

			pdf, folio, text := download(t, b, "/mi-cuenta/credito/constancia-intereses/2025.pdf")
			contains(t, "constancia PDF", text, "Constancia de intereses 2025", "JUAN PÉREZ LÓPEZ", "1599000001",
				"Intereses nominales pagados en 2025 $59,800.00", "(−) Ajuste anual por inflación (saldo promedio × factor) $18,406.23",
				"Intereses reales deducibles $41,393.77", "http://example.com/verificar/"+folio)
			clock.Add(2 * time.Minute)
			again, folio2, _ := download(t, b, "/mi-cuenta/credito/constancia-intereses/2025.pdf")
			if folio2 != folio || !bytes.Equal(again, pdf) {
				t.Fatalf("second download: folio %s vs %s, same bytes %v", folio2, folio, bytes.Equal(again, pdf))
			}

			// Anyone can check it, without signing in.
			anon := newBrowser(t, a.Site)
			rec = anon.do("GET", "/verificar/"+folio, nil)
			contains(t, "verification page", rec.Body.String(), "Constancia de intereses para la declaración anual", "Ejercicio fiscal 2025",
				"J*** P*** L***", "******0001", "2 dic 2026 a las 12:00", "no tiene fecha de vencimiento")
			if rec.Code != 200 || strings.Contains(rec.Body.String(), "JUAN") {
				t.Fatalf("verification page: %d", rec.Code)
			}
			verifyFile := func(file []byte) *httpResult {
				return result(anon.uploadFile("/verificar/"+folio, "archivo", "constancia.pdf", file, nil))
			}
			if r := verifyFile(pdf); r.code != 200 || !strings.Contains(r.body, "El archivo coincide") {
				t.Fatalf("genuine file: %d", r.code)
			}
			tampered := bytes.Clone(pdf)
			tampered[len(tampered)/2] ^= 0x01
			if r := verifyFile(tampered); r.code != 200 || !strings.Contains(r.body, "El archivo no coincide") {
				t.Fatalf("tampered file: %d", r.code)
			}
			sum := sha256.Sum256(pdf)
			if r := result(anon.do("POST", "/verificar/"+folio, url.Values{"huella": {strings.ToUpper(hex.EncodeToString(sum[:]))}})); r.code != 200 || !strings.Contains(r.body, "El archivo coincide") {
				t.Fatalf("pasted hash: %d", r.code)
			}
			// Wrong input is answered at the field, in Spanish.
			for name, r := range map[string]*httpResult{
				"no input":  result(anon.do("POST", "/verificar/"+folio, url.Values{})),
				"bad hash":  result(anon.do("POST", "/verificar/"+folio, url.Values{"huella": {"abc"}})),
				"not a PDF": result(anon.uploadFile("/verificar/"+folio, "archivo", "foto.png", []byte("\x89PNG\r\n\x1a\nxxxx"), nil)),
				"empty":     result(anon.uploadFile("/verificar/"+folio, "archivo", "vacio.pdf", nil, nil)),
			} {
				if r.code != 400 || !strings.Contains(r.body, "error-summary") || !strings.Contains(r.body, "<title>Error:") {
					t.Errorf("%s: %d", name, r.code)
				}
			}
			// An unknown folio: 404 in Spanish, on GET and POST alike.
			unknown, _ := document.NewFolio(nil)
			for _, r := range []*httpResult{result(anon.do("GET", "/verificar/"+unknown, nil)), result(anon.uploadFile("/verificar/"+unknown, "archivo", "c.pdf", pdf, nil)),
				result(anon.do("GET", "/verificar/no-es-un-folio", nil))} {
				if r.code != 404 || !strings.Contains(r.body, "No encontramos ese folio") {
					t.Errorf("unknown folio: %d", r.code)
				}
			}
			// The form: a malformed folio at the field; a typed one, in any
			// case and without hyphens, to its page.
			if r := result(anon.do("GET", "/verificar?folio=123", nil)); r.code != 400 || !strings.Contains(r.body, `href="#folio"`) {
				t.Errorf("malformed folio: %d", r.code)
			}
			rec = anon.do("GET", "/verificar?folio="+url.QueryEscape(strings.ToLower(strings.ReplaceAll(folio, "-", " "))), nil)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/verificar/"+folio {
				t.Errorf("typed folio: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			if rec := anon.do("GET", "/verificar", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `<label class="label" for="folio">`) {
				t.Errorf("form: %d", rec.Code)
			}

			// A corrected ledger: a new folio; the old one points to it.
			if _, err := a.DB.LoadRecords(ctx, &store.Records{CreditMovements: []credit.Movement{{CreditID: c.ID, Kind: credit.KindAjuste,
				Period: 202503, SourceID: 1, ValueDate: portal.NewDate(2025, 3, 20), Amount: -portal.Pesos(1_000, 0)}}}); err != nil {
				t.Fatal(err)
			}
			_, folio3, _ := download(t, b, "/mi-cuenta/credito/constancia-intereses/2025.pdf")
			if folio3 == folio {
				t.Fatal("a corrected ledger kept the folio")
			}
			if body := anon.do("GET", "/verificar/"+folio, nil).Body.String(); !strings.Contains(body, "Existe una versión más reciente") {
				t.Error("the old folio does not say a newer version exists")
			}
			// Each download is in the audit log.
			es, _ := a.DB.RecentAudit(ctx, audit.Filter{PersonID: pid, Limit: 20})
			issued, downloaded := 0, 0
			for _, e := range es {
				switch e.Action {
				case document.AuditIssued:
					issued++
				case document.AuditDownloaded:
					downloaded++
				}
			}
			if issued != 2 || downloaded != 1 {
				t.Errorf("audit: %d issued, %d downloaded", issued, downloaded)
			}
		})
	}
}

// The avisos: a live credit with a job gets the retención, the
// modificación once the discount changed, no suspensión; each verifies.
// A paid-off credit gets the suspensión and the carta de cancelación,
// valid 180 days; after that, a new carta and the old one says it
// expired. A live credit's carta is refused, saying why.
func TestAvisosAndCancellation(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, email, password := portalWithClock(t, engine)
			clock.Set(documentsDay)
			ctx := context.Background()
			pid, c := handMadeBorrower(t, a)
			b := accountFor(t, a, pid)
			anon := newBrowser(t, a.Site)

			body := b.do("GET", "/mi-cuenta/credito/avisos", nil).Body.String()
			contains(t, "avisos page", body, "ACME DE MÉXICO, S.A. DE C.V. (registro patronal A1234567890)", "PESOS (cuota fija mensual)",
				"$6,000.00 al mes", "1 mar 2019", `href="/mi-cuenta/credito/avisos/retencion.pdf" download`, "no ha cambiado", "sigue vigente")
			if strings.Contains(body, "modificacion.pdf") || strings.Contains(body, "suspension.pdf") {
				t.Fatal("avisos that do not apply are offered")
			}
			_, folio, text := download(t, b, "/mi-cuenta/credito/avisos/retencion.pdf")
			contains(t, "retención PDF", text, "Aviso de retención de descuentos", "A: ACME DE MÉXICO, S.A. DE C.V. (registro patronal A1234567890)",
				"Número de crédito: 1599000001", "Valor del descuento: $6,000.00 al mes", "Fecha de inicio del descuento: 1 de marzo de 2019")
			if v := anon.do("GET", "/verificar/"+folio, nil).Body.String(); !strings.Contains(v, "Aviso de retención de descuentos") {
				t.Error("retención not verifiable")
			}
			for path, want := range map[string]string{"/mi-cuenta/credito/avisos/suspension.pdf": "sigue vigente",
				"/mi-cuenta/credito/avisos/modificacion.pdf": "no ha cambiado", "/mi-cuenta/credito/avisos/otro.pdf": "no existe",
				"/mi-cuenta/credito/cancelacion-hipoteca/carta.pdf": "Todavía debes"} {
				if rec := b.do("GET", path, nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), want) {
					t.Errorf("%s: %d", path, rec.Code)
				}
			}
			page := b.do("GET", "/mi-cuenta/credito/cancelacion-hipoteca", nil).Body.String()
			contains(t, "cancellation page of a live credit", page, "Todavía no puedes descargar la carta", "Todavía debes", "Confirma que tu saldo es cero",
				"Recoge tus escrituras")
			if strings.Contains(page, "carta.pdf") {
				t.Error("a live credit is offered the carta")
			}

			// The discount changed (a restructuring): the modificación.
			if err := a.DB.AddDiscountChange(ctx, credit.DiscountChange{CreditID: c.ID, Effective: portal.NewDate(2026, 3, 1),
				Type: credit.DiscountPorcentaje, FactorE4: 2500, Reason: "Reestructura"}); err != nil {
				t.Fatal(err)
			}
			_, _, text = download(t, b, "/mi-cuenta/credito/avisos/modificacion.pdf")
			contains(t, "modificación PDF", text, "Aviso de modificación de descuentos", "Valor del descuento: 25.00%",
				"Fecha de inicio del descuento: 1 de marzo de 2026", "Motivo: Reestructura")
			// …and the retención now carries the new terms: a new folio.
			if _, f2, _ := download(t, b, "/mi-cuenta/credito/avisos/retencion.pdf"); f2 == folio {
				t.Error("the retención kept its folio after the discount changed")
			}

			// A paid-off credit from the seed.
			paid := personWhoseCreditIs(t, a, credit.StateLiquidado, pid)
			if paid == 0 {
				t.Fatal("no paid-off credit in the sample")
			}
			pb := accountFor(t, a, paid)
			page = pb.do("GET", "/mi-cuenta/credito/cancelacion-hipoteca", nil).Body.String()
			contains(t, "cancellation page", page, "Tu crédito está liquidado", `href="/mi-cuenta/credito/cancelacion-hipoteca/carta.pdf" download`,
				`<span class="tag tag-success">Hecho</span>`)
			if strings.Contains(page, "Aviso descargado") {
				t.Error("the aviso counts as downloaded before it was")
			}
			_, _, text = download(t, pb, "/mi-cuenta/credito/avisos/suspension.pdf")
			contains(t, "suspensión PDF", text, "Aviso de suspensión de descuentos", "Liquidación del crédito")
			pdf, carta, text := download(t, pb, "/mi-cuenta/credito/cancelacion-hipoteca/carta.pdf")
			contains(t, "carta PDF", text, "Carta de instrucción de cancelación de hipoteca", "fue liquidado en su totalidad",
				"hasta el 31 de mayo de 2027", "Vigente hasta el 31 de mayo de 2027 (inclusive)")
			if page := pb.do("GET", "/mi-cuenta/credito/cancelacion-hipoteca", nil).Body.String(); !strings.Contains(page, "Aviso descargado") || !strings.Contains(page, "Carta descargada") {
				t.Error("the checklist does not show the downloads")
			}
			if v := anon.do("GET", "/verificar/"+carta, nil).Body.String(); !strings.Contains(v, "Vigente hasta el 31 may 2027") {
				t.Errorf("carta verification: %s", v)
			}
			// 181 days later it has expired: the old folio says so, and a
			// new download is a new carta.
			clock.Add(181 * 24 * time.Hour)
			v := anon.do("GET", "/verificar/"+carta, nil).Body.String()
			contains(t, "expired carta", v, "Vencido el 31 may 2027", "ya no es válido")
			sum := sha256.Sum256(pdf)
			if r := result(anon.do("POST", "/verificar/"+carta, url.Values{"huella": {hex.EncodeToString(sum[:])}})); !strings.Contains(r.body, "El archivo coincide") || !strings.Contains(r.body, "Vencido") {
				t.Errorf("an expired carta's file: %d", r.code)
			}
			pb.do("POST", "/ingresar", url.Values{"identificador": {fmt.Sprintf("persona%d@correo.example", paid)}, "contrasena": {"Pozole-2026!"}})
			if _, renewed, _ := download(t, pb, "/mi-cuenta/credito/cancelacion-hipoteca/carta.pdf"); renewed == carta {
				t.Error("an expired carta was handed out again")
			}

			// The demo borrower's live credit: no suspensión, no carta.
			demo := signedIn(t, a, email, password)
			if rec := demo.do("GET", "/mi-cuenta/credito/cancelacion-hipoteca/carta.pdf", nil); rec.Code != 404 {
				t.Errorf("demo carta: %d", rec.Code)
			}
		})
	}
}

// /verificar's forms: more than the upload limit is 413; more than 30
// comparisons an hour from one address is 429.
func TestVerifyLimits(t *testing.T) {
	a, clock, _, _ := portalWithClock(t, "sqlite")
	clock.Set(documentsDay)
	pid, _ := handMadeBorrower(t, a)
	_, folio, _ := download(t, accountFor(t, a, pid), "/mi-cuenta/credito/constancia-intereses/2025.pdf")
	anon := newBrowser(t, a.Site)
	// Odd input is never a 500.
	for _, r := range []struct {
		what string
		rec  *httpResult
		code int
	}{
		{"broken multipart", result(anon.send("POST", "/verificar/"+folio, strings.NewReader("--x\r\nbasura"), "multipart/form-data; boundary=x")), 400},
		{"binary folio", result(anon.do("GET", "/verificar/%FF%FE%00", nil)), 404},
		{"long folio", result(anon.do("GET", "/verificar/"+strings.Repeat("A", 5000), nil)), 404},
		{"empty folio", result(anon.do("GET", "/verificar?folio=", nil)), 400},
		{"hash of another length", result(anon.do("POST", "/verificar/"+folio, url.Values{"huella": {strings.Repeat("ab", 40)}})), 400},
	} {
		if r.rec.code != r.code || !strings.Contains(r.rec.body, "lang=\"es") {
			t.Errorf("%s: %d, want %d", r.what, r.rec.code, r.code)
		}
	}
	big := append([]byte("%PDF-"), bytes.Repeat([]byte("x"), 3<<20)...)
	if r := result(anon.uploadFile("/verificar/"+folio, "archivo", "grande.pdf", big, nil)); r.code != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MiB: %d", r.code)
	}
	for i := 0; i < document.ComparisonsPerHour-3; i++ { // the broken multipart, the odd hash and the 3 MiB upload above were three
		if r := result(anon.do("POST", "/verificar/"+folio, url.Values{"huella": {strings.Repeat("0", 64)}})); r.code != 200 {
			t.Fatalf("comparison %d: %d", i+1, r.code)
		}
	}
	r := result(anon.do("POST", "/verificar/"+folio, url.Values{"huella": {strings.Repeat("0", 64)}}))
	if r.code != http.StatusTooManyRequests || !strings.Contains(r.body, "demasiadas comprobaciones") {
		t.Fatalf("over the limit: %d", r.code)
	}
	// Reading the page is not limited.
	if rec := anon.do("GET", "/verificar/"+folio, nil); rec.Code != 200 {
		t.Errorf("page after the limit: %d", rec.Code)
	}
}

type httpResult struct {
	code int
	body string
}

func result(rec *httptest.ResponseRecorder) *httpResult {
	res := rec.Result()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	return &httpResult{code: res.StatusCode, body: buf.String()}
}

// uploadFile posts a multipart form with one file in field.
func (b *browser) uploadFile(path, field, name string, content []byte, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	w, err := mw.CreateFormFile(field, name)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = w.Write(content)
	_ = mw.Close()
	return b.send("POST", path, &buf, mw.FormDataContentType())
}
