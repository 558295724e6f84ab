package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"micuenta/internal/request"
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
			rec = b.do("POST", "/mi-cuenta/tramites/nuevo/correccion", url.Values{"campo": {"curp"}, "valor": {"hegg560427mvzrrl04"}, "motivo": {"RENAPO corrigió mi CURP"}})
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
			// Another person's request, a malformed folio and an unknown one: the same 404.
			acc, _ := a.DB.FindAccountByEmail(ctx, email)
			other, err := a.Requests.File(ctx, request.Correccion, acc.PersonID+1, []byte(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{other.Folio, "COR-2026-999999-0", "nada"} {
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
			if rec := b.do("POST", "/mi-cuenta/tramites/"+folio, url.Values{"accion": {"responder"}, "respuesta": {"Ya la envié por correo."}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("answer: %d", rec.Code)
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
