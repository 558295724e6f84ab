package payment

import (
	"regexp"
	"testing"
)

func TestNewIntentID(t *testing.T) {
	form := regexp.MustCompile(`^pay_[0-9a-v]{24}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := NewIntentID()
		if !form.MatchString(id) || !ValidIntentID(id) {
			t.Fatalf("bad intent id %q", id)
		}
		if seen[id] {
			t.Fatalf("repeated intent id %q", id)
		}
		seen[id] = true
	}
	for _, bad := range []string{"", "pay_", "pay_0123456789abcdefghijklm", "pay_0123456789abcdefghijklmnw", "pay_0123456789abcdefghijklmw",
		"pay_0123456789ABCDEFGHIJKLMN", "pax_0123456789abcdefghijklmn", "pay_0123456789abcdefghijkl/n"} {
		if ValidIntentID(bad) {
			t.Errorf("ValidIntentID(%q) = true", bad)
		}
	}
}
