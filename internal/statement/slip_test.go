package statement

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/testutil/need"
)

// slipPDFText extracts a PDF's text with pdftotext -layout, as the
// movements PDF's test does; without pdftotext the test is skipped, or
// fails under CI.
func slipPDFText(t *testing.T, pdf []byte) string {
	t.Helper()
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		need.Unavailable(t, "pdftotext", "install poppler-utils")
		return ""
	}
	path := filepath.Join(t.TempDir(), "ficha.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func testSlip(t *testing.T) Slip {
	t.Helper()
	ref, err := credit.PaymentReference("1234567890")
	if err != nil {
		t.Fatal(err)
	}
	return Slip{
		Name:           "María Fernanda Muñoz Peña",
		CreditNumber:   "1234567890",
		Reference:      ref,
		MonthlyPayment: portal.Pesos(4321, 9),
		Payoff:         portal.Pesos(1234567, 89),
		Arrears:        portal.Pesos(8642, 18),
		DueDate:        portal.NewDate(2026, time.December, 17),
		// 03:30 UTC on 3 December is 21:30 on 2 December in Mexico City.
		Generated: time.Date(2026, time.December, 3, 3, 30, 0, 0, time.UTC),
	}
}

func renderSlip(t *testing.T, s Slip) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := PaymentSlip(&buf, s); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	return buf.Bytes()
}

// The slip's text, extracted with pdftotext: accents and ñ, the grouped
// reference, the amounts to the centavo, the due date, where to pay.
func TestPaymentSlipPDF(t *testing.T) {
	text := slipPDFText(t, renderSlip(t, testSlip(t)))
	for _, want := range []string{
		"Ficha de pago de tu crédito",
		"Fondo Nacional de Vivienda para los Trabajadores",
		"María Fernanda Muñoz Peña",
		"Número de crédito: 1234567890",
		"Referencia de pago",
		"1234 5678 9092",
		"Mensualidad", "$4,321.09",
		"Pago para estar al corriente", "$8,642.18",
		"Saldo para liquidar hoy", "$1,234,567.89",
		"Cuánto pagar al 2 dic 2026",
		"Fecha límite de tu próximo pago: 17 de diciembre de 2026",
		"Dónde pagar",
		"Transferencia o ventanilla bancaria",
		"CLABE 021180550300050811 (HSBC)",
		"Referencia numérica: 5503",
		"Concepto: tu número de crédito, 1234567890",
		"Tiendas autorizadas",
		"Pago mínimo de $50.00, sin comisión.",
		"Da tu referencia de pago: 1234 5678 9092",
		"En Mi Cuenta > Mi crédito > Pagar.",
		"Este documento no es un comprobante de pago.",
		"Generada el 2 dic 2026 a las 21:30 (hora del centro de México).",
		"Página 1 de 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the slip lacks %q:\n%s", want, text)
		}
	}
	for _, accent := range []string{"ó", "í", "á", "ñ", "é"} {
		if !strings.Contains(text, accent) {
			t.Errorf("the slip lost %q", accent)
		}
	}
	if strings.Contains(text, "Estás al corriente") {
		t.Error("a borrower in arrears is told they are current")
	}
	if pages := strings.Count(text, "\f"); pages != 1 {
		t.Errorf("%d pages, want 1", pages)
	}
}

// A current borrower sees $0.00 to be up to date and is told so; with no
// due date the line is left out; a very long name is wrapped, whole, and
// the slip stays on one page.
func TestPaymentSlipCurrentBorrower(t *testing.T) {
	s := testSlip(t)
	s.Arrears = 0
	s.DueDate = portal.Date{}
	s.Name = strings.Repeat("José Ñúñez Gutiérrez ", 12)
	text := slipPDFText(t, renderSlip(t, s))
	for _, want := range []string{"Pago para estar al corriente", "$0.00", "Estás al corriente con tus pagos.", "Página 1 de 1",
		"Titular del crédito: José Ñúñez Gutiérrez", "Gutiérrez José Ñúñez Gutiérrez"} {
		if !strings.Contains(text, want) {
			t.Errorf("the slip lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Fecha límite") {
		t.Error("a due date line with no date")
	}
	if pages := strings.Count(text, "\f"); pages != 1 {
		t.Errorf("%d pages, want 1", pages)
	}
	if n := strings.Count(text, "Ñúñez"); n != 12 {
		t.Errorf("the name was cut: %d of 12 repetitions", n)
	}
}

// A slip is never printed with a reference that does not check out or
// that belongs to another credit.
func TestPaymentSlipRefusesWrongReference(t *testing.T) {
	other, err := credit.PaymentReference("1234567891")
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"", "123456789093", "123456789029", "1234 5678 909", other} {
		s := testSlip(t)
		s.Reference = ref
		var buf bytes.Buffer
		if err := PaymentSlip(&buf, s); err == nil {
			t.Errorf("reference %q: a slip was rendered for credit %s", ref, s.CreditNumber)
		}
		if buf.Len() != 0 {
			t.Errorf("reference %q: %d bytes written", ref, buf.Len())
		}
	}
	s := testSlip(t)
	s.Reference = "1234-5678-9092" // typed with separators: still this credit's
	if err := PaymentSlip(&bytes.Buffer{}, s); err != nil {
		t.Error(err)
	}
}

// The same slip gives the same bytes.
func TestPaymentSlipIsStable(t *testing.T) {
	s := testSlip(t)
	if !bytes.Equal(renderSlip(t, s), renderSlip(t, s)) {
		t.Fatal("two renders of the same slip differ")
	}
}
