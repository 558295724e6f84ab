package document_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/audit"
	"micuenta/internal/document"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/store"
	"micuenta/internal/testutil/idgen"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/testutil/testclock"
	"micuenta/internal/vault"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type fixture struct {
	db    *store.DB
	clock *testclock.Clock
	svc   *document.Service
	pid   int64
}

// onEachEngine runs fn with the service on a fresh SQLite and PostgreSQL
// database holding one person.
func onEachEngine(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "d.db")
			if engine == "postgres" {
				dsn = pgtest.DSN(t)
			}
			clock := testclock.New(time.Date(2026, 12, 2, 18, 30, 15, 123456789, time.UTC))
			db, err := store.Open(ctx, dsn, vault.NewRandom(), store.Options{Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			n := ident.Name{Given: "JUAN", First: "PÉREZ", Second: "LÓPEZ"}
			nssText, curpText, rfcText := idgen.For(n, time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC), "H", "DF", "4180050001")
			nss, e1 := ident.ParseNSS(nssText)
			curp, e2 := ident.ParseCURP(curpText)
			rfc, e3 := ident.ParseRFC(rfcText)
			if err := errors.Join(e1, e2, e3); err != nil {
				t.Fatal(err)
			}
			p := &person.Person{ID: 1, NSS: nss, CURP: curp, RFC: rfc, GivenNames: n.Given, FirstSurname: n.First, SecondSurname: n.Second,
				BirthDate: portal.NewDate(1980, 5, 17), Sex: "H", State: "DF"}
			if _, err := db.LoadRecords(ctx, &store.Records{People: []*person.Person{p}}); err != nil {
				t.Fatal(err)
			}
			now := func() time.Time { return clock.Now() }
			svc := document.NewService(document.Deps{Tx: db, Store: db, Audit: audit.New(db, now), Limiter: account.NewLimiter(db, now),
				BaseURL: "https://micuenta.example/", Now: now})
			fn(t, &fixture{db: db, clock: clock, svc: svc, pid: p.ID})
		})
	}
}

// draw stands in for a PDF: it prints everything a real one prints from
// the record, so a change in any of them changes the bytes.
func draw(body string) document.Draw {
	return func(d *document.Issued, url string) ([]byte, error) {
		return []byte("%PDF-1.4\n" + body + "\n" + d.Folio + "\n" + d.IssuedAt.UTC().Format(time.RFC3339Nano) + "\n" + d.ValidUntil.String() + "\n" + url), nil
	}
}

func request(pid int64, inputs string) document.Request {
	return document.Request{Kind: document.KindConstancia, PersonID: pid, AccountID: 9, CreditNumber: "1512345678", Detail: "Ejercicio fiscal 2025",
		Holder: "JUAN PÉREZ LÓPEZ", Layout: "constancia-1", Inputs: []byte(inputs), IP: "203.0.113.9", UserAgent: "prueba"}
}

func auditActions(t *testing.T, db *store.DB) []string {
	t.Helper()
	es, err := db.RecentAudit(context.Background(), audit.Filter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(es) - 1; i >= 0; i-- {
		out = append(out, es[i].Action)
	}
	return out
}

// The same document asked for twice gives the same folio and bytes; new
// inputs give a new folio; both are verifiable and the older says a newer
// one exists; each download is audited.
func TestIssueIsIdempotent(t *testing.T) {
	onEachEngine(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		d1, pdf1, err := f.svc.Issue(ctx, request(f.pid, `{"nominal":5980000}`), draw("A"))
		if err != nil {
			t.Fatal(err)
		}
		if d1.IssuedAt != time.Date(2026, 12, 2, 18, 30, 15, 0, time.UTC) || d1.HolderMasked != "J*** P*** L***" || !d1.ValidUntil.IsZero() {
			t.Errorf("record: %+v", d1)
		}
		if !bytes.Contains(pdf1, []byte("https://micuenta.example/verificar/"+d1.Folio)) {
			t.Errorf("verification address: %s", pdf1)
		}
		f.clock.Add(3 * time.Hour)
		d2, pdf2, err := f.svc.Issue(ctx, request(f.pid, `{"nominal":5980000}`), draw("A"))
		if err != nil {
			t.Fatal(err)
		}
		if d2.Folio != d1.Folio || !bytes.Equal(pdf1, pdf2) || !d2.IssuedAt.Equal(d1.IssuedAt) {
			t.Fatalf("second download: %s vs %s", d2.Folio, d1.Folio)
		}
		// A corrected ledger: new inputs, new folio.
		d3, pdf3, err := f.svc.Issue(ctx, request(f.pid, `{"nominal":5990000}`), draw("B"))
		if err != nil {
			t.Fatal(err)
		}
		if d3.Folio == d1.Folio || bytes.Equal(pdf3, pdf1) || d3.Generation != 0 {
			t.Fatalf("new inputs kept folio %s", d3.Folio)
		}
		v1, err := f.svc.Find(ctx, d1.Folio)
		if err != nil || !v1.Superseded || v1.Expired || v1.KindName == "" || v1.HolderMasked != "J*** P*** L***" {
			t.Errorf("old folio: %+v %v", v1, err)
		}
		if v3, err := f.svc.Find(ctx, d3.Folio); err != nil || v3.Superseded {
			t.Errorf("new folio: %+v %v", v3, err)
		}
		want := []string{document.AuditIssued, document.AuditDownloaded, document.AuditIssued}
		if got := auditActions(t, f.db); len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("audit %v", got)
		}
		// Another person asking with the same inputs gets another folio
		// (the person is part of the key).
		other := request(f.pid, `{"nominal":5980000}`)
		other.Holder = "JUAN PEREZ LOPEZ"
		if d4, _, err := f.svc.Issue(ctx, other, draw("A")); err != nil || d4.Folio == d1.Folio {
			t.Errorf("another name: %v %v", d4, err)
		}
	})
}

