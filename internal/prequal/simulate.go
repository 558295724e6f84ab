package prequal

import (
	"fmt"

	"micuenta/internal/portal"
)

// Participant is one person in a simulation: the holder, or each person of
// an Unamos Créditos.
type Participant struct {
	BirthDate     portal.Date
	Sex           string       // H, M or X as in the CURP
	MonthlySalary portal.Money // MonthlySalary(daily) from the records, or what the person types
	Balance       portal.Money // subaccount balance
}

// Request asks for a quote.
type Request struct {
	Product          string
	On               portal.Date
	UMADaily         portal.Money // reference.UMADiaria on On
	MinimumWageDaily portal.Money // reference.SalarioMinimo on On
	// TermYears is the term asked for; 0 asks for the longest the product
	// and each participant's age allow, which gives the largest credit.
	TermYears    int
	Participants []Participant
}

// What held a credit down.
const (
	LimitCapacidad = "capacidad" // what the salary can pay a month
	LimitTope      = "tope"      // the product's maximum amount
	LimitSaldo     = "saldo"     // the share of the subaccount balance it may reach
	LimitTramo     = "tramo"     // the top of an amount band of the rate table
)

// Part is one participant's credit.
type Part struct {
	Age            int
	MaxTermYears   int // the longest the product and the age allow
	TermYears      int
	SalaryUMAE6    int64 // the monthly salary in UMA mensuales, times Scale
	RateE6         int64 // annual, fixed for the life of the credit
	ShareE6        int64 // the share of the salary the payment may take
	Capacity       portal.Money
	Credit         portal.Money
	MonthlyPayment portal.Money
	LimitedBy      string
	Schedule       []YearRow
}

// Quote is a simulation's answer.
type Quote struct {
	Product   Product
	Rules     RuleRow // the rules used: ValidFrom, Note, Uncertain
	Eligible  bool
	Reasons   []Reason
	Parts     []Part
	Ceiling   portal.Money // the product's maximum amount that day
	MinAmount portal.Money
	Credit    portal.Money // the credit (all parts)
	Balance   portal.Money // the subaccount balance added, when the product adds it
	Total     portal.Money // Credit + Balance: what the person can spend
	// MonthlyPayment is the fixed monthly payment (all parts), amortization
	// only: the housing insurance comes on top.
	MonthlyPayment portal.Money
	// Insurance is the housing insurance charged each bimester with the
	// payments, per credit (domain.md §4.5); 0 for products without it.
	Insurance portal.Money
	TermYears int       // the longest part's
	Schedule  []YearRow // all parts together, year by year
	Uncertain bool
}

// Limits on the simulator's inputs; beyond them the arithmetic stays exact
// but the figures mean nothing.
const (
	maxMonthlySalary = portal.Money(1_000_000_000)   // 10 million pesos
	maxBalance       = portal.Money(100_000_000_000) // 1,000 million pesos
	maxParticipants  = 10                            // more is a typing error
)

