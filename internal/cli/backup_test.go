package cli

import (
	"compress/gzip"
	"context"
	"crypto/rand"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"micuenta/internal/backup"
	"micuenta/internal/upload"
)

// smallDB is a migrated SQLite database with a small population, with its
// documents directory holding a few documents.
func smallDB(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	env := keys("sqlite:" + filepath.Join(dir, "micuenta.db"))
	env["MICUENTA_DOCUMENTS_DIR"] = filepath.Join(dir, "documentos")
	if code, _, stderr := run(t, env, "seed", "--people", "40", "--seed", "3", "--as-of", "2026-11-24"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	st, err := upload.NewDir(env["MICUENTA_DOCUMENTS_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b := make([]byte, 2000)
		rand.Read(b)
		if err := st.Put(context.Background(), upload.NewName(upload.JPEG), b); err != nil {
			t.Fatal(err)
		}
	}
	return env
}

var manifestLine = regexp.MustCompile(`(?m)^manifest   (\S+-manifest\.json)  `)

// backup and restore end to end: the restored database has the same
// records under the same keys, and the documents come back.
func TestBackupAndRestoreCommands(t *testing.T) {
	env := smallDB(t)
	out := filepath.Join(t.TempDir(), "respaldos")
	code, stdout, stderr := run(t, env, "backup", "--out", out)
	if code != 0 {
		t.Fatalf("backup: %d %q", code, stderr)
	}
	for _, want := range []string{"database   " + out, ".db.gz", "schema 00", "documents  " + out, "(3 files,", "-manifest.json.sha256", "backup: done in "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("backup output lacks %q:\n%s", want, stdout)
		}
	}
	m := manifestLine.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no manifest line in %q", stdout)
	}
	manifest := m[1]

	dst := t.TempDir()
	restored := keys("sqlite:" + filepath.Join(dst, "micuenta.db"))
	restored["MICUENTA_DATA_KEY"], restored["MICUENTA_LOOKUP_KEY"] = env["MICUENTA_DATA_KEY"], env["MICUENTA_LOOKUP_KEY"]
	docs := filepath.Join(dst, "documentos")
	// The manifest after the flags works as well as before them.
	code, stdout, stderr = run(t, nil, "restore", "--db", restored["MICUENTA_DB"], "--documents-dir", docs, manifest)
	if code != 0 || !strings.Contains(stdout, "integrity ok") || !strings.Contains(stdout, "documents  3 files restored into") {
		t.Fatalf("restore: %d %q %q", code, stdout, stderr)
	}
	if got, want := totals(t, restored), totals(t, env); got != want {
		t.Fatalf("restored totals %+v, want %+v", got, want)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"restore", manifest, "--db", restored["MICUENTA_DB"]}, "already exists"},
		{[]string{"restore", manifest}, "--db is required"},
		{[]string{"restore", "--db", restored["MICUENTA_DB"]}, "give one manifest"},
		{[]string{"restore", manifest, "--db", "postgres://u:p@127.0.0.1:1/x"}, "pg_restore"},
		{[]string{"restore", filepath.Join(dst, "no-existe-manifest.json"), "--db", "sqlite:" + filepath.Join(dst, "otra.db")}, "cannot read the manifest"},
	} {
		if code, _, stderr := run(t, nil, c.args...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %d %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if code, stdout, stderr := run(t, nil, "restore", manifest, "--db", restored["MICUENTA_DB"], "--force"); code != 0 || !strings.Contains(stdout, "documents  not restored (3 files in the backup)") {
		t.Fatalf("restore --force: %d %q %q", code, stdout, stderr)
	}

	// A damaged backup: refused, exit 2, and the target keeps its bytes.
	db := strings.TrimSuffix(manifest, "-manifest.json") + ".db.gz"
	b, _ := os.ReadFile(db)
	b[len(b)/2] ^= 0xFF
	os.WriteFile(db, b, 0o600)
	before, _ := os.ReadFile(filepath.Join(dst, "micuenta.db"))
	code, _, stderr = run(t, nil, "restore", manifest, "--db", restored["MICUENTA_DB"], "--force")
	if code != 2 || !strings.Contains(stderr, "fails its checksum") || !strings.Contains(stderr, "nothing was changed") {
		t.Fatalf("damaged backup: %d %q", code, stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(dst, "micuenta.db")); string(after) != string(before) {
		t.Fatal("a refused restore changed the target")
	}
}

// --keep 2 leaves the newest two backups and says which it removed.
func TestBackupKeep(t *testing.T) {
	env := smallDB(t)
	out := t.TempDir()
	var last string
	for i := range 3 {
		if i > 0 {
			// Backups are named to the second.
			time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
		}
		code, stdout, stderr := run(t, env, "backup", "--out", out, "--keep", "2")
		if code != 0 {
			t.Fatalf("backup %d: %q", i, stderr)
		}
		last = stdout
	}
	if strings.Count(last, "removed    ") != 1 || !strings.Contains(last, "(keeping the newest 2)") {
		t.Fatalf("third backup output: %q", last)
	}
	manifests, _ := filepath.Glob(filepath.Join(out, "*-manifest.json"))
	dbs, _ := filepath.Glob(filepath.Join(out, "*.db.gz"))
	if len(manifests) != 2 || len(dbs) != 2 {
		t.Fatalf("left %v and %v", manifests, dbs)
	}
}

// Backup refuses what it cannot do, with advice, exit 2.
func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"MICUENTA_DB": "postgres://u:p@127.0.0.1:1/x"}, []string{"backup", "--out", dir}, "pg_dump -Fc"},
		{map[string]string{"MICUENTA_DB": "sqlite:" + filepath.Join(dir, "x.db")}, []string{"backup"}, "--out is required"},
		{map[string]string{"MICUENTA_DB": "sqlite:" + filepath.Join(dir, "x.db")}, []string{"backup", "--out", dir, "--keep", "-1"}, "--keep -1"},
		{map[string]string{"MICUENTA_DB": "sqlite:" + filepath.Join(dir, "x.db"), "MICUENTA_BACKUP_KEEP": "siete"}, []string{"backup", "--out", dir}, "MICUENTA_BACKUP_KEEP"},
		{map[string]string{"MICUENTA_DB": "sqlite:" + filepath.Join(dir, "x.db")}, []string{"backup", "--out", dir}, "no database at"},
	} {
		code, _, stderr := run(t, c.env, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %d %q; want 2 and %q", c.args, code, stderr, c.want)
		}
		if strings.Contains(stderr, "u:p@") {
			t.Errorf("password shown: %q", stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Fatal("backup created the database it was asked to copy")
	}
}

// A backup killed at any moment leaves no partial file under a backup's
// name: whatever has a final name is whole, and the next run succeeds.
func TestBackupKilledLeavesNoHalfFile(t *testing.T) {
	env := keys("sqlite:" + filepath.Join(t.TempDir(), "grande.db"))
	env["MICUENTA_DOCUMENTS_DIR"] = filepath.Join(t.TempDir(), "documentos")
	if code, _, stderr := run(t, env, "seed", "--people", "3000", "--seed", "4", "--as-of", "2026-11-24"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	// Enough documents that archiving them, after the database file is
	// in place and before the manifest, takes a good share of the run.
	st, _ := upload.NewDir(env["MICUENTA_DOCUMENTS_DIR"])
	for range 60 {
		b := make([]byte, 256<<10)
		rand.Read(b)
		if err := st.Put(context.Background(), upload.NewName(upload.PDF), b); err != nil {
			t.Fatal(err)
		}
	}
	backupCmd := func(out string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "backup", "--out", out, "--keep", "0")
		cmd.Env = append(os.Environ(), "MICUENTA_TEST_RUN_CLI=1")
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		return cmd
	}
	// How long a whole run takes here, so the kills land across it.
	start := time.Now()
	if b, err := backupCmd(t.TempDir()).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted backup: %v %s", err, b)
	}
	whole := time.Since(start)
	out := t.TempDir()
	for _, pct := range []int{20, 40, 60, 75, 90, 97} {
		cmd := backupCmd(out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(whole * time.Duration(pct) / 100)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		// Names are to the second; the next attempt needs its own.
		time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		t.Log("left by the kills:", e.Name())
	}
	gzs, _ := filepath.Glob(filepath.Join(out, "micuenta-*.gz"))
	for _, p := range gzs {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err == nil {
			_, err = io.Copy(io.Discard, zr)
		}
		f.Close()
		if err != nil {
			t.Fatalf("%s is under a final name but incomplete: %v", p, err)
		}
	}
	manifests, _ := filepath.Glob(filepath.Join(out, "micuenta-*-manifest.json"))
	for _, p := range manifests {
		// Killed between the two renames, a manifest lacks its .sha256
		// but is whole itself.
		m, err := backup.Load(p)
		if err == nil {
			err = backup.Verify(m)
		}
		if err != nil && !strings.Contains(err.Error(), ".sha256") {
			t.Fatalf("%s: %v", p, err)
		}
	}
	code, stdout, stderr := run(t, env, "backup", "--out", out, "--keep", "1")
	if code != 0 {
		t.Fatalf("backup after the kills: %d %q", code, stderr)
	}
	m := manifestLine.FindStringSubmatch(stdout)
	target := filepath.Join(t.TempDir(), "r.db")
	if code, _, stderr := run(t, nil, "restore", m[1], "--db", "sqlite:"+target); code != 0 {
		t.Fatalf("restore: %q", stderr)
	}
}
