package batch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"micuenta/internal/batch"
	"micuenta/internal/employment"
	"micuenta/internal/portal"
	"micuenta/internal/store"
)

// pipelineFile is 120 people × 3 employers in employer order, with a
// repeated key (the later line is the duplicate), an unknown person, a bad
// line, an amortization and an amortization alone.
func pipelineFile(t *testing.T, db *store.DB) string {
	t.Helper()
	borrower, err := db.DemoPersonID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(strings.Join(batch.ContributionsHeader, ",") + "\n")
	for e := range 3 {
		for id := int64(1); id <= 120; id++ {
			fmt.Fprintf(&b, "%s,Z%010d,PATRON %d,2026-6,520.00,61,%d.00,0.00,2026-12-01\n", nssOf(t, db, id), e+1, e+1, 1580+id%10)
		}
	}
	fmt.Fprintf(&b, "%s,Z%010d,PATRON 1,2026-6,520.00,61,9999.00,0.00,2026-12-01\n", nssOf(t, db, 7), 1) // duplicate of an earlier line
	fmt.Fprintf(&b, "%s,Z0000000001,PATRON 1,2026-6,520.00,61,1586.00,0.00,2026-12-01\n", stranger(t))
	b.WriteString("12345,Z0000000001,X,2026-6,1.00,1,1.00,0.00,2026-12-01\n")
	fmt.Fprintf(&b, "%s,Z0000000009,PATRON 9,2026-6,520.00,61,1586.00,950.00,2026-12-01\n", nssOf(t, db, borrower))
	fmt.Fprintf(&b, "%s,Z0000000008,PATRON 8,2026-6,520.00,61,0.00,950.00,2026-12-01\n", nssOf(t, db, borrower))
	return b.String()
}

// However the work is cut — people looked up per chunk or all at once,
// one sorted run or many, one transaction or many per run — a file posts
// the same records and the same summary, and a second pass posts nothing.
func TestImportPipelineShapes(t *testing.T) {
	type shape struct {
		name      string
		engine    string
		directory *bool
		chunk     int
		sortRows  int
		perTx     int
	}
	yes, no := true, false
	shapes := []shape{
		{"default", "sqlite", nil, 0, 0, 0},
		{"chunked lookups", "sqlite", &no, 0, 0, 0},
		{"directory", "sqlite", &yes, 0, 0, 0},
		{"small runs", "sqlite", nil, 5, 7, 3},
		{"small runs, chunked", "sqlite", &no, 50, 100, 1},
		{"small runs", "postgres", nil, 5, 7, 3},
	}
	var file string
	var wantSum batch.Summary
	var wantAdded store.Totals
	for i, s := range shapes {
		t.Run(s.engine+" "+s.name, func(t *testing.T) {
			ctx := context.Background()
			db, ref := seeded(t, s.engine)
			if file == "" {
				file = pipelineFile(t, db)
			}
			before, _ := db.Totals(ctx)
			importWith := func() batch.Summary {
				var rep bytes.Buffer
				r, _ := batch.NewReport(&rep)
				im := &batch.ContributionImport{Store: db, Ref: ref, Today: portal.NewDate(2026, 12, 2), Report: r, SortRows: s.sortRows}
				if s.directory != nil {
					batch.ChunkedLookups(im, *s.directory)
				}
				if s.perTx > 0 {
					batch.SmallBatches(im, s.chunk, s.perTx)
				}
				sum, err := im.Run(ctx, strings.NewReader(file))
				if err != nil {
					t.Fatal(err)
				}
				if sum.Read != sum.Posted+sum.Duplicates+sum.Rejected {
					t.Fatalf("counts do not add up: %+v", sum)
				}
				for _, w := range []string{"rechazada,No hay una persona con ese NSS", "rechazada,El NSS no es válido"} {
					if !strings.Contains(rep.String(), w) {
						t.Errorf("report lacks %q:\n%s", w, rep.String())
					}
				}
				return sum
			}
			sum := importWith()
			after, _ := db.Totals(ctx)
			added := store.Totals{Savings: after.Savings - before.Savings, SavingsSum: after.SavingsSum - before.SavingsSum,
				CreditMovements: after.CreditMovements - before.CreditMovements, CreditSum: after.CreditSum - before.CreditSum}
			if i == 0 {
				wantSum, wantAdded = sum, added
				want := batch.Summary{Read: 365, Posted: 362, Duplicates: 1, Rejected: 2, Warnings: 1}
				if sum != want {
					t.Fatalf("summary %+v, want %+v", sum, want)
				}
				// The first of the two lines with one key is the one posted.
				var amounts int64
				for id := int64(1); id <= 120; id++ {
					amounts += 3 * (158000 + 100*(id%10))
				}
				if added.Savings != 361 || added.SavingsSum != amounts+158600 || added.CreditMovements != 2 || added.CreditSum != -190000 {
					t.Fatalf("added %+v", added)
				}
			} else if sum != wantSum || added != wantAdded {
				t.Fatalf("summary %+v, added %+v; the default shape gave %+v, %+v", sum, added, wantSum, wantAdded)
			}
			again := importWith()
			if again.Posted != 0 || again.Duplicates != wantSum.Posted+wantSum.Duplicates {
				t.Fatalf("second pass: %+v", again)
			}
			if now, _ := db.Totals(ctx); now != after {
				t.Fatalf("the second pass changed the records: %+v → %+v", after, now)
			}
		})
	}
}

