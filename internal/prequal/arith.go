package prequal

import (
	"math/big"

	"micuenta/internal/portal"
)

// Rounding rules. Every figure below is integer arithmetic; the rule for
// each is chosen so that what the page promises can be paid:
//
//   - UMA multiples (ceilings, minimum amounts, band limits in pesos):
//     multiple × daily UMA × 30.4, rounded half away from zero to the
//     centavo. This reproduces every published Crédito Infonavit ceiling
//     to the centavo (823 × 117.31 × 30.4 = 2,935,002.352 → 2,935,002.35).
//   - Salary in UMA: truncated to the millionth; for the interest rate it
//     is then truncated to 0.1 UMA, because the rate tables step every
//     0.1 UMA and a salary counts in a step only once it reaches it.
//   - Interpolated rates: rounded half away from zero to 0.01 percentage
//     points (100 in E6).
//   - Payment capacity (share × salary): half away from zero.
//   - Largest credit for a payment (present value): rounded DOWN, so the
//     payment on it never exceeds the capacity.
//   - Payment for a credit: rounded UP, so the credit is paid off within
//     the term; the last payment, whatever clears the balance, is the same
//     or a few centavos different.
//   - Monthly interest in the schedule: balance × rate / 12, half away from
//     zero.
//   - A share of the balance (Mejoravit's 90%): rounded down.
//   - Joint credits cut to the ceiling (Unamos Créditos): each part in the
//     same proportion, rounded down, so the sum stays under the ceiling.
//   - Daily to monthly salary: × 30.4, half away from zero.

// MonthlyMultiple returns multipleE6 times the monthly value (× 30.4) of a
// daily figure, in centavos: 823 UMA mensuales, one monthly minimum wage.
func MonthlyMultiple(daily portal.Money, multipleE6 int64) portal.Money {
	return portal.Money(mulDivRound(int64(daily)*304, multipleE6, 10*Scale))
}

// MonthlySalary turns a daily salary into a monthly one (× 30.4, the UMA
// convention), rounded half away from zero.
func MonthlySalary(daily portal.Money) portal.Money {
	return portal.Money(portal.RoundDiv(int64(daily)*304, 10))
}

// SalaryInUMA returns a monthly salary in UMA mensuales, times Scale,
// truncated.
func SalaryInUMA(monthly, umaDaily portal.Money) int64 {
	return mulDivFloor(int64(monthly), 10*Scale, int64(umaDaily)*304)
}

// dailySalaryInUMA is SalaryInUMA for a daily salary: the same ratio.
func dailySalaryInUMA(daily, umaDaily portal.Money) int64 {
	return mulDivFloor(int64(daily), Scale, int64(umaDaily))
}

// shareOf returns share × amount, half away from zero.
func shareOf(amount portal.Money, shareE6 int64) portal.Money {
	return portal.Money(mulDivRound(int64(amount), shareE6, Scale))
}

// presentValue is the largest credit that payment pays off in n monthly
// payments at an annual rate: payment × (1 − (1+i)^−n) / i with
// i = rate/12, rounded down. Exact: with a = rateE6 and b = 12 × Scale,
// (1+i)^n = A/B where A = (a+b)^n and B = b^n, so the value is
// payment × b × (A − B) / (a × A).
func presentValue(payment portal.Money, rateE6 int64, n int) portal.Money {
	if payment <= 0 || n <= 0 {
		return 0
	}
	if rateE6 == 0 {
		return payment * portal.Money(n)
	}
	a, b, A, B := powers(rateE6, n)
	num := new(big.Int).Mul(big.NewInt(int64(payment)), b)
	num.Mul(num, new(big.Int).Sub(A, B))
	den := new(big.Int).Mul(a, A)
	return portal.Money(num.Quo(num, den).Int64())
}

// paymentFor is the fixed monthly payment that pays off credit in n months:
// credit × a × A / (b × (A − B)), rounded up.
func paymentFor(credit portal.Money, rateE6 int64, n int) portal.Money {
	if credit <= 0 || n <= 0 {
		return 0
	}
	if rateE6 == 0 {
		return portal.Money((int64(credit) + int64(n) - 1) / int64(n))
	}
	a, b, A, B := powers(rateE6, n)
	num := new(big.Int).Mul(big.NewInt(int64(credit)), a)
	num.Mul(num, A)
	den := new(big.Int).Mul(b, new(big.Int).Sub(A, B))
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return portal.Money(q.Int64())
}

func powers(rateE6 int64, n int) (a, b, A, B *big.Int) {
	a, b = big.NewInt(rateE6), big.NewInt(12*Scale)
	N := big.NewInt(int64(n))
	A = new(big.Int).Exp(new(big.Int).Add(a, b), N, nil)
	B = new(big.Int).Exp(b, N, nil)
	return a, b, A, B
}

// YearRow is one year of an amortization schedule.
type YearRow struct {
	Year      int          // 1 = the first twelve payments
	Payments  portal.Money // paid in the year
	Interest  portal.Money // of which interest
	Principal portal.Money // of which principal
	Balance   portal.Money // owed at the end of the year
}

// Amortize runs a fixed-payment credit month by month and sums it by
// year. Each month the interest is balance × rate / 12 (half away from
// zero) and the rest of the payment goes to principal; the last payment
// (month n, or earlier if the balance runs out) is whatever clears the
// balance, so the schedule always ends at zero.
func Amortize(credit portal.Money, rateE6 int64, n int, payment portal.Money) []YearRow {
	if credit <= 0 || n <= 0 {
		return nil
	}
	out := make([]YearRow, 0, (n+11)/12)
	balance := int64(credit)
	for m := 1; m <= n && balance > 0; m++ {
		if (m-1)%12 == 0 {
			out = append(out, YearRow{Year: (m-1)/12 + 1})
		}
		row := &out[len(out)-1]
		interest := portal.RoundDiv(balance*rateE6, 12*Scale)
		pay := int64(payment)
		if m == n || balance+interest <= pay {
			pay = balance + interest
		}
		principal := pay - interest
		balance -= principal
		row.Payments += portal.Money(pay)
		row.Interest += portal.Money(interest)
		row.Principal += portal.Money(principal)
		row.Balance = portal.Money(balance)
	}
	return out
}

// mulDivRound returns a × b / c rounded half away from zero, exact for any
// int64 a and b (c > 0).
func mulDivRound(a, b, c int64) int64 {
	num := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	cc := big.NewInt(c)
	q, r := new(big.Int).QuoRem(num, cc, new(big.Int))
	r.Abs(r).Mul(r, big.NewInt(2))
	if r.Cmp(cc) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q.Int64()
}

// mulDivFloor returns a × b / c rounded toward zero (a, b ≥ 0, c > 0).
func mulDivFloor(a, b, c int64) int64 {
	num := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	return num.Quo(num, big.NewInt(c)).Int64()
}
