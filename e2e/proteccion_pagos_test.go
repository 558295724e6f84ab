package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/testutil/browser"
)

const fppSubmit = "form:has(input[value='fpp']) button[type=submit]"

// A borrower who lost their job asks for the Fondo de Protección de Pagos
// in Chromium — the protection page shows their payment split 90/10 and
// the six months covered; the form refuses a request without accepting
// the 10% at the field; the request is filed, and while it is in course
// neither measure can be asked for again — and a supervisor approves it
// in the back office, where the request shows the records it is decided
// on. The person then sees the request approved with what the fund pays,
// the credit page says the fund pays until the sixth month, the
// protection page refuses a second measure and says when the fund can be
// used again, and the ledger holds six payments of 90%. Every page is
// axe-clean.
func TestProteccionPagosInBrowser(t *testing.T) {
	s := startSites(t)
	seedPeople(t, s.a, 40, 27)
	ctx := context.Background()
	pid, email := jobless(t, s.a) // a payment of $4,354.17
	fund, own := portal.Money(3_918_75), portal.Money(435_42)
	base := s.base
	today := portal.DateOf(time.Now())
	first := portal.NewDate(today.Y, today.M, 1)
	covered := credit.ProtectionMonths(first, credit.FPPMonths) // "de diciembre de 2026 a mayo de 2027"
	lastCovered := portal.NewDate(today.Y, today.M+credit.FPPMonths, 1).AddDays(-1)
	again := portal.NewDate(today.Y+credit.FPPEveryYears, today.M, 1).MonthYear()

	b := browser.New(t)
	signIn(t, b, base, email, borrowerPassword)
	proveDevice(t, b, base)
	noForms := func(when string) {
		t.Helper()
		if browser.Eval[bool](b, `!!document.querySelector("main form[action='`+protectionPath+`']")`) {
			t.Fatalf("%s %s: a protection form is offered", protectionPath, when)
		}
	}

	b.Navigate(base + creditPath)
	b.CheckA11y(creditPath + " before the Fondo de Protección de Pagos")
	b.ClickAndWait("main a[href='" + protectionPath + "']")
	if main := b.Text("main"); !strings.Contains(main, "Puedes solicitar el Fondo de Protección de Pagos") {
		t.Fatalf("%s: %q", protectionPath, main)
	}
	figures := b.Text("main #fpp + .prose dl.summary-list")
	for _, want := range []string{"$4,354.17", "Pagaría el Fondo (90%)", fund.String(), own.String(), covered} {
		if !strings.Contains(figures, want) {
			t.Fatalf("the fund's figures lack %q: %q", want, figures)
		}
	}
	b.CheckA11y(protectionPath)

	// Not accepting the 10%: refused at the field.
	b.ClickAndWait(fppSubmit)
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("not accepting the 10%%: %q", b.Title())
	}
	if msg := b.Text("#acepto_fpp-error"); !strings.Contains(msg, "Confirma que pagarás el 10% de tu mensualidad ("+own.String()+")") {
		t.Fatalf("not accepting the 10%%: the field says %q", msg)
	}
	if !browser.Eval[bool](b, `document.getElementById("acepto_fpp").getAttribute("aria-describedby") === "acepto_fpp-error"`) {
		t.Fatal("#acepto_fpp is not described by its error")
	}
	b.CheckA11y(protectionPath + " with the fund's error")

	b.Click("#acepto_fpp")
	b.ClickAndWait(fppSubmit)
	folio := filedFolio(t, b, "FPP-")
	b.CheckA11y("/mi-cuenta/tramites with the Fondo de Protección de Pagos")
	b.ClickAndWait("table a.mono")
	if main := b.Text("main"); !strings.Contains(main, "Fondo de Protección de Pagos") || !strings.Contains(main, "Paga el Fondo (90%)") ||
		!strings.Contains(main, fund.String()) || !strings.Contains(main, own.String()) {
		t.Fatalf("request page: %q", main)
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} Fondo de Protección de Pagos received")
	// In course: neither measure can be asked for.
	b.Navigate(base + protectionPath)
	if main := b.Text("main"); strings.Count(main, "Ya tienes una solicitud en trámite: folio "+folio) != 2 {
		t.Fatalf("%s with the fund in course: %q", protectionPath, main)
	}
	noForms("with the fund in course")
	b.CheckA11y(protectionPath + " with the fund in course")

	// A supervisor approves it.
	ob := supervisorOpens(t, s, "rosa.supervisora@fondo.gob.mx", "Rosa Supervisora", "FPP", folio, time.Now())
	main := ob.Text("main")
	for _, want := range []string{"Condiciones hoy", "Sin relación laboral vigente", "Cumple hoy las condiciones",
		"Al aprobar se registran 6 pagos del Fondo de " + fund.String() + " (" + covered + ")"} {
		if !strings.Contains(main, want) {
			t.Fatalf("the operator's request page lacks %q: %q", want, main)
		}
	}
	ob.CheckA11y("/admin/tramites/{folio} Fondo de Protección de Pagos")
	approveRequest(t, ob, "/admin/tramites/{folio} Fondo de Protección de Pagos", "")

	// The person sees it approved, the fund paying, and no second measure.
	b.Navigate(base + "/mi-cuenta/tramites/" + folio)
	if state := b.Text("main dl.summary-list dd strong"); state != "Aprobada" {
		t.Fatalf("the person's request: state %q", state)
	}
	want := "El Fondo de Protección de Pagos cubre el 90% de tu mensualidad " + covered + ": paga " + fund.String() + " cada mes y tú pagas " +
		own.String() + " (el 10%). Lo podrás usar de nuevo a partir de " + again + "."
	if main := b.Text("main"); !strings.Contains(main, want) {
		t.Fatalf("request page after approval lacks %q: %q", want, main)
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} Fondo de Protección de Pagos approved")
	b.Navigate(base + creditPath)
	if summary := b.Text("main dl.summary-list"); !strings.Contains(summary, "Paga el 90% de tu mensualidad hasta "+lastCovered.MonthYear()) {
		t.Fatalf("credit page after approval: %q", summary)
	}
	if moves := b.Text("main"); !strings.Contains(moves, "Pago del Fondo de Protección de Pagos") {
		t.Fatalf("credit page after approval: no payment of the fund in %q", moves)
	}
	b.CheckA11y(creditPath + " with the Fondo de Protección de Pagos")
	b.Navigate(base + protectionPath)
	main = b.Text("main")
	if strings.Count(main, "El Fondo de Protección de Pagos cubre tus mensualidades hasta "+lastCovered.MonthYear()+": no se pueden usar dos medidas de protección a la vez.") != 2 ||
		!strings.Contains(main, "desde "+first.MonthYear()+"; de nuevo a partir de "+again) {
		t.Fatalf("%s after approval: %q", protectionPath, main)
	}
	noForms("after approval")
	b.CheckA11y(protectionPath + " with the Fondo de Protección de Pagos")

	moves, err := s.a.DB.CreditMovements(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	var months []portal.Date
	for _, m := range moves {
		if m.Kind == credit.KindFPP {
			if m.Amount != -fund {
				t.Fatalf("a payment of the fund of %s, want %s: %+v", -m.Amount, fund, m)
			}
			months = append(months, m.ValueDate)
		}
	}
	if len(months) != credit.FPPMonths || months[0] != portal.NewDate(today.Y, today.M+1, 1).AddDays(-1) || months[len(months)-1] != lastCovered {
		t.Fatalf("the fund's payments in the ledger: %v, want %d from the end of this month to %s", months, credit.FPPMonths, lastCovered)
	}
}
