package savings

import (
	"testing"

	"micuenta/internal/portal"
)

func TestContribution(t *testing.T) {
	uma2026 := portal.Money(11731)
	cases := []struct {
		salary portal.Money
		days   int
		want   portal.Money
	}{
		{52000, 61, 158600},  // 5% × 520.00 × 61
		{500000, 61, 894489}, // capped at 25 UMA: 5% × 2,932.75 × 61 = 8,944.89 (domain.md §2.1)
		{31504, 30, 47256},   // minimum wage 2026, half a bimester
		{33333, 1, 1667},     // 16.6665 rounds half away from zero
		{0, 61, 0},
	}
	for _, c := range cases {
		if got := Contribution(c.salary, uma2026, c.days); got != c.want {
			t.Errorf("Contribution(%v, %d days) = %v, want %v", c.salary, c.days, got, c.want)
		}
	}
}
