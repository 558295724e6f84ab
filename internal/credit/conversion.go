package credit

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/portal"
)

// Responsabilidad Compartida (domain.md §5.1): a VSM credit becomes a
// peso credit with a discount on its balance, a fixed rate, a fixed
// payment and a definite end. The figures the fund has not published —
// the rate by income, the discount, the window's reopening in January —
// are data in responsabilidad_compartida.csv (ConversionTerms), never
// constants here.
//
// In the ledger a conversion on day D is, in this order:
//
//  1. the month's interest in VSM, if the month has none yet — on the
//     balance at the start of the month, as every month (ledger.go), but
//     dated D: from the next month interest is charged in pesos at the
//     fixed rate, and the monthly accrual finds this month done;
//  2. KindConversion: the VSM balance valued at D's UMI replaces the VSM
//     column — its VSM amount takes that column to zero, its peso amount
//     takes the peso column (each movement's value on its day) to exactly
//     the balance in pesos;
//  3. KindDescuentoRC: the discount, in pesos.
//
// The credit becomes a peso credit (cuota fija) with the new rate and
// payment, and its term is counted so that origination + term is the new
// end. Summarize restarts the schedule at the conversion.

//go:embed responsabilidad_compartida.csv
var conversionCSV string

// ConversionTerms are the conversion's figures, from the data table.
type ConversionTerms struct {
	rates     []band // by monthly salary in UMA × 100
	discounts []band // by balance over the amount lent × 100
	openDay   int
	reopen    map[int]int // year → MMDD; 0 for any other year
	minTerm   int
	maxTerm   int
}

type band struct{ from, value int64 }

// DefaultConversionTerms reads the embedded table.
func DefaultConversionTerms() (*ConversionTerms, error) { return ParseConversionTerms(conversionCSV) }

// ParseConversionTerms reads a table written as
// responsabilidad_compartida.csv is.
func ParseConversionTerms(text string) (*ConversionTerms, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("credit: conversion terms: %w", err)
	}
	t := &ConversionTerms{reopen: map[int]int{}}
	for i, row := range rows {
		if i == 0 {
			continue
		}
		bad := func(why string) error { return fmt.Errorf("credit: conversion terms line %d: %s", i+1, why) }
		if len(row) != 3 {
			return nil, bad("want clave,desde,valor")
		}
		from, err1 := strconv.ParseInt(row[1], 10, 64)
		value, err2 := strconv.ParseInt(row[2], 10, 64)
		if err1 != nil || err2 != nil || from < 0 || value < 0 {
			return nil, bad("desde and valor are whole numbers")
		}
		switch row[0] {
		case "tasa":
			if value < 1 || value > 2000 {
				return nil, bad("a rate is 1 to 2000 basis points")
			}
			t.rates = append(t.rates, band{from, value})
		case "descuento":
			if value >= 10_000 {
				return nil, bad("a discount is under 10000 basis points")
			}
			t.discounts = append(t.discounts, band{from, value})
		case "apertura_dia":
			if value < 1 || value > 28 {
				return nil, bad("the opening day is 1 to 28")
			}
			t.openDay = int(value)
		case "reapertura":
			if m, d := value/100, value%100; m < 1 || m > 2 || d < 1 || d > 31 {
				return nil, bad("a reopening is MMDD in January or February")
			}
			t.reopen[int(from)] = int(value)
		case "plazo_minimo":
			t.minTerm = int(value)
		case "plazo_maximo":
			t.maxTerm = int(value)
		default:
			return nil, bad("unknown clave " + row[0])
		}
	}
	sort.Slice(t.rates, func(i, j int) bool { return t.rates[i].from < t.rates[j].from })
	sort.Slice(t.discounts, func(i, j int) bool { return t.discounts[i].from < t.discounts[j].from })
	switch {
	case len(t.rates) == 0 || t.rates[0].from != 0:
		return nil, fmt.Errorf("credit: conversion terms: the rates must start at 0")
	case len(t.discounts) == 0 || t.discounts[0].from != 0:
		return nil, fmt.Errorf("credit: conversion terms: the discounts must start at 0")
	case t.openDay == 0 || t.reopen[0] == 0:
		return nil, fmt.Errorf("credit: conversion terms: apertura_dia and a default reapertura are required")
	case t.minTerm < 1 || t.maxTerm < t.minTerm || t.maxTerm > 600:
		return nil, fmt.Errorf("credit: conversion terms: 1 ≤ plazo_minimo ≤ plazo_maximo ≤ 600")
	}
	return t, nil
}

