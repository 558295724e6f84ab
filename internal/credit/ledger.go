package credit

import (
	"fmt"

	"micuenta/internal/portal"
)

// The ledger's arithmetic (issue 7). Every figure the portal shows about a
// credit is derived from its movements with these rules, and the store's
// monthly accrual computes the same numbers in SQL (tests compare them).
//
//   - Balance: the sum of the movements (amount > 0 raises what is owed).
//     A VSM credit keeps its balance in VSM × 10,000 (the sum of
//     AmountVSM); its value in pesos is that many VSM at the day's UMI,
//     VSM × UMI diaria × 30.4 (domain.md §3.3).
//   - Monthly interest: posted on the last day of each month, on the
//     balance at the start of the month (every movement dated before its
//     first day): balance × annual rate / 12.
//   - Rounding: to the centavo (or to the VSM × 10,000 unit), halves away
//     from zero — for a positive x, round(x·r) = (2·x·r + d) / (2·d) in
//     integer arithmetic, the same on both engines and in Go.
//   - Insurance: the seguro de daños, 15 pesos per bimester, charged in
//     even months to peso credits (domain.md §4.5); in VSM credits it is
//     part of the payment in VSM. Administration fees were abolished for
//     credits from May 2024 and the older tables are not published in
//     full (domain.md §4.5), so none is charged (uncertain).
//   - Payoff on a day: the balance plus the interest accrued since the
//     last interest posting, day by day: balance × annual rate × days /
//     360 (the commercial year), rounded once.
//   - Arrears: what the monthly payments due since the ledger began add
//     up to, minus what was paid (payroll discounts, direct payments,
//     applications of the subaccount), never below zero nor above the
//     balance; in months, the whole payments it amounts to (a smaller
//     shortfall is owed, and shown, but is not a missed month).
//   - Next due date: the last day of the current month.
//   - After the credit (issue 8, requests.md): a month of prórroga (a
//     KindProrroga marker for it) has no payment due and earns no
//     interest (its approval writes the month's interest as zero, which
//     the accrual then finds done); the Fondo de Protección de Pagos' share (KindFPP) counts
//     as paid; a conversion to pesos (KindConversion) restarts the
//     schedule — payments fall due from the month after it, and only
//     payments from it count, since what was owed went into the new
//     balance.

// InsurancePerBimester is the seguro de daños charged every even month.
const InsurancePerBimester = portal.Money(1500)

// vsmDaysPerMonthX10 values a VSM: a month of the daily UMI, 30.4 days (×10).
const vsmDaysPerMonthX10 = 304

// FormatVSM writes an amount in VSM × 10,000 as people read it:
// "123.4567 VSM".
func FormatVSM(e4 int64) string {
	sign := ""
	if e4 < 0 {
		sign, e4 = "-", -e4
	}
	return fmt.Sprintf("%s%d.%04d VSM", sign, e4/10_000, e4%10_000)
}

// RoundDiv returns round(x·num / den), halves away from zero, for den > 0.
func RoundDiv(x, num, den int64) int64 {
	if x*num < 0 {
		return -RoundDiv(-x, num, den)
	}
	return (2*x*num + den) / (2 * den)
}

// MonthlyInterest is the interest of a month on the balance at its start
// (in the credit's unit), at an annual rate in basis points.
func MonthlyInterest(balance int64, rateBP int) int64 {
	if balance <= 0 {
		return 0
	}
	return RoundDiv(balance, int64(rateBP), 120_000)
}

// DailyInterest is the interest on a balance for some days, at an annual
// rate in basis points over a 360-day year.
func DailyInterest(balance int64, rateBP int, days int) int64 {
	if balance <= 0 || days <= 0 {
		return 0
	}
	return RoundDiv(balance, int64(rateBP)*int64(days), 3_600_000)
}

// VSMToPesos values an amount in VSM × 10,000 at a daily UMI in centavos.
func VSMToPesos(vsmE4 int64, umiCentavos int64) portal.Money {
	return portal.Money(RoundDiv(vsmE4, umiCentavos*vsmDaysPerMonthX10, 100_000))
}

// PesosToVSM is the VSM × 10,000 that an amount in pesos is worth at a
// daily UMI in centavos (VSMToPesos's inverse, rounded once).
func PesosToVSM(m portal.Money, umiCentavos int64) int64 {
	return RoundDiv(int64(m), 100_000, umiCentavos*vsmDaysPerMonthX10)
}

// payment kinds lower what is owed by the borrower's own money.
var paymentKinds = map[string]bool{KindDescuentoNomina: true, KindPagoDirecto: true, KindAplicacionSCV: true}

// IsPayment reports whether a movement kind is a payment.
func IsPayment(kind string) bool { return paymentKinds[kind] }

// Summary is what a borrower's page shows.
type Summary struct {
	Balance       portal.Money // in pesos (VSM credits: at today's UMI)
	BalanceVSME4  int64        // VSM credits only
	Payoff        portal.Money // to settle the credit today
	Arrears       portal.Money
	ArrearsMonths int
	NextDue       portal.Date
	Discounting   bool // an employer's payroll discount in the last 90 days
	LastPayment   *Movement
	// DeferredUntil is the last day of a prórroga in course (this month
	// or later); FPPUntil the last day the Fondo de Protección de Pagos
	// covers. Zero when none.
	DeferredUntil portal.Date
	FPPUntil      portal.Date
}

