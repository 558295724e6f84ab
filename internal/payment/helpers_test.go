package payment

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"micuenta/internal/portal"
)

const testSecret = "whsec_prueba_0123456789"

var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func testIntent(t *testing.T) Intent {
	t.Helper()
	return Intent{
		ID:           NewIntentID(),
		CreditNumber: "1234567890",
		Amount:       portal.Pesos(1234, 56),
		Description:  "Pago mensual de tu crédito",
		ReturnURL:    "https://micuenta.example/pagos/regreso",
	}
}

// webhook builds a webhook request with body and, unless header is "", a
// Pago-Firma header.
func webhook(body []byte, header string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhooks/pagos", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if header != "" {
		r.Header.Set(SignatureHeader, header)
	}
	return r
}

// paidBody is a valid payment.paid body for intentID.
func paidBody(intentID string, cents int64, currency string) []byte {
	return []byte(`{"id":"evt_1","type":"payment.paid","data":{"payment_id":"pago_9","intent_id":"` +
		intentID + `","amount_cents":` + strconv.FormatInt(cents, 10) + `,"currency":"` + currency +
		`","paid_at":"2025-03-01T11:59:00Z"}}`)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := portal.ErrorCode(err); got != code {
		t.Fatalf("error code %q (%v), want %q", got, err, code)
	}
}
