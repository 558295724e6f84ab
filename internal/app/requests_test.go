package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/testutil/testdocs"
	"micuenta/internal/upload"
)

func TestCorrectionRequestPages(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, email, password := portalFor(t, engine)
			ctx := context.Background()
			b := signedIn(t, a, email, password)
			if rec := b.do("GET", "/mi-cuenta/tramites", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "No tienes trámites") {
				t.Fatalf("empty list: %d", rec.Code)
			}
			if rec := b.do("GET", "/mi-cuenta/tramites/nuevo/correccion", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Tus datos en el Fondo") {
				t.Fatalf("form: %d", rec.Code)
			}
			rec := b.do("POST", "/mi-cuenta/tramites/nuevo/correccion", url.Values{"campo": {"rfc"}, "valor": {"ABC"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#valor"`) || !strings.Contains(rec.Body.String(), `value="ABC"`) {
				t.Fatalf("bad RFC: %d", rec.Code)
			}
			if rec := b.do("POST", "/mi-cuenta/tramites/nuevo/correccion", url.Values{"valor": {"x"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#campo"`) {
				t.Fatalf("no field chosen: %d", rec.Code)
			}
			fields := url.Values{"campo": {"curp"}, "valor": {"hegg560427mvzrrl04"}, "motivo": {"RENAPO corrigió mi CURP"}}
			// The supporting document is required, and judged by its content.
			if rec := b.upload("/mi-cuenta/tramites/nuevo/correccion", fields, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#documentos"`) {
				t.Fatalf("no document: %d", rec.Code)
			}
			exe, _ := os.ReadFile(os.Args[0])
			rec = b.upload("/mi-cuenta/tramites/nuevo/correccion", fields, map[string][]byte{"constancia.pdf": exe[:64<<10]})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "Solo aceptamos archivos PDF, JPG o PNG") || !strings.Contains(rec.Body.String(), `value="hegg560427mvzrrl04"`) {
				t.Fatalf("an executable named .pdf: %d", rec.Code)
			}
			pdf := testdocs.PDF(t, "CONSTANCIA DE LA CURP")
			rec = b.upload("/mi-cuenta/tramites/nuevo/correccion", fields, map[string][]byte{"../../Constancia CURP.pdf": pdf})
			loc := rec.Header().Get("Location")
			if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/mi-cuenta/tramites?folio=COR-") {
				t.Fatalf("file: %d %s", rec.Code, rec.Body.String())
			}
			folio := strings.TrimPrefix(loc, "/mi-cuenta/tramites?folio=")
			if rec := b.do("GET", loc, nil); !strings.Contains(rec.Body.String(), "Recibimos tu trámite") || !strings.Contains(rec.Body.String(), "Recibida") {
				t.Fatalf("list after filing: %s", rec.Body.String())
			}
			rec = b.do("GET", "/mi-cuenta/tramites/"+folio, nil)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), "HEGG560427MVZRRL04") || !strings.Contains(rec.Body.String(), "Cancelar el trámite") {
				t.Fatalf("detail: %d", rec.Code)
			}
			// The document is listed under a clean name and comes back, as a
			// download, byte for byte, with its SHA-256 on record.
			link := regexp.MustCompile(`href="(/mi-cuenta/tramites/` + folio + `/documentos/\d+)"[^>]*>([^<]+)<`).FindStringSubmatch(rec.Body.String())
			if link == nil || link[2] != "Constancia CURP.pdf" {
				t.Fatalf("document link: %v", link)
			}
			got := b.do("GET", link[1], nil)
			if got.Code != 200 || !bytes.Equal(got.Body.Bytes(), pdf) || got.Header().Get("Content-Type") != "application/pdf" ||
				!strings.HasPrefix(got.Header().Get("Content-Disposition"), "attachment;") {
				t.Fatalf("download: %d %v", got.Code, got.Header())
			}
			q, _ := a.Requests.Find(ctx, folio)
			docs, _ := a.Requests.Documents(ctx, q)
			if sum := sha256.Sum256(pdf); len(docs) != 1 || docs[0].SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("recorded documents: %+v", docs)
			}
			// Another person's request, a malformed folio and an unknown one: the same 404.
			acc, _ := a.DB.FindAccountByEmail(ctx, email)
			other, err := a.Requests.File(ctx, request.Correccion, acc.PersonID+1, []byte(`{}`), []request.Upload{testdocs.Upload(t, "acta.png", testdocs.PNG(t))})
			if err != nil {
				t.Fatal(err)
			}
			otherDocs, _ := a.Requests.Documents(ctx, other)
			for _, f := range []string{other.Folio, "COR-2026-999999-0", "nada", other.Folio + "/documentos/" + strconv.FormatInt(otherDocs[0].ID, 10),
				folio + "/documentos/" + strconv.FormatInt(otherDocs[0].ID, 10)} {
				if rec := b.do("GET", "/mi-cuenta/tramites/"+f, nil); rec.Code != 404 {
					t.Errorf("%s: %d", f, rec.Code)
				}
			}
			if rec := b.do("POST", "/mi-cuenta/tramites/"+other.Folio, url.Values{"accion": {"cancelar"}}); rec.Code != 404 {
				t.Fatalf("cancelling someone else's: %d", rec.Code)
			}
			// An operator asks for information; the person answers.
			if _, err := a.Requests.Move(ctx, folio, request.EnRevision, request.Operator, 1, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Requests.Move(ctx, folio, request.RequiereInfo, request.Operator, 1, "Adjunta tu CURP certificada."); err != nil {
				t.Fatal(err)
			}
			body := b.do("GET", "/mi-cuenta/tramites/"+folio, nil).Body.String()
			if !strings.Contains(body, "Adjunta tu CURP certificada.") || !strings.Contains(body, `name="respuesta"`) {
				t.Fatal("the operator's question is not shown with a way to answer")
			}
			if rec := b.do("POST", "/mi-cuenta/tramites/"+folio, url.Values{"accion": {"responder"}, "respuesta": {""}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#respuesta"`) {
				t.Fatalf("empty answer: %d", rec.Code)
			}
			if rec := b.upload("/mi-cuenta/tramites/"+folio, url.Values{"accion": {"responder"}, "respuesta": {"Adjunto la foto de mi acta."}},
				map[string][]byte{"acta.png": testdocs.PNG(t)}); rec.Code != http.StatusSeeOther {
				t.Fatalf("answer: %d %s", rec.Code, rec.Body.String())
			}
			if docs, _ := a.Requests.Documents(ctx, q); len(docs) != 2 || docs[1].Kind != "png" || docs[1].UploadedBy != request.Owner {
				t.Fatalf("documents after the answer: %+v", docs)
			}
			if q, _ := a.Requests.Find(ctx, folio); q.State != request.EnRevision {
				t.Fatalf("state after the answer: %s", q.State)
			}
			if subject, _ := lastMessageTo(t, a, email); !strings.Contains(subject, folio) || !strings.Contains(subject, "En revisión") {
				t.Fatalf("notice: %q", subject)
			}
			// Cancelling; then nothing more can be done.
			if rec := b.do("POST", "/mi-cuenta/tramites/"+folio, url.Values{"accion": {"cancelar"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("cancel: %d", rec.Code)
			}
			rec = b.do("POST", "/mi-cuenta/tramites/"+folio, url.Values{"accion": {"cancelar"}})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "ya está cancelada") {
				t.Fatalf("cancel twice: %d %s", rec.Code, rec.Body.String())
			}
		})
	}
}

