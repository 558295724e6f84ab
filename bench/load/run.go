package main

import (
	"context"
	"debug/buildinfo"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"micuenta/bench/cputime"
	"micuenta/internal/web"
)

// fleet is what the run started: the portal's instances, the separate
// worker if any, and the hello server.
type fleet struct {
	serves []*process
	worker *process
	hello  *process
	bases  []string
	next   atomic.Uint64
}

// base spreads the summary-page phases' requests over the instances in
// turn, as a round-robin balancer does (the mix's visitors alternate
// instances themselves, see visitor).
func (f *fleet) base() string {
	return f.bases[f.next.Add(1)%uint64(len(f.bases))]
}

func (f *fleet) portal() []*process {
	if f.worker != nil {
		return append(append([]*process{}, f.serves...), f.worker)
	}
	return f.serves
}

func (f *fleet) stop() {
	for _, p := range append(f.portal(), f.hello) {
		p.stop()
	}
}

func startFleet(o options, dir string, mail *mailbox) (*fleet, error) {
	f := &fleet{}
	env := []string{"MICUENTA_SMTP_ADDR=" + mail.SMTP.Addr, "MICUENTA_SMTP_USER=" + mail.SMTP.Username,
		"MICUENTA_SMTP_PASSWORD=" + mail.SMTP.Password, "MICUENTA_SMTP_SECURITY=none", "MICUENTA_SMS_URL=" + mail.SMSURL,
		"MICUENTA_SMS_TOKEN=carga", "MICUENTA_LOG_LEVEL=warn", "MICUENTA_DB=" + o.db}
	for i := range o.instances {
		addr, err := freeAddr()
		if err != nil {
			return f, err
		}
		// Under wrk the back office listens too: its /metrics counts the
		// portal's answers by status, which is how a wrk run learns how
		// many were not pages (saturateWrk).
		admin := ""
		if o.wrk != "" {
			if admin, err = freeAddr(); err != nil {
				return f, err
			}
		}
		docs := fmt.Sprintf("%s/documentos", dir)
		p, err := start(dir, fmt.Sprintf("serve%d", i+1), o.bin, []string{"serve", "--addr", addr, "--admin-addr", admin,
			"--trusted-proxies", "127.0.0.1/32", "--documents-dir", docs, fmt.Sprintf("--worker=%t", o.instances == 1)}, env)
		if err != nil {
			return f, err
		}
		p.addr, p.admin = addr, admin
		f.serves = append(f.serves, p)
		f.bases = append(f.bases, "http://"+addr)
	}
	if o.instances > 1 {
		p, err := start(dir, "worker", o.bin, []string{"worker"}, env)
		if err != nil {
			return f, err
		}
		f.worker = p
	}
	addr, err := freeAddr()
	if err != nil {
		return f, err
	}
	self, err := os.Executable()
	if err != nil {
		return f, err
	}
	if f.hello, err = start(dir, "hello", self, nil, []string{helloEnv + "=" + addr}); err != nil {
		return f, err
	}
	f.hello.addr = addr
	for _, p := range f.serves {
		if err := p.waitReady("http://"+p.addr+"/readyz", 5*time.Minute); err != nil {
			return f, err
		}
	}
	return f, f.hello.waitReady("http://"+addr+"/", 30*time.Second)
}

// meter measures what a phase cost: the portal's processes' CPU (and the
// PostgreSQL server's, when there is one), the load generator's own, and
// the wall time.
type meter struct {
	procs []*process
	pg    bool
	t0    time.Time
	cpu0  map[int]time.Duration
	pg0   time.Duration
	self0 time.Duration
	busy0 time.Duration
}

type cost struct {
	wall                time.Duration
	server, db, loadgen time.Duration
	machine             time.Duration // every process on the machine
	cores               int
	rss                 int64 // the portal processes' resident memory now, summed
	hwm                 int64 // their peaks, summed
}

