// Package synth makes a synthetic population that looks like the fund's
// real one: valid identifiers (through package ident), Mexican names,
// states weighted as the portal's users are, ages 18–70, employment
// histories, five years (or Params.Years) of bimonthly contributions at 5%
// of the capped salary, and about a third with a mortgage (in pesos, in
// VSM, paid off, some from 1972–2007), some pensioners.
//
// It is deterministic: the same parameters always give the same people,
// and each person's history comes from a random stream of its own, so a
// load that was interrupted resumes where it stopped and ends with exactly
// the records an uninterrupted load would have written.
package synth

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"micuenta/internal/employment"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/store"
)

// Params chooses the population.
type Params struct {
	People int
	Seed   uint64
	// AsOf is the population's "today": histories end on it.
	AsOf portal.Date
	// Years is how many years of bimonthly contributions each person
	// gets (earlier savings come as balances brought forward); 0 means 5.
	// Fewer years make a smaller database for the same registry.
	Years int
	// BatchSize is how many people are written per transaction.
	BatchSize int
}

// Sink receives the records; *store.DB is one.
type Sink interface {
	LoadEmployers(ctx context.Context, es []employment.Employer) error
	LoadRecordsInOrder(ctx context.Context, r *store.Records, ready func() error) (store.LoadCounts, error)
	ParallelLoads() int
	MaxPersonID(ctx context.Context) (int64, error)
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
}

// Progress is told how many people are done; the CLI draws it.
type Progress interface {
	Start(total int64)
	Set(done int64)
	Finish()
}

// Summary counts what a run wrote.
type Summary struct {
	Skipped int64 // people already present from an earlier run
	store.LoadCounts
}

// Generator makes people in order.
type Generator struct {
	p         Params
	ref       *reference.Table
	ids       *identities
	employers []employment.Employer
	empCum    []int64
	firstB    portal.Bimestre
	lastB     portal.Bimestre
}

// NewGenerator prepares a population; ref supplies UMA, minimum wages,
// UMI and yields.
func NewGenerator(p Params, ref *reference.Table) (*Generator, error) {
	if p.People < 1 {
		return nil, errors.New("synth: --people must be at least 1")
	}
	if p.People > 99_999_999 {
		return nil, errors.New("synth: --people must be below 100 million")
	}
	if p.AsOf.IsZero() {
		return nil, errors.New("synth: the population needs a date (AsOf)")
	}
	if p.BatchSize <= 0 {
		p.BatchSize = 2000
	}
	if p.Years == 0 {
		p.Years = DefaultYears
	}
	if p.Years < 1 || p.Years > DefaultYears {
		return nil, fmt.Errorf("synth: --years must be from 1 to %d", DefaultYears)
	}
	g := &Generator{p: p, ref: ref, ids: newIdentities(p.People)}
	g.lastB = lastPaidBimester(p.AsOf)
	g.firstB = g.lastB
	for range p.Years*6 - 1 { // six bimesters a year
		g.firstB = prevBimester(g.firstB)
	}
	if _, err := ref.At(reference.UMADiaria, g.firstB.First()); err != nil {
		return nil, fmt.Errorf("synth: no UMA for %s: load the reference values first", g.firstB)
	}
	g.makeEmployers()
	return g, nil
}

// DefaultYears is the contribution history a person gets unless told.
const DefaultYears = 5

// metaKey records which population a database holds.
const metaKey = "synth.population"

func (p Params) describe() string {
	d := fmt.Sprintf("seed=%d people=%d as-of=%s", p.Seed, p.People, p.AsOf)
	if p.Years != DefaultYears { // five years was the only history once; its key stays
		d += fmt.Sprintf(" years=%d", p.Years)
	}
	return d
}

// Employers returns the employer pool.
func (g *Generator) Employers() []employment.Employer { return g.employers }

// Run writes the population to sink. If the database already holds this
// same population partly (an interrupted run) it completes it; if it holds
// a different one it refuses, because mixing two would corrupt both.
func (g *Generator) Run(ctx context.Context, sink Sink, progress Progress) (Summary, error) {
	var sum Summary
	want := g.p.describe()
	have, err := sink.Meta(ctx, metaKey)
	switch {
	case portal.ErrorCode(err) == portal.ENOTFOUND:
		if n, err := sink.MaxPersonID(ctx); err != nil {
			return sum, err
		} else if n > 0 {
			return sum, fmt.Errorf("synth: the database already holds people that micuenta seed did not make; seed a fresh database")
		}
		if err := sink.SetMeta(ctx, metaKey, want); err != nil {
			return sum, err
		}
	case err != nil:
		return sum, err
	case have != want:
		return sum, fmt.Errorf("synth: the database already holds another population (%s); seed a fresh database or repeat that command", have)
	}
	if err := sink.LoadEmployers(ctx, g.employers); err != nil {
		return sum, err
	}
	done, err := sink.MaxPersonID(ctx)
	if err != nil {
		return sum, err
	}
	progress.Start(int64(g.p.People))
	defer progress.Finish()

	// Generation and writing overlap: one goroutine makes batches while
	// the writers load the ones before.
	batches := make(chan *store.Records, 2)
	genCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	genErr := make(chan error, 1)
	go func() {
		defer close(batches)
		genErr <- g.generate(genCtx, done, batches)
	}()
	sum.Skipped = done
	if err := g.load(ctx, sink, batches, done, progress, &sum.LoadCounts); err != nil {
		cancel()
		for range batches {
		}
		return sum, err
	}
	if err := <-genErr; err != nil {
		return sum, err
	}
	return sum, ctx.Err()
}

