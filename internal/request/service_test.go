package request_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/ident"
	"micuenta/internal/notify"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/request"
	"micuenta/internal/store"
	"micuenta/internal/synth"
	"micuenta/internal/testutil/idgen"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/testutil/testclock"
	"micuenta/internal/testutil/testdocs"
	"micuenta/internal/upload"
	"micuenta/internal/vault"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type quiet struct{}

func (quiet) Start(int64) {}
func (quiet) Set(int64)   {}
func (quiet) Finish()     {}

func service(t *testing.T, engine string) (*request.Service, *store.DB, *testclock.Clock) {
	t.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	if engine == "postgres" {
		dsn = pgtest.DSN(t)
	}
	clock := testclock.New(time.Date(2026, 12, 24, 15, 0, 0, 0, time.UTC)) // Thursday before Christmas
	db, err := store.Open(ctx, dsn, vault.NewRandom(), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ref, _ := reference.Load(ctx, db)
	g, _ := synth.NewGenerator(synth.Params{People: 20, Seed: 2, AsOf: portal.NewDate(2026, 11, 24)}, ref)
	if _, err := g.Run(ctx, db, quiet{}); err != nil {
		t.Fatal(err)
	}
	cal, err := request.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	files, err := upload.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return request.NewService(request.Deps{Tx: db, Store: db, Contacts: db, Inbox: db, Corrector: db, Outbox: notify.NewOutbox(db),
		Files: files, Calendar: cal, Now: clock.Now}), db, clock
}

var correccion = request.Type{Prefix: "COR", Name: "corrección de datos", DueDays: 10}

func TestFileAndMove(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			svc, db, clock := service(t, engine)
			if err := db.CreateAccount(ctx, &account.Account{PersonID: 3, Email: "persona3@correo.example", Mobile: "5500000003",
				PasswordHash: "x", TermsVersion: "1", PrivacyVersion: "1", AcceptedAt: clock.Now()}); err != nil {
				t.Fatal(err)
			}
			r, err := svc.File(ctx, correccion, 3, []byte(`{"campo":"rfc"}`), nil)
			if err != nil {
				t.Fatal(err)
			}
			// Ten working days from Thursday 24 December 2026: the 25th and
			// 1 January are holidays: 28–31 December and 4–11 January.
			if !strings.HasPrefix(r.Folio, "COR-2026-000001-") || r.DueOn != portal.NewDate(2027, 1, 11) || r.State != request.Recibida {
				t.Fatalf("filed: %+v", r)
			}
			if _, _, _, err := request.ParseFolio(r.Folio); err != nil {
				t.Fatalf("its own folio does not parse: %v", err)
			}
			second, _ := svc.File(ctx, correccion, 4, nil, nil)
			if !strings.HasPrefix(second.Folio, "COR-2026-000002-") {
				t.Fatalf("second folio %s", second.Folio)
			}

			// The owner cannot approve; an operator reviews, asks for
			// information, the owner answers, the operator approves.
			if _, err := svc.Move(ctx, r.Folio, request.Aprobada, request.Owner, 0, ""); portal.ErrorCode(err) == "" {
				t.Fatal("the owner approved their own request")
			}
			steps := []struct {
				to  request.State
				by  request.Actor
				msg string
			}{
				{request.EnRevision, request.Operator, ""},
				{request.RequiereInfo, request.Operator, "Adjunta tu constancia de situación fiscal."},
				{request.EnRevision, request.Owner, "Ya la adjunté."},
				{request.Aprobada, request.Operator, "Corregimos tu RFC."},
				{request.Concluida, request.System, ""},
			}
			for _, st := range steps {
				clock.Add(time.Hour)
				if _, err := svc.Move(ctx, r.Folio, st.to, st.by, 7, st.msg); err != nil {
					t.Fatalf("→ %s: %v", st.to, err)
				}
			}
			if _, err := svc.Move(ctx, r.Folio, request.Cancelada, request.Owner, 0, ""); err == nil {
				t.Fatal("a concluded request was cancelled")
			}
			got, _ := db.FindRequest(ctx, r.Folio)
			events, _ := svc.Timeline(ctx, got)
			if got.State != request.Concluida || len(events) != 6 || events[2].Message != "Adjunta tu constancia de situación fiscal." || events[2].From != request.EnRevision {
				t.Fatalf("state %s, %d events: %+v", got.State, len(events), events)
			}
			if string(got.Data) != `{"campo":"rfc"}` {
				t.Fatalf("data %q", got.Data)
			}
			// The owner, who has an account, heard of every step; person 4 has none.
			msgs, _ := db.RecentMessages(ctx, 50)
			told := 0
			for _, m := range msgs {
				if m.To == "persona3@correo.example" && strings.Contains(m.Subject, r.Folio) {
					told++
				}
			}
			if told != 6 {
				t.Fatalf("%d messages to the owner, want 6", told)
			}
			mine, _ := svc.Mine(ctx, 3)
			if len(mine) != 1 || mine[0].Folio != r.Folio {
				t.Fatalf("mine: %+v", mine)
			}
			if _, err := svc.Move(ctx, "COR-2026-999999-0", request.EnRevision, request.Operator, 7, ""); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("unknown folio: %v", err)
			}
		})
	}
}

