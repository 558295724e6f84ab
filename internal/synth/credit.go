package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
)

// creditMonths is how much of a credit's ledger the synthetic records keep:
// the last two years, after a balance brought forward. Statements and
// certificates need a year or two; five years of monthly rows for a third
// of a million credits would triple the seed's size for nothing.
const creditMonths = 24

// vsmDaysPerMonth converts a daily unit (UMI) to a monthly one.
const vsmDaysPerMonth = 30.4

// mortgage gives about a third of the population a credit: most in pesos,
// some old ones in VSM, some already paid off.
func (g *Generator) mortgage(p *person.Person, h *history, rng *rand.Rand) (*credit.Credit, []credit.Movement) {
	age := g.p.AsOf.Y - p.BirthDate.Y
	if age < 24 || len(h.relations) == 0 || rng.Float64() >= 0.48 {
		return nil, nil
	}
	birth := p.BirthDate.Time()
	careerStart := h.relations[0].Start.Time()
	earliest := maxTime(birth.AddDate(22, 0, 0), careerStart.AddDate(1, 0, 0))
	asOf := g.p.AsOf.Time()
	c := &credit.Credit{ID: p.ID, PersonID: p.ID, Product: "tradicional", State: credit.StateVigente}
	salary := float64(h.relations[len(h.relations)-1].DailySalary) / 100

	kind := rng.Float64()
	var orig time.Time
	switch {
	case kind < 0.15: // paid off, from 1978–2012
		orig = randomDate(rng, maxTime(earliest, ymd(1978, 1, 1)), ymd(2012, 12, 31))
		c.State = credit.StateLiquidado
		c.Denomination = credit.DenomVSM
		if orig.Year() >= 2013 {
			c.Denomination = credit.DenomPesos
		}
	case kind < 0.45: // VSM, 1988–2012
		orig = randomDate(rng, maxTime(earliest, ymd(1988, 1, 1)), ymd(2012, 12, 31))
		c.Denomination = credit.DenomVSM
	default: // pesos, 2013 on
		orig = randomDate(rng, maxTime(earliest, ymd(2013, 2, 1)), asOf.AddDate(0, -3, 0))
		c.Denomination = credit.DenomPesos
	}
	if orig.IsZero() {
		return nil, nil
	}
	c.Origination = portal.CivilDate(orig)
	c.Number = fmt.Sprintf("%02d%08d", orig.Year()%100, p.ID%100_000_000)
	c.TermMonths = 12 * (20 + 5*rng.IntN(3))
	c.EmployerID = h.relations[0].EmployerID
	for _, r := range h.relations {
		if !r.Start.Time().After(orig) {
			c.EmployerID = r.EmployerID
		}
	}

	// Rate by salary band in UMA, as the fund's schedule does (domain.md §4.4).
	uma, _ := g.ref.At(reference.UMADiaria, g.p.AsOf)
	ratio := salary / (float64(uma.E6) / reference.Scale)
	switch {
	case ratio < 1.5:
		c.AnnualRateBP = 376
	case ratio < 2.6:
		c.AnnualRateBP = 550
	case ratio < 4:
		c.AnnualRateBP = 800
	case ratio < 6:
		c.AnnualRateBP = 950
	default:
		c.AnnualRateBP = 1045
	}
	if c.Denomination == credit.DenomVSM {
		c.AnnualRateBP = 400 + 100*rng.IntN(6)
	}
	i := float64(c.AnnualRateBP) / 10_000 / 12
	// The payment is about a quarter of the monthly salary at origination.
	salaryAtOrig := float64(g.salaryOn(salary, c.Origination)) / 100
	payment := 0.25 * salaryAtOrig * vsmDaysPerMonth
	amount := payment * (1 - math.Pow(1+i, -float64(c.TermMonths))) / i
	amount = math.Min(amount, 2_600_000)
	payment = amount * i / (1 - math.Pow(1+i, -float64(c.TermMonths)))
	c.OriginalAmount = portal.Money(math.Round(amount * 100))
	c.MonthlyPayment = portal.Money(math.Round(payment * 100))
	c.DiscountType, c.DiscountFactorE4 = credit.DiscountCuotaFija, int64(c.MonthlyPayment)
	if c.Denomination == credit.DenomPesos && rng.IntN(3) == 0 {
		c.DiscountType, c.DiscountFactorE4 = credit.DiscountPorcentaje, 2000+int64(rng.IntN(1000))
	}
	umiOrig := g.umi(c.Origination)
	if c.Denomination == credit.DenomVSM {
		c.OriginalVSME4 = int64(math.Round(amount / (umiOrig * vsmDaysPerMonth) * 1e4))
		c.MonthlyPaymentVSME4 = int64(math.Round(payment / (umiOrig * vsmDaysPerMonth) * 1e4))
		c.DiscountType, c.DiscountFactorE4 = credit.DiscountVSM, c.MonthlyPaymentVSME4
	}

	// Where the schedule stands when the kept ledger starts.
	windowStart := monthStart(asOf.AddDate(0, -creditMonths+1, 0))
	var payoff time.Time
	if c.State == credit.StateLiquidado {
		payoff = orig.AddDate(0, 60+rng.IntN(c.TermMonths-59), 0)
		if payoff.After(asOf) {
			payoff = asOf.AddDate(0, -rng.IntN(creditMonths), 0)
		}
		if payoff.Before(windowStart) {
			return c, nil // paid before the kept ledger begins: nothing to show
		}
	} else if !orig.AddDate(0, c.TermMonths, 0).After(windowStart) {
		c.State = credit.StateLiquidado // its term ended: paid in full
		return c, nil
	}
	return c, g.ledger(c, h, rng, windowStart, payoff)
}

