package store

import (
	"context"
	"fmt"

	"micuenta/internal/config"
)

// contributionsLockKey is the PostgreSQL advisory lock that keeps
// contributions imports one at a time (see ContributionsImportLock).
const contributionsLockKey = 727_001

// ContributionsImportLock makes sure no other contributions import runs
// against this database, and returns the function that lets go. On
// PostgreSQL two imports committing at once could hand out ledger ids out
// of commit order, and the notice producer's cursor could pass a row that
// was still being committed; SQLite gives ids inside its single writer,
// so it needs no lock.
func (db *DB) ContributionsImportLock(ctx context.Context) (release func(), err error) {
	if db.engine != config.Postgres {
		return func() {}, nil
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, mapError(err)
	}
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", contributionsLockKey).Scan(&got); err != nil {
		conn.Close()
		return nil, fmt.Errorf("store: import lock: %w", mapError(err))
	}
	if !got {
		conn.Close()
		return nil, fmt.Errorf("another contributions import is running on this database; wait for it to finish and run this one again")
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", contributionsLockKey)
		conn.Close()
	}, nil
}