// PostContributions counts a posting as new when any of its movements is,
// and of several postings with one key writes the first — whichever of
// its two ways (a count, or RETURNING for postings with both movements)
// a statement takes.
func TestPostContributionsCounts(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db, _ := seeded(t, engine)
			borrower, err := db.DemoPersonID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			credits, err := db.LiveCreditIDs(ctx, []int64{borrower})
			if err != nil || credits[0] == 0 {
				t.Fatalf("the demo person has no live credit: %v", err)
			}
			credit := credits[0]
			var es []employment.Employer
			for _, r := range []string{"A", "B", "C", "D"} {
				es = append(es, employment.Employer{RegistroPatronal: r + "0000000001", RazonSocial: "PATRON " + r})
			}
			emp, err := db.EmployerIDs(ctx, es)
			if err != nil {
				t.Fatal(err)
			}
			b := portal.Bimestre{Year: 2026, N: 6}
			p := func(person, employer int64, amount, amortization portal.Money) batch.Posting {
				c := int64(0)
				if amortization > 0 {
					c = credit
				}
				return batch.Posting{PersonID: person, EmployerID: employer, CreditID: c, Bimestre: b, PaidOn: portal.NewDate(2026, 12, 1),
					DailySalary: 52000, Days: 61, Amount: amount, Amortization: amortization}
			}
			post := func(want int, ps ...batch.Posting) {
				t.Helper()
				n, err := db.PostContributions(ctx, ps)
				if err != nil || n != want {
					t.Fatalf("posted %d (%v), want %d", n, err, want)
				}
			}
			before, _ := db.Totals(ctx)
			post(5,
				p(1, emp[0], 100, 0),         // new
				p(1, emp[0], 200, 0),         // same key: a duplicate, 100 stays
				p(borrower, emp[0], 300, 50), // both movements, new
				p(borrower, emp[0], 0, 60),   // its credit key again: a duplicate
				p(borrower, emp[0], 301, 0),  // its savings key again: a duplicate
				p(borrower, emp[1], 0, 70),   // an amortization alone, new
				p(borrower, emp[2], 400, 0),  // new …
				p(borrower, emp[2], 999, 20)) // … so only the amortization of this one is: new too
			after, _ := db.Totals(ctx)
			if after.Savings-before.Savings != 3 || after.SavingsSum-before.SavingsSum != 800 ||
				after.CreditMovements-before.CreditMovements != 3 || after.CreditSum-before.CreditSum != -140 {
				t.Fatalf("wrote %+v after %+v", after, before)
			}
			post(0, p(1, emp[0], 100, 0), p(borrower, emp[0], 300, 50), p(borrower, emp[1], 0, 70))
			// Its amortization is there already but its contribution is not.
			post(1, p(borrower, emp[1], 500, 70))
			// Its contribution is there already but its amortization is not.
			post(1, p(borrower, emp[3], 10, 0), p(borrower, emp[3], 10, 0))
			post(1, p(borrower, emp[3], 10, 5))
		})
	}
}

