package credit

import (
	"strings"
	"testing"
	"time"

	"micuenta/internal/portal"
)

func cday(y, m, day int) portal.Date { return portal.NewDate(y, time.Month(m), day) }

func terms(t *testing.T) *ConversionTerms {
	t.Helper()
	ts, err := DefaultConversionTerms()
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestConversionTermsTable(t *testing.T) {
	ts := terms(t)
	for _, c := range []struct {
		salary100 int64
		rate      int
	}{{0, 100}, {150, 100}, {151, 191}, {255, 355}, {300, 355}, {301, 570}, {600, 903}, {601, 1045}, {5000, 1045}} {
		if got := ts.RateFor(c.salary100); got != c.rate {
			t.Errorf("salary %d: rate %d, want %d", c.salary100, got, c.rate)
		}
	}
	for _, c := range []struct {
		ratio100 int64
		bp       int
	}{{0, 1000}, {99, 1000}, {100, 2000}, {149, 2000}, {150, 3500}, {250, 4500}, {308, 5500}} {
		if got := ts.DiscountFor(c.ratio100); got != c.bp {
			t.Errorf("ratio %d: discount %d, want %d", c.ratio100, got, c.bp)
		}
	}
	for _, bad := range []string{
		"clave,desde,valor\ntasa,0,100\n", // no discounts nor window
		"clave,desde,valor\ntasa,10,100\ndescuento,0,1\napertura_dia,0,9\nreapertura,0,117\nplazo_minimo,0,12\nplazo_maximo,0,360\n", // rates not from 0
		"clave,desde,valor\ntasa,0,100\ndescuento,0,10000\n",                                                                         // a 100% discount
		"clave,desde,valor\nnada,0,1\n", // unknown key
		"clave,desde,valor\ntasa,0,x\n", // not a number
		"clave,desde,valor\ntasa,0,100\ndescuento,0,1\napertura_dia,0,9\nreapertura,0,1301\nplazo_minimo,0,12\nplazo_maximo,0,360\n", // a reopening in month 13
	} {
		if _, err := ParseConversionTerms(bad); err == nil {
			t.Errorf("accepted:\n%s", bad)
		}
	}
}

func TestConversionWindow(t *testing.T) {
	ts := terms(t)
	for _, c := range []struct {
		day       portal.Date
		open      bool
		next      portal.Date
		estimated bool
	}{
		{cday(2026, 11, 24), true, portal.Date{}, false},
		{cday(2026, 11, 9), true, portal.Date{}, false},
		{cday(2026, 11, 8), false, cday(2026, 11, 9), false},
		{cday(2026, 11, 1), false, cday(2026, 11, 9), false},
		{cday(2027, 1, 10), false, cday(2027, 1, 17), true}, // closed for the yearly update; reopening estimated
		{cday(2024, 1, 16), false, cday(2024, 1, 17), false},
		{cday(2024, 1, 17), true, portal.Date{}, false},
		{cday(2023, 1, 20), false, cday(2023, 2, 9), false}, // 2023 reopened on 9 February
		{cday(2023, 2, 8), false, cday(2023, 2, 9), false},
	} {
		open, next, est := ts.Window(c.day)
		if open != c.open || next != c.next || est != c.estimated {
			t.Errorf("%s: open %v next %s estimated %v", c.day, open, next, est)
		}
	}
}

// A VSM credit of 1,000.0000 VSM brought forward on 30 September 2026,
// 4% a year, 10 VSM a month, lent 1,000,000.00 pesos in January 2000
// for 30 years; the person earns 300.00 a day. UMI 100.81, UMA 117.31.
func vsmCase() ConversionInput {
	c := Credit{ID: 7, Number: "0000000007", Denomination: DenomVSM, Origination: cday(2000, 1, 15), OriginalAmount: 1_000_000_00,
		AnnualRateBP: 400, TermMonths: 360, MonthlyPaymentVSME4: 10_0000, DiscountType: DiscountVSM, DiscountFactorE4: 10_0000, State: StateVigente}
	moves := []Movement{
		// Brought forward with the records' own rounding, 4.00 pesos
		// below its value at today's UMI.
		{CreditID: 7, Kind: KindApertura, Period: 202609, ValueDate: cday(2026, 9, 30), AmountVSM: 10_000_000, Amount: 306_462_000},
		{CreditID: 7, Kind: KindInteres, Period: 202610, ValueDate: cday(2026, 10, 31), AmountVSM: 33_333, Amount: 1_021_531},
	}
	return ConversionInput{Credit: c, Moves: moves, On: cday(2026, 11, 24), UMI: 10081, UMA: 11731, DailySalary: 300_00}
}

func TestConvertByHand(t *testing.T) {
	conv, err := terms(t).Convert(vsmCase(), 55)
	if err != nil {
		t.Fatal(err)
	}
	// November's interest in VSM, dated the day: on the balance at the
	// start of the month, 10,033,333 × 4% / 12 = 33,444.44 → 33,444; in
	// pesos 3.3444 × 100.81 × 30.4 = 10,249.33.
	// The balance: 10,066,777 (1,006.6777 VSM) × 100.81 × 30.4 =
	// 3,085,088.64 pesos; the peso column holds 3,064,620.00 + 10,215.31 +
	// 10,249.33 = 3,085,084.64, so the conversion adds 4.00.
	// Balance / lent = 3.08 → a 55% discount: 1,696,798.752 → 1,696,798.75;
	// new balance 1,388,289.89. Salary 300 / 117.31 = 2.55 UMA → 3.55%.
	want := []Movement{
		{CreditID: 7, Kind: KindInteres, Period: 202611, ValueDate: cday(2026, 11, 24), AmountVSM: 33_444, Amount: 1_024_933},
		{CreditID: 7, Kind: KindConversion, Period: 202611, SourceID: 55, ValueDate: cday(2026, 11, 24), AmountVSM: -10_066_777, Amount: 400},
		{CreditID: 7, Kind: KindDescuentoRC, Period: 202611, SourceID: 55, ValueDate: cday(2026, 11, 24), Amount: -169_679_875},
	}
	if len(conv.Post) != len(want) {
		t.Fatalf("posted %+v", conv.Post)
	}
	for i := range want {
		if conv.Post[i] != want[i] {
			t.Errorf("movement %d: %+v, want %+v", i, conv.Post[i], want[i])
		}
	}
	p := conv.Plan
	if p.Balance != 308_508_864 || p.DiscountBP != 5500 || p.NewBalance != 138_828_989 || p.RateBP != 355 || p.CurrentPayment != 3_064_624 {
		t.Fatalf("plan %+v", p)
	}
	// The remaining 38 months (to January 2030) need more than today's
	// 30,646.24: the term is the shortest whose level payment is not.
	if p.RemainingTerm != 38 || p.Payment > p.CurrentPayment || Payment(138_828_989, 355, p.TermMonths-1) <= int64(p.CurrentPayment) ||
		int64(p.Payment) != Payment(138_828_989, 355, p.TermMonths) {
		t.Fatalf("term %d, payment %s", p.TermMonths, p.Payment)
	}
	c := conv.Credit
	if c.Denomination != DenomPesos || c.AnnualRateBP != 355 || c.MonthlyPayment != p.Payment || c.MonthlyPaymentVSME4 != 0 ||
		c.DiscountType != DiscountCuotaFija || c.TermMonths != monthsUntil(cday(2000, 1, 15), cday(2026, 11, 24))+p.TermMonths {
		t.Fatalf("credit %+v", c)
	}
	// The ledger after it: the peso column is the new balance, and the
	// schedule restarts — nothing is owed yet.
	moves := append(vsmCase().Moves, conv.Post...)
	s := Summarize(&c, moves, cday(2026, 11, 30), 10081)
	if s.Balance != 138_828_989 || s.Arrears != 0 || s.Payoff != 138_828_989+portal.Money(DailyInterest(138_828_989, 355, 6)) {
		t.Fatalf("after the conversion: %+v", s)
	}
	if s := Summarize(&c, moves, cday(2027, 1, 5), 10081); s.Arrears != p.Payment {
		t.Fatalf("one payment (December's) due by 5 January: arrears %s", s.Arrears)
	}
}

func TestConvertRefuses(t *testing.T) {
	ts := terms(t)
	in := vsmCase()
	in.Moves = in.Moves[:1] // October's interest never posted
	if _, err := ts.Convert(in, 1); err == nil || !strings.Contains(portal.ErrorMessage(err), "octubre de 2026") {
		t.Fatalf("missing October interest: %v", err)
	}
	in = vsmCase()
	in.Credit.Denomination = DenomPesos
	if _, err := ts.Convert(in, 1); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Fatalf("a peso credit: %v", err)
	}
	in = vsmCase()
	in.Moves = append(in.Moves, Movement{Kind: KindProrroga, Period: 202612, ValueDate: cday(2026, 12, 31)})
	if why := ConversionBlock(in.Credit, in.Moves, in.On); !strings.Contains(why, "protección") {
		t.Fatalf("protection ahead: %q", why)
	}
	in = vsmCase()
	in.Credit.State = StateLiquidado
	if why := ConversionBlock(in.Credit, in.Moves, in.On); !strings.Contains(why, "liquidado") {
		t.Fatalf("paid off: %q", why)
	}
}

func TestSimulateStayingInVSM(t *testing.T) {
	p := terms(t).Simulate(vsmCase())
	// 1,003.3333 VSM at 4% with 10 VSM a month: the interest alone is
	// 3.34 VSM, so it is paid off, in a bit over 10 years.
	if p.StayMonths < 120 || p.StayMonths > 140 || p.StayTotal <= p.Balance {
		t.Fatalf("staying: %d months, %s", p.StayMonths, p.StayTotal)
	}
	in := vsmCase()
	in.Credit.MonthlyPaymentVSME4 = 3_0000 // less than the interest
	if p := terms(t).Simulate(in); p.StayMonths != 0 {
		t.Fatalf("a payment below the interest never pays it off: %d", p.StayMonths)
	}
}
