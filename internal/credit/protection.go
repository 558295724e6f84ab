package credit

import (
	"fmt"
	"sort"
	"time"

	"micuenta/internal/portal"
)

// Protection measures for a borrower who lost their job (domain.md §8).
//
// Prórroga (§8.1, LINFONAVIT art. 41): payments deferred while the
// borrower has no employment relation. Credits originated before 1 July
// 1997 have up to 12 months; later ones up to 24 over the life of the
// credit, no more than 12 at a time. Since the April 2025 reform a
// prórroga earns no interest and the balance does not grow. In the ledger
// each deferred month is, written when the prórroga is approved and dated
// the month's last day, a KindProrroga marker (amount 0, keyed by the
// request): no payment falls due that month (Summarize) and the months
// used are counted from them; and the month's interest, zero, under the
// key the monthly accrual would use, so the accrual finds the month done
// (store.Accrue skips a movement already posted) — the rule costs the
// accrual nothing and stays idempotent.
//
// Fondo de Protección de Pagos (§8.2): for credits granted from 2009, the
// fund pays 90% of the monthly payment for 6 months, once every 5 years;
// the borrower pays the other 10%. Conditions: at least 6 months of
// continuous employment before the job loss, at least one month without
// work, a loss not due to a pension (or disability or invalidity), no
// other payment solution in course. In the ledger each covered month is
// a KindFPP payment of the 90%, dated the month's last day.

// Prórroga limits (domain.md §8.1).
const (
	ProrrogaLimitPre1997 = 12 // credits originated before 1 July 1997, in all
	ProrrogaLimit        = 24 // later credits, over the life of the credit
	ProrrogaAtOnce       = 12 // at most at a time
)

// prorrogaCutoff separates the two regimes of art. 41.
var prorrogaCutoff = portal.NewDate(1997, time.July, 1)

// Fondo de Protección de Pagos (domain.md §8.2).
const (
	FPPMonths     = 6
	FPPShareBP    = 9_000 // the fund pays 90%
	FPPEveryYears = 5
	FPPMinJob     = 6 // months of continuous employment before the loss
)

// FPPFrom is the first origination date the fund covers.
var FPPFrom = portal.NewDate(2009, time.January, 1)

// EmploymentFacts are what the protection measures ask of a person's
// records of employment and pension.
type EmploymentFacts struct {
	Employed   bool        // an employment relation is current
	Employer   string      // the current employer's name, when Employed
	LastEnd    portal.Date // the end of the last relation (zero when Employed or never employed)
	SpanMonths int         // whole months of continuous employment that ended on LastEnd
	Pensioner  bool        // a pension is granted or in course
}

// ProtectionStatus says whether a measure can be requested today and why
// not, in plain Spanish, with the figures the page shows.
type ProtectionStatus struct {
	Eligible bool
	Why      []string
	JobEnded portal.Date
	From     portal.Date // the first month it would cover
	// Prórroga.
	Limit, Used, Available int
	// Fondo de Protección de Pagos: the monthly payment and its shares,
	// in pesos (a VSM credit's at the day's UMI), and the 90% in the
	// credit's unit.
	Payment, FundPays, OwnShare portal.Money
	FundPaysUnit                int64
	LastUsed, NextAllowed       portal.Date
}

// protectionAhead says what protection the ledger holds from this month
// on, "" when none.
func protectionAhead(moves []Movement, today portal.Date) string {
	var pro, fpp portal.Date
	for _, m := range moves {
		if m.Period < MonthKey(today) {
			continue
		}
		switch {
		case m.Kind == KindProrroga && pro.Before(m.ValueDate):
			pro = m.ValueDate
		case m.Kind == KindFPP && fpp.Before(m.ValueDate):
			fpp = m.ValueDate
		}
	}
	switch {
	case !pro.IsZero():
		return "Ya estás en prórroga hasta " + pro.MonthYear() + "."
	case !fpp.IsZero():
		return "El Fondo de Protección de Pagos cubre tus mensualidades hasta " + fpp.MonthYear() + ": no se pueden usar dos medidas de protección a la vez."
	}
	return ""
}

// liveWhy is why a credit that is not live gets no protection.
func liveWhy(c Credit) string {
	switch c.State {
	case StateLiquidado:
		return "Tu crédito está liquidado: ya no tienes mensualidades que proteger."
	case StateCerrado:
		return "Tu crédito está cerrado: ya no tienes mensualidades que proteger."
	}
	return ""
}

