package origination

import (
	"testing"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
)

func TestParseParticipant(t *testing.T) {
	recorded := portal.NewDate(1990, 3, 10) // 36 on 24 November 2026
	cases := []struct {
		salary, balance, age, sex string
		bad                       []string
	}{
		{"12000.00", "0", "36", "M", nil},
		{"$ 12,000", "85,000.50", "15", "X", nil},
		{"10000000.00", "1000000000.00", "99", "H", nil},
		{"", "", "", "", []string{FieldSalary, FieldBalance, FieldAge, FieldSex}},
		{"0", "-1", "14", "F", []string{FieldSalary, FieldBalance, FieldAge, FieldSex}},
		{"10000000.01", "1000000000.01", "100", "mujer", []string{FieldSalary, FieldBalance, FieldAge, FieldSex}},
		{"12000.505", "12 mil", "treinta", "M", []string{FieldSalary, FieldBalance, FieldAge}},
	}
	for _, c := range cases {
		errs := map[string]string{}
		p := parseParticipant(c.salary, c.balance, c.age, c.sex, today, recorded, false, errs)
		if len(errs) != len(c.bad) {
			t.Errorf("%+v: errors %v, want at %v", c, errs, c.bad)
		}
		for _, k := range c.bad {
			if errs[k] == "" {
				t.Errorf("%+v: no error at %s (%v)", c, k, errs)
			}
		}
		if len(c.bad) == 0 && prequal.Age(p.BirthDate, today) != mustAtoi(c.age) {
			t.Errorf("%+v: born %v", c, p.BirthDate)
		}
	}
	// The other person's messages are at their own fields and speak of them.
	errs := map[string]string{}
	parseParticipant("", "", "", "", today, portal.Date{}, true, errs)
	for _, k := range []string{FieldCoSalary, FieldCoBalance, FieldCoAge, FieldCoSex} {
		if errs[k] == "" {
			t.Errorf("no error at %s: %v", k, errs)
		}
	}
	if got := errs[FieldCoAge]; got != "Escribe la edad de la otra persona en años cumplidos, de 15 a 99." {
		t.Errorf("co_edad: %q", got)
	}
}

func mustAtoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestBirthFor(t *testing.T) {
	recorded := portal.NewDate(1990, 3, 10)
	if got := birthFor(36, today, recorded); got != recorded {
		t.Errorf("the age on record keeps the birth date: %v", got)
	}
	if got := birthFor(40, today, recorded); got != portal.NewDate(1986, 11, 24) {
		t.Errorf("another age: %v", got)
	}
	leap := portal.NewDate(2028, 2, 29)
	if got := birthFor(30, leap, portal.Date{}); prequal.Age(got, leap) != 30 || got != portal.NewDate(1998, 2, 28) {
		t.Errorf("29 February: %v (age %d)", got, prequal.Age(got, leap))
	}
}

func TestParseTerm(t *testing.T) {
	for text, want := range map[string]int{"": 0, " 20 ": 20, "1": 1, "40": 40, "25 años": 25} {
		errs := map[string]string{}
		if got := parseTerm(text, errs); got != want || len(errs) != 0 {
			t.Errorf("%q: %d %v", text, got, errs)
		}
	}
	for _, text := range []string{"0", "41", "-3", "veinte", "2.5"} {
		errs := map[string]string{}
		if parseTerm(text, errs); errs[FieldTerm] == "" {
			t.Errorf("%q accepted", text)
		}
	}
}

