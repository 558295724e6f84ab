package account

import (
	"bytes"
	"testing"
)

func TestNewCodeShapeAndSpread(t *testing.T) {
	seen := map[string]bool{}
	var firstDigits [10]int
	for range 5000 {
		c := NewCode()
		if len(c) != CodeDigits {
			t.Fatalf("code %q", c)
		}
		for _, r := range c {
			if r < '0' || r > '9' {
				t.Fatalf("code %q", c)
			}
		}
		seen[c] = true
		firstDigits[c[0]-'0']++
	}
	// 5,000 draws from a million codes collide about 12.5 times (n²/2N),
	// roughly Poisson: requiring 4,980 distinct failed about two runs in
	// a hundred (CI saw 4,978). 50 collisions is ten standard deviations
	// out, and a generator drawing from a tenth of the codes would give
	// about 125.
	if len(seen) < 4950 {
		t.Fatalf("only %d distinct codes in 5,000", len(seen))
	}
	for d, n := range firstDigits {
		if n < 380 || n > 620 { // 500 expected; far outside means a biased generator
			t.Fatalf("first digit %d appeared %d times in 5,000", d, n)
		}
	}
}

func TestCodeHashIsBoundToFlowAndPurpose(t *testing.T) {
	key := []byte("clave-del-servidor-de-32-bytes!!")
	h := HashCode(key, "flujo-1", "registro-correo", "123456")
	if bytes.Contains(h, []byte("123456")) {
		t.Fatal("hash contains the code")
	}
	if !CodeMatches(key, "flujo-1", "registro-correo", "123456", h) {
		t.Fatal("right code refused")
	}
	for _, c := range []struct{ flow, purpose, code string }{
		{"flujo-2", "registro-correo", "123456"},
		{"flujo-1", "registro-sms", "123456"},
		{"flujo-1", "registro-correo", "123457"},
	} {
		if CodeMatches(key, c.flow, c.purpose, c.code, h) {
			t.Fatalf("%+v accepted", c)
		}
	}
	if CodeMatches([]byte("otra-clave"), "flujo-1", "registro-correo", "123456", h) {
		t.Fatal("another key accepted")
	}
}