// jobWhy is why the records of employment do not allow a measure.
func jobWhy(e EmploymentFacts) string {
	switch {
	case e.Employed && e.Employer != "":
		return "Tienes una relación laboral vigente con " + e.Employer + ". Estas medidas son para quien perdió su empleo; si ya no trabajas ahí, tu patrón debe dar tu baja ante el IMSS."
	case e.Employed:
		return "Tienes una relación laboral vigente. Estas medidas son para quien perdió su empleo; si ya no trabajas, tu patrón debe dar tu baja ante el IMSS."
	case e.LastEnd.IsZero():
		return "No tenemos registrada ninguna relación laboral tuya, así que no podemos comprobar la pérdida del empleo. Acude a un Centro de Servicio con tu constancia de baja."
	}
	return ""
}

// Prorroga says whether a prórroga can be requested today.
func Prorroga(c Credit, moves []Movement, e EmploymentFacts, today portal.Date) ProtectionStatus {
	s := ProtectionStatus{JobEnded: e.LastEnd, From: portal.NewDate(today.Y, today.M, 1), Limit: ProrrogaLimit}
	if c.Origination.Before(prorrogaCutoff) {
		s.Limit = ProrrogaLimitPre1997
	}
	for _, m := range moves {
		if m.Kind == KindProrroga {
			s.Used++
		}
	}
	s.Available = max(min(ProrrogaAtOnce, s.Limit-s.Used), 0)
	add := func(why string) {
		if why != "" {
			s.Why = append(s.Why, why)
		}
	}
	add(liveWhy(c))
	if c.Live() {
		add(protectionAhead(moves, today))
		if c.State == StateEnProrroga && len(s.Why) == 0 {
			add("Tu crédito ya está en prórroga.")
		}
	}
	add(jobWhy(e))
	if s.Available == 0 {
		add(fmt.Sprintf("Ya usaste los %d meses de prórroga que la ley permite para tu crédito.", s.Limit))
	}
	s.Eligible = len(s.Why) == 0
	return s
}

// FPP says whether the Fondo de Protección de Pagos can be requested
// today; umi values a VSM credit's payment.
func FPP(c Credit, moves []Movement, e EmploymentFacts, today portal.Date, umi int64) ProtectionStatus {
	s := ProtectionStatus{JobEnded: e.LastEnd, From: portal.NewDate(today.Y, today.M, 1)}
	s.Payment, s.FundPays, s.FundPaysUnit = fppShares(c, umi)
	s.OwnShare = s.Payment - s.FundPays
	// The last coverage began at its earliest month.
	starts := map[int64]portal.Date{}
	for _, m := range moves {
		if m.Kind == KindFPP {
			if d, ok := starts[m.SourceID]; !ok || m.ValueDate.Before(d) {
				starts[m.SourceID] = m.ValueDate
			}
		}
	}
	for _, d := range starts {
		if s.LastUsed.Before(d) {
			s.LastUsed = d
		}
	}
	if !s.LastUsed.IsZero() {
		s.NextAllowed = portal.NewDate(s.LastUsed.Y+FPPEveryYears, s.LastUsed.M, 1)
	}
	add := func(why string) {
		if why != "" {
			s.Why = append(s.Why, why)
		}
	}
	if c.Origination.Before(FPPFrom) {
		add(fmt.Sprintf("El Fondo de Protección de Pagos cubre los créditos otorgados desde 2009; el tuyo es de %d. Revisa la prórroga.", c.Origination.Y))
	}
	add(liveWhy(c))
	if c.Live() {
		add(protectionAhead(moves, today))
		if c.State == StateEnProrroga && len(s.Why) == 0 {
			add("Tu crédito está en prórroga: no se pueden usar dos medidas de protección a la vez.")
		}
	}
	add(jobWhy(e))
	if !e.Employed && !e.LastEnd.IsZero() {
		if monthLater := e.LastEnd.AddMonths(1); today.Before(monthLater) {
			add("Debes llevar al menos un mes sin empleo: podrás pedirlo a partir del " + monthLater.Spanish() + ".")
		}
		if e.SpanMonths < FPPMinJob {
			add(fmt.Sprintf("Necesitas haber trabajado al menos %d meses seguidos antes de perder tu empleo; según nuestros registros trabajaste %d.", FPPMinJob, e.SpanMonths))
		}
	}
	if e.Pensioner {
		add("El Fondo de Protección de Pagos no aplica si dejaste de trabajar por una pensión, invalidez o incapacidad.")
	}
	if !s.NextAllowed.IsZero() && today.Before(s.NextAllowed) {
		add("Usaste el Fondo de Protección de Pagos desde " + s.LastUsed.MonthYear() + ". Se puede usar una vez cada 5 años: podrás pedirlo de nuevo a partir de " + s.NextAllowed.MonthYear() + ".")
	}
	s.Eligible = len(s.Why) == 0
	return s
}

