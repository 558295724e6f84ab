// Package origination owns how a worker gets a credit (issue 9): reading
// the fund's records into what pre-qualification needs (the records →
// applicant mapping), the pre-qualification and simulator pages' figures,
// and the credit application — filed on the trámites workflow (request
// type SCR) with the product, the quote, the dwelling, the seller, the
// appraisal, the co-borrower and the product's documents; followed through
// its stages (integración del expediente, revisión, inscripción, firma de
// escrituras, crédito ejercido), each with its due date in working days;
// and, as the type's request.Applier, exercising the credit: a new credit
// in the ledger with its disbursement, and the subaccount balance applied
// to the purchase. The rules of points, amounts and rates are
// internal/prequal's, which this package joins to the records.
package origination

import (
	"context"
	"fmt"
	"sync"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/reference"
	"micuenta/internal/request"
	"micuenta/internal/savings"
)

// PaidBimester is a bimester an employer paid contributions for.
type PaidBimester struct {
	Bimestre   portal.Bimestre
	EmployerID int64
}

// DocumentRule is one document a product's application must attach (a
// row of credit_product_documents).
type DocumentRule struct {
	Product   string
	Code      string
	SortOrder int
	Label     string // shown to people
	Hint      string
}

// StageRow is a row of credit_application_stages: a stage started (and
// maybe finished) by an application.
type StageRow struct {
	Stage      string
	Seq        int
	Started    time.Time
	Due        portal.Date
	Done       time.Time // zero until finished
	OperatorID int64     // who finished it
}

// Store is the records the service reads and what it writes.
type Store interface {
	prequal.Store
	reference.Store
	FindPersonByID(ctx context.Context, id int64) (*person.Person, error)
	FindPersonByNSS(ctx context.Context, nss ident.NSS) (*person.Person, error)
	JobsOf(ctx context.Context, personID int64) ([]employment.Job, error)
	SavingsBalances(ctx context.Context, personID int64) ([]savings.BucketBalance, portal.Date, error)
	// PaidBimesters lists the bimesters employers paid the person's
	// contributions for, one line per employer and bimester.
	PaidBimesters(ctx context.Context, personID int64) ([]PaidBimester, error)
	CreditsOf(ctx context.Context, personID int64) ([]credit.Credit, error)
	ProductDocuments(ctx context.Context) ([]DocumentRule, error)

	// ApplicationStages lists an application's stage rows in order.
	ApplicationStages(ctx context.Context, requestID int64) ([]StageRow, error)
	// StartStage adds a stage row (ECONFLICT when it is already there).
	StartStage(ctx context.Context, requestID int64, row StageRow) error
	// FinishStage marks a stage done only if it is not yet (ECONFLICT
	// otherwise).
	FinishStage(ctx context.Context, requestID int64, stage string, at time.Time, operatorID int64) error
	// NextCreditNumber hands out the year's next credit sequence number.
	NextCreditNumber(ctx context.Context, year int) (int64, error)
	// CreateCredit adds a credit and sets its ID.
	CreateCredit(ctx context.Context, c *credit.Credit) error
	PostCreditMovements(ctx context.Context, ms []credit.Movement) error
	PostSavingsMovements(ctx context.Context, ms []savings.Movement) error
}

// Deps are what the service works with.
type Deps struct {
	Store    Store
	Requests *request.Service
	Calendar *request.Calendar
	Now      func() time.Time
}

// Service answers the pages, files applications, moves them through
// their stages and exercises the credit.
type Service struct {
	store    Store
	requests *request.Service
	calendar *request.Calendar
	now      func() time.Time

	mu   sync.Mutex
	cat  *prequal.Catalog
	docs map[string][]DocumentRule
}

// New builds the service. The scoring tables are read on first use.
func New(d Deps) *Service {
	return &Service{store: d.Store, requests: d.Requests, calendar: d.Calendar, now: d.Now}
}

// Reload reads the scoring tables and the document lists again, for the
// fund's edits to apply without a restart; a bad edit is refused with the
// row named and the tables in use stay.
func (s *Service) Reload(ctx context.Context) error {
	cat, docs, err := s.load(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.cat, s.docs = cat, docs
	s.mu.Unlock()
	return nil
}

// catalog returns the loaded tables, reading them the first time.
func (s *Service) catalog(ctx context.Context) (*prequal.Catalog, map[string][]DocumentRule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cat == nil {
		cat, docs, err := s.load(ctx)
		if err != nil {
			return nil, nil, err
		}
		s.cat, s.docs = cat, docs
	}
	return s.cat, s.docs, nil
}

// maxDocuments bounds a product's list: the application route's body
// limit is worked out from it (one file of upload.MaxSize each).
const maxDocuments = 6

func (s *Service) load(ctx context.Context) (*prequal.Catalog, map[string][]DocumentRule, error) {
	cat, err := prequal.Load(ctx, s.store)
	if err != nil {
		return nil, nil, err
	}
	rules, err := s.store.ProductDocuments(ctx)
	if err != nil {
		return nil, nil, err
	}
	docs := map[string][]DocumentRule{}
	for _, r := range rules {
		if _, ok := cat.Product(r.Product); !ok {
			return nil, nil, fmt.Errorf("origination: document %s/%s: no such product", r.Product, r.Code)
		}
		docs[r.Product] = append(docs[r.Product], r)
	}
	for _, p := range cat.Products() {
		if n := len(docs[p.Code]); n == 0 || n > maxDocuments {
			return nil, nil, fmt.Errorf("origination: product %s asks for %d documents; it must be 1 to %d", p.Code, n, maxDocuments)
		}
	}
	return cat, docs, nil
}

// MaxDocuments is the most files one application carries, for the
// route's body limit.
const MaxDocuments = maxDocuments

func (s *Service) today() portal.Date { return portal.DateOf(s.now()) }

// values are the day's daily UMA and minimum wage.
func (s *Service) values(ctx context.Context, day portal.Date) (uma, minimum portal.Money, err error) {
	t, err := reference.Load(ctx, s.store)
	if err != nil {
		return 0, 0, err
	}
	u, err := t.At(reference.UMADiaria, day)
	if err != nil {
		return 0, 0, err
	}
	m, err := t.At(reference.SalarioMinimo, day)
	if err != nil {
		return 0, 0, err
	}
	return u.Centavos(), m.Centavos(), nil
}
