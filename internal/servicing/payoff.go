package servicing

import (
	"context"
	"encoding/json"
	"fmt"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/savings"
)

// DeedsPage is /mi-cuenta/credito/escrituras.
type DeedsPage struct {
	Status
	Credit  *credit.Credit
	Balance portal.Money
}

func deedsCandidate(c credit.Credit) bool {
	return c.State == credit.StateLiquidado && c.Origination.Y >= credit.DeedsFirstYear && c.Origination.Y <= credit.DeedsLastYear
}

func sameCredit(number string) func([]byte) bool {
	return func(data []byte) bool {
		var d struct {
			Credit string `json:"credito"`
		}
		return json.Unmarshal(data, &d) == nil && d.Credit == number
	}
}

// Deeds answers the deed-delivery page.
func (s *Service) Deeds(ctx context.Context, personID int64, number string) (*DeedsPage, error) {
	page := &DeedsPage{}
	c, moves, err := s.creditFor(ctx, personID, number, deedsCandidate)
	if err != nil {
		return nil, err
	}
	if c == nil {
		page.Why = []string{"No tienes un crédito con el Fondo."}
		return page, nil
	}
	page.Credit = c
	today := s.today()
	umi, _, err := s.values(ctx, today)
	if err != nil {
		return nil, err
	}
	page.Balance = credit.Summarize(c, moves, today, umi).Balance
	if why := credit.DeedsBlock(*c, page.Balance); why != "" {
		page.Why = append(page.Why, why)
	}
	if page.Open, err = s.inCourse(ctx, personID, request.Escrituras.Prefix, true, sameCredit(c.Number)); err != nil {
		return nil, err
	}
	if page.Open != nil {
		page.Why = append(page.Why, openWhy(page.Open))
	}
	page.Eligible = len(page.Why) == 0
	return page, nil
}

// FileDeeds files the delivery of the deeds of a paid-off credit.
func (s *Service) FileDeeds(ctx context.Context, personID int64, number, address string) (*request.Request, map[string]string, error) {
	page, err := s.Deeds(ctx, personID, number)
	if err != nil {
		return nil, nil, err
	}
	if !page.Eligible {
		return nil, nil, portal.Errorf(portal.ECONFLICT, "%s", page.Why[0])
	}
	a, msg := request.ParseAddress(address)
	if msg != "" {
		return nil, map[string]string{"domicilio": msg}, nil
	}
	data, _ := json.Marshal(request.DeedsData{Credit: page.Credit.Number, Originated: page.Credit.Origination.String(), HomeAddress: a})
	q, err := s.requests.File(ctx, request.Escrituras, personID, data, nil)
	return q, nil, err
}

// applyDeeds approves a delivery: the deed is at the service centre. The
// ledger does not change; the person books the visit to collect it.
func (s *Service) applyDeeds(ctx context.Context, r *request.Request, _ request.Action) (string, error) {
	var d request.DeedsData
	if err := decode(r, &d); err != nil {
		return "", err
	}
	c, moves, err := s.ownCredit(ctx, r.PersonID, d.Credit)
	if err != nil {
		return "", err
	}
	umi, _, err := s.values(ctx, s.today())
	if err != nil {
		return "", err
	}
	if why := credit.DeedsBlock(*c, credit.Summarize(c, moves, s.today(), umi).Balance); why != "" {
		return "", portal.Errorf(portal.ECONFLICT, "No se pueden entregar las escrituras: %s", why)
	}
	return "Tus escrituras están listas para entregarse. Agenda tu cita en un Centro de Servicio desde este trámite («Agendar mi cita para recoger las escrituras») y lleva una identificación oficial vigente.", nil
}

// OverpaidPage is /mi-cuenta/credito/devolucion-pagos-exceso.
type OverpaidPage struct {
	Status
	Credit *credit.Credit
	Amount portal.Money
}

// Overpaid answers the refund-of-overpayments page.
func (s *Service) Overpaid(ctx context.Context, personID int64, number string) (*OverpaidPage, error) {
	page := &OverpaidPage{}
	c, moves, err := s.creditFor(ctx, personID, number, func(c credit.Credit) bool { return c.State == credit.StateLiquidado })
	if err != nil {
		return nil, err
	}
	if c == nil {
		page.Why = []string{"No tienes un crédito con el Fondo."}
		return page, nil
	}
	page.Credit = c
	page.Amount = credit.Overpaid(moves, s.today())
	if why := credit.OverpaidBlock(*c, page.Amount); why != "" {
		page.Why = append(page.Why, why)
	}
	if page.Open, err = s.inCourse(ctx, personID, request.PagosExceso.Prefix, false, sameCredit(c.Number)); err != nil {
		return nil, err
	}
	if page.Open != nil {
		page.Why = append(page.Why, openWhy(page.Open))
	}
	page.Eligible = len(page.Why) == 0
	return page, nil
}

