package prequal

import (
	"fmt"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/savings"
)

// Applicant is what pre-qualification reads from a person's records.
type Applicant struct {
	BirthDate           portal.Date
	Sex                 string       // H, M or X as in the CURP; M earns the women's bonus and age limit
	DailySalary         portal.Money // salario diario integrado of the current (or last) job
	Balance             portal.Money // subaccount balance
	ContinuousBimesters int          // consecutive bimesters with contributions up to the previous one
	Employed            bool         // a current labour relationship in the previous bimester
	EmployerPaying      bool         // the current employer paid the previous bimester
	Eventual            bool         // eventual, not permanent; the fund's files do not say, so pages leave it false
	ActiveCredit        bool         // an Infonavit credit that is current or in process
	PensionInProcess    bool
}

// Woman reports whether the women's bonus and age limit apply. The CURP's
// X (non-binary) gets the general rule: the sources speak only of women.
func Woman(sex string) bool { return sex == "M" }

// Reason codes: why a person does not pre-qualify (domain.md §4.2) or
// cannot get a quote. Pages may pick an icon or a link by code; Text is
// what they show.
const (
	ReasonDatos         = "datos"                // birth date missing or impossible
	ReasonSinRelacion   = "sin_relacion_laboral" // no current labour relationship
	ReasonPatronSinPago = "patron_sin_pago"      // the employer did not pay (models that count it)
	ReasonCreditoActivo = "credito_activo"       // an Infonavit credit current or in process
	ReasonPension       = "pension_en_tramite"   // a pension in process
	ReasonBimestres     = "bimestres"            // fewer continuous bimesters than asked
	ReasonPuntos        = "puntos"               // fewer points than asked
	ReasonEdad          = "edad"                 // age + the shortest term passes the limit
	ReasonParticipantes = "participantes"        // too few people for a joint product
	ReasonMontoMinimo   = "monto_minimo"         // the credit would be below the product's minimum
)

// Reason is one cause, in the portal's Spanish.
type Reason struct {
	Code string
	Text string
}

// BlockScore is the points one block earns.
type BlockScore struct {
	Code      string
	Label     string
	Points    int
	Max       int
	Uncertain bool
	Note      string
}

// ProductResult is the outcome for one product.
type ProductResult struct {
	Product      Product
	MinPoints    int
	MinBimesters int
	Bonus        int  // women's bonus counted towards this product
	Points       int  // Result.Points + Bonus
	Qualifies    bool // no reasons
	Reasons      []Reason
	// MissingPoints is how many points short of MinPoints, 0 when enough.
	MissingPoints int
	// MissingBimesters is roughly how many more bimesters of continuous
	// contributions would reach both MinPoints and MinBimesters, assuming
	// a job with a paying employer from now on: 0 when nothing is missing
	// on that count, -1 when not within MaxProjectionBimesters (or never,
	// because of the age limit). Other reasons (an active credit, a
	// pension) are not something time fixes and do not change it.
	MissingBimesters int
	Uncertain        bool
	Note             string // the threshold's note, Spanish
}

// Result is a pre-qualification.
type Result struct {
	Model       ModelRow
	On          portal.Date
	Age         int
	SalaryUMAE6 int64        // the daily salary in UMA, times Scale
	Blocks      []BlockScore // in the model's order
	Points      int          // the blocks' sum, before any women's bonus
	Reasons     []Reason     // what stops every product
	Products    []ProductResult
	Uncertain   bool // the model or one of its blocks is an approximation
}

// MaxProjectionBimesters bounds the "bimesters missing" estimate: 60
// bimesters are ten years, beyond which the page says "more than ten
// years" rather than a number nobody can plan on.
const MaxProjectionBimesters = 60

// facts are the factor values of one person on one date.
type facts struct {
	age, salaryUMA, balance, bimesters int64
	permanent, employed, paying        bool
}

func (f facts) value(factor string) int64 {
	b := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	switch factor {
	case FactorEdad:
		return f.age
	case FactorSalarioUMA:
		return f.salaryUMA
	case FactorSaldoSCV:
		return f.balance
	case FactorBimestres:
		return f.bimesters
	case FactorPermanente:
		return b(f.permanent)
	case FactorEmpleo:
		return b(f.employed)
	case FactorPatronPaga:
		return b(f.paying)
	}
	return 0 // NewCatalog refuses unknown factors
}

