package store_test

import (
	"context"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/portal"
	"micuenta/internal/store"
)

// A session is found by its token's hash with what checking it and
// greeting its person need; AccountSessions lists the rest (IP, browser,
// start) for the security page.
func TestFindSessionReadsWhatARequestNeeds(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
			db := openMigratedWith(t, e.dsn(t), store.Options{Clock: &testClock{t: now}})
			people := sampleRecords(t).People
			if _, err := db.LoadRecords(ctx, &store.Records{People: people}); err != nil {
				t.Fatal(err)
			}
			acc := &account.Account{PersonID: 1, Email: "lupita@correo.example", Mobile: "5512345678", PasswordHash: "x",
				TermsVersion: "1.0", PrivacyVersion: "1.0", AcceptedAt: now}
			if err := db.CreateAccount(ctx, acc); err != nil {
				t.Fatal(err)
			}
			s := &account.Session{TokenHash: account.TokenHash("ficha"), AccountID: acc.ID, DeviceID: 7, IP: "203.0.113.9", UserAgent: "Firefox",
				CreatedAt: now, LastSeenAt: now.Add(time.Minute), ExpiresAt: now.Add(account.AbsoluteTimeout)}
			if err := db.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
			got, err := db.FindSession(ctx, account.TokenHash("ficha"))
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != s.ID || got.AccountID != acc.ID || got.PersonID != 1 || got.DeviceID != 7 ||
				!got.LastSeenAt.Equal(s.LastSeenAt) || !got.ExpiresAt.Equal(s.ExpiresAt) {
				t.Fatalf("found %+v, made %+v", got, s)
			}
			if got.Holder.Name != people[0].FullName() || got.Holder.NSS != people[0].NSS {
				t.Fatalf("holder %+v, want %s %s", got.Holder, people[0].FullName(), people[0].NSS)
			}
			if _, err := db.FindSession(ctx, account.TokenHash("otra")); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("unknown token: %v", err)
			}
			list, err := db.AccountSessions(ctx, acc.ID)
			if err != nil || len(list) != 1 || list[0].IP != "203.0.113.9" || list[0].UserAgent != "Firefox" || !list[0].CreatedAt.Equal(now) ||
				list[0].Holder.Name != people[0].FullName() {
				t.Fatalf("account's sessions: %v %+v", err, list)
			}
		})
	}
}