// ledger simulates the kept months of a credit: interest, payroll
// discounts while the person works, some direct payments while not.
func (g *Generator) ledger(c *credit.Credit, h *history, rng *rand.Rand, windowStart, payoff time.Time) []credit.Movement {
	asOf := g.p.AsOf.Time()
	i := float64(c.AnnualRateBP) / 10_000 / 12
	vsm := c.Denomination == credit.DenomVSM
	// Balance and payment in the credit's own unit: centavos for pesos,
	// VSM × 10,000 for VSM credits.
	orig := c.Origination.Time()
	principal, payment := float64(c.OriginalAmount), float64(c.MonthlyPayment)
	if vsm {
		principal, payment = float64(c.OriginalVSME4), float64(c.MonthlyPaymentVSME4)
	}
	var moves []credit.Movement
	var balance float64
	start := monthStart(orig)
	if orig.Before(windowStart) {
		k := monthsBetween(orig, windowStart)
		growth := math.Pow(1+i, float64(k))
		balance = principal*growth - payment*(growth-1)/i
		balance *= 1 + 0.05*rng.Float64() // some arrears along the way
		balance = math.Max(balance, payment)
		start = windowStart
		day := portal.CivilDate(windowStart).AddDays(-1)
		moves = append(moves, g.move(c, credit.KindApertura, day.Y*100+int(day.M), 0, day, balance))
	} else {
		moves = append(moves, g.move(c, credit.KindDisposicion, orig.Year()*100+int(orig.Month()), 0, c.Origination, principal))
		balance = principal
	}
	worked := map[int]bimesterWork{}
	for _, w := range h.worked {
		worked[w.b.Key()] = w
	}
	prevUMI := g.umi(portal.CivilDate(start))
	for m := start; !m.After(asOf); m = m.AddDate(0, 1, 0) {
		monthEnd := portal.CivilDate(m.AddDate(0, 1, -1))
		if monthEnd.Time().After(asOf) {
			break
		}
		period := m.Year()*100 + int(m.Month())
		if vsm && m.Month() == time.January {
			if umi := g.umi(portal.CivilDate(m)); umi != prevUMI {
				// The yearly update: the balance in VSM stays, its value
				// in pesos follows the UMI (domain.md §3.3).
				pesos := balance / 1e4 * (umi - prevUMI) * vsmDaysPerMonth * 100
				moves = append(moves, credit.Movement{CreditID: c.ID, Kind: credit.KindActualizacion, Period: period,
					ValueDate: portal.CivilDate(m), Amount: portal.Money(math.Round(pesos))})
				prevUMI = umi
			}
		}
		interest := balance * i
		moves = append(moves, g.move(c, credit.KindInteres, period, 0, monthEnd, interest))
		balance += interest
		if !payoff.IsZero() && !monthEnd.Time().Before(payoff) {
			// The last payment settles the credit to the centavo: in pesos
			// it is whatever the rounded movements add up to.
			last := g.move(c, credit.KindPagoDirecto, period, 0, monthEnd, -balance)
			var owed portal.Money
			for _, m := range moves {
				owed += m.Amount
			}
			last.Amount = -owed
			moves = append(moves, last)
			break
		}
		// Payroll discounts arrive with the bimester's contributions.
		if m.Month()%2 == 0 {
			b := portal.BimestreOf(portal.CivilDate(m))
			if w, ok := worked[b.Key()]; ok && w.paid.Time().Before(asOf) {
				amt := math.Min(2*payment*float64(w.days)/61, balance)
				moves = append(moves, g.move(c, credit.KindDescuentoNomina, b.Key(), w.employer, w.paid, -amt))
				balance -= amt
				continue
			}
		}
		if _, ok := worked[portal.BimestreOf(portal.CivilDate(m)).Key()]; !ok && rng.Float64() < 0.5 {
			amt := math.Min(payment, balance)
			moves = append(moves, g.move(c, credit.KindPagoDirecto, period, 0, monthEnd.AddDays(-rng.IntN(20)), -amt))
			balance -= amt
		}
	}
	return moves
}

// move makes a movement from an amount in the credit's unit, rounding it
// once, and values VSM movements in pesos at that day's UMI.
func (g *Generator) move(c *credit.Credit, kind string, period int, source int64, d portal.Date, amount float64) credit.Movement {
	m := credit.Movement{CreditID: c.ID, Kind: kind, Period: period, SourceID: source, ValueDate: d}
	if c.Denomination == credit.DenomVSM {
		m.AmountVSM = int64(math.Round(amount))
		m.Amount = portal.Money(math.Round(float64(m.AmountVSM) / 1e4 * g.umi(d) * vsmDaysPerMonth * 100))
		return m
	}
	m.Amount = portal.Money(math.Round(amount))
	return m
}

// umi is the UMI in pesos on a day; before 2020 the minimum wage stood in
// for it (domain.md §3.3).
func (g *Generator) umi(d portal.Date) float64 {
	if v, err := g.ref.At(reference.UMIDiaria, d); err == nil {
		return float64(v.E6) / reference.Scale
	}
	if v, err := g.ref.At(reference.SalarioMinimo, d); err == nil {
		return float64(v.E6) / reference.Scale
	}
	return 80.04
}

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func monthStart(t time.Time) time.Time { return ymd(t.Year(), t.Month(), 1) }

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// randomDate draws a day in [from, to]; zero when the range is empty.
func randomDate(rng *rand.Rand, from, to time.Time) time.Time {
	if to.Before(from) {
		return time.Time{}
	}
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, rng.IntN(days+1))
}