// points returns the band a value falls in: the last whose LowerBound is
// not above it. Bands start at 0 and values are never negative.
func (b Block) points(v int64) int {
	p := 0
	for _, band := range b.Bands {
		if band.LowerBound > v {
			break
		}
		p = band.Points
	}
	return p
}

func (m *Model) score(f facts) ([]BlockScore, int) {
	out := make([]BlockScore, len(m.Blocks))
	total := 0
	for i, b := range m.Blocks {
		p := b.points(f.value(b.Factor))
		out[i] = BlockScore{Code: b.Code, Label: b.Label, Points: p, Max: b.MaxPoints, Uncertain: b.Uncertain, Note: b.Note}
		total += p
	}
	return out, total
}

// Age is the completed years on date on of someone born on birth. A
// 29 February birthday comes on 1 March in other years.
func Age(birth, on portal.Date) int {
	years := on.Y - birth.Y
	if on.M < birth.M || (on.M == birth.M && on.D < birth.D) {
		years--
	}
	return years
}

// PreviousBimestre is the bimester before the one that contains d: the one
// whose contributions and labour relationship pre-qualification looks at.
func PreviousBimestre(d portal.Date) portal.Bimestre {
	b := portal.BimestreOf(d)
	if b.N == 1 {
		return portal.Bimestre{Year: b.Year - 1, N: 6}
	}
	return portal.Bimestre{Year: b.Year, N: b.N - 1}
}

// ContinuousBimesters counts the bimesters with contributions in paid
// that run without a gap back from through (included): through itself
// missing gives 0. Several employers paying the same bimester count once.
func ContinuousBimesters(paid []portal.Bimestre, through portal.Bimestre) int {
	set := make(map[int]bool, len(paid))
	for _, b := range paid {
		set[b.Key()] = true
	}
	n := 0
	for b := through; set[b.Key()]; n++ {
		if b.N == 1 {
			b = portal.Bimestre{Year: b.Year - 1, N: 6}
		} else {
			b.N--
		}
	}
	return n
}

// Prequalify scores a person under the model in force on date on and
// checks every product that model sets a threshold for. umaDaily is the
// daily UMA in force that day (reference.UMADiaria). Problems in the
// person's records become reasons, not errors; the error is for a date no
// model covers or a UMA that is not positive.
func (c *Catalog) Prequalify(on portal.Date, umaDaily portal.Money, a Applicant) (Result, error) {
	if umaDaily <= 0 {
		return Result{}, fmt.Errorf("prequal: the daily UMA must be positive, got %v", umaDaily)
	}
	mi, ok := c.modelIndex(on)
	if !ok {
		return Result{}, portal.Errorf(portal.ENOTFOUND, "No hay un modelo de puntos vigente el %s.", on.Spanish())
	}
	m := &c.models[mi]
	res := Result{Model: m.ModelRow, On: on, Uncertain: m.Uncertain}
	for _, b := range m.Blocks {
		res.Uncertain = res.Uncertain || b.Uncertain
	}

	birthOK := !a.BirthDate.IsZero() && a.BirthDate.Before(on) && Age(a.BirthDate, on) <= 120
	if birthOK {
		res.Age = Age(a.BirthDate, on)
	}
	f := newFacts(umaDaily, a, res.Age, max(a.Balance, 0))
	res.SalaryUMAE6 = f.salaryUMA
	res.Blocks, res.Points = m.score(f)

	if !birthOK {
		res.Reasons = append(res.Reasons, Reason{ReasonDatos, "Tu fecha de nacimiento no está registrada o no es válida. Solicita la corrección de tus datos."})
	}
	if !a.Employed {
		res.Reasons = append(res.Reasons, Reason{ReasonSinRelacion, "No tienes una relación laboral vigente: ningún patrón te reportó en el bimestre anterior."})
	} else if m.EmployerMustPay && !a.EmployerPaying {
		res.Reasons = append(res.Reasons, Reason{ReasonPatronSinPago, "Tu patrón no ha pagado tus aportaciones del bimestre anterior."})
	}
	if a.ActiveCredit {
		res.Reasons = append(res.Reasons, Reason{ReasonCreditoActivo, "Tienes un crédito Infonavit vigente o en trámite."})
	}
	if a.PensionInProcess {
		res.Reasons = append(res.Reasons, Reason{ReasonPension, "Tienes una pensión en trámite."})
	}

	for _, t := range m.Thresholds {
		p, _ := c.Product(t.Product)
		pr := ProductResult{Product: p, MinPoints: t.MinPoints, MinBimesters: t.MinBimesters, Uncertain: t.Uncertain, Note: t.Note}
		if Woman(a.Sex) && t.WomenBonus {
			pr.Bonus = m.WomenBonus
		}
		pr.Points = res.Points + pr.Bonus
		pr.Reasons = append([]Reason(nil), res.Reasons...)
		short := false
		if f.bimesters < int64(t.MinBimesters) {
			short = true
			pr.Reasons = append(pr.Reasons, Reason{ReasonBimestres,
				fmt.Sprintf("Necesitas al menos %d bimestres de cotización continua y tienes %d.", t.MinBimesters, f.bimesters)})
		}
		if pr.Points < t.MinPoints {
			short = true
			pr.MissingPoints = t.MinPoints - pr.Points
			pr.Reasons = append(pr.Reasons, Reason{ReasonPuntos,
				fmt.Sprintf("Tienes %d puntos y este crédito pide %d.", pr.Points, t.MinPoints)})
		}
		rules, hasRules := c.rulesAt(t.Product, on)
		if hasRules && birthOK && res.Age+rules.MinTermYears > ageLimit(rules, a.Sex) {
			pr.Reasons = append(pr.Reasons, Reason{ReasonEdad,
				fmt.Sprintf("Por tu edad ya no es posible contratar este crédito: tu edad más el plazo no puede pasar de %d años.", ageLimit(rules, a.Sex))})
		}
		if short {
			pr.MissingBimesters = c.missingBimesters(m, t, pr.Bonus, on, umaDaily, a, birthOK)
		}
		pr.Qualifies = len(pr.Reasons) == 0
		res.Products = append(res.Products, pr)
	}
	return res, nil
}

