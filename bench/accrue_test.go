package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/portal"
)

// BenchmarkAccrue posts one month's interest and insurance to every live
// credit of a seeded population (MICUENTA_BENCH_PEOPLE people, default
// 100,000; 31% of the seeded people have a credit, so the issue's
// 1,000,000 credits need about 3,200,000 people — 989,070 in the run
// recorded in BENCHMARKS.md).
//
//	MICUENTA_BENCH_PEOPLE=3200000 go test ./bench -run '^$' -bench Accrue/sqlite -benchtime 1x -timeout 120m
func BenchmarkAccrue(b *testing.B) {
	people := 100_000
	if s := os.Getenv("MICUENTA_BENCH_PEOPLE"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			people = n
		}
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			for range b.N {
				benchAccrue(b, engine, people)
			}
		})
	}
}

func benchAccrue(b *testing.B, engine string, people int) {
	b.StopTimer()
	ctx := context.Background()
	a := seededApp(b, engine, people, account.HashParams{})
	t, err := a.DB.Totals(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	start := time.Now()
	n, err := a.DB.Accrue(ctx, portal.NewDate(2026, 12, 1), 11731, 0, nil) // December: interest and insurance
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil || n == 0 {
		b.Fatalf("posted %d: %v", n, err)
	}
	b.ReportMetric(float64(t.Credits), "credits")
	b.ReportMetric(float64(t.Credits)/elapsed.Seconds(), "credits/s")
	b.ReportMetric(float64(n)/elapsed.Seconds(), "movements/s")
	b.ReportMetric(elapsed.Seconds(), "s/month")
}
