package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/credit"
	"micuenta/internal/payment"
	"micuenta/internal/portal"
)

func demoCredit(t *testing.T, a *app.App, email string) (*credit.View, int64) {
	t.Helper()
	ctx := context.Background()
	acc, err := a.DB.FindAccountByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Credits.Mine(ctx, acc.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	return v, acc.PersonID
}

func TestCreditPages(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, email, password := portalFor(t, engine)
			b := signedIn(t, a, email, password)
			v, pid := demoCredit(t, a, email)
			var sum portal.Money
			for _, m := range v.Movements {
				sum += m.Amount
			}
			body := b.do("GET", "/mi-cuenta/credito", nil).Body.String()
			if !strings.Contains(body, v.Credit.Number) || (v.Credit.Denomination == credit.DenomPesos && !strings.Contains(body, sum.String())) {
				t.Fatalf("summary: balance %s not shown", sum)
			}
			for _, bad := range []string{"?anio=1800", "?tipo=nada", "?pagina=x"} {
				if rec := b.do("GET", "/mi-cuenta/credito"+bad, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), "error-summary") {
					t.Errorf("%s: %d", bad, rec.Code)
				}
			}
			interest := b.do("GET", "/mi-cuenta/credito?tipo=interes", nil).Body.String()
			if strings.Contains(interest, "<td>Pago directo</td>") || !strings.Contains(interest, "<td>Intereses</td>") {
				t.Fatal("the type filter lets other kinds through")
			}
			rec := b.do("GET", "/mi-cuenta/credito/movimientos.csv", nil)
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rec.Body.Bytes(), []byte("\xef\xbb\xbf")))).ReadAll()
			if err != nil || len(rows) != len(v.Movements)+1 {
				t.Fatalf("CSV: %d rows for %d movements (%v)", len(rows), len(v.Movements), err)
			}
			if slip := b.do("GET", "/mi-cuenta/credito/ficha-de-pago.pdf", nil); slip.Code != 200 || !bytes.HasPrefix(slip.Body.Bytes(), []byte("%PDF-")) {
				t.Fatalf("slip: %d", slip.Code)
			}
			ref, _ := credit.PaymentReference(v.Credit.Number)
			if how := b.do("GET", "/mi-cuenta/credito/como-pagar", nil).Body.String(); !strings.Contains(how, credit.FormatReference(ref)) {
				t.Fatal("how to pay lacks the reference")
			}
			// Statements: the list, last month's, the historical one; a month
			// that has not ended and one before the credit began say so.
			list := b.do("GET", "/mi-cuenta/credito/estados-de-cuenta", nil).Body.String()
			last := portal.NewDate(v.Today.Y, v.Today.M-1, 1)
			lastPath := fmt.Sprintf("/mi-cuenta/credito/estados-de-cuenta/%04d-%02d.pdf", last.Y, int(last.M))
			if !strings.Contains(list, lastPath) || !strings.Contains(list, "historico.pdf") {
				t.Fatal("the statements list lacks last month or the historical one")
			}
			for _, path := range []string{lastPath, "/mi-cuenta/credito/estados-de-cuenta/historico.pdf"} {
				if rec := b.do("GET", path, nil); rec.Code != 200 || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF-")) {
					t.Fatalf("%s: %d", path, rec.Code)
				}
			}
			this := fmt.Sprintf("/mi-cuenta/credito/estados-de-cuenta/%04d-%02d.pdf", v.Today.Y, int(v.Today.M))
			for path, want := range map[string]string{this: "cuando termine el mes", "/mi-cuenta/credito/estados-de-cuenta/1960-01.pdf": "no tiene movimientos antes",
				"/mi-cuenta/credito/estados-de-cuenta/2026-13.pdf": "no existe", "/mi-cuenta/credito/estados-de-cuenta/noviembre": "no existe"} {
				rec := b.do("GET", path, nil)
				if rec.Code != 404 || !strings.Contains(rec.Body.String(), want) {
					t.Errorf("%s: %d", path, rec.Code)
				}
			}
			// A reference typed in is checked: its check digits, and that it
			// is this person's.
			checks := map[string]string{credit.FormatReference(ref): "es correcta y es la de tu crédito",
				ref[:11] + string('0'+(ref[11]-'0'+1)%10): "no es válida", "123": "tiene 12 números"}
			otherRef, _ := credit.PaymentReference("0000000001")
			checks[otherRef] = "no es la de tu crédito"
			for typed, want := range checks {
				if body := b.do("GET", "/mi-cuenta/credito/como-pagar?referencia="+url.QueryEscape(typed), nil).Body.String(); !strings.Contains(body, want) {
					t.Errorf("reference %q: want %q", typed, want)
				}
			}
			// Another person's credit number in the URL is a 404, never their data.
			others, _ := a.DB.CreditsOf(context.Background(), otherWithCredit(t, a, pid))
			if rec := b.do("GET", "/mi-cuenta/credito?credito="+others[0].Number, nil); rec.Code != 404 || strings.Contains(rec.Body.String(), others[0].Number) {
				t.Fatalf("someone else's credit number: %d", rec.Code)
			}
			if rec := b.do("GET", "/mi-cuenta/credito?credito="+v.Credit.Number, nil); rec.Code != 200 {
				t.Fatalf("one's own credit number: %d", rec.Code)
			}
			// A paid-off credit has no payment slip to print.
			if paidOff := personWhoseCreditIs(t, a, credit.StateLiquidado, pid); paidOff != 0 {
				if rec := accountFor(t, a, paidOff).do("GET", "/mi-cuenta/credito/ficha-de-pago.pdf", nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), "liquidado") {
					t.Fatalf("slip of a paid-off credit: %d", rec.Code)
				}
			} else {
				t.Fatal("no paid-off credit in the sample")
			}
			// Someone without a credit gets a clear answer, not someone else's.
			other := accountFor(t, a, firstWithoutCredit(t, a, pid))
			if rec := other.do("GET", "/mi-cuenta/credito", nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), "No tienes un crédito") {
				t.Fatalf("no credit: %d", rec.Code)
			}
		})
	}
}

