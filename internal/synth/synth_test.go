package synth

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/savings"
	"micuenta/internal/store"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/vault"
)

var asOf = portal.NewDate(2026, time.November, 24)

func TestMain(m *testing.M) { pgtest.Main(m) }

func openDB(t *testing.T) *store.DB {
	t.Helper()
	return openDSN(t, "sqlite:"+filepath.Join(t.TempDir(), "s.db"))
}

func openDSN(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, vault.NewRandom(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func refTable(t *testing.T, db *store.DB) *reference.Table {
	t.Helper()
	tab, err := reference.Load(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// collect generates a population without a database.
func collect(t *testing.T, ref *reference.Table, people int, seed uint64) *store.Records {
	t.Helper()
	return collectParams(t, ref, Params{People: people, Seed: seed, AsOf: asOf, BatchSize: 500})
}

func collectParams(t *testing.T, ref *reference.Table, p Params) *store.Records {
	t.Helper()
	g, err := NewGenerator(p, ref)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan *store.Records, 1)
	errc := make(chan error, 1)
	go func() { errc <- g.generate(context.Background(), 0, out); close(out) }()
	all := &store.Records{}
	for b := range out {
		all.People = append(all.People, b.People...)
		all.Relations = append(all.Relations, b.Relations...)
		all.Savings = append(all.Savings, b.Savings...)
		all.Credits = append(all.Credits, b.Credits...)
		all.CreditMovements = append(all.CreditMovements, b.CreditMovements...)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	return all
}

func fingerprint(r *store.Records) string {
	h := sha256.New()
	for _, p := range r.People {
		fmt.Fprintln(h, p.ID, p.NSS, p.CURP, p.RFC, p.FullName(), p.BirthDate, p.Sex, p.State, p.PensionStatus)
	}
	fmt.Fprintln(h, r.Relations, r.Savings, r.Credits, r.CreditMovements)
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestDeterministic(t *testing.T) {
	ref := refTable(t, openDB(t))
	a, b := collect(t, ref, 800, 42), collect(t, ref, 800, 42)
	if fingerprint(a) != fingerprint(b) {
		t.Fatal("the same parameters gave different populations")
	}
	if fingerprint(a) == fingerprint(collect(t, ref, 800, 43)) {
		t.Fatal("another seed gave the same population")
	}
}

// A shorter history keeps the same registry and the same savings up to
// today, with the older ones brought forward as opening balances.
func TestFewerYearsOfHistory(t *testing.T) {
	ref := refTable(t, openDB(t))
	five := collectParams(t, ref, Params{People: 300, Seed: 7, AsOf: asOf})
	two := collectParams(t, ref, Params{People: 300, Seed: 7, AsOf: asOf, Years: 2})
	for i := range five.People {
		if five.People[i].NSS != two.People[i].NSS || five.People[i].FullName() != two.People[i].FullName() {
			t.Fatalf("person %d differs between five and two years of history", i+1)
		}
	}
	contributions := func(r *store.Records) (n int, first int) {
		first = 999999
		for _, m := range r.Savings {
			if m.Kind == savings.KindAportacion {
				n++
				first = min(first, m.Period)
			}
		}
		return n, first
	}
	n5, first5 := contributions(five)
	n2, first2 := contributions(two)
	if n2 >= n5*5/10 || n2 <= n5*3/10 {
		t.Fatalf("two years gave %d contributions against %d for five; want about 2/5", n2, n5)
	}
	if first5/10 != 2021 || first2/10 != 2024 { // periods are year*10 + bimester
		t.Fatalf("first contribution periods %d (five years) and %d (two years)", first5, first2)
	}
	if _, err := NewGenerator(Params{People: 1, AsOf: asOf, Years: 6}, ref); err == nil {
		t.Fatal("six years of history accepted; the reference values hold five")
	}
}

func TestPopulationLooksReal(t *testing.T) {
	ref := refTable(t, openDB(t))
	r := collect(t, ref, 20000, 1)
	nss, curp := map[string]bool{}, map[string]bool{}
	states := map[string]int{}
	var women, pensioners int
	for _, p := range r.People {
		for _, s := range []string{p.NSS.String(), p.CURP.String()} {
			if nss[s] || curp[s] {
				t.Fatalf("duplicate identifier %s", s)
			}
		}
		nss[p.NSS.String()], curp[p.CURP.String()] = true, true
		if _, err := ident.ParseCURP(p.CURP.String()); err != nil {
			t.Fatalf("invalid CURP %s: %v", p.CURP, err)
		}
		if _, err := ident.ParseRFC(p.RFC.String()); err != nil {
			t.Fatalf("invalid RFC %s: %v", p.RFC, err)
		}
		if p.NSS.BirthYY() != p.BirthDate.Y%100 {
			t.Fatalf("NSS %s does not carry the birth year %d", p.NSS, p.BirthDate.Y)
		}
		if got := ident.CURPPrefix(ident.Name{Given: p.GivenNames, First: p.FirstSurname, Second: p.SecondSurname}, p.BirthDate.Time()); got != p.CURP.String()[:10] {
			t.Fatalf("CURP %s does not follow from %s (%s)", p.CURP, p.FullName(), got)
		}
		age := asOf.Y - p.BirthDate.Y
		if age < 17 || age > 71 {
			t.Fatalf("age %d out of 18–70", age)
		}
		states[p.State]++
		if p.Sex == "M" {
			women++
		}
		if p.PensionStatus != person.PensionNone {
			pensioners++
		}
	}
	type kv struct {
		s string
		n int
	}
	var ranked []kv
	for s, n := range states {
		ranked = append(ranked, kv{s, n})
	}
	sort.Slice(ranked, func(i, j int) bool { return ranked[i].n > ranked[j].n })
	for i, want := range []string{"DF", "NL", "MC", "JC", "CH"} {
		if ranked[i].s != want {
			t.Fatalf("state ranking %v, want CDMX, NL, Edomex, Jalisco, Chihuahua first", ranked[:6])
		}
	}
	if women < 7000 || women > 9800 {
		t.Errorf("%d women of 20,000", women)
	}
	if pensioners < 50 {
		t.Errorf("only %d pensioners", pensioners)
	}

	kinds := map[string]int{}
	var old, vsm, paid int
	for _, c := range r.Credits {
		kinds[c.Denomination]++
		if c.Denomination == credit.DenomVSM {
			vsm++
		}
		if c.State == credit.StateLiquidado {
			paid++
		}
		if c.Origination.Y >= 1972 && c.Origination.Y <= 2007 {
			old++
		}
	}
	share := float64(len(r.Credits)) / float64(len(r.People))
	if share < 0.25 || share > 0.4 || vsm == 0 || paid == 0 || old == 0 || kinds[credit.DenomPesos] == 0 {
		t.Errorf("credits: %.2f of people, %d VSM, %d paid off, %d from 1972–2007, %v", share, vsm, paid, old, kinds)
	}
}

func TestContributionsFollowTheRule(t *testing.T) {
	ref := refTable(t, openDB(t))
	r := collect(t, ref, 2000, 5)
	n := 0
	for _, m := range r.Savings {
		if m.Kind != savings.KindAportacion {
			continue
		}
		n++
		b := portal.BimestreFromKey(m.Period)
		uma, err := ref.At(reference.UMADiaria, b.First())
		if err != nil {
			t.Fatal(err)
		}
		if want := savings.Contribution(m.DailySalary, uma.Centavos(), m.Days); m.Amount != want {
			t.Fatalf("contribution %v for %v × %d days, want %v", m.Amount, m.DailySalary, m.Days, want)
		}
		if m.Days < 1 || m.Days > b.Days() {
			t.Fatalf("%d days in %s", m.Days, b)
		}
		if m.Amount > portal.Money(portal.RoundDiv(int64(uma.Centavos())*25*int64(b.Days())*5, 100)) {
			t.Fatalf("contribution %v above the 25-UMA cap", m.Amount)
		}
	}
	if n < 2000*15 {
		t.Fatalf("only %d contributions for 2,000 people over five years", n)
	}
}

func TestCreditLedgersAreConsistent(t *testing.T) {
	ref := refTable(t, openDB(t))
	r := collect(t, ref, 3000, 9)
	byCredit := map[int64][]credit.Movement{}
	for _, m := range r.CreditMovements {
		byCredit[m.CreditID] = append(byCredit[m.CreditID], m)
	}
	for _, c := range r.Credits {
		var bal portal.Money
		keys := map[string]bool{}
		for _, m := range byCredit[c.ID] {
			bal += m.Amount
			k := fmt.Sprint(m.Kind, m.Period, m.SourceID)
			if keys[k] {
				t.Fatalf("credit %s: two movements with the natural key %s", c.Number, k)
			}
			keys[k] = true
		}
		if c.State == credit.StateLiquidado && len(byCredit[c.ID]) > 0 && bal != 0 {
			t.Fatalf("paid-off credit %s has balance %v", c.Number, bal)
		}
		if c.State == credit.StateVigente && bal < 0 {
			t.Fatalf("live credit %s has negative balance %v", c.Number, bal)
		}
		if len(c.Number) != 10 {
			t.Fatalf("credit number %q", c.Number)
		}
	}
}

// failingSink fails the load after n batches, like a process killed
// half-way through a seed.
type failingSink struct {
	*store.DB
	mu sync.Mutex
	n  int
}

var errKilled = errors.New("killed")

func (s *failingSink) LoadRecordsInOrder(ctx context.Context, r *store.Records, ready func() error) (store.LoadCounts, error) {
	s.mu.Lock()
	fail := s.n == 0
	s.n--
	s.mu.Unlock()
	if fail {
		return store.LoadCounts{}, errKilled
	}
	return s.DB.LoadRecordsInOrder(ctx, r, ready)
}

type quiet struct{}

func (quiet) Start(int64) {}
func (quiet) Set(int64)   {}
func (quiet) Finish()     {}

// The seed writes by multi-row INSERT on SQLite and by COPY on
// PostgreSQL; both must resume to the same result.
func TestInterruptedSeedResumesToTheSameResult(t *testing.T) {
	engines := map[string]func(t testing.TB) string{
		"sqlite":   func(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "s.db") },
		"postgres": pgtest.DSN,
	}
	for name, dsn := range engines {
		t.Run(name, func(t *testing.T) { interruptedSeedResumes(t, func() *store.DB { return openDSN(t, dsn(t)) }) })
	}
}

func interruptedSeedResumes(t *testing.T, openDB func() *store.DB) {
	ctx := context.Background()
	p := Params{People: 1500, Seed: 3, AsOf: asOf, BatchSize: 200}

	whole := openDB()
	g, _ := NewGenerator(p, refTable(t, whole))
	if _, err := g.Run(ctx, whole, quiet{}); err != nil {
		t.Fatal(err)
	}

	resumed := openDB()
	g, _ = NewGenerator(p, refTable(t, resumed))
	if _, err := g.Run(ctx, &failingSink{DB: resumed, n: 3}, quiet{}); !errors.Is(err, errKilled) {
		t.Fatalf("first run: %v", err)
	}
	g, _ = NewGenerator(p, refTable(t, resumed))
	sum, err := g.Run(ctx, resumed, quiet{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != 600 {
		t.Fatalf("resumed after %d people, want 600 (three batches of 200)", sum.Skipped)
	}
	a, _ := whole.TotalsForTest(ctx)
	b, _ := resumed.TotalsForTest(ctx)
	if a != b {
		t.Fatalf("interrupted and resumed seed differs from an uninterrupted one:\n%v\n%v", a, b)
	}
	// And once complete, running again writes nothing.
	g, _ = NewGenerator(p, refTable(t, resumed))
	if sum, err := g.Run(ctx, resumed, quiet{}); err != nil || sum.People != 0 || sum.Savings != 0 {
		t.Fatalf("third run wrote %+v (%v)", sum, err)
	}
	other, _ := NewGenerator(Params{People: 1500, Seed: 4, AsOf: asOf}, refTable(t, resumed))
	if _, err := other.Run(ctx, resumed, quiet{}); err == nil {
		t.Fatal("a different population was mixed into the database")
	}
}
