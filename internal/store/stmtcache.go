package store

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
	"sync/atomic"
)

// maxPreparedReads bounds the statement cache: the store's reads are a
// few hundred fixed strings, but a query built with a variable number of
// placeholders must not grow it without end. Past the bound, reads are
// simply not prepared.
const maxPreparedReads = 2048

// preparedReads keeps SQLite reads prepared on the reader pool, one
// sql.Stmt per query text. Without it, every read is parsed and planned
// again: on the signed-in summary page that was a quarter of the CPU. The
// sql.Stmt prepares itself on each reader connection the first time it
// runs there. PostgreSQL needs none of this: pgx caches prepared
// statements per connection by itself.
type preparedReads struct {
	m sync.Map // query text → *sql.Stmt
	n atomic.Int32
}

// prepared returns the cached statement for q, preparing it on first use;
// nil means run q unprepared (inside a transaction, on PostgreSQL, with
// the cache full, or if it does not prepare — then running it reports the
// error as usual).
func (db *DB) prepared(ctx context.Context, q string) *sql.Stmt {
	if db.read == db.write {
		return nil
	}
	if _, inTx := ctx.Value(txKey{}).(*sql.Tx); inTx {
		return nil
	}
	if v, ok := db.stmts.m.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if db.stmts.n.Load() >= maxPreparedReads {
		return nil
	}
	st, err := db.read.PrepareContext(context.WithoutCancel(ctx), q)
	if err != nil {
		return nil
	}
	if v, loaded := db.stmts.m.LoadOrStore(q, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	db.stmts.n.Add(1)
	return st
}

// closePrepared closes the cached statements before the pool closes.
func (db *DB) closePrepared() {
	db.stmts.m.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
}

// sqlLimit writes a LIMIT into a statement's text. SQLite re-plans a
// statement whose LIMIT is a bound parameter every time it runs (the
// planner uses the value), which undoes the prepared-statement cache:
// 13% of the summary page's CPU went to it in a profile. Limits come from the code,
// never from a person, and take few values, so each is one cached
// statement.
func sqlLimit(n int) string { return strconv.Itoa(max(n, 0)) }
