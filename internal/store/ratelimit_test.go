package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/store"
)

func TestRateLimitHoldsUnderConcurrency(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 9, 0, 30, 0, time.UTC)
		l := account.NewLimiter(db, func() time.Time { return now })
		var mu sync.Mutex
		allowed := 0
		var wg sync.WaitGroup
		for range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, _, err := l.Allow(ctx, "ip:203.0.113.9", 10, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if allowed != 10 {
			t.Fatalf("%d of 40 concurrent hits allowed, want exactly 10", allowed)
		}
		ok, retry, _ := l.Allow(ctx, "ip:203.0.113.9", 10, time.Minute)
		if ok || retry != 30*time.Second {
			t.Fatalf("over the limit: ok=%v retry=%v", ok, retry)
		}
		if ok, _, _ := l.Allow(ctx, "ip:198.51.100.1", 10, time.Minute); !ok {
			t.Fatal("another key was limited")
		}
		now = now.Add(time.Minute)
		if ok, _, _ := l.Allow(ctx, "ip:203.0.113.9", 10, time.Minute); !ok {
			t.Fatal("the next window was still limited")
		}
	})
}
