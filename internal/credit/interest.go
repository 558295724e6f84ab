package credit

import (
	"errors"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/portal"
)

// The constancia de intereses (domain.md §7): what a borrower may deduct
// in the annual tax return for year N, derived from the ledger.
//
//   - Nominal interest paid: the interest the borrower's payments covered
//     in the year. The ledger posts interest as a charge and payments as
//     credits without saying what each payment paid, so payments are
//     applied here, in date order, first to the insurance and fees still
//     owed (seguro, cuota de administración), then to the interest still
//     owed, oldest first, and the rest to principal. Interest posted in
//     an earlier year and paid in N counts in N; interest posted in N and
//     still owed on 31 Dec does not. The Fondo de Protección de Pagos'
//     share of a month is applied the same way but is not the
//     borrower's, so it is not counted. A balance brought forward (saldo
//     inicial) is taken as all principal, since the ledger does not say
//     how much of it was unpaid interest; adjustments, the VSM yearly
//     update, a conversion to pesos and its discount, and the
//     disbursement are principal too. (The order of
//     application is ours; the fund's own is not in domain.md.)
//   - Inflation adjustment (RLISR art. 257): the average of the twelve
//     month-end balances of N (a balance below zero counts as zero) ×
//     (INPC of December N / INPC of December N−1 − 1). A fall in prices
//     gives no adjustment (uncertain: art. 257 does not say).
//   - Real interest: nominal − adjustment, never below zero.
//   - Cap (LISR art. 151 fr. IV, RLISR): the deduction is whole when the
//     balance on 31 Dec N−1 is at most 750,000 UDIS at that day's UDI;
//     above that, deductible = real × 750,000 / balance in UDIS. A credit
//     granted during N had no balance on 31 Dec N−1: its disbursement in
//     N stands in for it, valued at the same UDI (ours, uncertain).
//   - VSM credits: the law's treatment is not known (domain.md §7); the
//     same rules are applied to the peso amounts the ledger holds, and
//     the constancia says so — also for a credit converted to pesos
//     during the year (it has movements in VSM that year).
//
// Rounding: every amount is whole centavos. The average balance is
// rounded to the centavo; the adjustment is computed from that average
// and the two INPC figures exactly (in integers) and rounded once; the
// proportional deduction likewise from the real interest, the UDI and
// the balance. Rounding is to the nearest centavo, halves away from zero
// — the ledger's rule (RoundDiv). The balance in UDIS is shown rounded to
// two decimals, but the cap test compares the exact figures.

// UDICap is the largest balance, in UDIS, whose real interest is
// deductible in full (LISR art. 151 fr. IV).
const UDICap = 750_000

// InterestRefs are the reference values a year's constancia needs, each
// × 1,000,000 as reference.Value keeps them.
type InterestRefs struct {
	INPC     int64 // INPC of December of the year
	INPCPrev int64 // INPC of December of the year before
	UDI      int64 // UDI on 31 December of the year before
}

// InterestCertificate is a year's constancia de intereses.
type InterestCertificate struct {
	Year int
	VSM  bool // a VSM credit (or one during part of the year), computed on its peso amounts (uncertain)

	Nominal  portal.Money     // interest paid in the year
	MonthEnd [12]portal.Money // balance on the last day of each month
	Average  portal.Money     // the average of the month-end balances (below zero counted as zero)

	INPC, INPCPrev int64 // × 1,000,000
	Adjustment     portal.Money
	Real           portal.Money

	// CapBalance is the balance on 31 Dec of the year before, or, for a
	// credit granted during the year (CapFromDisbursement), what was
	// disbursed in it; CapUDIsE2 is that balance in UDIS × 100 at UDI.
	CapBalance          portal.Money
	CapFromDisbursement bool
	UDI                 int64 // × 1,000,000
	CapUDIsE2           int64
	Proportional        bool
	Deductible          portal.Money

	Closing portal.Money // balance on 31 Dec of the year
}

// ErrNoInterestRefs means a reference value the constancia needs is
// missing or not positive.
var ErrNoInterestRefs = errors.New("credit: constancia needs positive INPC and UDI values")

