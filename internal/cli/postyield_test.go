package cli

import (
	"strings"
	"testing"
)

// post-yield killed half-way and run again ends with the same ledger as a
// run that went through; a third run posts nothing.
func TestPostYieldKilledAndRerunEndsTheSame(t *testing.T) {
	whole := seededDB(t, "whole")
	code, out, stderr := run(t, whole, "post-yield", "--period", "2026-11")
	if code != 0 || !strings.Contains(out, "yields posted at ") {
		t.Fatalf("uninterrupted: %d %q %q", code, out, stderr)
	}
	want := totals(t, whole)

	killed := seededDB(t, "killed")
	before := totals(t, killed)
	killAt(t, killed, 30, "post-yield", "--period", "2026-11", "--people-per-transaction", "1")
	partial := totals(t, killed)
	if partial.Savings <= before.Savings || partial.Savings >= want.Savings {
		t.Fatalf("the kill did not land half-way: %d → %d of %d", before.Savings, partial.Savings, want.Savings)
	}
	if code, _, stderr := run(t, killed, "post-yield", "--period", "2026-11"); code != 0 {
		t.Fatalf("rerun: %s", stderr)
	}
	if got := totals(t, killed); got != want {
		t.Fatalf("after kill and rerun: %+v, want %+v", got, want)
	}
	if code, out, _ := run(t, killed, "post-yield", "--period", "2026-11"); code != 0 || !strings.Contains(out, ": 0 yields posted") {
		t.Fatalf("third run: %q", out)
	}
	for _, c := range []struct{ args, want string }{
		{"--period 2026", "use the form YYYY-MM"},
		{"--period 2099-01", "has not ended"},
		{"--period 1990-01", "no yield rate"},
	} {
		if code, _, stderr := run(t, killed, append([]string{"post-yield"}, strings.Fields(c.args)...)...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: %d %q", c.args, code, stderr)
		}
	}
}
