package batch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
)

// Summary counts what happened to every line after the header:
// Read = Posted + Duplicates + Rejected, always. Warnings are posted lines
// flagged in the report.
type Summary struct {
	Read, Posted, Duplicates, Rejected, Warnings int
}

// Progress is told how many bytes of the file are done.
type Progress interface {
	Start(total int64)
	Set(done int64)
	Finish()
}

// How rows flow to the database. A bimester file arrives employer by
// employer, but the ledger's unique index is by person, so rows posted in
// file order would touch every index page in every transaction, and each
// commit would write them all again. Instead accepted rows are resolved in
// chunks of ResolveRows (people, employers and credits looked up together),
// collected up to SortRows (about 100 bytes each), sorted by person, and
// posted in transactions of PostRows: each index page is then written once
// per SortRows instead of once per transaction.
const (
	ResolveRows = 20_000
	SortRows    = 2_000_000
	PostRows    = 100_000
)

// ContributionImport reads and posts one contributions file.
type ContributionImport struct {
	Store    ContributionStore
	Ref      *reference.Table
	Today    portal.Date
	Report   *Report
	Progress Progress
	// Size is the file's size in bytes for the progress bar (0 unknown).
	Size int64
	// SortRows bounds the rows held in memory to be sorted before posting
	// (0 means the default SortRows, about 200 MB).
	SortRows int

	employers employerCache
}

// ErrHeader is returned when the first line is not the layout's header:
// nothing is posted.
var ErrHeader = errors.New("batch: wrong header")

// Run imports r. A wrong header stops it before anything is posted; a read
// error or a database error stops it after the batches already committed,
// which a new run of the same file completes.
func (im *ContributionImport) Run(ctx context.Context, r io.Reader) (Summary, error) {
	var sum Summary
	sc := newScan(r, ContributionsHeader, im.Report, &sum)
	if im.Progress != nil {
		im.Progress.Start(im.Size)
		defer im.Progress.Finish()
	}
	im.employers = employerCache{}
	rules := contributionRules{today: im.Today, ref: im.Ref}
	sortRows := sortRowsOrDefault(im.SortRows)
	pending := make([]Contribution, 0, ResolveRows)
	// Room for the sorted run, sized from the file (a line is 80–120
	// bytes) so a small file does not reserve 200 MB.
	staged := make([]Posting, 0, max(ResolveRows, min(int64(sortRows), im.Size/60)))
	// resolve turns the pending rows into postings; post writes the staged
	// postings. Both run when their buffer is full and at the end.
	resolve := func() error {
		var err error
		staged, err = im.resolve(ctx, pending, staged, &sum)
		pending = pending[:0]
		if im.Progress != nil {
			im.Progress.Set(sc.bytesRead())
		}
		return err
	}
	post := func() error {
		if err := im.post(ctx, staged, &sum); err != nil {
			return err
		}
		staged = staged[:0]
		return nil
	}
	err := sc.run(ctx, func(n int, fields []string) (string, string, error) {
		c, reject, warn := rules.parse(n, fields)
		if reject != "" {
			return reject, "", nil
		}
		pending = append(pending, c)
		if len(pending) == ResolveRows {
			if err := resolve(); err != nil {
				return "", "", err
			}
			if len(staged) >= sortRows {
				if err := post(); err != nil {
					return "", "", err
				}
			}
		}
		return "", warn, nil
	})
	if err == nil {
		if err = resolve(); err == nil {
			err = post()
		}
	}
	if err != nil {
		return sum, err
	}
	return sum, im.Report.Flush()
}

func sortRowsOrDefault(n int) int {
	if n <= 0 {
		return SortRows
	}
	return n
}

func checkHeader(l line, want []string) error {
	got, ok := splitCSV(strings.ToLower(string(l.text)), nil)
	match := ok && !l.tooLong && !l.badUTF8 && len(got) == len(want)
	for i := 0; match && i < len(want); i++ {
		match = strings.TrimSpace(got[i]) == want[i]
	}
	if match {
		return nil
	}
	shown := string(l.text)
	if l.tooLong || l.badUTF8 || len(shown) > 200 {
		shown = "(not text, or too long to show)"
	}
	return fmt.Errorf("%w: expected %q, found %q; check that this is the right kind of file, saved as UTF-8 CSV", ErrHeader, strings.Join(want, ","), shown)
}

// resolve looks up the people, employers and live credits of cs and
// appends their postings to staged; unknown people are rejected here.
func (im *ContributionImport) resolve(ctx context.Context, cs []Contribution, staged []Posting, sum *Summary) ([]Posting, error) {
	if len(cs) == 0 {
		return staged, nil
	}
	nss := make([]ident.NSS, len(cs))
	for i, c := range cs {
		nss[i] = c.NSS
	}
	people, err := im.Store.PersonIDsByNSS(ctx, nss)
	if err != nil {
		return staged, err
	}
	es := make([]employment.Employer, len(cs))
	for i, c := range cs {
		es[i] = employment.Employer{RegistroPatronal: c.RegistroPatronal, RazonSocial: c.RazonSocial}
	}
	if err := im.employers.resolve(ctx, im.Store.EmployerIDs, es); err != nil {
		return staged, err
	}
	credits, err := im.Store.LiveCreditIDs(ctx, people)
	if err != nil {
		return staged, err
	}
	for i, c := range cs {
		reject, warn := "", ""
		switch {
		case people[i] == 0:
			reject = rejectUnknownPerson
		case c.Amortization > 0 && credits[i] == 0 && c.Amount == 0:
			reject = "Trae solo amortización y la persona no tiene un crédito vigente al que aplicarla."
		case c.Amortization > 0 && credits[i] == 0:
			warn = "Trae amortización pero la persona no tiene un crédito vigente; la amortización no se aplicó."
		}
		if reject != "" {
			sum.Rejected++
			if err := im.Report.Add(c.Line, Rejected, reject); err != nil {
				return staged, err
			}
			continue
		}
		if warn != "" {
			sum.Warnings++
			if err := im.Report.Add(c.Line, Warning, warn); err != nil {
				return staged, err
			}
		}
		staged = append(staged, Posting{PersonID: people[i], EmployerID: im.employers[c.RegistroPatronal], CreditID: credits[i], Bimestre: c.Bimestre,
			PaidOn: c.PaidOn, DailySalary: c.DailySalary, Days: c.Days, Amount: c.Amount, Amortization: c.Amortization})
	}
	return staged, nil
}

// post sorts the staged postings by person (stable: of two rows with the
// same key, the earlier line is posted and the later one is the
// duplicate) and writes them in transactions of PostRows.
func (im *ContributionImport) post(ctx context.Context, ps []Posting, sum *Summary) error {
	slices.SortStableFunc(ps, func(a, b Posting) int {
		return cmp.Or(cmp.Compare(a.PersonID, b.PersonID), cmp.Compare(a.Bimestre.Key(), b.Bimestre.Key()), cmp.Compare(a.EmployerID, b.EmployerID))
	})
	for start := 0; start < len(ps); start += PostRows {
		chunk := ps[start:min(start+PostRows, len(ps))]
		posted, err := im.Store.PostContributions(ctx, chunk)
		if err != nil {
			return err
		}
		sum.count(posted)
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