// refundForm checks what both refunds ask for: the CLABE and two
// documents.
func refundForm(clabe string, files []request.Upload) (request.RefundData, map[string]string) {
	errs := map[string]string{}
	c, msg := request.ParseCLABEField(clabe)
	if msg != "" {
		errs["clabe"] = msg
	}
	if len(files) < request.MinDocuments {
		errs["documentos"] = "Adjunta los dos documentos: tu identificación (o tu resolución de pensión) y tu estado de cuenta bancario con tu CLABE."
	}
	if len(errs) > 0 {
		return request.RefundData{}, errs
	}
	return request.RefundData{CLABE: c.String(), Bank: c.Bank()}, nil
}

// FileOverpaid files the refund of a paid-off credit's overpayment to the
// CLABE given, with the identification and the bank statement.
func (s *Service) FileOverpaid(ctx context.Context, personID int64, number, clabe string, files []request.Upload) (*request.Request, map[string]string, error) {
	page, err := s.Overpaid(ctx, personID, number)
	if err != nil {
		return nil, nil, err
	}
	if !page.Eligible {
		return nil, nil, portal.Errorf(portal.ECONFLICT, "%s", page.Why[0])
	}
	d, errs := refundForm(clabe, files)
	if len(errs) > 0 {
		return nil, errs, nil
	}
	d.Credit, d.Amount = page.Credit.Number, int64(page.Amount)
	data, _ := json.Marshal(d)
	q, err := s.requests.File(ctx, request.PagosExceso, personID, data, files)
	return q, nil, err
}

// applyOverpaid records the refund of what the credit holds in favour of
// the person today, taking its balance to zero.
func (s *Service) applyOverpaid(ctx context.Context, r *request.Request, _ request.Action) (string, error) {
	var d request.RefundData
	if err := decode(r, &d); err != nil {
		return "", err
	}
	c, moves, err := s.lockedCredit(ctx, r.PersonID, d.Credit)
	if err != nil {
		return "", err
	}
	day := s.today()
	amount := credit.Overpaid(moves, day)
	if why := credit.OverpaidBlock(*c, amount); why != "" {
		return "", portal.Errorf(portal.ECONFLICT, "No hay nada que devolver: %s", why)
	}
	umi, _, err := s.values(ctx, day)
	if err != nil {
		return "", err
	}
	if err := s.store.PostCreditMovements(ctx, []credit.Movement{credit.OverpaidRefund(*c, amount, day, umi, r.ID)}); err != nil {
		return "", err
	}
	return fmt.Sprintf("Te devolveremos %s por transferencia a tu cuenta de %s con CLABE terminación %s, en unos 10 días hábiles.",
		amount, d.Bank, last4(d.CLABE)), nil
}

func last4(s string) string {
	if len(s) < 4 {
		return s
	}
	return s[len(s)-4:]
}

// overpaidFacts are what the operator decides an overpayment refund on.
func (s *Service) overpaidFacts(ctx context.Context, q *request.Request) ([]Section, error) {
	var d request.RefundData
	if err := decode(q, &d); err != nil {
		return nil, err
	}
	c, moves, err := s.ownCredit(ctx, q.PersonID, d.Credit)
	if err != nil {
		return []Section{{Title: "El crédito hoy", Notes: []string{portal.ErrorMessage(err)}}}, nil
	}
	amount := credit.Overpaid(moves, s.today())
	var paid, charged portal.Money
	for _, m := range moves {
		if m.Amount < 0 {
			paid -= m.Amount
		} else {
			charged += m.Amount
		}
	}
	sec := Section{Title: "El crédito hoy", Rows: [][2]string{{"Crédito", c.Number}, {"Estado", credit.StateNames[c.State]},
		{"Cargos registrados", charged.String()}, {"Pagos registrados", paid.String()}, {"Saldo a favor hoy", amount.String()},
		{"Pidió", portal.Money(d.Amount).String()}}}
	sec.Notes = append(sec.Notes, clabeNote(d))
	if why := credit.OverpaidBlock(*c, amount); why != "" {
		sec.Notes = append(sec.Notes, "No se puede aprobar: "+why)
	} else {
		sec.Notes = append(sec.Notes, "Al aprobar se registra la devolución de "+amount.String()+" en el libro del crédito y el saldo queda en cero. Revisa que la identificación y el estado de cuenta sean de la persona y que la CLABE coincida.")
	}
	return []Section{sec}, nil
}

func clabeNote(d request.RefundData) string {
	return "CLABE " + d.CLABE + " (" + d.Bank + "): 18 dígitos, banco y dígito verificador comprobados al recibirla."
}

// RefundPage is /mi-cuenta/devolucion-ahorro.
type RefundPage struct {
	Status
	Plan       savings.RefundPlan
	Law        string
	Pensioned  bool
	LiveCredit bool
}

// Refund answers the pensioner's refund page.
func (s *Service) Refund(ctx context.Context, personID int64) (*RefundPage, error) {
	page, err := s.refund(ctx, personID)
	if err != nil {
		return nil, err
	}
	if page.Open, err = s.inCourse(ctx, personID, request.DevolucionAhorro.Prefix, false, nil); err != nil {
		return nil, err
	}
	if page.Open != nil {
		page.Why = append(page.Why, openWhy(page.Open))
	}
	page.Eligible = len(page.Why) == 0
	return page, nil
}

