package prequal_test

import (
	"strings"
	"testing"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/prequal"
)

const (
	sm2026  = portal.Money(31504) // 315.04 a day: 9,577.22 a month (× 30.4)
	sm2021  = portal.Money(14170)
	uma2021 = portal.Money(8962)
)

func simulate(t *testing.T, req prequal.Request) prequal.Quote {
	t.Helper()
	if req.On.IsZero() {
		req.On, req.UMADaily, req.MinimumWageDaily = mar2026, uma2026, sm2026
	}
	q, err := catalog(t).Simulate(req)
	if err != nil {
		t.Fatalf("Simulate(%+v): %v", req, err)
	}
	return q
}

func one(birth portal.Date, sex string, monthly, balance portal.Money) []prequal.Participant {
	return []prequal.Participant{{BirthDate: birth, Sex: sex, MonthlySalary: monthly, Balance: balance}}
}

// A man of 30 earning exactly one minimum wage in March 2026, worked by
// hand with the 2026 rules:
//
//	salary      9,577.22 / (117.31 × 30.4 = 3,566.224) = 2.6855 UMA → 2.6
//	rate        3.69% + (10.45% − 3.69%) × (2.6 − 2.4) / (6.6 − 2.4)
//	            = 3.69% + 0.3219% = 4.0119% → 4.01%
//	payment     ≤ 1 minimum wage (9,577.22): 20% → 1,915.444 → 1,915.44
//	term        min(30, 70 − 30) = 30 years, 360 payments
//	credit      1,915.44 × (1 − (1 + 0.0401/12)^−360) / (0.0401/12)
//	            = 1,915.44 × 209.2085276 = 400,726.38 (rounded down)
//	payment on it: 1,915.44 exactly; the balance 50,000 is added: 450,726.38;
//	the housing insurance, 15.00 a bimester, comes on top.
//	Year 1: paid 22,985.28, interest 15,940.59, owed 393,681.69; year 30
//	ends at 0; 288,831.92 of interest in all.
func TestSimulateMinimumWageEarner(t *testing.T) {
	q := simulate(t, prequal.Request{Product: "infonavit", Participants: one(d(1996, time.March, 1), "H", 957_722, 5_000_000)})
	p := q.Parts[0]
	if !q.Eligible || p.SalaryUMAE6 != 2_685_535 || p.RateE6 != 40_100 || p.ShareE6 != 200_000 || p.Capacity != 191_544 ||
		p.TermYears != 30 || p.MaxTermYears != 30 || p.Credit != 40_072_638 || p.MonthlyPayment != 191_544 || p.LimitedBy != prequal.LimitCapacidad {
		t.Fatalf("part %+v", p)
	}
	if q.Credit != 40_072_638 || q.Balance != 5_000_000 || q.Total != 45_072_638 || q.Ceiling != 293_500_235 || q.TermYears != 30 ||
		q.Insurance != 1_500 {
		t.Fatalf("quote %+v", q)
	}
	if len(q.Schedule) != 30 || q.Schedule[0] != (prequal.YearRow{Year: 1, Payments: 2_298_528, Interest: 1_594_059, Principal: 704_469, Balance: 39_368_169}) ||
		q.Schedule[29].Balance != 0 {
		t.Fatalf("schedule first %+v last %+v", q.Schedule[0], q.Schedule[len(q.Schedule)-1])
	}
	var interest portal.Money
	for _, y := range q.Schedule {
		interest += y.Interest
	}
	if interest != 28_883_192 {
		t.Fatalf("interest %v", interest)
	}
	if !q.Uncertain || q.Rules.Note == "" || q.Rules.ValidFrom != d(2026, time.February, 1) {
		t.Fatalf("the approximation must be flagged: %+v", q.Rules)
	}
}

// The published simulator gives 364,582.34 at 3.5% for 8,364 a month in
// 2025 (domain.md §4.3), a payment of 1,637.34 (19.58% of the salary).
// Ours takes 20% (1,672.80) and gives 372,524.17 at the same rate and
// term: 2.2% more. The rate matches: 8,364 is 2.43 UMA, truncated to 2.4.
func TestSimulatePublishedExampleKnownGap(t *testing.T) {
	q := simulate(t, prequal.Request{Product: "infonavit", On: d(2025, time.August, 30), UMADaily: 11314, MinimumWageDaily: 27880,
		Participants: one(d(1995, time.January, 1), "H", 836_400, 0)})
	if p := q.Parts[0]; p.RateE6 != 35_000 || p.Capacity != 167_280 || p.Credit != 37_252_417 {
		t.Fatalf("part %+v", p)
	}
}

