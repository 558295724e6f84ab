package store_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/notify"
	"micuenta/internal/portal"
	"micuenta/internal/store"
)

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode reads the newest code from the outbox, as a person reads it
// from their inbox.
func lastCode(t *testing.T, db *store.DB) string {
	t.Helper()
	ms, err := notify.NewOutbox(db).Recent(context.Background(), 1)
	if err != nil || len(ms) == 0 {
		t.Fatalf("no message: %v", err)
	}
	code := sixDigits.FindString(ms[0].Body)
	if code == "" {
		t.Fatalf("no code in %q", ms[0].Body)
	}
	return code
}

func TestOneTimeCodes(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			clock := &testClock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
			db := openMigratedWith(t, e.dsn(t), store.Options{Clock: clock})
			codes := account.NewCodes(db, notify.NewOutbox(db), account.NewLimiter(db, clock.Now), []byte("clave-de-codigos"), clock.Now)
			f := &account.Flow{ID: account.NewFlowID(), Kind: account.FlowRegistration, State: "contacto", CreatedAt: clock.t, ExpiresAt: clock.t.Add(time.Hour)}
			if err := db.CreateFlow(ctx, f); err != nil {
				t.Fatal(err)
			}
			send := func() string {
				t.Helper()
				if err := codes.Send(ctx, f, account.PurposeEmail, notify.Email, "lupita@correo.example", "203.0.113.9"); err != nil {
					t.Fatal(err)
				}
				return lastCode(t, db)
			}

			code := send()
			if err := codes.Verify(ctx, f, account.PurposeMobile, code); err == nil {
				t.Fatal("a code for the e-mail opened the mobile step")
			}
			if err := codes.Verify(ctx, f, account.PurposeEmail, " "+code[:3]+" "+code[3:]+" "); err != nil {
				t.Fatalf("right code with spaces: %v", err)
			}
			if err := codes.Verify(ctx, f, account.PurposeEmail, code); err == nil || !strings.Contains(portal.ErrorMessage(err), "ya se usó") {
				t.Fatalf("replayed code: %v", err)
			}

			// Five wrong entries void the code, even the right one after.
			code = send()
			wrong := "000000"
			if code == wrong {
				wrong = "111111"
			}
			for i := 1; i <= account.CodeMaxAttempts; i++ {
				err := codes.Verify(ctx, f, account.PurposeEmail, wrong)
				if err == nil {
					t.Fatal("wrong code accepted")
				}
				if i < account.CodeMaxAttempts && !strings.Contains(portal.ErrorMessage(err), "Te quedan") {
					t.Fatalf("attempt %d: %q", i, portal.ErrorMessage(err))
				}
			}
			if err := codes.Verify(ctx, f, account.PurposeEmail, code); err == nil {
				t.Fatal("the right code worked after five wrong ones")
			}

			// A new code voids the old one; an old code expires in 10 minutes.
			old := send()
			fresh := send()
			if old != fresh {
				if err := codes.Verify(ctx, f, account.PurposeEmail, old); err == nil {
					t.Fatal("the previous code still worked after a new one was sent")
				}
			}
			clock.t = clock.t.Add(account.CodeTTL)
			if err := codes.Verify(ctx, f, account.PurposeEmail, fresh); err == nil || !strings.Contains(portal.ErrorMessage(err), "venció") {
				t.Fatalf("expired code: %v", err)
			}

			// Five sends per 15 minutes per flow and purpose; the sixth waits.
			clock.t = clock.t.Add(account.CodeSendWindow)
			for range account.CodeSendsPerWindow {
				send()
			}
			err := codes.Send(ctx, f, account.PurposeEmail, notify.Email, "lupita@correo.example", "203.0.113.9")
			if portal.ErrorCode(err) != portal.ERATELIMIT {
				t.Fatalf("sixth send: %v", err)
			}
			if err := codes.Verify(ctx, f, account.PurposeEmail, "12a456"); portal.ErrorCode(err) != portal.EINVALID {
				t.Fatalf("letters in the code: %v", err)
			}
		})
	}
}
