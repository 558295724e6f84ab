package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// wrk drives the saturated phases (--wrk) in place of Go's HTTP client.
// On the 2-core host (BENCHMARKS.md, seventh sitting) Go's client spent
// about 36 µs of CPU on each hello request and 88–112 µs on each summary
// page (each connection reads and writes in goroutines of its own, and
// every request and answer passes between them), on the same cores as
// the servers. It held hello at 21,000–28,000 requests/s, less than half what the
// hello server answers, and took a quarter of the machine from the
// portal. wrk spends 10–12 µs on a hello request and 39–50 µs on a
// summary page (about 5.4 KB an answer), and hello reaches 52,000–63,000/s,
// what DESIGN.md says a bare handler does here under wrk.

// wrkRequest is one request a wrk run cycles through.
type wrkRequest struct {
	path    string
	headers map[string]string
}

// wrkResult is what a wrk run reports through the script's done hook.
type wrkResult struct {
	requests int
	wall     time.Duration
	errors   int // sockets that failed and statuses above 399; after check, the portal's count stands for the statuses
	statuses int // of errors, the statuses above 399 wrk saw
	p50, p99 time.Duration
	cpu      time.Duration // wrk's own, user and system
}

// wrkScript is the Lua script of a run: each thread sends the requests
// in turn, formatted once in init, and done prints one line parseWrk
// reads. It has no response hook, which would hand each answer's headers
// and body to Lua (see saturateWrk for how answers are checked instead).
func wrkScript(reqs []wrkRequest) string {
	var b strings.Builder
	b.WriteString("local specs = {\n")
	for _, r := range reqs {
		fmt.Fprintf(&b, "  {%s, {", luaString(r.path))
		for _, k := range slices.Sorted(maps.Keys(r.headers)) {
			fmt.Fprintf(&b, "[%s] = %s, ", luaString(k), luaString(r.headers[k]))
		}
		b.WriteString("}},\n")
	}
	b.WriteString(`}
local formatted, n, i = {}, 0, 0
function init(args)
  for _, s in ipairs(specs) do n = n + 1; formatted[n] = wrk.format("GET", s[1], s[2]) end
end
function request()
  i = i % n + 1
  return formatted[i]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("micuenta-wrk requests=%d duration_us=%d sockets=%d statuses=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
`)
	return b.String()
}

