package prequal

import (
	"testing"
	"time"

	"micuenta/internal/portal"
)

// The ceilings are UMA multiples of daily UMA × 30.4, rounded half away
// from zero; they reproduce the published Crédito Infonavit ceilings
// (domain.md §4.3) to the centavo.
func TestMonthlyMultipleReproducesPublishedCeilings(t *testing.T) {
	for _, c := range []struct {
		uma  portal.Money
		mult int64
		want portal.Money
	}{
		{11731, 823_000_000, 293_500_235},   // 2026: 117.31 × 30.4 = 3,566.224 × 823 = 2,935,002.352 → 2,935,002.35
		{10857, 823_000_000, 271_633_454},   // 2024: 3,300.528 × 823 = 2,716,334.544 → .54
		{10374, 823_000_000, 259_549_181},   // 2023: 3,153.696 × 823 = 2,595,491.808 → .81
		{9622, 823_000_000, 240_734_742},    // 2022: 2,925.088 × 823 = 2,407,347.424 → .42
		{11314, 823_000_000, 283_067_229},   // 2025: 2,830,672.288 → .29 (one source prints .54)
		{11731, 1_481_400_000, 528_300_423}, // Unamos 2026: 3,566.224 × 1,481.4 = 5,283,004.2336
		{11314, 325_000_000, 111_782_320},   // Cofinavit 2025: 3,439.456 × 325 = 1,117,823.20
		{11731, 47_400_000, 16_903_902},     // Mejoravit 2026: 3,566.224 × 47.4 = 169,039.0176
		{11731, 3_000_000, 1_069_867},       // Mejoravit minimum: × 3 = 10,698.672
		{31504, 1_000_000, 957_722},         // one monthly minimum wage 2026: 315.04 × 30.4 = 9,577.216
	} {
		if got := MonthlyMultiple(c.uma, c.mult); got != c.want {
			t.Errorf("MonthlyMultiple(%v, %d) = %v, want %v", c.uma, c.mult, got, c.want)
		}
	}
}

func TestSalaryInUMATruncates(t *testing.T) {
	// 9,577.22 / 3,566.224 = 2.6855352… → 2,685,535 (truncated, never up).
	if got := SalaryInUMA(957_722, 11731); got != 2_685_535 {
		t.Fatalf("SalaryInUMA = %d", got)
	}
	// Exactly 2.4 UMA of 2026 is 8,558.9376 pesos: 8,558.93 is below it.
	if got := SalaryInUMA(855_893, 11731); got != 2_399_997 {
		t.Fatalf("just below 2.4 UMA: %d", got)
	}
	// Daily and monthly give the same ratio: 300.00 a day over 108.57.
	if got := dailySalaryInUMA(30_000, 10857); got != 2_763_194 {
		t.Fatalf("dailySalaryInUMA = %d", got)
	}
	if got := MonthlySalary(31_504); got != 957_722 { // 315.04 × 30.4 = 9,577.216
		t.Fatalf("MonthlySalary = %v", got)
	}
}

// 100,000.00 at 12% a year for 12 months, worked by hand:
// i = 1% a month; 1.01^12 = 1.126825…; payment = 100,000 × 0.01 /
// (1 − 1/1.126825) = 8,884.8788… → rounded UP to 8,884.88. Month 1:
// interest 1,000.00, principal 7,884.88, balance 92,115.12; month 2:
// interest 921.1512 → 921.15 … month 12: balance 8,796.88 + interest
// 87.97 = 8,884.85, three centavos less than the others, and the balance
// is 0. Total interest 6,618.53.
func TestPaymentAndScheduleByHand(t *testing.T) {
	pay := paymentFor(10_000_000, 120_000, 12)
	if pay != 888_488 {
		t.Fatalf("payment = %v, want $8,884.88", pay)
	}
	rows := Amortize(10_000_000, 120_000, 12, pay)
	want := YearRow{Year: 1, Payments: 11*888_488 + 888_485, Interest: 661_853, Principal: 10_000_000, Balance: 0}
	if len(rows) != 1 || rows[0] != want {
		t.Fatalf("schedule %+v, want %+v", rows, want)
	}
	// The payment was rounded up, so its present value is a centavo over
	// the credit; the largest credit for 8,884.87 is under it.
	if got := presentValue(888_488, 120_000, 12); got != 10_000_001 {
		t.Fatalf("presentValue(8,884.88) = %v", got)
	}
	if got := presentValue(888_487, 120_000, 12); got >= 10_000_000 {
		t.Fatalf("presentValue(8,884.87) = %v, want under 100,000", got)
	}
}

