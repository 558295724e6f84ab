package synth

import (
	"math"
	"math/rand/v2"
	"time"

	"micuenta/internal/employment"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/savings"
)

// history is what one person's working life left in the fund's records.
type history struct {
	relations []employment.Relation
	savings   []savings.Movement
	// worked[b] is the employer and days of each bimester in the window
	// the person contributed in, for the credit's payroll discounts.
	worked []bimesterWork
}

type bimesterWork struct {
	b        portal.Bimestre
	employer int64
	days     int
	paid     portal.Date
}

// job is one employment before it is cut to what the records keep.
type job struct {
	employer   int64
	start, end time.Time // end is zero while current
	salaryNow  float64   // daily salary in today's pesos
}

// career draws the person's employments from their first affiliation to
// the dataset's date.
func (g *Generator) career(p *person.Person, rng *rand.Rand) []job {
	asOf := g.p.AsOf.Time()
	birth := p.BirthDate.Time()
	start := time.Date(2000+p.NSS.AffiliationYY(), 1, 1, 0, 0, 0, 0, time.UTC)
	if start.Year() > asOf.Year() {
		start = start.AddDate(-100, 0, 0)
	}
	if start.Before(birth.AddDate(16, 0, 0)) {
		start = birth.AddDate(16, 0, 0)
	}
	start = start.AddDate(0, 0, rng.IntN(330))
	stop := asOf
	if p.PensionStatus != "" {
		stop = birth.AddDate(60+rng.IntN(5), 0, 0)
		if stop.After(asOf) {
			stop = asOf.AddDate(0, -rng.IntN(12)-1, 0)
		}
	}
	// Salary in today's pesos: log-normal around 520 a day, floored at the
	// minimum wage; each job moves it a little.
	base := 520 * math.Exp(0.55*rng.NormFloat64())
	var jobs []job
	for t := start; t.Before(stop); {
		months := int(36*math.Exp(0.8*rng.NormFloat64())) + 2
		end := t.AddDate(0, months, rng.IntN(28))
		j := job{employer: g.pickEmployer(rng), start: t, salaryNow: base}
		if !end.Before(stop) {
			if p.PensionStatus != "" || rng.Float64() < 0.22 {
				j.end = stop // retired, or out of work now
			}
			jobs = append(jobs, j)
			break
		}
		j.end = end
		jobs = append(jobs, j)
		base *= 1 + 0.15*rng.NormFloat64()
		base = max(base, 330)
		gap := 0
		if rng.Float64() < 0.7 {
			gap = int(120 * math.Exp(0.9*rng.NormFloat64()))
		}
		t = end.AddDate(0, 0, gap+1)
	}
	return jobs
}

// salaryOn deflates a salary in today's pesos to date d (5% a year) and
// floors it at that year's minimum wage.
func (g *Generator) salaryOn(now float64, d portal.Date) portal.Money {
	years := g.p.AsOf.Time().Sub(d.Time()).Hours() / (24 * 365.25)
	s := portal.Money(math.Round(now / math.Pow(1.05, years) * 100))
	if sm, err := g.ref.At(reference.SalarioMinimo, d); err == nil && s < sm.Centavos() {
		s = sm.Centavos()
	}
	return s
}

