package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"micuenta/internal/store"
	"micuenta/internal/vault"
)

func TestOpenErrorsSayWhatToDo(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		dsn, want string
	}{
		{"mysql://localhost/x", "not supported"},
		{"sqlite:", "needs a file path"},
		{"sqlite:" + filepath.Join(file, "sub", "db.sqlite"), "--db sqlite:PATH"},
		{"sqlite:" + t.TempDir(), "is a directory"},
		{"postgres://nobody:secret@127.0.0.1:1/micuenta?connect_timeout=2", "cannot reach PostgreSQL"},
	}
	for _, c := range cases {
		db, err := store.Open(ctx, c.dsn, vault.NewRandom(), store.Options{})
		if err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", c.dsn)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open(%q) = %q, want it to mention %q", c.dsn, err, c.want)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) error reveals the password: %q", c.dsn, err)
		}
	}
}
