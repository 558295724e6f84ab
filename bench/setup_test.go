package bench

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/synth"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/vault"
)

// seededApp builds the portal on a fresh database of the engine (closed
// when the benchmark ends) with a synthetic population of people.
func seededApp(b *testing.B, engine string, people int, hash account.HashParams) *app.App {
	b.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
	if engine == "postgres" {
		dsn = pgtest.DSN(b)
	}
	cfg := config.Config{DB: dsn, Addr: "127.0.0.1:0", LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5e9}
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Vault: vault.NewRandom(), Migrate: true, HashParams: hash})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	ref, err := reference.Load(ctx, a.DB)
	if err != nil {
		b.Fatal(err)
	}
	g, err := synth.NewGenerator(synth.Params{People: people, Seed: 1, AsOf: portal.NewDate(2026, 11, 24)}, ref)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := g.Run(ctx, a.DB, silent{}); err != nil {
		b.Fatal(err)
	}
	return a
}

type silent struct{}

func (silent) Start(int64) {}
func (silent) Set(int64)   {}
func (silent) Finish()     {}
