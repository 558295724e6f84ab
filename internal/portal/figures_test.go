package portal

import "testing"

func TestGroupedAndPercent(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 9116784: "9,116,784", -1234567: "-1,234,567"} {
		if got := Grouped(n); got != want {
			t.Errorf("Grouped(%d) = %q, want %q", n, got, want)
		}
	}
	for bp, want := range map[int64]string{0: "0", 5: "0.05", 450: "4.5", 300: "3", 1046: "10.46", 10000: "100", -250: "-2.5"} {
		if got := Percent(bp); got != want {
			t.Errorf("Percent(%d) = %q, want %q", bp, got, want)
		}
	}
}