func TestARCORequests(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, email, password := portalWithClock(t, engine)
			ctx := context.Background()
			b := signedIn(t, a, email, password)
			if rec := b.do("GET", "/mi-cuenta/tramites/nuevo/arco", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Portabilidad") {
				t.Fatalf("form: %d", rec.Code)
			}
			if rec := b.upload("/mi-cuenta/tramites/nuevo/arco", url.Values{}, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#derecho"`) {
				t.Fatalf("no right chosen: %d", rec.Code)
			}
			if rec := b.upload("/mi-cuenta/tramites/nuevo/arco", url.Values{"derecho": {"cancelacion"}}, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#detalle"`) {
				t.Fatalf("cancellation without saying what: %d", rec.Code)
			}
			// Request notices by SMS as well, from the notifications page.
			if rec := b.do("POST", "/mi-cuenta/notificaciones", url.Values{"correo": {"si"}, "tramites_celular": {"si"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("preferences: %d", rec.Code)
			}
			// Portability is answered at once, with the file.
			rec := b.upload("/mi-cuenta/tramites/nuevo/arco", url.Values{"derecho": {"portabilidad"}}, nil)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("portability: %d %s", rec.Code, rec.Body.String())
			}
			folio := strings.TrimPrefix(rec.Header().Get("Location"), "/mi-cuenta/tramites?folio=")
			if !strings.HasPrefix(folio, "ARC-") {
				t.Fatalf("folio %q", folio)
			}
			q, _ := a.Requests.Find(ctx, folio)
			if q.State != request.Aprobada {
				t.Fatalf("portability state: %s", q.State)
			}
			page := b.do("GET", "/mi-cuenta/tramites/"+folio, nil).Body.String()
			if !strings.Contains(page, "mis-datos.json") {
				t.Fatal("no download on the answered request")
			}
			file := b.do("GET", "/mi-cuenta/tramites/"+folio+"/mis-datos.json", nil)
			acc, _ := a.DB.FindAccountByEmail(ctx, email)
			p, _ := a.DB.FindPersonByID(ctx, acc.PersonID)
			var export map[string]any
			if err := json.Unmarshal(file.Body.Bytes(), &export); err != nil || file.Code != 200 ||
				!strings.HasPrefix(file.Header().Get("Content-Disposition"), "attachment") {
				t.Fatalf("data file: %d %v", file.Code, err)
			}
			body := file.Body.String()
			for _, want := range []string{p.NSS.String(), p.CURP.String(), p.RFC.String(), email, folio, `"movimientos_subcuenta_vivienda"`, `"amount_centavos"`} {
				if !strings.Contains(body, want) {
					t.Errorf("the data file lacks %s", want)
				}
			}
			if moves, _ := export["movimientos_subcuenta_vivienda"].([]any); len(moves) == 0 {
				t.Error("the data file has no savings movements for a person who has them")
			}
			for _, secret := range []string{"$argon2", "token_hash", "password", "_sealed"} {
				if strings.Contains(body, secret) {
					t.Errorf("the data file holds %s", secret)
				}
			}
			// Rectification waits for an operator, due in 20 working days.
			rec = b.upload("/mi-cuenta/tramites/nuevo/arco", url.Values{"derecho": {"rectificacion"}, "detalle": {"Mi domicilio cambió."}}, nil)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("rectification: %d", rec.Code)
			}
			rf := strings.TrimPrefix(rec.Header().Get("Location"), "/mi-cuenta/tramites?folio=")
			r2, _ := a.Requests.Find(ctx, rf)
			cal, _ := request.DefaultCalendar()
			if want := cal.AddWorkingDays(portal.DateOf(clock.Now()), 20); r2.State != request.Recibida || r2.DueOn != want {
				t.Fatalf("rectification: %s due %s, want %s", r2.State, r2.DueOn, want)
			}
			if code := b.do("GET", "/mi-cuenta/tramites/"+rf+"/mis-datos.json", nil).Code; code != 404 {
				t.Fatalf("a data file for a rectification: %d", code)
			}
			// Every change is in the inbox and, as chosen, by SMS too.
			inbox := b.do("GET", "/mi-cuenta/notificaciones", nil).Body.String()
			if !strings.Contains(inbox, folio) || !strings.Contains(inbox, rf) {
				t.Fatal("the request notices are not in the inbox")
			}
			ms, _ := a.Outbox.Recent(ctx, 50)
			sms := 0
			for _, m := range ms {
				if m.To == acc.Mobile && strings.Contains(m.Body, folio) {
					sms++
				}
			}
			if sms != 2 { // received, then approved
				t.Fatalf("SMS about %s: %d", folio, sms)
			}
		})
	}
}