func startMeter(procs []*process, pg bool) *meter {
	m := &meter{procs: procs, pg: pg, t0: time.Now(), cpu0: map[int]time.Duration{}, self0: cputime.Self(), busy0: machineBusy()}
	for _, p := range procs {
		u, _ := readUsage(p.cmd.Process.Pid)
		m.cpu0[p.cmd.Process.Pid] = u.cpu
	}
	if pg {
		m.pg0 = postgresCPU()
	}
	return m
}

func (m *meter) stop() cost {
	c := cost{wall: time.Since(m.t0), loadgen: cputime.Self() - m.self0, machine: machineBusy() - m.busy0, cores: runtime.NumCPU()}
	for _, p := range m.procs {
		u, _ := readUsage(p.cmd.Process.Pid)
		c.server += u.cpu - m.cpu0[p.cmd.Process.Pid]
		c.rss += u.rss
		c.hwm += u.hwm
	}
	if m.pg {
		c.db = postgresCPU() - m.pg0
	}
	return c
}

// plus adds up the costs of slices of one phase: the times sum, memory
// is the later slice's (and the higher peak).
func (c cost) plus(d cost) cost {
	return cost{wall: c.wall + d.wall, server: c.server + d.server, db: c.db + d.db, loadgen: c.loadgen + d.loadgen,
		machine: c.machine + d.machine, cores: d.cores, rss: d.rss, hwm: max(c.hwm, d.hwm)}
}

// share is how many cores a CPU time kept busy over the phase.
func (c cost) share(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()/c.wall.Seconds()) }

// others is what the rest of the machine used: other programs, and the
// hello server while the portal is measured (and the other way round).
func (c cost) others() time.Duration { return max(0, c.machine-c.server-c.db-c.loadgen) }

func run(ctx context.Context, o options, out io.Writer) error {
	dir, err := os.MkdirTemp("", "micuenta-load-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	mail, err := openMailbox()
	if err != nil {
		return err
	}
	defer mail.close()
	fmt.Fprintf(os.Stderr, "load: preparing %d accounts and %d registrants…\n", o.users, o.registrants)
	prepStart := time.Now()
	ds, err := prepare(ctx, o.db, o.users, o.registrants, o.seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "load: dataset of %d people ready in %s; starting %d instance(s)…\n", ds.people, time.Since(prepStart).Round(time.Second), o.instances)
	f, err := startFleet(o, dir, mail)
	defer f.stop()
	if err != nil {
		return err
	}
	pg := strings.HasPrefix(o.db, "postgres")
	client := newClient(max(o.conns, 256))
	rng := rand.New(rand.NewPCG(o.seed, 2))

	// Signed-in sessions for the summary-page phases.
	sessions := make([]string, 0, o.sessions)
	signIns := newRecorder()
	for _, u := range ds.users[:o.sessions] {
		v := newVisitor(client, f.bases, len(sessions), fmt.Sprintf("10.1.%d.%d", len(sessions)/250, len(sessions)%250+1), signIns)
		if !signIn(v, u) {
			return fmt.Errorf("sign-in of %s failed: see %s", u.email, f.serves[0].log)
		}
		sessions = append(sessions, web.SessionCookie+"="+v.cookies[web.SessionCookie]+"; "+web.DeviceCookie+"="+u.device)
	}

	r := report{o: o, people: ds.people, pg: pg}
	// The saturated phases run in rounds: hello, the summary page and the
	// movements page, o.rounds times over, then hello once more. The
	// host's speed drifts by tens of percent within minutes (it is a VM
	// among others), and a ratio of two phases minutes apart measured that
	// drift as much as the portal: each round's ratios divide by the hello
	// slices just before and after it, and the report gives their median.
	slice := o.saturate / time.Duration(o.rounds)
	helloTarget := func(int) (string, string) { return "http://" + f.hello.addr + "/", "" }
	sat := func(procs []*process, pg bool, target func(int) (string, string), parts *[]*recorder, total *cost) error {
		var rec *recorder
		var c cost
		if o.wrk != "" {
			var err error
			if rec, c, err = saturateWrk(ctx, o, dir, slice, procs, pg, target, len(sessions)); err != nil {
				return err
			}
		} else {
			rec, c = saturate(ctx, client, o.conns, slice, procs, pg, target)
		}
		*parts = append(*parts, rec)
		*total = total.plus(c)
		return nil
	}
	summaryTarget := func(i int) (string, string) { return f.base() + "/mi-cuenta", sessions[i%len(sessions)] }
	movementsTarget := func(i int) (string, string) { return f.base() + movementsPath, sessions[i%len(sessions)] }
	for round := range o.rounds {
		fmt.Fprintf(os.Stderr, "load: saturation, round %d of %d: hello, the summary page, the movements page…\n", round+1, o.rounds)
		if err := errors.Join(sat([]*process{f.hello}, false, helloTarget, &r.helloSlices, &r.helloCost),
			sat(f.portal(), pg, summaryTarget, &r.summarySlices, &r.summaryCost),
			sat(f.portal(), pg, movementsTarget, &r.movementsSlices, &r.movementsCost)); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "load: saturation, hello once more…")
	if err := sat([]*process{f.hello}, false, helloTarget, &r.helloSlices, &r.helloCost); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "load: summary page at a fixed rate…")
	r.fixed, r.fixedCost = fixedRate(ctx, client, o, f, pg, sessions)
	fmt.Fprintln(os.Stderr, "load: the mix…")
	var mx *mix
	r.mix, r.mixCost, mx, r.visits = mixed(ctx, client, o, f, pg, ds, mail, rng)
	r.registrations, r.noRegistrant = mx.registrations()
	r.mails, r.sms = mail.mails.Load(), mail.sms.Load()
	r.write(out)
	return nil
}

