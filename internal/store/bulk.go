package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
)

// maxBindVars keeps one statement under SQLite's default limit of 32,766
// variables and PostgreSQL's 65,535.
const maxBindVars = 30000

// maxRowsPerStatement balances statement size against per-call overhead;
// beyond a few hundred rows the gain is nil and the SQL text grows.
const maxRowsPerStatement = 400

type insertKey struct {
	table     string
	cols      string
	rows      int
	returning string
}

var insertSQL sync.Map // insertKey → string

// insertRows writes n rows of len(cols) values each (args is row-major)
// with multi-row INSERT statements. Rows that collide with a unique key are
// skipped (ON CONFLICT DO NOTHING): loading the same records twice, or
// finishing a load that was killed half-way, changes nothing that was
// already there. It returns how many rows were actually inserted.
func (db *DB) insertRows(ctx context.Context, table string, cols []string, n int, args []any) (int64, error) {
	return db.insertReturning(ctx, table, cols, n, args, "", nil)
}

// insertReturning is insertRows that, when returning names columns, reads
// them back for each row actually inserted (RETURNING after ON CONFLICT
// DO NOTHING yields only those, on both engines) and passes each to scan.
func (db *DB) insertReturning(ctx context.Context, table string, cols []string, n int, args []any, returning string, scan func(*sql.Rows) error) (int64, error) {
	if n == 0 {
		return 0, nil
	}
	w := len(cols)
	if len(args) != n*w {
		return 0, fmt.Errorf("store: insert %s: %d values for %d rows of %d columns", table, len(args), n, w)
	}
	per := min(maxRowsPerStatement, maxBindVars/w)
	var inserted int64
	// Parsing a statement of hundreds of rows costs about a quarter of
	// executing it, so the full-size statement is prepared once per call
	// and reused for every full chunk.
	var full *sql.Stmt
	if n >= 2*per {
		var err error
		if full, err = db.writer(ctx).PrepareContext(ctx, db.bind(insertStatement(table, cols, per, returning))); err != nil {
			return 0, fmt.Errorf("store: prepare insert %s: %w", table, mapError(err))
		}
		defer full.Close()
	}
	for start := 0; start < n; start += per {
		rows := min(per, n-start)
		chunk := args[start*w : (start+rows)*w]
		if returning != "" {
			k, err := db.insertChunkReturning(ctx, full, rows == per, table, cols, rows, returning, chunk, scan)
			inserted += k
			if err != nil {
				return inserted, err
			}
			continue
		}
		var res sql.Result
		var err error
		if rows == per && full != nil {
			res, err = full.ExecContext(ctx, chunk...)
		} else {
			res, err = db.writer(ctx).ExecContext(ctx, db.bind(insertStatement(table, cols, rows, "")), chunk...)
		}
		if err != nil {
			return inserted, fmt.Errorf("store: insert %s: %w", table, mapError(err))
		}
		k, _ := res.RowsAffected()
		inserted += k
	}
	return inserted, nil
}

func (db *DB) insertChunkReturning(ctx context.Context, full *sql.Stmt, isFull bool, table string, cols []string, rows int, returning string, chunk []any, scan func(*sql.Rows) error) (int64, error) {
	var rs *sql.Rows
	var err error
	if isFull && full != nil {
		rs, err = full.QueryContext(ctx, chunk...)
	} else {
		rs, err = db.writer(ctx).QueryContext(ctx, db.bind(insertStatement(table, cols, rows, returning)), chunk...)
	}
	if err != nil {
		return 0, fmt.Errorf("store: insert %s: %w", table, mapError(err))
	}
	defer rs.Close()
	var k int64
	for rs.Next() {
		k++
		if err := scan(rs); err != nil {
			return k, fmt.Errorf("store: insert %s: %w", table, err)
		}
	}
	if err := rs.Err(); err != nil {
		return k, fmt.Errorf("store: insert %s: %w", table, mapError(err))
	}
	return k, nil
}

func insertStatement(table string, cols []string, rows int, returning string) string {
	key := insertKey{table, strings.Join(cols, ","), rows, returning}
	if q, ok := insertSQL.Load(key); ok {
		return q.(string)
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	var b strings.Builder
	b.Grow(len(table) + len(key.cols) + rows*(len(one)+1) + 64)
	b.WriteString("INSERT INTO ")
	b.WriteString(table)
	b.WriteString(" (")
	b.WriteString(key.cols)
	b.WriteString(") VALUES ")
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	b.WriteString(" ON CONFLICT DO NOTHING")
	if returning != "" {
		b.WriteString(" RETURNING ")
		b.WriteString(returning)
	}
	q := b.String()
	insertSQL.Store(key, q)
	return q
}