// Each salary-band edge, just below, at and above. The salary counts in
// a 0.1-UMA step only once it reaches it.
func TestSimulateSalaryBandEdges(t *testing.T) {
	birth := d(1990, time.January, 1)
	cases := []struct {
		name    string
		on      portal.Date
		monthly portal.Money
		rate    int64
		share   int64
	}{
		// 2026: 3.69% up to 2.4 UMA (8,558.94), straight line to 10.45%
		// at 6.6 UMA (23,537.08).
		{"2026 below 2.4 UMA", mar2026, 855_893, 36_900, 200_000},     // 2.399997 → 2.3
		{"2026 at 2.4 UMA", mar2026, 855_894, 36_900, 200_000},        // 2.400000
		{"2026 under 2.5 UMA", mar2026, 891_555, 36_900, 200_000},     // 2.499997 → 2.4
		{"2026 at 2.5 UMA", mar2026, 891_556, 38_500, 200_000},        // 3.69 + 6.76 × 0.1/4.2 = 3.851 → 3.85%
		{"2026 at 1 minimum wage", mar2026, 957_722, 40_100, 200_000}, // 9,577.22: still 20%
		{"2026 above 1 minimum wage", mar2026, 957_723, 40_100, 300_000},
		{"2026 below 6.6 UMA", mar2026, 2_353_707, 102_900, 300_000}, // 6.5: 3.69 + 6.76 × 4.1/4.2 = 10.289 → 10.29%
		{"2026 at 6.6 UMA", mar2026, 2_353_708, 104_500, 300_000},
		{"2026 above 6.6 UMA", mar2026, 2_390_000, 104_500, 300_000},
		// 2021: official limits (UMA mensual 2021 = 2,724.448), with the
		// jumps between bands kept.
		{"2021 below 2.0 UMA", d(2021, time.June, 1), 544_889, 30_500, 300_000}, // 1.9: 1.91 + 1.42 × 0.4/0.5 = 3.046 → 3.05%
		{"2021 at 2.0 UMA", d(2021, time.June, 1), 544_890, 33_300, 300_000},
		{"2021 below 2.1 UMA", d(2021, time.June, 1), 572_134, 33_300, 300_000},
		{"2021 at 2.1 UMA", d(2021, time.June, 1), 572_135, 35_500, 300_000},
		{"2021 below 6.1 UMA", d(2021, time.June, 1), 1_661_913, 104_200, 300_000},
		{"2021 at 6.1 UMA", d(2021, time.June, 1), 1_661_914, 104_500, 300_000},
		{"2021 at 1 minimum wage", d(2021, time.June, 1), 430_768, 19_100, 200_000}, // 141.70 × 30.4 = 4,307.68 = 1.58 UMA
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := prequal.Request{Product: "infonavit", On: c.on, UMADaily: uma2026, MinimumWageDaily: sm2026, Participants: one(birth, "H", c.monthly, 0)}
			if c.on.Y == 2021 {
				req.UMADaily, req.MinimumWageDaily = uma2021, sm2021
			}
			q := simulate(t, req)
			if p := q.Parts[0]; p.RateE6 != c.rate || p.ShareE6 != c.share {
				t.Fatalf("rate %s share %s, want %s and %s", prequal.Percent(p.RateE6), prequal.Percent(p.ShareE6), prequal.Percent(c.rate), prequal.Percent(c.share))
			}
		})
	}
}

// Around the 823-UMA ceiling (2,935,002.35 in 2026) at 10.45%, 30 years,
// 30% of the salary. 89,126.54 pays 26,737.96, worth 2,935,001.64: under
// the ceiling. One centavo more pays 26,737.97, worth 2,935,002.74: the
// ceiling holds the credit and the payment on 2,935,002.35 is again
// 26,737.97 (rounded up). Far above, the payment stays there.
func TestSimulateCeilingEdge(t *testing.T) {
	birth := d(1996, time.March, 1)
	for _, c := range []struct {
		monthly, credit, payment portal.Money
		by                       string
	}{
		{8_912_654, 293_500_164, 2_673_796, prequal.LimitCapacidad},
		{8_912_655, 293_500_235, 2_673_797, prequal.LimitTope},
		{8_912_656, 293_500_235, 2_673_797, prequal.LimitTope},
		{20_000_000, 293_500_235, 2_673_797, prequal.LimitTope},
	} {
		q := simulate(t, prequal.Request{Product: "infonavit", Participants: one(birth, "H", c.monthly, 0)})
		if p := q.Parts[0]; p.Credit != c.credit || p.MonthlyPayment != c.payment || p.LimitedBy != c.by || p.MonthlyPayment > p.Capacity {
			t.Errorf("%v a month: %+v, want credit %v payment %v by %s", c.monthly, p, c.credit, c.payment, c.by)
		}
	}
}

