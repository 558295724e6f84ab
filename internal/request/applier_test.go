package request_test

import (
	"context"
	"strings"
	"testing"

	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/store"
)

// recorder is an Applier that writes to the database through the
// approval's context, and fails when told to.
type recorder struct {
	db    *store.DB
	fail  bool
	calls int
}

func (a *recorder) Apply(ctx context.Context, r *request.Request, act request.Action) (string, error) {
	a.calls++
	if err := a.db.AddNotice(ctx, r.PersonID, "prueba", "aplicado:"+r.Folio, "Aplicado", "Aplicado"); err != nil {
		return "", err
	}
	if a.fail {
		return "", portal.Errorf(portal.ECONFLICT, "El crédito cambió.")
	}
	return "Tu saldo nuevo es de $1.00.", nil
}

// An approval runs the type's Applier inside its transaction: what it
// writes and the move stand or fall together, and its note reaches the
// person. Other moves do not run it.
func TestApplierRunsWithTheApproval(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			svc, db, _ := service(t, engine)
			ap := &recorder{db: db, fail: true}
			svc.RegisterApplier(request.Escrituras.Prefix, ap)
			r, err := svc.File(ctx, request.Escrituras, 3, []byte(`{"credito":"1"}`), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Move(ctx, r.Folio, request.EnRevision, request.Operator, 1, ""); err != nil || ap.calls != 0 {
				t.Fatalf("review: %v, %d calls", err, ap.calls)
			}
			if _, err := svc.Move(ctx, r.Folio, request.Aprobada, request.Operator, 1, "Listo."); portal.ErrorCode(err) != portal.ECONFLICT {
				t.Fatalf("a failing applier: %v", err)
			}
			if q, _ := svc.Find(ctx, r.Folio); q.State != request.EnRevision {
				t.Fatalf("state after a failed approval: %s", q.State)
			}
			notices, _ := db.NoticesOf(ctx, 3, 50)
			for _, n := range notices {
				if n.Kind == "prueba" {
					t.Fatal("the applier's write outlived the failed approval")
				}
			}
			ap.fail = false
			if _, err := svc.Move(ctx, r.Folio, request.Aprobada, request.Operator, 1, "Listo."); err != nil {
				t.Fatal(err)
			}
			events, _ := svc.Timeline(ctx, r)
			last := events[len(events)-1]
			if last.To != request.Aprobada || !strings.Contains(last.Message, "Listo.") || !strings.Contains(last.Message, "Tu saldo nuevo es de $1.00.") {
				t.Fatalf("approval event: %+v", last)
			}
			found := false
			notices, _ = db.NoticesOf(ctx, 3, 50)
			for _, n := range notices {
				found = found || n.Kind == "prueba"
			}
			if !found || ap.calls != 2 {
				t.Fatalf("the applier's write is missing (%d calls)", ap.calls)
			}
		})
	}
}

func TestAfterCreditForms(t *testing.T) {
	if _, errs := request.ParseConversionForm("", "6700", ""); len(errs) != 3 {
		t.Fatalf("empty conversion form: %v", errs)
	}
	if d, errs := request.ParseConversionForm("df", "06700", "si"); len(errs) != 0 || d.State != "DF" || d.PostalCode != "06700" {
		t.Fatalf("conversion form: %+v %v", d, errs)
	}
	for _, bad := range []string{"", "0", "13", "x", "2.5", "-1"} {
		if _, msg := request.ParseMonths(bad, 12); msg == "" {
			t.Errorf("months %q accepted", bad)
		}
	}
	if n, msg := request.ParseMonths(" 3 ", 12); n != 3 || msg != "" {
		t.Fatalf("3 months: %d %q", n, msg)
	}
	if _, msg := request.ParseAddress("Calle 5"); msg == "" {
		t.Fatal("a short address")
	}
	if a, msg := request.ParseAddress("  Av. Insurgentes Sur 1234,\n Col. Del Valle, Benito Juárez, CDMX "); msg != "" || a != "Av. Insurgentes Sur 1234, Col. Del Valle, Benito Juárez, CDMX" {
		t.Fatalf("address %q %q", a, msg)
	}
	for in, want := range map[string]string{"": "Escribe tu CLABE", "12345": "18 números", "999010077777777771": "ningún banco", "002010077777777772": "dígito verificador"} {
		if _, msg := request.ParseCLABEField(in); !strings.Contains(msg, want) {
			t.Errorf("CLABE %q: %q", in, msg)
		}
	}
	if c, msg := request.ParseCLABEField("002 010 07777777777 1"); msg != "" || c.String() != "002010077777777771" {
		t.Fatalf("CLABE: %v %q", c, msg)
	}
	rows, ok := request.Describe(request.DevolucionAhorro.Prefix, []byte(`{"clabe":"002010077777777771","banco":"Banamex","importe_centavos":1234567,"ley":"73","subcuentas":[{"nombre":"Vivienda 97","importe_centavos":1234567}]}`))
	if !ok || len(rows) != 5 || rows[0] != [2]string{"Pensión", "Ley del Seguro Social de 1973"} || rows[2] != [2]string{"Importe a devolver", "$12,345.67"} {
		t.Fatalf("describe: %v", rows)
	}
	if _, ok := request.Describe(request.Correccion.Prefix, nil); ok {
		t.Fatal("a correction is not described here")
	}
}