// fppShares are the monthly payment in pesos (a VSM credit's at umi) and
// the fund's 90% of it, in pesos and in the credit's unit.
func fppShares(c Credit, umi int64) (payment, fund portal.Money, fundUnit int64) {
	if c.Denomination == DenomVSM {
		fundUnit = RoundDiv(c.MonthlyPaymentVSME4, FPPShareBP, 10_000)
		return VSMToPesos(c.MonthlyPaymentVSME4, umi), VSMToPesos(fundUnit, umi), fundUnit
	}
	fundUnit = RoundDiv(int64(c.MonthlyPayment), FPPShareBP, 10_000)
	return c.MonthlyPayment, portal.Money(fundUnit), fundUnit
}

// monthEnd is the last day of the n-th month after d's.
func monthEnd(d portal.Date, n int) portal.Date {
	return portal.NewDate(d.Y, d.M+time.Month(n)+1, 1).AddDays(-1)
}

// ProrrogaMonths are n months of prórroga from the month of from: for
// each, the marker keyed by the request and the month's interest, zero —
// unless the ledger (moves) already holds that month's interest (a
// conversion charges it on its day), which then stands.
func ProrrogaMonths(c Credit, moves []Movement, from portal.Date, n int, requestID int64) []Movement {
	charged := map[int]bool{}
	for _, m := range moves {
		if m.Kind == KindInteres {
			charged[m.Period] = true
		}
	}
	out := make([]Movement, 0, 2*n)
	for i := range n {
		end := monthEnd(from, i)
		out = append(out, Movement{CreditID: c.ID, Kind: KindProrroga, Period: MonthKey(end), SourceID: requestID, ValueDate: end})
		if !charged[MonthKey(end)] {
			out = append(out, Movement{CreditID: c.ID, Kind: KindInteres, Period: MonthKey(end), ValueDate: end})
		}
	}
	return out
}

// FPPCoverage are the fund's payments of 90% of the monthly payment for
// FPPMonths from the month of from, keyed by the request; a VSM credit's
// are valued in pesos at umi.
func FPPCoverage(c Credit, from portal.Date, umi int64, requestID int64) []Movement {
	_, fund, fundUnit := fppShares(c, umi)
	out := make([]Movement, 0, FPPMonths)
	for i := range FPPMonths {
		end := monthEnd(from, i)
		m := Movement{CreditID: c.ID, Kind: KindFPP, Period: MonthKey(end), SourceID: requestID, ValueDate: end, Amount: -fund}
		if c.Denomination == DenomVSM {
			m.AmountVSM = -fundUnit
		}
		out = append(out, m)
	}
	return out
}

// Span is one employment relation's dates, for Employment.
type Span struct {
	Start, End portal.Date // End zero while current
	Employer   string
}

// Employment works out the protection facts from a person's relations
// (any order) and pension status.
func Employment(spans []Span, pensioner bool) EmploymentFacts {
	e := EmploymentFacts{Pensioner: pensioner}
	for _, s := range spans {
		if s.End.IsZero() {
			e.Employed, e.Employer = true, s.Employer
		}
	}
	if e.Employed || len(spans) == 0 {
		return e
	}
	ss := append([]Span(nil), spans...)
	sort.Slice(ss, func(i, j int) bool { return ss[j].End.Before(ss[i].End) })
	e.LastEnd = ss[0].End
	start := ss[0].Start
	// Walk back through the relations that touch or overlap the span.
	for changed := true; changed; {
		changed = false
		for _, s := range ss {
			if s.Start.Before(start) && !s.End.AddDays(1).Before(start) {
				start, changed = s.Start, true
			}
		}
	}
	months := monthsUntil(start, e.LastEnd)
	if e.LastEnd.D < start.D {
		months--
	}
	e.SpanMonths = max(months, 0)
	return e
}

// ProtectionMonths says which months a measure of n months from from
// covers: "de noviembre de 2026 a abril de 2027".
func ProtectionMonths(from portal.Date, n int) string {
	if n == 1 {
		return from.MonthYear()
	}
	return "de " + from.MonthYear() + " a " + monthEnd(from, n-1).MonthYear()
}
