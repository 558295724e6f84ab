package statement

import (
	"fmt"
	"io"
	"strings"

	"micuenta/internal/portal"
)

// CancellationLetter is what the carta de instrucción de cancelación de
// hipoteca shows. Everything but Verified is the document's input.
type CancellationLetter struct {
	Name         string
	CreditNumber string
	Origination  portal.Date // zero: not known
	SettledOn    portal.Date // zero: not known (settled before the ledger begins)
	Verified     Verified    `json:"-"`
}

// LiquidationSteps are the four steps after paying off a credit
// (domain.md §9.1), as the letter and the page list them.
var LiquidationSteps = []struct{ Title, Detail string }{
	{"Confirma que tu saldo es cero", "En Mi Cuenta > Mi crédito, tu saldo debe ser $0.00 y tu crédito aparecer como liquidado."},
	{"Entrega el aviso de suspensión de descuentos a tu patrón", "Descárgalo en Mi Cuenta > Mi crédito > Avisos para tu patrón, para que deje de descontarte."},
	{"Solicita la cancelación de tu hipoteca", "Entrega esta carta, con tu escritura, a la notaría que elijas de la lista del Fondo o al Registro Público de la Propiedad de tu estado, antes de que venza."},
	{"Recoge tus escrituras", "Si tu crédito se otorgó entre 1972 y 2007, el Fondo las resguarda: solicítalas en Mi Cuenta, en Infonatel o en un Centro de Servicio. Si es de 2008 en adelante, están con la notaría que firmó tu escritura."},
}

// WriteCancellationLetter renders the carta de instrucción de cancelación
// de hipoteca of a paid-off credit. It needs the letter's validity.
func WriteCancellationLetter(w io.Writer, l *CancellationLetter) error {
	if l == nil || strings.TrimSpace(l.CreditNumber) == "" || strings.TrimSpace(l.Name) == "" {
		return fmt.Errorf("statement: incomplete carta de cancelación")
	}
	if l.Verified.ValidUntil.IsZero() {
		return fmt.Errorf("statement: carta de cancelación of credit %s without validity", l.CreditNumber)
	}
	const title = "Carta de instrucción de cancelación de hipoteca"
	return writeIssued(w, title, l.Verified, func(p *pen, _ func()) {
		p.font("B", 10)
		p.multiCell(0, 6, "A la notaría pública o al Registro Público de la Propiedad que corresponda:", "", "L", false)
		p.pdf.Ln(1)
		granted := ""
		if !l.Origination.IsZero() {
			granted = ", otorgado el " + slipDate(l.Origination) + ","
		}
		settled := "fue liquidado en su totalidad"
		if !l.SettledOn.IsZero() {
			settled += " el " + slipDate(l.SettledOn)
		}
		paragraph(p, 10, "El "+fundName+" hace constar que el crédito número "+l.CreditNumber+granted+" a nombre de "+l.Name+", "+settled+
			" y no tiene saldo pendiente. Por ello, instruye la cancelación de la hipoteca constituida a su favor en garantía de ese crédito sobre la vivienda de su titular.")
		paragraph(p, 10, "Esta carta es válida por 180 días naturales, hasta el "+slipDate(l.Verified.ValidUntil)+
			". Si no la entregas a tiempo, descarga una nueva en Mi Cuenta o llama a Infonatel al 800 008 3900.")
		note(p, "Si tu crédito es conyugal (compartido con otra persona), la hipoteca solo se cancela cuando las dos partes del crédito están liquidadas.")
		section(p, "Después de liquidar tu crédito: cuatro pasos")
		for i, s := range LiquidationSteps {
			p.font("B", 10)
			p.multiCell(0, 6, fmt.Sprintf("%d. %s", i+1, s.Title), "", "L", false)
			p.font("", 9.5)
			p.multiCellAt(26, 166, 5, s.Detail)
			p.pdf.Ln(1)
		}
		note(p, "Si pagaste de más, solicita la devolución de pagos en exceso en Mi Cuenta > Mi crédito.")
	})
}
