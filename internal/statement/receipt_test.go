package statement

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"micuenta/internal/portal"
)

func testReceipt() Receipt {
	return Receipt{
		Name:         "María Fernanda Muñoz Peña",
		CreditNumber: "1234567890",
		PaymentID:    "pay_7Hq2ZkXw91",
		IntentID:     "int-3f9c2a",
		Amount:       portal.Pesos(12345, 67),
		// 23:59:40 UTC on 1 December is 17:59 in Mexico City.
		PaidAt:       time.Date(2026, time.December, 1, 23, 59, 40, 0, time.UTC),
		Method:       "Pago en línea",
		BalanceAfter: portal.Pesos(491062, 33),
		Folio:        "CP-2026-000042-Ñ",
		Generated:    testGenerated,
	}
}

func renderReceipt(t *testing.T, r Receipt) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteReceipt(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	return buf.Bytes()
}

func TestReceiptPDF(t *testing.T) {
	text := slipPDFText(t, renderReceipt(t, testReceipt()))
	for _, want := range []string{
		"Comprobante de pago",
		"Fondo Nacional de Vivienda para los Trabajadores",
		"Importe pagado", "$12,345.67",
		"María Fernanda Muñoz Peña",
		"1 de diciembre de 2026 a las 17:59 (hora del centro de México)",
		"Pago en línea",
		"pay_7Hq2ZkXw91",
		"int-3f9c2a",
		"$491,062.33",
		"Folio de verificación: CP-2026-000042-Ñ",
		"Generado el 2 dic 2026 a las 21:30 (hora del centro de México)",
		"Página 1 de 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, text)
		}
	}
	for _, re := range []string{
		`Titular del crédito:\s+María Fernanda Muñoz Peña`,
		`Número de crédito:\s+1234567890`,
		`Fecha y hora del pago:\s+1 de diciembre de 2026 a las 17:59`,
		`Forma de pago:\s+Pago en línea`,
		`Número de operación:\s+pay_7Hq2ZkXw91`,
		`Referencia del pago:\s+int-3f9c2a`,
		`Saldo después del pago:\s+\$491,062\.33`,
	} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("the receipt lacks /%s/:\n%s", re, text)
		}
	}
	if pages := strings.Count(text, "\f"); pages != 1 {
		t.Errorf("%d pages, want 1", pages)
	}
}

// Without a method or our own reference those lines are left out; a very
// long name wraps whole and the receipt stays on one page.
func TestReceiptOptionalLinesAndLongName(t *testing.T) {
	r := testReceipt()
	r.Method, r.IntentID = "", ""
	r.Name = strings.Repeat("José Ñúñez Gutiérrez ", 12)
	text := slipPDFText(t, renderReceipt(t, r))
	for _, absent := range []string{"Forma de pago", "Referencia del pago"} {
		if strings.Contains(text, absent) {
			t.Errorf("the receipt shows %q", absent)
		}
	}
	if n := strings.Count(text, "Ñúñez"); n != 12 {
		t.Errorf("the name was cut: %d of 12 repetitions", n)
	}
	if pages := strings.Count(text, "\f"); pages != 1 {
		t.Errorf("%d pages, want 1", pages)
	}
}

// A receipt that would not prove a payment is refused, and nothing is
// written.
func TestReceiptRefusesIncomplete(t *testing.T) {
	for name, spoil := range map[string]func(r *Receipt){
		"no amount":       func(r *Receipt) { r.Amount = 0 },
		"negative amount": func(r *Receipt) { r.Amount = -100 },
		"no payment id":   func(r *Receipt) { r.PaymentID = " " },
		"no credit":       func(r *Receipt) { r.CreditNumber = "" },
		"no time":         func(r *Receipt) { r.PaidAt = time.Time{} },
		"no folio":        func(r *Receipt) { r.Folio = "" },
	} {
		r := testReceipt()
		spoil(&r)
		var buf bytes.Buffer
		if err := WriteReceipt(&buf, r); err == nil {
			t.Errorf("%s: rendered", name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: %d bytes written", name, buf.Len())
		}
	}
}

// The same receipt gives the same bytes.
func TestReceiptIsStable(t *testing.T) {
	if !bytes.Equal(renderReceipt(t, testReceipt()), renderReceipt(t, testReceipt())) {
		t.Fatal("two renders of the same receipt differ")
	}
}