// Summarize derives a credit's figures on a day from its movements (in
// value-date order) and the day's UMI in centavos (VSM credits).
func Summarize(c *Credit, moves []Movement, today portal.Date, umiCentavos int64) Summary {
	vsm := c.Denomination == DenomVSM
	unit := func(m Movement) int64 {
		if vsm {
			return m.AmountVSM
		}
		return int64(m.Amount)
	}
	var balance, paid int64
	var lastInterest portal.Date
	var first portal.Date
	var deferred []int // the prórroga months (YYYYMM) in the ledger, future ones too
	s := Summary{NextDue: portal.NewDate(today.Y, today.M+1, 1).AddDays(-1)}
	for i := range moves {
		m := moves[i]
		switch {
		case m.Kind == KindProrroga:
			deferred = append(deferred, m.Period)
			if m.Period >= MonthKey(today) && s.DeferredUntil.Before(m.ValueDate) {
				s.DeferredUntil = m.ValueDate
			}
		case m.Kind == KindFPP && m.Period >= MonthKey(today) && s.FPPUntil.Before(m.ValueDate):
			s.FPPUntil = m.ValueDate
		}
		if today.Before(m.ValueDate) {
			continue
		}
		if first.IsZero() {
			first = m.ValueDate
		}
		balance += unit(m)
		switch {
		case m.Kind == KindInteres && lastInterest.Before(m.ValueDate):
			lastInterest = m.ValueDate
		case m.Kind == KindConversion:
			first, paid = m.ValueDate, 0
			if lastInterest.Before(m.ValueDate) {
				lastInterest = m.ValueDate
			}
		case m.Kind == KindFPP:
			paid -= unit(m)
		case IsPayment(m.Kind):
			paid -= unit(m)
			if s.LastPayment == nil || !m.ValueDate.Before(s.LastPayment.ValueDate) {
				s.LastPayment = &moves[i]
			}
			if m.Kind == KindDescuentoNomina && !m.ValueDate.Before(today.AddDays(-90)) {
				s.Discounting = true
			}
		}
	}
	if c.State == StateLiquidado || c.State == StateCerrado || balance <= 0 {
		if vsm {
			s.BalanceVSME4 = balance
		}
		s.Balance = portal.Money(max(balance, 0))
		if vsm {
			s.Balance = VSMToPesos(max(balance, 0), umiCentavos)
		}
		return s
	}
	if lastInterest.IsZero() {
		lastInterest = first
	}
	payoff := balance + DailyInterest(balance, c.AnnualRateBP, int(today.Time().Sub(lastInterest.Time()).Hours()/24))
	payment := int64(c.MonthlyPayment)
	if vsm {
		payment = c.MonthlyPaymentVSME4
	}
	// Payments fall due at the end of each whole month after the ledger's
	// first movement (or the conversion), up to the last month that has
	// ended, except the months of prórroga.
	due := monthsBetween(first, today)
	for _, p := range deferred {
		if MonthKey(first) < p && p < MonthKey(today) {
			due--
		}
	}
	due = max(due, 0)
	if !s.DeferredUntil.IsZero() {
		s.NextDue = portal.NewDate(s.DeferredUntil.Y, s.DeferredUntil.M+2, 1).AddDays(-1)
	}
	arrears := min(max(int64(due)*payment-paid, 0), balance)
	// Whole payments missed: a shortfall smaller than one payment (a
	// rounding centavo, a short payroll discount) is owed and shown, but
	// is not a missed month.
	months := 0
	if payment > 0 {
		months = int(arrears / payment)
	}
	if vsm {
		s.BalanceVSME4 = balance
		s.Balance, s.Payoff, s.Arrears = VSMToPesos(balance, umiCentavos), VSMToPesos(payoff, umiCentavos), VSMToPesos(arrears, umiCentavos)
	} else {
		s.Balance, s.Payoff, s.Arrears = portal.Money(balance), portal.Money(payoff), portal.Money(arrears)
	}
	s.ArrearsMonths = months
	return s
}

// MonthKey is a day's month as the ledger's periods write it: YYYYMM.
func MonthKey(d portal.Date) int { return d.Y*100 + int(d.M) }

// monthsBetween counts the month ends after from's month up to the end of
// the month before today's: the payments due so far.
func monthsBetween(from, today portal.Date) int {
	n := (today.Y-from.Y)*12 + int(today.M) - int(from.M) - 1
	return max(n, 0)
}

// Payment is the level monthly payment that repays principal (in the
// credit's unit) in months at an annual rate in basis points — the
// annuity P = B·i / (1 − (1+i)^−n), rounded to the unit — computed in
// exact rational steps so it never depends on floating point.
func Payment(principal int64, rateBP int, months int) int64 {
	if months <= 0 || principal <= 0 {
		return 0
	}
	if rateBP == 0 {
		return (principal + int64(months) - 1) / int64(months)
	}
	// Find the smallest payment that repays the balance within the term
	// under the ledger's own monthly rounding: bisection on whole units.
	lo, hi := int64(1), principal+MonthlyInterest(principal, rateBP)*int64(months)+1
	for lo < hi {
		mid := (lo + hi) / 2
		if remaining(principal, rateBP, months, mid) <= 0 {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// remaining is the balance left after months of interest and payments.
func remaining(balance int64, rateBP int, months int, payment int64) int64 {
	for i := 0; i < months && balance > 0; i++ {
		balance += MonthlyInterest(balance, rateBP)
		balance -= min(payment, balance)
	}
	return balance
}
