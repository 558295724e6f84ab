// Package pgtest gives tests a fresh PostgreSQL database each. The server
// is the one named by MICUENTA_TEST_POSTGRES when that is set; otherwise
// one throwaway cluster per test process, made with the system's initdb and
// pg_ctl in a temporary directory on a free port, and removed by Main.
// PostgreSQL refuses to run as root, so under root the cluster runs as the
// postgres system user.
//
// A package that uses pgtest declares
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"micuenta/internal/testutil/need"
)

var (
	once    sync.Once
	server  string // postgres:// URL of a database we may CREATE DATABASE from
	failure error
	cluster *localCluster
	counter atomic.Int64
)

// DSN returns the URL of a new, empty database, dropped when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if failure != nil {
		need.Unavailable(t, "PostgreSQL", failure.Error()+"; set MICUENTA_TEST_POSTGRES or install the postgresql package")
		return ""
	}
	name := fmt.Sprintf("micuenta_test_%d_%d", os.Getpid(), counter.Add(1))
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", server)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, _ := url.Parse(server)
	u.Path = "/" + name
	return u.String()
}

// Main runs the package's tests and then stops the throwaway cluster.
func Main(m *testing.M) {
	code := m.Run()
	if cluster != nil {
		cluster.stop()
	}
	os.Exit(code)
}

func setup() {
	if env := os.Getenv("MICUENTA_TEST_POSTGRES"); env != "" {
		server = env
		return
	}
	c, err := startCluster()
	if err != nil {
		failure = err
		return
	}
	cluster = c
	server = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

type localCluster struct {
	bin  string
	dir  string
	port int
	cred *syscall.Credential
}

// findBin looks for PostgreSQL's server binaries: PATH first, then the
// Debian layout /usr/lib/postgresql/<version>/bin, newest version first.
func findBin() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no initdb/pg_ctl found in PATH or /usr/lib/postgresql/*/bin")
}

func version(dir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return v
}

func startCluster() (*localCluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	c := &localCluster{bin: bin}
	base, err := os.MkdirTemp("", "micuenta-pgtest-*")
	if err != nil {
		return nil, err
	}
	c.dir = base
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(base)
			return nil, errors.New("running as root and there is no postgres system user to run the cluster as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chmod(base, 0o755); err != nil {
			return nil, err
		}
		if err := os.Chown(base, uid, gid); err != nil {
			os.RemoveAll(base)
			return nil, err
		}
	}
	data := filepath.Join(base, "data")
	if out, err := c.run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"); err != nil {
		os.RemoveAll(base)
		return nil, fmt.Errorf("initdb failed: %v: %s", err, lastLine(out))
	}
	for attempt := 0; attempt < 5; attempt++ {
		c.port, err = freePort()
		if err != nil {
			break
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", c.port, base)
		var out []byte
		out, err = c.run("pg_ctl", "-D", data, "-w", "-t", "60", "-l", filepath.Join(base, "log"), "-o", opts, "start")
		if err == nil {
			return c, nil
		}
		err = fmt.Errorf("pg_ctl start failed: %v: %s", err, lastLine(out))
	}
	os.RemoveAll(base)
	return nil, err
}

func (c *localCluster) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	return cmd.CombinedOutput()
}

func (c *localCluster) stop() {
	_, _ = c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
