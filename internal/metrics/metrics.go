// Package metrics keeps the process's figures and writes them in the
// Prometheus text exposition format (version 0.0.4) for /metrics:
// counters and histograms that handlers update, and gauges read when
// scraped (database pool, sessions, the outbox). Written here rather than
// taken from a client library: the format is small and stable, and the
// portal needs only these three kinds.
package metrics

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Registry holds every metric of the process.
type Registry struct {
	mu         sync.Mutex
	counters   map[string]*counter
	histograms map[string]*histogram
	gauges     []gauge
}

// New makes an empty registry.
func New() *Registry {
	return &Registry{counters: map[string]*counter{}, histograms: map[string]*histogram{}}
}

type counter struct {
	help   string
	labels []string
	values map[string]float64 // key: joined label values
}

type histogram struct {
	help    string
	labels  []string
	buckets []float64
	series  map[string]*series
}

type series struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

// Sample is one value of a gauge, with its labels.
type Sample struct {
	Labels map[string]string
	Value  float64
}

type gauge struct {
	name, help string
	read       func(ctx context.Context) ([]Sample, error)
}

// Counter declares a counter with label names.
func (r *Registry) Counter(name, help string, labels ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.counters[name] == nil { // declaring twice keeps the first
		r.counters[name] = &counter{help: help, labels: labels, values: map[string]float64{}}
	}
}

// Add adds v to a counter's series of the given label values.
func (r *Registry) Add(name string, v float64, labelValues ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.counters[name]; c != nil && len(labelValues) == len(c.labels) {
		c.values[strings.Join(labelValues, "\x00")] += v
	}
}

// Histogram declares a histogram with its upper bounds and label names.
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.histograms[name] != nil {
		return
	}
	b := append([]float64(nil), buckets...)
	sort.Float64s(b)
	r.histograms[name] = &histogram{help: help, labels: labels, buckets: b, series: map[string]*series{}}
}

// Observe records one value in a histogram.
func (r *Registry) Observe(name string, v float64, labelValues ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.histograms[name]
	if h == nil || len(labelValues) != len(h.labels) {
		return
	}
	key := strings.Join(labelValues, "\x00")
	s := h.series[key]
	if s == nil {
		s = &series{counts: make([]uint64, len(h.buckets))}
		h.series[key] = s
	}
	for i, ub := range h.buckets {
		if v <= ub {
			s.counts[i]++
			break
		}
	}
	s.sum += v
	s.count++
}

// Gauge declares a gauge read at every scrape.
func (r *Registry) Gauge(name, help string, read func(ctx context.Context) ([]Sample, error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges = append(r.gauges, gauge{name: name, help: help, read: read})
}

// LatencyBuckets suit page and API latencies, in seconds.
var LatencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Write writes every metric in the text format, sorted by name and
// labels so scrapes are stable. A gauge that fails to read is left out
// (and reported in micuenta_scrape_errors) rather than failing the scrape.
func (r *Registry) Write(ctx context.Context, w io.Writer) error {
	var b strings.Builder
	r.mu.Lock()
	names := make([]string, 0, len(r.counters))
	for n := range r.counters {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := r.counters[n]
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n", n, escapeHelp(c.help), n)
		for _, key := range sortedKeys(c.values) {
			fmt.Fprintf(&b, "%s%s %s\n", n, labelText(c.labels, key, "", ""), number(c.values[key]))
		}
	}
	names = names[:0]
	for n := range r.histograms {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		h := r.histograms[n]
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s histogram\n", n, escapeHelp(h.help), n)
		keys := make([]string, 0, len(h.series))
		for k := range h.series {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			s := h.series[key]
			var cum uint64
			for i, ub := range h.buckets {
				cum += s.counts[i]
				fmt.Fprintf(&b, "%s_bucket%s %d\n", n, labelText(h.labels, key, "le", number(ub)), cum)
			}
			fmt.Fprintf(&b, "%s_bucket%s %d\n", n, labelText(h.labels, key, "le", "+Inf"), s.count)
			fmt.Fprintf(&b, "%s_sum%s %s\n", n, labelText(h.labels, key, "", ""), number(s.sum))
			fmt.Fprintf(&b, "%s_count%s %d\n", n, labelText(h.labels, key, "", ""), s.count)
		}
	}
	gauges := append([]gauge(nil), r.gauges...)
	r.mu.Unlock()
	sort.Slice(gauges, func(i, j int) bool { return gauges[i].name < gauges[j].name })
	failed := 0
	for _, g := range gauges {
		gctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		samples, err := g.read(gctx)
		cancel()
		if err != nil {
			failed++
			continue
		}
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", g.name, escapeHelp(g.help), g.name)
		for _, s := range samples {
			fmt.Fprintf(&b, "%s%s %s\n", g.name, mapLabels(s.Labels), number(s.Value))
		}
	}
	fmt.Fprintf(&b, "# HELP micuenta_scrape_errors Gauges that could not be read in this scrape.\n# TYPE micuenta_scrape_errors gauge\nmicuenta_scrape_errors %d\n", failed)
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// labelText renders the label set of a series (and one extra label, for
// a histogram's le).
func labelText(names []string, key, extraName, extraValue string) string {
	var parts []string
	if len(names) > 0 {
		values := strings.Split(key, "\x00")
		for i, n := range names {
			parts = append(parts, n+`="`+escapeValue(values[i])+`"`)
		}
	}
	if extraName != "" {
		parts = append(parts, extraName+`="`+extraValue+`"`)
	}
	if len(parts) == 0 {
		return ""
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func mapLabels(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + `="` + escapeValue(m[k]) + `"`
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func escapeValue(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}

func number(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
