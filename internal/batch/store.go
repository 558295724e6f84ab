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

	line int // the file's line, the last sort key: the earlier line wins
}

// ContributionStore is what importing contributions needs from the
// database. Lookups answer in the order asked, 0 for unknown.
type ContributionStore interface {
	PersonIDsByNSS(ctx context.Context, nss []ident.NSS) ([]int64, error)
	// PeopleCount is a cheap upper bound of how many people are
	// registered, to choose between looking people up chunk by chunk and
	// loading the PersonDirectory.
	PeopleCount(ctx context.Context) (int64, error)
	// PersonDirectory loads every registered person's id by NSS, for a
	// file that names a large share of the registry.
	PersonDirectory(ctx context.Context) (PersonDirectory, error)
	// EmployerIDs returns each employer's id, creating the unknown ones.
	EmployerIDs(ctx context.Context, es []employment.Employer) ([]int64, error)
	// LiveCreditIDs returns each person's live credit (vigente or en
	// prórroga), 0 for none.
	LiveCreditIDs(ctx context.Context, personIDs []int64) ([]int64, error)
	// StartPosting readies the database for a file's PostContributions
	// calls; finish, called once they are over (whether or not they
	// failed), puts it back.
	StartPosting(ctx context.Context) (finish func(context.Context) error, err error)
	// PostContributions writes the postings in one transaction — the
	// subaccount movements and the credit's payroll discounts — skipping
	// those already there, and reports how many of them were new (a
	// posting is new when any of its movements is; of several postings
	// with one key, the first given is the one written). Rows given in
	// person order (as Run sorts them) write fastest.
	PostContributions(ctx context.Context, ps []Posting) (posted int, err error)
}

// PersonDirectory answers person ids by NSS from memory, 0 for unknown.
type PersonDirectory interface {
	PersonID(nss ident.NSS) int64
}
