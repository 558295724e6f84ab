package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/config"
	"micuenta/internal/figures"
	"micuenta/internal/notify"
	"micuenta/internal/operator"
	"micuenta/internal/portal"
	"micuenta/internal/request"
)

// The dashboard's figures come from what happened, day by day: sign-ups
// through each registration step, sign-ins, requests filed, codes sent and
// failed, a visit from sign-in to sign-out, pages loaded; a roll-up run
// twice counts nothing twice; the page, its CSV and its range checks work
// for the roles that may see them.
func TestOperationsDashboard(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, email, password := newPortal(t, engine, func(c *config.Config) { c.Demo = true })
			ctx := context.Background()
			start := clock.Now()
			today := portal.DateOf(start)
			noon := func(daysAgo int) time.Time {
				d := today.AddDays(-daysAgo)
				return time.Date(d.Y, d.M, d.D, 12, 0, 0, 0, portal.MexicoCity)
			}
			rec := func(action string, person, acc int64, detail string) {
				t.Helper()
				if err := a.Audit.Record(ctx, audit.Entry{Action: action, PersonID: person, AccountID: acc, Detail: detail}); err != nil {
					t.Fatal(err)
				}
			}

			// Two days ago: six identity attempts (two not matching), three
			// people matched, one of them twice; down the funnel to two new
			// accounts; one account deleted; two accounts signed in, one twice.
			clock.Set(noon(2))
			for _, p := range []int64{101, 102, 103, 101} {
				rec(audit.RegistrationMatched, p, 0, "")
			}
			rec(audit.RegistrationFailed, 0, 0, "registro: no coinciden")
			rec(audit.RegistrationFailed, 0, 0, "registro: no coinciden")
			rec(audit.RegistrationFailed, 0, 0, "recuperar: no coinciden") // not registration
			for _, p := range []int64{101, 102, 103} {
				rec(audit.RegistrationNamed, p, 0, "")
			}
			for _, p := range []int64{101, 102} {
				rec(audit.RegistrationContact, p, 0, "")
				rec(audit.RegistrationVerified, p, 0, "")
				rec(audit.RegistrationCompleted, p, 900+p, "")
			}
			rec(audit.AccountDeleted, 0, 7, "")
			rec(audit.SignInSucceeded, 0, 1, "")
			rec(audit.SignInSucceeded, 0, 1, "")
			rec(audit.SignInSucceeded, 0, 2, "")
			for i, kind := range []string{request.ARCO.Prefix, request.Correccion.Prefix, request.Correccion.Prefix} {
				r := &request.Request{Folio: "PRUEBA-" + kind + "-" + string(rune('A'+i)), Kind: kind, PersonID: 1, State: request.Recibida,
					Data: []byte("{}"), ReceivedAt: clock.Now(), DueOn: today, UpdatedAt: clock.Now()}
				if err := a.DB.CreateRequest(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := a.DB.EnqueueMessages(ctx, []notify.Message{
				{Channel: notify.Email, To: "a@correo.example", Body: "Tu código es 111111", Priority: notify.PriorityCode},
				{Channel: notify.SMS, To: "5512345678", Body: "Tu código es 222222", Priority: notify.PriorityCode},
				{Channel: notify.SMS, To: "5512345679", Body: "Tu código es 333333", Priority: notify.PriorityCode},
				{Channel: notify.Email, To: "b@correo.example", Body: "Un aviso", Priority: notify.PriorityNotice},
			}); err != nil {
				t.Fatal(err)
			}
			msgs, err := a.DB.ClaimMessages(ctx, clock.Now(), clock.Now().Add(time.Minute), 10)
			if err != nil || len(msgs) != 4 {
				t.Fatalf("claim: %d %v", len(msgs), err)
			}
			for _, m := range msgs {
				switch m.Body {
				case "Tu código es 333333":
					err = a.DB.MarkRetry(ctx, m.ID, 5, clock.Now(), "la pasarela no respondió", true)
				default:
					err = a.DB.MarkSent(ctx, m.ID, clock.Now())
				}
				if err != nil {
					t.Fatal(err)
				}
			}

			// Yesterday: one more account, one sign-in.
			clock.Set(noon(1))
			rec(audit.RegistrationCompleted, 104, 904, "")
			rec(audit.SignInSucceeded, 0, 1, "")

			// Today: a real visit of four minutes, with pages.
			clock.Set(start)
			b := signedIn(t, a, email, password)
			clock.Add(2 * time.Minute)
			if rec := b.do("GET", "/mi-cuenta/ahorro", nil); rec.Code != 200 {
				t.Fatalf("savings: %d", rec.Code)
			}
			clock.Add(2 * time.Minute)
			if rec := b.do("GET", "/mi-cuenta", nil); rec.Code != 200 {
				t.Fatalf("summary: %d", rec.Code)
			}
			b.do("POST", "/salir", url.Values{})

			for range 2 { // the second pass must change nothing
				if _, err := a.Housekeep(ctx); err != nil {
					t.Fatal(err)
				}
			}
			d, err := a.Figures.Dashboard(ctx, today.AddDays(-2), today)
			if err != nil {
				t.Fatal(err)
			}
			days := map[portal.Date]int64{}
			for _, x := range d.DailyActive {
				days[x.Day] = x.Value
			}
			if days[today.AddDays(-2)] != 2 || days[today.AddDays(-1)] != 1 || days[today] != 1 {
				t.Errorf("daily active: %v", d.DailyActive)
			}
			var newInRange int64
			for _, x := range d.NewByDay {
				newInRange += x.Value
			}
			if newInRange != 3 {
				t.Errorf("new accounts in range %d, want 3: %v", newInRange, d.NewByDay)
			}
			funnel := []int64{}
			for _, f := range d.Funnel {
				funnel = append(funnel, f.Value)
			}
			if got, want := funnel, []int64{6, 3, 3, 2, 2, 3}; fmtInts(got) != fmtInts(want) {
				t.Errorf("funnel %v, want %v", got, want)
			}
			if d.Funnel[1].DropBP != 5000 || d.Funnel[3].DropBP != 3333 {
				t.Errorf("drop-offs %d %d, want 5000 and 3333 basis points", d.Funnel[1].DropBP, d.Funnel[3].DropBP)
			}
			if len(d.Requests) != 2 || d.Requests[0] != (figures.Count{Name: "COR", Value: 2}) || d.Requests[1] != (figures.Count{Name: "ARC", Value: 1}) {
				t.Errorf("requests %v", d.Requests)
			}
			codes := map[string]figures.CodeCount{}
			for _, c := range d.Codes {
				codes[c.Channel] = c
			}
			if c := codes["sms"]; c.Sent != 1 || c.Failed != 1 || c.FailureBP != 5000 {
				t.Errorf("sms codes %+v", c)
			}
			if c := codes["email"]; c.Sent < 1 || c.Failed != 0 { // plus today's sign-in code, once delivered
				t.Errorf("e-mail codes %+v", c)
			}
			if d.Visits != 1 || d.AvgVisit < 4*time.Minute || d.AvgVisit > 5*time.Minute {
				t.Errorf("visits %d of %s, want 1 of about 4 min", d.Visits, d.AvgVisit)
			}
			pages := map[string]int64{}
			for _, p := range d.Pages {
				pages[p.Name] = p.Value
			}
			if pages["GET /mi-cuenta/ahorro"] != 1 || pages["GET /static/"] != 0 {
				t.Errorf("page views %v", d.Pages)
			}
			if d.NewYTD < 3 {
				t.Errorf("new this year %d, want at least 3", d.NewYTD)
			}

			// Tomorrow the close of today is recorded: the accounts that
			// exist, by state, and the ones active in 30 days.
			clock.Add(24 * time.Hour)
			if _, err := a.Housekeep(ctx); err != nil {
				t.Fatal(err)
			}
			d, err = a.Figures.Dashboard(ctx, today.AddDays(-2), today)
			if err != nil {
				t.Fatal(err)
			}
			const accounts = 1 // the demo account; the audit entries above made none
			var byState int64
			for _, s := range d.States {
				byState += s.Value
			}
			if d.AsOf != today || d.Total != accounts || byState != accounts || d.Active < 1 {
				t.Errorf("close of %s: total %d by state %d active %d, want %d accounts", d.AsOf, d.Total, byState, d.Active, accounts)
			}

			// The page, for the roles that may see it.
			newOperator(t, a, "supervisora@fondo.example", operator.Supervisor, "DF")
			newOperator(t, a, "operador@fondo.example", operator.Operador, "DF")
			sup := staffSignIn(t, a, clock, "supervisora@fondo.example")
			q := "?desde=" + today.AddDays(-2).String() + "&hasta=" + today.String()
			page := sup.do("GET", "/admin/tablero"+q, nil)
			body := page.Body.String()
			if page.Code != 200 || !strings.Contains(body, "Tablero de operación") || !strings.Contains(body, "<svg") ||
				!strings.Contains(body, "Sus datos coincidieron") || !strings.Contains(body, "50 %") {
				t.Fatalf("dashboard: %d %s", page.Code, body)
			}
			csv := sup.do("GET", "/admin/tablero.csv"+q, nil)
			if csv.Code != 200 || !strings.HasPrefix(csv.Body.String(), "dia,cifra,dimension,valor\n") ||
				!strings.Contains(csv.Body.String(), today.AddDays(-2).String()+",registration_funnel,1_identidad,6") {
				t.Fatalf("csv: %d %s", csv.Code, csv.Body.String())
			}
			bad := sup.do("GET", "/admin/tablero?desde=2026-13-01&hasta="+today.String(), nil)
			if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(bad.Body.String(), "Escribe la fecha inicial como AAAA-MM-DD") {
				t.Fatalf("invalid range: %d", bad.Code)
			}
			if rec := sup.do("GET", "/admin/tablero?desde="+today.String()+"&hasta="+today.AddDays(-1).String(), nil); rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("reversed range: %d", rec.Code)
			}
			if rec := sup.do("GET", "/admin/tablero.csv?desde=x", nil); rec.Code != http.StatusBadRequest && rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("csv with an invalid range: %d", rec.Code)
			}
			op := staffSignIn(t, a, clock, "operador@fondo.example")
			if rec := op.do("GET", "/admin/tablero", nil); rec.Code != http.StatusForbidden {
				t.Fatalf("an operador sees the dashboard: %d", rec.Code)
			}
		})
	}
}

