package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"micuenta/internal/notify"
	"micuenta/internal/store"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/vault"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fixedClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func engines(t *testing.T, clock *fixedClock, fn func(t *testing.T, db *store.DB)) {
	for _, e := range []struct{ name, dsn string }{
		{"sqlite", ""}, {"postgres", "pg"},
	} {
		t.Run(e.name, func(t *testing.T) {
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "n.db")
			if e.dsn == "pg" {
				dsn = pgtest.DSN(t)
			}
			db, err := store.Open(context.Background(), dsn, vault.NewRandom(), store.Options{Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			fn(t, db)
		})
	}
}

// recorder is a sender that remembers what it delivered and can fail.
type recorder struct {
	mu   sync.Mutex
	sent []notify.Message
	fail error
}

func (r *recorder) Send(_ context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.sent = append(r.sent, m)
	return nil
}

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestOutboxDeliversCodesFirstAndExactlyOnce(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	engines(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		out := notify.NewOutbox(db)
		n, err := out.Enqueue(ctx,
			notify.Message{Channel: notify.Email, To: "a@correo.example", Subject: "Aviso", Body: "aviso", Priority: notify.PriorityBulk, DedupKey: "aviso:1:20253"},
			notify.Message{Channel: notify.SMS, To: "5512345678", Body: "Tu código es 123456", Priority: notify.PriorityCode},
		)
		if err != nil || n != 2 {
			t.Fatalf("enqueue: %d %v", n, err)
		}
		// The same notice again (a batch re-run) is not queued twice.
		if n, err := out.Enqueue(ctx, notify.Message{Channel: notify.Email, To: "a@correo.example", Body: "aviso", Priority: notify.PriorityBulk, DedupKey: "aviso:1:20253"}); err != nil || n != 0 {
			t.Fatalf("duplicate enqueue stored %d (%v)", n, err)
		}
		email, sms := &recorder{}, &recorder{}
		w := notify.NewWorker(db, map[notify.Channel]notify.Sender{notify.Email: email, notify.SMS: sms}, notify.WorkerConfig{}, clock.Now, quietLog)
		if got, err := w.RunOnce(ctx); err != nil || got != 2 {
			t.Fatalf("RunOnce handled %d (%v)", got, err)
		}
		if len(sms.sent) != 1 || sms.sent[0].Body != "Tu código es 123456" || len(email.sent) != 1 {
			t.Fatalf("sms %v email %v", sms.sent, email.sent)
		}
		if got, _ := w.RunOnce(ctx); got != 0 {
			t.Fatalf("a second round sent %d again", got)
		}
		recent, err := out.Recent(ctx, 10)
		if err != nil || len(recent) != 2 || recent[0].State != notify.StateSent || recent[0].To == "" {
			t.Fatalf("recent %+v %v", recent, err)
		}
	})
}

func TestOutboxRetriesWithBackoffThenFails(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	engines(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := notify.NewOutbox(db).Enqueue(ctx, notify.Message{Channel: notify.Email, To: "a@correo.example", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		flaky := &recorder{fail: errors.New("relay down")}
		w := notify.NewWorker(db, map[notify.Channel]notify.Sender{notify.Email: flaky},
			notify.WorkerConfig{MaxAttempts: 3, BaseBackoff: time.Minute, MaxBackoff: 10 * time.Minute}, clock.Now, quietLog)
		for attempt := 1; attempt <= 3; attempt++ {
			if got, _ := w.RunOnce(ctx); got != 1 {
				t.Fatalf("attempt %d: handled %d", attempt, got)
			}
			// Not due again until the back-off has passed.
			if got, _ := w.RunOnce(ctx); got != 0 {
				t.Fatalf("attempt %d: retried before the back-off", attempt)
			}
			clock.Add(15 * time.Minute)
		}
		if got, _ := w.RunOnce(ctx); got != 0 {
			t.Fatal("a message that failed three times was tried a fourth time")
		}
		recent, _ := notify.NewOutbox(db).Recent(ctx, 1)
		if recent[0].State != notify.StateFailed || recent[0].Attempts != 3 || recent[0].LastError == "" {
			t.Fatalf("after three failures: %+v", recent[0])
		}
	})
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	engines(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, _ = notify.NewOutbox(db).Enqueue(ctx, notify.Message{Channel: notify.SMS, To: "5512345678", Body: "x"})
		w := notify.NewWorker(db, map[notify.Channel]notify.Sender{notify.SMS: &recorder{fail: fmt.Errorf("%w: bad number", notify.ErrPermanent)}},
			notify.WorkerConfig{}, clock.Now, quietLog)
		_, _ = w.RunOnce(ctx)
		clock.Add(48 * time.Hour)
		if got, _ := w.RunOnce(ctx); got != 0 {
			t.Fatal("a permanent failure was retried")
		}
	})
}

