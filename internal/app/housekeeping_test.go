package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/config"
)

// The housekeeping pass purges expired sessions and flows, and takes the
// day's backup once, after the configured hour.
func TestHousekeeping(t *testing.T) {
	dir := t.TempDir()
	a, clock, _, _ := newPortal(t, "sqlite", func(c *config.Config) { c.Demo, c.BackupDir, c.BackupHour, c.BackupKeep = true, dir, 3, 7 })
	ctx := context.Background()
	// 02:00 in Mexico City: before the backup hour.
	clock.Set(time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC))
	now := clock.Now()
	old := &account.Session{TokenHash: account.TokenHash("viejo"), AccountID: 1, CreatedAt: now.Add(-13 * time.Hour),
		LastSeenAt: now.Add(-12 * time.Hour), ExpiresAt: now.Add(-time.Hour)}
	live := &account.Session{TokenHash: account.TokenHash("vivo"), AccountID: 1, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	for _, s := range []*account.Session{old, live} {
		if err := a.DB.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.DB.CreateFlow(ctx, &account.Flow{ID: account.NewFlowID(), Kind: account.FlowRecovery, State: "x", CreatedAt: now.Add(-3 * time.Hour),
		ExpiresAt: now.Add(-2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	h, err := a.Housekeep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h.Sessions != 1 || h.Flows != 1 || h.Backup != nil {
		t.Fatalf("first pass: %+v", h)
	}
	if _, err := a.DB.FindSession(ctx, live.TokenHash); err != nil {
		t.Fatal("the live session was purged")
	}
	// 04:00: the day's backup, once.
	clock.Set(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	if h, err = a.Housekeep(ctx); err != nil || h.Backup == nil {
		t.Fatalf("second pass: %+v %v", h, err)
	}
	clock.Add(app.HousekeepEvery)
	if h, err = a.Housekeep(ctx); err != nil || h.Backup != nil {
		t.Fatalf("a second backup the same day: %+v %v", h, err)
	}
	entries, _ := os.ReadDir(dir)
	var manifests int
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "-manifest.json") {
			manifests++
		}
	}
	if manifests != 1 {
		t.Fatalf("%d backups in %s", manifests, filepath.Base(dir))
	}
}