// movementsPath is the movements page the saturation phase asks for: the
// savings page filtered to contributions, its first page (20 rows for
// anyone with more than three years and four months of them). DESIGN.md's
// budget for it is a tenth of hello's throughput.
const movementsPath = "/mi-cuenta/ahorro?tipo=aportacion"

// saturate sends requests back to back from conns workers for d and
// returns what they got and what it cost.
func saturate(ctx context.Context, client *http.Client, conns int, d time.Duration, procs []*process, pg bool, target func(i int) (url, cookie string)) (*recorder, cost) {
	rec := newRecorder()
	m := startMeter(procs, pg)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i += conns {
				url, cookie := target(i)
				d, err := fetch(client, url, cookie, fmt.Sprintf("10.2.%d.%d", w/250, w%250+1))
				rec.add("GET", d, failure(err))
			}
		}()
	}
	wg.Wait()
	rec.stop()
	return rec, m.stop()
}

// saturateWrk is saturate driven by wrk: the same targets (the first
// n of them, each URL's path with its cookie and a forwarded address),
// cycled through over o.conns connections. With several instances one
// wrk runs against each, side by side, with its share of the
// connections and of the cores, as a balancer would spread them. The
// load generator's CPU is wrk's and its own.
//
// wrk counts as errors only failed sockets and statuses above 399, and
// an ended session answers 303 — a fast answer that is not a page. So
// the portal's answers are also counted where they are made: each
// instance's own counter of answers by status, on its back office's
// /metrics (the process's admin), read before and after. Every answer
// but a 200 is an error, except the requests wrk abandons at its
// deadline, which the portal counts as 499. Checking each answer in
// wrk's Lua (a response hook, the first way this was done) never saw the
// answers to the requests wrk abandons, which the portal had counted as
// 500s.
func saturateWrk(ctx context.Context, o options, dir string, d time.Duration, procs []*process, pg bool, target func(i int) (url, cookie string), n int) (*recorder, cost, error) {
	groups := map[string][]wrkRequest{} // by base URL, one per instance
	var bases []string
	for i := range n {
		raw, cookie := target(i)
		u, err := url.Parse(raw)
		if err != nil {
			return nil, cost{}, err
		}
		base := u.Scheme + "://" + u.Host
		if _, ok := groups[base]; !ok {
			bases = append(bases, base)
		}
		h := map[string]string{"X-Forwarded-For": fmt.Sprintf("10.2.%d.%d", i/250, i%250+1)}
		if cookie != "" {
			h["Cookie"] = cookie
		}
		groups[base] = append(groups[base], wrkRequest{path: u.RequestURI(), headers: h})
		if cookie == "" {
			break // hello: one request serves
		}
	}
	admins := map[string]string{}
	for _, p := range procs {
		if p.admin != "" {
			admins["http://"+p.addr] = "http://" + p.admin + "/metrics"
		}
	}
	before := map[string]answers{}
	for _, base := range bases {
		if admin := admins[base]; admin != "" {
			a, err := portalAnswers(ctx, admin)
			if err != nil {
				return nil, cost{}, err
			}
			before[base] = a
		}
	}
	conns, threads := max(1, o.conns/len(bases)), max(1, runtime.NumCPU()/len(bases))
	results := make([]wrkResult, len(bases))
	errs := make([]error, len(bases))
	m := startMeter(procs, pg)
	var wg sync.WaitGroup
	for i, base := range bases {
		wg.Go(func() { results[i], errs[i] = runWrk(ctx, o.wrk, dir, base, groups[base], conns, threads, d) })
	}
	wg.Wait()
	c := m.stop()
	if err := errors.Join(errs...); err != nil {
		return nil, cost{}, err
	}
	var total wrkResult
	for i, base := range bases {
		res := results[i]
		if admin := admins[base]; admin != "" {
			after, err := portalAnswers(ctx, admin)
			if err != nil {
				return nil, cost{}, err
			}
			if err := res.check(after.minus(before[base]), conns); err != nil {
				return nil, cost{}, fmt.Errorf("%s: %w", base, err)
			}
		}
		total = total.plus(res)
	}
	c.loadgen += total.cpu
	return wrkRecorder(total), c, nil
}