// A carta is valid 180 days: downloaded again meanwhile it is the same;
// after it expires a new one is issued and the old one says it expired.
func TestIssueExpiring(t *testing.T) {
	onEachEngine(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		req := request(f.pid, `{"liquidado":"2025-08-14"}`)
		req.Kind, req.Detail, req.ValidDays = document.KindCarta, "", 180
		d1, _, err := f.svc.Issue(ctx, req, draw("carta"))
		if err != nil {
			t.Fatal(err)
		}
		if d1.ValidUntil != portal.NewDate(2027, 5, 31) { // 2 Dec 2026 + 180 days
			t.Fatalf("valid until %s", d1.ValidUntil)
		}
		f.clock.Set(time.Date(2027, 6, 1, 5, 59, 0, 0, time.UTC)) // 31 May, 23:59 in Mexico City
		if d, _, _ := f.svc.Issue(ctx, req, draw("carta")); d.Folio != d1.Folio {
			t.Fatal("re-issued while valid")
		}
		f.clock.Set(time.Date(2027, 6, 1, 6, 0, 0, 0, time.UTC)) // 1 Jun in Mexico City
		if v, _ := f.svc.Find(ctx, d1.Folio); !v.Expired {
			t.Error("not expired on 1 Jun")
		}
		d2, _, err := f.svc.Issue(ctx, req, draw("carta"))
		if err != nil || d2.Folio == d1.Folio || d2.Generation != 1 || d2.ValidUntil != portal.NewDate(2027, 11, 28) {
			t.Fatalf("re-issue: %+v %v", d2, err)
		}
		if v, _ := f.svc.Find(ctx, d1.Folio); !v.Expired || !v.Superseded {
			t.Errorf("old carta: %+v", v)
		}
	})
}

// If the drawing changed without a new Layout, the stored hash no longer
// matches: a new folio is issued for the new bytes and the old folio
// still vouches for the old file.
func TestIssueAfterTheDrawingChanged(t *testing.T) {
	onEachEngine(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		d1, pdf1, _ := f.svc.Issue(ctx, request(f.pid, "x"), draw("v1"))
		d2, pdf2, err := f.svc.Issue(ctx, request(f.pid, "x"), draw("v2"))
		if err != nil || d2.Folio == d1.Folio || d2.Generation != 1 {
			t.Fatalf("%+v %v", d2, err)
		}
		for _, c := range []struct {
			folio string
			pdf   []byte
		}{{d1.Folio, pdf1}, {d2.Folio, pdf2}} {
			sum := sha256.Sum256(c.pdf)
			if _, ok, err := compare(ctx, f.svc, c.folio, sum[:], "203.0.113.1"); err != nil || !ok {
				t.Errorf("%s: %v %v", c.folio, ok, err)
			}
		}
	})
}

// compare is one comparison from ip, as /verificar makes it: counted,
// then compared.
func compare(ctx context.Context, svc *document.Service, folio string, sum []byte, ip string) (*document.Verification, bool, error) {
	if err := svc.AllowComparison(ctx, ip); err != nil {
		return nil, false, err
	}
	return svc.Compare(ctx, folio, sum)
}

