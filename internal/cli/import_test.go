package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/batch"
	"micuenta/internal/config"
	"micuenta/internal/store"
)

// seededDB makes a migrated SQLite database with the same 600 people every
// time (keys differ, records do not) and returns its environment.
func seededDB(t *testing.T, name string) map[string]string {
	t.Helper()
	env := keys("sqlite:" + filepath.Join(t.TempDir(), name+".db"))
	if code, _, stderr := run(t, env, "seed", "--people", "600", "--seed", "5", "--as-of", "2026-11-24"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	return env
}

func openApp(t *testing.T, env map[string]string) *app.App {
	t.Helper()
	cfg := config.Config{DB: env["MICUENTA_DB"], DataKey: env["MICUENTA_DATA_KEY"], LookupKey: env["MICUENTA_LOOKUP_KEY"]}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// contributionsFile writes a bimester for every person of env's database
// from 200 employers: 120,000 lines.
func contributionsFile(t *testing.T, env map[string]string) string {
	t.Helper()
	a := openApp(t, env)
	defer a.Close()
	path := filepath.Join(t.TempDir(), "aportaciones.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, strings.Join(batch.ContributionsHeader, ","))
	for id := int64(1); id <= 600; id++ {
		p, err := a.DB.FindPersonByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for e := range 200 {
			fmt.Fprintf(w, "%s,Z%010d,PATRON %d,2026-6,520.00,61,1586.00,0.00,2026-12-01\n", p.NSS, e+1, e+1)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func totals(t *testing.T, env map[string]string) store.Totals {
	a := openApp(t, env)
	defer a.Close()
	tot, err := a.DB.Totals(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tot
}

var pctRe = regexp.MustCompile(`\((\d+)%\)`)

// killAt runs the real command (this test binary, as the CLI) on env's
// database and kills it with SIGKILL once its progress reaches pct percent
// (or after 20 seconds).
func killAt(t *testing.T, env map[string]string, pct int, args ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MICUENTA_TEST_RUN_CLI=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	errPipe, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(errPipe)
	deadline := time.Now().Add(20 * time.Second)
	for lines.Scan() && time.Now().Before(deadline) {
		if m := pctRe.FindStringSubmatch(lines.Text()); m != nil {
			if n, _ := strconv.Atoi(m[1]); n >= pct {
				break
			}
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

var summaryRe = regexp.MustCompile(`read (\d+), posted (\d+), duplicate (\d+), rejected (\d+)`)

// A contributions import killed twice half-way and run again ends with the
// same records as one that ran through.
func TestImportKilledAndRerunEndsTheSame(t *testing.T) {
	whole := seededDB(t, "whole")
	file := contributionsFile(t, whole)
	code, out, stderr := run(t, whole, "import", "contributions", file, "--report", filepath.Join(t.TempDir(), "r.csv"))
	if code != 0 || !strings.Contains(out, "read 120000, posted 120000, duplicate 0, rejected 0") {
		t.Fatalf("uninterrupted: %d %q %q", code, out, stderr)
	}
	want := totals(t, whole)

	killed := seededDB(t, "killed")
	for round := 1; round <= 2; round++ {
		// Small sorted runs, so posting goes on while the file is read.
		killAt(t, killed, round*20, "import", "contributions", file, "--sort-rows", "20000", "--report", filepath.Join(t.TempDir(), "r.csv"))
	}
	partial := totals(t, killed)
	if partial.Savings <= want.Savings-120000 || partial.Savings >= want.Savings {
		t.Fatalf("the kills did not land half-way: %d of %d movements", partial.Savings-(want.Savings-120000), 120000)
	}
	code, out, _ = run(t, killed, "import", "contributions", file, "--report", filepath.Join(t.TempDir(), "r.csv"))
	m := summaryRe.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != "120000" || m[4] != "0" || m[3] == "0" {
		t.Fatalf("rerun: %d %q", code, out)
	}
	if got := totals(t, killed); got != want {
		t.Fatalf("after kill and rerun: %+v, want %+v", got, want)
	}
}

// Bad invocations and files say what is wrong, exit 2, and post nothing.
func TestImportRefusals(t *testing.T) {
	env := seededDB(t, "refusals")
	before := totals(t, env)
	dir := t.TempDir()
	wrong := filepath.Join(dir, "personas.csv")
	os.WriteFile(wrong, []byte("nss,curp,rfc\n1,2,3\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import"}, "give the kind of file and the file"},
		{[]string{"import", "contributions"}, "give the kind of file and the file"},
		{[]string{"import", "nominas", wrong}, "unknown file kind"},
		{[]string{"import", "contributions", filepath.Join(dir, "no-existe.csv")}, "cannot open"},
		{[]string{"import", "contributions", dir}, "is a directory"},
		{[]string{"import", "contributions", wrong, "--report", filepath.Join(dir, "r.csv")}, "expected \"nss,registro_patronal"},
	} {
		if code, _, stderr := run(t, env, c.args...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %d %q", c.args, code, stderr)
		}
	}
	if after := totals(t, env); after != before {
		t.Fatal("a refused import changed the records")
	}
}
