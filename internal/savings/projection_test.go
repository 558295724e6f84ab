package savings

import (
	"testing"

	"micuenta/internal/portal"
)

func TestProjectByHand(t *testing.T) {
	// 100,000.00 today, 500.00 a day, 4% yield, 5% growth, UMA 117.31.
	rows := Project(ProjectionInput{Start: 10_000_000, DailySalary: 50_000, Years: 2, GrowthBP: 500, YieldBP: 400, UMADaily: 11_731})
	// Year 1: contributions 500 × 365 × 5% = 9,125.00; yield 100,000 × 4%
	// = 4,000.00 + 9,125 × 2% = 182.50; balance 113,307.50.
	if rows[0].Contributions != 912_500 || rows[0].Yield != 418_250 || rows[0].Balance != 11_330_750 {
		t.Fatalf("year 1: %+v", rows[0])
	}
	// Year 2: salary 525.00 → 9,581.25; yield 113,307.50 × 4% = 4,532.30
	// + 9,581.25 × 2% = 191.625 → 191.63; balance 127,612.68.
	if rows[1].Contributions != 958_125 || rows[1].Yield != 453_230+19_163 || rows[1].Balance != 11_330_750+958_125+472_393 {
		t.Fatalf("year 2: %+v", rows[1])
	}
}

// The balance is always the start plus every contribution and yield, and
// a salary above the cap contributes no more than the cap.
func TestProjectInvariants(t *testing.T) {
	for _, in := range []ProjectionInput{
		{Start: 0, DailySalary: 31_504, Years: 40, GrowthBP: 300, YieldBP: 500, UMADaily: 11_731},
		{Start: 123_456_78, DailySalary: 900_000, Years: 10, GrowthBP: 0, YieldBP: 0, UMADaily: 11_731},
	} {
		rows := Project(in)
		sum := in.Start
		for _, r := range rows {
			sum += r.Contributions + r.Yield
			if sum != r.Balance {
				t.Fatalf("year %d: %v ≠ %v", r.Year, sum, r.Balance)
			}
		}
		if in.DailySalary > 25*in.UMADaily && rows[0].Contributions != Contribution(25*in.UMADaily, in.UMADaily, 365) {
			t.Fatalf("cap: %v", rows[0].Contributions)
		}
	}
	if len(Project(ProjectionInput{Years: 0})) != 0 {
		t.Fatal("zero years")
	}
	_ = portal.Money(0)
}
