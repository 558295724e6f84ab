package store

import (
	"context"
	"strings"
	"testing"
)

// While a file posts, the writer checkpoints only past importWALPages (a
// reader copies the WAL into the database meanwhile); finish puts the
// writer's threshold back.
func TestStartPostingMovesCheckpoints(t *testing.T) {
	ctx := context.Background()
	db := migratedSQLite(t)
	threshold := func() int64 {
		var n int64
		if err := db.write.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := threshold()
	finish, err := db.StartPosting(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := threshold(); got != importWALPages {
		t.Fatalf("threshold while posting %d, want %d", got, importWALPages)
	}
	// Some writes for the checkpoints to copy.
	if _, err := db.write.ExecContext(ctx, "CREATE TABLE filler (b BLOB)"); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if _, err := db.write.ExecContext(ctx, "INSERT INTO filler VALUES (?)", []byte(strings.Repeat("x", 64<<10))); err != nil {
			t.Fatal(err)
		}
	}
	if err := finish(ctx); err != nil {
		t.Fatal(err)
	}
	if got := threshold(); got != before {
		t.Fatalf("threshold after posting %d, want %d back", got, before)
	}
}