// flakyStore fails PostContributions from its failAt-th call on.
type flakyStore struct {
	*store.DB
	failAt, calls int
	finished      bool
}

var errFlaky = errors.New("the disk is full")

func (s *flakyStore) PostContributions(ctx context.Context, ps []batch.Posting) (int, error) {
	if s.calls++; s.calls >= s.failAt {
		return 0, errFlaky
	}
	return s.DB.PostContributions(ctx, ps)
}

func (s *flakyStore) StartPosting(ctx context.Context) (func(context.Context) error, error) {
	finish, err := s.DB.StartPosting(ctx)
	return func(ctx context.Context) error { s.finished = true; return finish(ctx) }, err
}

// A database error or a read error stops the import with that error (no
// goroutine left waiting), after what was committed and before anything
// more; the store is put back; the same file again completes it.
func TestImportStopsAtTheFirstError(t *testing.T) {
	ctx := context.Background()
	db, ref := seeded(t, "sqlite")
	file := pipelineFile(t, db)
	newImport := func(s batch.ContributionStore, rep io.Writer) *batch.ContributionImport {
		r, _ := batch.NewReport(rep)
		im := &batch.ContributionImport{Store: s, Ref: ref, Today: portal.NewDate(2026, 12, 2), Report: r, SortRows: 40}
		batch.SmallBatches(im, 20, 10)
		return im
	}
	before, _ := db.Totals(ctx)
	flaky := &flakyStore{DB: db, failAt: 3}
	sum, err := runWithin(t, newImport(flaky, io.Discard), strings.NewReader(file))
	if !errors.Is(err, errFlaky) || sum.Posted != 20 || !flaky.finished {
		t.Fatalf("database error: %+v %v (finished %v)", sum, err, flaky.finished)
	}
	if got, _ := db.Totals(ctx); got.Savings-before.Savings != 20 {
		t.Fatalf("%d movements written, want the 20 of the two committed transactions", got.Savings-before.Savings)
	}

	// A read error half-way: the run being read is not posted.
	broken := io.MultiReader(strings.NewReader(file[:len(file)/2]), iotest.ErrReader(io.ErrUnexpectedEOF))
	sum, err = runWithin(t, newImport(db, io.Discard), broken)
	if !errors.Is(err, io.ErrUnexpectedEOF) || sum.Read == 0 {
		t.Fatalf("read error: %+v %v", sum, err)
	}

	var rep bytes.Buffer
	sum, err = runWithin(t, newImport(db, &rep), strings.NewReader(file))
	if err != nil || sum.Read != 365 || sum.Posted+sum.Duplicates != 363 || sum.Duplicates < 21 {
		t.Fatalf("rerun: %+v %v", sum, err)
	}
	whole, wholeRef := seeded(t, "sqlite")
	r, _ := batch.NewReport(io.Discard)
	if _, err := (&batch.ContributionImport{Store: whole, Ref: wholeRef, Today: portal.NewDate(2026, 12, 2), Report: r}).Run(ctx, strings.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Totals(ctx)
	want, _ := whole.Totals(ctx)
	if got != want {
		t.Fatalf("after the errors and a rerun: %+v, want %+v", got, want)
	}
}

// runWithin runs im and fails the test if it does not return promptly (a
// goroutine of the pipeline left blocked).
func runWithin(t *testing.T, im *batch.ContributionImport, r io.Reader) (batch.Summary, error) {
	t.Helper()
	type result struct {
		sum batch.Summary
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, err := im.Run(context.Background(), r)
		done <- result{sum, err}
	}()
	select {
	case res := <-done:
		return res.sum, res.err
	case <-time.After(time.Minute):
		t.Fatal("the import did not return")
		return batch.Summary{}, nil
	}
}
