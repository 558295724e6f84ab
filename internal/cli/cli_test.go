package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"micuenta/internal/store"
)

func key() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// run executes the CLI with the given environment and returns the exit
// status and both outputs.
func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := RunEnv(context.Background(), args, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
}

func keys(db string) map[string]string {
	return map[string]string{"MICUENTA_DB": db, "MICUENTA_DATA_KEY": key(), "MICUENTA_LOOKUP_KEY": key()}
}

func TestUnknownCommandAndFlag(t *testing.T) {
	if code, _, stderr := run(t, nil, "bake"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
	if code, _, stderr := run(t, nil, "version", "--nope"); code != 2 || !strings.Contains(stderr, "nope") {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
	if code, _, stderr := run(t, keys("sqlite:"+filepath.Join(t.TempDir(), "y.db")), "seed", "--people", "10", "--years", "9"); code != 2 || !strings.Contains(stderr, "--years 9: give a number of years from 1 to 5") {
		t.Fatalf("seed --years 9: code %d stderr %q", code, stderr)
	}
	if code, out, _ := run(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "micuenta ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestBadConfigurationExitsTwoWithAdvice(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"MICUENTA_DB": "mysql://x"}, []string{"serve"}, "not supported"},
		{map[string]string{"MICUENTA_DB": "sqlite:" + filepath.Join(t.TempDir(), "x.db")}, []string{"serve"}, "MICUENTA_DATA_KEY"},
		{map[string]string{"MICUENTA_DATA_KEY": "short"}, []string{"config", "check"}, "base64"},
		{map[string]string{"MICUENTA_SHUTDOWN_TIMEOUT": "soon"}, []string{"config", "check"}, "duration"},
		{keys("postgres://u:p@127.0.0.1:1/x?connect_timeout=2"), []string{"serve"}, "cannot reach PostgreSQL"},
		{keys("sqlite:" + filepath.Join(t.TempDir(), "x.db")), []string{"seed", "--people", "0"}, "--people"},
		{keys("sqlite:" + filepath.Join(t.TempDir(), "x.db")), []string{"seed", "--as-of", "2025-02-30"}, "--as-of"},
	}
	for _, c := range cases {
		code, _, stderr := run(t, c.env, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: code %d stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
		if strings.Contains(stderr, "u:p@") {
			t.Errorf("%v: password shown: %q", c.args, stderr)
		}
	}
}

func TestConfigCheckRedactsSecrets(t *testing.T) {
	env := keys("sqlite:data/x.db")
	code, out, stderr := run(t, env, "config", "check")
	if code != 0 || !strings.Contains(out, "configuration OK") {
		t.Fatalf("code %d out %q err %q", code, out, stderr)
	}
	if strings.Contains(out, env["MICUENTA_DATA_KEY"]) || !strings.Contains(out, "[redacted]") {
		t.Fatalf("secret not redacted: %q", out)
	}
}

func TestMigrateAndSeedAreRepeatable(t *testing.T) {
	env := keys("sqlite:" + filepath.Join(t.TempDir(), "m.db"))
	if code, out, stderr := run(t, env, "migrate", "status"); code != 0 || !strings.Contains(out, "pending") {
		t.Fatalf("status: %d %q %q", code, out, stderr)
	}
	if code, out, stderr := run(t, env, "migrate"); code != 0 || !strings.Contains(out, "applied 0001_records") {
		t.Fatalf("migrate: %d %q %q", code, out, stderr)
	}
	if code, out, _ := run(t, env, "migrate"); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate again: %d %q", code, out)
	}
	args := []string{"seed", "--people", "200", "--seed", "7", "--as-of", "2026-11-24"}
	code, _, stderr := run(t, env, args...)
	if code != 0 || !strings.Contains(stderr, "seed: 200 people") {
		t.Fatalf("seed: %d %q", code, stderr)
	}
	code, _, stderr = run(t, env, args...)
	if code != 0 || !strings.Contains(stderr, "seed: 0 people (200 already present)") {
		t.Fatalf("seed again: %d %q", code, stderr)
	}
	code, _, stderr = run(t, env, "seed", "--people", "200", "--seed", "8", "--as-of", "2026-11-24")
	if code != 1 || !strings.Contains(stderr, "another population") {
		t.Fatalf("different seed on the same database: %d %q", code, stderr)
	}
}

func TestServeDemo(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- RunEnv(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0"}, Env{Stdout: pw, Stderr: &stderr, Getenv: func(string) string { return "" }})
		pw.Close()
	}()
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var url string
	select {
	case line := <-lines:
		if !strings.HasPrefix(line, "micuenta demo: http://") {
			t.Fatalf("first line %q", line)
		}
		url = strings.Fields(line)[2]
		login := <-lines
		if !regexp.MustCompile(`^demo login: \S+@\S+ \S+$`).MatchString(login) {
			t.Fatalf("second line %q, want `demo login: <e-mail> <password>`", login)
		}
		<-lines // where the codes are read
		if reg := <-lines; !regexp.MustCompile(`^to try /registro: NSS \d{11} CURP [A-Z0-9]{18} RFC \S{13} \(.+\)$`).MatchString(reg) {
			t.Fatalf("fourth line %q", reg)
		}
	case code := <-done:
		t.Fatalf("serve --demo exited %d: %s", code, stderr.String())
	case <-time.After(2 * time.Minute):
		t.Fatal("serve --demo did not start in time")
	}
	// With GOGC unset, serve runs the collector at its own target.
	if prev := debug.SetGCPercent(100); prev != servingGCPercent {
		t.Errorf("serve left the collector at %d%%, want %d%%", prev, servingGCPercent)
	}
	for path, want := range map[string]string{"/": `lang="es-MX"`, "/healthz": "ok", "/readyz": `"database":"ok"`, "/ayuda": "Ayuda"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d, body lacks %q", path, resp.StatusCode, want)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if !strings.Contains(stderr.String(), "seed: 3000 people") {
		t.Errorf("demo did not seed its population: %s", stderr.String())
	}
}

// A command stopped by a full database says what to free, besides the
// error itself.
func TestFullStorageGetsAdvice(t *testing.T) {
	var out bytes.Buffer
	err := fmt.Errorf("store: load records: %w", fmt.Errorf("%w: database or disk is full (13)", store.ErrStorageFull))
	if code := report(&out, "seed", err); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), "micuenta seed: store: load records: the database's storage is full") ||
		!strings.Contains(out.String(), "free space on its disk") {
		t.Fatalf("report: %q", out.String())
	}
	out.Reset()
	report(&out, "seed", errors.New("something else"))
	if strings.Contains(out.String(), "free space") {
		t.Fatalf("advice for another error: %q", out.String())
	}
}