// Requests filed at once get distinct folios.
func TestFoliosUnderConcurrency(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			svc, _, _ := service(t, engine)
			var mu sync.Mutex
			seen := map[string]bool{}
			var wg sync.WaitGroup
			for i := range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := svc.File(context.Background(), correccion, int64(1+i%5), nil, nil)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					seen[r.Folio] = true
					mu.Unlock()
				}()
			}
			wg.Wait()
			if len(seen) != 20 {
				t.Fatalf("%d distinct folios for 20 requests", len(seen))
			}
			for f := range seen {
				if _, _, n, err := request.ParseFolio(f); err != nil || n < 1 || n > 20 {
					t.Fatalf("folio %s: %d %v", f, n, err)
				}
			}
		})
	}
}

// An approved CURP correction changes the person's record in the same
// transaction; a CURP that belongs to someone else cannot be approved.
func TestApprovedCorrectionChangesTheRecord(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			svc, db, _ := service(t, engine)
			p, _ := db.FindPersonByID(ctx, 5)
			_, curp, _ := idgen.For(ident.Name{Given: "ROSA", First: "LUNA", Second: "MAR"}, time.Date(1985, 5, 5, 0, 0, 0, 0, time.UTC), "M", "JC", "1111111111")
			data, errs := request.ParseCorrection(request.FieldCURP, curp, "")
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			r, _ := svc.File(ctx, request.Correccion, 5, data, []request.Upload{testdocs.Upload(t, "curp.pdf", testdocs.PDF(t, "CURP"))})
			svc.Move(ctx, r.Folio, request.EnRevision, request.Operator, 1, "")
			if _, err := svc.Move(ctx, r.Folio, request.Aprobada, request.Operator, 1, "Corregimos tu CURP."); err != nil {
				t.Fatal(err)
			}
			newCURP, _ := ident.ParseCURP(curp)
			if got, err := db.FindPersonByCURP(ctx, newCURP); err != nil || got.ID != 5 {
				t.Fatalf("the record was not changed: %v %v", got, err)
			}
			if _, err := db.FindPersonByCURP(ctx, p.CURP); err == nil {
				t.Fatal("the old CURP still finds the person")
			}
			// Person 6 asks for person 7's CURP: refused at approval, state unchanged.
			q, _ := db.FindPersonByID(ctx, 7)
			data, _ = request.ParseCorrection(request.FieldCURP, q.CURP.String(), "")
			r2, _ := svc.File(ctx, request.Correccion, 6, data, []request.Upload{testdocs.Upload(t, "curp.pdf", testdocs.PDF(t, "CURP"))})
			svc.Move(ctx, r2.Folio, request.EnRevision, request.Operator, 1, "")
			if _, err := svc.Move(ctx, r2.Folio, request.Aprobada, request.Operator, 1, ""); portal.ErrorCode(err) != portal.ECONFLICT {
				t.Fatalf("someone else's CURP: %v", err)
			}
			if got, _ := svc.Find(ctx, r2.Folio); got.State != request.EnRevision {
				t.Fatalf("state after the refused approval: %s", got.State)
			}
		})
	}
}

