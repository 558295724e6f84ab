package credit

import (
	"slices"
	"testing"
	"time"

	"micuenta/internal/portal"
)

// The reference values of the examples: INPC December 2025 = 143.039 and
// December 2024 = 137.949 (the migration's figures), UDI on 31 Dec 2024
// = 8.340909 (Banxico; to be verified).
var refs2025 = InterestRefs{INPC: 143_039_000, INPCPrev: 137_949_000, UDI: 8_340_909}

func mov(kind string, y int, m time.Month, d int, pesos, centavos int64) Movement {
	return Movement{Kind: kind, ValueDate: portal.NewDate(y, m, d), Amount: portal.Pesos(pesos, centavos)}
}

// exampleA is a peso credit through 2025 (amounts in pesos):
//
//	2024-11-30 saldo inicial     +500,000.00
//	2024-12-31 intereses           +4,800.00   unpaid on 31 Dec 2024
//	2025, every month:  intereses  +5,000.00 on the last day,
//	                    seguro        +15.00 on the last day of even months,
//	                    a payment     -6,000.00 on the 15th —
//	                    none in May, 12,000.00 in June
//	2026-01-15 pago directo        -6,000.00
func exampleA() []Movement {
	ms := []Movement{
		mov(KindApertura, 2024, 11, 30, 500_000, 0),
		mov(KindInteres, 2024, 12, 31, 4_800, 0),
	}
	for m := time.January; m <= time.December; m++ {
		switch m {
		case time.May:
		case time.June:
			ms = append(ms, mov(KindDescuentoNomina, 2025, m, 15, -12_000, 0))
		default:
			ms = append(ms, mov(KindDescuentoNomina, 2025, m, 15, -6_000, 0))
		}
		last := portal.NewDate(2025, m+1, 0)
		ms = append(ms, mov(KindInteres, 2025, m, last.D, 5_000, 0))
		if m%2 == 0 {
			ms = append(ms, mov(KindSeguro, 2025, m, last.D, 15, 0))
		}
	}
	return append(ms, mov(KindPagoDirecto, 2026, 1, 15, -6_000, 0))
}

// Example A by hand.
//
// Payments applied (insurance owed, then interest owed, then principal):
//
//	15 Jan  6,000 = interest of Dec 2024 4,800 + principal 1,200
//	15 Feb  6,000 = interest 5,000 + principal 1,000
//	15 Mar  6,000 = insurance 15 + interest 5,000 + principal 985
//	15 Apr  6,000 = interest 5,000 + principal 1,000
//	May     nothing: May's interest stays owed (10,000 owed at the end of May)
//	15 Jun 12,000 = insurance 15 + interest 10,000 + principal 1,985
//	Jul-Dec 6,000 = (insurance 15 in odd months) + interest 5,000 + principal
//	Dec's interest, 5,000, is still owed on 31 Dec 2025: it is paid in 2026.
//
//	nominal = 4,800 + 3 × 5,000 + 10,000 + 6 × 5,000 = 59,800.00
//	(interest posted in 2025 is 60,000.00: the constancia counts payments)
//
// Month-end balances (31 Dec 2024: 504,800.00):
//
//	Jan 503,800  Feb 502,815  Mar 501,815  Apr 500,830
//	May 505,830  Jun 498,845  Jul 497,845  Aug 496,860
//	Sep 495,860  Oct 494,875  Nov 493,875  Dec 492,890
//	sum 5,986,140.00; average 5,986,140 / 12 = 498,845.00
//
// adjustment = 498,845.00 × (143.039 / 137.949 − 1)
//
//	= 498,845.00 × 5.090 / 137.949 = 2,539,121.05 / 137.949 = 18,406.2302… → 18,406.23
//
// real = 59,800.00 − 18,406.23 = 41,393.77
// cap: 504,800.00 / 8.340909 = 60,520.98 UDIS ≤ 750,000: all of it, 41,393.77
func TestInterestExampleA(t *testing.T) {
	c := Credit{Denomination: DenomPesos}
	got, err := ComputeInterest(c, exampleA(), 2025, refs2025)
	if err != nil {
		t.Fatal(err)
	}
	want := [12]portal.Money{50380000, 50281500, 50181500, 50083000, 50583000, 49884500, 49784500, 49686000, 49586000, 49487500, 49387500, 49289000}
	if got.MonthEnd != want {
		t.Errorf("month ends %v, want %v", got.MonthEnd, want)
	}
	checks := []struct {
		name      string
		got, want portal.Money
	}{
		{"nominal", got.Nominal, portal.Pesos(59_800, 0)},
		{"average", got.Average, portal.Pesos(498_845, 0)},
		{"adjustment", got.Adjustment, portal.Pesos(18_406, 23)},
		{"real", got.Real, portal.Pesos(41_393, 77)},
		{"cap balance", got.CapBalance, portal.Pesos(504_800, 0)},
		{"deductible", got.Deductible, portal.Pesos(41_393, 77)},
		{"closing", got.Closing, portal.Pesos(492_890, 0)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
		}
	}
	if got.Proportional || got.CapFromDisbursement || got.CapUDIsE2 != 6_052_098 || got.VSM {
		t.Errorf("cap: proportional %v, from disbursement %v, %d UDIS×100, vsm %v", got.Proportional, got.CapFromDisbursement, got.CapUDIsE2, got.VSM)
	}
	if f := got.FactorE6(); f != 36_898 { // 5.090 / 137.949 = 0.0368977…
		t.Errorf("factor %d", f)
	}
	if p := got.ProportionE6(); p != 1_000_000 {
		t.Errorf("proportion %d", p)
	}
	// Shuffling the ledger's order changes nothing (it is sorted by date).
	ms := exampleA()
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	// Same-day order matters (interest then insurance); reversing keeps
	// the totals because each day has at most one payment.
	again, _ := ComputeInterest(c, ms, 2025, refs2025)
	if again.Nominal != got.Nominal || again.Average != got.Average || again.Closing != got.Closing {
		t.Errorf("order changed the figures: %+v", again)
	}
	// 2026 so far: January's payment pays December's interest (5,000)
	// and the insurance (15).
	y26, _ := ComputeInterest(c, exampleA(), 2026, InterestRefs{INPC: 148_000_000, INPCPrev: 143_039_000, UDI: 8_648_671})
	if y26.Nominal != portal.Pesos(5_000, 0) {
		t.Errorf("2026 nominal %s", y26.Nominal)
	}
}

