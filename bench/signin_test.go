// Package bench holds the load and throughput benchmarks. They are Go
// benchmarks (go test -bench) so they build with the code they measure and
// run only when asked; figures and commands live in BENCHMARKS.md.
package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/testutil/pgtest"
	"micuenta/internal/web"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// signInAccounts is how many accounts the sign-ins spread over, so no
// account's own throttling is what the benchmark measures.
const signInAccounts = 400

// stubHash is argon2id at its smallest (8 KiB, one pass): the hash costs
// microseconds, so what remains is everything else a sign-in does.
var stubHash = account.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}

// BenchmarkSignIn measures POST /ingresar from a known device — rate
// limit, account lookup, password check, success record, device touch,
// session start, audit entry, redirect — at saturation (4 requests in
// flight per core), through the whole HTTP handler stack. Each request
// comes from its own address (as real sign-ins do), for one of 400
// accounts. Reported: sign-ins/s, per core, and the latency percentiles.
//
//	go test ./bench -run '^$' -bench SignIn -benchtime 2000x
func BenchmarkSignIn(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, hash := range []struct {
			name   string
			params account.HashParams
		}{{"argon2id", account.DefaultHashParams}, {"stub-hash", stubHash}} {
			b.Run(engine+"/"+hash.name, func(b *testing.B) { benchSignIn(b, engine, hash.params) })
		}
	}
}

type signInUser struct {
	email, password, device string
	accountID, personID     int64
}

func benchSignIn(b *testing.B, engine string, params account.HashParams) {
	a := seededApp(b, engine, signInAccounts, params)
	users := seedAccounts(b, a)

	var (
		next      atomic.Int64
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, b.N)
		failures  atomic.Int64
	)
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 256)
		for pb.Next() {
			i := next.Add(1)
			u := users[i%int64(len(users))]
			form := url.Values{"identificador": {u.email}, "contrasena": {u.password}}
			req := httptest.NewRequest("POST", "/ingresar", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0")
			req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:5000", i>>16&255, i>>8&255, i&255)
			req.AddCookie(&http.Cookie{Name: web.DeviceCookie, Value: u.device})
			rec := httptest.NewRecorder()
			t0 := time.Now()
			a.Site.ServeHTTP(rec, req)
			local = append(local, time.Since(t0))
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/mi-cuenta" {
				failures.Add(1)
			}
		}
		mu.Lock()
		latencies = append(latencies, local...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failures.Load(); n > 0 {
		b.Fatalf("%d of %d sign-ins did not reach /mi-cuenta", n, b.N)
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	perSec := float64(b.N) / elapsed.Seconds()
	cores := float64(runtime.GOMAXPROCS(0))
	b.ReportMetric(perSec, "signins/s")
	b.ReportMetric(perSec/cores, "signins/s/core")
	b.ReportMetric(cores*elapsed.Seconds()*1000/float64(b.N), "core-ms/signin")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// seedAccounts gives the seeded people an account each with a known
// device, as the sign-in page would find them.
func seedAccounts(b *testing.B, a *app.App) []signInUser {
	ctx := context.Background()
	const password = "Pozole-2026!"
	hash, err := a.Hasher.Hash(ctx, password)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	users := make([]signInUser, 0, signInAccounts)
	for id := int64(1); id <= signInAccounts; id++ {
		acc := &account.Account{PersonID: id, Email: fmt.Sprintf("persona%d@correo.example", id), Mobile: fmt.Sprintf("55%08d", id),
			PasswordHash: hash, TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion, AcceptedAt: now}
		if err := a.DB.CreateAccount(ctx, acc); err != nil {
			b.Fatal(err)
		}
		token := account.NewToken()
		if err := a.DB.CreateDevice(ctx, &account.Device{AccountID: acc.ID, TokenHash: account.TokenHash(token), CreatedAt: now, LastSeenAt: now}); err != nil {
			b.Fatal(err)
		}
		users = append(users, signInUser{email: acc.Email, password: password, device: token, accountID: acc.ID, personID: id})
	}
	return users
}
