package servicing

import (
	"context"
	"encoding/json"
	"fmt"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/request"
)

// ConversionPage is /mi-cuenta/credito/responsabilidad-compartida: whether
// the person may ask for the conversion of their VSM credit to pesos, and
// the conversion side by side with staying in VSM.
type ConversionPage struct {
	Status
	Credit *credit.Credit
	Plan   *credit.ConversionPlan // nil when there is nothing to convert
	// The window (from the 9th to the end of each month, closed in
	// January until the yearly update is applied).
	WindowOpen      bool
	WindowNext      portal.Date
	WindowEstimated bool
	OpenDay         int
	NoSalary        bool // the fund has no salary on record: the lowest rate band applies
}

// Conversion answers the Responsabilidad Compartida page for a person's
// credit (number "" for the main one).
func (s *Service) Conversion(ctx context.Context, personID int64, number string) (*ConversionPage, error) {
	page := &ConversionPage{OpenDay: s.terms.OpenDay()}
	c, moves, err := s.creditFor(ctx, personID, number, func(c credit.Credit) bool { return c.Denomination == credit.DenomVSM && c.Live() })
	if err != nil {
		return nil, err
	}
	if c == nil {
		page.Why = []string{"No tienes un crédito con el Fondo."}
		return page, nil
	}
	page.Credit = c
	today := s.today()
	block := credit.ConversionBlock(*c, moves, today)
	if block != "" {
		page.Why = append(page.Why, block)
	}
	if page.Open, err = s.inCourse(ctx, personID, request.Conversion.Prefix, false, nil); err != nil {
		return nil, err
	}
	if page.Open != nil {
		page.Why = append(page.Why, openWhy(page.Open))
	}
	page.WindowOpen, page.WindowNext, page.WindowEstimated = s.terms.Window(today)
	if !page.WindowOpen {
		why := fmt.Sprintf("La conversión se solicita del día %d al último día de cada mes; en enero se abre después de la actualización anual de los créditos en VSM. Podrás solicitarla a partir del %s", page.OpenDay, page.WindowNext.Spanish())
		if page.WindowEstimated {
			why += " (fecha estimada: el Fondo anuncia cada año la reapertura)"
		}
		page.Why = append(page.Why, why+".")
	}
	page.Eligible = len(page.Why) == 0
	if block == "" {
		plan, err := s.simulate(ctx, personID, *c, moves, today)
		if err != nil {
			return nil, err
		}
		page.Plan = plan
		page.NoSalary = plan.SalaryUMA100 == 0
	}
	return page, nil
}

func (s *Service) conversionInput(ctx context.Context, personID int64, c credit.Credit, moves []credit.Movement, day portal.Date) (credit.ConversionInput, error) {
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return credit.ConversionInput{}, err
	}
	_, salary, err := s.employment(ctx, p)
	if err != nil {
		return credit.ConversionInput{}, err
	}
	umi, uma, err := s.values(ctx, day)
	if err != nil {
		return credit.ConversionInput{}, err
	}
	if umi == 0 {
		return credit.ConversionInput{}, portal.Errorf(portal.EUNAVAILABLE, "Falta el valor de la UMI de hoy para calcular la conversión. Intenta más tarde.")
	}
	return credit.ConversionInput{Credit: c, Moves: moves, On: day, UMI: umi, UMA: uma, DailySalary: salary}, nil
}

func (s *Service) simulate(ctx context.Context, personID int64, c credit.Credit, moves []credit.Movement, day portal.Date) (*credit.ConversionPlan, error) {
	in, err := s.conversionInput(ctx, personID, c, moves, day)
	if err != nil {
		return nil, err
	}
	plan := s.terms.Simulate(in)
	return &plan, nil
}

// FileConversion files the request with the simulation the person saw;
// errs are the form's refusals by field. A person who may not ask for it
// gets an ECONFLICT with the reason.
func (s *Service) FileConversion(ctx context.Context, personID int64, number, state, postalCode, accept string) (*request.Request, map[string]string, error) {
	page, err := s.Conversion(ctx, personID, number)
	if err != nil {
		return nil, nil, err
	}
	if !page.Eligible {
		return nil, nil, portal.Errorf(portal.ECONFLICT, "%s", page.Why[0])
	}
	d, errs := request.ParseConversionForm(state, postalCode, accept)
	if len(errs) > 0 {
		return nil, errs, nil
	}
	p := page.Plan
	d.Credit, d.On = page.Credit.Number, p.On.String()
	d.BalanceVSM, d.Balance, d.DiscountBP, d.Discount = credit.FormatVSM(p.BalanceVSME4), int64(p.Balance), p.DiscountBP, int64(p.Discount)
	d.NewBalance, d.RateBP, d.Payment, d.TermMonths, d.CurrentPayment = int64(p.NewBalance), p.RateBP, int64(p.Payment), p.TermMonths, int64(p.CurrentPayment)
	data, _ := json.Marshal(d)
	q, err := s.requests.File(ctx, request.Conversion, personID, data, nil)
	return q, nil, err
}