// Example B: over the cap. A balance of 7,000,000.00 brought forward on
// 31 Dec 2024; interest of 700,000.00 posted on 30 Jun 2025 and paid on
// 1 Jul 2025.
//
//	month ends: 7,000,000 × 11 + 7,700,000 (June) = 84,700,000.00
//	average = 84,700,000 / 12 = 7,058,333.333… → 7,058,333.33
//	adjustment = 7,058,333.33 × 5.090 / 137.949 = 260,436.2210… → 260,436.22
//	real = 700,000.00 − 260,436.22 = 439,563.78
//	cap: 7,000,000.00 / 8.340909 = 839,237.07 UDIS > 750,000
//	deductible = 439,563.78 × 750,000 / 839,237.07…
//	           = 439,563.78 × 75 × 8.340909 / 7,000,000
//	           = 439,563.78 × 0.8936688… = 392,824.4484… → 392,824.45
func TestInterestExampleBOverTheCap(t *testing.T) {
	ms := []Movement{
		mov(KindApertura, 2024, 12, 31, 7_000_000, 0),
		mov(KindInteres, 2025, 6, 30, 700_000, 0),
		mov(KindPagoDirecto, 2025, 7, 1, -700_000, 0),
	}
	got, err := ComputeInterest(Credit{Denomination: DenomPesos}, ms, 2025, refs2025)
	if err != nil {
		t.Fatal(err)
	}
	if got.Average != portal.Pesos(7_058_333, 33) || got.Adjustment != portal.Pesos(260_436, 22) || got.Real != portal.Pesos(439_563, 78) {
		t.Errorf("average %s adjustment %s real %s", got.Average, got.Adjustment, got.Real)
	}
	if !got.Proportional || got.CapUDIsE2 != 83_923_707 || got.Deductible != portal.Pesos(392_824, 45) {
		t.Errorf("proportional %v, %d UDIS×100, deductible %s", got.Proportional, got.CapUDIsE2, got.Deductible)
	}
	if p := got.ProportionE6(); p != 893_669 {
		t.Errorf("proportion %d", p)
	}
	// Exactly at the cap (750,000 UDIS × 8.340909 = 6,255,681.75) the
	// deduction is whole; one centavo more and it is proportional.
	for _, tc := range []struct {
		balance portal.Money
		prop    bool
	}{{portal.Pesos(6_255_681, 75), false}, {portal.Pesos(6_255_681, 76), true}} {
		ms[0].Amount = tc.balance
		got, _ := ComputeInterest(Credit{}, ms, 2025, refs2025)
		if got.Proportional != tc.prop {
			t.Errorf("balance %s: proportional %v", tc.balance, got.Proportional)
		}
	}
}

