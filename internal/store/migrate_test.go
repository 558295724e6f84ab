package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"micuenta/internal/store"
	"micuenta/internal/vault"
)

func TestMigrateIsIdempotentAndComplete(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := e.dsn(t)
			db, err := store.Open(ctx, dsn, vault.NewRandom(), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			err = db.CheckSchema(ctx)
			if err == nil || !strings.Contains(err.Error(), "micuenta migrate") {
				t.Fatalf("fresh database: CheckSchema = %v, want advice to run micuenta migrate", err)
			}
			applied, err := db.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) < 2 {
				t.Fatalf("applied %d migrations, want all of them", len(applied))
			}
			again, err := db.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second migrate applied %v, err %v; want nothing", again, err)
			}
			if err := db.CheckSchema(ctx); err != nil {
				t.Fatalf("CheckSchema after migrate: %v", err)
			}
			st, err := db.Status(ctx)
			if err != nil || !st.UpToDate() || st.Newest != applied[len(applied)-1].Version {
				t.Fatalf("status %+v, err %v", st, err)
			}
		})
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.InsertMigrationRecordForTest(ctx, 9999, "from_the_future"); err != nil {
			t.Fatal(err)
		}
		err := db.CheckSchema(ctx)
		if !errors.Is(err, store.ErrSchemaNewer) || !strings.Contains(err.Error(), "upgrade micuenta") {
			t.Fatalf("CheckSchema = %v, want ErrSchemaNewer with advice", err)
		}
		if _, err := db.Migrate(ctx); !errors.Is(err, store.ErrSchemaNewer) {
			t.Fatalf("Migrate = %v, want ErrSchemaNewer", err)
		}
	})
}