func firstWithoutCredit(t *testing.T, a *app.App, not int64) int64 {
	t.Helper()
	for id := int64(1); id < 150; id++ {
		if cs, _ := a.DB.CreditsOf(context.Background(), id); len(cs) == 0 && id != not {
			if _, err := a.DB.FindAccountByPerson(context.Background(), id); err != nil {
				return id
			}
		}
	}
	t.Fatal("everyone has a credit")
	return 0
}

// Paying online through the demo's sandbox processor: bad amounts are
// refused at the field; a paid notice posts the payment once, however
// often it arrives; a bad signature, a stale notice and an amount that
// differs post nothing.
func TestPayingOnline(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, email, password := portalFor(t, engine)
			ctx := context.Background()
			b := signedIn(t, a, email, password)
			v, _ := demoCredit(t, a, email)
			if rec := b.do("GET", "/mi-cuenta/credito/pagar", nil); rec.Code != 200 {
				t.Fatalf("pay page: %d", rec.Code)
			}
			over := (v.Summary.Payoff + 1).Decimal()
			for _, typed := range []string{"cien pesos", "0", "-5", "12.345", over, "10"} {
				rec := b.do("POST", "/mi-cuenta/credito/pagar", url.Values{"concepto": {"otro"}, "importe": {typed}})
				if rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#importe"`) {
					t.Errorf("%q: %d", typed, rec.Code)
				}
			}
			rec := b.do("POST", "/mi-cuenta/credito/pagar", url.Values{"concepto": {"otro"}, "importe": {"1,500.00"}})
			loc := rec.Header().Get("Location")
			if rec.Code != http.StatusSeeOther || !strings.Contains(loc, "/pagos/sandbox/pay_") {
				t.Fatalf("start: %d %s", rec.Code, loc)
			}
			intent := loc[strings.LastIndex(loc, "/")+1:]
			ledger := func() (n int, total portal.Money) {
				moves, _ := a.DB.CreditMovements(ctx, v.Credit.ID)
				for _, m := range moves {
					if m.Kind == credit.KindPagoDirecto && m.Amount == -150_000 && m.Period == v.Today.Y*100+int(v.Today.M) {
						n++
					}
					total += m.Amount
				}
				return n, total
			}
			_, before := ledger()
			deliver := func(body []byte, sig string) int {
				req := httptest.NewRequest("POST", "/pagos/notificaciones", bytes.NewReader(body))
				req.Header.Set(payment.SignatureHeader, sig)
				rec := httptest.NewRecorder()
				a.Site.ServeHTTP(rec, req)
				return rec.Code
			}
			in := payment.Intent{ID: intent, Amount: 150_000}
			body, sig := a.Sandbox.Complete(in, payment.StatusPaid, time.Now())
			if code := deliver(body, strings.Replace(sig, "v1=", "v1=00", 1)); code != http.StatusUnauthorized {
				t.Fatalf("bad signature: %d", code)
			}
			stale, staleSig := a.Sandbox.Complete(in, payment.StatusPaid, time.Now().Add(-10*time.Minute))
			if code := deliver(stale, staleSig); code != http.StatusUnauthorized {
				t.Fatalf("stale notice: %d", code)
			}
			for i := 0; i < 3; i++ {
				if code := deliver(body, sig); code != http.StatusOK {
					t.Fatalf("notice %d: %d", i, code)
				}
			}
			if n, after := ledger(); n != 1 || after != before-150_000 {
				t.Fatalf("posted %d times; balance %s → %s", n, before, after)
			}
			page := b.do("GET", "/mi-cuenta/credito/pagos/"+intent, nil).Body.String()
			if !strings.Contains(page, "Recibimos tu pago de $1,500.00") {
				t.Fatal("the return page does not confirm the payment")
			}
			if inbox := b.do("GET", "/mi-cuenta/notificaciones", nil).Body.String(); !strings.Contains(inbox, "Recibimos tu pago de $1,500.00") {
				t.Fatal("no notice of the payment")
			}
			// An amount that differs from the one asked is held for review.
			rec = b.do("POST", "/mi-cuenta/credito/pagar", url.Values{"concepto": {"mensualidad"}})
			loc = rec.Header().Get("Location")
			second := loc[strings.LastIndex(loc, "/")+1:]
			body, sig = a.Sandbox.Complete(payment.Intent{ID: second, Amount: 99}, payment.StatusPaid, time.Now())
			if code := deliver(body, sig); code != http.StatusOK {
				t.Fatalf("mismatched notice: %d", code)
			}
			if op, _ := a.Payments.Lookup(ctx, second); op.State != credit.PaymentReview {
				t.Fatalf("mismatched amount: state %s", op.State)
			}
			if _, after := ledger(); after != before-150_000 {
				t.Fatal("a mismatched amount was posted")
			}
			// A notice for a payment never started.
			body, sig = a.Sandbox.Complete(payment.Intent{ID: payment.NewIntentID(), Amount: 100}, payment.StatusPaid, time.Now())
			if code := deliver(body, sig); code != http.StatusNotFound {
				t.Fatalf("unknown payment: %d", code)
			}
			// The sandbox page plays the processor for the demo: paying there
			// posts through the same signed notice.
			rec = b.do("POST", "/mi-cuenta/credito/pagar", url.Values{"concepto": {"otro"}, "importe": {"321.00"}})
			loc = rec.Header().Get("Location")
			third := loc[strings.LastIndex(loc, "/")+1:]
			if page := b.do("GET", "/pagos/sandbox/"+third, nil); page.Code != 200 || !strings.Contains(page.Body.String(), "$321.00") {
				t.Fatalf("sandbox page: %d", page.Code)
			}
			if rec := b.do("POST", "/pagos/sandbox/"+third, url.Values{"accion": {"pagar"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("sandbox pay: %d", rec.Code)
			}
			if op, _ := a.Payments.Lookup(ctx, third); op.State != credit.PaymentPaid {
				t.Fatalf("after the sandbox: %s", op.State)
			}
			if rec := b.do("GET", "/mi-cuenta/credito/pagos/"+third+"/comprobante.pdf", nil); rec.Code != 200 || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF-")) {
				t.Fatalf("receipt: %d", rec.Code)
			}
			if rec := b.do("GET", "/mi-cuenta/credito/pagos/"+second+"/comprobante.pdf", nil); rec.Code != 404 {
				t.Fatalf("receipt of a payment held for review: %d", rec.Code)
			}
			// Another person's payment page is a 404.
			other := accountFor(t, a, v.Credit.PersonID+1)
			if code := other.do("GET", "/mi-cuenta/credito/pagos/"+intent, nil).Code; code != 404 {
				t.Fatalf("someone else's payment: %d", code)
			}
		})
	}
}