// Example C: a credit granted during the year, with its December interest
// still owed at the year's end.
//
//	2025-10-15 disposición  +1,000,000.00
//	2025-10-31 intereses        +5,000.00
//	2025-11-10 pago             -8,000.00 = interest 5,000 + principal 3,000
//	2025-11-30 intereses        +5,000.00
//	2025-12-10 pago             -8,000.00 = interest 5,000 + principal 3,000
//	2025-12-31 intereses        +5,000.00 (owed)
//
//	nominal 10,000.00
//	month ends: Jan-Sep 0, Oct 1,005,000, Nov 1,002,000, Dec 999,000
//	average = 3,006,000 / 12 = 250,500.00
//	adjustment = 250,500.00 × 5.090 / 137.949 = 9,242.8723… → 9,242.87
//	real = 10,000.00 − 9,242.87 = 757.13
//	cap: no balance on 31 Dec 2024, so the disbursement, 1,000,000.00
//	     = 119,891.01 UDIS: all of it deductible
func TestInterestExampleCGrantedInTheYear(t *testing.T) {
	ms := []Movement{
		mov(KindDisposicion, 2025, 10, 15, 1_000_000, 0),
		mov(KindInteres, 2025, 10, 31, 5_000, 0),
		mov(KindPagoDirecto, 2025, 11, 10, -8_000, 0),
		mov(KindInteres, 2025, 11, 30, 5_000, 0),
		mov(KindDescuentoNomina, 2025, 12, 10, -8_000, 0),
		mov(KindInteres, 2025, 12, 31, 5_000, 0),
	}
	got, err := ComputeInterest(Credit{}, ms, 2025, refs2025)
	if err != nil {
		t.Fatal(err)
	}
	if got.Nominal != portal.Pesos(10_000, 0) || got.Average != portal.Pesos(250_500, 0) || got.Adjustment != portal.Pesos(9_242, 87) ||
		got.Real != portal.Pesos(757, 13) || got.Deductible != got.Real || got.Closing != portal.Pesos(999_000, 0) {
		t.Errorf("%+v", got)
	}
	if !got.CapFromDisbursement || got.CapBalance != portal.Pesos(1_000_000, 0) || got.CapUDIsE2 != 11_989_101 || got.Proportional {
		t.Errorf("cap %+v", got)
	}
	for i, b := range got.MonthEnd[:9] {
		if b != 0 {
			t.Errorf("month %d: %s before the credit began", i+1, b)
		}
	}
}

