package prequal_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"micuenta/internal/prequal"
	"micuenta/internal/store"
	"micuenta/internal/vault"
)

// The tests of this package's rules run on the catalog migration
// 0013_scoring.sql seeds, loaded through the store from a throwaway SQLite
// database, so what they check by hand is the data the portal serves. The
// store's own tests load it on both engines.
var (
	seedOnce sync.Once
	seeded   *prequal.Catalog
	seedErr  error
)

func catalog(t *testing.T) *prequal.Catalog {
	t.Helper()
	seedOnce.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "prequal-test-")
		if err != nil {
			seedErr = err
			return
		}
		defer os.RemoveAll(dir)
		db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "seed.db"), vault.NewRandom(), store.Options{})
		if err != nil {
			seedErr = err
			return
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			seedErr = err
			return
		}
		seeded, seedErr = prequal.Load(ctx, db)
	})
	if seedErr != nil {
		t.Fatalf("load the seeded catalog: %v", seedErr)
	}
	return seeded
}
