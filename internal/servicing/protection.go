package servicing

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/request"
)

// ProtectionPage is /mi-cuenta/credito/proteccion: the prórroga and the
// Fondo de Protección de Pagos, each with whether it can be asked for.
type ProtectionPage struct {
	Credit     *credit.Credit
	Employment credit.EmploymentFacts
	Prorroga   credit.ProtectionStatus
	FPP        credit.ProtectionStatus
	// The same measures already requested and in course, if any.
	OpenProrroga, OpenFPP *request.Request
	NoCredit              bool
}

// Protection answers the protection page for a person's credit.
func (s *Service) Protection(ctx context.Context, personID int64, number string) (*ProtectionPage, error) {
	page := &ProtectionPage{}
	c, moves, err := s.creditFor(ctx, personID, number, credit.Credit.Live)
	if err != nil {
		return nil, err
	}
	if c == nil {
		page.NoCredit = true
		page.Prorroga.Why = []string{"No tienes un crédito con el Fondo."}
		page.FPP.Why = page.Prorroga.Why
		return page, nil
	}
	page.Credit = c
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, err
	}
	if page.Employment, _, err = s.employment(ctx, p); err != nil {
		return nil, err
	}
	today := s.today()
	umi, _, err := s.values(ctx, today)
	if err != nil {
		return nil, err
	}
	page.Prorroga = credit.Prorroga(*c, moves, page.Employment, today)
	page.FPP = credit.FPP(*c, moves, page.Employment, today, umi)
	sameCredit := func(data []byte) bool {
		var d request.ProtectionData
		return json.Unmarshal(data, &d) == nil && d.Credit == c.Number
	}
	// One measure in course blocks both: they cannot run at once.
	for _, k := range []struct {
		prefix string
		open   **request.Request
	}{{request.Prorroga.Prefix, &page.OpenProrroga}, {request.ProteccionPagos.Prefix, &page.OpenFPP}} {
		if *k.open, err = s.inCourse(ctx, personID, k.prefix, false, sameCredit); err != nil {
			return nil, err
		}
		if q := *k.open; q != nil {
			page.Prorroga.Why = append(page.Prorroga.Why, openWhy(q))
			page.FPP.Why = append(page.FPP.Why, openWhy(q))
		}
	}
	page.Prorroga.Eligible = len(page.Prorroga.Why) == 0
	page.FPP.Eligible = len(page.FPP.Why) == 0
	return page, nil
}

// FileProrroga files a prórroga of the months asked for.
func (s *Service) FileProrroga(ctx context.Context, personID int64, number, months string) (*request.Request, map[string]string, error) {
	page, err := s.Protection(ctx, personID, number)
	if err != nil {
		return nil, nil, err
	}
	st := page.Prorroga
	if !st.Eligible {
		return nil, nil, portal.Errorf(portal.ECONFLICT, "%s", st.Why[0])
	}
	n, msg := request.ParseMonths(months, st.Available)
	if msg != "" {
		return nil, map[string]string{"meses": msg}, nil
	}
	data, _ := json.Marshal(request.ProtectionData{Credit: page.Credit.Number, Months: n, JobEnded: st.JobEnded.String(),
		UsedSoFar: st.Used, Limit: st.Limit, Since: fmt.Sprintf("%04d-%02d", st.From.Y, int(st.From.M))})
	q, err := s.requests.File(ctx, request.Prorroga, personID, data, nil)
	return q, nil, err
}

// FileFPP files the Fondo de Protección de Pagos for six months.
func (s *Service) FileFPP(ctx context.Context, personID int64, number, accept string) (*request.Request, map[string]string, error) {
	page, err := s.Protection(ctx, personID, number)
	if err != nil {
		return nil, nil, err
	}
	st := page.FPP
	if !st.Eligible {
		return nil, nil, portal.Errorf(portal.ECONFLICT, "%s", st.Why[0])
	}
	if accept != "si" {
		return nil, map[string]string{"acepto_fpp": "Confirma que pagarás el 10% de tu mensualidad (" + st.OwnShare.String() + ") durante los 6 meses."}, nil
	}
	data, _ := json.Marshal(request.ProtectionData{Credit: page.Credit.Number, Months: credit.FPPMonths, JobEnded: st.JobEnded.String(),
		Payment: int64(st.Payment), FundPays: int64(st.FundPays), OwnShare: int64(st.OwnShare), Since: fmt.Sprintf("%04d-%02d", st.From.Y, int(st.From.M))})
	q, err := s.requests.File(ctx, request.ProteccionPagos, personID, data, nil)
	return q, nil, err
}

// protectionNow re-reads a protection request's credit and the person's
// records on the day; an approval (lock) holds the credit first.
func (s *Service) protectionNow(ctx context.Context, r *request.Request, lock bool) (request.ProtectionData, *credit.Credit, []credit.Movement, credit.EmploymentFacts, int64, error) {
	var d request.ProtectionData
	if err := decode(r, &d); err != nil {
		return d, nil, nil, credit.EmploymentFacts{}, 0, err
	}
	load := s.ownCredit
	if lock {
		load = s.lockedCredit
	}
	c, moves, err := load(ctx, r.PersonID, d.Credit)
	if err != nil {
		return d, nil, nil, credit.EmploymentFacts{}, 0, err
	}
	p, err := s.store.FindPersonByID(ctx, r.PersonID)
	if err != nil {
		return d, nil, nil, credit.EmploymentFacts{}, 0, err
	}
	e, _, err := s.employment(ctx, p)
	if err != nil {
		return d, nil, nil, credit.EmploymentFacts{}, 0, err
	}
	umi, _, err := s.values(ctx, s.today())
	return d, c, moves, e, umi, err
}

