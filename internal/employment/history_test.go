package employment

import (
	"testing"
	gotime "time"

	"micuenta/internal/portal"
)

func d(y, m, day int) portal.Date { return portal.NewDate(y, gotime.Month(m), day) }

func TestGapsAndOrder(t *testing.T) {
	js := []Job{
		{Relation: Relation{Start: d(2015, 1, 1), End: d(2017, 6, 30)}, RazonSocial: "A"},
		{Relation: Relation{Start: d(2017, 7, 1), End: d(2019, 3, 31)}, RazonSocial: "B"},  // back to back with A
		{Relation: Relation{Start: d(2018, 1, 1), End: d(2018, 12, 31)}, RazonSocial: "C"}, // inside B
		{Relation: Relation{Start: d(2019, 6, 1)}, RazonSocial: "D"},                       // current, after a gap
	}
	gaps := Gaps(js, d(2026, 12, 2))
	if len(gaps) != 1 || gaps[0].From != d(2019, 4, 1) || gaps[0].To != d(2019, 5, 31) || gaps[0].Days != 61 {
		t.Fatalf("gaps: %+v", gaps)
	}
	SortJobs(js)
	if js[0].RazonSocial != "D" || js[1].RazonSocial != "C" || js[2].RazonSocial != "B" || js[3].RazonSocial != "A" {
		t.Fatalf("order: %v %v %v %v", js[0].RazonSocial, js[1].RazonSocial, js[2].RazonSocial, js[3].RazonSocial)
	}
	if Gaps(nil, d(2026, 1, 1)) != nil {
		t.Fatal("no jobs, no gaps")
	}
}
