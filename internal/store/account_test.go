package store_test

import (
	"context"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/portal"
	"micuenta/internal/store"
)

// testClock is a movable clock for session time-outs.
type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time { return c.t }

func newAccount(t *testing.T, db *store.DB) *account.Account {
	t.Helper()
	ctx := context.Background()
	if _, err := db.LoadRecords(ctx, &store.Records{People: sampleRecords(t).People}); err != nil {
		t.Fatal(err)
	}
	a := &account.Account{PersonID: 1, Email: " Lupita.HG@Correo.example ", Mobile: "5512345678", PasswordHash: "$argon2id$x",
		TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion, AcceptedAt: time.Now()}
	if err := db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAccountsAreUniqueAndFoundByEmail(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAccount(t, db)
		got, err := db.FindAccountByEmail(ctx, "lupita.hg@correo.example")
		if err != nil || got.ID != a.ID || got.Mobile != "5512345678" || got.Email != "lupita.hg@correo.example" {
			t.Fatalf("by email: %+v %v", got, err)
		}
		if _, err := db.FindAccountByPerson(ctx, 1); err != nil {
			t.Fatal(err)
		}
		dup := *a
		dup.ID = 0
		if err := db.CreateAccount(ctx, &dup); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("second account for the same person and e-mail: %v, want ECONFLICT", err)
		}
		if _, err := db.FindAccountByEmail(ctx, "otra@correo.example"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("unknown e-mail: %v", err)
		}
	})
}

func TestSessionsTimeOut(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			clock := &testClock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
			db := openMigratedWith(t, e.dsn(t), store.Options{Clock: clock})
			a := newAccount(t, db)
			ss := account.NewSessions(db, clock.Now)

			token, s1, err := ss.Start(ctx, a.ID, 0, "203.0.113.9", "Firefox")
			if err != nil {
				t.Fatal(err)
			}
			// A session read back brings its account's person, named.
			if got, err := ss.Check(ctx, token); err != nil || got.ID != s1.ID || got.PersonID != a.PersonID ||
				got.Holder.Name != "GUADALUPE HERNÁNDEZ GARCÍA" || got.Holder.NSS.String() != "92919084431" {
				t.Fatalf("fresh session: %+v %v", got, err)
			}
			if _, err := ss.Check(ctx, token+"x"); portal.ErrorCode(err) != portal.EUNAUTHORIZED {
				t.Fatalf("forged token: %v", err)
			}
			// Activity keeps it alive past the idle time-out…
			for range 5 {
				clock.t = clock.t.Add(10 * time.Minute)
				if _, err := ss.Check(ctx, token); err != nil {
					t.Fatalf("active session ended: %v", err)
				}
			}
			// …but 15 idle minutes end it.
			clock.t = clock.t.Add(account.IdleTimeout)
			if _, err := ss.Check(ctx, token); portal.ErrorCode(err) != portal.EUNAUTHORIZED {
				t.Fatalf("idle session: %v", err)
			}
			// The absolute limit ends even an active session.
			token2, _, _ := ss.Start(ctx, a.ID, 0, "", "")
			for elapsed := time.Duration(0); elapsed < account.AbsoluteTimeout-10*time.Minute; elapsed += 10 * time.Minute {
				clock.t = clock.t.Add(10 * time.Minute)
				if _, err := ss.Check(ctx, token2); err != nil {
					t.Fatalf("after %v: %v", elapsed, err)
				}
			}
			clock.t = clock.t.Add(11 * time.Minute)
			if _, err := ss.Check(ctx, token2); portal.ErrorCode(err) != portal.EUNAUTHORIZED {
				t.Fatalf("past 12 hours: %v", err)
			}
			// Ending the others keeps the current one.
			keep, cur, _ := ss.Start(ctx, a.ID, 0, "", "")
			other, _, _ := ss.Start(ctx, a.ID, 0, "", "")
			if n, err := ss.EndOthers(ctx, a.ID, cur.ID); err != nil || n < 1 {
				t.Fatalf("EndOthers: %d %v", n, err)
			}
			if _, err := ss.Check(ctx, keep); err != nil {
				t.Fatalf("current session ended: %v", err)
			}
			if _, err := ss.Check(ctx, other); err == nil {
				t.Fatal("other session survived")
			}
			list, err := ss.List(ctx, a.ID)
			if err != nil || len(list) != 1 || list[0].ID != cur.ID || list[0].PersonID != a.PersonID || list[0].Holder.Name != "GUADALUPE HERNÁNDEZ GARCÍA" {
				t.Fatalf("list %+v %v", list, err)
			}
		})
	}
}

// hookedSessions is the real store with a hook run as a flush of batched
// touches begins, to act while it is under way.
type hookedSessions struct {
	*store.DB
	during func()
}

func (h hookedSessions) TouchSessions(ctx context.Context, seen map[int64]time.Time) error {
	if h.during != nil {
		h.during()
	}
	return h.DB.TouchSessions(ctx, seen)
}

