package payment

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"micuenta/internal/portal"
)

func TestSignVerifyRoundTrip(t *testing.T) {
	id := NewIntentID()
	body := paidBody(id, 123456, "MXN")
	ev, err := verify(testSecret, webhook(body, Sign(testSecret, testNow, body)), testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := Event{
		ID: "evt_1", PaymentID: "pago_9", IntentID: id, Status: StatusPaid,
		Amount: portal.Money(123456), PaidAt: time.Date(2025, 3, 1, 11, 59, 0, 0, time.UTC),
	}
	if !ev.PaidAt.Equal(want.PaidAt) {
		t.Fatalf("PaidAt %v, want %v", ev.PaidAt, want.PaidAt)
	}
	ev.PaidAt = want.PaidAt
	if *ev != want {
		t.Fatalf("event %+v, want %+v", *ev, want)
	}
}

func TestSignFormat(t *testing.T) {
	// HMAC-SHA256(key "k", "1700000000.{}"), computed with openssl.
	const want = "t=1700000000,v1=c6ef4734033cee2367414a0939385eca0397754aa7a59716da7463a9298b5146"
	if got := Sign("k", time.Unix(1700000000, 999e6), []byte("{}")); got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
}

func TestVerifyRefusesTampering(t *testing.T) {
	body := paidBody(NewIntentID(), 123456, "MXN")
	sig := Sign(testSecret, testNow, body)

	for i := range body {
		changed := bytes.Clone(body)
		changed[i] ^= 1
		_, err := verify(testSecret, webhook(changed, sig), testNow)
		wantCode(t, err, portal.EUNAUTHORIZED)
	}
	_, err := verify(testSecret, webhook(append(bytes.Clone(body), ' '), sig), testNow)
	wantCode(t, err, portal.EUNAUTHORIZED)

	_, err = verify("otro_secreto", webhook(body, sig), testNow)
	wantCode(t, err, portal.EUNAUTHORIZED)

	// The same MAC under another t: the timestamp is signed too.
	moved := strings.Replace(sig, "t=", "t=1", 1)
	_, err = verify(testSecret, webhook(body, moved), testNow)
	wantCode(t, err, portal.EUNAUTHORIZED)
}

func TestVerifyReplayWindow(t *testing.T) {
	body := paidBody(NewIntentID(), 5000, "MXN")
	for _, tc := range []struct {
		signed time.Duration // signing time relative to now
		ok     bool
	}{
		{0, true},
		{-4 * time.Minute, true},
		{4 * time.Minute, true},
		{-Tolerance, true},
		{Tolerance, true},
		{-Tolerance - time.Second, false},
		{-6 * time.Minute, false},
		{6 * time.Minute, false},
		{-24 * time.Hour, false},
	} {
		sig := Sign(testSecret, testNow.Add(tc.signed), body)
		_, err := verify(testSecret, webhook(body, sig), testNow)
		if tc.ok && err != nil {
			t.Errorf("signed %s from now: %v", tc.signed, err)
		}
		if !tc.ok {
			if code := portal.ErrorCode(err); code != portal.EUNAUTHORIZED {
				t.Errorf("signed %s from now: code %q (%v), want unauthorized", tc.signed, code, err)
			}
		}
	}
}

func TestVerifyKeyRotation(t *testing.T) {
	body := paidBody(NewIntentID(), 5000, "MXN")
	old := Sign("secreto_anterior", testNow, body)
	cur := Sign(testSecret, testNow, body)
	oldV1 := old[strings.Index(old, "v1="):]
	curV1 := cur[strings.Index(cur, "v1="):]
	ts := cur[:strings.Index(cur, ",")]

	for _, h := range []string{
		ts + "," + oldV1 + "," + curV1,
		ts + ", " + curV1 + ", " + oldV1,
		ts + ",v1=zz," + curV1,
		ts + ",v0=abc," + oldV1 + "," + curV1,
		curV1 + "," + ts,
	} {
		if _, err := verify(testSecret, webhook(body, h), testNow); err != nil {
			t.Errorf("header %q: %v", h, err)
		}
	}
	_, err := verify(testSecret, webhook(body, ts+","+oldV1+",v1=00"), testNow)
	wantCode(t, err, portal.EUNAUTHORIZED)
}

func TestVerifyRefusesBadHeaders(t *testing.T) {
	body := paidBody(NewIntentID(), 5000, "MXN")
	good := Sign(testSecret, testNow, body)
	ts := good[:strings.Index(good, ",")]
	v1 := good[strings.Index(good, "v1="):]
	for _, h := range []string{
		"",
		"basura",
		ts,
		v1,
		"t=," + v1,
		"t=abc," + v1,
		"t=-" + ts[2:] + "," + v1,
		"t=+" + ts[2:] + "," + v1,
		ts + "," + ts + "," + v1,
		ts + ",," + v1,
		ts + ",v1=",
		ts + ",v1=" + strings.Repeat("a", 63),
		ts + "," + v1[:len(v1)-2],
		ts + "," + v1 + "," + strings.Repeat("v0=1,", 1000),
		"t=99999999999999999999," + v1,
	} {
		_, err := verify(testSecret, webhook(body, h), testNow)
		if code := portal.ErrorCode(err); code != portal.EUNAUTHORIZED {
			t.Errorf("header %q: code %q (%v), want unauthorized", h, code, err)
		}
	}

	two := webhook(body, good)
	two.Header.Add(SignatureHeader, good)
	_, err := verify(testSecret, two, testNow)
	wantCode(t, err, portal.EUNAUTHORIZED)
}

func TestVerifyBodySize(t *testing.T) {
	id := NewIntentID()
	base := paidBody(id, 5000, "MXN")
	pad := func(n int) []byte { // valid JSON of exactly n bytes
		return append(bytes.Clone(base), bytes.Repeat([]byte(" "), n-len(base))...)
	}

	exact := pad(MaxWebhookBody)
	if _, err := verify(testSecret, webhook(exact, Sign(testSecret, testNow, exact)), testNow); err != nil {
		t.Fatalf("64 KiB body: %v", err)
	}
	big := pad(65 << 10)
	_, err := verify(testSecret, webhook(big, Sign(testSecret, testNow, big)), testNow)
	wantCode(t, err, portal.EINVALID)
	over := pad(MaxWebhookBody + 1)
	_, err = verify(testSecret, webhook(over, Sign(testSecret, testNow, over)), testNow)
	wantCode(t, err, portal.EINVALID)
}

func TestVerifyRefusesBadBodies(t *testing.T) {
	id := NewIntentID()
	paid := func(data string) string {
		return `{"id":"evt_1","type":"payment.paid","data":{` + data + `}}`
	}
	const rest = `"payment_id":"pago_9","paid_at":"2025-03-01T11:59:00Z"`
	cases := map[string]string{
		"USD":               string(paidBody(id, 5000, "USD")),
		"no currency":       paid(`"intent_id":"` + id + `","amount_cents":5000,` + rest),
		"amount 0 paid":     string(paidBody(id, 0, "MXN")),
		"amount missing":    paid(`"intent_id":"` + id + `","currency":"MXN",` + rest),
		"negative":          string(paidBody(id, -100, "MXN")),
		"fractional":        paid(`"intent_id":"` + id + `","amount_cents":50.5,"currency":"MXN",` + rest),
		"amount as string":  paid(`"intent_id":"` + id + `","amount_cents":"5000","currency":"MXN",` + rest),
		"huge amount":       paid(`"intent_id":"` + id + `","amount_cents":1e30,"currency":"MXN",` + rest),
		"malformed JSON":    `{"id":"evt_1","type":"payment.paid","data":{`,
		"empty body":        ``,
		"null":              `null`,
		"array":             `[]`,
		"trailing data":     string(paidBody(id, 5000, "MXN")) + `{}`,
		"no event id":       strings.Replace(string(paidBody(id, 5000, "MXN")), `"evt_1"`, `""`, 1),
		"id with space":     strings.Replace(string(paidBody(id, 5000, "MXN")), `"evt_1"`, `"evt 1"`, 1),
		"no payment id":     paid(`"intent_id":"` + id + `","amount_cents":5000,"currency":"MXN","paid_at":"2025-03-01T11:59:00Z"`),
		"long payment id":   strings.Replace(string(paidBody(id, 5000, "MXN")), `"pago_9"`, `"`+strings.Repeat("p", 256)+`"`, 1),
		"foreign intent id": string(paidBody("pay_NOTOURS", 5000, "MXN")),
		"no paid_at":        paid(`"payment_id":"pago_9","intent_id":"` + id + `","amount_cents":5000,"currency":"MXN"`),
		"bad paid_at":       strings.Replace(string(paidBody(id, 5000, "MXN")), "2025-03-01T11:59:00Z", "01/03/2025", 1),
		"no type":           strings.Replace(string(paidBody(id, 5000, "MXN")), `"type":"payment.paid",`, ``, 1),
		"failed with money": `{"id":"evt_2","type":"payment.failed","data":{"payment_id":"pago_9","intent_id":"` + id + `","amount_cents":5000,"currency":"MXN"}}`,
		"data not object":   `{"id":"evt_2","type":"payment.paid","data":"x"}`,
	}
	for name, body := range cases {
		b := []byte(body)
		_, err := verify(testSecret, webhook(b, Sign(testSecret, testNow, b)), testNow)
		if code := portal.ErrorCode(err); code != portal.EINVALID {
			t.Errorf("%s: code %q (%v), want invalid", name, code, err)
		}
	}
}

func TestVerifyUnsupportedType(t *testing.T) {
	body := []byte(`{"id":"evt_3","type":"payment.refunded","data":{"whatever":[1,2]}}`)
	_, err := verify(testSecret, webhook(body, Sign(testSecret, testNow, body)), testNow)
	wantCode(t, err, portal.EINVALID)
	if !errors.Is(err, ErrUnsupportedType) {
		t.Fatalf("error %v does not wrap ErrUnsupportedType", err)
	}
	// A parse failure of a known type is not "unsupported".
	bad := paidBody(NewIntentID(), 5000, "USD")
	_, err = verify(testSecret, webhook(bad, Sign(testSecret, testNow, bad)), testNow)
	if errors.Is(err, ErrUnsupportedType) {
		t.Fatalf("USD refusal %v wraps ErrUnsupportedType", err)
	}
}

func TestVerifyFailedAndCancelled(t *testing.T) {
	id := NewIntentID()
	for typ, status := range map[string]string{"payment.failed": StatusFailed, "payment.cancelled": StatusCancelled} {
		body := []byte(`{"id":"evt_4","type":"` + typ + `","data":{"payment_id":"pago_5","intent_id":"` + id + `","currency":"MXN"}}`)
		ev, err := verify(testSecret, webhook(body, Sign(testSecret, testNow, body)), testNow)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if ev.Status != status || ev.Amount != 0 || !ev.PaidAt.IsZero() || ev.IntentID != id {
			t.Fatalf("%s: event %+v", typ, *ev)
		}
	}
}

func TestVerifyChecksSignatureBeforeBody(t *testing.T) {
	// An unsigned malformed body is an authentication failure, not a
	// parse error: nothing about it may be trusted, not even its shape.
	body := []byte(`{nope`)
	_, err := verify(testSecret, webhook(body, Sign("otro", testNow, body)), testNow)
	wantCode(t, err, portal.EUNAUTHORIZED)
}

func TestVerifyWithoutSecret(t *testing.T) {
	body := paidBody(NewIntentID(), 5000, "MXN")
	_, err := verify("", webhook(body, Sign("", testNow, body)), testNow)
	if err == nil || portal.ErrorCode(err) == "" {
		t.Fatal("verified a webhook with no secret configured")
	}
	wantCode(t, err, portal.EINTERNAL)
}

func TestVerifyNilBody(t *testing.T) {
	r, err := http.NewRequest(http.MethodPost, "http://x/webhook", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set(SignatureHeader, Sign(testSecret, testNow, nil))
	_, err = verify(testSecret, r, testNow)
	wantCode(t, err, portal.EINVALID)
}
