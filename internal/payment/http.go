package payment

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"micuenta/internal/portal"
)

const (
	// defaultTimeout bounds a checkout call when NewHTTPGateway gets no
	// client of its own.
	defaultTimeout  = 15 * time.Second
	maxResponseBody = 64 << 10
	maxCheckoutURL  = 4096

	msgUnavailable = "No pudimos conectar con el procesador de pagos. Intenta de nuevo en unos minutos."
)

// HTTPGateway is a payment processor reached over HTTP, directly or through
// an adapter that speaks the checkout and webhook contracts in the package
// documentation.
type HTTPGateway struct {
	baseURL   string
	apiKey    string
	secret    string
	client    *http.Client
	allowHTTP bool // baseURL is http (tests): accept http checkout URLs
}

var (
	_ Gateway = (*HTTPGateway)(nil)
	_ Gateway = (*Sandbox)(nil)
)

// NewHTTPGateway returns a gateway calling the processor at baseURL with
// apiKey and verifying webhooks with webhookSecret. A nil client means one
// with a 15-second timeout; Checkout is also bounded by its ctx.
func NewHTTPGateway(baseURL, apiKey, webhookSecret string, client *http.Client) *HTTPGateway {
	if client == nil {
		client = &http.Client{Timeout: defaultTimeout}
	}
	base := strings.TrimRight(baseURL, "/")
	u, err := url.Parse(base)
	return &HTTPGateway{
		baseURL:   base,
		apiKey:    apiKey,
		secret:    webhookSecret,
		client:    client,
		allowHTTP: err == nil && u.Scheme == "http",
	}
}

// checkoutRequest is the body of POST /v1/checkouts.
type checkoutRequest struct {
	IntentID    string `json:"intent_id"`
	AmountCents int64  `json:"amount_cents"`
	Currency    string `json:"currency"`
	Description string `json:"description"`
	ReturnURL   string `json:"return_url"`
}

// Checkout asks the processor for a hosted checkout page for in and returns
// its URL. An invalid intent is portal.EINVALID and sends nothing; any
// failure of the processor or the network is portal.EUNAVAILABLE.
func (g *HTTPGateway) Checkout(ctx context.Context, in Intent) (string, error) {
	if err := in.validate(); err != nil {
		return "", err
	}
	payload, err := json.Marshal(checkoutRequest{
		IntentID:    in.ID,
		AmountCents: int64(in.Amount),
		Currency:    "MXN",
		Description: in.Description,
		ReturnURL:   in.ReturnURL,
	})
	if err != nil {
		return "", unavailable(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.baseURL+"/v1/checkouts", bytes.NewReader(payload))
	if err != nil {
		return "", unavailable(err)
	}
	req.Header.Set("Authorization", "Bearer "+g.apiKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Idempotency-Key", in.ID)
	resp, err := g.client.Do(req)
	if err != nil {
		return "", unavailable(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return "", unavailable(fmt.Errorf("reading response: %w", err))
	}
	if resp.StatusCode != http.StatusCreated {
		return "", unavailable(fmt.Errorf("status %d: %q", resp.StatusCode, snippet(body)))
	}
	if len(body) > maxResponseBody {
		return "", unavailable(fmt.Errorf("response over %d bytes", maxResponseBody))
	}
	var out struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return "", unavailable(fmt.Errorf("response: %w", err))
	}
	if err := g.checkURL(out.URL); err != nil {
		return "", unavailable(err)
	}
	return out.URL, nil
}

// Verify implements Gateway with the shared webhook verification.
func (g *HTTPGateway) Verify(r *http.Request, now time.Time) (*Event, error) {
	return verify(g.secret, r, now)
}

// checkURL accepts only an absolute https URL (http too when baseURL is
// http) to send a person to.
func (g *HTTPGateway) checkURL(s string) error {
	if s == "" || len(s) > maxCheckoutURL {
		return fmt.Errorf("checkout URL of %d bytes", len(s))
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("checkout URL: %w", err)
	}
	if u.Host == "" || u.User != nil || !(u.Scheme == "https" || u.Scheme == "http" && g.allowHTTP) {
		return fmt.Errorf("checkout URL %q is not an acceptable https URL", s)
	}
	return nil
}

func unavailable(cause error) error {
	return portal.Wrap(portal.EUNAVAILABLE, fmt.Errorf("payment: checkout: %w", cause), msgUnavailable)
}

// snippet is the start of a response body, for the logs.
func snippet(b []byte) string {
	const n = 200
	if len(b) > n {
		b = b[:n]
	}
	return strings.ToValidUTF8(string(b), "?")
}
