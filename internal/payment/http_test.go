package payment

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"micuenta/internal/portal"
)

// checkoutServer answers POST /v1/checkouts with status and body after
// checking the request; the checks it failed are reported through t.
func checkoutServer(t *testing.T, tls bool, in Intent, status int, respBody string) *httptest.Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/checkouts" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer sk_prueba" {
			t.Errorf("Authorization %q", got)
		}
		if got := r.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type %q", got)
		}
		if got := r.Header.Get("Idempotency-Key"); got != in.ID {
			t.Errorf("Idempotency-Key %q, want %q", got, in.ID)
		}
		raw, _ := io.ReadAll(r.Body)
		var got map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Errorf("body %s: %v", raw, err)
		}
		want := map[string]any{
			"intent_id":    in.ID,
			"amount_cents": float64(in.Amount),
			"currency":     "MXN",
			"description":  in.Description,
			"return_url":   in.ReturnURL,
		}
		if len(got) != len(want) {
			t.Errorf("body fields %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("body %s = %#v, want %#v", k, got[k], v)
			}
		}
		if strings.Contains(string(raw), in.CreditNumber) {
			t.Errorf("credit number sent to the processor: %s", raw)
		}
		if !strings.Contains(string(raw), `"amount_cents":123456`) {
			t.Errorf("amount not a whole number of centavos: %s", raw)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, respBody)
	})
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv
}

func TestCheckoutCreated(t *testing.T) {
	in := testIntent(t)
	srv := checkoutServer(t, true, in, http.StatusCreated, `{"url":"https://pagos.example/c/abc","extra":1}`)
	g := NewHTTPGateway(srv.URL+"/", "sk_prueba", testSecret, srv.Client())
	got, err := g.Checkout(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got != "https://pagos.example/c/abc" {
		t.Fatalf("Checkout = %q", got)
	}
}

func TestCheckoutHTTPBaseAllowsHTTP(t *testing.T) {
	in := testIntent(t)
	srv := checkoutServer(t, false, in, http.StatusCreated, `{"url":"http://127.0.0.1:9/c/abc"}`)
	g := NewHTTPGateway(srv.URL, "sk_prueba", testSecret, nil)
	if got, err := g.Checkout(context.Background(), in); err != nil || got != "http://127.0.0.1:9/c/abc" {
		t.Fatalf("Checkout = %q, %v", got, err)
	}
}

func TestCheckoutFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		tls    bool
		status int
		body   string
	}{
		"500":                  {true, http.StatusInternalServerError, `{"error":"boom"}`},
		"200 not 201":          {true, http.StatusOK, `{"url":"https://pagos.example/c/abc"}`},
		"401":                  {true, http.StatusUnauthorized, `{}`},
		"bad JSON":             {true, http.StatusCreated, `{"url":`},
		"no url":               {true, http.StatusCreated, `{}`},
		"http from https base": {true, http.StatusCreated, `{"url":"http://pagos.example/c/abc"}`},
		"relative url":         {true, http.StatusCreated, `{"url":"/c/abc"}`},
		"javascript url":       {false, http.StatusCreated, `{"url":"javascript:alert(1)"}`},
		"userinfo url":         {true, http.StatusCreated, `{"url":"https://pagos.example@evil.example/"}`},
		"huge response":        {true, http.StatusCreated, `{"url":"https://pagos.example/` + strings.Repeat("a", 70<<10) + `"}`},
	} {
		t.Run(name, func(t *testing.T) {
			in := testIntent(t)
			srv := checkoutServer(t, tc.tls, in, tc.status, tc.body)
			g := NewHTTPGateway(srv.URL, "sk_prueba", testSecret, srv.Client())
			got, err := g.Checkout(context.Background(), in)
			wantCode(t, err, portal.EUNAVAILABLE)
			if got != "" {
				t.Errorf("URL %q returned with an error", got)
			}
			if msg := portal.ErrorMessage(err); msg != msgUnavailable {
				t.Errorf("message %q", msg)
			}
			if errors.Unwrap(err) == nil {
				t.Errorf("error %v has no cause", err)
			}
		})
	}
}

func TestCheckoutSlowServer(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	g := NewHTTPGateway(srv.URL, "sk_prueba", testSecret, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := g.Checkout(ctx, testIntent(t))
	wantCode(t, err, portal.EUNAVAILABLE)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not wrap the deadline", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Checkout took %s despite a 100ms deadline", d)
	}
}

func TestCheckoutUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := NewHTTPGateway(url, "sk_prueba", testSecret, nil).Checkout(context.Background(), testIntent(t))
	wantCode(t, err, portal.EUNAVAILABLE)
}

func TestCheckoutInvalidIntentSendsNothing(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	g := NewHTTPGateway(srv.URL, "sk_prueba", testSecret, nil)
	for name, change := range map[string]func(*Intent){
		"bad id":        func(in *Intent) { in.ID = "pay_../../x" },
		"no credit":     func(in *Intent) { in.CreditNumber = " " },
		"zero amount":   func(in *Intent) { in.Amount = 0 },
		"negative":      func(in *Intent) { in.Amount = -100 },
		"relative back": func(in *Intent) { in.ReturnURL = "/pagos/regreso" },
		"ftp back":      func(in *Intent) { in.ReturnURL = "ftp://x/y" },
	} {
		in := testIntent(t)
		change(&in)
		_, err := g.Checkout(context.Background(), in)
		if code := portal.ErrorCode(err); code != portal.EINVALID {
			t.Errorf("%s: code %q (%v), want invalid", name, code, err)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d requests sent for invalid intents", n)
	}
}

func TestHTTPGatewayVerify(t *testing.T) {
	g := NewHTTPGateway("https://pagos.example", "sk_prueba", testSecret, nil)
	body := paidBody(NewIntentID(), 777, "MXN")
	if _, err := g.Verify(webhook(body, Sign(testSecret, testNow, body)), testNow); err != nil {
		t.Fatal(err)
	}
	_, err := g.Verify(webhook(body, Sign("sk_prueba", testNow, body)), testNow)
	wantCode(t, err, portal.EUNAUTHORIZED)
}
