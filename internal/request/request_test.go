package request

import (
	"strings"
	"testing"

	"micuenta/internal/portal"
)

var allStates = []State{Recibida, EnRevision, RequiereInfo, Aprobada, Rechazada, Concluida, Cancelada}

// Every (from, to, actor) triple: exactly the allowed ones pass, and every
// refusal says why in Spanish.
func TestTransitions(t *testing.T) {
	allowed := map[[3]string]bool{}
	for _, a := range []struct {
		from, to State
		by       Actor
	}{
		{Recibida, EnRevision, Operator}, {Recibida, EnRevision, System}, {Recibida, Aprobada, System}, {Recibida, Rechazada, System},
		{Recibida, Cancelada, Owner}, {EnRevision, RequiereInfo, Operator}, {EnRevision, Aprobada, Operator}, {EnRevision, Rechazada, Operator},
		{EnRevision, Cancelada, Owner}, {RequiereInfo, EnRevision, Owner}, {RequiereInfo, EnRevision, Operator}, {RequiereInfo, Rechazada, Operator},
		{RequiereInfo, Rechazada, System}, {RequiereInfo, Cancelada, Owner}, {Aprobada, Concluida, Operator}, {Aprobada, Concluida, System},
		{Rechazada, Concluida, Operator}, {Rechazada, Concluida, System},
	} {
		allowed[[3]string{string(a.from), string(a.to), string(a.by)}] = true
	}
	for _, from := range allStates {
		for _, to := range allStates {
			for _, by := range []Actor{Owner, Operator, System} {
				err := Move(from, to, by)
				want := allowed[[3]string{string(from), string(to), string(by)}]
				if (err == nil) != want {
					t.Errorf("%s → %s by %s: %v, want allowed=%v", from, to, by, err, want)
				}
				if err != nil && portal.ErrorMessage(err) == "" {
					t.Errorf("%s → %s by %s: no message", from, to, by)
				}
			}
		}
	}
	if err := Move(Concluida, EnRevision, Operator); !strings.Contains(portal.ErrorMessage(err), "ya está concluida") {
		t.Errorf("final: %v", err)
	}
	if err := Move(EnRevision, Cancelada, Operator); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("an operator cancelling: %v", err)
	}
	if err := Move("borrador", Recibida, System); err == nil {
		t.Error("an unknown state moved")
	}
}

func TestFolio(t *testing.T) {
	f := NewFolio("cor", 2026, 123)
	if !strings.HasPrefix(f, "COR-2026-000123-") || len(f) != 17 {
		t.Fatalf("folio %q", f)
	}
	if p, y, n, err := ParseFolio(" " + strings.ToLower(f) + " "); err != nil || p != "COR" || y != 2026 || n != 123 {
		t.Fatalf("parse: %q %d %d %v", p, y, n, err)
	}
	// Every single substitution that keeps the folio's shape, and every
	// swap of neighbours, is refused.
	for seq := int64(1); seq < 3000; seq += 7 {
		good := NewFolio("ARCO", 2026, seq)
		body := good[:len(good)-2]
		for i := 0; i < len(body); i++ {
			alphabet := "0123456789"
			if i < 4 {
				alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			}
			if body[i] == '-' {
				continue
			}
			for _, c := range alphabet {
				if byte(c) == body[i] {
					continue
				}
				bad := body[:i] + string(c) + body[i+1:] + good[len(good)-2:]
				if _, _, _, err := ParseFolio(bad); err == nil {
					t.Fatalf("%s accepted (from %s)", bad, good)
				}
			}
			if i+1 < len(body) && body[i] != body[i+1] && body[i+1] != '-' && (i+1 < 4) == (i < 4) {
				swapped := body[:i] + string(body[i+1]) + string(body[i]) + body[i+2:] + good[len(good)-2:]
				if _, _, _, err := ParseFolio(swapped); err == nil {
					t.Fatalf("%s accepted (from %s)", swapped, good)
				}
			}
		}
	}
	for _, bad := range []string{"", "COR-2026-123-K", "C0R-2026-000123-K", "COR-26-000123-K", "COR-2026-000000-0", "COR_2026_000123_K", "COR-2026-000123-KK"} {
		if _, _, _, err := ParseFolio(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestWorkingDays(t *testing.T) {
	c, err := DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	d := portal.NewDate
	cases := []struct {
		from portal.Date
		n    int
		want portal.Date
	}{
		{d(2026, 12, 24), 1, d(2026, 12, 28)}, // Christmas is a Friday, then the weekend
		{d(2026, 12, 1), 20, d(2026, 12, 30)}, // 25 December skipped (12 December 2026 is a Saturday)
		{d(2026, 3, 27), 5, d(2026, 4, 7)},    // Holy Thursday and Friday
		{d(2026, 11, 13), 2, d(2026, 11, 18)}, // Monday 16 November, the Revolution
		{d(2027, 1, 2), 1, d(2027, 1, 4)},     // received on a Saturday
		{d(2026, 6, 1), 20, d(2026, 6, 29)},   // a month without holidays
	}
	for _, k := range cases {
		if got := c.AddWorkingDays(k.from, k.n); got != k.want {
			t.Errorf("%s + %d working days = %s, want %s", k.from, k.n, got, k.want)
		}
		if back := c.WorkingDaysBetween(k.from, k.want); back != k.n {
			t.Errorf("between %s and %s: %d, want %d", k.from, k.want, back, k.n)
		}
	}
	if name, uncertain, ok := c.Holiday(d(2026, 4, 3)); !ok || !uncertain || name != "Viernes Santo" {
		t.Errorf("Good Friday: %q %v %v", name, uncertain, ok)
	}
	if _, uncertain, ok := c.Holiday(d(2026, 9, 16)); !ok || uncertain {
		t.Error("Independence Day")
	}
	if _, err := ParseCalendar([]byte("fecha,descripcion\n2026-13-01,nada\n")); err == nil {
		t.Error("a bad date was accepted")
	}
}

func TestParseCorrection(t *testing.T) {
	if data, errs := ParseCorrection(FieldCURP, "hegg560427mvzrrl04", "Mi CURP tiene un error"); len(errs) != 0 || !strings.Contains(string(data), "HEGG560427MVZRRL04") {
		t.Fatalf("good CURP: %s %v", data, errs)
	}
	for _, c := range []struct{ field, value, errField string }{
		{FieldRFC, "GODE561231", "valor"}, {FieldCURP, "HEGG560427MVZRRL05", "valor"}, {FieldNombre, "J0SÉ", "valor"},
		{"telefono", "5512345678", "campo"}, {FieldRFC, "XAXX010101000", "valor"},
	} {
		if _, errs := ParseCorrection(c.field, c.value, ""); errs[c.errField] == "" {
			t.Errorf("%s=%q accepted", c.field, c.value)
		}
	}
	if _, errs := ParseCorrection(FieldNombre, "JOSÉ PÉREZ LÓPEZ", strings.Repeat("x", 501)); errs["motivo"] == "" {
		t.Error("a 501-character reason was accepted")
	}
}