// RateFor is the fixed rate, in basis points, for a monthly salary of
// salaryUMA100 / 100 UMA.
func (t *ConversionTerms) RateFor(salaryUMA100 int64) int { return int(bandAt(t.rates, salaryUMA100)) }

// DiscountFor is the discount, in basis points of the balance, for a
// balance of ratio100 / 100 times the amount lent.
func (t *ConversionTerms) DiscountFor(ratio100 int64) int { return int(bandAt(t.discounts, ratio100)) }

func bandAt(bs []band, x int64) int64 {
	v := bs[0].value
	for _, b := range bs {
		if x >= b.from {
			v = b.value
		}
	}
	return v
}

// OpenDay is the first day of each month a conversion can be requested.
func (t *ConversionTerms) OpenDay() int { return t.openDay }

// reopening is the day of year y the window reopens after the January
// update, and whether it is a reported date rather than an estimate.
func (t *ConversionTerms) reopening(y int) (portal.Date, bool) {
	v, known := t.reopen[y]
	if !known {
		v = t.reopen[0]
	}
	return portal.NewDate(y, time.Month(v/100), v%100), known
}

// Window reports whether a conversion can be requested on day d; when it
// cannot, next is the first day it can again, and estimated says that
// day is this portal's estimate (the fund announces each reopening).
func (t *ConversionTerms) Window(d portal.Date) (open bool, next portal.Date, estimated bool) {
	reopen, known := t.reopening(d.Y)
	if d.Before(reopen) {
		next = reopen
		if next.D < t.openDay {
			next = portal.NewDate(next.Y, next.M, t.openDay)
		}
		return false, next, !known
	}
	if d.D < t.openDay {
		return false, portal.NewDate(d.Y, d.M, t.openDay), false
	}
	return true, portal.Date{}, false
}

// ConversionInput is what a conversion is worked out from.
type ConversionInput struct {
	Credit Credit
	Moves  []Movement // the ledger, in value-date order
	On     portal.Date
	UMI    int64 // the daily UMI on that day, centavos
	UMA    int64 // the daily UMA on that day, centavos (the salary band)
	// DailySalary is the person's current salary, or their last one; zero
	// when the fund has none on record (the lowest band applies).
	DailySalary portal.Money
}

// ConversionPlan is a conversion side by side with staying in VSM.
type ConversionPlan struct {
	On           portal.Date
	UMI          int64
	BalanceVSME4 int64
	Balance      portal.Money // the VSM balance in pesos at the day's UMI
	Ratio100     int64        // Balance over the amount lent, × 100
	DiscountBP   int
	Discount     portal.Money
	NewBalance   portal.Money
	SalaryUMA100 int64 // the monthly salary the rate was chosen by, in UMA × 100
	RateBP       int
	Payment      portal.Money // the fixed monthly payment
	TermMonths   int
	Ends         portal.Date  // the month of the last payment
	TotalToPay   portal.Money // every payment, the last one as it falls

	// Staying in VSM, with today's UMI held (it was frozen for 2025 and
	// 2026, domain.md §3.3; it may rise again).
	CurrentPayment      portal.Money
	CurrentPaymentVSME4 int64
	CurrentRateBP       int
	RemainingTerm       int          // months to the credit's original end
	StayMonths          int          // months to pay it off at the current payment; 0: it never is
	StayTotal           portal.Money // what those payments add up to, at today's UMI
}

// ConversionBlock says, in Spanish, why a credit cannot be converted
// whatever the day; "" when it can. moves are the whole ledger, written
// ahead included.
func ConversionBlock(c Credit, moves []Movement, today portal.Date) string {
	if c.Denomination != DenomVSM {
		for _, m := range moves {
			if m.Kind == KindConversion {
				return "Tu crédito ya se convirtió a pesos el " + m.ValueDate.Spanish() + "."
			}
		}
		return "Tu crédito ya está en pesos: la conversión de Responsabilidad Compartida es solo para créditos en Veces Salario Mínimo (VSM)."
	}
	switch c.State {
	case StateLiquidado, StateCerrado:
		return "Tu crédito ya no tiene saldo por pagar: está " + strings.ToLower(StateNames[c.State]) + "."
	case StateEnProrroga:
		return "Tu crédito está en prórroga. Podrás convertirlo a pesos cuando termine y vuelvas a pagar."
	}
	for _, m := range moves {
		if today.Before(m.ValueDate) && (m.Kind == KindProrroga || m.Kind == KindFPP) {
			return "Tienes meses de protección por aplicar (prórroga o Fondo de Protección de Pagos) hasta " + m.ValueDate.MonthYear() +
				". Podrás convertir tu crédito cuando terminen."
		}
	}
	if balanceVSM(moves, today) <= 0 {
		return "Tu crédito no tiene saldo por pagar."
	}
	return ""
}