func TestApplicationFields(t *testing.T) {
	for _, ok := range []string{"INMOBILIARIA DEL VALLE, S.A. DE C.V.", "María José Núñez", "O'Brien & Hijos 2"} {
		if !nameLike(ok, 3, 150) {
			t.Errorf("seller %q refused", ok)
		}
	}
	for _, bad := range []string{"", "AB", "<script>", "12345", "Juan\nPérez"} {
		if nameLike(bad, 3, 150) {
			t.Errorf("seller %q accepted", bad)
		}
	}
	for _, ok := range []string{"AV-2026-0001234", "12345678", "ABCDEFGH12345678901234567890AB"} {
		if !appraisalKey(ok) {
			t.Errorf("appraisal %q refused", ok)
		}
	}
	for _, bad := range []string{"1234567", "AV 2026 01", "AV_2026_0001", "ABCDEFGH12345678901234567890ABC", "av-2026-0001"} {
		if appraisalKey(bad) {
			t.Errorf("appraisal %q accepted", bad)
		}
	}
	own := "92919084431"
	for text, want := range map[string]string{
		"":            "Escribe el NSS de la persona con quien unes tu crédito: 11 números, sin espacios ni guiones.",
		"9291908443":  "Escribe el NSS de la persona con quien unes tu crédito: 11 números, sin espacios ni guiones.",
		"92919084432": "El NSS de la otra persona no es válido: revisa que lo copiaste completo y sin errores.",
		own:           "Ese es tu NSS: escribe el de la persona con quien unes tu crédito.",
	} {
		errs := map[string]string{}
		parseCoNSS(text, own, errs)
		if errs[FieldCoNSS] != want {
			t.Errorf("NSS %q: %q", text, errs[FieldCoNSS])
		}
	}
}

func TestCreditNumber(t *testing.T) {
	if n, err := creditNumber(2026, 1); err != nil || n != "2690000001" {
		t.Errorf("first of 2026: %q %v", n, err)
	}
	if n, err := creditNumber(2031, 9_999_999); err != nil || n != "3199999999" {
		t.Errorf("last of 2031: %q %v", n, err)
	}
	if _, err := creditNumber(2026, 10_000_000); err == nil {
		t.Error("the 10,000,000th of a year fits no number")
	}
}

// The stages' dates: the first counts from the day received, the started
// ones keep theirs, the rest are estimates chained from the current one,
// and a rejected application stops where it was.
func TestSteps(t *testing.T) {
	cal, err := request.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{calendar: cal}
	received := time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC) // a Tuesday
	q := &request.Request{Kind: request.SolicitudCredito.Prefix, State: request.EnRevision, ReceivedAt: received}
	steps, label, _ := s.steps(q, nil, today)
	if label != "Expediente completo: pasar a revisión" || !steps[0].Current || steps[0].Due != portal.NewDate(2026, 12, 1) {
		t.Fatalf("new: %q %+v", label, steps[0])
	}
	// 5 working days each from 1 December: revisión 10 (15 Dec), inscripción 5
	// (22 Dec), firma 15 (14 Jan: 25 December and 1 January are holidays),
	// ejercido 5.
	wantDue := []portal.Date{portal.NewDate(2026, 12, 1), portal.NewDate(2026, 12, 15), portal.NewDate(2026, 12, 22), portal.NewDate(2027, 1, 14), portal.NewDate(2027, 1, 21)}
	for i, st := range steps {
		if st.Due != wantDue[i] || st.Estimated != (i > 0) {
			t.Errorf("stage %d: due %v estimated %v, want %v", i, st.Due, st.Estimated, wantDue[i])
		}
	}
	done := received.Add(48 * time.Hour)
	rows := []StageRow{{Stage: "integracion", Seq: 1, Started: received, Due: wantDue[0], Done: done},
		{Stage: "revision", Seq: 2, Started: done, Due: portal.NewDate(2026, 12, 10)}}
	steps, label, _ = s.steps(q, rows, portal.NewDate(2026, 11, 26))
	if label != "Revisión aprobada: pasar a inscripción" || !steps[1].Current || steps[0].Done != portal.DateOf(done) || steps[1].Due != portal.NewDate(2026, 12, 10) {
		t.Fatalf("in review: %q %+v", label, steps[:2])
	}
	if steps[0].Status() != "Terminada el "+portal.DateOf(done).Spanish() || steps[2].Status() != "Pendiente" || steps[2].DueText() != "17 dic 2026 (estimada)" {
		t.Errorf("texts: %q %q %q", steps[0].Status(), steps[2].Status(), steps[2].DueText())
	}
	q.State = request.Rechazada
	steps, label, _ = s.steps(q, rows, portal.NewDate(2026, 11, 26))
	if label != "" || steps[1].Current || !steps[1].Stopped || steps[1].Status() != "No continuó" || steps[0].Stopped {
		t.Errorf("rejected: %q %+v", label, steps[:2])
	}
}
