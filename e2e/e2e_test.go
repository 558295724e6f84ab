// Package e2e holds the browser journeys: the real app on a temporary
// database, driven by headless Chromium, every page checked with axe-core.
package e2e

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/vault"
)

// startPortal serves the whole portal on a fresh SQLite database and
// returns its base URL.
func startPortal(t *testing.T) string {
	base, _ := startPortalApp(t)
	return base
}

// startPortalApp is startPortal that also returns the app, with a small
// synthetic population and the demo account.
func startPortalApp(t *testing.T) (string, *app.App) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := config.Config{
		DB: "sqlite:" + filepath.Join(t.TempDir(), "e2e.db"), Addr: "127.0.0.1:0",
		LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5e9, Demo: true,
	}
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Vault: vault.NewRandom(), Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := a.Listen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = a.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done; a.Close() })
	return "http://" + ln.Addr().String(), a
}
