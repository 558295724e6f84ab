package store

import (
	"context"
	"fmt"
	"time"
)

// HitRate implements account.RateStore with one upsert: concurrent hits
// from several processes each see their own count.
func (db *DB) HitRate(ctx context.Context, key string, windowStart time.Time) (int, error) {
	var n int
	err := db.queryRowW(ctx, `INSERT INTO rate_counters (key, window_start, count) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + 1 RETURNING count`,
		key, windowStart.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: rate counter: %w", err)
	}
	return n, nil
}

// PurgeRateCounters removes windows that ended before cutoff.
func (db *DB) PurgeRateCounters(ctx context.Context, cutoff time.Time) (int, error) {
	res, err := db.exec(ctx, "DELETE FROM rate_counters WHERE window_start < ?", cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: purge rate counters: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
