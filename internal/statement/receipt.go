package statement

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"micuenta/internal/portal"
)

// Receipt is what the receipt of a payment to a credit shows.
type Receipt struct {
	Name, CreditNumber string
	PaymentID          string // the processor's id of the payment: the "número de operación"
	IntentID           string // ours: the "referencia del pago" the portal showed
	Amount             portal.Money
	PaidAt             time.Time
	Method             string // e.g. "Pago en línea"
	BalanceAfter       portal.Money
	Folio              string // verification folio, given by the caller
	Generated          time.Time
}

// check refuses a receipt that would not prove a payment.
func (r *Receipt) check() error {
	switch {
	case r.Amount <= 0:
		return fmt.Errorf("amount %s", r.Amount)
	case strings.TrimSpace(r.PaymentID) == "":
		return errors.New("no payment id")
	case strings.TrimSpace(r.CreditNumber) == "":
		return errors.New("no credit number")
	case r.PaidAt.IsZero():
		return errors.New("no payment time")
	case strings.TrimSpace(r.Folio) == "":
		return errors.New("no verification folio")
	}
	return nil
}

// WriteReceipt renders the one-page receipt of a payment to a credit: the
// amount, when it was paid (hour of Mexico City), the credit, the
// processor's operation number, the balance after the payment, and the
// verification folio. It refuses a receipt with no amount, payment id,
// credit number, payment time or folio.
func WriteReceipt(w io.Writer, r Receipt) error {
	if err := r.check(); err != nil {
		return fmt.Errorf("statement: receipt for credit %q, payment %q: %w", r.CreditNumber, r.PaymentID, err)
	}
	const title = "Comprobante de pago"
	pdf := newDoc(title, r.Generated)
	verifiedFooter(pdf, title, r.Folio, r.Generated)
	pdf.AddPage()
	pdf.SetTextColor(105, 28, 50)
	pdf.SetFont("go", "B", 15)
	pdf.CellFormat(0, 9, title, "", 1, "L", false, 0, "")
	pdf.SetFont("go", "", 10)
	pdf.CellFormat(0, 6, fundName, "", 1, "L", false, 0, "")
	pdf.Ln(5)

	// The amount, big, in a shaded box.
	pdf.SetTextColor(33, 33, 33)
	pdf.SetFont("go", "B", 10)
	pdf.CellFormat(0, 6, "Importe pagado", "", 1, "L", false, 0, "")
	pdf.SetFillColor(244, 242, 239)
	pdf.SetDrawColor(105, 28, 50)
	pdf.SetLineWidth(0.4)
	pdf.SetFont("go", "B", 26)
	pdf.CellFormat(0, 18, r.Amount.String(), "1", 1, "C", true, 0, "")
	pdf.SetLineWidth(0.2)
	pdf.SetDrawColor(0, 0, 0)
	pdf.Ln(6)

	// The details, label and value.
	paid := r.PaidAt.In(portal.MexicoCity)
	rows := [][2]string{
		{"Titular del crédito", r.Name},
		{"Número de crédito", r.CreditNumber},
		{"Fecha y hora del pago", slipDate(portal.DateOf(paid)) + " a las " + paid.Format("15:04") + " (hora del centro de México)"},
	}
	if r.Method != "" {
		rows = append(rows, [2]string{"Forma de pago", r.Method})
	}
	rows = append(rows, [2]string{"Número de operación", r.PaymentID})
	if r.IntentID != "" {
		rows = append(rows, [2]string{"Referencia del pago", r.IntentID})
	}
	rows = append(rows, [2]string{"Saldo después del pago", r.BalanceAfter.String()})
	const labelW = 50
	for _, row := range rows {
		pdf.SetFont("go", "", 10)
		pdf.CellFormat(labelW, 7, row[0]+":", "", 0, "L", false, 0, "")
		pdf.SetFont("go", "B", 10)
		pdf.MultiCell(0, 7, row[1], "", "L", false) // a long name wraps, never cut
	}
	pdf.Ln(6)
	pdf.SetFont("go", "", 9)
	pdf.SetTextColor(84, 84, 84)
	pdf.MultiCell(0, 5, "Conserva este comprobante. El pago aparece en los movimientos de tu crédito, en Mi Cuenta > Mi crédito. "+
		"Con el folio de verificación, el Fondo puede confirmar que este documento es auténtico.", "", "L", false)

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
