package batch

import (
	"context"

	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
)

// Posting is an accepted contribution with its references resolved.
type Posting struct {
	PersonID     int64
	EmployerID   int64
	CreditID     int64 // the live credit the amortization goes to; 0 when none
	Bimestre     portal.Bimestre
	PaidOn       portal.Date
	DailySalary  portal.Money
	Days         int
	Amount       portal.Money
	Amortization portal.Money
}

// ContributionStore is what importing contributions needs from the
// database. Lookups answer in the order asked, 0 for unknown.
type ContributionStore interface {
	PersonIDsByNSS(ctx context.Context, nss []ident.NSS) ([]int64, error)
	// EmployerIDs returns each employer's id, creating the unknown ones.
	EmployerIDs(ctx context.Context, es []employment.Employer) ([]int64, error)
	// LiveCreditIDs returns each person's live credit (vigente or en
	// prórroga), 0 for none.
	LiveCreditIDs(ctx context.Context, personIDs []int64) ([]int64, error)
	// PostContributions writes the postings in one transaction — the
	// subaccount movements and the credit's payroll discounts — skipping
	// those already there, and reports which of them were new. Rows given
	// in person order (as post sorts them) write fastest.
	PostContributions(ctx context.Context, ps []Posting) (posted []bool, err error)
}
