package account

import (
	"context"
	"time"
)

// RateStore counts hits per key in fixed windows, in the database, so the
// limits hold across every serve process.
type RateStore interface {
	// HitRate adds one to key's counter for the window starting at
	// windowStart and returns the new count.
	HitRate(ctx context.Context, key string, windowStart time.Time) (int, error)
}

// Limiter applies fixed-window limits.
type Limiter struct {
	store RateStore
	now   func() time.Time
}

// NewLimiter builds a limiter.
func NewLimiter(s RateStore, now func() time.Time) *Limiter { return &Limiter{store: s, now: now} }

// Allow counts one hit on key and reports whether it is within limit hits
// per window; when not, retryAfter says how long until the window ends.
func (l *Limiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, retryAfter time.Duration, err error) {
	now := l.now().UTC()
	start := now.Truncate(window)
	n, err := l.store.HitRate(ctx, key, start)
	if err != nil {
		return false, 0, err
	}
	if n > limit {
		return false, start.Add(window).Sub(now), nil
	}
	return true, 0, nil
}
