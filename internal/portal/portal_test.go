package portal

import (
	"testing"
	"time"
)

func TestMoneyString(t *testing.T) {
	cases := map[Money]string{0: "$0.00", 5: "$0.05", 123456: "$1,234.56", -500: "-$5.00", 100000000: "$1,000,000.00"}
	for m, want := range cases {
		if got := m.String(); got != want {
			t.Errorf("%d → %q, want %q", int64(m), got, want)
		}
	}
}

func TestParseMoney(t *testing.T) {
	ok := map[string]Money{"1234.5": 123450, "1,234.56": 123456, "$ 80": 8000, "0.07": 7, "-3.10": -310, ".5": 50}
	for in, want := range ok {
		if got, err := ParseMoney(in); err != nil || got != want {
			t.Errorf("%q → %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "1.234", "abc", "cien pesos", "1.", "1e5", "12345678901234567890"} {
		if _, err := ParseMoney(bad); ErrorCode(err) != EINVALID {
			t.Errorf("%q accepted (err %v)", bad, err)
		}
	}
}

func TestRoundDiv(t *testing.T) {
	cases := []struct{ n, d, want int64 }{{5, 2, 3}, {-5, 2, -3}, {4, 3, 1}, {5, 3, 2}, {-4, 3, -1}, {0, 7, 0}, {149, 100, 1}, {150, 100, 2}}
	for _, c := range cases {
		if got := RoundDiv(c.n, c.d); got != c.want {
			t.Errorf("RoundDiv(%d,%d) = %d, want %d", c.n, c.d, got, c.want)
		}
	}
}

func TestBimestre(t *testing.T) {
	b, err := ParseBimestre("2025-3")
	if err != nil || b.Key() != 20253 || b.First() != NewDate(2025, time.May, 1) || b.Last() != NewDate(2025, time.June, 30) || b.Days() != 61 {
		t.Fatalf("%+v %v first %v last %v days %d", b, err, b.First(), b.Last(), b.Days())
	}
	if (Bimestre{2025, 6}).Next() != (Bimestre{2026, 1}) {
		t.Fatal("Next across the year")
	}
	if BimestreOf(NewDate(2024, time.February, 29)) != (Bimestre{2024, 1}) {
		t.Fatal("BimestreOf")
	}
	for _, bad := range []string{"2025-7", "2025-0", "25-3", "2025/3", "1971-1", ""} {
		if _, err := ParseBimestre(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDateScan(t *testing.T) {
	var d Date
	for _, src := range []any{"2025-02-28", []byte("2025-02-28"), time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC), "2025-02-28 00:00:00+00:00"} {
		if err := d.Scan(src); err != nil || d != NewDate(2025, 2, 28) {
			t.Errorf("Scan(%v) = %v, %v", src, d, err)
		}
	}
	for src, want := range map[string]Date{"2024-02-29": NewDate(2024, 2, 29), "2000-02-29": NewDate(2000, 2, 29), "1972-05-01": NewDate(1972, 5, 1),
		"2026-12-31": NewDate(2026, 12, 31), "2026-04-30": NewDate(2026, 4, 30)} {
		if err := d.Scan(src); err != nil || d != want {
			t.Errorf("Scan(%q) = %v, %v", src, d, err)
		}
	}
	for _, src := range []string{"2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "20x6-01-01", "2026/01/01", ""} {
		if err := d.Scan(src); err == nil {
			t.Errorf("Scan(%q) accepted: %v", src, d)
		}
	}
	if _, err := ParseDate("2025-02-30"); err == nil {
		t.Error("Feb 30 accepted")
	}
	if d := DateOf(time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)); d != NewDate(2025, 12, 31) {
		t.Errorf("DateOf uses Mexico City: got %v", d)
	}
}

func TestAddMonthsKeepsToTheMonth(t *testing.T) {
	for _, c := range []struct {
		from Date
		n    int
		want Date
	}{
		{NewDate(2026, time.January, 31), 1, NewDate(2026, time.February, 28)},
		{NewDate(2028, time.January, 31), 1, NewDate(2028, time.February, 29)},
		{NewDate(2026, time.March, 31), 1, NewDate(2026, time.April, 30)},
		{NewDate(2026, time.November, 15), 2, NewDate(2027, time.January, 15)},
		{NewDate(2026, time.March, 31), -1, NewDate(2026, time.February, 28)},
		{NewDate(2026, time.December, 31), 12, NewDate(2027, time.December, 31)},
	} {
		if got := c.from.AddMonths(c.n); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}
