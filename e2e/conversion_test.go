package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/testutil/browser"
	"micuenta/internal/testutil/testclock"
)

const (
	conversionPath   = "/mi-cuenta/credito/responsabilidad-compartida"
	conversionSubmit = "form[action='" + conversionPath + "'] button[type=submit]"
	vsmHint          = "Tu crédito está en Veces Salario Mínimo (VSM)"
)

// A borrower with a credit in VSM converts it to pesos (Responsabilidad
// Compartida) in Chromium, on the app's own clock: five minutes before
// the window opens (the 8th, late at night) the page says from which day
// it can be asked for and offers no form; on the 9th it shows the
// conversion beside staying in VSM and the form, which refuses an empty
// submission at each field; the request is filed with the figures shown
// and a second one is refused while it is in course. A supervisor sees
// that it still qualifies and the conversion as it would apply today,
// and approves it. The borrower then reads the applied figures in the
// request, sees the credit in pesos with the new fixed payment and the
// conversion in its movements, and the page says it was converted; the
// ledger and the credit agree. Every page is axe-clean.
func TestConversionInBrowser(t *testing.T) {
	clock := testclock.New(time.Date(2026, time.November, 8, 23, 55, 0, 0, portal.MexicoCity))
	s := startSitesAt(t, clock)
	seedPeople(t, s.a, 30, 25)
	ctx := context.Background()
	base := s.base
	opening := portal.NewDate(2026, time.November, 9)
	const email = "saturnino.vsm@correo.example"
	pid := recordVSMBorrower(t, s.a, email, portal.NewDate(2026, time.November, 8))
	number := demoCredit(t, s.a, email).Credit.Number

	b := browser.New(t)
	signIn(t, b, base, email, borrowerPassword)
	proveDevice(t, b, base)
	noForm := func(when string) {
		t.Helper()
		if browser.Eval[bool](b, `!!document.getElementById("acepto")`) {
			t.Fatalf("%s %s: the conversion form is offered", conversionPath, when)
		}
	}

	b.Navigate(base + creditPath)
	if main := b.Text("main"); !strings.Contains(main, vsmHint) {
		t.Fatalf("%s of a VSM credit: %q", creditPath, main)
	}
	b.CheckA11y(creditPath + " in VSM")
	b.ClickAndWait("main a[href='" + conversionPath + "']")

	// The 8th: the window is closed until the 9th.
	if main := b.Text("main"); !strings.Contains(main, "Por ahora no puedes solicitar la conversión de tu crédito a pesos") ||
		!strings.Contains(main, "Podrás solicitarla a partir del "+opening.Spanish()) {
		t.Fatalf("%s on the 8th: %q", conversionPath, main)
	}
	noForm("on the 8th")
	b.CheckA11y(conversionPath + " before the window opens")

	// The 9th: the window is open.
	clock.Add(10 * time.Minute)
	page, err := s.a.Servicing.Conversion(ctx, pid, "")
	if err != nil {
		t.Fatal(err)
	}
	plan := page.Plan
	if !page.Eligible || plan == nil || plan.On != opening {
		t.Fatalf("on the 9th the service says eligible %v (%v), plan %+v", page.Eligible, page.Why, plan)
	}
	b.Navigate(base + conversionPath)
	if main := b.Text("main"); !strings.Contains(main, "Puedes solicitar la conversión de tu crédito a pesos") {
		t.Fatalf("%s on the 9th: %q", conversionPath, main)
	}
	table := b.Text("main table")
	for _, want := range []string{"Simulación al " + opening.Spanish(), plan.NewBalance.String() + ", después de un descuento de " + plan.Discount.String(),
		plan.Payment.String() + ", fija", credit.FormatVSM(plan.BalanceVSME4)} {
		if !strings.Contains(table, want) {
			t.Fatalf("the comparison lacks %q: %q", want, table)
		}
	}
	b.CheckA11y(conversionPath + " with the window open")

	// Nothing chosen: refused at each field.
	b.ClickAndWait(conversionSubmit)
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("empty conversion form: %q", b.Title())
	}
	for field, want := range map[string]string{"estado": "Elige el estado donde está tu vivienda", "codigo_postal": "código postal de tu vivienda",
		"acepto": "confirma que leíste y aceptas"} {
		if msg := b.Text("#" + field + "-error"); !strings.Contains(msg, want) {
			t.Fatalf("empty conversion form: #%s says %q, want %q", field, msg, want)
		}
		if !browser.Eval[bool](b, `(document.getElementById("`+field+`").getAttribute("aria-describedby") || "").split(" ").includes("`+field+`-error")`) {
			t.Fatalf("#%s is not described by its error", field)
		}
	}
	b.CheckA11y(conversionPath + " with errors")

	b.SetValue("#estado", "NL")
	b.SetValue("#codigo_postal", "64000")
	b.Click("#acepto")
	b.ClickAndWait(conversionSubmit)
	folio := filedFolio(t, b, "RCP-")
	b.CheckA11y("/mi-cuenta/tramites with the conversion")
	b.ClickAndWait("table a.mono")
	if main := b.Text("main"); !strings.Contains(main, "Responsabilidad Compartida: conversión a pesos") ||
		!strings.Contains(main, "Nuevo León, C.P. 64000") || !strings.Contains(main, plan.NewBalance.String()) {
		t.Fatalf("the conversion's request page: %q", main)
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} conversion received")
	b.Navigate(base + conversionPath)
	if main := b.Text("main"); !strings.Contains(main, "Ya tienes una solicitud en trámite: folio "+folio) {
		t.Fatalf("%s with the conversion in course: %q", conversionPath, main)
	}
	noForm("with the conversion in course")
	b.CheckA11y(conversionPath + " with the conversion in course")

	// A supervisor checks it still qualifies and approves it.
	ob := supervisorOpens(t, s, "ines.supervisora@fondo.gob.mx", "Inés Supervisora", "RCP", folio, clock.Now())
	main := ob.Text("main")
	for _, want := range []string{"Veces Salario Mínimo (VSM)", "Cumple hoy las condiciones de Responsabilidad Compartida", "La conversión si se aprueba hoy",
		plan.NewBalance.String(), plan.Payment.String()} {
		if !strings.Contains(main, want) {
			t.Fatalf("the operator's conversion page lacks %q: %q", want, main)
		}
	}
	if strings.Contains(main, "Las cifras cambiaron") {
		t.Fatalf("the figures changed on the day they were accepted: %q", main)
	}
	ob.CheckA11y("/admin/tramites/{folio} conversion")
	approveRequest(t, ob, "/admin/tramites/{folio} conversion", "")

	// The borrower reads the figures applied, and sees the credit in pesos.
	b.Navigate(base + "/mi-cuenta/tramites/" + folio)
	if state := b.Text("main dl.summary-list dd strong"); state != "Aprobada" {
		t.Fatalf("the person's conversion: state %q", state)
	}
	main = b.Text("main")
	for _, want := range []string{"Tu crédito " + number + " está en pesos desde el " + opening.Spanish(), "quedó en " + plan.NewBalance.String(),
		"mensualidad fija de " + plan.Payment.String(), "aviso de modificación de descuentos"} {
		if !strings.Contains(main, want) {
			t.Fatalf("the approved conversion lacks %q: %q", want, main)
		}
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} conversion approved")
	b.Navigate(base + creditPath)
	main = b.Text("main")
	if strings.Contains(main, vsmHint) || !strings.Contains(b.Text("main dl.summary-list"), plan.Payment.String()) ||
		!strings.Contains(main, "Conversión a pesos") || !strings.Contains(main, "Descuento por Responsabilidad Compartida") {
		t.Fatalf("%s after the conversion: %q", creditPath, main)
	}
	b.CheckA11y(creditPath + " converted to pesos")
	b.Navigate(base + conversionPath)
	if main := b.Text("main"); !strings.Contains(main, "Tu crédito ya se convirtió a pesos el "+opening.Spanish()) {
		t.Fatalf("%s after the conversion: %q", conversionPath, main)
	}
	noForm("after the conversion")
	b.CheckA11y(conversionPath + " after the conversion")

	v := demoCredit(t, s.a, email)
	if c := v.Credit; c.Denomination != credit.DenomPesos || c.MonthlyPayment != plan.Payment || c.AnnualRateBP != plan.RateBP {
		t.Fatalf("the credit after the conversion: %s, payment %s, rate %d bp; want pesos, %s, %d bp", c.Denomination, c.MonthlyPayment, c.AnnualRateBP, plan.Payment, plan.RateBP)
	}
	if v.Summary.Balance != plan.NewBalance {
		t.Fatalf("the balance after the conversion: %s, want %s", v.Summary.Balance, plan.NewBalance)
	}
	var converted, discounted int
	for _, m := range v.Movements {
		switch m.Kind {
		case credit.KindConversion:
			converted++
		case credit.KindDescuentoRC:
			discounted++
			if m.Amount != -plan.Discount || m.ValueDate != opening {
				t.Fatalf("the discount in the ledger: %+v, want %s on %s", m, -plan.Discount, opening)
			}
		}
	}
	if converted != 1 || discounted != 1 {
		t.Fatalf("the ledger holds %d conversions and %d discounts, want 1 and 1", converted, discounted)
	}
}
