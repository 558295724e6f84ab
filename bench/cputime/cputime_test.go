package cputime

import (
	"testing"
	"time"
)

func TestSelfCountsWork(t *testing.T) {
	before := Self()
	deadline := time.Now().Add(50 * time.Millisecond)
	n := 0
	for time.Now().Before(deadline) {
		n++
	}
	if spent := Self() - before; spent < 10*time.Millisecond || n == 0 {
		t.Fatalf("50 ms of busy loop counted as %s of CPU", spent)
	}
}