func fmtInts(v []int64) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = portal.Grouped(n)
	}
	return strings.Join(s, ",")
}

// Housekeeping deletes audit entries older than the retention, in whole
// days, and never keeps less than the minimum whatever the setting.
func TestAuditRetention(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, _, _ := newPortal(t, engine, func(c *config.Config) { c.Demo, c.AuditRetentionYears = true, 1 })
			ctx := context.Background()
			now := clock.Now()
			for _, years := range []int{6, 5, 4, 1} {
				clock.Set(now.AddDate(-years, 0, 0).Add(-48 * time.Hour))
				if err := a.Audit.Record(ctx, audit.Entry{Action: audit.SignInFailed, AccountID: int64(years)}); err != nil {
					t.Fatal(err)
				}
			}
			clock.Set(now)
			h, err := a.Housekeep(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if h.AuditEntries != 2 {
				t.Fatalf("purged %d entries, want the two older than five years", h.AuditEntries)
			}
			left, err := a.DB.RecentAudit(ctx, audit.Filter{Action: audit.SignInFailed, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			kept := map[int64]bool{}
			for _, e := range left {
				kept[e.AccountID] = true
			}
			if !kept[4] || !kept[1] || kept[5] || kept[6] {
				t.Fatalf("kept %v", kept)
			}
		})
	}
}