// The size limit holds over HTTP: a file one byte over 10 MB gets the
// message at the field; a body beyond what three files may weigh gets 413
// before it is read.
func TestUploadLimitsOverHTTP(t *testing.T) {
	a, email, password := portalFor(t, "sqlite")
	b := signedIn(t, a, email, password)
	fields := url.Values{"campo": {"curp"}, "valor": {"HEGG560427MVZRRL04"}}
	pdf := testdocs.PDF(t, "CURP")
	big := append(append(append([]byte{}, pdf[:len(pdf)-6]...), bytes.Repeat([]byte(" "), upload.MaxSize+1-len(pdf))...), pdf[len(pdf)-6:]...)
	if len(big) != upload.MaxSize+1 {
		t.Fatalf("built %d bytes", len(big))
	}
	rec := b.upload("/mi-cuenta/tramites/nuevo/correccion", fields, map[string][]byte{"grande.pdf": big})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "pesa más de 10 MB") {
		t.Fatalf("10 MB + 1: %d", rec.Code)
	}
	huge := map[string][]byte{"a.pdf": big, "b.pdf": big, "c.pdf": big, "d.pdf": big}
	if rec := b.upload("/mi-cuenta/tramites/nuevo/correccion", fields, huge); rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("40 MB body: %d", rec.Code)
	}
	acc, _ := a.DB.FindAccountByEmail(context.Background(), email)
	if rs, err := a.Requests.Mine(context.Background(), acc.PersonID); err != nil || len(rs) != 0 {
		t.Fatal("a refused upload filed a request")
	}
}
