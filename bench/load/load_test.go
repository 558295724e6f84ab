package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/smtp"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// The mailbox hands a script the code the portal sent, whichever way it
// came: e-mail through the in-process SMTP server, SMS through the
// gateway stand-in. An older code does not satisfy a newer wait.
func TestMailboxDeliversCodes(t *testing.T) {
	m, err := openMailbox()
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	since := time.Now()
	auth := smtp.PlainAuth("", m.SMTP.Username, m.SMTP.Password, "127.0.0.1")
	msg := "Subject: Tu codigo\r\n\r\nTu codigo es 482913. Vence en 10 minutos.\r\n"
	if err := smtp.SendMail(m.SMTP.Addr, auth, "portal@fondo.example", []string{"Persona@Correo.example"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	if code, err := m.waitCode("persona@correo.example", since, 5*time.Second); err != nil || code != "482913" {
		t.Fatalf("e-mail code %q, %v", code, err)
	}
	resp, err := http.Post(m.SMSURL, "application/json", strings.NewReader(`{"to":"+525512345678","message":"Mi Cuenta: tu codigo es 771204"}`))
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("sms gateway: %v %v", resp, err)
	}
	if code, err := m.waitCode("5512345678", since, 5*time.Second); err != nil || code != "771204" {
		t.Fatalf("sms code %q, %v", code, err)
	}
	if _, err := m.waitCode("5512345678", time.Now().Add(time.Second), 100*time.Millisecond); err == nil {
		t.Fatal("a code sent before the wait began was taken as new")
	}
	if m.mails.Load() != 1 || m.sms.Load() != 1 {
		t.Fatalf("counted %d e-mails, %d SMS", m.mails.Load(), m.sms.Load())
	}
}

// Percentiles are nearest-rank over every sample, errors are counted and
// shown per route, and waits (a code's delivery) stay out of the totals.
func TestRecorderTable(t *testing.T) {
	r := newRecorder()
	for i := 1; i <= 100; i++ {
		r.add("GET /mi-cuenta", time.Duration(i)*time.Millisecond, "")
	}
	r.add("POST /ingresar", 5*time.Millisecond, "POST /ingresar: 500, want 303")
	r.wait("Code delivery", 2*time.Second, "")
	r.stop()
	rows, total := r.table()
	if len(rows) != 2 || rows[0].Route != "GET /mi-cuenta" {
		t.Fatalf("rows %+v", rows)
	}
	s := rows[0]
	if s.P50 != 50*time.Millisecond || s.P95 != 95*time.Millisecond || s.P99 != 99*time.Millisecond || s.Max != 100*time.Millisecond {
		t.Fatalf("percentiles %v %v %v %v", s.P50, s.P95, s.P99, s.Max)
	}
	if total.Count != 101 || total.Errors != 1 {
		t.Fatalf("total %+v", total)
	}
	var buf bytes.Buffer
	r.writeTable(&buf)
	if !strings.Contains(buf.String(), "| `GET /mi-cuenta` | 100 |") || !strings.Contains(buf.String(), "Last error on `POST /ingresar`: POST /ingresar: 500") ||
		!strings.Contains(buf.String(), "Code delivery (not a request; not in the totals): 1, p50 2000.0 ms") {
		t.Fatalf("table:\n%s", buf.String())
	}
}

// Slices of a phase merge into one: every sample, every error, and the
// sum of their times, so the throughput is over the time they ran.
func TestMergeSlices(t *testing.T) {
	a, b := newRecorder(), newRecorder()
	for i := range 30 {
		a.add("GET", time.Millisecond, "")
		if i < 10 {
			b.add("GET", 3*time.Millisecond, "GET /: 500 Internal Server Error")
		}
	}
	a.stop()
	b.stop()
	a.wall, b.wall = 2*time.Second, 3*time.Second
	_, total := merge([]*recorder{a, b}).table()
	if total.Count != 40 || total.Errors != 10 || total.PerSec != 8 || total.Max != 3*time.Millisecond {
		t.Fatalf("merged %+v", total)
	}
}

// Each round's ratio is taken against the hello slices either side of
// it, so a host that slows down between rounds moves both sides of a
// ratio, and the report gives the median.
func TestRoundRatios(t *testing.T) {
	hellos := []float64{20000, 10000, 10000, 30000}
	got := roundRatios(hellos, []float64{3750, 2500, 5000})
	want := []float64{0.25, 0.25, 0.25}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ratios %v, want %v", got, want)
		}
	}
	if m := median([]float64{0.3, 0.1, 0.2}); m != 0.2 {
		t.Fatalf("median of three %v", m)
	}
	if m := median([]float64{0.4, 0.1, 0.2, 0.3}); m != 0.25 {
		t.Fatalf("median of four %v", m)
	}
	if m := median(nil); m != 0 {
		t.Fatalf("median of none %v", m)
	}
}

