package payment

import (
	"context"
	"testing"
	"time"

	"micuenta/internal/portal"
)

func TestSandboxCheckout(t *testing.T) {
	in := testIntent(t)
	got, err := NewSandbox(testSecret, "http://localhost:8080/").Checkout(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://localhost:8080/pagos/sandbox/" + in.ID; got != want {
		t.Fatalf("Checkout = %q, want %q", got, want)
	}
	in.Amount = 0
	_, err = NewSandbox(testSecret, "").Checkout(context.Background(), in)
	wantCode(t, err, portal.EINVALID)
}

func TestSandboxCompletePaid(t *testing.T) {
	sb := NewSandbox(testSecret, "http://localhost:8080")
	in := testIntent(t)
	body, sig := sb.Complete(in, StatusPaid, testNow)
	ev, err := sb.Verify(webhook(body, sig), testNow.Add(30*time.Second))
	if err != nil {
		t.Fatalf("Verify(%s): %v", body, err)
	}
	if ev.IntentID != in.ID || ev.Status != StatusPaid || ev.Amount != in.Amount ||
		!ev.PaidAt.Equal(testNow) || ev.ID == "" || ev.PaymentID == "" {
		t.Fatalf("event %+v for intent %+v", *ev, in)
	}

	// The same intent completed again is a redelivery: same ids.
	body2, sig2 := sb.Complete(in, StatusPaid, testNow.Add(time.Minute))
	ev2, err := sb.Verify(webhook(body2, sig2), testNow.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if ev2.ID != ev.ID || ev2.PaymentID != ev.PaymentID {
		t.Fatalf("second completion %+v differs from first %+v", *ev2, *ev)
	}
	// Another intent is another payment.
	other, osig := sb.Complete(testIntent(t), StatusPaid, testNow)
	ev3, err := sb.Verify(webhook(other, osig), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if ev3.PaymentID == ev.PaymentID || ev3.ID == ev.ID {
		t.Fatalf("two intents share ids: %+v %+v", *ev, *ev3)
	}

	// A real gateway with the same secret accepts the sandbox's webhook:
	// the verification is shared.
	if _, err := NewHTTPGateway("https://x", "k", testSecret, nil).Verify(webhook(body, sig), testNow); err != nil {
		t.Fatal(err)
	}
	// Another sandbox (another secret) refuses it.
	_, err = NewSandbox("otro", "").Verify(webhook(body, sig), testNow)
	wantCode(t, err, portal.EUNAUTHORIZED)
	// And it goes stale.
	_, err = sb.Verify(webhook(body, sig), testNow.Add(6*time.Minute))
	wantCode(t, err, portal.EUNAUTHORIZED)
}

func TestSandboxCompleteNotPaid(t *testing.T) {
	sb := NewSandbox(testSecret, "")
	in := testIntent(t)
	paidBody, paidSig := sb.Complete(in, StatusPaid, testNow)
	paid, err := sb.Verify(webhook(paidBody, paidSig), testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, status := range []string{StatusFailed, StatusCancelled} {
		body, sig := sb.Complete(in, status, testNow)
		ev, err := sb.Verify(webhook(body, sig), testNow)
		if err != nil {
			t.Fatalf("%s: %v", status, err)
		}
		if ev.Status != status || ev.IntentID != in.ID || ev.Amount != 0 || !ev.PaidAt.IsZero() {
			t.Fatalf("%s: event %+v", status, *ev)
		}
		if ev.PaymentID == paid.PaymentID {
			t.Fatalf("%s event shares the paid payment id %s", status, ev.PaymentID)
		}
	}
}

func TestSandboxCompleteRefusedCases(t *testing.T) {
	sb := NewSandbox(testSecret, "")
	in := testIntent(t)
	body, sig := sb.Complete(in, "refunded", testNow)
	_, err := sb.Verify(webhook(body, sig), testNow)
	wantCode(t, err, portal.EINVALID)

	in.Amount = 0
	body, sig = sb.Complete(in, StatusPaid, testNow)
	_, err = sb.Verify(webhook(body, sig), testNow)
	wantCode(t, err, portal.EINVALID)
}