func otherWithCredit(t *testing.T, a *app.App, not int64) int64 {
	t.Helper()
	for id := int64(1); id < 150; id++ {
		if cs, _ := a.DB.CreditsOf(context.Background(), id); len(cs) > 0 && id != not {
			return id
		}
	}
	t.Fatal("nobody else has a credit")
	return 0
}

// personWhoseCreditIs finds someone (other than not) whose only credit is
// in state.
func personWhoseCreditIs(t *testing.T, a *app.App, state string, not int64) int64 {
	t.Helper()
	for id := int64(1); id < 150; id++ {
		if cs, _ := a.DB.CreditsOf(context.Background(), id); len(cs) == 1 && cs[0].State == state && id != not {
			if _, err := a.DB.FindAccountByPerson(context.Background(), id); err != nil {
				return id
			}
		}
	}
	return 0
}

// A credit granted today has no movements yet: its statements page offers
// no historical statement (whose link would answer "no movements"), and
// asking for it anyway says why.
func TestStatementsOfACreditWithoutMovements(t *testing.T) {
	a, _, _ := portalFor(t, "sqlite")
	ctx := context.Background()
	pid := newcomer(t, a)
	c := credit.Credit{Number: "2690000077", PersonID: pid, Product: "infonavit", Denomination: credit.DenomPesos,
		Origination: portal.DateOf(time.Now()), OriginalAmount: 514_500_00, AnnualRateBP: 659, TermMonths: 240, MonthlyPayment: 3_863_29,
		DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 3_863_29, State: credit.StateVigente}
	if err := a.DB.CreateCredit(ctx, &c); err != nil {
		t.Fatal(err)
	}
	b := accountFor(t, a, pid)
	rec := b.do("GET", "/mi-cuenta/credito/estados-de-cuenta", nil)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "historico.pdf") || !strings.Contains(rec.Body.String(), "Aún no hay estados de cuenta mensuales") {
		t.Fatalf("statements page: %d\n%s", rec.Code, rec.Body.String())
	}
	if rec := b.do("GET", "/mi-cuenta/credito/estados-de-cuenta/historico.pdf", nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), "todavía no tiene movimientos") {
		t.Fatalf("historical statement: %d", rec.Code)
	}
}
