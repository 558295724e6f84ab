package backup

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"micuenta/internal/savings"
	"micuenta/internal/store"
)

// A backup taken while writes keep coming restores to a database that
// passes SQLite's checks, holds every write committed before the backup
// started, and holds each transaction whole or not at all; the documents
// come back byte for byte.
func TestBackupWhileWritingRestoresConsistently(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	db := seeded(t, src, 300)
	docs := filepath.Join(src, "documentos")
	storeDocuments(t, docs, 25)

	// Each transaction writes a pair of notices; a consistent snapshot has
	// both or neither.
	var committed atomic.Int64
	stop := make(chan struct{})
	werr := make(chan error, 1)
	go func() {
		for i := int64(0); ; i++ {
			select {
			case <-stop:
				werr <- nil
				return
			default:
			}
			err := db.InTx(ctx, func(ctx context.Context) error {
				for _, half := range []string{"a", "b"} {
					n := savings.Notice{PersonID: 1 + i%300, Kind: "prueba", DedupKey: fmt.Sprintf("backup-test-%d-%s", i, half), Subject: "Prueba", Body: "Aviso de prueba"}
					if _, err := db.AddNotices(ctx, []savings.Notice{n}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				werr <- err
				return
			}
			committed.Store(i + 1)
		}
	}()
	for committed.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	before := committed.Load()
	m, err := Run(ctx, db, docs, filepath.Join(src, "respaldos"), 7, time.Now(), "test")
	during := committed.Load()
	close(stop)
	if err := <-werr; err != nil {
		t.Fatal(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if during <= before {
		t.Fatalf("no write ran during the backup (%d before, %d after)", before, during)
	}

	dst := t.TempDir()
	res, err := Restore(ctx, m.Path, RestoreOptions{DBPath: filepath.Join(dst, "micuenta.db"), DocumentsDir: filepath.Join(dst, "documentos")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Documents != 25 || m.Documents != 25 {
		t.Fatalf("documents: %d restored, %d in the manifest, want 25", res.Documents, m.Documents)
	}
	raw := openRaw(t, filepath.Join(dst, "micuenta.db"))
	var ok string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	rows, err := raw.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Fatal("foreign_key_check reports violations")
	}
	rows.Close()
	keys := map[string]bool{}
	rows, err = raw.Query("SELECT dedup_key FROM notices WHERE dedup_key LIKE 'backup-test-%'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		keys[k] = true
	}
	rows.Close()
	for i := range committed.Load() {
		a, b := keys[fmt.Sprintf("backup-test-%d-a", i)], keys[fmt.Sprintf("backup-test-%d-b", i)]
		if a != b {
			t.Fatalf("transaction %d restored by halves", i)
		}
		if i < before && !a {
			t.Fatalf("transaction %d, committed before the backup started, is missing", i)
		}
	}
	if int64(len(keys)) < 2*before {
		t.Fatalf("%d rows restored, want at least %d", len(keys), 2*before)
	}

	// The restored database is one the portal opens as it is.
	restored, err := store.Open(ctx, "sqlite:"+filepath.Join(dst, "micuenta.db"), nil, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.CheckSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := tree(t, filepath.Join(dst, "documentos")), tree(t, docs); fmt.Sprint(got) != fmt.Sprint(want) || len(got) != 25 {
		t.Fatalf("documents differ after restore: %d files, want %d", len(got), len(want))
	}
}

// The manifest records what the brief promises, and every checksum in it
// is the file's.
func TestManifestDescribesTheBackup(t *testing.T) {
	src := t.TempDir()
	db := seeded(t, src, 20)
	docs := filepath.Join(src, "documentos")
	storeDocuments(t, docs, 3)
	now := time.Date(2026, 11, 24, 3, 15, 0, 0, time.UTC)
	m := mustRun(t, db, docs, filepath.Join(src, "out"), 7, now)
	newest, _ := store.NewestSchemaVersion()
	if m.SchemaVersion != newest || m.SchemaVersion == 0 {
		t.Fatalf("schema %d, want %d", m.SchemaVersion, newest)
	}
	if filepath.Base(m.Path) != "micuenta-20261124T031500Z-manifest.json" {
		t.Fatalf("manifest name %s", m.Path)
	}
	loaded, err := Load(m.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.CreatedAt.Equal(now) || loaded.Version != "test" || loaded.Documents != 3 || loaded.DatabaseSize == 0 || len(loaded.Files) != 2 {
		t.Fatalf("manifest %+v", loaded)
	}
	if err := Verify(loaded); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"micuenta-20261124T031500Z.db.gz": true, "micuenta-20261124T031500Z-documentos.tar.gz": true,
		"micuenta-20261124T031500Z-manifest.json": true, "micuenta-20261124T031500Z-manifest.json.sha256": true}
	entries, _ := os.ReadDir(filepath.Dir(m.Path))
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("unexpected file %s in the backup directory", e.Name())
		}
		delete(want, e.Name())
		if info, _ := e.Info(); info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v; a backup is readable by its owner only", e.Name(), info.Mode().Perm())
		}
	}
	if len(want) > 0 {
		t.Errorf("missing %v", want)
	}
	sum, _ := os.ReadFile(m.Path + ".sha256")
	body, _ := os.ReadFile(m.Path)
	if string(sum) != sha256Hex(body)+"  micuenta-20261124T031500Z-manifest.json\n" {
		t.Errorf("the .sha256 is not in sha256sum format: %q", sum)
	}
	var raw map[string]any
	json.Unmarshal(body, &raw)
	for _, k := range []string{"created_at", "micuenta_version", "schema_version", "files"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("manifest lacks %s", k)
		}
	}

	if _, err := Run(context.Background(), db, docs, filepath.Join(docs, "respaldos"), 7, now, "test"); err == nil || !strings.Contains(err.Error(), "inside the documents directory") {
		t.Fatalf("backups inside the documents: %v", err)
	}

	// Without documents there is no archive; a second backup in the same
	// second is refused, not overwritten.
	m2 := mustRun(t, db, filepath.Join(src, "no-such-dir"), filepath.Join(src, "out2"), 7, now)
	if _, ok := m2.File(KindDocuments); ok || len(m2.Files) != 1 {
		t.Fatalf("documents archived from a missing directory: %+v", m2.Files)
	}
	if _, err := Run(context.Background(), db, "", filepath.Join(src, "out2"), 7, now, "test"); err == nil || !strings.Contains(err.Error(), "same second") {
		t.Fatalf("same second: %v", err)
	}
}

// --keep 2 leaves the newest two backups, removes the debris of crashed
// runs once it is a day old, and touches nothing else.
func TestKeepLeavesTheNewest(t *testing.T) {
	src := t.TempDir()
	db := seeded(t, src, 20)
	out := filepath.Join(src, "out")
	os.MkdirAll(out, 0o700)
	old := time.Now().Add(-48 * time.Hour)
	debris := map[string]time.Time{
		".micuenta-micuenta-20200101T000000Z.db.gz.tmp-1": old,        // a crashed run's temporary file
		"micuenta-20200101T000000Z.db.gz":                 old,        // a data file whose manifest never came
		".micuenta-micuenta-20990101T000000Z.db.gz.tmp-2": time.Now(), // a run still going
		"notas.txt": old, // not ours
	}
	for name, at := range debris {
		p := filepath.Join(out, name)
		os.WriteFile(p, []byte("x"), 0o600)
		os.Chtimes(p, at, at)
	}
	t0 := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	var last *Manifest
	for d := range 4 {
		last = mustRun(t, db, "", out, 2, t0.Add(time.Duration(d)*24*time.Hour))
	}
	if len(last.Removed) != 1 || last.Removed[0] != "micuenta-20261121T030000Z-manifest.json" {
		t.Fatalf("the last run removed %v", last.Removed)
	}
	leftIs(t, out,
		".micuenta-micuenta-20990101T000000Z.db.gz.tmp-2",
		"micuenta-20261122T030000Z-manifest.json", "micuenta-20261122T030000Z-manifest.json.sha256", "micuenta-20261122T030000Z.db.gz",
		"micuenta-20261123T030000Z-manifest.json", "micuenta-20261123T030000Z-manifest.json.sha256", "micuenta-20261123T030000Z.db.gz",
		"notas.txt")

	// A clock set back: the backup just made stays, with the newest other.
	last = mustRun(t, db, "", out, 2, t0)
	if len(last.Removed) != 1 || last.Removed[0] != "micuenta-20261122T030000Z-manifest.json" {
		t.Fatalf("after the clock went back, removed %v", last.Removed)
	}
	leftIs(t, out,
		".micuenta-micuenta-20990101T000000Z.db.gz.tmp-2",
		"micuenta-20261120T030000Z-manifest.json", "micuenta-20261120T030000Z-manifest.json.sha256", "micuenta-20261120T030000Z.db.gz",
		"micuenta-20261123T030000Z-manifest.json", "micuenta-20261123T030000Z-manifest.json.sha256", "micuenta-20261123T030000Z.db.gz",
		"notas.txt")
}

func leftIs(t *testing.T, dir string, want ...string) {
	t.Helper()
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Fatalf("left in the directory:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
}

// A backup that stops early (serve shutting down, ^C) removes what it
// wrote: nothing is left under a final name or a temporary one.
func TestCancelledBackupLeavesNothing(t *testing.T) {
	src := t.TempDir()
	db := seeded(t, src, 20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(src, "out")
	if _, err := Run(ctx, db, "", out, 7, time.Now(), "test"); err == nil {
		t.Fatal("a cancelled backup succeeded")
	}
	leftIs(t, out)
}
