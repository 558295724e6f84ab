package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// BatchRows is how many rows one transaction posts: large enough that the
// commit cost vanishes, small enough that a kill loses little work.
const BatchRows = 5000

// ContributionImport reads and posts one contributions file.
type ContributionImport struct {
	Store    ContributionStore
	Ref      *reference.Table
	Today    portal.Date
	Report   *Report
	Progress Progress
	// Size is the file's size in bytes for the progress bar (0 unknown).
	Size int64

	employers map[string]int64 // registro patronal → id, across batches
}

// ErrHeader is returned when the first line is not the layout's header:
// nothing is posted.
var ErrHeader = errors.New("batch: wrong header")

// Run imports r. A wrong header stops it before anything is posted; a read
// error or a database error stops it after the batches already committed,
// which a new run of the same file completes.
func (im *ContributionImport) Run(ctx context.Context, r io.Reader) (Summary, error) {
	var sum Summary
	cr := &countingReader{r: r}
	lr := newLineReader(cr)
	if im.Progress != nil {
		im.Progress.Start(im.Size)
		defer im.Progress.Finish()
	}
	im.employers = map[string]int64{}
	head, err := lr.next()
	if err != nil {
		if errors.Is(err, errNoMoreLines) {
			return sum, fmt.Errorf("%w: the file is empty; expected the header %q", ErrHeader, strings.Join(ContributionsHeader, ","))
		}
		return sum, err
	}
	if err := checkHeader(head, ContributionsHeader); err != nil {
		return sum, err
	}
	rules := contributionRules{today: im.Today, ref: im.Ref}
	pending := make([]Contribution, 0, BatchRows)
	fields := make([]string, 0, 16)
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if err := im.post(ctx, pending, &sum); err != nil {
			return err
		}
		pending = pending[:0]
		if im.Progress != nil {
			im.Progress.Set(cr.n)
		}
		return nil
	}
	for {
		l, err := lr.next()
		if errors.Is(err, errNoMoreLines) {
			break
		}
		if err != nil {
			return sum, fmt.Errorf("reading line %d: %w", lr.n, err)
		}
		sum.Read++
		reject := ""
		switch {
		case l.tooLong:
			reject = fmt.Sprintf("La línea mide más de %d bytes; no es una línea de este formato.", MaxLineBytes)
		case l.badUTF8:
			reject = "La línea no está en UTF-8; guarda el archivo como UTF-8."
		case len(l.text) == 0:
			reject = "Línea vacía."
		}
		var c Contribution
		warn := ""
		if reject == "" {
			var ok bool
			fields, ok = splitCSV(string(l.text), fields)
			switch {
			case !ok:
				reject = "Hay unas comillas sin cerrar."
			case len(fields) != len(ContributionsHeader) && l.finalNoEOL:
				reject = fmt.Sprintf("La última línea está incompleta (%d de %d campos); el archivo parece cortado.", len(fields), len(ContributionsHeader))
			case len(fields) != len(ContributionsHeader):
				reject = fmt.Sprintf("La línea tiene %d campos y deben ser %d.", len(fields), len(ContributionsHeader))
			default:
				c, reject, warn = rules.parse(l.n, fields)
			}
		}
		if reject != "" {
			sum.Rejected++
			if err := im.Report.Add(l.n, Rejected, reject); err != nil {
				return sum, err
			}
			continue
		}
		if warn != "" {
			sum.Warnings++
			if err := im.Report.Add(l.n, Warning, warn); err != nil {
				return sum, err
			}
		}
		pending = append(pending, c)
		if len(pending) == BatchRows {
			if err := flush(); err != nil {
				return sum, err
			}
		}
	}
	if err := flush(); err != nil {
		return sum, err
	}
	return sum, im.Report.Flush()
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

// post resolves one batch's people, employers and credits and posts it.
func (im *ContributionImport) post(ctx context.Context, cs []Contribution, sum *Summary) error {
	nss := make([]ident.NSS, len(cs))
	for i, c := range cs {
		nss[i] = c.NSS
	}
	people, err := im.Store.PersonIDsByNSS(ctx, nss)
	if err != nil {
		return err
	}
	var unknown []employment.Employer
	for _, c := range cs {
		if _, ok := im.employers[c.RegistroPatronal]; !ok {
			im.employers[c.RegistroPatronal] = 0
			unknown = append(unknown, employment.Employer{RegistroPatronal: c.RegistroPatronal, RazonSocial: c.RazonSocial})
		}
	}
	if len(unknown) > 0 {
		ids, err := im.Store.EmployerIDs(ctx, unknown)
		if err != nil {
			return err
		}
		for i, e := range unknown {
			if ids[i] == 0 {
				return fmt.Errorf("employer %s was not stored", e.RegistroPatronal)
			}
			im.employers[e.RegistroPatronal] = ids[i]
		}
	}
	credits, err := im.Store.LiveCreditIDs(ctx, people)
	if err != nil {
		return err
	}
	ps := make([]Posting, 0, len(cs))
	for i, c := range cs {
		if people[i] == 0 {
			sum.Rejected++
			if err := im.Report.Add(c.Line, Rejected, "No hay una persona con ese NSS en el registro del Fondo."); err != nil {
				return err
			}
			continue
		}
		if c.Amortization > 0 && credits[i] == 0 && c.Amount == 0 {
			sum.Rejected++
			if err := im.Report.Add(c.Line, Rejected, "Trae solo amortización y la persona no tiene un crédito vigente al que aplicarla."); err != nil {
				return err
			}
			continue
		}
		if c.Amortization > 0 && credits[i] == 0 {
			sum.Warnings++
			if err := im.Report.Add(c.Line, Warning, "Trae amortización pero la persona no tiene un crédito vigente; la amortización no se aplicó."); err != nil {
				return err
			}
		}
		ps = append(ps, Posting{PersonID: people[i], EmployerID: im.employers[c.RegistroPatronal], CreditID: credits[i], Bimestre: c.Bimestre,
			PaidOn: c.PaidOn, DailySalary: c.DailySalary, Days: c.Days, Amount: c.Amount, Amortization: c.Amortization})
	}
	posted, err := im.Store.PostContributions(ctx, ps)
	if err != nil {
		return err
	}
	for _, ok := range posted {
		if ok {
			sum.Posted++
		} else {
			sum.Duplicates++
		}
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