// A name correction is approved with the name split into its parts by the
// operator; without the parts, or with parts that change the name, it is
// refused and nothing changes. The old name is kept in the history.
func TestApprovedNameCorrection(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			svc, db, _ := service(t, engine)
			before, _ := db.FindPersonByID(ctx, 8)
			data, errs := request.ParseCorrection(request.FieldNombre, "María de la Luz De la Cruz Pérez", "")
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			r, err := svc.File(ctx, request.Correccion, 8, data, []request.Upload{testdocs.Upload(t, "acta.png", testdocs.PNG(t))})
			if err != nil {
				t.Fatal(err)
			}
			svc.Move(ctx, r.Folio, request.EnRevision, request.Operator, 1, "")
			approve := func(n *request.NameParts) error {
				_, err := svc.Act(ctx, r.Folio, request.Action{To: request.Aprobada, Actor: request.Operator, ActorID: 1, Name: n})
				return err
			}
			if err := approve(nil); portal.ErrorCode(err) != portal.EINVALID {
				t.Fatalf("without the parts: %v", err)
			}
			if err := approve(&request.NameParts{GivenNames: "MARÍA", FirstSurname: "CRUZ"}); portal.ErrorCode(err) != portal.EINVALID {
				t.Fatalf("parts that change the name: %v", err)
			}
			if got, _ := db.FindPersonByID(ctx, 8); got.FullName() != before.FullName() {
				t.Fatal("a refused approval changed the name")
			}
			if err := approve(&request.NameParts{GivenNames: "María de la Luz", FirstSurname: "De la Cruz", SecondSurname: "Pérez"}); err != nil {
				t.Fatal(err)
			}
			got, _ := db.FindPersonByID(ctx, 8)
			if got.GivenNames != "MARÍA DE LA LUZ" || got.FirstSurname != "DE LA CRUZ" || got.SecondSurname != "PÉREZ" {
				t.Fatalf("name after approval: %+v", got)
			}
			x, err := db.ExportPerson(ctx, 8)
			if err != nil {
				t.Fatal(err)
			}
			hist := x.(*store.PersonExport).History
			if len(hist) != 1 || hist[0]["anterior"] != before.FullName() || hist[0]["origen"] != r.Folio {
				t.Fatalf("history: %v", hist)
			}
		})
	}
}

// failingFiles is a document store that cannot write, as a full disk.
type failingFiles struct{ upload.Storage }

func (failingFiles) Put(context.Context, string, []byte) error { return errors.New("disk full") }

// A document that cannot be stored files nothing: no request, no folio
// used, no notice.
func TestFileWithUnstorableDocumentLeavesNothing(t *testing.T) {
	ctx := context.Background()
	_, db, clock := service(t, "sqlite")
	cal, _ := request.DefaultCalendar()
	svc := request.NewService(request.Deps{Tx: db, Store: db, Contacts: db, Inbox: db, Corrector: db, Outbox: notify.NewOutbox(db),
		Files: failingFiles{}, Calendar: cal, Now: clock.Now})
	data, _ := request.ParseCorrection(request.FieldRFC, "GODE561231GR8", "")
	_, err := svc.File(ctx, request.Correccion, 3, data, []request.Upload{testdocs.Upload(t, "csf.pdf", testdocs.PDF(t, "CSF"))})
	if portal.ErrorCode(err) != portal.EUNAVAILABLE {
		t.Fatalf("err = %v", err)
	}
	if rs, _ := svc.Mine(ctx, 3); len(rs) != 0 {
		t.Fatalf("a request was filed: %+v", rs)
	}
}
