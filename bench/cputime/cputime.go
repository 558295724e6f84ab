// Package cputime reads the CPU time a process has spent, for the
// benchmarks that report CPU beside wall time: the load generator's own
// cost, and the CPU a read takes in bench/.
package cputime

import (
	"syscall"
	"time"
)

// Self is this process's CPU time so far, user and system.
func Self() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