// fetch GETs a URL with a cookie header, expecting 200, and returns how
// long it took.
func fetch(client *http.Client, url, cookie, addr string) (time.Duration, error) {
	req, _ := http.NewRequest("GET", url, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	req.Header.Set("X-Forwarded-For", addr)
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return time.Since(t0), err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return time.Since(t0), fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return time.Since(t0), nil
}

func failure(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// fixedRate requests the summary page at o.summaryRate per second, evenly
// spaced, whatever the answers' speed (an open loop: a slow answer does
// not hold the next request back, so queueing shows in the latencies,
// which count from when each request was due).
func fixedRate(ctx context.Context, client *http.Client, o options, f *fleet, pg bool, sessions []string) (*recorder, cost) {
	rec := newRecorder()
	m := startMeter(f.portal(), pg)
	interval := time.Second / time.Duration(o.summaryRate)
	n := int(o.summaryFor / interval)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(due))
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := fetch(client, f.base()+"/mi-cuenta", sessions[i%len(sessions)], fmt.Sprintf("10.3.%d.%d", i%len(sessions)/250, i%250+1))
			rec.add("GET /mi-cuenta", time.Since(due), failure(err))
		}()
	}
	wg.Wait()
	rec.stop()
	return rec, m.stop()
}

// mixed starts visits at o.mixRate per second (Poisson arrivals) for
// o.mixFor, each running its script to the end.
func mixed(ctx context.Context, client *http.Client, o options, f *fleet, pg bool, ds *dataset, mail *mailbox, rng *rand.Rand) (*recorder, cost, *mix, int) {
	rec := newRecorder()
	mx := &mix{ds: ds, mail: mail, think: o.think, codeTimeout: 30 * time.Second}
	m := startMeter(f.portal(), pg)
	deadline := time.Now().Add(o.mixFor)
	var wg sync.WaitGroup
	visits := 0
	for time.Now().Before(deadline) && ctx.Err() == nil {
		visits++
		seed := rng.Uint64()
		first, addr := visits, fmt.Sprintf("10.%d.%d.%d", 4+visits>>16&127, visits>>8&255, visits&255)
		wg.Add(1)
		go func() {
			defer wg.Done()
			mx.visit(newVisitor(client, f.bases, first, addr, rec), rand.New(rand.NewPCG(seed, 3)))
		}()
		time.Sleep(time.Duration(rng.ExpFloat64() / o.mixRate * float64(time.Second)))
	}
	wg.Wait()
	rec.stop()
	return rec, m.stop(), mx, visits
}