// The report's CPU and memory figures come from /proc.
func TestReadUsage(t *testing.T) {
	u, err := readUsage(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if u.rss <= 0 || u.hwm < u.rss {
		t.Fatalf("rss %d, peak %d", u.rss, u.hwm)
	}
	deadline := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(deadline) {
	}
	if after, _ := readUsage(os.Getpid()); after.cpu <= u.cpu {
		t.Fatalf("cpu did not move: %v then %v", u.cpu, after.cpu)
	}
}

// Bad settings are refused with what to do.
func TestOptionsCheck(t *testing.T) {
	t.Setenv("MICUENTA_DATA_KEY", "x")
	t.Setenv("MICUENTA_LOOKUP_KEY", "y")
	good := options{bin: "/tmp/micuenta", db: "sqlite:/tmp/x.db", instances: 1, users: 10, sessions: 5, conns: 32, summaryRate: 1, mixRate: 1,
		saturate: 10 * time.Second, rounds: 5}
	if err := good.check(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		change func(*options)
		want   string
	}{
		{func(o *options) { o.bin = "" }, "go build"},
		{func(o *options) { o.instances = 2 }, "needs PostgreSQL"},
		{func(o *options) { o.sessions = 20 }, "--sessions 20"},
		{func(o *options) { o.rounds = 0 }, "at least one round"},
		{func(o *options) { o.rounds = 40 }, "half a second a slice"},
		{func(o *options) { o.wrk, o.rounds = "/usr/bin/wrk", 20 }, "whole seconds"},
		{func(o *options) { o.wrk, o.db, o.instances, o.conns = "/usr/bin/wrk", "postgres://x", 3, 2 }, "each of the 3 instances"},
	} {
		o := good
		c.change(&o)
		if err := o.check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", o, err, c.want)
		}
	}
}

// Registrations take registrants in turn; once they run out, the report
// counts the visits that could not register instead of hiding them.
func TestRegistrationsAreCounted(t *testing.T) {
	m := &mix{ds: &dataset{registrants: make([]registrant, 3)}}
	m.nextReg.Store(2)
	if begun, short := m.registrations(); begun != 2 || short != 0 {
		t.Fatalf("2 of 3: begun %d, short %d", begun, short)
	}
	m.nextReg.Store(5)
	if begun, short := m.registrations(); begun != 3 || short != 2 {
		t.Fatalf("5 for 3: begun %d, short %d", begun, short)
	}
}

// A visitor's requests alternate between the instances, so with two every
// page after the first is answered by the other one.
func TestVisitorAlternatesInstances(t *testing.T) {
	var order []string
	var mu sync.Mutex
	server := func(name string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
		}))
	}
	a, b := server("a"), server("b")
	defer a.Close()
	defer b.Close()
	v := newVisitor(newClient(4), []string{a.URL, b.URL}, 1, "10.9.9.9", newRecorder())
	for range 4 {
		v.get("GET /", "/", 200)
	}
	if got := strings.Join(order, ""); got != "baba" {
		t.Fatalf("instances answered in the order %q, want baba", got)
	}
}

// The report's ratios are the medians of the rounds', each round's figure
// written beside it, with every hello slice's rate.
func TestReportGivesTheRoundsMedian(t *testing.T) {
	slice := func(n int) *recorder {
		r := newRecorder()
		for range n {
			r.add("GET", time.Millisecond, "")
		}
		r.wall = time.Second
		return r
	}
	r := report{o: options{rounds: 3, saturate: 6 * time.Second, conns: 32, summaryRate: 500, mixRate: 20}, fixed: slice(10), mix: slice(10)}
	for _, n := range []int{20000, 10000, 10000, 30000} {
		r.helloSlices = append(r.helloSlices, slice(n))
	}
	for _, n := range []int{3750, 2500, 6000} {
		r.summarySlices = append(r.summarySlices, slice(n))
	}
	for _, n := range []int{1500, 1000, 2000} {
		r.movementsSlices = append(r.movementsSlices, slice(n))
	}
	var buf bytes.Buffer
	r.write(&buf)
	out := buf.String()
	for _, want := range []string{
		"3 rounds of 2s each",
		"Hello answered 20000, 10000, 10000, 30000 requests/s in its 4 slices.",
		"Summary page ÷ hello throughput: **0.25**, the median of the rounds' 0.25, 0.25, 0.30",
		"÷ hello throughput: **0.10**, the median of 0.10, 0.10, 0.10",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
