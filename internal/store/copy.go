package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// inPgxTx runs fn in a transaction on a write connection of its own,
// through pgx, which database/sql cannot give COPY. PostgreSQL only.
func (db *DB) inPgxTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return mapError(err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		tx, err := dc.(*stdlib.Conn).Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// bulkRows is n rows of len(cols) values each, row-major, for one table.
type bulkRows struct {
	table string
	cols  []string
	n     int
	args  []any
}

// copyRows is insertRows on PostgreSQL for large loads: the rows go with
// COPY into a temporary table shaped like the target (columns only, no
// constraints) and from there into the table with one INSERT … SELECT …
// ON CONFLICT DO NOTHING, so rows already present are skipped exactly as
// insertRows skips them. A multi-row INSERT makes PostgreSQL parse and
// bind thousands of parameters per statement; COPY streams them. The
// stage empties at commit, so copyRows is called at most once per table
// and column list in a transaction.
func copyRows(ctx context.Context, tx pgx.Tx, b bulkRows) (int64, error) {
	if b.n == 0 {
		return 0, nil
	}
	w := len(b.cols)
	if len(b.args) != b.n*w {
		return 0, fmt.Errorf("store: copy %s: %d values for %d rows of %d columns", b.table, len(b.args), b.n, w)
	}
	// One staging table per target and column list, kept for the
	// connection's life and emptied at every commit.
	stage := "stage_" + b.table + "_" + fmt.Sprint(w)
	cols := strings.Join(b.cols, ", ")
	if _, err := tx.Exec(ctx, "CREATE TEMP TABLE IF NOT EXISTS "+stage+" ON COMMIT DELETE ROWS AS SELECT "+cols+" FROM "+b.table+" WITH NO DATA"); err != nil {
		return 0, fmt.Errorf("store: copy %s: stage: %w", b.table, err)
	}
	rows := make([][]any, b.n)
	for i := range rows {
		rows[i] = b.args[i*w : (i+1)*w]
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, b.cols, pgx.CopyFromRows(rows)); err != nil {
		return 0, fmt.Errorf("store: copy %s: %w", b.table, err)
	}
	tag, err := tx.Exec(ctx, "INSERT INTO "+b.table+" ("+cols+") SELECT "+cols+" FROM "+stage+" ON CONFLICT DO NOTHING")
	if err != nil {
		return 0, fmt.Errorf("store: copy %s: insert: %w", b.table, err)
	}
	return tag.RowsAffected(), nil
}