// With touches batched (as serve runs), activity is written at the next
// flush, in one go; until then the process that saw it still counts it,
// also while the flush is under way; a failed flush keeps it for the next;
// and a flush never moves another process's newer time back.
func TestSessionTouchesBatched(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
			clock := &testClock{t: start}
			db := openMigratedWith(t, e.dsn(t), store.Options{Clock: clock})
			a := newAccount(t, db)
			hooked := &hookedSessions{DB: db}
			ss := account.NewSessions(hooked, clock.Now)
			ss.BatchTouches()
			other := account.NewSessions(db, clock.Now) // another serve process, writing at once
			lastSeen := func(id int64) time.Time {
				t.Helper()
				list, err := db.AccountSessions(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range list {
					if s.ID == id {
						return s.LastSeenAt.UTC()
					}
				}
				t.Fatalf("session %d is gone", id)
				return time.Time{}
			}

			token, s, err := ss.Start(ctx, a.ID, 0, "203.0.113.9", "Firefox")
			if err != nil {
				t.Fatal(err)
			}
			clock.t = start.Add(10 * time.Minute)
			if _, err := ss.Check(ctx, token); err != nil {
				t.Fatal(err)
			}
			if got := lastSeen(s.ID); !got.Equal(start) {
				t.Fatalf("before the flush the store has %v, want %v", got, start)
			}
			// 20 minutes after the start, 10 after the activity only this
			// process has seen so far: alive here.
			clock.t = start.Add(20 * time.Minute)
			if got, err := ss.Check(ctx, token); err != nil || !got.LastSeenAt.Equal(start.Add(20*time.Minute)) {
				t.Fatalf("batched activity not counted: %+v %v", got, err)
			}
			// A flush that fails (its context already ended) keeps the time.
			dead, cancel := context.WithCancel(ctx)
			cancel()
			if err := ss.FlushTouches(dead); err == nil {
				t.Fatal("flush with an ended context succeeded")
			}
			// While the next flush is under way its times still count.
			hooked.during = func() {
				clock.t = start.Add(34 * time.Minute)
				if _, err := ss.Check(ctx, token); err != nil {
					t.Errorf("during the flush: %v", err)
				}
			}
			if err := ss.FlushTouches(ctx); err != nil {
				t.Fatal(err)
			}
			hooked.during = nil
			if got := lastSeen(s.ID); !got.Equal(start.Add(20 * time.Minute)) {
				t.Fatalf("after the flush the store has %v, want the batched %v", got, start.Add(20*time.Minute))
			}
			// The touch made during the flush is written by the next one…
			if err := ss.FlushTouches(ctx); err != nil {
				t.Fatal(err)
			}
			if got := lastSeen(s.ID); !got.Equal(start.Add(34 * time.Minute)) {
				t.Fatalf("second flush: %v", got)
			}
			// …and the other process, which writes at once, sees it.
			clock.t = start.Add(45 * time.Minute)
			if _, err := other.Check(ctx, token); err != nil {
				t.Fatalf("other process: %v", err)
			}
			// A stale time flushed later does not move the newer one back.
			if err := db.TouchSessions(ctx, map[int64]time.Time{s.ID: start.Add(40 * time.Minute)}); err != nil {
				t.Fatal(err)
			}
			if got := lastSeen(s.ID); !got.Equal(start.Add(45 * time.Minute)) {
				t.Fatalf("a stale flush moved the time to %v", got)
			}
			// Nothing batched, nothing written.
			hooked.during = func() { t.Error("a flush with nothing batched went to the store") }
			if err := ss.FlushTouches(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A session is found by its token's hash with what checking it and
// greeting its person need; AccountSessions lists the rest (IP, browser,
// start) for the security page.
func TestFindSessionReadsWhatARequestNeeds(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		acc := newAccount(t, db)
		holder := sampleRecords(t).People[0] // newAccount's person
		now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		s := &account.Session{TokenHash: account.TokenHash("ficha"), AccountID: acc.ID, DeviceID: 7, IP: "203.0.113.9", UserAgent: "Firefox",
			CreatedAt: now, LastSeenAt: now.Add(time.Minute), ExpiresAt: now.Add(account.AbsoluteTimeout)}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindSession(ctx, account.TokenHash("ficha"))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != s.ID || got.AccountID != acc.ID || got.PersonID != acc.PersonID || got.DeviceID != 7 ||
			!got.LastSeenAt.Equal(s.LastSeenAt) || !got.ExpiresAt.Equal(s.ExpiresAt) {
			t.Fatalf("found %+v, made %+v", got, s)
		}
		if got.Holder.Name != holder.FullName() || got.Holder.NSS != holder.NSS {
			t.Fatalf("holder %+v, want %s %s", got.Holder, holder.FullName(), holder.NSS)
		}
		if _, err := db.FindSession(ctx, account.TokenHash("otra")); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("unknown token: %v", err)
		}
		list, err := db.AccountSessions(ctx, acc.ID)
		if err != nil || len(list) != 1 || list[0].IP != "203.0.113.9" || list[0].UserAgent != "Firefox" || !list[0].CreatedAt.Equal(now) ||
			list[0].Holder.Name != holder.FullName() {
			t.Fatalf("account's sessions: %v %+v", err, list)
		}
	})
}