// Verification: the real file matches; one byte changed does not; an
// unknown or malformed folio is not found; after 30 comparisons an hour
// an address must wait.
func TestCompare(t *testing.T) {
	onEachEngine(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		d, pdf, _ := f.svc.Issue(ctx, request(f.pid, "x"), draw("A"))
		sum := sha256.Sum256(pdf)
		v, ok, err := compare(ctx, f.svc, d.Folio, sum[:], "198.51.100.7")
		if err != nil || !ok || v.Folio != d.Folio {
			t.Fatalf("genuine file: %v %v", ok, err)
		}
		// Lower case, without hyphens: the same folio.
		if _, ok, err := compare(ctx, f.svc, "  "+string(bytes.ToLower([]byte(d.Folio[:4])))+d.Folio[5:], sum[:], "198.51.100.7"); err != nil || !ok {
			t.Errorf("typed folio: %v %v", ok, err)
		}
		tampered := bytes.Clone(pdf)
		tampered[len(tampered)/2] ^= 1
		bad := sha256.Sum256(tampered)
		if _, ok, err := compare(ctx, f.svc, d.Folio, bad[:], "198.51.100.7"); err != nil || ok {
			t.Errorf("tampered file: %v %v", ok, err)
		}
		if _, ok, _ := compare(ctx, f.svc, d.Folio, sum[:31], "198.51.100.7"); ok {
			t.Error("a short hash matched")
		}
		unknown, _ := document.NewFolio(nil)
		for _, folio := range []string{unknown, "no-es-un-folio", ""} {
			if _, ok, err := compare(ctx, f.svc, folio, sum[:], "198.51.100.7"); portal.ErrorCode(err) != portal.ENOTFOUND || ok {
				t.Errorf("%q: %v %v", folio, ok, err)
			}
			if _, err := f.svc.Find(ctx, folio); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Errorf("find %q: %v", folio, err)
			}
		}
		// 7 comparisons so far from this address; 23 more are allowed.
		for i := 0; i < document.ComparisonsPerHour-7; i++ {
			if _, _, err := compare(ctx, f.svc, d.Folio, sum[:], "198.51.100.7"); err != nil {
				t.Fatalf("comparison %d: %v", i+8, err)
			}
		}
		if _, _, err := compare(ctx, f.svc, d.Folio, sum[:], "198.51.100.7"); portal.ErrorCode(err) != portal.ERATELIMIT {
			t.Fatalf("31st comparison: %v", err)
		}
		if _, ok, err := compare(ctx, f.svc, d.Folio, sum[:], "198.51.100.8"); err != nil || !ok {
			t.Errorf("another address: %v %v", ok, err)
		}
		f.clock.Add(time.Hour)
		if _, _, err := compare(ctx, f.svc, d.Folio, sum[:], "198.51.100.7"); err != nil {
			t.Errorf("an hour later: %v", err)
		}
	})
}

// Many downloads of a new document at once end with one folio.
func TestIssueConcurrently(t *testing.T) {
	onEachEngine(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		var wg sync.WaitGroup
		folios := make([]string, 8)
		errs := make([]error, 8)
		for i := range folios {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, _, err := f.svc.Issue(ctx, request(f.pid, "together"), draw("A"))
				errs[i] = err
				if err == nil {
					folios[i] = d.Folio
				}
			}()
		}
		wg.Wait()
		for i := range folios {
			if errs[i] != nil || folios[i] != folios[0] {
				t.Fatalf("download %d: %s (%v), first %s", i, folios[i], errs[i], folios[0])
			}
		}
	})
}

// Without a configured base URL the request's own address is used, and
// it is part of the key (a QR code that points elsewhere is another file).
func TestVerifyURLFallsBackToTheRequest(t *testing.T) {
	svc := document.NewService(document.Deps{Now: time.Now})
	if got := svc.VerifyURL("http://localhost:8080/", "AAAA-BBBB-CCCC-DDDD-EEEE"); got != "http://localhost:8080/verificar/AAAA-BBBB-CCCC-DDDD-EEEE" {
		t.Errorf("fallback: %s", got)
	}
	svc = document.NewService(document.Deps{BaseURL: "https://micuenta.example/", Now: time.Now})
	if got := svc.VerifyURL("http://localhost:8080", "AAAA-BBBB-CCCC-DDDD-EEEE"); got != "https://micuenta.example/verificar/AAAA-BBBB-CCCC-DDDD-EEEE" {
		t.Errorf("configured: %s", got)
	}
}
