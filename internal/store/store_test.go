package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"micuenta/internal/store"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/vault"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// engine is one database engine a test runs on.
type engine struct {
	name string
	dsn  func(t *testing.T) string
}

// engines lists both: every store test runs on SQLite and PostgreSQL.
func engines() []engine {
	return []engine{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "test.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.DSN(t) }},
	}
}

// forEachEngine runs fn on a fresh, migrated database of each engine.
func forEachEngine(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			db := openMigrated(t, e.dsn(t))
			fn(t, db)
		})
	}
}

func openMigrated(t *testing.T, dsn string) *store.DB {
	t.Helper()
	return openMigratedWith(t, dsn, store.Options{})
}

// openMigratedWith opens a fresh, migrated database with opts (a test's
// clock, say); it is closed when the test ends.
func openMigratedWith(t *testing.T, dsn string, opts store.Options) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, vault.NewRandom(), opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}
