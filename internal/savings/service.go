package savings

import (
	"context"

	"micuenta/internal/portal"
)

// Entry is a movement as people see it: with the employer's name for a
// contribution.
type Entry struct {
	Movement
	EmployerName     string
	RegistroPatronal string
}

// Filter narrows a movement listing; zero fields do not filter.
type Filter struct {
	Year   int
	Kind   string
	Offset int
	Limit  int
}

// BucketBalance is one bucket's balance.
type BucketBalance struct {
	Bucket  string
	Balance portal.Money
}

// Store reads the ledger.
type Store interface {
	// SavingsBalances sums the movements per bucket (buckets without
	// movements are absent) and returns the newest value date.
	SavingsBalances(ctx context.Context, personID int64) ([]BucketBalance, portal.Date, error)
	// SavingsSummary is SavingsBalances with the span of value dates, and
	// the last contribution (that of the latest bimester; nil when there
	// is none), together: the one read of the subaccount of the signed-in
	// home page and of the savings page.
	SavingsSummary(ctx context.Context, personID int64) ([]BucketBalance, Span, *Entry, error)
	// SavingsEntries returns one page of movements, newest first, and how
	// many match the filter in all.
	SavingsEntries(ctx context.Context, personID int64, f Filter) ([]Entry, int, error)
}

// Span is the value dates of a person's oldest and newest movements;
// zero when there are none.
type Span struct{ First, Last portal.Date }

// Years are the choices of the movements' year filter, newest first:
// every year from the oldest movement's to the newest's. A year between
// them without movements (out of work, with nothing saved) is listed too
// and shows that it has none; listing exactly the years with movements
// read every movement's date on each page.
func (s Span) Years() []int {
	if s.Last.IsZero() {
		return nil
	}
	years := make([]int, 0, s.Last.Y-s.First.Y+1)
	for y := s.Last.Y; y >= s.First.Y; y-- {
		years = append(years, y)
	}
	return years
}

// Summary is the subaccount at a glance.
type Summary struct {
	Total            portal.Money
	Buckets          []BucketBalance // in the order of BucketOrder
	AsOf             portal.Date     // the newest movement's value date; zero when none
	Since            portal.Date     // the oldest movement's value date; zero when none
	LastContribution *Entry
}

// Years are the choices of the movements' year filter (Span.Years).
func (s *Summary) Years() []int { return Span{First: s.Since, Last: s.AsOf}.Years() }

// BucketOrder is the order buckets are shown in, oldest scheme first.
var BucketOrder = []string{BucketFondo72, BucketViv92, BucketViv97, BucketExtra}

// BucketNames are the buckets' names in the portal (domain.md §2.2).
var BucketNames = map[string]string{
	BucketFondo72: "Fondo de Ahorro 72-92",
	BucketViv92:   "Vivienda 92",
	BucketViv97:   "Vivienda 97",
	BucketExtra:   "Aportaciones voluntarias",
}

// KindNames are the movement kinds' names in the portal, in the order the
// filter lists them.
var KindNames = []struct{ Kind, Name string }{
	{KindAportacion, "Aportación patronal"},
	{KindRendimiento, "Rendimiento"},
	{KindExtraordinaria, "Aportación voluntaria"},
	{KindAplicacionCred, "Aplicación a tu crédito"},
	{KindDevolucion, "Devolución"},
	{KindAjuste, "Ajuste"},
	{KindSaldoAnterior, "Saldo anterior"},
}

// KindName is a kind's name, or the kind itself when unknown.
func KindName(kind string) string {
	for _, k := range KindNames {
		if k.Kind == kind {
			return k.Name
		}
	}
	return kind
}

// ValidKind reports whether kind names a movement kind ("" is "all").
func ValidKind(kind string) bool {
	for _, k := range KindNames {
		if k.Kind == kind {
			return true
		}
	}
	return kind == ""
}

// Service answers what people ask about their subaccount.
type Service struct{ store Store }

// NewService builds the service.
func NewService(s Store) *Service { return &Service{store: s} }

// Summary returns the balances and the last contribution.
func (s *Service) Summary(ctx context.Context, personID int64) (*Summary, error) {
	bs, span, last, err := s.store.SavingsSummary(ctx, personID)
	if err != nil {
		return nil, err
	}
	sum := &Summary{AsOf: span.Last, Since: span.First, LastContribution: last}
	for _, name := range BucketOrder {
		for _, b := range bs {
			if b.Bucket == name {
				sum.Buckets = append(sum.Buckets, b)
				sum.Total += b.Balance
			}
		}
	}
	return sum, nil
}

// Entries returns a page of movements and the total that match.
func (s *Service) Entries(ctx context.Context, personID int64, f Filter) ([]Entry, int, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 25
	}
	return s.store.SavingsEntries(ctx, personID, f)
}
