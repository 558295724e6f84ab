package reference

import (
	"testing"
	"time"

	"micuenta/internal/portal"
)

func TestTableAt(t *testing.T) {
	tab := NewTable([]Value{
		{Kind: UMADiaria, ValidFrom: portal.NewDate(2026, time.February, 1), E6: 117_310_000},
		{Kind: UMADiaria, ValidFrom: portal.NewDate(2025, time.February, 1), E6: 113_140_000},
	})
	cases := []struct {
		d    portal.Date
		want portal.Money
		ok   bool
	}{
		{portal.NewDate(2025, time.January, 31), 0, false},
		{portal.NewDate(2025, time.February, 1), 11314, true},
		{portal.NewDate(2026, time.January, 31), 11314, true},
		{portal.NewDate(2026, time.February, 1), 11731, true},
		{portal.NewDate(2030, time.June, 1), 11731, true},
	}
	for _, c := range cases {
		v, err := tab.At(UMADiaria, c.d)
		if (err == nil) != c.ok {
			t.Fatalf("At(%s) err = %v, want ok=%v", c.d, err, c.ok)
		}
		if c.ok && v.Centavos() != c.want {
			t.Errorf("At(%s) = %v, want %v", c.d, v.Centavos(), c.want)
		}
	}
	if _, err := tab.At(INPC, portal.NewDate(2025, 1, 1)); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("missing kind: err = %v", err)
	}
}
