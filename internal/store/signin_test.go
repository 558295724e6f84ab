package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/audit"
	"micuenta/internal/portal"
	"micuenta/internal/store"
)

func TestSignInThrottlingAndAntiEnumeration(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			clock := &testClock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
			db := openMigratedWith(t, e.dsn(t), store.Options{Clock: clock})
			weak := account.NewHasher(account.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}, 2)
			hash, _ := weak.Hash(ctx, "Tamales#2026")
			if _, err := db.LoadRecords(ctx, &store.Records{People: sampleRecords(t).People}); err != nil {
				t.Fatal(err)
			}
			acc := &account.Account{PersonID: 1, Email: "lupita@correo.example", Mobile: "5512345678", PasswordHash: hash,
				TermsVersion: "1.0", PrivacyVersion: "1.0", AcceptedAt: clock.t}
			if err := db.CreateAccount(ctx, acc); err != nil {
				t.Fatal(err)
			}
			hasher := account.NewHasher(account.HashParams{MemoryKiB: 128, Time: 1, Threads: 1}, 2)
			auth := account.NewAuthenticator(db, hasher, account.NewLimiter(db, clock.Now), audit.New(db, clock.Now), clock.Now)
			try := func(id, pw string) error {
				_, err := auth.CheckPassword(ctx, id, pw, "203.0.113.9", "prueba")
				return err
			}

			// Unknown e-mail, unknown NSS, malformed identifier and wrong
			// password all get the very same answer.
			for _, c := range [][2]string{{"nadie@correo.example", "Tamales#2026"}, {"12345678903", "Tamales#2026"}, {"hola", "x"}, {"lupita@correo.example", "Tamales#2025"}} {
				if err := try(c[0], c[1]); err != account.ErrBadCredentials {
					t.Fatalf("%v: %v", c, err)
				}
			}
			clock.t = clock.t.Add(time.Minute)
			// Right password by e-mail (any case) and by NSS; the weaker hash is upgraded.
			res, err := auth.CheckPassword(ctx, "LUPITA@correo.example", "Tamales#2026", "203.0.113.9", "")
			if err != nil || !res.Rehashed {
				t.Fatalf("right password: %v %+v", err, res)
			}
			stored, _ := db.FindAccountByID(ctx, acc.ID)
			if !strings.Contains(stored.PasswordHash, "m=128") || stored.FailedSignins != 0 {
				t.Fatalf("after success: hash %q, failures %d", stored.PasswordHash, stored.FailedSignins)
			}
			if err := try("92919084431", "Tamales#2026"); err != nil {
				t.Fatalf("by NSS: %v", err)
			}

			// Three free failures, then growing delays: an immediate retry is
			// refused even with the right password, a patient one is not.
			for range 4 {
				_ = try("lupita@correo.example", "mal")
			}
			if err := try("lupita@correo.example", "Tamales#2026"); err != account.ErrBadCredentials {
				t.Fatalf("retry inside the delay: %v", err)
			}
			clock.t = clock.t.Add(3 * time.Second)
			if err := try("lupita@correo.example", "Tamales#2026"); err != nil {
				t.Fatalf("after the delay: %v", err)
			}

			// Ten failures in a row lock the password step for 15 minutes.
			for range account.LockAfter {
				clock.t = clock.t.Add(2 * time.Minute) // past any delay
				_ = try("lupita@correo.example", "mal")
			}
			clock.t = clock.t.Add(2 * time.Minute)
			if err := try("lupita@correo.example", "Tamales#2026"); err != account.ErrBadCredentials {
				t.Fatalf("locked account accepted the right password: %v", err)
			}
			clock.t = clock.t.Add(account.LockFor)
			if err := try("lupita@correo.example", "Tamales#2026"); err != nil {
				t.Fatalf("after the lock: %v", err)
			}
			log, _ := audit.New(db, clock.Now).ForAccount(ctx, acc.ID, 100)
			var locked int
			for _, e := range log {
				if e.Action == audit.SignInLocked {
					locked++
				}
			}
			if locked == 0 {
				t.Fatal("the lockout was not audited")
			}

			// One address may not hammer: past the per-IP limit it waits.
			var last error
			for range 70 {
				_, last = auth.CheckPassword(ctx, "nadie@correo.example", "x", "198.51.100.7", "")
			}
			if portal.ErrorCode(last) != portal.ERATELIMIT {
				t.Fatalf("per-IP limit: %v", last)
			}
		})
	}
}