// ComputeInterest derives the constancia of year from a credit's ledger
// (any order; it is sorted by value date, same-day movements kept in
// their order) with the rules above.
func ComputeInterest(c Credit, moves []Movement, year int, refs InterestRefs) (InterestCertificate, error) {
	if refs.INPC <= 0 || refs.INPCPrev <= 0 || refs.UDI <= 0 {
		return InterestCertificate{}, ErrNoInterestRefs
	}
	ms := slices.Clone(moves)
	slices.SortStableFunc(ms, func(a, b Movement) int { return a.ValueDate.Time().Compare(b.ValueDate.Time()) })
	out := InterestCertificate{Year: year, VSM: c.Denomination == DenomVSM, INPC: refs.INPC, INPCPrev: refs.INPCPrev, UDI: refs.UDI}
	start := portal.NewDate(year, 1, 1)
	var owedCharges, owedInterest, balance int64
	var disbursed int64
	month := 0 // month ends already recorded
	// closeMonths records the month ends before d (all of them at the end).
	closeMonths := func(d portal.Date) {
		for month < 12 && portal.NewDate(year, time.Month(month+2), 0).Before(d) {
			out.MonthEnd[month] = portal.Money(balance)
			month++
		}
	}
	opened := false
	for _, m := range ms {
		if m.ValueDate.Y > year {
			break
		}
		if !opened && !m.ValueDate.Before(start) {
			out.CapBalance, opened = portal.Money(balance), true
		}
		if m.ValueDate.Y == year {
			closeMonths(m.ValueDate)
		}
		a := int64(m.Amount)
		balance += a
		if m.ValueDate.Y == year && m.AmountVSM != 0 {
			out.VSM = true // converted to pesos during the year: VSM until then
		}
		switch {
		case m.Kind == KindInteres:
			owedInterest = max(owedInterest+a, 0)
		case m.Kind == KindSeguro || m.Kind == KindAdministracion:
			owedCharges = max(owedCharges+a, 0)
		case (IsPayment(m.Kind) || m.Kind == KindFPP) && a < 0:
			paid := -a
			toCharges := min(paid, owedCharges)
			owedCharges -= toCharges
			paid -= toCharges
			toInterest := min(paid, owedInterest)
			owedInterest -= toInterest
			// What the Fondo de Protección de Pagos pays is applied the
			// same way but was not paid by the borrower.
			if m.ValueDate.Y == year && m.Kind != KindFPP {
				out.Nominal += portal.Money(toInterest)
			}
		case m.Kind == KindDisposicion && m.ValueDate.Y == year && a > 0:
			disbursed += a
		}
	}
	if !opened {
		out.CapBalance = portal.Money(balance)
	}
	for ; month < 12; month++ {
		out.MonthEnd[month] = portal.Money(balance)
	}
	out.Closing = portal.Money(balance)

	var sum int64
	for _, b := range out.MonthEnd {
		sum += max(int64(b), 0)
	}
	out.Average = portal.Money(RoundDiv(sum, 1, 12))
	if refs.INPC > refs.INPCPrev {
		out.Adjustment = portal.Money(roundDivBig(int64(out.Average), refs.INPC-refs.INPCPrev, refs.INPCPrev))
	}
	out.Real = max(out.Nominal-out.Adjustment, 0)

	if out.CapBalance <= 0 && disbursed > 0 {
		out.CapBalance, out.CapFromDisbursement = portal.Money(disbursed), true
	}
	out.Deductible = out.Real
	if out.CapBalance > 0 {
		// Balance in UDIS = pesos / UDI = (centavos / 100) / (UDI / 10^6).
		out.CapUDIsE2 = roundDivBig(int64(out.CapBalance), 1_000_000, refs.UDI)
		// Over the cap when centavos × 10^4 > 750,000 × UDI × 10^6 / 10^6.
		over := new(big.Int).Mul(big.NewInt(int64(out.CapBalance)), big.NewInt(10_000))
		limit := new(big.Int).Mul(big.NewInt(UDICap), big.NewInt(refs.UDI))
		if over.Cmp(limit) > 0 {
			out.Proportional = true
			// real × 750,000 / (balance × 10^4 / UDI) = real × 75 × UDI / balance.
			out.Deductible = portal.Money(roundDivBig(int64(out.Real), 75*refs.UDI, int64(out.CapBalance)))
		}
	}
	return out, nil
}

