package credit

import (
	"math/rand/v2"
	"testing"
	"time"

	"micuenta/internal/portal"
)

func TestRoundDivHalvesAwayFromZero(t *testing.T) {
	cases := []struct{ x, num, den, want int64 }{
		{1, 1, 2, 1}, {3, 1, 2, 2}, {-1, 1, 2, -1}, {-3, 1, 2, -2}, {1, 1, 3, 0}, {2, 1, 3, 1}, {10_000_00, 1045, 120_000, 8708},
	}
	for _, c := range cases {
		if got := RoundDiv(c.x, c.num, c.den); got != c.want {
			t.Errorf("RoundDiv(%d, %d, %d) = %d, want %d", c.x, c.num, c.den, got, c.want)
		}
	}
}

// Hand-checked: 500,000.00 pesos at 10.45% → 500000 × 0.1045 / 12 =
// 4,354.1666… → 4,354.17; VSM interest of 12.3456 VSM at a daily UMI of
// 117.31 → 12.3456 × 117.31 × 30.4 = 12.3456 × 3,566.224 = 44,027.18
// pesos (44,027.1750…).
func TestHandCheckedFigures(t *testing.T) {
	if got := MonthlyInterest(50_000_000, 1045); got != 435_417 {
		t.Errorf("monthly interest %d", got)
	}
	if got := VSMToPesos(123_456, 11731); got != 4_402_718 {
		t.Errorf("VSM to pesos %d", got)
	}
	if got := DailyInterest(50_000_000, 1045, 15); got != 217_708 { // 500000 × .1045 × 15/360 = 2177.083
		t.Errorf("daily interest %d", got)
	}
}

// A credit paid exactly on schedule — the level payment each month, the
// last one whatever is left — ends at zero at its term, with a last
// payment no larger than the others; and the level payment is the least
// that does it (one centavo less leaves a balance at the term).
func TestPaidOnScheduleEndsAtZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 300; i++ {
		principal := 10_000_00 + rng.Int64N(2_000_000_00)
		rate := 100 + rng.IntN(1200)
		months := 12 * (5 + rng.IntN(26))
		p := Payment(principal, rate, months)
		balance := principal
		var last int64
		for m := 1; m <= months; m++ {
			balance += MonthlyInterest(balance, rate)
			pay := min(p, balance)
			if m == months {
				pay = balance
				last = pay
			}
			balance -= pay
		}
		if balance != 0 {
			t.Fatalf("principal %d at %d bp over %d months: %d left", principal, rate, months, balance)
		}
		if last <= 0 || last > p {
			t.Fatalf("principal %d at %d bp over %d months: payment %d, last %d", principal, rate, months, p, last)
		}
		if remaining(principal, rate, months, p-1) <= 0 {
			t.Fatalf("principal %d at %d bp over %d months: %d is not the least payment", principal, rate, months, p)
		}
	}
}

// Whatever the movements, the summary's balance is their sum, arrears
// never exceed the balance nor go below zero, and the payoff is never
// below the balance.
func TestSummaryProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	today := portal.NewDate(2026, 11, 24)
	for i := 0; i < 500; i++ {
		c := &Credit{Denomination: DenomPesos, AnnualRateBP: 300 + rng.IntN(800), MonthlyPayment: portal.Money(2_000_00 + rng.Int64N(10_000_00)), State: StateVigente}
		d := portal.NewDate(2024, 11, 1)
		moves := []Movement{{Kind: KindApertura, ValueDate: d, Amount: portal.Money(100_000_00 + rng.Int64N(900_000_00))}}
		var sum portal.Money = moves[0].Amount
		for d.Before(today) {
			d = d.AddDays(1 + rng.IntN(40))
			if today.Before(d) {
				break
			}
			kinds := []string{KindInteres, KindPagoDirecto, KindDescuentoNomina, KindAjuste}
			k := kinds[rng.IntN(len(kinds))]
			amt := portal.Money(rng.Int64N(20_000_00))
			if IsPayment(k) || (k == KindAjuste && rng.IntN(2) == 0) {
				amt = -amt
			}
			moves = append(moves, Movement{Kind: k, ValueDate: d, Amount: amt})
			sum += amt
		}
		s := Summarize(c, moves, today, 0)
		if sum > 0 && s.Balance != sum {
			t.Fatalf("balance %d, movements sum to %d", s.Balance, sum)
		}
		if s.Arrears < 0 || s.Arrears > max(s.Balance, 0) || (sum > 0 && s.Payoff < s.Balance) {
			t.Fatalf("summary %+v for a sum of %d", s, sum)
		}
	}
}

