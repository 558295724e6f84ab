package appointment_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/appointment"
	"micuenta/internal/notify"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/request"
	"micuenta/internal/store"
	"micuenta/internal/synth"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/testutil/testclock"
	"micuenta/internal/vault"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type quiet struct{}

func (quiet) Start(int64) {}
func (quiet) Set(int64)   {}
func (quiet) Finish()     {}

// Monday 7 December 2026, 10:00 in Mexico City.
var monday = time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC)

func bookings(t *testing.T, engine string, people int) (*appointment.Bookings, *store.DB, *testclock.Clock) {
	t.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "c.db")
	if engine == "postgres" {
		dsn = pgtest.DSN(t)
	}
	clock := testclock.New(monday)
	db, err := store.Open(ctx, dsn, vault.NewRandom(), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ref, _ := reference.Load(ctx, db)
	g, _ := synth.NewGenerator(synth.Params{People: people, Seed: 3, AsOf: portal.NewDate(2026, 11, 24)}, ref)
	if _, err := g.Run(ctx, db, quiet{}); err != nil {
		t.Fatal(err)
	}
	cs, err := appointment.DefaultCentres()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.LoadCentres(ctx, cs); err != nil {
		t.Fatal(err)
	}
	cal, _ := request.DefaultCalendar()
	return appointment.NewBookings(appointment.Deps{Tx: db, Store: db, Contacts: db, Outbox: notify.NewOutbox(db), Calendar: cal,
		BaseURL: "https://micuenta.example", Now: clock.Now}), db, clock
}

// firstSlot is the first free slot of centre DF01 for s.
func firstSlot(t *testing.T, b *appointment.Bookings, s appointment.Service) (*appointment.Centre, appointment.Offer) {
	t.Helper()
	c, err := b.Centre(context.Background(), "DF01")
	if err != nil {
		t.Fatal(err)
	}
	free, err := b.Free(context.Background(), c, s)
	if err != nil || len(free) == 0 {
		t.Fatalf("no free slots: %v", err)
	}
	return c, free[0]
}

// A slot with 3 places gets exactly 3 bookings however many people try
// at once: the database decides, on both engines.
func TestConcurrentBookingsNeverOverfill(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			b, db, _ := bookings(t, engine, 110)
			if err := db.SetPlaces(ctx, "DF01", appointment.Identity, 3, monday); err != nil {
				t.Fatal(err)
			}
			c, slot := firstSlot(t, b, appointment.Identity)
			if slot.Free != 3 {
				t.Fatalf("free places: %d", slot.Free)
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			booked, full, other := 0, 0, []error{}
			start := make(chan struct{})
			for i := 1; i <= 100; i++ {
				wg.Add(1)
				go func(person int64) {
					defer wg.Done()
					<-start
					_, err := b.Book(ctx, appointment.Request{PersonID: person, Centre: c.Code, Service: appointment.Identity, Start: slot.Start, Via: appointment.ViaAccount})
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						booked++
					case portal.ErrorCode(err) == portal.ECONFLICT:
						full++
					default:
						other = append(other, err)
					}
				}(int64(i))
			}
			close(start)
			wg.Wait()
			if booked != 3 {
				t.Fatalf("%d bookings for 3 places (%d refused as full, other errors: %v)", booked, full, other)
			}
			free, _ := b.Free(ctx, c, appointment.Identity)
			for _, f := range free {
				if f.Start.Equal(slot.Start) {
					t.Fatal("the full slot is still offered")
				}
			}
		})
	}
}

