// Package servicing owns the requests a borrower files after getting a
// credit, and the pensioner's refund of their savings (issue 8): the
// conversion of a VSM credit to pesos (Responsabilidad Compartida), the
// protection measures (prórroga and the Fondo de Protección de Pagos), the
// delivery of the deeds, the refund of overpayments and the refund of the
// savings. For each it says before the person starts whether they qualify
// and why, in plain Spanish, from the fund's records; files the request on
// the trámites workflow with the figures the person saw; shows the
// operator what they need to decide; and, as the type's request.Applier,
// makes the approval happen — in the ledger or the savings — in the same
// transaction as the approval. The rules themselves are the credit's and
// the savings' (credit/conversion.go, protection.go, payoff.go,
// savings/refund.go); this package joins them to the records.
package servicing

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/request"
	"micuenta/internal/savings"
)

// Store is the records the service reads and what approvals write.
type Store interface {
	CreditsOf(ctx context.Context, personID int64) ([]credit.Credit, error)
	CreditMovements(ctx context.Context, creditID int64) ([]credit.Movement, error)
	JobsOf(ctx context.Context, personID int64) ([]employment.Job, error)
	FindPersonByID(ctx context.Context, id int64) (*person.Person, error)
	SavingsBalances(ctx context.Context, personID int64) ([]savings.BucketBalance, portal.Date, error)
	ReferenceValues(ctx context.Context) ([]reference.Value, error)

	// LockCredit and LockPerson hold the credit or the person until the
	// approval's transaction ends, so approvals of two requests about the
	// same credit or savings take turns.
	LockCredit(ctx context.Context, personID int64, number string) error
	LockPerson(ctx context.Context, personID int64) error
	PostCreditMovements(ctx context.Context, ms []credit.Movement) error
	RestructureCredit(ctx context.Context, before, after credit.Credit) error
	SetCreditState(ctx context.Context, id int64, from, to string) error
	PostSavingsMovements(ctx context.Context, ms []savings.Movement) error
	// AddDiscountChange records the new payroll discount after a
	// conversion, for the aviso de modificación.
	AddDiscountChange(ctx context.Context, c credit.DiscountChange) error
}

// Deps are what the service works with.
type Deps struct {
	Store    Store
	Requests *request.Service
	Terms    *credit.ConversionTerms
	Now      func() time.Time
}

// Service answers the pages and applies the approvals.
type Service struct {
	store    Store
	requests *request.Service
	terms    *credit.ConversionTerms
	now      func() time.Time
}

// New builds the service.
func New(d Deps) *Service {
	return &Service{store: d.Store, requests: d.Requests, terms: d.Terms, now: d.Now}
}

// Appliers are what approving each of the service's request types does,
// by prefix, for request.Service.RegisterApplier.
func (s *Service) Appliers() map[string]request.Applier {
	return map[string]request.Applier{
		request.Conversion.Prefix:       applierFunc(s.applyConversion),
		request.Prorroga.Prefix:         applierFunc(s.applyProrroga),
		request.ProteccionPagos.Prefix:  applierFunc(s.applyFPP),
		request.Escrituras.Prefix:       applierFunc(s.applyDeeds),
		request.PagosExceso.Prefix:      applierFunc(s.applyOverpaid),
		request.DevolucionAhorro.Prefix: applierFunc(s.applyRefund),
	}
}

type applierFunc func(ctx context.Context, r *request.Request, a request.Action) (string, error)

func (f applierFunc) Apply(ctx context.Context, r *request.Request, a request.Action) (string, error) {
	return f(ctx, r, a)
}

// Status is whether a person may file a request now, and why not.
type Status struct {
	Eligible bool
	Why      []string         // why not, in plain Spanish
	Open     *request.Request // the same request already in course, if any
}

func (s *Service) today() portal.Date { return portal.DateOf(s.now()) }

// inCourse finds the person's request of a kind that is still open (or,
// with settled, approved or concluded too), for the credit when given.
func (s *Service) inCourse(ctx context.Context, personID int64, kind string, settled bool, match func([]byte) bool) (*request.Request, error) {
	rs, err := s.requests.Mine(ctx, personID)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		q := &rs[i]
		if q.Kind != kind || q.State == request.Rechazada || q.State == request.Cancelada {
			continue
		}
		if !settled && (q.State == request.Aprobada || q.State == request.Concluida) {
			continue
		}
		if match == nil || match(q.Data) {
			return q, nil
		}
	}
	return nil, nil
}