// Simulate quotes the largest credit of a product for its participants on
// a date: for each, the rate by salary (or amount), the payment capacity
// as a share of the salary, the longest term the age allows, and the
// present value of that payment, held down by the product's ceilings; then
// the subaccount balance is added where the product adds it. Bad input is
// an EINVALID error with a Spanish message for the form; a person the
// rules leave out gets a quote with Eligible false and reasons.
func (c *Catalog) Simulate(req Request) (Quote, error) {
	p, ok := c.Product(req.Product)
	if !ok {
		return Quote{}, portal.Errorf(portal.EINVALID, "Elige un tipo de crédito de la lista.")
	}
	if req.UMADaily <= 0 || req.MinimumWageDaily <= 0 {
		return Quote{}, fmt.Errorf("prequal: the daily UMA and minimum wage must be positive, got %v and %v", req.UMADaily, req.MinimumWageDaily)
	}
	r, ok := c.rulesAt(req.Product, req.On)
	if !ok {
		return Quote{}, portal.Errorf(portal.ENOTFOUND, "%s no estaba disponible el %s.", p.Name, req.On.Spanish())
	}
	n := len(req.Participants)
	switch {
	case n == 0 || n > maxParticipants:
		return Quote{}, portal.Errorf(portal.EINVALID, "Indica los datos de cada persona que solicita el crédito.")
	case r.MaxApplicants == 1 && n > 1:
		return Quote{}, portal.Errorf(portal.EINVALID, "Este crédito es para una sola persona.")
	case r.MaxApplicants != 0 && n > r.MaxApplicants:
		return Quote{}, portal.Errorf(portal.EINVALID, "Este crédito admite hasta %d personas.", r.MaxApplicants)
	}
	for i, pa := range req.Participants {
		who := participantLabel(i, n)
		if pa.BirthDate.IsZero() || !pa.BirthDate.Before(req.On) || Age(pa.BirthDate, req.On) > 120 {
			return Quote{}, portal.Errorf(portal.EINVALID, "%sLa fecha de nacimiento no es válida.", who)
		}
		if pa.MonthlySalary <= 0 || pa.MonthlySalary > maxMonthlySalary {
			return Quote{}, portal.Errorf(portal.EINVALID, "%sEscribe el salario mensual en pesos, mayor que 0, por ejemplo 12000.00.", who)
		}
		if pa.Balance < 0 || pa.Balance > maxBalance {
			return Quote{}, portal.Errorf(portal.EINVALID, "%sEl ahorro en la Subcuenta de Vivienda no puede ser negativo.", who)
		}
	}
	if req.TermYears != 0 && (req.TermYears < r.MinTermYears || req.TermYears > r.MaxTermYears) {
		return Quote{}, portal.Errorf(portal.EINVALID, "El plazo de este crédito es de %d a %d años.", r.MinTermYears, r.MaxTermYears)
	}

	q := Quote{Product: p, Rules: r.RuleRow, Uncertain: r.Uncertain,
		Ceiling: MonthlyMultiple(req.UMADaily, r.CeilingUMAE6), MinAmount: MonthlyMultiple(req.UMADaily, r.MinAmountUMAE6)}
	if n < r.MinApplicants {
		q.Reasons = append(q.Reasons, Reason{ReasonParticipantes,
			fmt.Sprintf("%s se solicita con al menos %d personas; cada una debe precalificar por su cuenta.", p.Name, r.MinApplicants)})
	}
	for i, pa := range req.Participants {
		part, reason, err := c.quotePart(r, req, pa)
		if err != nil {
			return Quote{}, portal.Errorf(portal.EINVALID, "%s%s", participantLabel(i, n), portal.ErrorMessage(err))
		}
		if reason != nil {
			reason.Text = participantLabel(i, n) + reason.Text
			q.Reasons = append(q.Reasons, *reason)
		}
		q.Parts = append(q.Parts, part)
	}

	// Together the parts may not pass the product's ceiling: each is cut
	// in the same proportion (rounded down, so the sum stays under it).
	var sum portal.Money
	for _, part := range q.Parts {
		sum += part.Credit
	}
	if sum > q.Ceiling {
		for i := range q.Parts {
			q.Parts[i].Credit = portal.Money(mulDivFloor(int64(q.Parts[i].Credit), int64(q.Ceiling), int64(sum)))
			q.Parts[i].LimitedBy = LimitTope
		}
	}
	for i := range q.Parts {
		part := &q.Parts[i]
		months := part.TermYears * 12
		part.MonthlyPayment = paymentFor(part.Credit, part.RateE6, months)
		part.Schedule = Amortize(part.Credit, part.RateE6, months, part.MonthlyPayment)
		q.Credit += part.Credit
		q.MonthlyPayment += part.MonthlyPayment
		q.TermYears = max(q.TermYears, part.TermYears)
		if r.AddsBalance {
			q.Balance += req.Participants[i].Balance
		}
	}
	if len(q.Reasons) == 0 && (q.Credit <= 0 || q.Credit < q.MinAmount) {
		text := fmt.Sprintf("Con tu salario el crédito no llega al monto mínimo de %s.", q.MinAmount)
		if len(q.Parts) == 1 && q.Parts[0].LimitedBy == LimitSaldo {
			text = fmt.Sprintf("Tu ahorro en la Subcuenta de Vivienda no alcanza para el monto mínimo de %s: se presta hasta el %s de tu saldo.", q.MinAmount, Percent(r.BalanceCapE6))
		}
		q.Reasons = append(q.Reasons, Reason{ReasonMontoMinimo, text})
	}
	q.Eligible = len(q.Reasons) == 0
	if !q.Eligible {
		// No figures for a credit the person cannot have: the page shows
		// the reasons instead.
		for i := range q.Parts {
			q.Parts[i].Credit, q.Parts[i].MonthlyPayment, q.Parts[i].Schedule = 0, 0, nil
		}
		q.Credit, q.Balance, q.MonthlyPayment = 0, 0, 0
		return q, nil
	}
	q.Total = q.Credit + q.Balance
	q.Insurance = r.InsuranceBimester * portal.Money(len(q.Parts))
	q.Schedule = combine(q.Parts)
	return q, nil
}

