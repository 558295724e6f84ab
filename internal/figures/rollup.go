package figures

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"micuenta/internal/metrics"
	"micuenta/internal/portal"
)

// Service rolls the figures up and reads them for the dashboard.
type Service struct {
	store Store
	now   func() time.Time
	pages *PageCounter
}

// New builds a Service.
func New(s Store, now func() time.Time) *Service {
	return &Service{store: s, now: now, pages: &PageCounter{counts: map[string]int64{}}}
}

// Pages is this process's page-view counter, to wrap the people's site.
func (s *Service) Pages() *PageCounter { return s.pages }

const (
	rolledKey   = "figures_rolled_through" // the last day rolled up after it ended
	snapshotKey = "figures_snapshot_day"   // the last day whose close was recorded
	// A first roll-up (a new installation, or one upgraded to this
	// version) goes back to the audit log's first entry, but no further
	// than these: derived figures are cheap per day, snapshots are not.
	maxBackfillDays         = 400
	maxSnapshotBackfillDays = 35
)

// RollUp brings the daily figures up to now: the derived figures of every
// day since the last completed roll-up (always yesterday and today, since
// codes pending at midnight are settled later), the close of every day not
// yet recorded, and this process's page views. Serve runs it on every
// housekeeping pass; it is safe from several processes at once (derived
// figures are replaced, snapshots recomputed identically, page views
// added by the process that counted them).
func (s *Service) RollUp(ctx context.Context) error {
	now := s.now()
	today := portal.DateOf(now)
	yesterday := today.AddDays(-1)
	first, err := s.store.FirstActivity(ctx)
	if err != nil {
		return err
	}
	earliest := yesterday
	if !first.IsZero() {
		earliest = latest(portal.DateOf(first), today.AddDays(-maxBackfillDays))
	}
	start, err := s.mark(ctx, rolledKey, earliest)
	if err != nil {
		return err
	}
	start = earliestOf(start, yesterday)
	for d := start; !today.Before(d); d = d.AddDays(1) {
		from, to := DayBounds(d)
		if err := s.store.RollUpDay(ctx, d, from, to); err != nil {
			return err
		}
	}
	if err := s.store.SetMeta(ctx, rolledKey, yesterday.String()); err != nil {
		return err
	}

	snapFrom, err := s.mark(ctx, snapshotKey, latest(earliest, today.AddDays(-maxSnapshotBackfillDays)).AddDays(-1))
	if err != nil {
		return err
	}
	for d := snapFrom.AddDays(1); !yesterday.Before(d); d = d.AddDays(1) {
		_, close := DayBounds(d)
		if err := s.store.SnapshotDay(ctx, d, close); err != nil {
			return err
		}
		if err := s.store.SetMeta(ctx, snapshotKey, d.String()); err != nil {
			return err
		}
	}
	return s.pages.flush(ctx, s.store, today)
}

// mark reads a day kept in meta, or returns otherwise when there is none.
func (s *Service) mark(ctx context.Context, key string, otherwise portal.Date) (portal.Date, error) {
	v, err := s.store.Meta(ctx, key)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return otherwise, nil
	}
	if err != nil {
		return portal.Date{}, err
	}
	d, err := portal.ParseDate(v)
	if err != nil {
		return portal.Date{}, fmt.Errorf("figures: meta %s: %w", key, err)
	}
	return d, nil
}

func latest(a, b portal.Date) portal.Date {
	if a.Before(b) {
		return b
	}
	return a
}

func earliestOf(a, b portal.Date) portal.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// PageCounter counts successful page loads of the people's site by route
// in memory; RollUp adds them to the day's figures. A crash loses at most
// one housekeeping interval of page views, never anything else.
type PageCounter struct {
	mu     sync.Mutex
	counts map[string]int64
}

// Wrap counts the pages mux serves. Wrap the mux itself, like
// metrics.Requests, so the matched route is known.
func (p *PageCounter) Wrap(mux http.Handler) http.Handler {
	return metrics.Observe(mux, func(r *http.Request, status int, _ time.Duration) {
		if r.Method != http.MethodGet || status >= 300 || r.Pattern == "" || !isPage(r.Pattern) {
			return
		}
		p.mu.Lock()
		p.counts[r.Pattern]++
		p.mu.Unlock()
	})
}

// isPage leaves out what is not a page someone reads: static files and
// health checks.
func isPage(pattern string) bool {
	for _, skip := range []string{"GET /static/", "GET /healthz", "GET /readyz"} {
		if pattern == skip {
			return false
		}
	}
	return true
}

// flush adds the counts to day's figures and forgets them; on failure
// they are kept for the next pass.
func (p *PageCounter) flush(ctx context.Context, s Store, day portal.Date) error {
	p.mu.Lock()
	counts := p.counts
	p.counts = map[string]int64{}
	p.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	if err := s.AddFigures(ctx, day, PageViews, counts); err != nil {
		p.mu.Lock()
		for k, v := range counts {
			p.counts[k] += v
		}
		p.mu.Unlock()
		return err
	}
	return nil
}
