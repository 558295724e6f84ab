package payment

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

// fuzzKnown signs the seeds, so the fuzzer reaches the body parser;
// fuzzUnknown appears in no seed, so nothing the fuzzer makes can carry a
// valid signature for it.
const (
	fuzzKnown   = "secreto_conocido"
	fuzzUnknown = "secreto_que_el_fuzzer_no_conoce"
)

// FuzzVerify checks that Verify never panics on any body, header or time,
// never accepts anything without the secret, and that whatever it accepts
// was signed with the secret and obeys the webhook contract.
func FuzzVerify(f *testing.F) {
	id := NewIntentID()
	now := testNow.Unix()
	for _, body := range [][]byte{
		paidBody(id, 123456, "MXN"),
		paidBody(id, 0, "MXN"),
		paidBody(id, 100, "USD"),
		[]byte(`{"id":"evt_4","type":"payment.failed","data":{"payment_id":"p","intent_id":"` + id + `","currency":"MXN"}}`),
		[]byte(`{"id":"e","type":"payment.refunded","data":null}`),
		[]byte(`{`),
		{},
	} {
		f.Add(body, Sign(fuzzKnown, testNow, body), now)
		f.Add(body, Sign(fuzzKnown, testNow, body)+",v1=00,t=1", now)
		f.Add(body, Sign(fuzzKnown, testNow.Add(-6*time.Minute), body), now)
	}
	f.Add([]byte("x"), "t=,v1=", int64(0))
	f.Add([]byte("x"), "t=99999999999999999,v1="+strings.Repeat("0", 64), int64(-1<<63))
	f.Add([]byte("x"), ",,,===", int64(1<<63-1))

	f.Fuzz(func(t *testing.T, body []byte, header string, unix int64) {
		at := time.Unix(unix, 0)
		if ev, err := verify(fuzzUnknown, webhook(body, header), at); err == nil {
			t.Fatalf("verified without the secret: header %q body %q event %+v", header, body, *ev)
		}
		ev, err := verify(fuzzKnown, webhook(body, header), at)
		if err != nil {
			if ev != nil {
				t.Fatalf("event %+v returned with error %v", *ev, err)
			}
			return
		}
		sig, perr := parseSignature(header)
		if perr != nil {
			t.Fatalf("accepted header %q that does not parse: %v", header, perr)
		}
		want := hmac.New(sha256.New, []byte(fuzzKnown))
		want.Write([]byte(sig.ts + "."))
		want.Write(body)
		if !strings.Contains(strings.ToLower(header), hex.EncodeToString(want.Sum(nil))) {
			t.Fatalf("accepted header %q without the body's MAC", header)
		}
		if d := at.Sub(sig.at); d > Tolerance || d < -Tolerance {
			t.Fatalf("accepted a signature %s away from now", d)
		}
		if len(body) > MaxWebhookBody {
			t.Fatalf("accepted a %d-byte body", len(body))
		}
		switch ev.Status {
		case StatusPaid:
			if ev.Amount <= 0 || ev.PaidAt.IsZero() {
				t.Fatalf("paid event without amount or time: %+v", *ev)
			}
		case StatusFailed, StatusCancelled:
			if ev.Amount != 0 {
				t.Fatalf("%s event with amount: %+v", ev.Status, *ev)
			}
		default:
			t.Fatalf("event status %q", ev.Status)
		}
		if !validID(ev.ID) || !validID(ev.PaymentID) || !ValidIntentID(ev.IntentID) {
			t.Fatalf("event with bad ids: %+v", *ev)
		}
	})
}
