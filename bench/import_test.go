package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/batch"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/savings"
)

// importPeople × importEmployers is the bimester file's size: 1,000,000
// lines, each a contribution of one of 100,000 people (seeded with five
// years of history each, 3.3 million ledger rows before the import) from
// one of 10 employers (the natural key is person, employer, bimester).
const (
	importPeople    = 100_000
	importEmployers = 10
)

// BenchmarkImportContributions posts a 1,000,000-line bimester file with
// `micuenta import`'s code path (batch.ContributionImport on the store),
// once per engine; the target is 100,000 lines/s on SQLite.
//
//	go test ./bench -run '^$' -bench ImportContributions -benchtime 1x -timeout 30m
func BenchmarkImportContributions(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			for range b.N {
				benchImport(b, engine, false)
			}
		})
		// The same file when every person has an account; then the
		// worker's producer makes a notice per line, timed on its own.
		b.Run(engine+"/notices", func(b *testing.B) {
			for range b.N {
				benchImport(b, engine, true)
			}
		})
	}
}

func benchImport(b *testing.B, engine string, notices bool) {
	b.StopTimer()
	ctx := context.Background()
	a := seededApp(b, engine, importPeople, account.HashParams{})
	ref, err := reference.Load(ctx, a.DB)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "aportaciones.csv")
	writeBimesterFile(b, a, path)
	if notices {
		giveEveryoneAnAccount(b, a)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	rep, _ := batch.NewReport(io.Discard)
	im := &batch.ContributionImport{Store: a.DB, Ref: ref, Today: portal.NewDate(2026, 12, 2), Report: rep, Size: st.Size()}
	b.StartTimer()
	start := time.Now()
	sum, err := im.Run(ctx, f)
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if sum.Posted != importPeople*importEmployers {
		b.Fatalf("posted %d: %+v", sum.Posted, sum)
	}
	b.ReportMetric(float64(sum.Read)/elapsed.Seconds(), "lines/s")
	if notices {
		// The worker's producer, after the import: its own figure.
		start := time.Now()
		n, err := savings.NewNotifier(a.DB, a.DB).Pump(ctx)
		if err != nil || n != sum.Posted {
			b.Fatalf("%d notices for %d postings (%v)", n, sum.Posted, err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "notices/s")
	}
	b.ReportMetric(elapsed.Seconds(), "s/file")
}

func writeBimesterFile(b *testing.B, a *app.App, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, strings.Join(batch.ContributionsHeader, ","))
	nss := make([]string, importPeople)
	for id := range importPeople {
		p, err := a.DB.FindPersonByID(context.Background(), int64(id+1))
		if err != nil {
			b.Fatal(err)
		}
		nss[id] = p.NSS.String()
	}
	// Employer-major order, as a bimester file arrives: each employer's
	// workers together.
	for e := range importEmployers {
		for id := range importPeople {
			fmt.Fprintf(w, "%s,Z%010d,\"PATRON %d, S.A. DE C.V.\",2026-6,%d.00,61,%s,0.00,2026-12-01\n",
				nss[id], e+1, e+1, 300+id%500, contributionText(300+id%500))
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
}

// contributionText is 5% of a daily salary in whole pesos × 61 days.
func contributionText(pesos int) string {
	c := portal.Money(int64(pesos) * 100 * 61 * 5 / 100)
	return c.Decimal()
}

// giveEveryoneAnAccount opens an account for every seeded person, in one
// transaction.
func giveEveryoneAnAccount(b *testing.B, a *app.App) {
	ctx := context.Background()
	now := time.Now().UTC()
	err := a.DB.InTx(ctx, func(ctx context.Context) error {
		for id := int64(1); id <= importPeople; id++ {
			acc := &account.Account{PersonID: id, Email: fmt.Sprintf("persona%d@correo.example", id), Mobile: fmt.Sprintf("55%08d", id),
				PasswordHash: "x", TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion, AcceptedAt: now}
			if err := a.DB.CreateAccount(ctx, acc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
