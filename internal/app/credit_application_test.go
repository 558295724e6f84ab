package app_test

import (
	"bytes"
	"context"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/savings"
	"micuenta/internal/testutil/testclock"
	"micuenta/internal/testutil/testdocs"
)

// The credit application (issue 9) over HTTP on both engines: who may
// apply and why not; the two steps (the offer, then the application) with
// missing and invalid documents and fields — the Spanish message at each
// field and nothing written, neither request nor file; the application
// filed with its figures and stages; an operator moving it through every
// stage on working days, each with its due date; and the exercised credit
// in the ledger — its row, its disbursement, the savings applied — on the
// person's credit page, and pre-qualification saying there is a credit.

const applicationPath = "/mi-cuenta/solicitud-credito"

// upFile is a file a test attaches to one field.
type upFile struct {
	name string
	body []byte
}

// applyForCredit posts the application form with a file per field, as a
// browser sends it.
func (b *browser) applyForCredit(form url.Values, files map[string]upFile) *httptest.ResponseRecorder {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fields := make([]string, 0, len(files))
	for f := range files {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		w, err := mw.CreateFormFile(f, files[f].name)
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = w.Write(files[f].body)
	}
	_ = mw.Close()
	return b.send("POST", applicationPath, &buf, mw.FormDataContentType())
}

// storedFiles counts the documents in the portal's document storage.
func storedFiles(t *testing.T, a *app.App) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(a.Config.DocumentsDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// signInAgain signs a person made by accountFor in again after the clock
// moved past their session (the device is still known).
func signInAgain(t *testing.T, b *browser, personID int64) {
	t.Helper()
	email := "persona" + strconv.FormatInt(personID, 10) + "@correo.example"
	if rec := b.do("POST", "/ingresar", url.Values{"identificador": {email}, "contrasena": {"Pozole-2026!"}}); rec.Code != http.StatusSeeOther ||
		rec.Header().Get("Location") != "/mi-cuenta" {
		t.Fatalf("sign in again as %d: %d %s", personID, rec.Code, rec.Header().Get("Location"))
	}
}

// at moves the clock to noon, Mexico City, of a day.
func at(clock *testclock.Clock, d portal.Date) {
	clock.Set(time.Date(d.Y, d.M, d.D, 18, 0, 0, 0, time.UTC))
}

// The application's fields for the qualifier: a Crédito Infonavit at 20
// years for a home worth 600,000.00.
func applicationForm() url.Values {
	return url.Values{"producto": {"infonavit"}, "plazo": {"20"},
		"domicilio": {"Av. Patria 1234, Col. Jardines del Valle, Zapopan"}, "estado": {"JC"}, "codigo_postal": {"45138"},
		"valor": {"600000.00"}, "vendedor": {"DESARROLLOS DEL BAJIO, S.A. DE C.V."}, "avaluo": {"AV-2026-0001234"}, "acepto": {"si"}}
}

func applicationDocs(t *testing.T) map[string]upFile {
	return map[string]upFile{
		"doc_solicitud":      {"solicitud.pdf", testdocs.PDF(t, "Solicitud de inscripcion de credito")},
		"doc_identificacion": {"ine.pdf", testdocs.PDF(t, "Credencial para votar")},
		"doc_acta":           {"acta.pdf", testdocs.PDF(t, "Acta de nacimiento")},
		"doc_avaluo":         {"avaluo.pdf", testdocs.PDF(t, "Avaluo AV-2026-0001234")},
	}
}

func TestCreditApplicationEligibility(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, _ := servicingPortal(t, engine)
			jid := addApplicant(t, a, withoutJob())
			cid := addApplicant(t, a, withCredit())
			j, c := accountFor(t, a, jid), accountFor(t, a, cid)

			body := wantText(t, j, applicationPath, http.StatusOK, "Por ahora no puedes solicitar un crédito",
				"No tienes una relación laboral vigente: ningún patrón te reportó en el bimestre anterior.",
				"Hoy no precalificas para ningún crédito.", "Créditos que hoy no puedes pedir")
			if strings.Contains(body, `name="producto"`) {
				t.Error("someone who does not qualify is offered a product")
			}
			wantText(t, c, applicationPath, http.StatusOK, "Por ahora no puedes solicitar un crédito", "Tienes un crédito Infonavit vigente (número 98")

			// Posting anyway is refused at the eligibility box; nothing is written.
			for who, b := range map[int64]*browser{jid: j, cid: c} {
				rec := b.applyForCredit(applicationForm(), applicationDocs(t))
				if rec.Code == http.StatusSeeOther || rec.Code >= 500 || !strings.Contains(rec.Body.String(), `id="elegibilidad"`) {
					t.Fatalf("person %d applied: %d", who, rec.Code)
				}
				if n := requestsOf(t, a, who); n != 0 {
					t.Fatalf("person %d: %d requests", who, n)
				}
			}
			if n := storedFiles(t, a); n != 0 {
				t.Fatalf("%d files stored", n)
			}
		})
	}
}

