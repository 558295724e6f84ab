package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/testutil/browser"
)

const (
	creditPath  = "/mi-cuenta/credito"
	filterForm  = "form.filter-form button[type=submit]"
	payForm     = "form[action='/mi-cuenta/credito/pagar'] button[type=submit]"
	paymentPath = "/mi-cuenta/credito/pagos/"
	sandboxPath = "/pagos/sandbox/"
)

// The borrower's credit in Chromium, every page axe-clean. The demo
// account sees its summary and filters its movements to interest; finds
// its 12-digit payment reference on how to pay; downloads a monthly and the
// historical statement; pays online an amount of its own (refused first in
// words) through the demo's sandbox processor, downloads the receipt, and
// finds the payment among its movements, dated today.
func TestCreditInBrowser(t *testing.T) {
	base, a, email, password := withDemoAccount(t, 40, 31)
	ctx := context.Background()
	v := demoCredit(t, a, email)

	b := browser.New(t)
	signIn(t, b, base, email, password)
	proveDevice(t, b, base)

	// The summary and the movements, filtered to interest.
	b.Navigate(base + creditPath)
	if h := b.Text("main h1"); h != "Mi crédito" {
		t.Fatalf("%s: heading %q (%q)", creditPath, h, b.Title())
	}
	summary := b.Text("main dl.summary-list")
	for _, term := range []string{"Saldo al", "Para liquidar hoy", "Mensualidad", "Próximo pago", "Atraso"} {
		if !strings.Contains(summary, term) {
			t.Fatalf("%s: the summary lacks %q: %q", creditPath, term, summary)
		}
	}
	if !strings.Contains(b.Text("main .caption"), v.Credit.Number) {
		t.Fatalf("%s: credit number %s not shown: %q", creditPath, v.Credit.Number, b.Text("main .caption"))
	}
	for _, link := range []struct{ text, href string }{
		{"Pagar en línea", creditPath + "/pagar"},
		{"Cómo, cuándo y dónde pagar (y tu referencia de pago)", creditPath + "/como-pagar"},
		{"Descargar mi ficha de pago (PDF)", creditPath + "/ficha-de-pago.pdf"},
		{"Mis estados de cuenta", creditPath + "/estados-de-cuenta"},
	} {
		if got := linkTo(b, link.text); got != link.href {
			t.Fatalf("%s: link %q goes to %q, want %q", creditPath, link.text, got, link.href)
		}
	}
	b.CheckA11y(creditPath)

	b.SetValue("#tipo", credit.KindInteres)
	b.ClickAndWait(filterForm)
	if q := browser.Eval[string](b, "location.search"); !strings.Contains(q, "tipo="+credit.KindInteres) {
		t.Fatalf("filtering by interest: query %q", q)
	}
	if strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("filtering by interest: %q", b.Text("main"))
	}
	kinds := movementKinds(b)
	if len(kinds) == 0 {
		t.Fatalf("filtered by interest: no rows: %q", b.Text("main"))
	}
	for i, k := range kinds {
		if k != "Intereses" {
			t.Fatalf("filtered by interest: row %d is %q", i+1, k)
		}
	}
	if !strings.Contains(b.Text("main"), "Quitar filtros") {
		t.Fatalf("filtered by interest: no way to clear the filter: %q", b.Text("main"))
	}
	b.CheckA11y(creditPath + "?tipo=interes")

	// How to pay, with the payment reference in groups of four.
	ref, err := credit.PaymentReference(v.Credit.Number)
	if err != nil {
		t.Fatal(err)
	}
	grouped := credit.FormatReference(ref)
	if len(grouped) != 14 {
		t.Fatalf("reference %q grouped as %q", ref, grouped)
	}
	b.Navigate(base + creditPath + "/como-pagar")
	if got := b.Text("main strong.mono"); got != grouped {
		t.Fatalf("how to pay: reference %q, want %q (%q)", got, grouped, b.Text("main"))
	}
	b.CheckA11y(creditPath + "/como-pagar")

	// Statements: the newest month listed and the historical one are PDFs.
	b.Navigate(base + creditPath + "/estados-de-cuenta")
	b.CheckA11y(creditPath + "/estados-de-cuenta")
	last := portal.NewDate(v.Today.Y, v.Today.M-1, 1)
	monthly := browser.Eval[string](b, `(() => { const l = document.querySelector("main a[href$='.pdf']:not([href$='/historico.pdf'])"); return l ? l.pathname : ""; })()`)
	if want := creditPath + "/estados-de-cuenta/" + last.String()[:7] + ".pdf"; monthly != want {
		t.Fatalf("statements: the first monthly link is %q, want %q: %q", monthly, want, b.Text("main"))
	}
	historical := linkTo(b, "Estado de cuenta histórico (desde el inicio de tu crédito, PDF)")
	if historical != creditPath+"/estados-de-cuenta/historico.pdf" {
		t.Fatalf("statements: historical link %q", historical)
	}
	for _, path := range []string{monthly, historical} {
		if head := pdfHead(b, path); head != "%PDF-" {
			t.Fatalf("%s starts %q", path, head)
		}
	}

	// Paying online an amount of one's own: refused in words, then paid.
	b.Navigate(base + creditPath + "/pagar")
	if !browser.Eval[bool](b, `document.getElementById("concepto").checked`) {
		t.Fatal("pay: the monthly payment is not chosen first")
	}
	b.CheckA11y(creditPath + "/pagar")
	b.Click("#concepto-otro")
	b.SetValue("#importe", "cien")
	b.ClickAndWait(payForm)
	if path := browser.Eval[string](b, "location.pathname"); path != creditPath+"/pagar" {
		t.Fatalf("an amount in words: at %s (%q)", path, b.Title())
	}
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("an amount in words: title %q", b.Title())
	}
	if msg := b.Text("#importe-error"); !strings.Contains(msg, "solo con números") {
		t.Fatalf("an amount in words: the field says %q", msg)
	}
	if !browser.Eval[bool](b, `document.querySelector(".error-summary a[href='#importe']") !== null`) {
		t.Fatalf("an amount in words: the error summary does not lead to the field: %q", b.Text("main"))
	}
	if !browser.Eval[bool](b, `document.getElementById("concepto-otro").checked`) || browser.Eval[string](b, `document.getElementById("importe").value`) != "cien" {
		t.Fatal("an amount in words: the choice and the amount typed were not kept")
	}
	b.CheckA11y(creditPath + "/pagar with an error")

	const amount = portal.Money(1234_50)
	b.SetValue("#importe", "1234.50")
	// The demo's processor is on this same site: its checkout page must
	// load whatever address the portal was started on.
	b.ClickAndWait(payForm)
	path := browser.Eval[string](b, "location.pathname")
	intent := strings.TrimPrefix(path, sandboxPath)
	if intent == path || intent == "" || strings.Contains(intent, "/") {
		t.Fatalf("after choosing $1,234.50: at %s (%q) %q", path, b.Title(), b.Text("main"))
	}
	if h := b.Text("main h1"); h != "Pagar "+amount.String() {
		t.Fatalf("sandbox: heading %q, want %q", h, "Pagar "+amount.String())
	}
	b.CheckA11y(sandboxPath + "{intent}")

	b.ClickAndWait("button[value='pagar']")
	if path := browser.Eval[string](b, "location.pathname"); path != paymentPath+intent {
		t.Fatalf("after paying: at %s (%q) %q", path, b.Title(), b.Text("main"))
	}
	paidOn := portal.DateOf(time.Now()).Spanish()
	if notice := b.Text("main .notice-title"); notice != "Recibimos tu pago de "+amount.String() {
		t.Fatalf("after paying: notice %q (%q)", notice, b.Text("main"))
	}
	op, err := a.Payments.Find(ctx, v.Credit.PersonID, intent)
	if err != nil {
		t.Fatal(err)
	}
	if op.State != credit.PaymentPaid || op.Amount != amount {
		t.Fatalf("payment %s: %s of %s, want %s of %s", intent, op.State, op.Amount, credit.PaymentPaid, amount)
	}
	b.CheckA11y(paymentPath + "{intent}")
	receipt := linkTo(b, "Descargar el comprobante (PDF)")
	if receipt != paymentPath+intent+"/comprobante.pdf" {
		t.Fatalf("receipt link %q", receipt)
	}
	if head := pdfHead(b, receipt); head != "%PDF-" {
		t.Fatalf("%s starts %q", receipt, head)
	}

	// The payment among the movements, dated today.
	b.Navigate(base + creditPath)
	b.SetValue("#tipo", credit.KindPagoDirecto)
	b.ClickAndWait(filterForm)
	if strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("filtering by direct payment: %q", b.Text("main"))
	}
	row := browser.Eval[[]string](b, `[...(document.querySelector("main table tbody tr")?.cells || [])].map(c => c.textContent.trim())`)
	if want := []string{paidOn, "Pago directo", (-amount).String()}; len(row) < 3 || row[0] != want[0] || row[1] != want[1] || row[2] != want[2] {
		t.Fatalf("the newest direct payment is %q, want %q", row, want)
	}
	if last := summaryValue(b, "Último pago"); last != paidOn+" · Pago directo · "+amount.String() {
		t.Fatalf("last payment: %q", last)
	}
	b.CheckA11y(creditPath + "?tipo=pago_directo")
}

