package cli

import (
	"strings"
	"testing"
)

// accrue killed half-way and run again ends with the same ledger as a run
// that went through; a third run posts nothing.
func TestAccrueKilledAndRerunEndsTheSame(t *testing.T) {
	whole := seededDB(t, "whole")
	code, out, stderr := run(t, whole, "accrue", "--period", "2026-10")
	if code != 0 || !strings.Contains(out, "movements posted,") || strings.Contains(out, " 0 statement notices") {
		t.Fatalf("uninterrupted: %d %q %q", code, out, stderr)
	}
	want := totals(t, whole)

	killed := seededDB(t, "killed")
	before := totals(t, killed)
	killAt(t, killed, 30, "accrue", "--period", "2026-10", "--credits-per-transaction", "1")
	partial := totals(t, killed)
	if partial.CreditMovements <= before.CreditMovements || partial.CreditMovements >= want.CreditMovements {
		t.Fatalf("the kill did not land half-way: %d → %d of %d", before.CreditMovements, partial.CreditMovements, want.CreditMovements)
	}
	if code, _, stderr := run(t, killed, "accrue", "--period", "2026-10"); code != 0 {
		t.Fatalf("rerun: %s", stderr)
	}
	if got := totals(t, killed); got != want {
		t.Fatalf("after kill and rerun: %+v, want %+v", got, want)
	}
	if code, out, _ := run(t, killed, "accrue", "--period", "2026-10"); code != 0 || !strings.Contains(out, ": 0 movements posted, 0 statement notices") {
		t.Fatalf("third run: %q", out)
	}
	for _, c := range []struct{ args, want string }{
		{"--period 10-2026", "use the form YYYY-MM"},
		{"--period 2099-01", "has not ended"},
		{"--period 2026-10 --credits-per-transaction 0", "at least 1"},
	} {
		if code, _, stderr := run(t, killed, append([]string{"accrue"}, strings.Fields(c.args)...)...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: %d %q", c.args, code, stderr)
		}
	}
}
