package bench

import (
	"context"
	"micuenta/internal/account"
	"os"
	"strconv"
	"testing"
	"time"

	"micuenta/internal/portal"
)

// BenchmarkPostYield posts one month's yield to every subaccount of a
// seeded population (MICUENTA_BENCH_PEOPLE people, default 100,000; the
// issue's figure is for 1,000,000, which takes about 9 minutes to seed).
//
//	MICUENTA_BENCH_PEOPLE=1000000 go test ./bench -run '^$' -bench PostYield/sqlite -benchtime 1x -timeout 60m
func BenchmarkPostYield(b *testing.B) {
	people := 100_000
	if s := os.Getenv("MICUENTA_BENCH_PEOPLE"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			people = n
		}
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			for range b.N {
				benchYield(b, engine, people)
			}
		})
	}
}

func benchYield(b *testing.B, engine string, people int) {
	b.StopTimer()
	ctx := context.Background()
	a := seededApp(b, engine, people, account.HashParams{})
	b.StartTimer()
	start := time.Now()
	n, err := a.DB.PostYield(ctx, portal.NewDate(2026, 11, 1), 65_600, 0, nil)
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil || n == 0 {
		b.Fatalf("posted %d: %v", n, err)
	}
	b.ReportMetric(float64(people)/elapsed.Seconds(), "accounts/s")
	b.ReportMetric(float64(n)/elapsed.Seconds(), "yields/s")
	b.ReportMetric(elapsed.Seconds(), "s/month")
}