// history turns a career into relations, contributions, balances brought
// forward and yields.
func (g *Generator) history(p *person.Person, rng *rand.Rand) *history {
	jobs := g.career(p, rng)
	h := &history{}
	// The records keep every relation; very long careers keep the last
	// eight, as older altas were never digitised.
	first := max(0, len(jobs)-8)
	for _, j := range jobs[first:] {
		r := employment.Relation{PersonID: p.ID, EmployerID: j.employer, Start: portal.CivilDate(j.start)}
		endForSalary := g.p.AsOf
		if !j.end.IsZero() {
			r.End = portal.CivilDate(j.end)
			endForSalary = r.End
		}
		r.DailySalary = g.salaryOn(j.salaryNow, endForSalary)
		h.relations = append(h.relations, r)
	}

	// Contributions for each bimester of the window, per job.
	perYear := map[int]portal.Money{} // viv97 contributions by year of payment
	for b := g.firstB; !g.lastB.Before(b); b = b.Next() {
		bFirst, bLast := b.First().Time(), b.Last().Time()
		uma, err := g.ref.At(reference.UMADiaria, b.First())
		if err != nil {
			continue
		}
		for _, j := range jobs {
			from, to := maxTime(j.start, bFirst), bLast
			if !j.end.IsZero() && j.end.Before(to) {
				to = j.end
			}
			if to.Before(from) {
				continue
			}
			days := int(to.Sub(from).Hours()/24) + 1
			salary := g.salaryOn(j.salaryNow, b.First())
			amount := savings.Contribution(salary, uma.Centavos(), days)
			paid := paymentDate(b)
			h.savings = append(h.savings, savings.Movement{
				PersonID: p.ID, Bucket: savings.BucketViv97, Kind: savings.KindAportacion,
				Period: b.Key(), SourceID: j.employer, ValueDate: paid, Amount: amount,
				DailySalary: salary, Days: days,
			})
			h.worked = append(h.worked, bimesterWork{b: b, employer: j.employer, days: days, paid: paid})
			perYear[paid.Y] += amount
		}
	}

	// Balances from before the window, brought forward as one movement per
	// bucket, then a yearly yield on each bucket that earns one.
	opening := g.openingBalances(jobs)
	balances := map[string]portal.Money{}
	day := g.firstB.First().AddDays(-1)
	for _, bucket := range []string{savings.BucketFondo72, savings.BucketViv92, savings.BucketViv97} {
		if amt := opening[bucket]; amt > 0 {
			h.savings = append(h.savings, savings.Movement{
				PersonID: p.ID, Bucket: bucket, Kind: savings.KindSaldoAnterior,
				Period: day.Y*100 + int(day.M), ValueDate: day, Amount: amt,
			})
			balances[bucket] = amt
		}
	}
	for y := g.firstB.Year; y < g.p.AsOf.Y; y++ {
		rate, err := g.ref.At(reference.RendimientoSCV, portal.NewDate(y, time.January, 1))
		if err != nil {
			continue
		}
		yearEnd := portal.NewDate(y, time.December, 31)
		for _, bucket := range []string{savings.BucketViv92, savings.BucketViv97} {
			base := balances[bucket]
			if bucket == savings.BucketViv97 {
				base += perYear[y] / 2 // contributions earn for half the year on average
			}
			if base <= 0 {
				continue
			}
			yield := portal.Money(portal.RoundDiv(int64(base)*rate.E6, reference.Scale))
			if yield == 0 {
				continue
			}
			h.savings = append(h.savings, savings.Movement{
				PersonID: p.ID, Bucket: bucket, Kind: savings.KindRendimiento,
				Period: yearEnd.Y*100 + 12, ValueDate: yearEnd, Amount: yield,
				Days: yearEnd.Time().YearDay(), // a yearly yield covers the year
			})
			balances[bucket] += yield
		}
		balances[savings.BucketViv97] += perYear[y]
	}
	return h
}

// openingBalances estimates each bucket at the start of the window from
// the jobs before it: 5% of the salary for the days worked, growing 5% a
// year while it waits (no growth for the 1972–1992 fund, which paid none).
func (g *Generator) openingBalances(jobs []job) map[string]portal.Money {
	out := map[string]portal.Money{}
	windowStart := g.firstB.First().Time()
	viv92From := time.Date(1992, time.March, 1, 0, 0, 0, 0, time.UTC)
	viv97From := time.Date(1997, time.July, 1, 0, 0, 0, 0, time.UTC)
	for _, j := range jobs {
		end := j.end
		if end.IsZero() || end.After(windowStart) {
			end = windowStart
		}
		for t := j.start; t.Before(end); t = t.AddDate(1, 0, 0) {
			next := t.AddDate(1, 0, 0)
			if next.After(end) {
				next = end
			}
			days := next.Sub(t).Hours() / 24
			salary := float64(g.salaryOn(j.salaryNow, portal.CivilDate(t))) / 100
			amount := 0.05 * salary * days
			years := windowStart.Sub(t).Hours() / (24 * 365.25)
			switch {
			case t.Before(viv92From):
				out[savings.BucketFondo72] += portal.Money(math.Round(amount * 100 * 0.3)) // old pesos, mostly eroded
			case t.Before(viv97From):
				out[savings.BucketViv92] += portal.Money(math.Round(amount * 100 * math.Pow(1.05, years)))
			default:
				out[savings.BucketViv97] += portal.Money(math.Round(amount * 100 * math.Pow(1.05, years)))
			}
		}
	}
	return out
}

// paymentDate is when employers pay a bimester: the 17th of the month after
// it ends (domain.md §2.1).
func paymentDate(b portal.Bimestre) portal.Date {
	last := b.Last()
	return portal.NewDate(last.Y, last.M+1, 17)
}

// lastPaidBimester is the newest bimester whose payment date has passed.
func lastPaidBimester(asOf portal.Date) portal.Bimestre {
	b := portal.BimestreOf(asOf)
	for asOf.Before(paymentDate(b)) {
		b = prevBimester(b)
	}
	return b
}

func prevBimester(b portal.Bimestre) portal.Bimestre {
	if b.N == 1 {
		return portal.Bimestre{Year: b.Year - 1, N: 6}
	}
	return portal.Bimestre{Year: b.Year, N: b.N - 1}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