// At 0% the credit is the payments' sum and the payment is rounded up.
func TestZeroRate(t *testing.T) {
	if got := presentValue(150_000, 0, 12); got != 1_800_000 {
		t.Fatalf("presentValue = %v", got)
	}
	if got := paymentFor(1_000_000, 0, 7); got != 142_858 { // 10,000 / 7 = 1,428.5714… → 1,428.58
		t.Fatalf("paymentFor = %v", got)
	}
	rows := Amortize(1_000_000, 0, 7, 142_858)
	if rows[0].Payments != 1_000_000 || rows[0].Interest != 0 || rows[0].Balance != 0 {
		t.Fatalf("schedule %+v", rows)
	}
}

// Whatever the credit, rate and term, the largest credit's payment fits
// the capacity, the schedule ends at zero on time, principal adds up to
// the credit, and the last payment differs from the others by centavos.
func TestScheduleInvariants(t *testing.T) {
	for _, c := range []struct {
		capacity portal.Money
		rate     int64
		years    int
	}{
		{191_544, 40_100, 30}, {287_317, 104_500, 30}, {50_000, 35_000, 1}, {1_000_000, 110_000, 10}, {123_456, 19_100, 17},
	} {
		n := c.years * 12
		credit := presentValue(c.capacity, c.rate, n)
		pay := paymentFor(credit, c.rate, n)
		if pay > c.capacity {
			t.Errorf("%+v: payment %v over capacity", c, pay)
		}
		rows := Amortize(credit, c.rate, n, pay)
		if len(rows) != c.years {
			t.Errorf("%+v: %d years in the schedule", c, len(rows))
			continue
		}
		var principal, paid portal.Money
		for _, r := range rows {
			principal += r.Principal
			paid += r.Payments
			if r.Payments != r.Interest+r.Principal {
				t.Errorf("%+v: year %d does not add up: %+v", c, r.Year, r)
			}
		}
		last := rows[len(rows)-1]
		if principal != credit || last.Balance != 0 {
			t.Errorf("%+v: principal %v of %v, final balance %v", c, principal, credit, last.Balance)
		}
		if d := paid - pay*portal.Money(n); d > 200 || d < -200 {
			t.Errorf("%+v: the last payment is %v away from the others", c, d)
		}
	}
}

func TestAge(t *testing.T) {
	d := portal.NewDate
	for _, c := range []struct {
		birth, on portal.Date
		want      int
	}{
		{d(1990, time.June, 15), d(2026, time.June, 14), 35},
		{d(1990, time.June, 15), d(2026, time.June, 15), 36},
		{d(2000, time.February, 29), d(2025, time.February, 28), 24}, // no 29 Feb in 2025: the birthday is 1 March
		{d(2000, time.February, 29), d(2025, time.March, 1), 25},
		{d(2000, time.February, 29), d(2028, time.February, 29), 28},
	} {
		if got := Age(c.birth, c.on); got != c.want {
			t.Errorf("Age(%v, %v) = %d, want %d", c.birth, c.on, got, c.want)
		}
	}
}

func TestContinuousBimesters(t *testing.T) {
	b := func(y, n int) portal.Bimestre { return portal.Bimestre{Year: y, N: n} }
	paid := []portal.Bimestre{b(2025, 5), b(2025, 6), b(2026, 1), b(2026, 1), b(2025, 2)} // 2025-3 and -4 missing
	if got := ContinuousBimesters(paid, b(2026, 1)); got != 3 {                           // 2026-1, 2025-6, 2025-5
		t.Fatalf("got %d, want 3 (across the year, the repeat counted once)", got)
	}
	if got := ContinuousBimesters(paid, b(2026, 2)); got != 0 {
		t.Fatalf("the bimester looked at is missing: got %d", got)
	}
	if got := PreviousBimestre(portal.NewDate(2026, time.January, 20)); got != b(2025, 6) {
		t.Fatalf("PreviousBimestre = %v", got)
	}
	if got := PreviousBimestre(portal.NewDate(2026, time.April, 1)); got != b(2026, 1) {
		t.Fatalf("PreviousBimestre = %v", got)
	}
}

func TestPercent(t *testing.T) {
	for e6, want := range map[int64]string{104_500: "10.45%", 35_000: "3.5%", 900_000: "90%", 40_100: "4.01%", 36_900: "3.69%"} {
		if got := Percent(e6); got != want {
			t.Errorf("Percent(%d) = %q, want %q", e6, got, want)
		}
	}
}
