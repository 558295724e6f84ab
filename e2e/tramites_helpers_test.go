package e2e

import (
	"strings"
	"testing"

	"micuenta/internal/testutil/browser"
)

// filedFolio checks that the page b is on announces a trámite just filed
// ("Tu folio es …") and returns its folio, which must start with prefix
// (the trámite's type, as "PRO-").
func filedFolio(t *testing.T, b *browser.Browser, prefix string) string {
	t.Helper()
	if main := b.Text("main"); !strings.Contains(main, "Tu folio es") {
		t.Fatalf("after filing a %s request (%q): %q", prefix, b.Title(), main)
	}
	folio := b.Text("main .notice strong.mono")
	if !strings.HasPrefix(folio, prefix) {
		t.Fatalf("folio %q, want one starting with %s", folio, prefix)
	}
	return folio
}

// approveRequest takes the request open in the back office (ob) and
// approves it, with message when not empty, checking each step's page
// with axe-core under label.
func approveRequest(t *testing.T, ob *browser.Browser, label, message string) {
	t.Helper()
	ob.ClickAndWait("button[value='tomar']")
	ob.CheckA11y(label + " taken")
	if message != "" {
		ob.SetValue("#mensaje", message)
	}
	ob.ClickAndWait("button[value='aprobar']")
	if state := ob.Text("main dl.summary-list dd strong"); state != "Aprobada" {
		t.Fatalf("%s after approving: state %q (%q)", label, state, ob.Text("main"))
	}
	ob.CheckA11y(label + " approved")
}
