package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"micuenta/internal/document"
	"micuenta/internal/testutil/browser"
)

// The credit's documents in Chromium, every page axe-clean: the
// constancia de intereses (and its PDF), the avisos for the employer, the
// cancelación de hipoteca of a live credit, and /verificar — typing a
// folio, and comparing a file that is not the one issued.
func TestDocumentsInBrowser(t *testing.T) {
	base, a, email, password := withDemoAccount(t, 40, 31)
	ctx := context.Background()
	v := demoCredit(t, a, email)

	b := browser.New(t)
	signIn(t, b, base, email, password)
	proveDevice(t, b, base)

	b.Navigate(base + creditPath)
	if got := linkTo(b, "Constancia de intereses para tu declaración anual"); got != creditPath+"/constancia-intereses" {
		t.Fatalf("credit page: constancia link %q", got)
	}
	b.Navigate(base + creditPath + "/constancia-intereses")
	if h := b.Text("main h1"); h != "Constancia de intereses para tu declaración anual" {
		t.Fatalf("constancia: heading %q", h)
	}
	b.CheckA11y(creditPath + "/constancia-intereses")
	if pdf := browser.Eval[string](b, `(() => { const l = document.querySelector("main a[href*='/constancia-intereses/']"); return l ? l.pathname : ""; })()`); pdf != "" {
		if head := pdfHead(b, pdf); head != "%PDF-" {
			t.Fatalf("%s starts %q", pdf, head)
		}
	}

	b.Navigate(base + creditPath + "/avisos")
	if !strings.Contains(b.Text("main"), "Aviso de retención de descuentos") {
		t.Fatalf("avisos: %q", b.Text("main"))
	}
	b.CheckA11y(creditPath + "/avisos")

	b.Navigate(base + creditPath + "/cancelacion-hipoteca")
	if !strings.Contains(b.Text("main"), "Todavía no puedes descargar la carta") {
		t.Fatalf("cancelación of a live credit: %q", b.Text("main"))
	}
	b.CheckA11y(creditPath + "/cancelacion-hipoteca")

	// A document to verify.
	d, _, err := a.Documents.Issue(ctx, document.Request{Kind: document.KindRetencion, PersonID: v.Credit.PersonID, CreditNumber: v.Credit.Number,
		Holder: "PERSONA DE PRUEBA", Layout: "e2e", Inputs: []byte("e2e"), Origin: base}, func(d *document.Issued, url string) ([]byte, error) {
		return []byte("%PDF-1.4 " + d.Folio + " " + url), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	anon := browser.New(t)
	anon.Navigate(base + "/verificar")
	anon.CheckA11y("/verificar")
	anon.SetValue("#folio", "12345")
	anon.ClickAndWait("main form button[type=submit]")
	if !strings.HasPrefix(anon.Title(), "Error:") {
		t.Fatalf("a short folio: %q", anon.Title())
	}
	anon.CheckA11y("/verificar?folio=12345")
	anon.SetValue("#folio", strings.ToLower(d.Folio))
	anon.ClickAndWait("main form button[type=submit]")
	if path := browser.Eval[string](anon, "location.pathname"); path != "/verificar/"+d.Folio {
		t.Fatalf("typed folio: at %s", path)
	}
	if !strings.Contains(anon.Text("main"), "P*** D*** P***") {
		t.Fatalf("verification: %q", anon.Text("main"))
	}
	anon.CheckA11y("/verificar/{folio}")
	other := filepath.Join(t.TempDir(), "otro.pdf")
	if err := os.WriteFile(other, []byte("%PDF-1.4 otro documento"), 0o600); err != nil {
		t.Fatal(err)
	}
	anon.SetUploadFiles("#archivo", other)
	anon.ClickAndWait("main form[enctype] button[type=submit]")
	if !strings.Contains(anon.Text("main"), "El archivo no coincide") {
		t.Fatalf("another file: %q", anon.Text("main"))
	}
	anon.CheckA11y("/verificar/{folio} (no coincide)")
}