// refund is the refund as the records stand, whatever is in course.
func (s *Service) refund(ctx context.Context, personID int64) (*RefundPage, error) {
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, err
	}
	bs, _, err := s.store.SavingsBalances(ctx, personID)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.CreditsOf(ctx, personID)
	if err != nil {
		return nil, err
	}
	page := &RefundPage{Law: p.PensionLaw, Pensioned: p.PensionStatus != ""}
	for _, c := range cs {
		page.LiveCredit = page.LiveCredit || c.Live()
	}
	page.Plan = savings.PlanRefund(p.PensionLaw, bs)
	page.Why = savings.RefundBlock(p.PensionStatus, p.PensionLaw, page.LiveCredit, page.Plan)
	page.Eligible = len(page.Why) == 0
	return page, nil
}

// FileRefund files the refund of the savings to the CLABE given, with the
// pension resolution and the bank statement.
func (s *Service) FileRefund(ctx context.Context, personID int64, clabe string, files []request.Upload) (*request.Request, map[string]string, error) {
	page, err := s.Refund(ctx, personID)
	if err != nil {
		return nil, nil, err
	}
	if !page.Eligible {
		return nil, nil, portal.Errorf(portal.ECONFLICT, "%s", page.Why[0])
	}
	d, errs := refundForm(clabe, files)
	if len(errs) > 0 {
		return nil, errs, nil
	}
	d.Law, d.Amount = page.Law, int64(page.Plan.Total)
	for _, l := range page.Plan.Lines {
		if l.Refunded {
			d.Buckets = append(d.Buckets, request.RefundBucket{Name: l.Name, Amount: int64(l.Balance)})
		}
	}
	data, _ := json.Marshal(d)
	q, err := s.requests.File(ctx, request.DevolucionAhorro, personID, data, files)
	return q, nil, err
}

// applyRefund withdraws every refunded bucket to zero, at its balance on
// the day of approval.
func (s *Service) applyRefund(ctx context.Context, r *request.Request, _ request.Action) (string, error) {
	var d request.RefundData
	if err := decode(r, &d); err != nil {
		return "", err
	}
	if err := s.store.LockPerson(ctx, r.PersonID); err != nil {
		return "", err
	}
	page, err := s.refund(ctx, r.PersonID)
	if err != nil {
		return "", err
	}
	if !page.Eligible {
		return "", portal.Errorf(portal.ECONFLICT, "No se puede aprobar la devolución: %s", page.Why[0])
	}
	day := s.today()
	if err := s.store.PostSavingsMovements(ctx, savings.RefundMovements(r.PersonID, page.Plan, day, r.ID)); err != nil {
		return "", err
	}
	return fmt.Sprintf("Te devolveremos %s de tu ahorro para la vivienda por transferencia a tu cuenta de %s con CLABE terminación %s, a más tardar en 10 días hábiles.",
		page.Plan.Total, d.Bank, last4(d.CLABE)), nil
}

// refundFacts are what the operator decides a savings refund on.
func (s *Service) refundFacts(ctx context.Context, q *request.Request) ([]Section, error) {
	var d request.RefundData
	if err := decode(q, &d); err != nil {
		return nil, err
	}
	p, err := s.store.FindPersonByID(ctx, q.PersonID)
	if err != nil {
		return nil, err
	}
	page, err := s.refund(ctx, q.PersonID)
	if err != nil {
		return nil, err
	}
	status := map[string]string{"": "Sin pensión registrada", "en_tramite": "Pensión en trámite", "pensionado": "Pensionada"}[p.PensionStatus]
	law := "Sin registrar"
	if p.PensionLaw != "" {
		law = "Ley del Seguro Social de 19" + p.PensionLaw
	}
	sec := Section{Title: "La subcuenta de vivienda hoy", Rows: [][2]string{{"Pensión", status}, {"Ley", law}}}
	for _, l := range page.Plan.Lines {
		v := l.Balance.String()
		if l.Refunded {
			v += " · se devuelve"
		} else {
			v += " · " + l.Where
		}
		sec.Rows = append(sec.Rows, [2]string{l.Name, v})
	}
	sec.Rows = append(sec.Rows, [2]string{"Total a devolver hoy", page.Plan.Total.String()}, [2]string{"Pidió", portal.Money(d.Amount).String()})
	sec.Notes = append(sec.Notes, clabeNote(d))
	for _, w := range page.Why {
		sec.Notes = append(sec.Notes, "No se puede aprobar: "+w)
	}
	if page.Eligible {
		sec.Notes = append(sec.Notes, "Al aprobar se retira de cada subcuenta su saldo del día (movimientos de devolución) y se deposita "+page.Plan.Total.String()+
			". Revisa la resolución de pensión y que el estado de cuenta y la CLABE sean de la persona.")
	}
	return []Section{sec}, nil
}
