package batch_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/batch"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/savings"
	"micuenta/internal/store"
	"micuenta/internal/synth"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/vault"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type quiet struct{}

func (quiet) Start(int64) {}
func (quiet) Set(int64)   {}
func (quiet) Finish()     {}

// seeded opens a migrated database of the engine with 120 people.
func seeded(t *testing.T, engine string) (*store.DB, *reference.Table) {
	t.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "b.db")
	if engine == "postgres" {
		dsn = pgtest.DSN(t)
	}
	db, err := store.Open(ctx, dsn, vault.NewRandom(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ref, err := reference.Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	g, err := synth.NewGenerator(synth.Params{People: 120, Seed: 3, AsOf: portal.NewDate(2026, 11, 24)}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Run(ctx, db, quiet{}); err != nil {
		t.Fatal(err)
	}
	return db, ref
}

// accountFor gives a person an account (contact data only) and returns its id.
func accountFor(t *testing.T, db *store.DB, personID int64) int64 {
	t.Helper()
	acc := &account.Account{PersonID: personID, Email: fmt.Sprintf("persona%d@correo.example", personID), Mobile: fmt.Sprintf("55%08d", personID),
		PasswordHash: "x", TermsVersion: "1", PrivacyVersion: "1", AcceptedAt: time.Now()}
	if err := db.CreateAccount(context.Background(), acc); err != nil {
		t.Fatal(err)
	}
	return acc.ID
}

func nssOf(t *testing.T, db *store.DB, id int64) string {
	p, err := db.FindPersonByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.NSS.String()
}

func run(t *testing.T, db *store.DB, ref *reference.Table, file string) (batch.Summary, string) {
	t.Helper()
	var rep bytes.Buffer
	r, _ := batch.NewReport(&rep)
	im := &batch.ContributionImport{Store: db, Ref: ref, Today: portal.NewDate(2026, 12, 2), Report: r}
	sum, err := im.Run(context.Background(), strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != sum.Posted+sum.Duplicates+sum.Rejected {
		t.Fatalf("counts do not add up: %+v", sum)
	}
	return sum, rep.String()
}

func TestImportContributions(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db, ref := seeded(t, engine)
			borrower, err := db.DemoPersonID(ctx) // has a live credit
			if err != nil {
				t.Fatal(err)
			}
			stranger := stranger(t)
			header := strings.Join(batch.ContributionsHeader, ",") + "\n"
			var b strings.Builder
			b.WriteString(header)
			for id := int64(1); id <= 40; id++ { // lines 2–41: good
				fmt.Fprintf(&b, "%s,A1234567890,\"TACOS EL GÜERO, S.A. DE C.V.\",2026-6,520.00,61,1586.00,0.00,2026-12-01\n", nssOf(t, db, id))
			}
			fmt.Fprintf(&b, "%s,B1234567890,CONSTRUCTORA DEL NORTE,2026-6,520.00,61,1586.00,950.00,2026-12-01\n", nssOf(t, db, borrower)) // 42: with amortization
			fmt.Fprintf(&b, "%s,A1234567890,TACOS EL GÜERO,2026-6,520.00,61,1586.00,0.00,2026-12-01\n", nssOf(t, db, 1))                  // 43: same key as line 2
			fmt.Fprintf(&b, "%s,A1234567890,TACOS EL GÜERO,2026-6,520.00,61,1586.00,0.00,2026-12-01\n", stranger)                         // 44: nobody
			fmt.Fprintf(&b, "%s,A1234567890,TACOS EL GÜERO,2026-6,520.00,61,1999.00,0.00,2026-12-01\n", nssOf(t, db, 41))                 // 45: flagged
			b.WriteString("12345,A1234567890,X,2026-6,1.00,1,1.00,0.00,2026-12-01\n")                                                     // 46: bad NSS
			b.WriteString("only,three,fields\n")                                                                                          // 47
			b.WriteString("\n")                                                                                                           // 48: empty
			fmt.Fprintf(&b, "%s,A1234567890,TACOS EL GÜERO,2026-6,520.00,61,15", nssOf(t, db, 42))                                        // 49: cut short
			before, _ := db.Totals(ctx)
			// Two of them have accounts: one wants e-mail and SMS, the other
			// kept the default (e-mail only).
			both, mailOnly := accountFor(t, db, 3), accountFor(t, db, 4)
			if err := db.SetNoticePrefs(ctx, both, true, true); err != nil {
				t.Fatal(err)
			}

			sum, report := run(t, db, ref, b.String())
			want := batch.Summary{Read: 48, Posted: 42, Duplicates: 1, Rejected: 5, Warnings: 1}
			if sum != want {
				t.Fatalf("summary %+v, want %+v\nreport:\n%s", sum, want, report)
			}
			for _, w := range []string{"44,rechazada,No hay una persona con ese NSS", `45,advertencia,"La aportación ($1,999.00) no corresponde`, "46,rechazada,El NSS no es válido",
				"47,rechazada,La línea tiene 3 campos", "48,rechazada,Línea vacía", "49,rechazada,La última línea está incompleta"} {
				if !strings.Contains(report, w) {
					t.Errorf("report lacks %q:\n%s", w, report)
				}
			}
			after, _ := db.Totals(ctx)
			if after.Savings-before.Savings != 42 || after.SavingsSum-before.SavingsSum != 41*158600+199900 {
				t.Errorf("savings: %d movements, %d centavos", after.Savings-before.Savings, after.SavingsSum-before.SavingsSum)
			}
			if after.CreditMovements-before.CreditMovements != 1 || after.CreditSum-before.CreditSum != -95000 {
				t.Errorf("credit: %d movements, %d centavos", after.CreditMovements-before.CreditMovements, after.CreditSum-before.CreditSum)
			}

			// The worker's producer turns the new contributions into notices.
			notifier := savings.NewNotifier(db, db)
			if n, err := notifier.Pump(ctx); err != nil || n != 2 {
				t.Fatalf("pump: %d notices (%v)", n, err)
			}
			msgs, _ := db.RecentMessages(ctx, 50)
			var got []string
			for _, m := range msgs {
				got = append(got, string(m.Channel)+" "+m.To)
				if !strings.Contains(m.Body, "TACOS EL GÜERO") || !strings.Contains(m.Body, "$1,586.00") {
					t.Errorf("notice text: %q", m.Body)
				}
			}
			if len(msgs) != 3 || !strings.Contains(strings.Join(got, ","), "sms 5500000003") || strings.Contains(strings.Join(got, ","), "sms 5500000004") {
				t.Fatalf("messages: %v", got)
			}
			if ns, _ := db.NoticesOf(ctx, 4, 10); len(ns) != 1 || !strings.Contains(ns[0].Subject, "aportó $1,586.00") {
				t.Fatalf("notices of person 4: %+v", ns)
			}
			_ = mailOnly

			// The same file again posts nothing and tells nobody again.
			sum, _ = run(t, db, ref, b.String())
			if n, err := notifier.Pump(ctx); err != nil || n != 0 {
				t.Fatalf("pump after the re-run: %d (%v)", n, err)
			}
			if again, _ := db.RecentMessages(ctx, 50); len(again) != 3 {
				t.Fatalf("the re-run queued %d messages", len(again)-3)
			}
			if sum.Posted != 0 || sum.Duplicates != 43 || sum.Rejected != 5 {
				t.Fatalf("second run: %+v", sum)
			}
			if again, _ := db.Totals(ctx); again != after {
				t.Fatalf("second run changed the records: %+v → %+v", after, again)
			}
		})
	}
}