// luaString quotes s as a Lua string literal.
func luaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range []byte(s) {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

var wrkLine = regexp.MustCompile(`micuenta-wrk requests=(\d+) duration_us=(\d+) sockets=(\d+) statuses=(\d+) p50_us=(\d+) p99_us=(\d+)`)

// parseWrk reads the done hook's line from wrk's output.
func parseWrk(out string) (wrkResult, error) {
	m := wrkLine.FindStringSubmatch(out)
	if m == nil {
		return wrkResult{}, fmt.Errorf("wrk printed no result line (is the script's done hook running?): %.300s", out)
	}
	var n [6]int64
	for i := range n {
		n[i], _ = strconv.ParseInt(m[i+1], 10, 64)
	}
	return wrkResult{requests: int(n[0]), wall: time.Duration(n[1]) * time.Microsecond, errors: int(n[2] + n[3]), statuses: int(n[3]),
		p50: time.Duration(n[4]) * time.Microsecond, p99: time.Duration(n[5]) * time.Microsecond}, nil
}

// runWrk runs wrk against base with reqs for d (in whole seconds) over
// conns connections and threads threads.
func runWrk(ctx context.Context, wrk, dir, base string, reqs []wrkRequest, conns, threads int, d time.Duration) (wrkResult, error) {
	script, err := os.CreateTemp(dir, "wrk-*.lua")
	if err != nil {
		return wrkResult{}, err
	}
	defer os.Remove(script.Name())
	if _, err := script.WriteString(wrkScript(reqs)); err != nil {
		script.Close()
		return wrkResult{}, err
	}
	if err := script.Close(); err != nil {
		return wrkResult{}, err
	}
	threads = max(1, min(threads, conns))
	// wrk takes whole seconds.
	secs := max(1, int(d.Round(time.Second).Seconds()))
	cmd := exec.CommandContext(ctx, wrk, "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns),
		"-d", strconv.Itoa(secs)+"s", "--timeout", "30s", "-s", filepath.Clean(script.Name()), base)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v: %.300s", err, out)
	}
	res, err := parseWrk(string(out))
	if cmd.ProcessState != nil {
		res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	return res, err
}

// wrkRecorder turns a wrk run into a slice's recorder: its count,
// errors and percentiles, for the report, which reads the same figures
// from the Go client's slices.
func wrkRecorder(res wrkResult) *recorder {
	r := newRecorder()
	r.wall = res.wall
	r.fixed = &aggregate{count: res.requests, errors: res.errors, p50: res.p50, p99: res.p99}
	if res.errors > 0 {
		r.fixed.lastError = fmt.Sprintf("%d requests failed or were not answered 200", res.errors)
	}
	return r
}

// plus joins the results of wrk runs side by side (one per instance):
// their requests, errors and CPU add up; the time is the longest, and
// the percentiles the highest (an upper bound).
func (r wrkResult) plus(o wrkResult) wrkResult {
	return wrkResult{requests: r.requests + o.requests, errors: r.errors + o.errors, statuses: r.statuses + o.statuses, wall: max(r.wall, o.wall),
		p50: max(r.p50, o.p50), p99: max(r.p99, o.p99), cpu: r.cpu + o.cpu}
}

// answers is how many times the portal answered 200, how many requests
// it counted as abandoned by their client (499: wrk closes its
// connections at its deadline with requests still in flight), and
// anything else, by its own count.
type answers struct{ ok, abandoned, other float64 }

func (a answers) minus(b answers) answers {
	return answers{a.ok - b.ok, a.abandoned - b.abandoned, a.other - b.other}
}

// portalAnswers reads the people's site's answers from the portal's
// /metrics (micuenta_http_requests_total, site "personas").
func portalAnswers(ctx context.Context, metricsURL string) (answers, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", metricsURL, nil)
	if err != nil {
		return answers{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answers{}, fmt.Errorf("the portal's metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return answers{}, fmt.Errorf("the portal's metrics: %s", resp.Status)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return answers{}, fmt.Errorf("the portal's metrics: %w", err)
	}
	return parseAnswers(string(body))
}

var answersLine = regexp.MustCompile(`^micuenta_http_requests_total\{(.*)\} (\S+)$`)

func parseAnswers(text string) (answers, error) {
	var a answers
	seen := false
	for line := range strings.Lines(text) {
		m := answersLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil || !strings.Contains(m[1], `site="personas"`) {
			continue
		}
		v, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			return answers{}, fmt.Errorf("the portal's metrics: %q: %w", line, err)
		}
		seen = true
		switch {
		case strings.Contains(m[1], `status="200"`):
			a.ok += v
		case strings.Contains(m[1], `status="499"`):
			a.abandoned += v
		default:
			a.other += v
		}
	}
	if !seen {
		return answers{}, fmt.Errorf("the portal's metrics count no answers of the people's site (micuenta_http_requests_total{site=\"personas\"})")
	}
	return a, nil
}

// check counts the portal's answers other than 200 (and 499) over the
// run as errors, in place of the statuses wrk saw, which are among them.
// It fails when the portal answered fewer requests than wrk
// counted (then wrk's figures are not the portal's), or counted more
// abandoned than wrk had connections (only those in flight at wrk's
// deadline should be).
func (r *wrkResult) check(got answers, conns int) error {
	if n := got.ok + got.abandoned + got.other; n < float64(r.requests) {
		return fmt.Errorf("wrk counted %d requests but the portal answered %.0f: were they sent elsewhere?", r.requests, n)
	}
	if got.abandoned > float64(conns) {
		return fmt.Errorf("the portal counted %.0f requests abandoned by their client, more than wrk's %d connections: did wrk time out?", got.abandoned, conns)
	}
	r.errors += int(got.other) - r.statuses
	r.statuses = int(got.other)
	return nil
}
