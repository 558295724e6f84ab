package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/store"
)

func TestAuditLogAppendsAndLists(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
		log := audit.New(db, func() time.Time { return now })
		for i, action := range []string{audit.SignInFailed, audit.SignInFailed, audit.SignInSucceeded} {
			now = now.Add(time.Minute)
			if err := log.Record(ctx, audit.Entry{Action: action, AccountID: 7, IP: "203.0.113.9", UserAgent: strings.Repeat("x", 400), Detail: string(rune('a' + i))}); err != nil {
				t.Fatal(err)
			}
		}
		_ = log.Record(ctx, audit.Entry{Action: audit.SignInSucceeded, AccountID: 8})
		got, err := log.ForAccount(ctx, 7, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Action != audit.SignInSucceeded || got[1].Detail != "b" || got[0].IP != "203.0.113.9" {
			t.Fatalf("entries %+v", got)
		}
		if len(got[0].UserAgent) != 256 || !got[0].At.Equal(time.Date(2026, 11, 24, 12, 3, 0, 0, time.UTC)) {
			t.Fatalf("user agent %d chars, at %v", len(got[0].UserAgent), got[0].At)
		}
	})
}
