package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/portal"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/vault"
)

// BenchmarkDashboardFigures measures what the operations dashboard costs
// at the real portal's size: the daily snapshot of the close (accounts
// from an index, accounts by state — the one full join —, one more day of
// sign-ins into active_accounts and their count), the very first snapshot
// (which fills active_accounts with 30 days), one day's derived roll-up
// (what every housekeeping pass does twice), and reading 30 days for the
// page. The database holds
// `accounts` people with an account each, created over six years, and the
// audit log of the last 30 days at the real portal's rate (138,000
// sign-ins a day, and 7,000 registrations).
//
//	go test ./bench -run '^$' -bench 'DashboardFigures/sqlite/1000000' -benchtime 1x -timeout 60m
//	go test ./bench -run '^$' -bench 'DashboardFigures/sqlite/9100000' -benchtime 1x -timeout 120m
func BenchmarkDashboardFigures(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, accounts := range []int{1_000_000, 9_100_000} {
			b.Run(fmt.Sprintf("%s/%d", engine, accounts), func(b *testing.B) { benchFigures(b, engine, accounts) })
		}
	}
}

const (
	signInsPerDay       = 138_000
	registrationsPerDay = 7_000
	auditDays           = 30
)

func benchFigures(b *testing.B, engine string, accounts int) {
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(b.TempDir(), "figures.db")
	if engine == "postgres" {
		dsn = pgtest.DSN(b)
	}
	cfg := config.Config{DB: dsn, Addr: "127.0.0.1:0", LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5e9}
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Vault: vault.NewRandom(), Migrate: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })

	today := portal.DateOf(time.Now())
	close := time.Date(today.Y, today.M, today.D, 0, 0, 0, 0, portal.MexicoCity).UTC()
	seedStart := time.Now()
	seedFigures(b, engine, dsn, accounts, close)
	b.Logf("seeded %d accounts and %d audit entries in %s", accounts, auditDays*(signInsPerDay+registrationsPerDay), time.Since(seedStart).Round(time.Second))

	// The first close also fills active_accounts with the 30 days before
	// it: once, when the portal starts keeping figures. Every later close
	// adds one day: that is the daily cost.
	yesterday := today.AddDays(-1)
	t0 := time.Now()
	if err := a.DB.SnapshotDay(ctx, yesterday.AddDays(-1), close.Add(-24*time.Hour)); err != nil {
		b.Fatal(err)
	}
	first := time.Since(t0)
	from, to := close.Add(-24*time.Hour), close
	b.ResetTimer()
	var snapshot, rollUp, read time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := a.DB.SnapshotDay(ctx, yesterday, close); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := a.DB.RollUpDay(ctx, yesterday, from, to); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		d, err := a.Figures.Dashboard(ctx, today.AddDays(-29), today)
		if err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		snapshot, rollUp, read = snapshot+t1.Sub(t0), rollUp+t2.Sub(t1), read+t3.Sub(t2)
		if d.Total != int64(accounts) || d.Active == 0 || d.AvgDailyActive == 0 {
			b.Fatalf("figures: total %d active %d daily %d", d.Total, d.Active, d.AvgDailyActive)
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(first.Seconds(), "first-snapshot-s")
	b.ReportMetric(snapshot.Seconds()/n, "snapshot-s")
	b.ReportMetric(rollUp.Seconds()/n*1000, "rollup-day-ms")
	b.ReportMetric(read.Seconds()/n*1000, "dashboard-read-ms")
}

// seedFigures writes the people, accounts and audit log straight in SQL:
// the figures read only a few columns, and this is minutes instead of
// hours at 9 million. Identifiers are placeholders (unique blobs), never
// real-looking data.
func seedFigures(b *testing.B, engine, dsn string, accounts int, close time.Time) {
	driver, source := "sqlite", strings.TrimPrefix(dsn, "sqlite:")
	if engine == "postgres" {
		driver, source = "pgx", dsn
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	sqlite := engine == "sqlite"
	series := func(n int) string {
		if sqlite {
			return fmt.Sprintf("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) ", n)
		}
		return ""
	}
	from := func(n int) string {
		if sqlite {
			return "FROM s"
		}
		return fmt.Sprintf("FROM generate_series(1, %d) AS s(i)", n)
	}
	blob := func(prefix string) string {
		if sqlite {
			return "CAST('" + prefix + "' || i AS BLOB)"
		}
		return "convert_to('" + prefix + "' || i, 'UTF8')"
	}
	// A time some seconds before the close, in each engine's storage.
	before := func(seconds string) string {
		if sqlite {
			return "strftime('%Y-%m-%d %H:%M:%S', '" + close.Format("2006-01-02 15:04:05") + "', '-' || (" + seconds + ") || ' seconds') || '+00:00'"
		}
		return "TIMESTAMP '" + close.Format("2006-01-02 15:04:05") + "' - (" + seconds + ") * INTERVAL '1 second'"
	}
	states := []string{"DF", "NL", "MC", "JC", "CH", "BC", "GT", "VZ", "PL", "SO", "TS", "CL", "QT", "SL", "YN", "MN"}
	stateExpr := "CASE (i % " + fmt.Sprint(len(states)) + ")"
	for k, s := range states {
		stateExpr += fmt.Sprintf(" WHEN %d THEN '%s'", k, s)
	}
	stateExpr += " END"
	sixYears := "(i % 2190) * 86400 + 3600"
	stmts := []string{
		series(accounts) + `INSERT INTO people (id, nss_index, curp_index, rfc_index, nss_sealed, curp_sealed, rfc_sealed, given_names, first_surname,
			birth_date, sex, state, created_at, updated_at)
			SELECT i, ` + blob("n") + `, ` + blob("c") + `, ` + blob("r") + `, ` + blob("") + `, ` + blob("") + `, ` + blob("") + `, 'Persona', 'Prueba',
			'1985-01-01', CASE WHEN i % 2 = 0 THEN 'M' ELSE 'H' END, ` + stateExpr + `, ` + before(sixYears) + `, ` + before(sixYears) + ` ` + from(accounts),
		series(accounts) + `INSERT INTO accounts (id, person_id, email_index, email_sealed, mobile_index, mobile_sealed, password_hash, terms_version,
			privacy_version, accepted_at, password_changed_at, created_at, updated_at)
			SELECT i, i, ` + blob("e") + `, ` + blob("") + `, ` + blob("m") + `, ` + blob("") + `, 'x', 'v1', 'v1', ` +
			before(sixYears) + `, ` + before(sixYears) + `, ` + before(sixYears) + `, ` + before(sixYears) + ` ` + from(accounts),
		// Sign-ins spread over 30 days, by accounts spread over everyone.
		series(auditDays*signInsPerDay) + `INSERT INTO audit_log (at, action, account_id, ip) SELECT ` +
			before(fmt.Sprintf("i %% %d", auditDays*86400)) + fmt.Sprintf(`, 'signin.succeeded', (i * 7919) %% %d + 1, '10.0.0.1' `, accounts) + from(auditDays*signInsPerDay),
		series(auditDays*registrationsPerDay) + `INSERT INTO audit_log (at, action, account_id, person_id, ip) SELECT ` +
			before(fmt.Sprintf("(i * 13) %% %d", auditDays*86400)) + fmt.Sprintf(`, 'registration.completed', i %% %d + 1, i %% %d + 1, '10.0.0.2' `, accounts, accounts) + from(auditDays*registrationsPerDay),
	}
	if !sqlite {
		stmts = append(stmts, "ANALYZE")
	} else {
		stmts = append(stmts, "ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)")
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			b.Fatalf("seed: %v\n%s", err, q)
		}
	}
}