// applyConversion converts the credit on the day of approval: the
// month's interest in VSM if not yet posted, the conversion and the
// discount (credit.Convert), the credit's new terms, and the new payroll
// discount for the aviso de modificación.
func (s *Service) applyConversion(ctx context.Context, r *request.Request, _ request.Action) (string, error) {
	var d request.ConversionData
	if err := decode(r, &d); err != nil {
		return "", err
	}
	c, moves, err := s.lockedCredit(ctx, r.PersonID, d.Credit)
	if err != nil {
		return "", err
	}
	day := s.today()
	in, err := s.conversionInput(ctx, r.PersonID, *c, moves, day)
	if err != nil {
		return "", err
	}
	conv, err := s.terms.Convert(in, r.ID)
	if err != nil {
		return "", err
	}
	if err := s.store.PostCreditMovements(ctx, conv.Post); err != nil {
		return "", err
	}
	if err := s.store.RestructureCredit(ctx, *c, conv.Credit); err != nil {
		return "", err
	}
	if err := s.store.AddDiscountChange(ctx, credit.DiscountChange{CreditID: c.ID, Effective: day, Type: credit.DiscountCuotaFija,
		FactorE4: conv.Credit.DiscountFactorE4, Reason: "Conversión a pesos (Responsabilidad Compartida)"}); err != nil {
		return "", err
	}
	p := conv.Plan
	return fmt.Sprintf("Tu crédito %s está en pesos desde el %s. Tu saldo era de %s (%s); con el descuento de %s (%s%%) quedó en %s. "+
		"Tasa fija de %s%% anual y mensualidad fija de %s durante %d meses, hasta %s. Entrega a tu patrón el aviso de modificación de descuentos (Mi crédito > Avisos para tu patrón).",
		c.Number, day.Spanish(), p.Balance, credit.FormatVSM(p.BalanceVSME4), p.Discount, portal.Percent(int64(p.DiscountBP)), p.NewBalance,
		portal.Percent(int64(p.RateBP)), p.Payment, p.TermMonths, p.Ends.MonthYear()), nil
}

// conversionFacts are what the operator decides a conversion on: the
// credit today, whether it can still be converted, and the conversion as
// it would be applied today beside what the person accepted.
func (s *Service) conversionFacts(ctx context.Context, q *request.Request) ([]Section, error) {
	var d request.ConversionData
	if err := decode(q, &d); err != nil {
		return nil, err
	}
	c, moves, err := s.ownCredit(ctx, q.PersonID, d.Credit)
	if err != nil {
		return []Section{{Title: "El crédito hoy", Notes: []string{portal.ErrorMessage(err)}}}, nil
	}
	today := s.today()
	sec := Section{Title: "El crédito hoy", Rows: [][2]string{{"Crédito", c.Number}, {"Otorgado el", c.Origination.Spanish()},
		{"Monto otorgado", c.OriginalAmount.String()}, {"Estado", credit.StateNames[c.State]}, {"Denominación", denomination(c.Denomination)},
		{"Tasa actual", portal.Percent(int64(c.AnnualRateBP)) + "% anual"}}}
	if why := credit.ConversionBlock(*c, moves, today); why != "" {
		sec.Notes = append(sec.Notes, "No se puede aprobar: "+why)
		return []Section{sec}, nil
	}
	plan, err := s.simulate(ctx, q.PersonID, *c, moves, today)
	if err != nil {
		return nil, err
	}
	sec.Notes = append(sec.Notes, "Cumple hoy las condiciones de Responsabilidad Compartida (domain.md §5.1). Al aprobar, la conversión se aplica en el libro del crédito con las cifras de abajo, calculadas con la UMI del día.")
	sim := Section{Title: "La conversión si se aprueba hoy", Rows: [][2]string{
		{"Saldo en VSM", credit.FormatVSM(plan.BalanceVSME4)},
		{"UMI del día", portal.Money(plan.UMI).String() + " diarios"},
		{"Saldo en pesos", plan.Balance.String()},
		{"Saldo entre monto otorgado", fmt.Sprintf("%d.%02d veces", plan.Ratio100/100, plan.Ratio100%100)},
		{"Descuento", portal.Percent(int64(plan.DiscountBP)) + "% = " + plan.Discount.String()},
		{"Saldo nuevo", plan.NewBalance.String()},
		{"Salario mensual en UMA", fmt.Sprintf("%d.%02d", plan.SalaryUMA100/100, plan.SalaryUMA100%100)},
		{"Tasa fija", portal.Percent(int64(plan.RateBP)) + "% anual"},
		{"Mensualidad fija", plan.Payment.String() + " (hoy paga " + plan.CurrentPayment.String() + ")"},
		{"Plazo", fmt.Sprintf("%d meses, hasta %s (le quedaban %d)", plan.TermMonths, plan.Ends.MonthYear(), plan.RemainingTerm)},
	}}
	if plan.Balance != portal.Money(d.Balance) || plan.Payment != portal.Money(d.Payment) {
		sim.Notes = append(sim.Notes, fmt.Sprintf("Las cifras cambiaron desde la solicitud (%s): entonces el saldo nuevo era %s y la mensualidad %s.",
			dateText(d.On), portal.Money(d.NewBalance), portal.Money(d.Payment)))
	}
	sim.Notes = append(sim.Notes, "Las bandas de tasa y de descuento son supuestos de este portal (responsabilidad_compartida.csv): el Fondo no publica la fórmula.")
	return []Section{sec, sim}, nil
}

func denomination(d string) string {
	if d == credit.DenomVSM {
		return "Veces Salario Mínimo (VSM)"
	}
	return "Pesos"
}

func dateText(s string) string {
	if d, err := portal.ParseDate(s); err == nil {
		return d.Spanish()
	}
	return s
}
