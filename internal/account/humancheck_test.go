package account

import (
	"testing"
	"time"
)

func TestHumanCheck(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	h := NewHumanCheck([]byte("clave"), func() time.Time { return now })
	ch := h.Challenge()
	counter := SolveWork(ch, PowBits)
	if v, nonce := h.Verify(ch, counter, ""); v != ByWork || nonce == "" {
		t.Fatalf("solved challenge: %v", v)
	}
	if v, _ := h.Verify(ch, "nope", ""); v != Failed {
		t.Fatal("wrong counter accepted")
	}
	if v, _ := h.Verify(ch, counter, "soy un robot"); v != Failed {
		t.Fatal("filled trap accepted")
	}
	if v, _ := h.Verify(ch, "", ""); v != Failed {
		t.Fatal("no-JavaScript form accepted the instant it was served")
	}
	now = now.Add(PowMinAge)
	if v, _ := h.Verify(ch, "", ""); v != ByPatience {
		t.Fatal("patient no-JavaScript form refused")
	}
	tampered := ch[:len(ch)-2] + "xx"
	if v, _ := h.Verify(tampered, counter, ""); v != Failed {
		t.Fatal("tampered signature accepted")
	}
	other := NewHumanCheck([]byte("otra"), func() time.Time { return now })
	if v, _ := other.Verify(ch, counter, ""); v != Failed {
		t.Fatal("challenge from another key accepted")
	}
	now = now.Add(PowMaxAge)
	if v, _ := h.Verify(ch, counter, ""); v != Failed {
		t.Fatal("stale challenge accepted")
	}
}