// A batch command's progress shows in /metrics while it runs and after.
func TestBatchProgressMetrics(t *testing.T) {
	a, _, _, _ := newPortal(t, "sqlite", func(c *config.Config) { c.Demo = true })
	ctx := context.Background()
	if err := a.DB.RecordBatchProgress(ctx, "import contributions", "bimestre.csv", 500, 2000, time.Now(), false); err != nil {
		t.Fatal(err)
	}
	metrics := newBrowser(t, a.Admin).do("GET", "/metrics", nil).Body.String()
	for _, want := range []string{`job="import contributions"`, `measure="done"`, `source="bimestre.csv"`} {
		if !strings.Contains(metrics, want) {
			t.Fatalf("metrics lack %s:\n%s", want, metrics)
		}
	}
	if !strings.Contains(lineWith(metrics, `measure="running"`), " 1") || !strings.Contains(lineWith(metrics, `measure="total"`), " 2000") {
		t.Fatalf("progress: %s / %s", lineWith(metrics, `measure="running"`), lineWith(metrics, `measure="total"`))
	}
	if err := a.DB.RecordBatchProgress(ctx, "import contributions", "bimestre.csv", 2000, 2000, time.Now(), true); err != nil {
		t.Fatal(err)
	}
	metrics = newBrowser(t, a.Admin).do("GET", "/metrics", nil).Body.String()
	if !strings.HasSuffix(lineWith(metrics, `measure="running"`), " 0") {
		t.Fatalf("a finished job still running: %s", lineWith(metrics, `measure="running"`))
	}
}