// applyProrroga writes the months of prórroga from the month of approval
// and puts the credit en prórroga.
func (s *Service) applyProrroga(ctx context.Context, r *request.Request, _ request.Action) (string, error) {
	d, c, moves, e, _, err := s.protectionNow(ctx, r, true)
	if err != nil {
		return "", err
	}
	day := s.today()
	st := credit.Prorroga(*c, moves, e, day)
	if !st.Eligible {
		return "", portal.Errorf(portal.ECONFLICT, "La persona ya no cumple las condiciones de la prórroga: %s Recházalo con ese motivo.", st.Why[0])
	}
	if d.Months > st.Available {
		return "", portal.Errorf(portal.ECONFLICT, "La persona pidió %d meses y hoy le quedan %d. Pide información o recházalo.", d.Months, st.Available)
	}
	if err := s.store.PostCreditMovements(ctx, credit.ProrrogaMonths(*c, moves, day, d.Months, r.ID)); err != nil {
		return "", err
	}
	if err := s.store.SetCreditState(ctx, c.ID, c.State, credit.StateEnProrroga); err != nil {
		return "", err
	}
	return fmt.Sprintf("Tu prórroga cubre %s (%d meses): en esos meses no tienes que pagar y tu saldo no genera intereses. Tu siguiente pago será a más tardar el %s. Llevas %d de %d meses de prórroga.",
		credit.ProtectionMonths(day, d.Months), d.Months, portal.NewDate(day.Y, day.M+time.Month(d.Months)+1, 1).AddDays(-1).Spanish(),
		st.Used+d.Months, st.Limit), nil
}

// applyFPP writes the fund's six monthly payments of 90%.
func (s *Service) applyFPP(ctx context.Context, r *request.Request, _ request.Action) (string, error) {
	_, c, moves, e, umi, err := s.protectionNow(ctx, r, true)
	if err != nil {
		return "", err
	}
	day := s.today()
	st := credit.FPP(*c, moves, e, day, umi)
	if !st.Eligible {
		return "", portal.Errorf(portal.ECONFLICT, "La persona ya no cumple las condiciones del Fondo de Protección de Pagos: %s Recházalo con ese motivo.", st.Why[0])
	}
	if err := s.store.PostCreditMovements(ctx, credit.FPPCoverage(*c, day, umi, r.ID)); err != nil {
		return "", err
	}
	return fmt.Sprintf("El Fondo de Protección de Pagos cubre el 90%% de tu mensualidad %s: paga %s cada mes y tú pagas %s (el 10%%). Lo podrás usar de nuevo a partir de %s.",
		credit.ProtectionMonths(day, credit.FPPMonths), st.FundPays, st.OwnShare, portal.NewDate(day.Y+credit.FPPEveryYears, day.M, 1).MonthYear()), nil
}

// protectionFacts are what the operator decides a protection on.
func (s *Service) protectionFacts(ctx context.Context, q *request.Request) ([]Section, error) {
	d, c, moves, e, umi, err := s.protectionNow(ctx, q, false)
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return []Section{{Title: "El crédito hoy", Notes: []string{portal.ErrorMessage(err)}}}, nil
		}
		return nil, err
	}
	today := s.today()
	job := "Sin relación laboral vigente"
	if e.Employed {
		job = "Vigente con " + e.Employer
	}
	sec := Section{Title: "Condiciones hoy", Rows: [][2]string{{"Crédito", c.Number}, {"Otorgado el", c.Origination.Spanish()},
		{"Estado del crédito", credit.StateNames[c.State]}, {"Empleo", job}}}
	if !e.LastEnd.IsZero() {
		sec.Rows = append(sec.Rows, [2]string{"Baja del último empleo", e.LastEnd.Spanish()},
			[2]string{"Meses seguidos trabajados antes de la baja", strconv.Itoa(e.SpanMonths)})
	}
	var st credit.ProtectionStatus
	if q.Kind == request.Prorroga.Prefix {
		st = credit.Prorroga(*c, moves, e, today)
		sec.Rows = append(sec.Rows, [2]string{"Meses de prórroga usados", fmt.Sprintf("%d de %d", st.Used, st.Limit)},
			[2]string{"Disponibles ahora", strconv.Itoa(st.Available)}, [2]string{"Pidió", strconv.Itoa(d.Months)})
		if st.Eligible && d.Months <= st.Available {
			sec.Notes = append(sec.Notes, "Al aprobar se registran "+strconv.Itoa(d.Months)+" meses de prórroga ("+credit.ProtectionMonths(today, d.Months)+
				") en el libro del crédito: sin pago ni intereses; el crédito pasa a «En prórroga».")
		}
	} else {
		st = credit.FPP(*c, moves, e, today, umi)
		sec.Rows = append(sec.Rows, [2]string{"Mensualidad", st.Payment.String()}, [2]string{"Paga el Fondo (90%)", st.FundPays.String()},
			[2]string{"Paga la persona (10%)", st.OwnShare.String()})
		if !st.LastUsed.IsZero() {
			sec.Rows = append(sec.Rows, [2]string{"Último uso del Fondo", st.LastUsed.MonthYear()})
		}
		if st.Eligible {
			sec.Notes = append(sec.Notes, "Al aprobar se registran 6 pagos del Fondo de "+st.FundPays.String()+" ("+credit.ProtectionMonths(today, credit.FPPMonths)+").")
		}
	}
	if st.Eligible && (q.Kind != request.Prorroga.Prefix || d.Months <= st.Available) {
		sec.Notes = append([]string{"Cumple hoy las condiciones (domain.md §8)."}, sec.Notes...)
	} else {
		for _, why := range st.Why {
			sec.Notes = append(sec.Notes, "No cumple: "+why)
		}
	}
	return []Section{sec}, nil
}
