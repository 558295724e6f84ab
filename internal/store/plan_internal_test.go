package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

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
	ctx := context.Background()
	db := migratedSQLite(t)
	rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+savingsSummarySQL, 1, 1)
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
	all := strings.Join(plan, "\n")
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
