package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// SMSGateway sends SMS through an HTTP gateway: a JSON POST of
// {"to": "+52XXXXXXXXXX", "message": "..."} with a bearer token. Most
// Mexican SMS providers take this shape or one close to it; an adapter for
// a specific one replaces only this type.
type SMSGateway struct {
	URL    string
	Token  string
	Client *http.Client
}

// NewSMSGateway builds a gateway client with a sane time-out.
func NewSMSGateway(url, token string) *SMSGateway {
	return &SMSGateway{URL: url, Token: token, Client: &http.Client{Timeout: 15 * time.Second}}
}

// Send posts one SMS. A 4xx answer (bad number, bad request) is permanent;
// 5xx and network errors are retried by the worker.
func (g *SMSGateway) Send(ctx context.Context, m Message) error {
	if len(m.To) != 10 {
		return fmt.Errorf("%w: the mobile number must have 10 digits", ErrPermanent)
	}
	body, _ := json.Marshal(map[string]string{"to": "+52" + m.To, "message": m.Body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: sms gateway URL: %v", ErrPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+g.Token)
	resp, err := g.Client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: sms gateway: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests:
		return fmt.Errorf("%w: sms gateway answered %s", ErrPermanent, resp.Status)
	default:
		return fmt.Errorf("notify: sms gateway answered %s", resp.Status)
	}
}

// Keep is the demo "transport": it delivers nothing and reports success,
// so messages are marked sent and stay readable at /dev/buzon.
type Keep struct{}

// Send implements Sender.
func (Keep) Send(context.Context, Message) error { return nil }

// Unconfigured stands in for a channel with no transport: every attempt
// fails as retryable, so messages wait (with back-off) for an operator to
// configure one instead of being dropped.
type Unconfigured struct{}

// Send implements Sender.
func (Unconfigured) Send(context.Context, Message) error {
	return fmt.Errorf("notify: no transport configured for this channel")
}