// newFacts reads the factors from the records, with the age and balance
// given (today's, or projected ones).
func newFacts(umaDaily portal.Money, a Applicant, age int, balance portal.Money) facts {
	f := facts{
		age:       int64(age),
		salaryUMA: dailySalaryInUMA(max(a.DailySalary, 0), umaDaily),
		balance:   int64(balance),
		permanent: !a.Eventual,
		employed:  a.Employed,
		paying:    a.Employed && a.EmployerPaying,
	}
	// Without a current job the continuity points are lost and count again
	// once a new employer pays (domain.md §4.1, T1000-era guidance).
	if a.Employed {
		f.bimesters = int64(max(a.ContinuousBimesters, 0))
	}
	return f
}

func ageLimit(r Rules, sex string) int {
	if Woman(sex) {
		return r.AgeTermWomen
	}
	return r.AgeTermMen
}

// missingBimesters projects the person forward one bimester at a time,
// with a job and a paying employer from now on (continuity from where it
// stands, or from zero without a job): each bimester adds one to the
// continuity, two months to the age, and the employer's 5% of the daily
// salary for that bimester's days to the balance (no yield, so the figure
// errs on the long side). It returns the first number of bimesters at
// which both the points and the minimum continuity are met.
func (c *Catalog) missingBimesters(m *Model, t ThresholdRow, bonus int, on portal.Date, umaDaily portal.Money, a Applicant, birthOK bool) int {
	rules, hasRules := c.rulesAt(t.Product, on)
	future := a
	future.Employed, future.EmployerPaying = true, true
	if !a.Employed {
		future.ContinuousBimesters = 0
	}
	start := max(future.ContinuousBimesters, 0)
	balance := max(a.Balance, 0)
	b := portal.BimestreOf(on)
	for k := 0; k <= MaxProjectionBimesters; k++ {
		if k > 0 {
			balance += savings.Contribution(max(a.DailySalary, 0), umaDaily, b.Days())
			b = b.Next()
		}
		d := portal.NewDate(on.Y, on.M+time.Month(2*k), on.D)
		age := 0
		if birthOK {
			age = Age(a.BirthDate, d)
			if hasRules && age+rules.MinTermYears > ageLimit(rules, a.Sex) {
				return -1
			}
		}
		future.ContinuousBimesters = start + k
		_, pts := m.score(newFacts(umaDaily, future, age, balance))
		if pts+bonus >= t.MinPoints && start+k >= t.MinBimesters {
			return k
		}
	}
	return -1
}
