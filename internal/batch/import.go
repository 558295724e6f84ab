package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

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
//
// Four goroutines share the work: the reader splits and validates lines,
// the finder finds each line's person, the resolver looks up employers
// and credits and sorts each run, and the writer posts. The first three
// keep both cores busy while the file is read (the writer, SQLite's only
// one, has nothing to do until a run is complete: a file of up to
// SortRows lines is one run); the writer starts on a run as soon as its
// lowest range of people is sorted (sortrun.go), and posts one run while
// the next is read. Up to two runs are in memory at once.
const (
	ResolveRows = 20_000
	SortRows    = 2_000_000
	PostRows    = 100_000
)

// When the people registered are at most directoryPeoplePerLine times the
// file's lines, the finder loads every person's NSS lookup hash once (one
// scan of an index, about 1.3 µs a person) and finds each line's person
// in memory (a keyed hash and a map, under 1 µs), instead of one query
// per chunk (about 4 µs a line: at 100,000 people and 1,000,000 lines the
// queries had cost 4 s). directoryMaxPeople bounds the map's memory
// (about 30 bytes a person).
const (
	directoryPeoplePerLine = 2
	directoryMaxPeople     = 5_000_000
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
	// SortRows bounds the rows of one sorted run (0 means the default
	// SortRows, about 200 MB); two runs may be in memory at once.
	SortRows int

	// lookup forces how people are found (tests); lookupAuto chooses.
	lookup lookupMode
	// chunkRows and postRows replace ResolveRows and PostRows (tests, to
	// cut a small file into several runs and transactions).
	chunkRows, postRows int
}

type lookupMode int

const (
	lookupAuto lookupMode = iota
	lookupChunks
	lookupDirectory
)

// ErrHeader is returned when the first line is not the layout's header:
// nothing is posted.
var ErrHeader = errors.New("batch: wrong header")

// parsedChunk is what the reader hands on: accepted rows, and how far
// into the file they reach (for progress and for estimating the file's
// length in lines); the finder adds each row's person.
type parsedChunk struct {
	rows   []Contribution
	people []int64
	bytes  int64
	lines  int
}

