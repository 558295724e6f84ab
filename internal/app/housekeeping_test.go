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
	"micuenta/internal/request"
	"micuenta/internal/testutil/testdocs"
	"micuenta/internal/upload"
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

// The sweep deletes stored documents no request names once they are a
// day old, and never a document a request names or one just written.
func TestHousekeepingSweepsOrphanDocuments(t *testing.T) {
	a, _, _, _ := newPortal(t, "sqlite", func(c *config.Config) { c.Demo = true })
	ctx := context.Background()
	put := func(age time.Duration) string {
		name := upload.NewName(upload.PDF)
		if err := a.Files.Put(ctx, name, testdocs.PDF(t, "x")); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(filepath.Join(a.Config.DocumentsDir, name[:2], name), when, when); err != nil {
			t.Fatal(err)
		}
		return name
	}
	oldOrphan, newOrphan := put(72*time.Hour), put(time.Minute)
	q, err := a.Requests.File(ctx, request.Correccion, 3, []byte(`{"campo":"rfc","valor":"X"}`), []request.Upload{testdocs.Upload(t, "csf.pdf", testdocs.PDF(t, "CSF"))})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := a.Requests.Documents(ctx, q)
	used := docs[0].StorageName
	old := time.Now().Add(-72 * time.Hour)
	_ = os.Chtimes(filepath.Join(a.Config.DocumentsDir, used[:2], used), old, old)
	h, err := a.Housekeep(ctx)
	if err != nil || h.OrphanDocuments != 1 {
		t.Fatalf("swept %d: %v", h.OrphanDocuments, err)
	}
	for name, want := range map[string]bool{oldOrphan: false, newOrphan: true, used: true} {
		rc, err := a.Files.Open(ctx, name)
		if exists := err == nil; exists != want {
			t.Errorf("%s exists %v, want %v", name, exists, want)
		}
		if rc != nil {
			rc.Close()
		}
	}
}