// report is the run's figures, written as Markdown for BENCHMARKS.md.
type report struct {
	o      options
	people int
	pg     bool
	// The saturated phases' slices, round by round; hello has one more
	// than the others (see run).
	helloSlices, summarySlices, movementsSlices []*recorder
	helloCost, summaryCost, movementsCost       cost
	fixed                                       *recorder
	fixedCost                                   cost
	mix                                         *recorder
	mixCost                                     cost
	visits                                      int
	registrations                               int // begun in the mix
	noRegistrant                                int // visits that meant to register but found no registrant left
	mails, sms                                  int64
}

// revision names the build measured: the binary's VCS stamp, or (under
// `go run`, which does not stamp) the checkout's commit, marked "+" when
// the tree has changes.
func revision(bin string) string {
	if bi, err := buildinfo.ReadFile(bin); err == nil {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) >= 7 {
			if dirty {
				return rev[:7] + "+"
			}
			return rev[:7]
		}
	}
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		// GOFLAGS=-buildvcs=false (as on the benchmark host) leaves the
		// binary unstamped.
		return "unknown (build with -buildvcs=true to name it)"
	}
	rev := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		rev += "+"
	}
	return rev + " (checkout)"
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func mib(b int64) string { return fmt.Sprintf("%d", b>>20) }

