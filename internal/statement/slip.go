package statement

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
)

// Where a credit is paid without payroll deduction (domain.md §10.7).
const (
	slipBank          = "HSBC"
	slipCLABE         = "021180550300050811"
	slipBankReference = "5503"
)

// slipStoreMinimum is the smallest payment authorised stores take.
var slipStoreMinimum = portal.Pesos(50, 0)

// Slip is what the payment slip shows: who pays, for which credit, how
// much, and the reference that ties the money to the credit.
type Slip struct {
	Name           string // borrower's full name
	CreditNumber   string
	Reference      string // 12 digits (credit.PaymentReference)
	MonthlyPayment portal.Money
	Payoff         portal.Money // amount to settle today
	Arrears        portal.Money // to be up to date (0 when current)
	DueDate        portal.Date  // next payment due; zero to leave it out
	Generated      time.Time
}

// PaymentSlip renders the one-page payment slip of a credit. It refuses a
// reference that does not check out or that belongs to another credit, so
// a slip never tells anyone to pay to the wrong reference.
func PaymentSlip(w io.Writer, s Slip) error {
	cn, err := credit.ParseReference(s.Reference)
	if err != nil {
		return fmt.Errorf("statement: slip for credit %q: reference %q: %w", s.CreditNumber, s.Reference, err)
	}
	if cn != s.CreditNumber {
		return fmt.Errorf("statement: slip for credit %q: reference %q is credit %q's", s.CreditNumber, s.Reference, cn)
	}
	ref := credit.FormatReference(s.Reference)

	const title = "Ficha de pago de tu crédito"
	pdf := newDoc(title, s.Generated)
	pdf.AddPage()
	pdf.SetTextColor(105, 28, 50)
	pdf.SetFont("go", "B", 15)
	pdf.CellFormat(0, 9, title, "", 1, "L", false, 0, "")
	pdf.SetFont("go", "", 10)
	pdf.CellFormat(0, 6, "Fondo Nacional de Vivienda para los Trabajadores", "", 1, "L", false, 0, "")
	pdf.Ln(3)

	pdf.SetTextColor(33, 33, 33)
	pdf.SetFont("go", "", 10)
	pdf.MultiCell(0, 6, "Titular del crédito: "+s.Name, "", "L", false) // wrapped, never cut
	pdf.CellFormat(0, 6, "Número de crédito: "+s.CreditNumber, "", 1, "L", false, 0, "")
	pdf.Ln(4)

	// The reference, big, in a shaded box.
	pdf.SetFont("go", "B", 10)
	pdf.CellFormat(0, 6, "Referencia de pago", "", 1, "L", false, 0, "")
	pdf.SetFillColor(244, 242, 239)
	pdf.SetDrawColor(105, 28, 50)
	pdf.SetLineWidth(0.4)
	pdf.SetFont("go", "B", 24)
	pdf.CellFormat(0, 16, ref, "1", 1, "C", true, 0, "")
	pdf.SetLineWidth(0.2)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetFont("go", "", 9)
	pdf.CellFormat(0, 6, "Revisa cada número al dar tu referencia: con uno cambiado, el pago no se acepta.", "", 1, "L", false, 0, "")
	pdf.Ln(4)

	// The amounts.
	issued := s.Generated.In(portal.MexicoCity)
	pdf.SetFont("go", "B", 11)
	pdf.CellFormat(0, 7, "Cuánto pagar al "+portal.DateOf(issued).Spanish(), "", 1, "L", false, 0, "")
	widths := []float64{120, 54}
	pdf.SetFont("go", "B", 9)
	pdf.SetFillColor(244, 242, 239)
	pdf.CellFormat(widths[0], 7, "Concepto", "B", 0, "L", true, 0, "")
	pdf.CellFormat(widths[1], 7, "Importe", "B", 1, "R", true, 0, "")
	pdf.SetFont("go", "", 10)
	for _, row := range []struct {
		label  string
		amount portal.Money
	}{
		{"Mensualidad", s.MonthlyPayment},
		{"Pago para estar al corriente", s.Arrears},
		{"Saldo para liquidar hoy", s.Payoff},
	} {
		pdf.CellFormat(widths[0], 7, row.label, "", 0, "L", false, 0, "")
		pdf.CellFormat(widths[1], 7, row.amount.String(), "", 1, "R", false, 0, "")
	}
	if s.Arrears <= 0 {
		pdf.SetFont("go", "", 9)
		pdf.CellFormat(0, 6, "Estás al corriente con tus pagos.", "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)
	if !s.DueDate.IsZero() {
		pdf.SetFont("go", "B", 10)
		pdf.CellFormat(0, 7, "Fecha límite de tu próximo pago: "+slipDate(s.DueDate), "", 1, "L", false, 0, "")
	}
	pdf.Ln(4)

	// Where to pay.
	pdf.SetTextColor(105, 28, 50)
	pdf.SetFont("go", "B", 12)
	pdf.CellFormat(0, 8, "Dónde pagar", "", 1, "L", false, 0, "")
	pdf.SetTextColor(33, 33, 33)
	for _, way := range []struct {
		heading string
		lines   []string
	}{
		{"1) Transferencia o ventanilla bancaria", []string{
			"CLABE " + slipCLABE + " (" + slipBank + ")",
			"Referencia numérica: " + slipBankReference,
			"Concepto: tu número de crédito, " + s.CreditNumber,
		}},
		{"2) Tiendas autorizadas", []string{
			"Pago mínimo de " + slipStoreMinimum.String() + ", sin comisión.",
			"Da tu referencia de pago: " + ref,
		}},
		{"3) En línea", []string{
			"En Mi Cuenta > Mi crédito > Pagar.",
		}},
	} {
		pdf.SetFont("go", "B", 10)
		pdf.CellFormat(0, 6, way.heading, "", 1, "L", false, 0, "")
		pdf.SetFont("go", "", 10)
		for _, line := range way.lines {
			pdf.SetX(24)
			pdf.CellFormat(0, 5.5, line, "", 1, "L", false, 0, "")
		}
		pdf.Ln(2)
	}

	// The notice, at the foot of the page above the page footer.
	pdf.SetY(-32)
	pdf.SetFont("go", "B", 9)
	pdf.CellFormat(0, 5, "Este documento no es un comprobante de pago.", "", 1, "L", false, 0, "")
	pdf.SetFont("go", "", 8)
	pdf.SetTextColor(84, 84, 84)
	pdf.CellFormat(0, 5, "Generada el "+portal.DateOf(issued).Spanish()+" a las "+issued.Format("15:04")+" (hora del centro de México).", "", 1, "L", false, 0, "")

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// slipDate writes a date in full: "17 de diciembre de 2026".
func slipDate(d portal.Date) string {
	return fmt.Sprintf("%d de %s de %d", d.D, portal.MonthName(d.M), d.Y)
}
