package metrics

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func scrape(t *testing.T, r *Registry) string {
	t.Helper()
	var b strings.Builder
	if err := r.Write(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTextFormat(t *testing.T) {
	r := New()
	r.Counter("c_total", "A counter.", "kind")
	r.Add("c_total", 2, `a"b`)
	r.Add("c_total", 1, "z")
	r.Add("c_total", 1) // wrong label count: ignored
	r.Histogram("h_seconds", "A histogram.", []float64{1, 0.1}, "route")
	for _, v := range []float64{0.05, 0.5, 0.5, 3} {
		r.Observe("h_seconds", v, "x")
	}
	r.Gauge("g", "A gauge.", func(context.Context) ([]Sample, error) {
		return []Sample{{Labels: map[string]string{"b": "2", "a": "1"}, Value: 7}}, nil
	})
	r.Gauge("broken", "Fails.", func(context.Context) ([]Sample, error) { return nil, errors.New("no") })
	got := scrape(t, r)
	for _, want := range []string{
		"# TYPE c_total counter\n",
		`c_total{kind="a\"b"} 2` + "\n",
		`c_total{kind="z"} 1` + "\n",
		"# TYPE h_seconds histogram\n",
		`h_seconds_bucket{route="x",le="0.1"} 1` + "\n",
		`h_seconds_bucket{route="x",le="1"} 3` + "\n",
		`h_seconds_bucket{route="x",le="+Inf"} 4` + "\n",
		`h_seconds_sum{route="x"} 4.05` + "\n",
		`h_seconds_count{route="x"} 4` + "\n",
		`g{a="1",b="2"} 7` + "\n",
		"micuenta_scrape_errors 1\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "broken") {
		t.Error("a failing gauge was written")
	}
}

// Requests are counted by the route pattern, never the raw path.
func TestRequestsByPattern(t *testing.T) {
	r := New()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /tramites/{folio}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotFound) })
	h := r.Requests("personas", mux)
	for _, p := range []string{"/tramites/COR-1", "/tramites/COR-2", "/nada"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	got := scrape(t, r)
	for _, want := range []string{
		`micuenta_http_requests_total{site="personas",route="GET /tramites/{folio}",status="404"} 2`,
		`micuenta_http_requests_total{site="personas",route="unmatched",status="404"} 1`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "COR-1") {
		t.Error("a raw path became a label")
	}
}
