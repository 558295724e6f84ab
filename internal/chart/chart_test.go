package chart

import "testing"

func TestNiceCeil(t *testing.T) {
	for _, c := range []struct{ v, unit, want int64 }{
		{0, 1, 1}, {1, 1, 1}, {3, 1, 5}, {7, 1, 10}, {11, 1, 20}, {250, 1, 500}, {999, 1, 1000},
		{5, 100, 100}, {150, 100, 200}, {120_000_00, 100, 200_000_00},
	} {
		if got := NiceCeil(c.v, c.unit); got != c.want {
			t.Errorf("NiceCeil(%d, %d) = %d, want %d", c.v, c.unit, got, c.want)
		}
	}
}

// Bars stand on the axis, scale to the round ceiling, and never leave the
// plot; an empty series draws nothing.
func TestNew(t *testing.T) {
	if New(nil, "nada", 1, Count) != nil {
		t.Fatal("a chart of nothing")
	}
	c := New([]Point{{Value: 0}, {Value: 50}, {Value: 100}, {Value: -3}}, "prueba", 1, Count)
	if len(c.Bars) != 4 || len(c.Ticks) != 5 || c.Ticks[4].Text != "100" || c.Ticks[0].Text != "0" {
		t.Fatalf("chart %+v", c)
	}
	base := c.Bars[0].Y + c.Bars[0].H
	for i, b := range c.Bars {
		if b.Y+b.H != base || b.X < c.Left || b.X+b.W > c.Right || b.Y < 0 {
			t.Errorf("bar %d out of place: %+v", i, b)
		}
	}
	if c.Bars[2].H != 2*c.Bars[1].H || c.Bars[0].H != 0 || c.Bars[3].H != 0 {
		t.Errorf("heights %d %d %d %d", c.Bars[0].H, c.Bars[1].H, c.Bars[2].H, c.Bars[3].H)
	}
}

func TestAxisLabels(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 850: "850", 12_345: "12 mil", 1_200_000: "1.2 mill.", 3_000_000: "3 mill."} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Pesos(85_000_000); got != "$850 mil" {
		t.Errorf("Pesos = %q", got)
	}
}
