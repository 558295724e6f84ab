package origination

import (
	"context"

	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
)

// Prequalification is what /mi-cuenta/precalificacion shows: the records
// read, the points by block, and each product's threshold and outcome.
type Prequalification struct {
	Today    portal.Date
	Person   *person.Person
	Standing Standing
	Result   prequal.Result
	// Employer is the name of the job whose salary counts ("" without one).
	Employer string
	// Open is the person's credit application in course, nil when none.
	Open *request.Request
	// Notes are the model's approximations the page must state: the
	// notes of the model, blocks and thresholds marked uncertain, each
	// once.
	Notes []string
}

// Qualifies reports whether the person pre-qualifies for some product.
func (p *Prequalification) Qualifies() bool {
	for _, pr := range p.Result.Products {
		if pr.Qualifies {
			return true
		}
	}
	return false
}

// Product returns the outcome for one product.
func (p *Prequalification) Product(code string) (prequal.ProductResult, bool) {
	for _, pr := range p.Result.Products {
		if pr.Product.Code == code {
			return pr, true
		}
	}
	return prequal.ProductResult{}, false
}

// Prequalify scores the signed-in person's records today.
func (s *Service) Prequalify(ctx context.Context, personID int64) (*Prequalification, error) {
	r, err := s.records(ctx, personID)
	if err != nil {
		return nil, err
	}
	return s.prequalify(ctx, r, s.today())
}

func (s *Service) prequalify(ctx context.Context, r Records, today portal.Date) (*Prequalification, error) {
	cat, _, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	uma, _, err := s.values(ctx, today)
	if err != nil {
		return nil, err
	}
	st := ApplicantFrom(r, today)
	res, err := cat.Prequalify(today, uma, st.Applicant)
	if err != nil {
		return nil, err
	}
	p := &Prequalification{Today: today, Person: r.Person, Standing: st, Result: res, Open: r.InCourse}
	if st.Job != nil {
		p.Employer = st.Job.RazonSocial
	}
	seen := map[string]bool{}
	note := func(uncertain bool, text string) {
		if uncertain && text != "" && !seen[text] {
			seen[text] = true
			p.Notes = append(p.Notes, text)
		}
	}
	note(res.Model.Uncertain, res.Model.Note)
	for _, b := range res.Blocks {
		note(b.Uncertain, b.Note)
	}
	for _, pr := range res.Products {
		note(pr.Uncertain, pr.Note)
	}
	return p, nil
}