// ProportionE6 is the deductible share of the real interest × 1,000,000,
// rounded, for display (the deduction itself is computed exactly).
func (ic *InterestCertificate) ProportionE6() int64 {
	if !ic.Proportional || ic.CapBalance <= 0 {
		return 1_000_000
	}
	return roundDivBig(75*ic.UDI, 1_000_000, int64(ic.CapBalance))
}

// FactorE6 is INPC / INPC of the year before − 1, × 1,000,000, rounded,
// for display (the adjustment is computed from the INPC figures).
func (ic *InterestCertificate) FactorE6() int64 {
	if ic.INPCPrev <= 0 || ic.INPC <= ic.INPCPrev {
		return 0
	}
	return roundDivBig(ic.INPC-ic.INPCPrev, 1_000_000, ic.INPCPrev)
}

// FormatFixed writes a fixed-point figure (v / 10^decimals) with
// thousands separators: FormatFixed(6052098, 2) = "60,520.98".
func FormatFixed(v int64, decimals int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	scale := int64(1)
	for range decimals {
		scale *= 10
	}
	whole := strconv.FormatInt(v/scale, 10)
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if decimals > 0 {
		b.WriteString("." + strconv.FormatInt(v%scale+scale, 10)[1:])
	}
	return b.String()
}

// IndexText writes an INPC (× 10^6) with its three published decimals,
// or all six when it has more: "143.039".
func IndexText(e6 int64) string {
	if e6%1000 == 0 {
		return FormatFixed(e6/1000, 3)
	}
	return FormatFixed(e6, 6)
}

// FactorText is the inflation factor as shown: "0.036898".
func (ic *InterestCertificate) FactorText() string { return FormatFixed(ic.FactorE6(), 6) }

// UDIText is the UDI as shown: "8.340909".
func (ic *InterestCertificate) UDIText() string { return FormatFixed(ic.UDI, 6) }

// CapUDIsText is the cap balance in UDIS as shown: "60,520.98".
func (ic *InterestCertificate) CapUDIsText() string { return FormatFixed(ic.CapUDIsE2, 2) }

// ProportionText is the deductible share as shown: "89.3669%".
func (ic *InterestCertificate) ProportionText() string {
	return FormatFixed(ic.ProportionE6(), 4) + "%"
}

// InterestYears lists the fiscal years whose constancia the ledger can
// give on today, newest first: from the first year the ledger covers
// whole — it starts with the credit's disbursement that year, or its
// first movement (a balance brought forward) is dated by 31 December of
// the year before — to the year before today's (year N's constancia is
// available from 1 January of N+1), and only years in which the credit
// owed something or moved. firstCovered is that first year (0 with no
// ledger), so a page can say why earlier years are missing.
func InterestYears(moves []Movement, today portal.Date) (years []int, firstCovered int) {
	if len(moves) == 0 {
		return nil, 0
	}
	ms := slices.Clone(moves)
	slices.SortStableFunc(ms, func(a, b Movement) int { return a.ValueDate.Time().Compare(b.ValueDate.Time()) })
	first := ms[0]
	firstCovered = first.ValueDate.Y + 1
	if first.Kind == KindDisposicion {
		firstCovered = first.ValueDate.Y
	}
	// owed[y]: the balance at the end of year y; moved[y]: anything
	// posted in y.
	owed := map[int]int64{}
	moved := map[int]bool{}
	var balance int64
	i := 0
	for y := first.ValueDate.Y; y < today.Y; y++ {
		for ; i < len(ms) && ms[i].ValueDate.Y <= y; i++ {
			balance += int64(ms[i].Amount)
			moved[ms[i].ValueDate.Y] = true
		}
		owed[y] = balance
	}
	for y := today.Y - 1; y >= firstCovered; y-- {
		if moved[y] || owed[y-1] > 0 {
			years = append(years, y)
		}
	}
	return years, firstCovered
}

// roundDivBig is RoundDiv (halves away from zero, den > 0) in arbitrary
// precision, for products that may pass 2^63 (a balance × an INPC × 10^6).
func roundDivBig(x, num, den int64) int64 {
	p := new(big.Int).Mul(big.NewInt(x), big.NewInt(num))
	neg := p.Sign() < 0
	p.Abs(p)
	p.Mul(p, big.NewInt(2))
	p.Add(p, big.NewInt(den))
	p.Quo(p, new(big.Int).Mul(big.NewInt(den), big.NewInt(2)))
	if neg {
		p.Neg(p)
	}
	return p.Int64()
}