func TestBookCancelMoveAndLimits(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			b, db, clock := bookings(t, engine, 10)
			c, slot := firstSlot(t, b, appointment.Documents)
			book := func(person int64, start time.Time) (*appointment.Appointment, error) {
				return b.Book(ctx, appointment.Request{PersonID: person, Centre: c.Code, Service: appointment.Documents, Start: start, Via: appointment.ViaAccount, Folio: "COR-2026-000001-X"})
			}
			// Not a slot the centre offers: a minute off, a Sunday, the past.
			for _, bad := range []time.Time{slot.Start.Add(time.Minute), time.Date(2026, 12, 13, 15, 30, 0, 0, time.UTC), monday.Add(-24 * time.Hour)} {
				if _, err := book(1, bad); portal.ErrorCode(err) != portal.EINVALID {
					t.Errorf("%s: %v", bad, err)
				}
			}
			a1, err := book(1, slot.Start)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(a1.Code, "CIT-2026-") {
				t.Fatalf("code %q", a1.Code)
			}
			// Slots from tomorrow on, far enough to be moved and cancelled.
			var free []appointment.Offer
			all, _ := b.Free(ctx, c, appointment.Documents)
			for _, f := range all {
				if f.Start.After(monday.Add(24 * time.Hour)) {
					free = append(free, f)
				}
			}
			a2, err := book(1, free[1].Start)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := book(1, free[2].Start); portal.ErrorCode(err) != portal.ECONFLICT {
				t.Fatalf("a third open appointment: %v", err)
			}
			// Someone else's appointment is not found.
			if err := b.Cancel(ctx, a1.Code, 2); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("cancel someone else's: %v", err)
			}
			// Moving frees the old place only with the new one taken.
			moved, err := b.Move(ctx, a2.Code, 1, c.Code, free[3].Start)
			if err != nil {
				t.Fatal(err)
			}
			if got, _, _ := b.Lookup(ctx, a2.Code); got.State != appointment.Cancelled || moved.Folio != a2.Folio {
				t.Fatalf("after moving: old %s, folio %q", got.State, moved.Folio)
			}
			if err := b.Cancel(ctx, moved.Code, 1); err != nil {
				t.Fatal(err)
			}
			if _, err := book(1, free[2].Start); err != nil {
				t.Fatalf("after cancelling, a new one: %v", err)
			}
			// Two hours before, it can no longer be cancelled.
			clock.Set(a1.Start.Add(-appointment.ChangeUntil + time.Minute))
			if err := b.Cancel(ctx, a1.Code, 1); portal.ErrorCode(err) != portal.ECONFLICT {
				t.Fatalf("cancel within two hours: %v", err)
			}
			_ = db
		})
	}
}

// The day-before reminder goes once, however many workers run it at once
// and however often.
func TestReminderGoesExactlyOnce(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			b, db, clock := bookings(t, engine, 10)
			if err := db.CreateAccount(ctx, &account.Account{PersonID: 4, Email: "persona4@correo.example", Mobile: "5500000004",
				PasswordHash: "x", TermsVersion: "1", PrivacyVersion: "1", AcceptedAt: clock.Now()}); err != nil {
				t.Fatal(err)
			}
			c, slot := firstSlot(t, b, appointment.Identity)
			free, _ := b.Free(ctx, c, appointment.Identity)
			later := free[len(free)-1] // days away: no reminder yet
			if _, err := b.Book(ctx, appointment.Request{PersonID: 4, Centre: c.Code, Service: appointment.Identity, Start: slot.Start, Via: appointment.ViaAccount}); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Book(ctx, appointment.Request{PersonID: 4, Centre: c.Code, Service: appointment.Identity, Start: later.Start, Via: appointment.ViaAccount}); err != nil {
				t.Fatal(err)
			}
			clock.Set(slot.Start.Add(-20 * time.Hour))
			var wg sync.WaitGroup
			for i := 0; i < 4; i++ {
				wg.Add(1)
				go func() { defer wg.Done(); _, _ = b.Remind(ctx) }()
			}
			wg.Wait()
			if n, err := b.Remind(ctx); err != nil || n != 0 {
				t.Fatalf("a second pass queued %d (%v)", n, err)
			}
			ms, _ := notify.NewOutbox(db).Recent(ctx, 50)
			reminders := map[string]int{}
			for _, m := range ms {
				if strings.Contains(m.Subject, "Recordatorio") || strings.Contains(m.Body, "cita es mañana") {
					reminders[string(m.Channel)]++
				}
			}
			if reminders[string(notify.Email)] != 1 || reminders[string(notify.SMS)] != 1 {
				t.Fatalf("reminders: %v", reminders)
			}
		})
	}
}

func TestCalendarFile(t *testing.T) {
	ctx := context.Background()
	b, _, _ := bookings(t, "sqlite", 5)
	c, slot := firstSlot(t, b, appointment.Identity)
	a, err := b.Book(ctx, appointment.Request{PersonID: 2, Centre: c.Code, Service: appointment.Identity, Start: slot.Start, Via: appointment.ViaAccount})
	if err != nil {
		t.Fatal(err)
	}
	ics := string(appointment.CalendarFile(a, c))
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "UID:" + a.Code, "DTSTART:" + slot.Start.UTC().Format("20060102T150405Z"), "LOCATION:"} {
		if !strings.Contains(ics, want) {
			t.Errorf("ics lacks %q", want)
		}
	}
}
