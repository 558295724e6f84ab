package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"micuenta/bench/cputime"
	"micuenta/internal/account"
	"micuenta/internal/savings"
	"micuenta/internal/web"
)

// BenchmarkSummaryPage measures GET /mi-cuenta, the signed-in summary,
// through the whole handler stack on a seeded SQLite database: the page
// the load benchmark (bench/load) compares with a bare hello handler.
// Run it with -cpuprofile to see where a request's time goes.
//
//	go test ./bench -run '^$' -bench SummaryPage -benchtime 20000x
func BenchmarkSummaryPage(b *testing.B) {
	benchmarkSignedInPage(b, "/mi-cuenta")
}

// BenchmarkMovementsPage measures the savings page filtered to
// contributions (its first page of 20), the load benchmark's movements
// phase and DESIGN.md's second throughput budget.
//
//	go test ./bench -run '^$' -bench MovementsPage -benchtime 5000x
func BenchmarkMovementsPage(b *testing.B) {
	benchmarkSignedInPage(b, "/mi-cuenta/ahorro?tipo=aportacion")
}

// benchmarkSignedInPage signs 50 people in and asks for target with their
// sessions in turn, two requests in flight, each expected to answer 200.
func benchmarkSignedInPage(b *testing.B, target string) {
	a := seededApp(b, "sqlite", signInAccounts, stubHash)
	users := seedAccounts(b, a)
	cookies := make([]string, 0, 50)
	for _, u := range users[:50] {
		form := url.Values{"identificador": {u.email}, "contrasena": {u.password}}
		req := httptest.NewRequest("POST", "/ingresar", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(&http.Cookie{Name: web.DeviceCookie, Value: u.device})
		rec := httptest.NewRecorder()
		a.Site.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			if c.Name == web.SessionCookie {
				cookies = append(cookies, web.SessionCookie+"="+c.Value+"; "+web.DeviceCookie+"="+u.device)
			}
		}
	}
	if len(cookies) != 50 {
		b.Fatalf("%d sessions", len(cookies))
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			req := httptest.NewRequest("GET", target, nil)
			req.Header.Set("Cookie", cookies[i%len(cookies)])
			rec := httptest.NewRecorder()
			a.Site.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("%s: %d", target, rec.Code)
			}
		}
	})
}

// BenchmarkPageReads measures the database reads of the two pages with
// throughput budgets, straight from the store, as the pages make them:
// the session (FindSession, every signed-in page), the savings summary
// (SavingsSummary, both pages), one page of 20 contributions with
// their count (SavingsEntries, the movements page, "movements") and one
// page of 20 movements of every kind with theirs (the savings page
// unfiltered, "movements-all"). "serial" runs one
// at a time; "32" keeps 32 in flight, as the load benchmark does.
// cpu-ns/op is the process's CPU time (user and system) over the loop
// divided by the reads, the figure to set beside the load benchmark's
// CPU a page: the reads cost more CPU each when many run at once
// (BENCHMARKS.md, eighth sitting).
//
//	go test ./bench -run '^$' -bench PageReads -benchtime 20000x
func BenchmarkPageReads(b *testing.B) {
	a := seededApp(b, "sqlite", signInAccounts, stubHash)
	users := seedAccounts(b, a)
	ctx := context.Background()
	type reader struct {
		tokenHash []byte
		personID  int64
	}
	readers := make([]reader, 0, 200)
	for _, u := range users[:200] {
		token, _, err := a.Sessions.Start(ctx, u.accountID, 0, "127.0.0.1", "bench")
		if err != nil {
			b.Fatal(err)
		}
		readers = append(readers, reader{account.TokenHash(token), u.personID})
	}
	readEntries := func(personID int64, f savings.Filter) error {
		entries, total, err := a.DB.SavingsEntries(ctx, personID, f)
		if err == nil && (len(entries) == 0 || total < len(entries)) {
			err = fmt.Errorf("person %d: %d movements of %d", personID, len(entries), total)
		}
		return err
	}
	reads := []struct {
		name string
		read func(r reader) error
	}{
		{"session", func(r reader) error {
			s, err := a.DB.FindSession(ctx, r.tokenHash)
			if err == nil && s.Holder.Name == "" {
				err = fmt.Errorf("session %d without its holder's name", s.ID)
			}
			return err
		}},
		{"summary", func(r reader) error {
			buckets, _, _, err := a.DB.SavingsSummary(ctx, r.personID)
			if err == nil && len(buckets) == 0 {
				err = fmt.Errorf("person %d has no savings", r.personID)
			}
			return err
		}},
		{"movements", func(r reader) error {
			return readEntries(r.personID, savings.Filter{Kind: savings.KindAportacion, Limit: 20})
		}},
		{"movements-all", func(r reader) error {
			return readEntries(r.personID, savings.Filter{Limit: 20})
		}},
	}
	for _, r := range reads {
		name, read := r.name, r.read
		b.Run(name+"/serial", func(b *testing.B) {
			cpu := startCPU()
			i := 0
			for b.Loop() {
				i++
				if err := read(readers[i%len(readers)]); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
		b.Run(name+"/32", func(b *testing.B) {
			var next atomic.Int64
			b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
			cpu := startCPU()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := read(readers[int(next.Add(1))%len(readers)]); err != nil {
						b.Error(err)
						return
					}
				}
			})
			cpu.report(b)
		})
	}
}

// processCPU is the process's CPU time when a loop began.
type processCPU time.Duration

func startCPU() processCPU { return processCPU(cputime.Self()) }

// report adds cpu-ns/op: the CPU the process spent since start, per
// operation.
func (c processCPU) report(b *testing.B) {
	b.ReportMetric(float64(cputime.Self()-time.Duration(c))/float64(b.N), "cpu-ns/op")
}