// Files that are not a contributions file post nothing and say why.
func TestImportRefusesOtherFiles(t *testing.T) {
	db, ref := seeded(t, "sqlite")
	before, _ := db.Totals(context.Background())
	for name, file := range map[string]string{
		"empty":        "",
		"wrong header": "nss;registro;bimestre\n1;2;3\n",
		"binary":       "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00\xff", 5000),
		"huge header":  strings.Repeat("columna,", 2_000_000) + "\n",
	} {
		var rep bytes.Buffer
		r, _ := batch.NewReport(&rep)
		im := &batch.ContributionImport{Store: db, Ref: ref, Today: portal.NewDate(2026, 12, 2), Report: r}
		if _, err := im.Run(context.Background(), strings.NewReader(file)); err == nil || !strings.Contains(err.Error(), "expected") {
			t.Errorf("%s: err %v", name, err)
		}
	}
	// Latin-1 lines and lines of millions of columns under a right header are rejected one by one.
	file := strings.Join(batch.ContributionsHeader, ",") + "\n" + "12345678903,A1234567890,ESPA\xd1A,2026-6,520.00,61,1586.00,0.00,2026-12-01\n" +
		strings.Repeat("1,", 3_000_000) + "\n"
	sum, report := run(t, db, ref, file)
	if sum.Rejected != 2 || !strings.Contains(report, "UTF-8") || !strings.Contains(report, "más de 4096 bytes") {
		t.Fatalf("%+v\n%s", sum, report)
	}
	if after, _ := db.Totals(context.Background()); after != before {
		t.Fatal("a refused file changed the records")
	}
}