// When inflation outruns the interest paid, the real interest is zero,
// not negative; a fall in prices gives no adjustment; a VSM credit is
// computed on its pesos and says so; missing reference values refuse.
func TestInterestEdges(t *testing.T) {
	ms := []Movement{
		mov(KindApertura, 2024, 12, 31, 100_000, 0),
		mov(KindInteres, 2025, 1, 31, 100, 0),
		mov(KindPagoDirecto, 2025, 2, 1, -100, 0),
	}
	got, _ := ComputeInterest(Credit{}, ms, 2025, refs2025)
	if got.Nominal != portal.Pesos(100, 0) || got.Adjustment <= got.Nominal || got.Real != 0 || got.Deductible != 0 {
		t.Errorf("real below zero: %+v", got)
	}
	got, _ = ComputeInterest(Credit{}, ms, 2025, InterestRefs{INPC: 100_000_000, INPCPrev: 101_000_000, UDI: 8_000_000})
	if got.Adjustment != 0 || got.Real != portal.Pesos(100, 0) || got.FactorE6() != 0 {
		t.Errorf("deflation: %+v", got)
	}
	got, _ = ComputeInterest(Credit{Denomination: DenomVSM}, ms, 2025, refs2025)
	if !got.VSM {
		t.Error("a VSM credit's constancia does not say so")
	}
	// Converted to pesos in 2025: VSM movements that year, none in 2026.
	conv := append(slices.Clone(ms), Movement{Kind: KindInteres, ValueDate: portal.NewDate(2025, 4, 30), Amount: 100, AmountVSM: 3})
	if got, _ := ComputeInterest(Credit{Denomination: DenomPesos}, conv, 2025, refs2025); !got.VSM {
		t.Error("the year of a conversion does not say VSM")
	}
	if got, _ := ComputeInterest(Credit{Denomination: DenomPesos}, conv, 2026, refs2025); got.VSM {
		t.Error("the year after a conversion says VSM")
	}
	for _, r := range []InterestRefs{{}, {INPC: 1, INPCPrev: 1}, {INPC: 1, UDI: 1}, {INPCPrev: 1, UDI: 1}} {
		if _, err := ComputeInterest(Credit{}, ms, 2025, r); err == nil {
			t.Errorf("refs %+v accepted", r)
		}
	}
	// The Fondo de Protección de Pagos pays 90 of 100 of interest: the
	// borrower's 10 is all that counts, and nothing stays owed.
	fpp := []Movement{mov(KindApertura, 2024, 12, 31, 100_000, 0), mov(KindInteres, 2025, 1, 31, 100, 0),
		mov(KindFPP, 2025, 2, 1, -90, 0), mov(KindPagoDirecto, 2025, 2, 2, -10, 0), mov(KindPagoDirecto, 2025, 3, 2, -50, 0)}
	if got, _ := ComputeInterest(Credit{}, fpp, 2025, refs2025); got.Nominal != portal.Pesos(10, 0) {
		t.Errorf("with the FPP: nominal %s", got.Nominal)
	}
	// Overpaid: a balance below zero counts as zero in the average.
	over := append(ms, mov(KindPagoDirecto, 2025, 3, 1, -200_000, 0))
	got, _ = ComputeInterest(Credit{}, over, 2025, refs2025)
	if got.Average != portal.Pesos(16_675, 0) { // (100,100 + 100,000 + 10 × 0) / 12
		t.Errorf("overpaid average %s", got.Average)
	}
}

func TestInterestYears(t *testing.T) {
	today := portal.NewDate(2026, 12, 2)
	// A balance brought forward on 30 Nov 2024: 2024 is not covered (its
	// January-October balances are unknown); 2025 is; 2026 has not ended.
	years, first := InterestYears(exampleA(), today)
	if len(years) != 1 || years[0] != 2025 || first != 2025 {
		t.Errorf("example A: %v from %d", years, first)
	}
	// Brought forward on 31 Dec 2024 exactly: 2025 is covered.
	years, _ = InterestYears([]Movement{mov(KindApertura, 2024, 12, 31, 1, 0)}, today)
	if len(years) != 1 || years[0] != 2025 {
		t.Errorf("31 Dec: %v", years)
	}
	// From the disbursement in 2022, paid off in 2024: 2022-2024, and
	// nothing for 2025, when it owed nothing and nothing moved.
	paid := []Movement{mov(KindDisposicion, 2022, 5, 1, 1000, 0), mov(KindPagoDirecto, 2024, 3, 1, -1000, 0)}
	years, first = InterestYears(paid, today)
	if len(years) != 3 || years[0] != 2024 || years[2] != 2022 || first != 2022 {
		t.Errorf("paid off: %v from %d", years, first)
	}
	// On 1 January the year just ended becomes available.
	years, _ = InterestYears(paid, portal.NewDate(2025, 1, 1))
	if len(years) != 3 || years[0] != 2024 {
		t.Errorf("1 Jan 2025: %v", years)
	}
	years, _ = InterestYears(paid, portal.NewDate(2024, 12, 31))
	if len(years) != 2 || years[0] != 2023 {
		t.Errorf("31 Dec 2024: %v", years)
	}
	if years, first := InterestYears(nil, today); years != nil || first != 0 {
		t.Errorf("no ledger: %v %d", years, first)
	}
}

func TestFormatFixed(t *testing.T) {
	for _, c := range []struct {
		v    int64
		d    int
		want string
	}{{6_052_098, 2, "60,520.98"}, {8_340_909, 6, "8.340909"}, {36_898, 6, "0.036898"}, {-1_234_567, 2, "-12,345.67"}, {893_669, 4, "89.3669"}, {5, 0, "5"}} {
		if got := FormatFixed(c.v, c.d); got != c.want {
			t.Errorf("FormatFixed(%d, %d) = %q, want %q", c.v, c.d, got, c.want)
		}
	}
	if IndexText(143_039_000) != "143.039" || IndexText(143_039_123) != "143.039123" {
		t.Error("IndexText")
	}
}