// openWhy is what the page says when a request is already in course.
func openWhy(q *request.Request) string {
	if q.State == request.Aprobada || q.State == request.Concluida {
		return "Ya lo solicitaste y se aprobó: folio " + q.Folio + "."
	}
	return "Ya tienes una solicitud en trámite: folio " + q.Folio + " (" + strings.ToLower(request.Names[q.State]) + "). Consulta su avance en Mis trámites."
}

// creditFor picks one of the person's credits: the one numbered, or the
// first that prefer likes, or the live one, or the newest. nil when the
// person has none; ENOTFOUND for a number that is not theirs.
func (s *Service) creditFor(ctx context.Context, personID int64, number string, prefer func(credit.Credit) bool) (*credit.Credit, []credit.Movement, error) {
	cs, err := s.store.CreditsOf(ctx, personID)
	if err != nil || len(cs) == 0 {
		return nil, nil, err
	}
	pick := -1
	for i, c := range cs {
		switch {
		case number != "":
			if c.Number == number {
				pick = i
			}
		case pick < 0 && prefer != nil && prefer(c):
			pick = i
		}
	}
	if number != "" && pick < 0 {
		return nil, nil, portal.Errorf(portal.ENOTFOUND, "No encontramos ese crédito entre los tuyos.")
	}
	if pick < 0 {
		pick = 0
		for i, c := range cs {
			if c.Live() {
				pick = i
				break
			}
		}
	}
	c := cs[pick]
	moves, err := s.store.CreditMovements(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	return &c, moves, nil
}

// ownCredit loads the credit a request names, refusing one that is not
// the request owner's.
func (s *Service) ownCredit(ctx context.Context, personID int64, number string) (*credit.Credit, []credit.Movement, error) {
	c, moves, err := s.creditFor(ctx, personID, number, nil)
	if err == nil && c == nil {
		err = portal.Errorf(portal.ENOTFOUND, "La persona ya no tiene ese crédito.")
	}
	return c, moves, err
}

// lockedCredit is ownCredit for an approval: the credit is held first,
// so what is read is what the approval's writes will build on.
func (s *Service) lockedCredit(ctx context.Context, personID int64, number string) (*credit.Credit, []credit.Movement, error) {
	if err := s.store.LockCredit(ctx, personID, number); err != nil {
		return nil, nil, err
	}
	return s.ownCredit(ctx, personID, number)
}

// values are the day's UMI and UMA, in centavos a day.
func (s *Service) values(ctx context.Context, day portal.Date) (umi, uma int64, err error) {
	t, err := reference.Load(ctx, s.store)
	if err != nil {
		return 0, 0, err
	}
	if v, err := t.At(reference.UMIDiaria, day); err == nil {
		umi = (v.E6 + 5_000) / 10_000
	}
	if v, err := t.At(reference.UMADiaria, day); err == nil {
		uma = (v.E6 + 5_000) / 10_000
	}
	return umi, uma, nil
}

// employment reads the protection facts and the salary the records hold.
func (s *Service) employment(ctx context.Context, p *person.Person) (credit.EmploymentFacts, portal.Money, error) {
	jobs, err := s.store.JobsOf(ctx, p.ID)
	if err != nil {
		return credit.EmploymentFacts{}, 0, err
	}
	spans := make([]credit.Span, 0, len(jobs))
	var salary portal.Money
	var latest portal.Date
	for _, j := range jobs {
		spans = append(spans, credit.Span{Start: j.Start, End: j.End, Employer: j.RazonSocial})
		// The salary of the current job, or of the one that ended last.
		end := j.End
		if j.Current() {
			end = portal.NewDate(9999, 12, 31)
		}
		if latest.Before(end) {
			latest, salary = end, j.DailySalary
		}
	}
	return credit.Employment(spans, p.PensionStatus != person.PensionNone), salary, nil
}

// decode reads a request's data.
func decode[T any](r *request.Request, into *T) error {
	if err := json.Unmarshal(r.Data, into); err != nil {
		return portal.Wrap(portal.EINVALID, err, "Los datos del trámite no se pueden leer.")
	}
	return nil
}
