package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"micuenta/internal/vault"
)

// Reads outside a transaction run prepared and cached; the cache stops
// growing at its bound and the reads past it still answer; reads inside
// a transaction see the transaction's own writes.
func TestPreparedReads(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"), vault.NewRandom(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range maxPreparedReads + 50 {
		var got int
		if err := db.queryRow(ctx, fmt.Sprintf("SELECT ? + %d", i), 1).Scan(&got); err != nil || got != i+1 {
			t.Fatalf("query %d: %d, %v", i, got, err)
		}
	}
	if n := db.stmts.n.Load(); n != maxPreparedReads {
		t.Fatalf("%d statements cached, want the bound %d", n, maxPreparedReads)
	}
	if _, err := db.exec(ctx, "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, "INSERT INTO t VALUES (7)"); err != nil {
			return err
		}
		var n int
		if err := db.queryRow(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 1 {
			return fmt.Errorf("inside the transaction: %d rows, %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSQLLimit(t *testing.T) {
	for n, want := range map[int]string{25: "25", 1: "1", 0: "0", -3: "0"} {
		if got := sqlLimit(n); got != want {
			t.Errorf("sqlLimit(%d) = %q, want %q", n, got, want)
		}
	}
}
