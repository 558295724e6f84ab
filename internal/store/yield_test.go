package store_test

import (
	"context"
	"strings"
	"testing"

	"micuenta/internal/config"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/savings"
	"micuenta/internal/store"
	"micuenta/internal/synth"
)

type quietProgress struct{}

func (quietProgress) Start(int64) {}
func (quietProgress) Set(int64)   {}
func (quietProgress) Finish()     {}

// seedSmall loads 80 people with their histories as of 2026-11-24.
func seedSmall(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	ref, err := reference.Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	g, err := synth.NewGenerator(synth.Params{People: 80, Seed: 9, AsOf: portal.NewDate(2026, 11, 24)}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Run(ctx, db, quietProgress{}); err != nil {
		t.Fatal(err)
	}
}

// Posting a month's yield: the amount is the previous month's balance ×
// rate / 12 per earning bucket; posting twice posts nothing more; and for
// every person the movements still sum to the balance shown.
func TestPostYield(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedSmall(t, db)
		svc := savings.NewService(db)
		month := portal.NewDate(2026, 11, 1)
		// The basis: each bucket's balance at the end of October.
		before := map[int64]map[string]portal.Money{}
		maxID, _ := db.MaxPersonID(ctx)
		for id := int64(1); id <= maxID; id++ {
			before[id] = map[string]portal.Money{}
			all, _, _ := svc.Entries(ctx, id, savings.Filter{Limit: 1000})
			for _, e := range all {
				if e.ValueDate.Before(month) {
					before[id][e.Bucket] += e.Amount
				}
			}
		}
		n, err := db.PostYield(ctx, month, 65_600, 7, nil) // 6.56% a year
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatal("no yield posted")
		}
		again, err := db.PostYield(ctx, month, 65_600, 7, nil)
		if err != nil || again != 0 {
			t.Fatalf("second run posted %d (%v)", again, err)
		}
		var count int64
		for id := int64(1); id <= maxID; id++ {
			entries, total, _ := svc.Entries(ctx, id, savings.Filter{Kind: savings.KindRendimiento, Year: 2026, Limit: 100})
			_ = total
			for _, e := range entries {
				if e.Period != 202611 {
					continue
				}
				count++
				want := portal.Money(portal.RoundDiv(int64(before[id][e.Bucket])*65_600, 12_000_000))
				if e.Amount != want || e.Bucket == savings.BucketFondo72 {
					t.Fatalf("person %d %s: yield %v, want %v", id, e.Bucket, e.Amount, want)
				}
			}
			sum, _ := svc.Summary(ctx, id)
			all, _, _ := svc.Entries(ctx, id, savings.Filter{Limit: 1000})
			var s portal.Money
			for _, e := range all {
				s += e.Amount
			}
			if s != sum.Total {
				t.Fatalf("person %d: movements %v, balance %v", id, s, sum.Total)
			}
		}
		if count != n {
			t.Fatalf("%d yields found, %d posted", count, n)
		}
	})
}

// Two contributions imports on one PostgreSQL database: the second is told
// to wait; once the first lets go, it may run.
func TestContributionsImportLock(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		release, err := db.ContributionsImportLock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ContributionsImportLock(ctx)
		if db.Engine() == config.Postgres && (err == nil || !strings.Contains(err.Error(), "another contributions import is running")) {
			t.Fatalf("second lock on PostgreSQL: %v", err)
		}
		release()
		again, err := db.ContributionsImportLock(ctx)
		if err != nil {
			t.Fatalf("after release: %v", err)
		}
		again()
	})
}
