package store

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/metrics"
)

// Gauges registers the figures read from the database at each scrape:
// the outbox's depth and the age of its oldest waiting message, the live
// sessions of both sites, and both connection pools. Each is one indexed
// query or an in-memory read.
func (db *DB) Gauges(r *metrics.Registry, now func() time.Time) {
	r.Gauge("micuenta_outbox_messages", "Messages in the outbox, by channel and state (pending and sending only).", func(ctx context.Context) ([]metrics.Sample, error) {
		rows, err := db.query(ctx, "SELECT channel, state, COUNT(*) FROM outbox WHERE state IN ('pending', 'sending') GROUP BY channel, state")
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []metrics.Sample
		for rows.Next() {
			var ch, st string
			var n int64
			if err := rows.Scan(&ch, &st, &n); err != nil {
				return nil, err
			}
			out = append(out, metrics.Sample{Labels: map[string]string{"channel": ch, "state": st}, Value: float64(n)})
		}
		return out, mapError(rows.Err())
	})
	r.Gauge("micuenta_outbox_oldest_pending_seconds", "Age of the oldest message waiting to be sent (0 when none).", func(ctx context.Context) ([]metrics.Sample, error) {
		var oldest timeValue
		if err := db.queryRow(ctx, "SELECT MIN(created_at) FROM outbox WHERE state = 'pending'").Scan(&oldest); err != nil {
			return nil, err
		}
		age := 0.0
		if !oldest.t.IsZero() {
			age = now().Sub(oldest.t).Seconds()
		}
		return []metrics.Sample{{Value: age}}, nil
	})
	r.Gauge("micuenta_sessions_active", "Live sessions, by site.", func(ctx context.Context) ([]metrics.Sample, error) {
		t := now().UTC()
		var people, staff int64
		if err := db.queryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE expires_at > ? AND last_seen_at > ?", t, t.Add(-account.IdleTimeout)).Scan(&people); err != nil {
			return nil, err
		}
		if err := db.queryRow(ctx, "SELECT COUNT(*) FROM operator_sessions WHERE expires_at > ? AND stage = 'completa'", t).Scan(&staff); err != nil {
			return nil, err
		}
		return []metrics.Sample{{Labels: map[string]string{"site": "personas"}, Value: float64(people)},
			{Labels: map[string]string{"site": "operacion"}, Value: float64(staff)}}, nil
	})
	r.Gauge("micuenta_batch_progress", "Batch commands (imports, post-yield, accrue), by job: done and total units (bytes of the file, accounts), whether running, and seconds since the last update (a running job that stops updating has died).", func(ctx context.Context) ([]metrics.Sample, error) {
		rows, err := db.query(ctx, "SELECT job, source, done, total, updated_at, finished_at FROM batch_progress ORDER BY job")
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []metrics.Sample
		for rows.Next() {
			var job, source string
			var done, total int64
			var updated, finished timeValue
			if err := rows.Scan(&job, &source, &done, &total, &updated, &finished); err != nil {
				return nil, err
			}
			running := 0.0
			if finished.t.IsZero() {
				running = 1
			}
			for _, s := range []struct {
				what  string
				value float64
			}{{"done", float64(done)}, {"total", float64(total)}, {"running", running}, {"seconds_since_update", now().Sub(updated.t).Seconds()}} {
				out = append(out, metrics.Sample{Labels: map[string]string{"job": job, "source": source, "measure": s.what}, Value: s.value})
			}
		}
		return out, mapError(rows.Err())
	})
	r.Gauge("micuenta_db_connections", "Database connections by pool (writer, reader) and state.", func(ctx context.Context) ([]metrics.Sample, error) {
		var out []metrics.Sample
		for _, p := range []struct {
			name  string
			stats func() (open, inUse, idle int, wait int64)
		}{{"writer", func() (int, int, int, int64) {
			s := db.write.Stats()
			return s.OpenConnections, s.InUse, s.Idle, s.WaitCount
		}}, {"reader", func() (int, int, int, int64) {
			if db.read == db.write { // PostgreSQL: one pool, already counted
				return 0, 0, 0, 0
			}
			s := db.read.Stats()
			return s.OpenConnections, s.InUse, s.Idle, s.WaitCount
		}}} {
			open, inUse, idle, wait := p.stats()
			out = append(out,
				metrics.Sample{Labels: map[string]string{"pool": p.name, "state": "open"}, Value: float64(open)},
				metrics.Sample{Labels: map[string]string{"pool": p.name, "state": "in_use"}, Value: float64(inUse)},
				metrics.Sample{Labels: map[string]string{"pool": p.name, "state": "idle"}, Value: float64(idle)},
				metrics.Sample{Labels: map[string]string{"pool": p.name, "state": "waited_total"}, Value: float64(wait)})
		}
		return out, nil
	})
}

// RecordBatchProgress writes where a batch command (an import, a month's
// yield or interest) stands, for /metrics; one row per job, replaced by
// the job's next run.
func (db *DB) RecordBatchProgress(ctx context.Context, job, source string, done, total int64, started time.Time, finished bool) error {
	var finishedAt any
	now := time.Now().UTC()
	if finished {
		finishedAt = now
	}
	_, err := db.exec(ctx, `INSERT INTO batch_progress (job, source, done, total, started_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (job) DO UPDATE SET source = excluded.source, done = excluded.done, total = excluded.total,
			started_at = excluded.started_at, updated_at = excluded.updated_at, finished_at = excluded.finished_at`,
		job, source, done, total, started.UTC(), now, finishedAt)
	if err != nil {
		return fmt.Errorf("store: batch progress: %w", err)
	}
	return nil
}
