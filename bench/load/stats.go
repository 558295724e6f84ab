package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"time"
)

// recorder keeps every request's latency by route and the answers that
// were not what the script expected. A run of a few minutes is some
// hundred thousand samples: kept whole, so percentiles are exact.
type recorder struct {
	mu     sync.Mutex
	routes map[string]*routeStats
	waits  map[string]*routeStats // not requests: e.g. how long a code took to arrive
	start  time.Time
	wall   time.Duration // set by stop; a merged recorder's is its parts' sum
	// fixed, when set, is the whole of a slice measured by wrk, which
	// reports figures rather than each request (see wrkRecorder).
	fixed *aggregate
}

// aggregate is a slice's figures as wrk gives them.
type aggregate struct {
	count, errors int
	p50, p99      time.Duration
	lastError     string
}

type routeStats struct {
	latencies []time.Duration
	errors    int
	lastError string
}

func newRecorder() *recorder {
	return &recorder{routes: map[string]*routeStats{}, waits: map[string]*routeStats{}, start: time.Now()}
}

// add records one request to a route.
func (r *recorder) add(route string, d time.Duration, failure string) {
	r.record(r.routes, route, d, failure)
}

// wait records something a visitor waited for that is not a request (a
// code's delivery); waits are reported apart from the requests' totals.
func (r *recorder) wait(what string, d time.Duration, failure string) {
	r.record(r.waits, what, d, failure)
}

func (r *recorder) record(into map[string]*routeStats, route string, d time.Duration, failure string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := into[route]
	if s == nil {
		s = &routeStats{}
		into[route] = s
	}
	s.latencies = append(s.latencies, d)
	if failure != "" {
		s.errors++
		s.lastError = failure
	}
}

func (r *recorder) stop() { r.wall = time.Since(r.start) }

// merge joins recorders of separate slices of one phase (see rounds): the
// requests of all of them over the sum of their times.
func merge(parts []*recorder) *recorder {
	out := newRecorder()
	for _, p := range parts {
		p.mu.Lock()
		for route, s := range p.routes {
			t := out.routes[route]
			if t == nil {
				t = &routeStats{}
				out.routes[route] = t
			}
			t.latencies = append(t.latencies, s.latencies...)
			t.errors += s.errors
			if s.lastError != "" {
				t.lastError = s.lastError
			}
		}
		if a := p.fixed; a != nil {
			// wrk's percentiles cannot be merged: the merged slices give
			// the highest of each, an upper bound.
			if out.fixed == nil {
				out.fixed = &aggregate{}
			}
			out.fixed.count += a.count
			out.fixed.errors += a.errors
			out.fixed.p50, out.fixed.p99 = max(out.fixed.p50, a.p50), max(out.fixed.p99, a.p99)
			if a.lastError != "" {
				out.fixed.lastError = a.lastError
			}
		}
		out.wall += p.wall
		p.mu.Unlock()
	}
	return out
}

// summary is one route's figures.
type summary struct {
	Route              string
	Count, Errors      int
	PerSec             float64
	P50, P95, P99, Max time.Duration
	LastError          string
}

func summarize(route string, s *routeStats, wall time.Duration) summary {
	l := slices.Clone(s.latencies)
	slices.Sort(l)
	out := summary{Route: route, Count: len(l), Errors: s.errors, LastError: s.lastError, PerSec: float64(len(l)) / wall.Seconds()}
	if len(l) > 0 {
		out.P50, out.P95, out.P99, out.Max = pct(l, 0.50), pct(l, 0.95), pct(l, 0.99), l[len(l)-1]
	}
	return out
}

// pct is the nearest-rank percentile of sorted latencies.
func pct(sorted []time.Duration, p float64) time.Duration {
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// table returns every route's figures, busiest first, and the total.
func (r *recorder) table() (rows []summary, total summary) {
	r.mu.Lock()
	defer r.mu.Unlock()
	wall := r.wall
	if a := r.fixed; a != nil {
		s := summary{Route: "GET", Count: a.count, Errors: a.errors, LastError: a.lastError,
			PerSec: float64(a.count) / wall.Seconds(), P50: a.p50, P99: a.p99}
		return []summary{s}, summary{Route: "all", Count: a.count, Errors: a.errors, LastError: a.lastError,
			PerSec: s.PerSec, P50: a.p50, P99: a.p99}
	}
	all := &routeStats{}
	for route, s := range r.routes {
		rows = append(rows, summarize(route, s, wall))
		all.latencies = append(all.latencies, s.latencies...)
		all.errors += s.errors
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].Route < rows[j].Route
	})
	return rows, summarize("all", all, wall)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// writeTable prints the per-route table in Markdown.
func (r *recorder) writeTable(w io.Writer) (total summary) {
	rows, total := r.table()
	fmt.Fprintln(w, "| route | requests | per s | p50 ms | p95 ms | p99 ms | max ms | errors |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range append(rows, total) {
		name := "`" + s.Route + "`"
		if s.Route == "all" {
			name = "**all**"
		}
		fmt.Fprintf(w, "| %s | %d | %.1f | %s | %s | %s | %s | %d |\n", name, s.Count, s.PerSec, ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), s.Errors)
	}
	r.mu.Lock()
	wall := r.wall
	var waits []summary
	for what, s := range r.waits {
		waits = append(waits, summarize(what, s, wall))
	}
	r.mu.Unlock()
	sort.Slice(waits, func(i, j int) bool { return waits[i].Route < waits[j].Route })
	for _, s := range waits {
		fmt.Fprintf(w, "\n%s (not a request; not in the totals): %d, p50 %s ms, p95 %s ms, p99 %s ms, max %s ms, %d failed.\n",
			s.Route, s.Count, ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), s.Errors)
	}
	for _, s := range append(rows, waits...) {
		if s.Errors > 0 {
			fmt.Fprintf(w, "\nLast error on `%s`: %s\n", s.Route, s.LastError)
		}
	}
	return total
}