func (r *report) write(w io.Writer) {
	engine := "SQLite"
	if r.pg {
		engine = "PostgreSQL"
	}
	_, helloTotal := merge(r.helloSlices).table()
	_, sumTotal := merge(r.summarySlices).table()
	_, movTotal := merge(r.movementsSlices).table()
	fmt.Fprintf(w, "\n### %s — %s, %d people, %d instance(s)\n\n", orDefault(r.o.label, "load run"), engine, r.people, r.o.instances)
	fmt.Fprintf(w, "%s · build %s · %d cores (%s), Go %s · %d accounts, %d proved browsers, %d sessions for the summary phases\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), revision(r.o.bin), runtime.NumCPU(), cpuModel(), runtime.Version(), r.o.users, r.o.users, r.o.sessions)
	fmt.Fprintln(w, "| phase | requests/s | p50 ms | p99 ms | errors | server CPU (cores) | DB server CPU | load generator CPU | rest of the machine | server RSS MiB (peak) |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	var saturatedPhases, disturbed []string
	row := func(name string, s summary, c cost) {
		db := "—"
		if r.pg && !strings.HasPrefix(name, "hello") {
			db = c.share(c.db)
		}
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %d | %s | %s | %s | %s | %s (%s) |\n", name, s.PerSec, ms(s.P50), ms(s.P99), s.Errors,
			c.share(c.server), db, c.share(c.loadgen), c.share(c.others()), mib(c.rss), mib(c.hwm))
		if busy := c.machine.Seconds() / c.wall.Seconds(); busy > 0.9*float64(c.cores) && !strings.HasSuffix(name, "saturated") {
			saturatedPhases = append(saturatedPhases, name)
		}
		if c.others().Seconds()/c.wall.Seconds() > 0.25 {
			disturbed = append(disturbed, name)
		}
	}
	row("hello, saturated", helloTotal, r.helloCost)
	row("summary page, saturated", sumTotal, r.summaryCost)
	row("movements page, saturated", movTotal, r.movementsCost)
	_, fixed := r.fixed.table()
	row(fmt.Sprintf("summary page at %d/s", r.o.summaryRate), fixed, r.fixedCost)
	_, mixTotal := r.mix.table()
	row(fmt.Sprintf("mix, %.0f visits/s", r.o.mixRate), mixTotal, r.mixCost)
	if len(saturatedPhases) > 0 {
		fmt.Fprintf(w, "\n**The machine was saturated** (over 90%% of its cores busy) during: %s — those latencies include waiting for a core.\n", strings.Join(saturatedPhases, ", "))
	}
	if len(disturbed) > 0 {
		fmt.Fprintf(w, "\n**Other programs were busy** on the machine (over a quarter of a core, \"rest of the machine\") during: %s — those figures are worse than a quiet machine gives.\n", strings.Join(disturbed, ", "))
	}
	hellos := perSec(r.helloSlices)
	driver := "Go's HTTP client"
	if r.o.wrk != "" {
		driver = "wrk (one thread a core, and one wrk per instance; p50 and p99 of a phase are the highest of its slices')"
	}
	fmt.Fprintf(w, "\nThe saturated phases ran in %d rounds of %s each (hello, summary page, movements page), then hello once more, driven by %s. Hello answered %s requests/s in its %d slices.\n",
		r.o.rounds, r.o.saturate/time.Duration(r.o.rounds), driver, join(hellos, "%.0f"), len(hellos))
	sumRatios, movRatios := roundRatios(hellos, perSec(r.summarySlices)), roundRatios(hellos, perSec(r.movementsSlices))
	fmt.Fprintf(w, "\nSummary page ÷ hello throughput: **%.2f**, the median of the rounds' %s (each round's summary page over the mean of the hello slices either side of it; %.0f requests/s over the phase, %d in flight). Summary page at %d/s: p50 %s ms, p95 %s ms, p99 **%s ms**.\n",
		median(sumRatios), join(sumRatios, "%.2f"), sumTotal.PerSec, r.o.conns, r.o.summaryRate, ms(fixed.P50), ms(fixed.P95), ms(fixed.P99))
	fmt.Fprintf(w, "\nMovements page (`%s`, one page of contributions) ÷ hello throughput: **%.2f**, the median of %s (%.0f requests/s over the phase).\n",
		movementsPath, median(movRatios), join(movRatios, "%.2f"), movTotal.PerSec)
	fmt.Fprintf(w, "\nThe mix: %d visits started over %s (think time mean %s), %d registrations begun, %d e-mails and %d SMS received.\n",
		r.visits, r.o.mixFor, r.o.think, r.registrations, r.mails, r.sms)
	if r.noRegistrant > 0 {
		fmt.Fprintf(w, "\n**%d visits meant to register found no registrant left** and browsed anonymously instead: raise --registrants.\n", r.noRegistrant)
	}
	fmt.Fprintln(w)
	r.mix.writeTable(w)
}

// perSec is each slice's throughput.
func perSec(slices []*recorder) []float64 {
	out := make([]float64, len(slices))
	for i, r := range slices {
		_, t := r.table()
		out[i] = t.PerSec
	}
	return out
}

// roundRatios divides each round's throughput by the mean of the hello
// slices before and after it (hellos has one more slice than rounds).
func roundRatios(hellos, rounds []float64) []float64 {
	out := make([]float64, len(rounds))
	for i, x := range rounds {
		out[i] = x / ((hellos[i] + hellos[i+1]) / 2)
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// join writes each figure in format, separated by commas.
func join(xs []float64, format string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf(format, x)
	}
	return strings.Join(parts, ", ")
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
