package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"micuenta/internal/savings"
	"micuenta/internal/vault"
)

// migratedSQLite opens a new SQLite database in a temporary directory
// and brings it to the newest schema; it closes when the test ends.
func migratedSQLite(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "m.db"), vault.NewRandom(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// The summary page's statement reads the balances from the covering index
// alone and sorts nothing; its last contribution comes off the end of the
// unique index. A schema or query change that loses either shows up here
// before it shows up as a slower page (BenchmarkSummaryPage).
func TestSavingsSummaryPlan(t *testing.T) {
	db := migratedSQLite(t)
	all := queryPlan(t, db, savingsSummarySQL, 1, 1)
	for _, want := range []string{
		"SEARCH m USING COVERING INDEX savings_movements_balance (person_id=?)",
		"SEARCH m USING INDEX sqlite_autoindex_savings_movements_1 (person_id=? AND kind=?)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("plan lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "TEMP B-TREE") {
		t.Errorf("plan sorts:\n%s", all)
	}
}

// A page of movements is cut from the person's movements first and only
// its rows look their employer up, by primary key: never a scan of the
// employers, whichever filter the page has.
func TestSavingsEntriesPlan(t *testing.T) {
	db := migratedSQLite(t)
	for _, f := range []savings.Filter{{Limit: 20}, {Kind: savings.KindAportacion, Limit: 20}, {Year: 2025, Limit: 20}} {
		where, args := savingsWhere(1, f)
		all := queryPlan(t, db, savingsEntriesSQL(where, f.Limit), append(args, 0)...)
		if !strings.Contains(all, "SEARCH e USING INTEGER PRIMARY KEY (rowid=?)") || strings.Contains(all, "SCAN e") {
			t.Errorf("%+v: the employers are not looked up by key for the page's rows:\n%s", f, all)
		}
		if !strings.Contains(all, "SEARCH m USING") {
			t.Errorf("%+v: the person's movements are not searched by index:\n%s", f, all)
		}
	}
}

// queryPlan is SQLite's EXPLAIN QUERY PLAN of query, one step a line.
func queryPlan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
