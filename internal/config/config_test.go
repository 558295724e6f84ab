package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const k1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // 32 bytes
const k2 = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=" // 32 bytes

func load(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	var c Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := c.Bind(fs, func(k string) string { return env[k] }); err != nil {
		return &c, err
	}
	if err := fs.Parse(args); err != nil {
		return &c, err
	}
	return &c, c.Validate()
}

func TestDefaultsAndPrecedence(t *testing.T) {
	c, err := load(t, map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_ADDR": "127.0.0.1:9000"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "sqlite:data/micuenta.db" || c.Addr != "127.0.0.1:9000" || c.ShutdownTimeout != 15*time.Second {
		t.Fatalf("%+v", c)
	}
	c, err = load(t, map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_ADDR": "127.0.0.1:9000"}, "--addr", "127.0.0.1:9001")
	if err != nil || c.Addr != "127.0.0.1:9001" {
		t.Fatalf("flag should win over the environment: %v %v", c.Addr, err)
	}
}

func TestSecretFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k")
	if err := os.WriteFile(path, []byte(k1+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := load(t, map[string]string{"MICUENTA_DATA_KEY_FILE": path, "MICUENTA_LOOKUP_KEY": k2})
	if err != nil || c.DataKey != k1 {
		t.Fatalf("DataKey %q err %v", c.DataKey, err)
	}
}

func TestValidationMessages(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "required outside demo mode"},
		{map[string]string{"MICUENTA_DATA_KEY": "abc", "MICUENTA_LOOKUP_KEY": k2}, "MICUENTA_DATA_KEY"},
		{map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k1}, "different keys"},
		{map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_DB": "oracle://x"}, "not supported"},
		{map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_ADDR": "8080"}, "host:port"},
		{map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_LOG_FORMAT": "xml"}, "text or json"},
		{map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_DEV": "maybe"}, "boolean"},
		{map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_BASE_URL": "ftp://x"}, "http(s)"},
		{map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_TRUSTED_PROXIES": "10.0.0.0/8,balanceador"}, "\"balanceador\" is neither an address nor a CIDR range"},
		{map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_AUDIT_RETENTION_YEARS": "2"}, "from 5 (the minimum the fund must keep)"},
	}
	for _, c := range cases {
		_, err := load(t, c.env)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err %v, want %q", c.env, err, c.want)
		}
	}
}

func TestParseDB(t *testing.T) {
	if e, src, err := ParseDB("sqlite:data/x.db"); err != nil || e != SQLite || src != "data/x.db" {
		t.Fatal(e, src, err)
	}
	if e, _, err := ParseDB("postgres://u:p@h/db"); err != nil || e != Postgres {
		t.Fatal(e, err)
	}
	if got := RedactDSN("postgres://u:secreto@h/db"); strings.Contains(got, "secreto") {
		t.Fatal(got)
	}
}

func TestPrintRedacts(t *testing.T) {
	c, err := load(t, map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2, "MICUENTA_DB": "postgres://u:secreto@h/db"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	c.Print(&b)
	if strings.Contains(b.String(), k1) || strings.Contains(b.String(), "secreto") {
		t.Fatalf("secret printed:\n%s", b.String())
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := load(t, map[string]string{"MICUENTA_DATA_KEY": k1, "MICUENTA_LOOKUP_KEY": k2}, "--trusted-proxies", "10.0.0.0/8, 192.0.2.7 ,::ffff:10.1.1.1")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 3 || c.TrustedProxies[0].String() != "10.0.0.0/8" || c.TrustedProxies[1].String() != "192.0.2.7/32" || c.TrustedProxies[2].String() != "10.1.1.1/32" {
		t.Fatalf("proxies %v", c.TrustedProxies)
	}
}
