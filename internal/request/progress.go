package request

import (
	"context"
	"strings"

	"micuenta/internal/portal"
)

// Some types go through stages while in review — a credit application:
// integración del expediente, revisión, inscripción, firma de escrituras,
// crédito ejercido (issue 9). The stages are the type's domain (it keeps
// them in its own table); the workflow only records each step on the
// request's timeline and tells the owner, as it does a change of state.

// Step is one stage of a request as the pages show it.
type Step struct {
	Name      string
	Started   portal.Date // zero when the stage has not started
	Due       portal.Date // its due date, or an estimate (Estimated) while it has not started
	Done      portal.Date // zero until finished
	Estimated bool
	Current   bool // the stage the request is in
	Stopped   bool // the request ended (rejected, cancelled) before this stage finished
}

// Status says where a step stands, in Spanish.
func (s Step) Status() string {
	switch {
	case !s.Done.IsZero():
		return "Terminada el " + s.Done.Spanish()
	case s.Stopped:
		return "No continuó"
	case s.Current:
		return "En curso desde el " + s.Started.Spanish()
	}
	return "Pendiente"
}

// DueText says the step's due date, in Spanish.
func (s Step) DueText() string {
	if s.Due.IsZero() || s.Stopped {
		return "—"
	}
	if s.Estimated {
		return s.Due.Spanish() + " (estimada)"
	}
	return s.Due.Spanish()
}

// Progress records a step forward inside review: step runs in the
// transaction, with the request as it is now, and writes the type's own
// rows (a compare-and-set there keeps two operators from both moving it);
// then the message goes on the timeline and to the owner, like a change of
// state. The request must be in review: a request received but not taken,
// waiting for the person, or resolved does not move on.
func (s *Service) Progress(ctx context.Context, folio string, actorID int64, message string, step func(ctx context.Context, r *Request) error) (*Request, error) {
	message = strings.TrimSpace(message)
	var r *Request
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.store.FindRequest(ctx, folio); err != nil {
			return err
		}
		if r.State != EnRevision {
			return portal.Errorf(portal.ECONFLICT, "Solo un trámite en revisión avanza de etapa; este está %s.", lower(Names[r.State]))
		}
		now := s.now().UTC()
		// The same state again: the compare-and-set fails if someone moved
		// the request meanwhile, and the request's updated_at follows.
		if err := s.store.SetRequestState(ctx, r.ID, r.State, r.State, now); err != nil {
			return err
		}
		if err := step(ctx, r); err != nil {
			return err
		}
		r.UpdatedAt = now
		if err := s.store.AddRequestEvent(ctx, r.ID, Event{At: now, Actor: Operator, ActorID: actorID, From: r.State, To: r.State, Message: message}); err != nil {
			return err
		}
		return s.tell(ctx, r, "Tu trámite "+r.Folio+" avanzó", "Tu trámite "+r.Folio+" avanzó.\n\n"+message, now)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
