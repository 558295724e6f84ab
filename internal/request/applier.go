package request

import "context"

// Applier is what approving a request of one type does beyond moving it:
// a data correction changes the person's record; a conversion
// restructures the credit; a refund withdraws the savings. The domain
// that owns the change implements it, and the app registers it for the
// type's prefix, so this package knows nothing of credits or savings.
//
// Apply runs inside the transaction that moves the request to aprobada,
// after the move's compare-and-set: if it fails, nothing of the approval
// is kept, and two operators approving at once cannot both apply it. Its
// error is shown to the operator (portal errors in Spanish); note, when
// not empty, is added to what the person is told (the applied figures).
type Applier interface {
	Apply(ctx context.Context, r *Request, a Action) (note string, err error)
}

// RegisterApplier sets what approving requests of a type does. It is for
// wiring, before the service is used: the map is not guarded.
func (s *Service) RegisterApplier(prefix string, ap Applier) {
	if s.appliers == nil {
		s.appliers = map[string]Applier{}
	}
	s.appliers[prefix] = ap
}

// applyApproval makes what an approval means happen, in the move's
// transaction: the type's registered Applier, or the built-in ones.
func (s *Service) applyApproval(ctx context.Context, r *Request, a Action) (string, error) {
	if a.To != Aprobada {
		return "", nil
	}
	if ap := s.appliers[r.Kind]; ap != nil {
		return ap.Apply(ctx, r, a)
	}
	return "", s.apply(ctx, r, a)
}