// Age + term ≤ 70 for men and 75 for women, in completed years.
func TestSimulateAgeAndTermLimit(t *testing.T) {
	cases := []struct {
		name     string
		product  string
		birth    portal.Date
		sex      string
		term     int
		eligible bool
		maxTerm  int
		errText  string
	}{
		{"man of 45", "infonavit", d(1981, time.March, 1), "H", 0, true, 25, ""},
		{"man of 45 asks 25", "infonavit", d(1981, time.March, 1), "H", 25, true, 25, ""},
		{"man of 45 asks 26", "infonavit", d(1981, time.March, 1), "H", 26, false, 0, "Por la edad, el plazo máximo es de 25 años."},
		{"woman of 45", "infonavit", d(1981, time.March, 1), "M", 0, true, 30, ""},
		{"woman of 50 asks 26", "infonavit", d(1976, time.March, 1), "M", 26, false, 0, "Por la edad, el plazo máximo es de 25 años."},
		{"man of 69", "infonavit", d(1957, time.March, 1), "H", 0, true, 1, ""},
		{"man 70 tomorrow", "infonavit", d(1956, time.March, 16), "H", 0, true, 1, ""},
		{"man 70 today", "infonavit", d(1956, time.March, 15), "H", 0, false, 0, ""},
		{"woman 75 tomorrow", "infonavit", d(1951, time.March, 16), "M", 0, true, 1, ""},
		{"woman 75 today", "infonavit", d(1951, time.March, 15), "M", 0, false, 0, ""},
		{"non-binary 72: general rule", "infonavit", d(1953, time.July, 1), "X", 0, false, 0, ""},
		{"Cofinavit at 67", "cofinavit", d(1959, time.March, 1), "H", 0, true, 3, ""},
		{"Cofinavit at 68: shortest term 3", "cofinavit", d(1958, time.March, 1), "H", 0, false, 0, ""},
		{"term over the product's", "infonavit", d(1996, time.March, 1), "H", 31, false, 0, "El plazo de este crédito es de 1 a 30 años."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := catalog(t).Simulate(prequal.Request{Product: c.product, On: mar2026, UMADaily: uma2026, MinimumWageDaily: sm2026,
				TermYears: c.term, Participants: one(c.birth, c.sex, 2_000_000, 0)})
			if c.errText != "" {
				if portal.ErrorCode(err) != portal.EINVALID || portal.ErrorMessage(err) != c.errText {
					t.Fatalf("err %v, want %q", err, c.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Eligible != c.eligible || q.Parts[0].MaxTermYears != c.maxTerm {
				t.Fatalf("eligible %v max term %d, want %v %d (%+v)", q.Eligible, q.Parts[0].MaxTermYears, c.eligible, c.maxTerm, q.Reasons)
			}
			if c.eligible && (c.term == 0 && q.TermYears != c.maxTerm || len(q.Schedule) != q.TermYears) {
				t.Fatalf("term %d, %d years of schedule", q.TermYears, len(q.Schedule))
			}
			if !c.eligible && (len(q.Reasons) != 1 || q.Reasons[0].Code != prequal.ReasonEdad || q.Credit != 0 || q.Schedule != nil) {
				t.Fatalf("reasons %+v, credit %v", q.Reasons, q.Credit)
			}
		})
	}
}

// Mejoravit Solo para Ti, March 2026, a man of 40 earning 15,000 (30% →
// 4,500.00 a month): the credit is at most 90% of the balance, between
// 10,698.67 (3 UMA mensuales) and 169,039.02 (47.4); up to 42,794.69 (12
// UMA mensuales = 1 UMA anual) it costs 10% for up to 5 years, above it
// 11% for up to 10. The balance is not added: it guarantees the credit.
func TestSimulateMejoravit(t *testing.T) {
	birth := d(1985, time.June, 1)
	cases := []struct {
		name           string
		balance        portal.Money
		term           int
		credit         portal.Money
		rate           int64
		years          int
		payment        portal.Money
		by             string
		notEligible    string
		invalidMessage string
	}{
		// 90% of 100,000 = 90,000 > 42,794.69: 11%, 10 years;
		// 90,000 × (0.11/12) / (1 − (1 + 0.11/12)^−120) = 1,239.76.
		{name: "above 1 UMA anual", balance: 10_000_000, credit: 9_000_000, rate: 110_000, years: 10, payment: 123_976, by: prequal.LimitSaldo},
		{name: "above, 8 years asked", balance: 10_000_000, term: 8, credit: 9_000_000, rate: 110_000, years: 8, payment: 141_376, by: prequal.LimitSaldo},
		// 90% of 40,000 = 36,000 ≤ 42,794.69: 10%, 5 years → 764.90.
		{name: "up to 1 UMA anual", balance: 4_000_000, credit: 3_600_000, rate: 100_000, years: 5, payment: 76_490, by: prequal.LimitSaldo},
		// 47,549.66 × 0.9 = 42,794.694 → 42,794.69: exactly the limit, 10%.
		{name: "at the band limit", balance: 4_754_966, credit: 4_279_469, rate: 100_000, years: 5, payment: 90_927, by: prequal.LimitSaldo},
		// 47,549.67 × 0.9 = 42,794.703 → 42,794.70: a centavo above, 11%.
		{name: "a centavo above the band limit", balance: 4_754_967, credit: 4_279_470, rate: 110_000, years: 10, payment: 58_950, by: prequal.LimitSaldo},
		// 90% of 10,000 = 9,000 < 10,698.67.
		{name: "balance too small", balance: 1_000_000, notEligible: prequal.ReasonMontoMinimo},
		{name: "8 years for a small amount", balance: 4_000_000, term: 8, invalidMessage: "Para montos de hasta $42,794.69 el plazo máximo es de 5 años."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := catalog(t).Simulate(prequal.Request{Product: "mejoravit", On: mar2026, UMADaily: uma2026, MinimumWageDaily: sm2026,
				TermYears: c.term, Participants: one(birth, "H", 1_500_000, c.balance)})
			if c.invalidMessage != "" {
				if portal.ErrorCode(err) != portal.EINVALID || portal.ErrorMessage(err) != c.invalidMessage {
					t.Fatalf("err %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.notEligible != "" {
				if q.Eligible || len(q.Reasons) != 1 || q.Reasons[0].Code != c.notEligible || !strings.Contains(q.Reasons[0].Text, "90%") {
					t.Fatalf("reasons %+v", q.Reasons)
				}
				return
			}
			p := q.Parts[0]
			if !q.Eligible || p.Credit != c.credit || p.RateE6 != c.rate || p.TermYears != c.years || p.MonthlyPayment != c.payment || p.LimitedBy != c.by {
				t.Fatalf("part %+v", p)
			}
			if q.Balance != 0 || q.Total != c.credit || q.Ceiling != 16_903_902 || q.MinAmount != 1_069_867 || q.Insurance != 0 {
				t.Fatalf("quote %+v", q)
			}
		})
	}
}

// Unamos Créditos: two people earning 100,000 a month each reach the
// 823-UMA personal limit (2,935,002.35); together 5,870,004.70 passes the
// 1,481.4-UMA ceiling (5,283,004.23), so each part is cut in the same
// proportion: 2,935,002.35 × 5,283,004.23 / 5,870,004.70 = 2,641,502.115
// → 2,641,502.11 each, 5,283,004.22 together (under the ceiling). Each
// pays 24,064.17 at 10.45% for 30 years; both balances are added; each
// credit carries its own housing insurance.
func TestSimulateUnamos(t *testing.T) {
	people := []prequal.Participant{
		{BirthDate: d(1996, time.March, 1), Sex: "H", MonthlySalary: 10_000_000, Balance: 20_000_000},
		{BirthDate: d(1994, time.March, 1), Sex: "M", MonthlySalary: 10_000_000, Balance: 10_000_000},
	}
	q := simulate(t, prequal.Request{Product: "unamos", Participants: people})
	if !q.Eligible || len(q.Parts) != 2 || q.Credit != 528_300_422 || q.Ceiling != 528_300_423 || q.Balance != 30_000_000 ||
		q.Total != 558_300_422 || q.MonthlyPayment != 2*2_406_417 || q.Insurance != 2*1_500 {
		t.Fatalf("quote %+v", q)
	}
	for _, p := range q.Parts {
		if p.Credit != 264_150_211 || p.MonthlyPayment != 2_406_417 || p.LimitedBy != prequal.LimitTope || p.RateE6 != 104_500 {
			t.Fatalf("part %+v", p)
		}
	}
	if len(q.Schedule) != 30 || q.Schedule[29].Balance != 0 || q.Schedule[0].Payments != 2*12*2_406_417 {
		t.Fatalf("schedule %+v", q.Schedule[0])
	}
	// Alone it is not this product.
	alone := simulate(t, prequal.Request{Product: "unamos", Participants: people[:1]})
	if alone.Eligible || alone.Reasons[0].Code != prequal.ReasonParticipantes {
		t.Fatalf("one person: %+v", alone.Reasons)
	}
	// A reason about one person says which.
	old := append([]prequal.Participant{}, people...)
	old[1].BirthDate = d(1950, time.January, 1)
	q = simulate(t, prequal.Request{Product: "unamos", Participants: old})
	if q.Eligible || !strings.HasPrefix(q.Reasons[0].Text, "Persona 2: ") {
		t.Fatalf("reasons %+v", q.Reasons)
	}
}

// Cofinavit: only the Infonavit part, fixed 10.45% for any salary. 20,000
// a month → 6,000.00; 6,000 × 109.7691 = 658,614.56, under the 325-UMA
// ceiling (1,159,022.80).
func TestSimulateCofinavit(t *testing.T) {
	q := simulate(t, prequal.Request{Product: "cofinavit", Participants: one(d(1991, time.January, 1), "H", 2_000_000, 7_500_000)})
	if p := q.Parts[0]; !q.Eligible || p.RateE6 != 104_500 || p.Credit != 65_861_456 || p.MonthlyPayment != 600_000 || q.Ceiling != 115_902_280 || q.Total != 65_861_456+7_500_000 {
		t.Fatalf("quote %+v part %+v", q, p)
	}
	_, err := catalog(t).Simulate(prequal.Request{Product: "cofinavit", On: mar2026, UMADaily: uma2026, MinimumWageDaily: sm2026,
		Participants: append(one(d(1991, time.January, 1), "H", 2_000_000, 0), one(d(1991, time.January, 1), "M", 2_000_000, 0)...)})
	if portal.ErrorCode(err) != portal.EINVALID {
		t.Fatalf("two people on Cofinavit: %v", err)
	}
}

func TestSimulateRefusesBadInput(t *testing.T) {
	cat := catalog(t)
	ok := one(d(1990, time.January, 1), "H", 1_000_000, 0)
	for name, c := range map[string]struct {
		req  prequal.Request
		code string
	}{
		"unknown product":  {prequal.Request{Product: "otro", Participants: ok}, portal.EINVALID},
		"before the rules": {prequal.Request{Product: "mejoravit", On: d(2024, time.January, 1), Participants: ok}, portal.ENOTFOUND},
		"no people":        {prequal.Request{Product: "infonavit"}, portal.EINVALID},
		"no salary":        {prequal.Request{Product: "infonavit", Participants: one(d(1990, time.January, 1), "H", 0, 0)}, portal.EINVALID},
		"born tomorrow":    {prequal.Request{Product: "infonavit", Participants: one(d(2026, time.March, 16), "H", 1_000_000, 0)}, portal.EINVALID},
		"negative balance": {prequal.Request{Product: "infonavit", Participants: one(d(1990, time.January, 1), "H", 1_000_000, -1)}, portal.EINVALID},
		"no birth date":    {prequal.Request{Product: "infonavit", Participants: one(portal.Date{}, "H", 1_000_000, 0)}, portal.EINVALID},
	} {
		if c.req.On.IsZero() {
			c.req.On = mar2026
		}
		c.req.UMADaily, c.req.MinimumWageDaily = uma2026, sm2026
		if _, err := cat.Simulate(c.req); portal.ErrorCode(err) != c.code || portal.ErrorMessage(err) == "" {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
	if _, err := cat.Simulate(prequal.Request{Product: "infonavit", On: mar2026, Participants: ok}); err == nil {
		t.Error("no UMA: want an error")
	}
}
