package pgtest

import (
	"database/sql"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestDSNGivesSeparateWorkingDatabases(t *testing.T) {
	a, b := DSN(t), DSN(t)
	if a == b {
		t.Fatal("two DSNs are the same database")
	}
	db, err := sql.Open("pgx", a)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO t VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT n FROM t").Scan(&n); err != nil || n != 42 {
		t.Fatalf("read back %d, %v", n, err)
	}
	other, _ := sql.Open("pgx", b)
	defer other.Close()
	if err := other.QueryRow("SELECT n FROM t").Scan(&n); err == nil {
		t.Fatal("the second database sees the first one's table")
	}
}