// quotePart works out one participant's credit before the joint ceiling.
// A reason means the rules leave the person out; an error means the term
// asked for cannot be.
func (c *Catalog) quotePart(r Rules, req Request, pa Participant) (Part, *Reason, error) {
	part := Part{Age: Age(pa.BirthDate, req.On), SalaryUMAE6: SalaryInUMA(pa.MonthlySalary, req.UMADaily)}
	limit := ageLimit(r, pa.Sex)
	part.MaxTermYears = min(r.MaxTermYears, limit-part.Age)
	if part.MaxTermYears < r.MinTermYears {
		part.MaxTermYears = 0
		return part, &Reason{ReasonEdad, fmt.Sprintf("Por la edad ya no es posible contratar este crédito: la edad más el plazo no puede pasar de %d años.", limit)}, nil
	}
	if req.TermYears > part.MaxTermYears {
		return part, nil, portal.Errorf(portal.EINVALID, "Por la edad, el plazo máximo es de %d años.", part.MaxTermYears)
	}
	part.ShareE6 = r.ShareE6
	if pa.MonthlySalary <= MonthlyMultiple(req.MinimumWageDaily, r.LowSalarySME6) {
		part.ShareE6 = r.LowShareE6
	}
	part.Capacity = shareOf(pa.MonthlySalary, part.ShareE6)
	ceiling := r.CeilingUMAE6
	if r.PersonCeilingUMAE6 > 0 {
		ceiling = r.PersonCeilingUMAE6
	}
	caps := func(credit portal.Money) (portal.Money, string) {
		by := LimitCapacidad
		if top := MonthlyMultiple(req.UMADaily, ceiling); credit > top {
			credit, by = top, LimitTope
		}
		if r.BalanceCapE6 > 0 {
			if top := portal.Money(mulDivFloor(int64(pa.Balance), r.BalanceCapE6, Scale)); credit > top {
				credit, by = top, LimitSaldo
			}
		}
		return credit, by
	}

	if r.RateBasis == RateBasisSalario {
		part.RateE6 = r.rateFor(part.SalaryUMAE6)
		part.TermYears = req.TermYears
		if part.TermYears == 0 {
			part.TermYears = part.MaxTermYears
		}
		part.Credit, part.LimitedBy = caps(presentValue(part.Capacity, part.RateE6, part.TermYears*12))
		return part, nil, nil
	}

	// Amount-based rates (Mejoravit): the rate and the longest term depend
	// on the credit itself, so try the highest band first and step down
	// until the credit lands in the band it was priced with. A band's top
	// is the next band's start; the published rule is "up to X", so a band
	// other than the first starts just above its LowerUMAE6.
	for i := len(r.Rates) - 1; i >= 0; i-- {
		band := r.Rates[i]
		maxTerm := part.MaxTermYears
		if band.MaxTermYears > 0 {
			maxTerm = min(maxTerm, band.MaxTermYears)
		}
		term := req.TermYears
		if term == 0 {
			term = maxTerm
		}
		if term > maxTerm || term < r.MinTermYears {
			continue
		}
		credit, by := caps(presentValue(part.Capacity, band.RateE6, term*12))
		if i+1 < len(r.Rates) {
			if top := MonthlyMultiple(req.UMADaily, r.Rates[i+1].LowerUMAE6); credit > top {
				credit, by = top, LimitTramo
			}
		}
		if i == 0 || credit > MonthlyMultiple(req.UMADaily, band.LowerUMAE6) {
			part.RateE6, part.TermYears, part.Credit, part.LimitedBy = band.RateE6, term, credit, by
			part.MaxTermYears = maxTerm
			return part, nil, nil
		}
	}
	// Only a term longer than the lowest band allows gets here.
	first := r.Rates[0]
	top := MonthlyMultiple(req.UMADaily, r.Rates[min(1, len(r.Rates)-1)].LowerUMAE6)
	return part, nil, portal.Errorf(portal.EINVALID, "Para montos de hasta %s el plazo máximo es de %d años.", top, min(part.MaxTermYears, first.MaxTermYears))
}

// rateFor returns the annual rate for a monthly salary of s UMA (times
// Scale). The salary is truncated to 0.1 UMA; the rate is that of the last
// row not above it or, when the table interpolates, the point on the
// straight line to the next row, rounded to 0.01 percentage points.
func (r Rules) rateFor(s int64) int64 {
	s -= s % (Scale / 10)
	i := 0
	for i+1 < len(r.Rates) && r.Rates[i+1].LowerUMAE6 <= s {
		i++
	}
	lo := r.Rates[i]
	if !r.RateInterpolate || i+1 == len(r.Rates) {
		return lo.RateE6
	}
	hi := r.Rates[i+1]
	span := hi.LowerUMAE6 - lo.LowerUMAE6
	num := lo.RateE6*span + (hi.RateE6-lo.RateE6)*(s-lo.LowerUMAE6)
	return portal.RoundDiv(num, span*100) * 100
}

// combine adds the parts' schedules year by year.
func combine(parts []Part) []YearRow {
	var out []YearRow
	for _, p := range parts {
		for i, y := range p.Schedule {
			if i == len(out) {
				out = append(out, YearRow{Year: y.Year})
			}
			out[i].Payments += y.Payments
			out[i].Interest += y.Interest
			out[i].Principal += y.Principal
			out[i].Balance += y.Balance
		}
	}
	return out
}

func participantLabel(i, n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf("Persona %d: ", i+1)
}
