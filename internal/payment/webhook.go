package payment

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/portal"
)

const (
	// SignatureHeader carries the webhook signature.
	SignatureHeader = "Pago-Firma"
	// MaxWebhookBody is the largest webhook body Verify reads, in bytes.
	MaxWebhookBody = 64 << 10
	// Tolerance is the replay window: how far the signed time may be from
	// now, in either direction.
	Tolerance = 5 * time.Minute

	maxHeaderLen = 4096 // a longer Pago-Firma is garbage
	maxIDLen     = 255
)

// ErrUnsupportedType is wrapped by Verify's error when a correctly signed
// webhook has a type this package does not handle (payment.refunded, …).
// The error is still portal.EINVALID; a handler may acknowledge such an
// event so the processor stops redelivering it.
var ErrUnsupportedType = errors.New("payment: unsupported webhook event type")

const (
	msgUnauthorized = "No pudimos confirmar que el aviso de pago venga del procesador."
	msgInvalid      = "El aviso de pago no tiene el formato esperado."
	msgTooLarge     = "El aviso de pago es demasiado grande."
	msgNoSecret     = "El servicio de pagos no está configurado."
)

// Sign returns the Pago-Firma header value for body signed with secret at
// time t: "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// signature is a parsed Pago-Firma header.
type signature struct {
	ts   string    // t exactly as written: it is what was signed
	at   time.Time // t as a time
	macs [][]byte  // the well-formed v1 values
}

func parseSignature(header string) (signature, error) {
	var sig signature
	if len(header) > maxHeaderLen {
		return sig, errors.New("header too long")
	}
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return sig, fmt.Errorf("element %q is not key=value", part)
		}
		switch k {
		case "t":
			if sig.ts != "" {
				return sig, errors.New("more than one t")
			}
			if v == "" || len(v) > 18 || strings.Trim(v, "0123456789") != "" {
				return sig, fmt.Errorf("t %q is not a Unix time", v)
			}
			n, _ := strconv.ParseInt(v, 10, 64) // ≤ 18 digits: cannot fail
			sig.ts, sig.at = v, time.Unix(n, 0)
		case "v1":
			// A value that is not a SHA-256 MAC can never match; skip it
			// as an unknown scheme would be skipped.
			if m, err := hex.DecodeString(v); err == nil && len(m) == sha256.Size {
				sig.macs = append(sig.macs, m)
			}
		}
	}
	if sig.ts == "" {
		return sig, errors.New("no t")
	}
	if len(sig.macs) == 0 {
		return sig, errors.New("no well-formed v1")
	}
	return sig, nil
}

// verify is Gateway.Verify for every gateway: the webhook contract in the
// package documentation.
func verify(secret string, r *http.Request, now time.Time) (*Event, error) {
	if secret == "" {
		return nil, portal.Wrap(portal.EINTERNAL, errors.New("payment: no webhook secret configured"), msgNoSecret)
	}
	unauthorized := func(format string, args ...any) error {
		return portal.Wrap(portal.EUNAUTHORIZED, fmt.Errorf("payment: webhook: "+format, args...), msgUnauthorized)
	}
	values := r.Header.Values(SignatureHeader)
	if len(values) != 1 {
		return nil, unauthorized("want one %s header, got %d", SignatureHeader, len(values))
	}
	sig, err := parseSignature(values[0])
	if err != nil {
		return nil, unauthorized("%s: %w", SignatureHeader, err)
	}
	if d := now.Sub(sig.at); d > Tolerance || d < -Tolerance {
		return nil, unauthorized("signed at %s, %s from now (window %s)", sig.at.UTC().Format(time.RFC3339), d, Tolerance)
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	want := mac(secret, sig.ts, body)
	ok := false
	for _, m := range sig.macs {
		if hmac.Equal(m, want) {
			ok = true
		}
	}
	if !ok {
		return nil, unauthorized("no v1 signature matches")
	}
	return parseEvent(body)
}

// readBody reads at most MaxWebhookBody bytes and refuses a longer body.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxWebhookBody+1))
	if err != nil {
		return nil, portal.Wrap(portal.EINVALID, fmt.Errorf("payment: reading webhook body: %w", err), msgInvalid)
	}
	if len(body) > MaxWebhookBody {
		return nil, portal.Wrap(portal.EINVALID, fmt.Errorf("payment: webhook body over %d bytes", MaxWebhookBody), msgTooLarge)
	}
	return body, nil
}
