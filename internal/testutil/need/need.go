// Package need decides what a test does when something it needs from the
// machine (PostgreSQL, Chromium, axe-core) is missing: locally it skips
// with a message that says how to get it; under CI it fails, so a green CI
// run always means the whole suite ran.
package need

import (
	"os"
	"testing"
)

// Unavailable skips the test, or fails it when the CI variable is set.
func Unavailable(t testing.TB, what, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s unavailable under CI: %s", what, why)
	}
	t.Skipf("%s unavailable: %s", what, why)
}
