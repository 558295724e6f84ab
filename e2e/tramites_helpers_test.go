package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"micuenta/internal/operator"
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

// supervisorOpens makes a supervisor, signs them in to the back office
// at now (the app's time) and opens folio from the queue of its type
// (as "PRO"), checking the queue with axe-core.
func supervisorOpens(t *testing.T, s sites, email, name, tipo, folio string, now time.Time) *browser.Browser {
	t.Helper()
	const password = "Clave-de-operacion-2026"
	if _, err := s.a.Operators.Create(context.Background(), operator.New{Email: email, Name: name, Role: operator.Supervisor, Password: password}, nil, ""); err != nil {
		t.Fatal(err)
	}
	ob := operatorSignInAt(t, s.admin, email, password, now)
	ob.Navigate(s.admin + "/admin/tramites?tipo=" + tipo)
	if queue := ob.Text("main table"); !strings.Contains(queue, folio) {
		t.Fatalf("the queue lacks %s: %q", folio, queue)
	}
	ob.CheckA11y("/admin/tramites?tipo=" + tipo)
	ob.ClickAndWait("main table a[href='/admin/tramites/" + folio + "']")
	return ob
}
