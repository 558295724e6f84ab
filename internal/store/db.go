// Package store is micuenta's one persistence adapter. The same code serves
// SQLite (embedded, the default) and PostgreSQL (for several instances on
// one database); the few differences between the engines live in
// dialect.go. Domain packages declare the Store interfaces they need; this
// package implements them and is the only one that writes SQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"micuenta/internal/config"
	"micuenta/internal/portal"
	"micuenta/internal/vault"
)

// DB is an open database. On SQLite it holds two pools: one writer
// connection, because SQLite allows one writer at a time and queueing in Go
// is cheaper than spinning on SQLITE_BUSY, and a pool of read-only readers
// that WAL lets run beside it. On PostgreSQL both are the same pool.
type DB struct {
	engine config.Engine
	write  *sql.DB
	read   *sql.DB
	vault  *vault.Vault
	clock  portal.Clock
	// binds caches the $n form of each query for PostgreSQL.
	binds rebindCache
	// stmts keeps SQLite's reads prepared (stmtcache.go).
	stmts preparedReads
}

// Options tunes Open.
type Options struct {
	// ReadConns is the size of the SQLite reader pool (default 4).
	ReadConns int
	// MaxConns bounds the PostgreSQL pool (default 20).
	MaxConns int
	// Clock stamps created_at columns (default the system clock).
	Clock portal.Clock
}

// Open connects to the database named by a --db value and checks that it
// answers. It does not migrate. Every error says what to do next.
func Open(ctx context.Context, dsn string, v *vault.Vault, opts Options) (*DB, error) {
	engine, source, err := config.ParseDB(dsn)
	if err != nil {
		return nil, err
	}
	if opts.Clock == nil {
		opts.Clock = portal.SystemClock{}
	}
	db := &DB{engine: engine, vault: v, clock: opts.Clock}
	switch engine {
	case config.SQLite:
		err = db.openSQLite(ctx, source, opts)
	case config.Postgres:
		err = db.openPostgres(ctx, source, opts)
	}
	if err != nil {
		return nil, err
	}
	return db, nil
}

func (db *DB) openSQLite(ctx context.Context, path string, opts Options) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("cannot create the database directory %s: %v; choose a writable path with --db sqlite:PATH", dir, unwrapPathError(err))
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory, not a database file; use --db sqlite:%s/micuenta.db", path, path)
	}
	// busy_timeout first so the other pragmas wait instead of failing;
	// NORMAL sync is durable in WAL mode except for the last transactions
	// before a power loss, which the batches' idempotency covers.
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	// The writer gets a 128 MiB page cache and checkpoints every ~40 MiB of
	// WAL: bulk loads rewrite the same index pages over and over, and a
	// small cache turned a 6 GB load into 34 GB of writes.
	write, err := sql.Open("sqlite", u+"?"+common+"&_pragma=journal_mode(WAL)&_pragma=cache_size(-131072)&_pragma=wal_autocheckpoint(10000)&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return fmt.Errorf("cannot open the database %s: %v; check that the path is writable or choose another with --db sqlite:PATH", path, sqliteOpenReason(err))
	}
	// A probe write proves the file is writable now, not at the first
	// person's request.
	db.write = write
	if err := db.ensureMigrationsTable(ctx); err != nil {
		write.Close()
		return fmt.Errorf("cannot write to the database %s: %v; check its permissions or choose another with --db sqlite:PATH", path, sqliteOpenReason(err))
	}
	readConns := opts.ReadConns
	if readConns <= 0 {
		readConns = 4
	}
	// Readers get a 16 MiB page cache each, and no mmap. A WAL reader
	// drops its whole page cache whenever another connection has
	// committed, and the pure-Go allocator gives the freed pages back to
	// the kernel, so refilling it costs reads and page faults. While every
	// session's activity was its own commit (several a second under load),
	// a 32 MiB cache gave about 5% more summary pages per second but raised
	// their p99 at 500/s on 1,000,000 people from 3.1–4.3 ms to 11.5–41.0
	// ms, and SQLite's default 2 MiB stayed. Since serve batches that
	// activity into one commit every 5 s (account.Sessions.BatchTouches),
	// 16 MiB serves 8–25% more summary pages and 8–39% more movements pages
	// at 1,000,000 people, with p99 at 500/s at 2.0–2.8 ms (BENCHMARKS.md,
	// "Load"). Mapping the file (mmap_size, at most 2 GiB) gave the
	// saturated summary page about 14% more throughput but cost the
	// realistic mix about 16% more CPU and doubled its median latency
	// (1.9 → 3.7 ms).
	read, err := sql.Open("sqlite", u+"?"+common+"&_pragma=query_only(1)&_pragma=cache_size(-16384)")
	if err != nil {
		write.Close()
		return fmt.Errorf("sqlite: %w", err)
	}
	read.SetMaxOpenConns(readConns)
	read.SetMaxIdleConns(readConns)
	read.SetConnMaxIdleTime(5 * time.Minute)
	db.write, db.read = write, read
	return nil
}

func (db *DB) openPostgres(ctx context.Context, dsn string, opts Options) error {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	maxConns := opts.MaxConns
	if maxConns <= 0 {
		maxConns = 20
	}
	pool.SetMaxOpenConns(maxConns)
	pool.SetMaxIdleConns(maxConns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.PingContext(pingCtx); err != nil {
		pool.Close()
		return fmt.Errorf("cannot reach PostgreSQL at %s: %v; check that the server is running and the URL, user and password are right", config.RedactDSN(dsn), pgReason(err))
	}
	db.write, db.read = pool, pool
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.closePrepared()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Engine reports which engine this is.
func (db *DB) Engine() config.Engine { return db.engine }

// Ping checks that the database answers a query, for /readyz.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return mapError(err)
	}
	return nil
}

type txKey struct{}

// InTx runs fn in one write transaction; store calls made with fn's ctx
// join it. A nested InTx joins the outer transaction.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return fn(ctx)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return mapError(fmt.Errorf("store: begin: %w", err))
	}
	if err := fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return mapError(fmt.Errorf("store: commit: %w", err))
	}
	return nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, q string) (*sql.Stmt, error)
}

// writer returns the caller's transaction or the write pool.
func (db *DB) writer(ctx context.Context) querier {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx
	}
	return db.write
}

// reader returns the caller's transaction (so a service reads its own
// writes) or the read pool.
func (db *DB) reader(ctx context.Context) querier {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx
	}
	return db.read
}

// exec runs a write statement written with ? placeholders.
func (db *DB) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := db.writer(ctx).ExecContext(ctx, db.bind(q), args...)
	return res, mapError(err)
}

// query runs a read written with ? placeholders.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := db.prepared(ctx, q); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, mapError(err)
	}
	rows, err := db.reader(ctx).QueryContext(ctx, db.bind(q), args...)
	return rows, mapError(err)
}

// queryRow runs a one-row read written with ? placeholders; its Scan
// errors go through mapError too.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) row {
	if st := db.prepared(ctx, q); st != nil {
		return row{st.QueryRowContext(ctx, args...)}
	}
	return row{db.reader(ctx).QueryRowContext(ctx, db.bind(q), args...)}
}

type row struct{ r *sql.Row }

func (r row) Scan(dest ...any) error { return mapError(r.r.Scan(dest...)) }

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func sqliteOpenReason(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && strings.Contains(s, "SQLITE") {
		return s[i+2:]
	}
	return s
}
