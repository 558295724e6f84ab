package backup

import (
	"context"
	"crypto/rand"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/store"
	"micuenta/internal/synth"
	"micuenta/internal/upload"
	"micuenta/internal/vault"
)

// seeded opens a migrated SQLite database at dir/micuenta.db holding a
// synthetic population of people.
func seeded(t *testing.T, dir string, people int) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "micuenta.db"), vault.NewRandom(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ref, err := reference.Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	g, err := synth.NewGenerator(synth.Params{People: people, Seed: 11, AsOf: portal.NewDate(2026, time.November, 24)}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Run(ctx, db, noProgress{}); err != nil {
		t.Fatal(err)
	}
	return db
}

type noProgress struct{}

func (noProgress) Start(int64) {}
func (noProgress) Set(int64)   {}
func (noProgress) Finish()     {}

// storeDocuments puts n random documents in dir through the portal's own
// storage, so the layout is the real one.
func storeDocuments(t *testing.T, dir string, n int) {
	t.Helper()
	st, err := upload.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		b := make([]byte, 1000+i*137)
		rand.Read(b)
		if err := st.Put(context.Background(), upload.NewName(upload.PDF), b); err != nil {
			t.Fatal(err)
		}
	}
}

// tree maps every regular file under dir (relative path) to its bytes.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// openRaw opens a SQLite file with database/sql alone, as an operator's
// sqlite3 shell would.
func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustRun(t *testing.T, db *store.DB, docs, out string, keep int, now time.Time) *Manifest {
	t.Helper()
	m, err := Run(context.Background(), db, docs, out, keep, now, "test")
	if err != nil {
		t.Fatal(err)
	}
	return m
}
