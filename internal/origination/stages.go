package origination

import (
	"context"
	"encoding/json"
	"fmt"

	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
)

// Stage is one stage of a credit application. The service levels are the
// portal's own (the fund publishes none); they add up to the request
// type's 40 working days.
type Stage struct {
	Code   string
	Name   string // shown to people
	Days   int    // service level in working days from the day it starts
	Finish string // the operator's action that ends it, as its button says
	// Told is what the person reads when the stage starts (%s: its due
	// date); ToldMejora the same for an improvement credit, which has no
	// deed nor seller.
	Told, ToldMejora string
}

// Stages are an application's stages, in order. The first starts when the
// request is received; the last ends when the credit is exercised, which
// is the request's approval.
var Stages = []Stage{
	{Code: "integracion", Name: "Integración del expediente", Days: 5, Finish: "Expediente completo: pasar a revisión"},
	{Code: "revision", Name: "Revisión", Days: 10, Finish: "Revisión aprobada: pasar a inscripción",
		Told:       "Tu expediente está completo. Revisamos tu solicitud, el avalúo y los datos de la vivienda y de quien la vende a más tardar el %s.",
		ToldMejora: "Tu expediente está completo. Revisamos tu solicitud y los datos de tu vivienda a más tardar el %s."},
	{Code: "inscripcion", Name: "Inscripción", Days: 5, Finish: "Crédito inscrito: pasar a firma de escrituras",
		Told:       "Revisamos tu solicitud y está en orden. Inscribimos tu crédito a más tardar el %s.",
		ToldMejora: "Revisamos tu solicitud y está en orden. Inscribimos tu crédito a más tardar el %s."},
	{Code: "firma", Name: "Firma de escrituras", Days: 15, Finish: "Escrituras firmadas: pasar a ejercer el crédito",
		Told:       "Tu crédito quedó inscrito. Sigue la firma de las escrituras ante notario a más tardar el %s: la notaría te llamará para darte la cita.",
		ToldMejora: "Tu crédito quedó inscrito. Sigue la firma de tu contrato de crédito a más tardar el %s: te llamaremos para darte la cita."},
	{Code: "ejercido", Name: "Crédito ejercido", Days: 5, Finish: "Registrar el crédito ejercido",
		Told:       "Firmaste tus escrituras. Pagamos a quien vende la vivienda y ejercemos tu crédito a más tardar el %s.",
		ToldMejora: "Firmaste tu contrato. Depositamos tu crédito en tu cuenta a más tardar el %s."},
}

// DueDays are the stages' service levels added up: the request type's.
func DueDays() int {
	n := 0
	for _, st := range Stages {
		n += st.Days
	}
	return n
}

// current is the index of the first stage not finished (len(Stages) when
// every one is).
func current(rows []StageRow) int {
	done := map[string]bool{}
	for _, r := range rows {
		if !r.Done.IsZero() {
			done[r.Stage] = true
		}
	}
	for i, st := range Stages {
		if !done[st.Code] {
			return i
		}
	}
	return len(Stages)
}

// Steps lists an application's stages with their dates for the pages,
// and the label of the operator's action that finishes the current one
// ("" when the request is not in course); nil for other request types.
func (s *Service) Steps(ctx context.Context, q *request.Request) ([]request.Step, string, error) {
	if q.Kind != request.SolicitudCredito.Prefix {
		return nil, "", nil
	}
	rows, err := s.store.ApplicationStages(ctx, q.ID)
	if err != nil {
		return nil, "", err
	}
	return s.steps(q, rows, s.today())
}

func (s *Service) steps(q *request.Request, rows []StageRow, today portal.Date) ([]request.Step, string, error) {
	byStage := map[string]StageRow{}
	for _, r := range rows {
		byStage[r.Stage] = r
	}
	cur := current(rows)
	stopped := !open(q) && cur < len(Stages)
	out := make([]request.Step, len(Stages))
	var prevDue portal.Date
	for i, st := range Stages {
		step := request.Step{Name: st.Name}
		if r, ok := byStage[st.Code]; ok {
			step.Started, step.Due = portal.DateOf(r.Started), r.Due
			if !r.Done.IsZero() {
				step.Done = portal.DateOf(r.Done)
			}
		} else if i == 0 {
			step.Started = portal.DateOf(q.ReceivedAt)
			step.Due = s.calendar.AddWorkingDays(step.Started, st.Days)
		} else {
			from := prevDue
			if from.Before(today) {
				from = today
			}
			step.Due, step.Estimated = s.calendar.AddWorkingDays(from, st.Days), true
		}
		step.Current = i == cur && open(q)
		step.Stopped = stopped && i >= cur
		prevDue = step.Due
		out[i] = step
	}
	label := ""
	if cur < len(Stages) && open(q) {
		label = Stages[cur].Finish
	}
	return out, label, nil
}

// Advance finishes an application's current stage for an operator and
// starts the next, with its due date, telling the person what comes
// (note, when given, is added to it). Finishing the last stage is the
// approval: it exercises the credit (applyExercise). The request must be
// in review, and another operator's move in between is refused.
func (s *Service) Advance(ctx context.Context, q *request.Request, operatorID int64, note string) error {
	if q.Kind != request.SolicitudCredito.Prefix {
		return portal.Errorf(portal.EINVALID, "Este trámite no tiene etapas.")
	}
	rows, err := s.store.ApplicationStages(ctx, q.ID)
	if err != nil {
		return err
	}
	cur := current(rows)
	switch {
	case cur >= len(Stages):
		return portal.Errorf(portal.ECONFLICT, "La solicitud ya pasó por todas sus etapas.")
	case cur == len(Stages)-1:
		_, err := s.requests.Act(ctx, q.Folio, request.Action{To: request.Aprobada, Actor: request.Operator, ActorID: operatorID, Message: note})
		return err
	}
	var d request.CreditApplicationData
	if err := json.Unmarshal(q.Data, &d); err != nil {
		return portal.Wrap(portal.EINVALID, err, "Los datos de la solicitud no se pueden leer.")
	}
	next := Stages[cur+1]
	today := s.today()
	due := s.calendar.AddWorkingDays(today, next.Days)
	told := next.Told
	if d.Purpose == prequal.PurposeMejora {
		told = next.ToldMejora
	}
	msg := next.Name + ". " + fmt.Sprintf(told, due.Spanish())
	if note != "" {
		msg += "\n\n" + note
	}
	_, err = s.requests.Progress(ctx, q.Folio, operatorID, msg, func(ctx context.Context, r *request.Request) error {
		rows, err := s.store.ApplicationStages(ctx, r.ID)
		if err != nil {
			return err
		}
		if current(rows) != cur {
			return portal.Errorf(portal.ECONFLICT, "Alguien más acaba de cambiar de etapa esta solicitud. Vuelve a cargarla para ver dónde está.")
		}
		now := s.now().UTC()
		first := Stages[0]
		if cur == 0 && len(rows) == 0 {
			// The first stage gets its row when it finishes.
			received := portal.DateOf(r.ReceivedAt)
			if err := s.store.StartStage(ctx, r.ID, StageRow{Stage: first.Code, Seq: 1, Started: r.ReceivedAt,
				Due: s.calendar.AddWorkingDays(received, first.Days), Done: now, OperatorID: operatorID}); err != nil {
				return err
			}
		} else if err := s.store.FinishStage(ctx, r.ID, Stages[cur].Code, now, operatorID); err != nil {
			return err
		}
		return s.store.StartStage(ctx, r.ID, StageRow{Stage: next.Code, Seq: cur + 2, Started: now, Due: due})
	})
	return err
}