// Run imports r. A wrong header stops it before anything is posted; a read
// error or a database error stops it after the batches already committed,
// which a new run of the same file completes.
func (im *ContributionImport) Run(ctx context.Context, r io.Reader) (Summary, error) {
	if im.Progress != nil {
		im.Progress.Start(im.Size)
		defer im.Progress.Finish()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		failOnce sync.Once
		failed   error
	)
	// The first error stops the other goroutines through ctx; theirs
	// (mostly context.Canceled) are not the cause.
	fail := func(err error) {
		failOnce.Do(func() { failed = err; cancel() })
	}
	// The reader, the finder of people and the resolver each work a
	// chunk ahead of the next: on two cores the three share the time the
	// writer waits for the file, instead of the slowest setting it.
	chunks := make(chan parsedChunk, 2)
	found := make(chan parsedChunk, 2)
	free := make(chan parsedChunk, 5)
	// Room for every piece of two runs, so sorting never waits for the
	// writer; spare bounds the runs in memory to two.
	pieces := make(chan sortedPiece, 2*sortBuckets+2)
	spare := make(chan []Posting, 2)
	var readSum, resolveSum, postSum Summary
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		defer close(chunks)
		if err := im.read(ctx, r, chunks, free, &readSum); err != nil {
			fail(err)
		}
	}()
	go func() {
		defer wg.Done()
		defer close(found)
		f := finder{im: im}
		for c := range chunks {
			if err := f.find(ctx, &c); err != nil {
				fail(err)
				return
			}
			select {
			case found <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		defer close(pieces)
		if err := im.resolveRuns(ctx, found, free, pieces, spare, &resolveSum); err != nil {
			fail(err)
		}
	}()
	if err := im.postRuns(ctx, pieces, spare, &postSum); err != nil {
		fail(err)
	}
	// The writer stops at the first error, and then ctx stops the others.
	wg.Wait()
	sum := Summary{Read: readSum.Read, Posted: postSum.Posted, Duplicates: postSum.Duplicates,
		Rejected: readSum.Rejected + resolveSum.Rejected, Warnings: readSum.Warnings + resolveSum.Warnings}
	if failed != nil {
		return sum, failed
	}
	return sum, im.Report.Flush()
}

// read checks the header and validates every line, handing the accepted
// ones on in chunks of ResolveRows; the rejected ones go to the report.
func (im *ContributionImport) read(ctx context.Context, r io.Reader, chunks chan<- parsedChunk, free <-chan parsedChunk, sum *Summary) error {
	sc := newScan(r, ContributionsHeader, im.Report, sum)
	rules := contributionRules{today: im.Today, ref: im.Ref}
	chunkRows := ResolveRows
	if im.chunkRows > 0 {
		chunkRows = im.chunkRows
	}
	next := parsedChunk{rows: make([]Contribution, 0, chunkRows)}
	send := func() error {
		next.bytes, next.lines = sc.bytesRead(), sum.Read
		select {
		case chunks <- next:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case next = <-free:
		default:
			next = parsedChunk{rows: make([]Contribution, 0, chunkRows)}
		}
		return nil
	}
	err := sc.run(ctx, func(n int, fields []string) (string, string, error) {
		c, reject, warn := rules.parse(n, fields)
		if reject != "" {
			return reject, "", nil
		}
		next.rows = append(next.rows, c)
		if len(next.rows) == chunkRows {
			if err := send(); err != nil {
				return "", "", err
			}
		}
		return "", warn, nil
	})
	if err != nil {
		return err
	}
	return send()
}

// resolveRuns turns the reader's chunks into postings, and every SortRows
// of them (and the rest at the end) into a run it sorts for the writer.
// A third run waits for the writer to give back the first one's memory.
func (im *ContributionImport) resolveRuns(ctx context.Context, chunks <-chan parsedChunk, free chan<- parsedChunk, pieces chan<- sortedPiece, spare <-chan []Posting, sum *Summary) error {
	sortRows := sortRowsOrDefault(im.SortRows)
	// Room for a run, sized from the file (a line is 80–120 bytes) so a
	// small file does not reserve 200 MB; growing the slice instead had
	// cost 5 s.
	room := max(ResolveRows, min(int64(sortRows), im.Size/60))
	staged := make([]Posting, 0, room)
	runs := 1
	res := resolver{im: im, employers: employerCache{}}
	hand := func(more bool) error {
		run := staged
		err := sortInPieces(run, func(to int) error {
			select {
			case pieces <- sortedPiece{run: run, to: to, last: to == len(run)}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if err != nil || !more {
			return err
		}
		if runs < 2 {
			runs++
			staged = make([]Posting, 0, room)
			return nil
		}
		select {
		case staged = <-spare:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for c := range chunks {
		var err error
		if staged, err = res.resolve(ctx, c, staged, sum); err != nil {
			return err
		}
		select {
		case free <- parsedChunk{rows: c.rows[:0], people: c.people[:0]}:
		default:
		}
		if im.Progress != nil {
			im.Progress.Set(c.bytes)
		}
		if len(staged) >= sortRows {
			if err := hand(true); err != nil {
				return err
			}
		}
	}
	// The reader stopped early (an error, or ctx): post nothing more.
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(staged) == 0 {
		return nil
	}
	return hand(false)
}

// postRuns writes the sorted pieces in transactions of PostRows (fewer at
// the end of a run), then gives the run's memory back.
func (im *ContributionImport) postRuns(ctx context.Context, pieces <-chan sortedPiece, spare chan<- []Posting, sum *Summary) (err error) {
	finish, err := im.Store.StartPosting(ctx)
	if err != nil {
		return err
	}
	// Put the database back even when ctx was cancelled.
	defer func() { err = errors.Join(err, finish(context.WithoutCancel(ctx))) }()
	perTx := PostRows
	if im.postRows > 0 {
		perTx = im.postRows
	}
	done := 0 // rows of the current run posted
	for p := range pieces {
		for p.to-done >= perTx || p.last && done < p.to {
			end := min(done+perTx, p.to)
			chunk := p.run[done:end]
			posted, err := im.Store.PostContributions(ctx, chunk)
			if err != nil {
				return err
			}
			sum.Posted += posted
			sum.Duplicates += len(chunk) - posted
			done = end
		}
		if p.last {
			done = 0
			select {
			case spare <- p.run[:0]:
			default:
			}
		}
	}
	return nil
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

// resolver looks up the employers and credits of the finder's chunks.
type resolver struct {
	im        *ContributionImport
	employers employerCache
}

// resolve looks up the employers and live credits of c's rows and appends
// their postings to staged; unknown people are rejected here.
func (res *resolver) resolve(ctx context.Context, c parsedChunk, staged []Posting, sum *Summary) ([]Posting, error) {
	cs := c.rows
	if len(cs) == 0 {
		return staged, nil
	}
	im, people := res.im, c.people
	var es []employment.Employer // those not seen yet in this file
	for _, c := range cs {
		if _, ok := res.employers[c.RegistroPatronal]; !ok {
			es = append(es, employment.Employer{RegistroPatronal: c.RegistroPatronal, RazonSocial: c.RazonSocial})
		}
	}
	if err := res.employers.resolve(ctx, im.Store.EmployerIDs, es); err != nil {
		return staged, err
	}
	// Only an amortization needs the person's credit: most lines carry
	// none, and asking for every line's person had cost a second a file.
	var borrowers []int64
	for i, c := range cs {
		if c.Amortization > 0 && people[i] != 0 {
			borrowers = append(borrowers, people[i])
		}
	}
	creditOf := map[int64]int64{}
	if len(borrowers) > 0 {
		ids, err := im.Store.LiveCreditIDs(ctx, borrowers)
		if err != nil {
			return staged, err
		}
		for i, p := range borrowers {
			creditOf[p] = ids[i]
		}
	}
	for i, c := range cs {
		reject, warn := "", ""
		credit := creditOf[people[i]]
		switch {
		case people[i] == 0:
			reject = rejectUnknownPerson
		case c.Amortization > 0 && credit == 0 && c.Amount == 0:
			reject = "Trae solo amortización y la persona no tiene un crédito vigente al que aplicarla."
		case c.Amortization > 0 && credit == 0:
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
		staged = append(staged, Posting{PersonID: people[i], EmployerID: res.employers[c.RegistroPatronal], CreditID: credit, Bimestre: c.Bimestre,
			PaidOn: c.PaidOn, DailySalary: c.DailySalary, Days: c.Days, Amount: c.Amount, Amortization: c.Amortization, line: c.Line})
	}
	return staged, nil
}

// finder finds the people of the reader's chunks.
type finder struct {
	im        *ContributionImport
	people    int64 // PeopleCount, once asked
	asked     bool
	directory PersonDirectory
}

// find sets c.people: from the directory once the file has shown itself
// large against the registry, else with one query per chunk.
func (f *finder) find(ctx context.Context, c *parsedChunk) error {
	if len(c.rows) == 0 {
		return nil
	}
	if f.directory == nil {
		load, err := f.wantDirectory(ctx, *c)
		if err != nil {
			return err
		}
		if load {
			if f.directory, err = f.im.Store.PersonDirectory(ctx); err != nil {
				return err
			}
		}
	}
	if f.directory != nil {
		for _, row := range c.rows {
			c.people = append(c.people, f.directory.PersonID(row.NSS))
		}
		return nil
	}
	nss := make([]ident.NSS, len(c.rows))
	for i, row := range c.rows {
		nss[i] = row.NSS
	}
	var err error
	c.people, err = f.im.Store.PersonIDsByNSS(ctx, nss)
	return err
}

// wantDirectory estimates the file's lines from what has been read (its
// size over the bytes per line so far; the lines so far when the size is
// unknown, as on standard input, so the choice is made again each chunk).
func (f *finder) wantDirectory(ctx context.Context, c parsedChunk) (bool, error) {
	switch f.im.lookup {
	case lookupChunks:
		return false, nil
	case lookupDirectory:
		return true, nil
	}
	if !f.asked {
		n, err := f.im.Store.PeopleCount(ctx)
		if err != nil {
			return false, err
		}
		f.people, f.asked = n, true
	}
	lines := int64(c.lines)
	if size := f.im.Size; size > 0 && c.bytes > 0 {
		lines = max(lines, int64(float64(lines)*float64(size)/float64(c.bytes)))
	}
	return f.people <= directoryMaxPeople && f.people <= lines*directoryPeoplePerLine, nil
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