func balanceVSM(moves []Movement, on portal.Date) int64 {
	var b int64
	for _, m := range moves {
		if !on.Before(m.ValueDate) {
			b += m.AmountVSM
		}
	}
	return b
}

// monthsUntil counts whole months from a's month to b's month.
func monthsUntil(a, b portal.Date) int { return (b.Y-a.Y)*12 + int(b.M) - int(a.M) }

// monthInterest is the conversion month's interest in VSM, dated the day
// of the conversion, when the ledger has none for the month yet.
func monthInterest(in ConversionInput) (Movement, bool) {
	first := portal.NewDate(in.On.Y, in.On.M, 1)
	var opening int64
	for _, m := range in.Moves {
		if m.Kind == KindInteres && m.Period == MonthKey(in.On) {
			return Movement{}, false
		}
		if m.ValueDate.Before(first) {
			opening += m.AmountVSM
		}
	}
	vi := MonthlyInterest(opening, in.Credit.AnnualRateBP)
	if vi <= 0 {
		return Movement{}, false
	}
	return Movement{CreditID: in.Credit.ID, Kind: KindInteres, Period: MonthKey(in.On), ValueDate: in.On, AmountVSM: vi,
		Amount: VSMToPesos(vi, in.UMI)}, true
}

// Simulate works out the conversion as it would be applied on in.On —
// the month's interest in VSM included when not yet posted — and staying
// in VSM.
func (t *ConversionTerms) Simulate(in ConversionInput) ConversionPlan {
	if m, ok := monthInterest(in); ok {
		in.Moves = append(append([]Movement(nil), in.Moves...), m)
	}
	c := in.Credit
	p := ConversionPlan{On: in.On, UMI: in.UMI, CurrentPaymentVSME4: c.MonthlyPaymentVSME4, CurrentRateBP: c.AnnualRateBP}
	p.BalanceVSME4 = balanceVSM(in.Moves, in.On)
	p.Balance = VSMToPesos(max(p.BalanceVSME4, 0), in.UMI)
	p.CurrentPayment = VSMToPesos(c.MonthlyPaymentVSME4, in.UMI)
	if c.OriginalAmount > 0 {
		p.Ratio100 = int64(p.Balance) * 100 / int64(c.OriginalAmount)
	}
	p.DiscountBP = t.DiscountFor(p.Ratio100)
	p.Discount = portal.Money(RoundDiv(int64(p.Balance), int64(p.DiscountBP), 10_000))
	p.NewBalance = p.Balance - p.Discount
	if in.UMA > 0 {
		p.SalaryUMA100 = int64(in.DailySalary) * 100 / in.UMA
	}
	p.RateBP = t.RateFor(p.SalaryUMA100)

	// The new term: the months left of the original one (at least the
	// minimum), with the level payment; if that payment is more than
	// today's, the shortest longer term whose payment is not, up to the
	// maximum.
	end := c.Origination
	if c.TermMonths > 0 {
		end = portal.NewDate(c.Origination.Y, c.Origination.M+time.Month(c.TermMonths), 1)
	}
	p.RemainingTerm = max(monthsUntil(in.On, end), 0)
	n := max(p.RemainingTerm, t.minTerm)
	n = min(n, t.maxTerm)
	payment := Payment(int64(p.NewBalance), p.RateBP, n)
	if payment > int64(p.CurrentPayment) && n < t.maxTerm {
		lo, hi := n+1, t.maxTerm
		for lo < hi {
			mid := (lo + hi) / 2
			if Payment(int64(p.NewBalance), p.RateBP, mid) <= int64(p.CurrentPayment) {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		n, payment = lo, Payment(int64(p.NewBalance), p.RateBP, lo)
	}
	p.TermMonths, p.Payment = n, portal.Money(payment)
	p.Ends = portal.NewDate(in.On.Y, in.On.M+time.Month(n), 1)
	p.TotalToPay = portal.Money(paidOff(int64(p.NewBalance), p.RateBP, payment, n))

	// Staying in VSM: the same rules in VSM, priced at today's UMI.
	if months, total, ok := payOff(p.BalanceVSME4, c.AnnualRateBP, c.MonthlyPaymentVSME4, 600); ok {
		p.StayMonths, p.StayTotal = months, VSMToPesos(total, in.UMI)
	}
	return p
}

// paidOff is what paying a balance with a level payment for n months
// adds up to, the last payment being whatever is left.
func paidOff(balance int64, rateBP int, payment int64, n int) int64 {
	var total int64
	for i := 0; i < n && balance > 0; i++ {
		balance += MonthlyInterest(balance, rateBP)
		pay := min(payment, balance)
		balance -= pay
		total += pay
	}
	return total
}

// payOff counts the months a payment takes to repay a balance under the
// ledger's rules, and their sum; ok is false when it never does within
// limit months.
func payOff(balance int64, rateBP int, payment int64, limit int) (months int, total int64, ok bool) {
	for months = 0; balance > 0; months++ {
		if months == limit || payment <= MonthlyInterest(balance, rateBP) {
			return 0, 0, false
		}
		balance += MonthlyInterest(balance, rateBP)
		pay := min(payment, balance)
		balance -= pay
		total += pay
	}
	return months, total, true
}

// Conversion is an approved conversion: the plan as applied, what to
// post, and the credit's new terms.
type Conversion struct {
	Plan   ConversionPlan
	Post   []Movement // in order; the caller sets nothing else
	Credit Credit     // the credit with its new terms
}

// Convert works out the conversion of a credit approved on in.On (the
// request's id keys its movements). It refuses, in Spanish for the
// operator, a credit that can no longer be converted and a month whose
// predecessor's interest the monthly accrual has not posted yet.
func (t *ConversionTerms) Convert(in ConversionInput, requestID int64) (*Conversion, error) {
	if why := ConversionBlock(in.Credit, in.Moves, in.On); why != "" {
		return nil, portal.Errorf(portal.ECONFLICT, "No se puede aplicar la conversión: %s", why)
	}
	c := in.Credit
	prev := portal.NewDate(in.On.Y, in.On.M, 1).AddDays(-1)
	hasPrev, olderThanPrev := false, false
	for _, m := range in.Moves {
		if m.ValueDate.Before(portal.NewDate(prev.Y, prev.M, 1)) {
			olderThanPrev = true
		}
		hasPrev = hasPrev || m.Kind == KindInteres && m.Period == MonthKey(prev)
	}
	if olderThanPrev && !hasPrev {
		return nil, portal.Errorf(portal.ECONFLICT, "Los intereses de %s todavía no se registran en el crédito. Aprueba la conversión después del cierre de ese mes (micuenta accrue).", prev.MonthYear())
	}
	out := &Conversion{}
	moves := in.Moves
	period := MonthKey(in.On)
	if m, ok := monthInterest(in); ok {
		out.Post = append(out.Post, m)
		moves = append(append([]Movement(nil), moves...), m)
	}
	in.Moves = moves
	plan := t.Simulate(in)
	var pesos portal.Money
	for _, m := range moves {
		if !in.On.Before(m.ValueDate) {
			pesos += m.Amount
		}
	}
	out.Post = append(out.Post,
		Movement{CreditID: c.ID, Kind: KindConversion, Period: period, SourceID: requestID, ValueDate: in.On,
			Amount: plan.Balance - pesos, AmountVSM: -plan.BalanceVSME4},
		Movement{CreditID: c.ID, Kind: KindDescuentoRC, Period: period, SourceID: requestID, ValueDate: in.On, Amount: -plan.Discount})
	c.Denomination = DenomPesos
	c.AnnualRateBP = plan.RateBP
	c.TermMonths = monthsUntil(c.Origination, in.On) + plan.TermMonths
	c.MonthlyPayment, c.MonthlyPaymentVSME4 = plan.Payment, 0
	c.DiscountType, c.DiscountFactorE4 = DiscountCuotaFija, int64(plan.Payment)
	out.Plan, out.Credit = plan, c
	return out, nil
}