// linkTo is the path of the first link in <main> whose text is text, ""
// when there is none.
func linkTo(b *browser.Browser, text string) string {
	return browser.Eval[string](b, `(() => { const l = [...document.querySelectorAll("main a")].find(l => l.textContent.trim() === `+strconv.Quote(text)+`); return l ? l.pathname : ""; })()`)
}

// movementKinds is the Movimiento cell of every row of the movements table.
func movementKinds(b *browser.Browser) []string {
	return browser.Eval[[]string](b, `[...document.querySelectorAll("main table tbody tr")].map(r => r.cells[1].textContent.trim())`)
}

// summaryValue is the value of a term in the page's summary list.
func summaryValue(b *browser.Browser, term string) string {
	return browser.Eval[string](b, `(() => { const d = [...document.querySelectorAll("main dl.summary-list > div")].find(d => d.querySelector("dt").textContent.trim() === `+strconv.Quote(term)+`); return d ? d.querySelector("dd").textContent.trim() : ""; })()`)
}

// pdfHead fetches a file as the signed-in browser and returns its first
// five bytes, or the HTTP status when it is not 200.
func pdfHead(b *browser.Browser, path string) string {
	return browser.Eval[string](b, "fetch("+strconv.Quote(path)+`).then(r => r.ok ? r.arrayBuffer().then(b => new TextDecoder("latin1").decode(b.slice(0, 5))) : "HTTP " + r.status)`)
}