// turn is one batch's place in the commit order: it commits only after
// the turn before it has committed, and ok says whether it did (set
// before done is closed).
type turn struct {
	b      *store.Records
	before *turn
	done   chan struct{}
	ok     bool
}

// errEarlierBatch stops a batch whose predecessor failed: committing it
// would leave a gap that a resumed run could not see.
var errEarlierBatch = errors.New("synth: an earlier batch was not written")

// load writes the batches with as many writers as the sink takes, in
// order: each batch commits only after the one before it, so whenever the
// process stops the database holds the first k batches and no others —
// which is what lets a later run resume after the highest person id. A
// failed batch fails the ones after it; those before it still commit.
func (g *Generator) load(ctx context.Context, sink Sink, batches <-chan *store.Records, written int64, progress Progress, sum *store.LoadCounts) error {
	stop := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		once.Do(func() { close(stop) })
	}
	turns := make(chan *turn)
	go func() {
		defer close(turns)
		first := &turn{done: make(chan struct{}), ok: true}
		close(first.done)
		prev := first
		for b := range batches {
			t := &turn{b: b, before: prev, done: make(chan struct{})}
			select {
			case turns <- t:
			case <-stop:
				return
			}
			prev = t
		}
	}()
	var wg sync.WaitGroup
	for range max(1, sink.ParallelLoads()) {
		wg.Go(func() {
			for t := range turns {
				before := t.before
				t.before = nil // the chain of turns must not keep every batch alive
				c, err := sink.LoadRecordsInOrder(ctx, t.b, func() error {
					select {
					case <-before.done:
					case <-ctx.Done():
						return ctx.Err()
					}
					if !before.ok {
						return errEarlierBatch
					}
					return nil
				})
				people := int64(len(t.b.People))
				t.b = nil
				if err != nil {
					fail(err)
					close(t.done)
					continue
				}
				mu.Lock()
				sum.People += c.People
				sum.Relations += c.Relations
				sum.Savings += c.Savings
				sum.Credits += c.Credits
				sum.CreditMovements += c.CreditMovements
				written += people
				progress.Set(written)
				mu.Unlock()
				t.ok = true
				close(t.done)
			}
		})
	}
	wg.Wait()
	return firstErr
}

// generate makes every person in order; people up to skip already exist,
// so only their identities are drawn (the uniqueness state needs them).
func (g *Generator) generate(ctx context.Context, skip int64, out chan<- *store.Records) error {
	batch := &store.Records{}
	for i := int64(1); i <= int64(g.p.People); i++ {
		idRng := rand.New(rand.NewPCG(g.p.Seed, uint64(i)<<1))
		p := g.person(i, idRng)
		if i <= skip {
			continue
		}
		hRng := rand.New(rand.NewPCG(g.p.Seed, uint64(i)<<1|1))
		h := g.history(p, hRng)
		batch.People = append(batch.People, p)
		batch.Relations = append(batch.Relations, h.relations...)
		batch.Savings = append(batch.Savings, h.savings...)
		if c, moves := g.mortgage(p, h, hRng); c != nil {
			batch.Credits = append(batch.Credits, *c)
			batch.CreditMovements = append(batch.CreditMovements, moves...)
		}
		if len(batch.People) == g.p.BatchSize || i == int64(g.p.People) {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = &store.Records{}
		}
	}
	return nil
}

// makeEmployers draws the employer pool: one employer per 25 people, with
// a few large ones and many small, as in the IMSS registry.
func (g *Generator) makeEmployers() {
	n := max(20, g.p.People/25)
	rng := rand.New(rand.NewPCG(g.p.Seed, 1<<62))
	g.employers = make([]employment.Employer, n)
	g.empCum = make([]int64, n)
	var cum int64
	for i := range g.employers {
		stem := companyStems[rng.IntN(len(companyStems))]
		name := companyNames[rng.IntN(len(companyNames))]
		form := companyForms[rng.IntN(len(companyForms))]
		g.employers[i] = employment.Employer{
			ID:               int64(i + 1),
			RegistroPatronal: fmt.Sprintf("%c%02d%08d", 'A'+rune(rng.IntN(26)), rng.IntN(100), i+1),
			RazonSocial:      fmt.Sprintf("%s %s %s", stem, name, form),
			State:            pick(rng, stateWeights),
		}
		// Zipf-like sizes: employer k weighs about 1/k.
		cum += int64(1_000_000 / (i + 10))
		g.empCum[i] = cum
	}
}

func (g *Generator) pickEmployer(rng *rand.Rand) int64 {
	r := rng.Int64N(g.empCum[len(g.empCum)-1])
	lo, hi := 0, len(g.empCum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if g.empCum[mid] > r {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return g.employers[lo].ID
}

// DefaultAsOf is today in Mexico City, the date a population is made for
// when none is given.
func DefaultAsOf() portal.Date { return portal.DateOf(time.Now()) }