func TestCreditApplication(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock := servicingPortal(t, engine)
			ctx := context.Background()
			pid := addApplicant(t, a, qualifier())
			b := accountFor(t, a, pid)

			// The first step: the products, then the offer.
			body := wantText(t, b, applicationPath, http.StatusOK, "Puedes solicitar un crédito", "Tipo de crédito", "Continuar")
			for _, p := range []string{"infonavit", "cofinavit", "unamos", "mejoravit"} {
				if !strings.Contains(body, `value="`+p+`"`) {
					t.Errorf("the first step lacks %s", p)
				}
			}
			wantText(t, b, applicationPath+"?paso=oferta", http.StatusBadRequest, "Elige un tipo de crédito de la lista.")
			wantText(t, b, applicationPath+"?producto=infonavit&plazo=31", http.StatusBadRequest, "El plazo de este crédito es de 1 a 30 años.")
			wantText(t, b, applicationPath+"?producto=unamos&co_salario=x", http.StatusBadRequest, "Escribe el salario mensual de la otra persona")
			// 4,560.00 a month at 6.59% for 20 years: 607,286.53.
			body = wantText(t, b, applicationPath+"?producto=infonavit&plazo=20", http.StatusOK, "Paso 1 de 2: tu crédito",
				"Monto del crédito hasta $607,286.53", "Tasa de interés 6.59% anual", "Plazo 20 años", "Mensualidad $4,560.00",
				"Ahorro de tu Subcuenta de Vivienda $85,500.00", "Para comprar tu vivienda hasta $692,786.53", "(126 puntos)",
				"Solicitud de inscripción de crédito", "Identificación oficial vigente", "Acta de nacimiento", "Avalúo de la vivienda")
			for _, f := range []string{`name="doc_solicitud"`, `name="doc_avaluo"`, `type="hidden" name="producto" value="infonavit"`, `name="plazo" value="20"`} {
				if !strings.Contains(body, f) {
					t.Errorf("the second step lacks %s", f)
				}
			}

			// No documents: each one asked for at its field, nothing written.
			rec := b.applyForCredit(applicationForm(), nil)
			text := textOf(rec.Body.String())
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("no documents: %d", rec.Code)
			}
			for _, want := range []string{"Adjunta este documento: Solicitud de inscripción de crédito.", "Adjunta este documento: Acta de nacimiento.",
				"Adjunta este documento: Avalúo de la vivienda."} {
				if !strings.Contains(text, want) {
					t.Errorf("no documents: lacks %q", want)
				}
			}
			if !strings.Contains(rec.Body.String(), `id="doc_acta-error"`) || !strings.Contains(rec.Body.String(), `href="#doc_acta"`) {
				t.Error("the missing document's error is not at its field and in the summary")
			}
			// A script named .pdf: refused by content at its field.
			docs := applicationDocs(t)
			docs["doc_acta"] = upFile{"acta.pdf", []byte("#!/bin/sh\necho hola\n")}
			rec = b.applyForCredit(applicationForm(), docs)
			if rec.Code != http.StatusBadRequest || !strings.Contains(textOf(rec.Body.String()), "acta.pdf: Solo aceptamos archivos PDF, JPG o PNG") {
				t.Fatalf("a script as a document: %d %s", rec.Code, textOf(rec.Body.String()))
			}
			// Every field wrong, with good documents.
			bad := url.Values{"producto": {"infonavit"}, "plazo": {"20"}, "domicilio": {"Calle 1"}, "estado": {"XX"}, "codigo_postal": {"123"},
				"valor": {"0"}, "vendedor": {"<b>"}, "avaluo": {"A 1"}}
			rec = b.applyForCredit(bad, applicationDocs(t))
			text = textOf(rec.Body.String())
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("bad fields: %d", rec.Code)
			}
			for field, want := range map[string]string{
				"domicilio":     "Escribe el domicilio de la vivienda: calle, número, colonia y municipio (de 10 a 250 caracteres).",
				"estado":        "Elige el estado donde está la vivienda.",
				"codigo_postal": "Escribe el código postal de la vivienda: 5 números, por ejemplo 06700.",
				"valor":         "Escribe el valor de la vivienda en pesos, como aparece en el avalúo, por ejemplo 850000.00.",
				"vendedor":      "Escribe el nombre completo de quien vende la vivienda (una persona o una empresa), de 3 a 150 caracteres.",
				"avaluo":        "Escribe la clave del avalúo como aparece en el documento: de 8 a 30 letras y números, puede llevar guiones.",
				"acepto":        "Para enviar tu solicitud confirma que los datos y los documentos son verdaderos.",
			} {
				if !strings.Contains(text, want) || !strings.Contains(rec.Body.String(), `id="`+field+`-error"`) {
					t.Errorf("bad %s: lacks %q at the field", field, want)
				}
			}
			// A home worth less than the savings needs no credit.
			form := applicationForm()
			form.Set("valor", "80000")
			rec = b.applyForCredit(form, applicationDocs(t))
			if rec.Code != http.StatusBadRequest || !strings.Contains(textOf(rec.Body.String()), "Con el ahorro de tu Subcuenta de Vivienda alcanzas el valor de la vivienda") {
				t.Fatalf("a cheap home: %d", rec.Code)
			}
			// Unamos Créditos: the other person's NSS, checked with ident; not one's own.
			p, err := a.DB.FindPersonByID(ctx, pid)
			if err != nil {
				t.Fatal(err)
			}
			form = applicationForm()
			for k, v := range map[string]string{"producto": "unamos", "co_salario": "12000", "co_ahorro": "30000", "co_edad": "31", "co_sexo": "H"} {
				form.Set(k, v)
			}
			for nss, want := range map[string]string{p.NSS.String(): "Ese es tu NSS: escribe el de la persona con quien unes tu crédito.",
				"1234567890": "Escribe el NSS de la persona con quien unes tu crédito: 11 números, sin espacios ni guiones."} {
				form.Set("co_nss", nss)
				rec = b.applyForCredit(form, applicationDocs(t))
				text = textOf(rec.Body.String())
				if rec.Code != http.StatusBadRequest || !strings.Contains(text, want) ||
					!strings.Contains(text, "Adjunta este documento: Identificación oficial de la persona con quien unes tu crédito.") {
					t.Fatalf("Unamos with NSS %s: %d %s", nss, rec.Code, text)
				}
			}
			if n := requestsOf(t, a, pid); n != 0 {
				t.Fatalf("refused applications left %d requests", n)
			}
			if n := storedFiles(t, a); n != 0 {
				t.Fatalf("refused applications left %d files", n)
			}

			// Filed: the home is worth 600,000.00, so the credit is
			// 600,000.00 − 85,500.00 = 514,500.00 at 6.59% for 20 years:
			// 3,863.29 a month with the ledger's rounding.
			folio := filed(t, b.applyForCredit(applicationForm(), applicationDocs(t)), "SCR")
			if n := storedFiles(t, a); n != 4 {
				t.Fatalf("%d files stored, want the 4 documents", n)
			}
			reqPath := "/mi-cuenta/tramites/" + folio
			wantText(t, b, reqPath, http.StatusOK, "Solicitud de crédito", "Estado Recibida", "Respuesta a más tardar 21 ene 2027",
				"Crédito Crédito Infonavit", "Monto del crédito $514,500.00", "Tasa de interés 6.59% anual, fija", "Plazo 20 años",
				"Mensualidad $3,863.29", "Ahorro de tu Subcuenta de Vivienda $85,500.00",
				"Vivienda Av. Patria 1234, Col. Jardines del Valle, Zapopan, C.P. 45138, Jalisco", "Valor de la vivienda $600,000.00",
				"Quien vende DESARROLLOS DEL BAJIO, S.A. DE C.V.", "Clave del avalúo AV-2026-0001234",
				"Precalificación y simulación del 24 nov 2026 (126 puntos)",
				"Integración del expediente En curso desde el 24 nov 2026 1 dic 2026",
				"Revisión Pendiente 15 dic 2026 (estimada)", "Inscripción Pendiente 22 dic 2026 (estimada)",
				"Firma de escrituras Pendiente 14 ene 2027 (estimada)", "Crédito ejercido Pendiente 21 ene 2027 (estimada)",
				"Acta de nacimiento - acta.pdf", "Avalúo de la vivienda - avaluo.pdf")
			// One application at a time; pre-qualification counts it.
			wantText(t, b, applicationPath, http.StatusOK, "Ya tienes una solicitud de crédito en trámite: folio "+folio)
			if rec := b.applyForCredit(applicationForm(), applicationDocs(t)); rec.Code == http.StatusSeeOther || requestsOf(t, a, pid) != 1 || storedFiles(t, a) != 4 {
				t.Fatalf("a second application: %d", rec.Code)
			}
			wantText(t, b, "/mi-cuenta/precalificacion", http.StatusOK, "Tu solicitud de crédito está en trámite",
				"Crédito Infonavit vigente o en trámite Solicitud en trámite, folio "+folio)

			// The back office: the stages, what deciding needs, no plain approval.
			op := staff(t, a, clock)
			admin := "/admin/tramites/" + folio
			body = wantText(t, op, admin, http.StatusOK, "Etapas", "Integración del expediente En curso desde el 24 nov 2026",
				"La solicitud hoy", "Precalificación hoy 126 puntos; Crédito Infonavit pide 100 y 3 bimestres continuos (tiene 18) · precalifica",
				"Crédito solicitado $514,500.00 (simulado $607,286.53) a 6.59% anual, 20 años, mensualidad $3,863.29",
				"Ahorro que se aplicaría hoy $85,500.00", "Documentos que pide Crédito Infonavit",
				"Acta de nacimiento Acta de nacimiento - acta.pdf")
			if strings.Contains(body, `value="aprobar"`) || strings.Contains(body, `value="etapa"`) {
				t.Error("a request not taken offers to approve or advance")
			}
			if rec := op.do("POST", admin, url.Values{"accion": {"etapa"}}); rec.Code == http.StatusSeeOther ||
				!strings.Contains(textOf(rec.Body.String()), "Solo un trámite en revisión avanza de etapa; este está recibida.") {
				t.Fatalf("advancing a request not taken: %d %s", rec.Code, textOf(rec.Body.String()))
			}

			// Each stage on its own day; the operator's session and the
			// person's expire in between, so both sign in again.
			advance := func(d portal.Date, message string, wantRequest ...string) {
				t.Helper()
				moved := portal.DateOf(clock.Now()) != d
				if moved {
					at(clock, d)
					op = staffSignIn(t, a, clock, "decide@fondo.example")
				}
				if rec := op.do("POST", admin, url.Values{"accion": {"etapa"}, "mensaje": {message}}); rec.Code != http.StatusSeeOther {
					t.Fatalf("advance on %s: %d %s", d, rec.Code, textOf(rec.Body.String()))
				}
				if moved {
					signInAgain(t, b, pid)
				}
				wantText(t, b, reqPath, http.StatusOK, wantRequest...)
			}
			at(clock, day(2026, 11, 25))
			op = staffSignIn(t, a, clock, "decide@fondo.example")
			signInAgain(t, b, pid)
			if rec := op.do("POST", admin, url.Values{"accion": {"tomar"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("take: %d", rec.Code)
			}
			body = wantText(t, op, admin, http.StatusOK, "Estado En revisión", "Expediente completo: pasar a revisión")
			if strings.Contains(body, `value="aprobar"`) {
				t.Error("an application offers a plain approval")
			}
			// A tampered approval before the last stage is refused; nothing changes.
			if rec := op.do("POST", admin, url.Values{"accion": {"aprobar"}}); rec.Code == http.StatusSeeOther ||
				!strings.Contains(textOf(rec.Body.String()), "El crédito se ejerce al terminar la última etapa, «Crédito ejercido»; la solicitud está en «Integración del expediente».") {
				t.Fatalf("approving before the stages: %d %s", rec.Code, textOf(rec.Body.String()))
			}
			if cs, _ := a.DB.CreditsOf(ctx, pid); len(cs) != 0 {
				t.Fatal("a credit before the last stage")
			}
			advance(day(2026, 11, 25), "", "Estado En revisión",
				"Integración del expediente Terminada el 25 nov 2026", "Revisión En curso desde el 25 nov 2026 9 dic 2026",
				"Revisión. Tu expediente está completo. Revisamos tu solicitud, el avalúo y los datos de la vivienda y de quien la vende a más tardar el 9 dic 2026.")
			advance(day(2026, 11, 30), "El avalúo y la vivienda están en orden.", "Revisión Terminada el 30 nov 2026",
				"Inscripción En curso desde el 30 nov 2026 7 dic 2026", "Inscripción. Revisamos tu solicitud y está en orden. Inscribimos tu crédito a más tardar el 7 dic 2026.",
				"El avalúo y la vivienda están en orden.")
			advance(day(2026, 12, 1), "", "Firma de escrituras En curso desde el 1 dic 2026 22 dic 2026",
				"Crédito ejercido Pendiente 30 dic 2026 (estimada)")
			advance(day(2026, 12, 9), "", "Firma de escrituras Terminada el 9 dic 2026", "Crédito ejercido En curso desde el 9 dic 2026 16 dic 2026",
				"Pagamos a quien vende la vivienda y ejercemos tu crédito a más tardar el 16 dic 2026.")
			if cs, _ := a.DB.CreditsOf(ctx, pid); len(cs) != 0 {
				t.Fatal("a credit before it is exercised")
			}
			wantText(t, op, admin, http.StatusOK, "Registrar el crédito ejercido")

			// Exercised on 10 December 2026.
			advance(day(2026, 12, 10), "", "Estado Aprobada", "Crédito ejercido Terminada el 10 dic 2026",
				"Tu crédito 2690000001 quedó ejercido: $514,500.00 con una tasa fija de 6.59% anual, a 20 años, con una mensualidad de $3,863.29. Ya puedes consultarlo en Mi crédito.",
				"A la compra se aplicaron $85,500.00 de tu Subcuenta de Vivienda.")
			c := creditOf(t, a, pid)
			want := credit.Credit{ID: c.ID, Number: "2690000001", PersonID: pid, Product: "infonavit", Denomination: credit.DenomPesos,
				Origination: day(2026, 12, 10), OriginalAmount: 514_500_00, AnnualRateBP: 659, TermMonths: 240, MonthlyPayment: 3_863_29,
				DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 3_863_29, EmployerID: 1, State: credit.StateVigente}
			if c != want {
				t.Fatalf("the credit\n got %+v\nwant %+v", c, want)
			}
			q := mustFind(t, a, folio)
			if moves := movesOf(t, a, c.ID); len(moves) != 1 || moves[0].Kind != credit.KindDisposicion || moves[0].Amount != 514_500_00 ||
				moves[0].ValueDate != day(2026, 12, 10) || moves[0].Period != 202612 || moves[0].SourceID != q.ID {
				t.Fatalf("the ledger: %+v", moves)
			}
			if bal := balancesOf(t, a, pid); bal[savings.BucketViv97] != 0 {
				t.Fatalf("the savings after the purchase: %v", bal)
			}
			entries, _, err := a.DB.SavingsEntries(ctx, pid, savings.Filter{Kind: savings.KindAplicacionCred, Limit: 10})
			if err != nil || len(entries) != 1 || entries[0].Amount != -85_500_00 || entries[0].ValueDate != day(2026, 12, 10) {
				t.Fatalf("the savings applied: %+v %v", entries, err)
			}
			if q.State != request.Aprobada {
				t.Fatalf("the request is %s", q.State)
			}

			// The person is a borrower now.
			wantText(t, b, "/mi-cuenta/credito", http.StatusOK, "Crédito 2690000001 · Vigente", "Saldo al 10 dic 2026 $514,500.00",
				"Mensualidad $3,863.29", "Estás al corriente.", "Disposición del crédito")
			wantText(t, b, "/mi-cuenta/precalificacion", http.StatusOK, "Ya tienes un crédito Infonavit",
				"Crédito Infonavit vigente o en trámite Sí: crédito 2690000001 vigente", "Ahorro en la Subcuenta de Vivienda $0.00",
				"Tienes un crédito Infonavit vigente o en trámite.")
			wantText(t, b, applicationPath, http.StatusOK, "Tienes un crédito Infonavit vigente (número 2690000001)")

			// Nothing more to advance; the operator may close it.
			body = wantText(t, op, admin, http.StatusOK, "Estado Aprobada", "Concluir")
			if strings.Contains(body, `value="etapa"`) {
				t.Error("an exercised application offers another stage")
			}
			if rec := op.do("POST", admin, url.Values{"accion": {"etapa"}}); rec.Code == http.StatusSeeOther {
				t.Fatal("advanced an exercised application")
			}
			if cs, _ := a.DB.CreditsOf(ctx, pid); len(cs) != 1 {
				t.Fatalf("%d credits", len(cs))
			}
		})
	}
}

// Two credit applications sent at the same instant file one: the second
// is refused inside the filing transaction, with the person's record
// locked, and names the folio in course.
func TestOneCreditApplicationInCourse(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, _, _, _ := newPortal(t, engine, func(c *config.Config) { c.Demo = true })
			ctx := context.Background()
			const racers = 6
			var wg sync.WaitGroup
			errs := make([]error, racers)
			for i := range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = a.Requests.File(ctx, request.SolicitudCredito, 7, []byte("{}"),
						[]request.Upload{testdocs.Upload(t, "identificacion.pdf", testdocs.PDF(t, "INE"))})
				}()
			}
			wg.Wait()
			filed, refused := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					filed++
				case portal.ErrorCode(err) == portal.ECONFLICT && strings.Contains(portal.ErrorMessage(err), "en curso: folio SCR-"):
					refused++
				default:
					t.Errorf("unexpected: %v", err)
				}
			}
			mine, err := a.Requests.Mine(ctx, 7)
			if err != nil {
				t.Fatal(err)
			}
			if filed != 1 || refused != racers-1 || len(mine) != 1 {
				t.Fatalf("%d filed, %d refused, %d recorded; want 1, %d, 1", filed, refused, len(mine), racers-1)
			}
		})
	}
}
