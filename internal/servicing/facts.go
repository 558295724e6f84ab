package servicing

import (
	"context"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/request"
)

// Section is a block of what an operator reads to decide a request:
// labelled figures and notes, worked out from the records as they are now.
type Section struct {
	Title string
	Rows  [][2]string
	Notes []string
}

// Facts lists what an operator needs to decide one of the service's
// requests — eligibility today, the simulation, the amounts, the CLABE —
// beside what the request carries; nil for other types and for requests
// already decided.
func (s *Service) Facts(ctx context.Context, q *request.Request) ([]Section, error) {
	switch q.State {
	case request.Aprobada, request.Rechazada, request.Concluida, request.Cancelada:
		return nil, nil // decided: the timeline says what was done
	}
	switch q.Kind {
	case request.Conversion.Prefix:
		return s.conversionFacts(ctx, q)
	case request.Prorroga.Prefix, request.ProteccionPagos.Prefix:
		return s.protectionFacts(ctx, q)
	case request.Escrituras.Prefix:
		return s.deedsFacts(ctx, q)
	case request.PagosExceso.Prefix:
		return s.overpaidFacts(ctx, q)
	case request.DevolucionAhorro.Prefix:
		return s.refundFacts(ctx, q)
	}
	return nil, nil
}

// deedsFacts are what the operator decides a deed delivery on.
func (s *Service) deedsFacts(ctx context.Context, q *request.Request) ([]Section, error) {
	var d request.DeedsData
	if err := decode(q, &d); err != nil {
		return nil, err
	}
	c, moves, err := s.ownCredit(ctx, q.PersonID, d.Credit)
	if err != nil {
		return []Section{{Title: "El crédito hoy", Notes: []string{portal.ErrorMessage(err)}}}, nil
	}
	today := s.today()
	umi, _, err := s.values(ctx, today)
	if err != nil {
		return nil, err
	}
	balance := credit.Summarize(c, moves, today, umi).Balance
	sec := Section{Title: "El crédito hoy", Rows: [][2]string{{"Crédito", c.Number}, {"Otorgado el", c.Origination.Spanish()},
		{"Estado", credit.StateNames[c.State]}, {"Saldo", balance.String()}}}
	if why := credit.DeedsBlock(*c, balance); why != "" {
		sec.Notes = append(sec.Notes, "No se puede aprobar: "+why)
	} else {
		sec.Notes = append(sec.Notes, "Crédito de 1972 a 2007 y liquidado: el Fondo guarda sus escrituras (domain.md §9.3). Aprueba cuando la escritura esté localizada y en el Centro de Servicio: la persona agenda entonces su cita para recogerla.")
	}
	return []Section{sec}, nil
}
