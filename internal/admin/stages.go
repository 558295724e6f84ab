package admin

import (
	"context"

	"micuenta/internal/request"
	"micuenta/internal/servicing"
)

// RequestStages are the stages some request types go through while in
// review — a credit application's integración del expediente, revisión,
// inscripción, firma de escrituras and crédito ejercido (issue 9). The
// request's page lists them with their due dates, and the operator
// finishes the current one with its own button; finishing the last is the
// approval, so such a request has no plain "Aprobar".
type RequestStages interface {
	// Steps lists a request's stages and the label of the action that
	// finishes the current one ("" when none); nil for other types.
	Steps(ctx context.Context, q *request.Request) ([]request.Step, string, error)
	// Advance finishes the current stage and starts the next (or, for the
	// last, approves the request); note is added to what the person is
	// told.
	Advance(ctx context.Context, q *request.Request, operatorID int64, note string) error
}

// FactsList asks each source in turn what deciding a request needs: the
// first that knows the request's type answers.
type FactsList []RequestFacts

// Facts implements RequestFacts.
func (l FactsList) Facts(ctx context.Context, q *request.Request) ([]servicing.Section, error) {
	for _, f := range l {
		s, err := f.Facts(ctx, q)
		if err != nil || s != nil {
			return s, err
		}
	}
	return nil, nil
}