// Arrears: a credit opened in January owes the payments due at the end
// of each month since; one payment short is one month behind.
func TestArrearsHandChecked(t *testing.T) {
	c := &Credit{Denomination: DenomPesos, AnnualRateBP: 0, MonthlyPayment: 5_000_00, State: StateVigente}
	moves := []Movement{{Kind: KindDisposicion, ValueDate: portal.NewDate(2026, 1, 15), Amount: 500_000_00}}
	for m := 2; m <= 9; m++ { // eight payments, February to September
		moves = append(moves, Movement{Kind: KindPagoDirecto, ValueDate: portal.NewDate(2026, time.Month(m), 20), Amount: -5_000_00})
	}
	// On 24 November the ends of February … October have passed: 9 due.
	s := Summarize(c, moves, portal.NewDate(2026, 11, 24), 0)
	if s.Arrears != 5_000_00 || s.ArrearsMonths != 1 || s.NextDue != portal.NewDate(2026, 11, 30) {
		t.Fatalf("%+v", s)
	}
}

// A VSM credit across the yearly update: its balance in VSM does not
// move, its value in pesos follows the UMI (hand-checked: 150.0000 VSM at
// 113.14 a day is 150 × 113.14 × 30.4 = 515,918.40 pesos; at 117.31 it
// is 534,933.60).
func TestVSMCreditAcrossTheYearlyUpdate(t *testing.T) {
	c := &Credit{Denomination: DenomVSM, AnnualRateBP: 600, MonthlyPaymentVSME4: 12_000, State: StateVigente}
	moves := []Movement{{Kind: KindApertura, ValueDate: portal.NewDate(2025, 12, 31), AmountVSM: 1_500_000, Amount: 51_591_840}}
	before := Summarize(c, moves, portal.NewDate(2026, 1, 20), 11314)
	after := Summarize(c, moves, portal.NewDate(2026, 2, 20), 11731)
	if before.BalanceVSME4 != 1_500_000 || after.BalanceVSME4 != 1_500_000 {
		t.Fatalf("VSM balance moved: %d → %d", before.BalanceVSME4, after.BalanceVSME4)
	}
	if before.Balance != 51_591_840 || after.Balance != 53_493_360 {
		t.Fatalf("pesos: %s → %s", before.Balance, after.Balance)
	}
	// One payment due (end of January), none paid: 1.2 VSM behind.
	if after.ArrearsMonths != 1 || after.Arrears != VSMToPesos(12_000, 11731) {
		t.Fatalf("arrears %+v", after)
	}
}

// A paid-off credit owes nothing: no payoff, no arrears, balance zero.
func TestPaidOffCredit(t *testing.T) {
	c := &Credit{Denomination: DenomPesos, AnnualRateBP: 1045, MonthlyPayment: 5_000_00, State: StateLiquidado}
	moves := []Movement{
		{Kind: KindApertura, ValueDate: portal.NewDate(2025, 1, 31), Amount: 10_000_00},
		{Kind: KindInteres, ValueDate: portal.NewDate(2025, 2, 28), Amount: MonthlyMoney(10_000_00, 1045)},
		{Kind: KindPagoDirecto, ValueDate: portal.NewDate(2025, 3, 1), Amount: -(10_000_00 + MonthlyMoney(10_000_00, 1045))},
	}
	s := Summarize(c, moves, portal.NewDate(2026, 11, 24), 0)
	if s.Balance != 0 || s.Payoff != 0 || s.Arrears != 0 || s.LastPayment == nil {
		t.Fatalf("%+v", s)
	}
}

// MonthlyMoney is MonthlyInterest in pesos, for hand-made ledgers.
func MonthlyMoney(balance portal.Money, bp int) portal.Money {
	return portal.Money(MonthlyInterest(int64(balance), bp))
}
