package credit

import (
	"strings"
	"testing"
)

// A peso credit of 2015: 500,000.00 brought forward on 30 September 2026,
// 10.45% a year, 4,354.17 a month.
func pesoCase() (Credit, []Movement) {
	c := Credit{ID: 9, Number: "0000000009", Denomination: DenomPesos, Origination: cday(2015, 3, 1), OriginalAmount: 600_000_00,
		AnnualRateBP: 1045, TermMonths: 360, MonthlyPayment: 4_354_17, DiscountType: DiscountCuotaFija, DiscountFactorE4: 4_354_17, State: StateVigente}
	return c, []Movement{
		{CreditID: 9, Kind: KindApertura, Period: 202609, ValueDate: cday(2026, 9, 30), Amount: 500_000_00},
		{CreditID: 9, Kind: KindInteres, Period: 202610, ValueDate: cday(2026, 10, 31), Amount: 4_354_17},
	}
}

// Out of work since 15 August 2026 after eight and a half years.
var jobless = EmploymentFacts{LastEnd: cday(2026, 8, 15), SpanMonths: 103}

func hasWhy(s ProtectionStatus, part string) bool {
	for _, w := range s.Why {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

func TestProrrogaEligibility(t *testing.T) {
	c, moves := pesoCase()
	today := cday(2026, 11, 24)
	s := Prorroga(c, moves, jobless, today)
	if !s.Eligible || s.Limit != 24 || s.Used != 0 || s.Available != 12 || s.From != cday(2026, 11, 1) {
		t.Fatalf("eligible: %+v", s)
	}
	if s := Prorroga(c, moves, EmploymentFacts{Employed: true, Employer: "ACME SA DE CV"}, today); s.Eligible || !hasWhy(s, "ACME") {
		t.Fatalf("employed: %+v", s)
	}
	if s := Prorroga(c, moves, EmploymentFacts{}, today); s.Eligible || !hasWhy(s, "ninguna relación laboral") {
		t.Fatalf("no records: %+v", s)
	}
	// Before July 1997: 12 months in all; 10 used leave 2.
	old := c
	old.Origination = cday(1995, 6, 1)
	used := append(moves, ProrrogaMonths(old, nil, cday(2020, 1, 1), 10, 3)...)
	if s := Prorroga(old, used, jobless, today); !s.Eligible || s.Limit != 12 || s.Used != 10 || s.Available != 2 {
		t.Fatalf("pre-1997 with 10 used: %+v", s)
	}
	// After it: 24 in all, 12 at a time: 20 used leave 4; 24 leave none.
	if s := Prorroga(c, append(moves, ProrrogaMonths(c, nil, cday(2019, 1, 1), 20, 3)...), jobless, today); s.Available != 4 {
		t.Fatalf("20 used: %+v", s)
	}
	if s := Prorroga(c, append(moves, ProrrogaMonths(c, nil, cday(2019, 1, 1), 24, 3)...), jobless, today); s.Eligible || !hasWhy(s, "24 meses") {
		t.Fatalf("24 used: %+v", s)
	}
	// In prórroga already, or paid off.
	ahead := append(moves, ProrrogaMonths(c, moves, today, 3, 4)...)
	c2 := c
	c2.State = StateEnProrroga
	if s := Prorroga(c2, ahead, jobless, today); s.Eligible || !hasWhy(s, "enero de 2027") {
		t.Fatalf("in prórroga: %+v", s)
	}
	c2.State = StateLiquidado
	if s := Prorroga(c2, moves, jobless, today); s.Eligible || !hasWhy(s, "liquidado") {
		t.Fatalf("paid off: %+v", s)
	}
}

func TestProrrogaInTheLedger(t *testing.T) {
	c, moves := pesoCase()
	months := ProrrogaMonths(c, moves, cday(2026, 11, 24), 3, 77)
	want := []Movement{
		{CreditID: 9, Kind: KindProrroga, Period: 202611, SourceID: 77, ValueDate: cday(2026, 11, 30)},
		{CreditID: 9, Kind: KindInteres, Period: 202611, ValueDate: cday(2026, 11, 30)},
		{CreditID: 9, Kind: KindProrroga, Period: 202612, SourceID: 77, ValueDate: cday(2026, 12, 31)},
		{CreditID: 9, Kind: KindInteres, Period: 202612, ValueDate: cday(2026, 12, 31)},
		{CreditID: 9, Kind: KindProrroga, Period: 202701, SourceID: 77, ValueDate: cday(2027, 1, 31)},
		{CreditID: 9, Kind: KindInteres, Period: 202701, ValueDate: cday(2027, 1, 31)},
	}
	if len(months) != len(want) {
		t.Fatalf("%d movements", len(months))
	}
	for i := range want {
		if months[i] != want[i] {
			t.Fatalf("movement %d: %+v", i, months[i])
		}
	}
	// A month whose interest is already charged keeps it.
	charged := append(moves, Movement{CreditID: 9, Kind: KindInteres, Period: 202611, ValueDate: cday(2026, 11, 10), AmountVSM: 1})
	if got := ProrrogaMonths(c, charged, cday(2026, 11, 24), 1, 77); len(got) != 1 || got[0].Kind != KindProrroga {
		t.Fatalf("a charged month: %+v", got)
	}
	c.State = StateEnProrroga
	all := append(moves, months...)
	// During it nothing falls due: October's payment is owed, and the next
	// one is February's.
	s := Summarize(&c, all, cday(2026, 12, 15), 0)
	if s.Arrears != 4_354_17 || s.ArrearsMonths != 1 || s.DeferredUntil != cday(2027, 1, 31) || s.NextDue != cday(2027, 2, 28) || s.Balance != 504_354_17 {
		t.Fatalf("during: %+v", s)
	}
	// On 10 February 2027 the months due are October's and none of the
	// three deferred: still one payment.
	if s := Summarize(&c, all, cday(2027, 2, 10), 0); s.Arrears != 4_354_17 || !s.DeferredUntil.IsZero() || s.NextDue != cday(2027, 2, 28) {
		t.Fatalf("after: %+v", s)
	}
	// The view shows the ledger as of today: the months to come are not
	// listed, though the summary reads them.
	if s := Summarize(&c, all, cday(2026, 11, 24), 0); s.DeferredUntil != cday(2027, 1, 31) {
		t.Fatalf("from its first day: %+v", s)
	}
}

func TestFPP(t *testing.T) {
	c, moves := pesoCase()
	today := cday(2026, 11, 24)
	s := FPP(c, moves, jobless, today, 0)
	// 90% of 4,354.17 = 3,918.753 → 3,918.75; the person pays 435.42.
	if !s.Eligible || s.Payment != 4_354_17 || s.FundPays != 3_918_75 || s.OwnShare != 435_42 {
		t.Fatalf("eligible: %+v", s)
	}
	cover := FPPCoverage(c, today, 0, 88)
	if len(cover) != 6 || cover[0] != (Movement{CreditID: 9, Kind: KindFPP, Period: 202611, SourceID: 88, ValueDate: cday(2026, 11, 30), Amount: -3_918_75}) ||
		cover[5].Period != 202704 || cover[5].ValueDate != cday(2027, 4, 30) {
		t.Fatalf("cover: %+v", cover)
	}
	// Paying the 10% each month keeps the borrower up to date.
	all := append(append([]Movement(nil), moves...), cover...)
	all = append(all, Movement{Kind: KindPagoDirecto, ValueDate: cday(2026, 10, 20), Amount: -4_354_17})
	for m := 11; m <= 12; m++ {
		all = append(all, Movement{Kind: KindPagoDirecto, ValueDate: cday(2026, m, 20), Amount: -435_42})
	}
	if s := Summarize(&c, all, cday(2027, 1, 5), 0); s.Arrears != 0 || s.FPPUntil != cday(2027, 4, 30) {
		t.Fatalf("with the fund's 90%%: %+v", s)
	}
	// Used within 5 years: not again until then.
	if s := FPP(c, all, jobless, cday(2029, 3, 1), 0); s.Eligible || !hasWhy(s, "noviembre de 2031") {
		t.Fatalf("again within 5 years: %+v", s)
	}
	// A credit of 2008; a job lost two weeks ago; a job of 4 months; a pensioner.
	old := c
	old.Origination = cday(2008, 12, 31)
	if s := FPP(old, moves, jobless, today, 0); s.Eligible || !hasWhy(s, "desde 2009") {
		t.Fatalf("2008: %+v", s)
	}
	if s := FPP(c, moves, EmploymentFacts{LastEnd: cday(2026, 11, 10), SpanMonths: 40}, today, 0); s.Eligible || !hasWhy(s, "10 dic 2026") {
		t.Fatalf("two weeks: %+v", s)
	}
	if s := FPP(c, moves, EmploymentFacts{LastEnd: cday(2026, 8, 15), SpanMonths: 4}, today, 0); s.Eligible || !hasWhy(s, "trabajaste 4") {
		t.Fatalf("4 months: %+v", s)
	}
	if s := FPP(c, moves, EmploymentFacts{LastEnd: cday(2026, 8, 15), SpanMonths: 40, Pensioner: true}, today, 0); s.Eligible || !hasWhy(s, "pensión") {
		t.Fatalf("pensioner: %+v", s)
	}
	// A VSM credit's share is in VSM, valued at the UMI.
	v := c
	v.Denomination, v.MonthlyPaymentVSME4 = DenomVSM, 10_0000
	if s := FPP(v, nil, jobless, today, 10081); s.FundPaysUnit != 9_0000 || s.FundPays != 2_758_162 || s.Payment != 3_064_624 {
		t.Fatalf("VSM: %+v", s)
	}
}

func TestEmploymentFacts(t *testing.T) {
	spans := []Span{
		{Start: cday(2010, 1, 1), End: cday(2015, 6, 30), Employer: "A"},
		{Start: cday(2015, 7, 1), End: cday(2018, 2, 14), Employer: "B"}, // back to back with A
		{Start: cday(2019, 1, 1), End: cday(2026, 8, 15), Employer: "C"},
		{Start: cday(2024, 1, 1), End: cday(2024, 6, 30), Employer: "D"}, // inside C
	}
	e := Employment(spans, false)
	if e.Employed || e.LastEnd != cday(2026, 8, 15) || e.SpanMonths != 91 {
		t.Fatalf("%+v", e)
	}
	e = Employment(append(spans, Span{Start: cday(2026, 10, 1), Employer: "E"}), false)
	if !e.Employed || e.Employer != "E" || !e.LastEnd.IsZero() {
		t.Fatalf("employed: %+v", e)
	}
	if e := Employment(spans[:2], false); e.SpanMonths != 97 { // January 2010 to 14 February 2018
		t.Fatalf("joined spans: %+v", e)
	}
}

func TestAfterPayoff(t *testing.T) {
	c := Credit{Number: "1", Origination: cday(1995, 5, 1), State: StateLiquidado}
	if why := DeedsBlock(c, 0); why != "" {
		t.Fatalf("1995, paid: %q", why)
	}
	for _, tc := range []struct {
		year  int
		state string
		want  string
	}{{2008, StateLiquidado, "notaría"}, {1970, StateLiquidado, "antes de 1972"}, {2001, StateVigente, "$12.00"}, {2001, StateCerrado, "cerrado"}} {
		c := Credit{Origination: cday(tc.year, 1, 1), State: tc.state}
		if why := DeedsBlock(c, 12_00); !strings.Contains(why, tc.want) {
			t.Errorf("%d %s: %q", tc.year, tc.state, why)
		}
	}
	moves := []Movement{
		{Kind: KindApertura, ValueDate: cday(2026, 8, 31), Amount: 10_000_00},
		{Kind: KindPagoDirecto, ValueDate: cday(2026, 9, 15), Amount: -10_000_00},
		{Kind: KindDescuentoNomina, ValueDate: cday(2026, 10, 17), Amount: -1_234_56},
	}
	if got := Overpaid(moves, cday(2026, 11, 24)); got != 1_234_56 {
		t.Fatalf("overpaid %s", got)
	}
	if got := Overpaid(moves, cday(2026, 10, 1)); got != 0 {
		t.Fatalf("before the extra discount: %s", got)
	}
	if OverpaidBlock(c, 1_234_56) != "" || OverpaidBlock(c, 0) == "" || OverpaidBlock(Credit{State: StateVigente}, 1) == "" {
		t.Fatal("overpaid blocks")
	}
	r := OverpaidRefund(Credit{ID: 3}, 1_234_56, cday(2026, 11, 24), 0, 5)
	if r != (Movement{CreditID: 3, Kind: KindDevolucionExceso, Period: 202611, SourceID: 5, ValueDate: cday(2026, 11, 24), Amount: 1_234_56}) {
		t.Fatalf("refund %+v", r)
	}
	if got := Overpaid(append(moves, r), cday(2026, 11, 24)); got != 0 {
		t.Fatalf("after the refund: %s", got)
	}
}