func lineWith(text, part string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, part) && strings.HasPrefix(l, "micuenta_batch_progress") {
			return l
		}
	}
	return ""
}

// The demo's replayed history gives the dashboard months of figures: two
// years of accounts, 90 days of sign-ins and visits, a funnel that
// narrows step by step.
func TestDemoActivity(t *testing.T) {
	a, clock, _, _ := newPortal(t, "sqlite", func(c *config.Config) { c.Demo = true })
	ctx := context.Background()
	n, err := a.CreateDemoActivity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 || n > 80 { // about 45% of people 51–150
		t.Fatalf("%d demo accounts", n)
	}
	// The newest accounts may date from today, after the last close the
	// dashboard shows; a day later every one of them is in it.
	clock.Add(24 * time.Hour)
	if _, err := a.Housekeep(ctx); err != nil {
		t.Fatal(err)
	}
	today := portal.DateOf(clock.Now())
	d, err := a.Figures.Dashboard(ctx, today.AddDays(-89), today)
	if err != nil {
		t.Fatal(err)
	}
	var signIns int64
	for _, x := range d.DailyActive {
		signIns += x.Value
	}
	if d.AsOf != today.AddDays(-1) || d.Total < int64(n) || d.Active == 0 || signIns < 30 || d.Visits == 0 ||
		d.AvgVisit < 2*time.Minute || d.AvgVisit > 20*time.Minute {
		t.Fatalf("demo figures: as of %s, %d accounts (%d made), %d active, %d a day (%d sign-ins), %d visits of %s", d.AsOf, d.Total, n, d.Active, d.AvgDailyActive, signIns, d.Visits, d.AvgVisit)
	}
	for i := 2; i < len(d.Funnel); i++ {
		if d.Funnel[i].Value > d.Funnel[i-1].Value {
			t.Fatalf("the funnel widens at %s: %+v", d.Funnel[i].Step.Key, d.Funnel)
		}
	}
	if d.Funnel[5].Value == 0 || d.Funnel[0].Value <= d.Funnel[5].Value {
		t.Fatalf("funnel %+v", d.Funnel)
	}
}