// A worker that dies after claiming leaves its messages leased; when the
// lease ends another worker delivers them.
func TestExpiredLeaseIsReclaimed(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	engines(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, _ = notify.NewOutbox(db).Enqueue(ctx, notify.Message{Channel: notify.Email, To: "a@correo.example", Body: "x"})
		if ms, err := db.ClaimMessages(ctx, clock.Now(), clock.Now().Add(time.Minute), 10); err != nil || len(ms) != 1 {
			t.Fatalf("claim %v %v", ms, err)
		}
		rec := &recorder{}
		w := notify.NewWorker(db, map[notify.Channel]notify.Sender{notify.Email: rec}, notify.WorkerConfig{}, clock.Now, quietLog)
		if got, _ := w.RunOnce(ctx); got != 0 {
			t.Fatal("a leased message was claimed twice")
		}
		clock.Add(2 * time.Minute)
		if got, _ := w.RunOnce(ctx); got != 1 || len(rec.sent) != 1 {
			t.Fatalf("after the lease: handled %d", got)
		}
	})
}

// Two workers racing over the same outbox deliver every message exactly once.
func TestTwoWorkersSendEachMessageOnce(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	engines(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ms []notify.Message
		for i := range 300 {
			ms = append(ms, notify.Message{Channel: notify.Email, To: fmt.Sprintf("p%d@correo.example", i), Body: "x", Priority: i % 3})
		}
		if _, err := notify.NewOutbox(db).Enqueue(ctx, ms...); err != nil {
			t.Fatal(err)
		}
		rec := &recorder{}
		senders := map[notify.Channel]notify.Sender{notify.Email: rec}
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := notify.NewWorker(db, senders, notify.WorkerConfig{Batch: 7}, clock.Now, quietLog)
				for {
					n, err := w.RunOnce(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		seen := map[int64]int{}
		for _, m := range rec.sent {
			seen[m.ID]++
		}
		if len(rec.sent) != 300 || len(seen) != 300 {
			t.Fatalf("sent %d messages, %d distinct; want 300 each exactly once", len(rec.sent), len(seen))
		}
	})
}

// timedRecorder notes when each message went.
type timedRecorder struct {
	mu  sync.Mutex
	at  []time.Time
	pri []int
}

func (r *timedRecorder) Send(_ context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.at, r.pri = append(r.at, time.Now()), append(r.pri, m.Priority)
	return nil
}

// Bulk notices go at most BulkPerSecond; codes waiting with them go first
// and are not held back.
func TestBulkRateHoldsBackOnlyBulk(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	engines(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		out := notify.NewOutbox(db)
		for i := range 6 {
			if _, err := out.Enqueue(ctx, notify.Message{Channel: notify.Email, To: "a@correo.example", Body: "aviso", Priority: notify.PriorityBulk,
				DedupKey: "aviso:" + string(rune('a'+i))}); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			if _, err := out.Enqueue(ctx, notify.Message{Channel: notify.SMS, To: "5512345678", Body: "Tu código es 123456", Priority: notify.PriorityCode}); err != nil {
				t.Fatal(err)
			}
		}
		rec := &timedRecorder{}
		w := notify.NewWorker(db, map[notify.Channel]notify.Sender{notify.Email: rec, notify.SMS: rec}, notify.WorkerConfig{BulkPerSecond: 20}, clock.Now, quietLog)
		if n, err := w.RunOnce(ctx); err != nil || n != 8 {
			t.Fatalf("RunOnce: %d %v", n, err)
		}
		if rec.pri[0] != notify.PriorityCode || rec.pri[1] != notify.PriorityCode {
			t.Fatalf("codes did not go first: %v", rec.pri)
		}
		// Six bulk messages at 20 a second take at least five intervals of 50 ms.
		if spread := rec.at[7].Sub(rec.at[2]); spread < 5*45*time.Millisecond {
			t.Fatalf("six notices went in %v, faster than 20 a second", spread)
		}
	})
}
