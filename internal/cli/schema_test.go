package cli

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"micuenta/internal/testutil/pgtest"
)

func TestMain(m *testing.M) {
	// The kill-and-rerun tests start this test binary as the CLI itself,
	// so what they kill is the real command.
	if os.Getenv("MICUENTA_TEST_RUN_CLI") == "1" {
		os.Exit(Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	pgtest.Main(m)
}

// On PostgreSQL serve never migrates: several instances share the schema,
// so an operator migrates it once, on purpose.
func TestServeRefusesStalePostgresSchema(t *testing.T) {
	env := keys(pgtest.DSN(t))
	code, _, stderr := run(t, env, "serve", "--addr", "127.0.0.1:0")
	if code != 2 || !strings.Contains(stderr, "micuenta migrate") {
		t.Fatalf("stale schema: code %d, stderr %q", code, stderr)
	}
	if code, out, stderr := run(t, env, "migrate"); code != 0 || !strings.Contains(out, "applied") {
		t.Fatalf("migrate on PostgreSQL: %d %q %q", code, out, stderr)
	}
	if code, out, _ := run(t, env, "migrate", "status"); code != 0 || !strings.Contains(out, "0 pending") {
		t.Fatalf("status after migrate: %d %q", code, out)
	}
}

func TestSchemaNewerThanBinaryIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	env := keys("sqlite:" + path)
	if code, _, stderr := run(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '2030-01-01 00:00:00+00:00')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, args := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"migrate"}, {"seed", "--people", "5"}} {
		code, _, stderr := run(t, env, args...)
		if code != 2 || !strings.Contains(stderr, "upgrade micuenta") {
			t.Errorf("%v: code %d, stderr %q", args, code, stderr)
		}
	}
}
