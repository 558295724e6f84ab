package statement

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
)

// Layouts of the documents issued with a folio: package document keys a
// document by its layout, so bump one whenever what its inputs draw
// changes, or earlier folios would no longer match their files.
const (
	LayoutConstancia   = "constancia-1"
	LayoutAviso        = "aviso-1"
	LayoutCancellation = "carta-cancelacion-1"
)

// writeIssued draws a document issued with a folio: its title, the body,
// and the verification box (QR code, folio, issue date, validity) where
// the body calls box, or else at the end; the folio is also on every
// page's footer. It draws with the standard fonts, or again with the
// embedded ones when a string has a letter they lack.
func writeIssued(w io.Writer, title string, v Verified, body func(p *pen, box func())) error {
	if err := v.check(); err != nil {
		return fmt.Errorf("statement: %s: %w", title, err)
	}
	for _, core := range []bool{true, false} {
		p := newPen(core, title, v.Issued)
		p.verifiedFooter(title, v.Folio, v.Issued)
		p.pdf.AddPage()
		heading(p, title)
		var boxErr error
		drawn := false
		box := func() {
			if !drawn {
				drawn, boxErr = true, verificationBox(p, v)
			}
		}
		body(p, box)
		box()
		if boxErr != nil {
			return fmt.Errorf("statement: %s: %w", title, boxErr)
		}
		if core && p.lost {
			continue
		}
		var buf bytes.Buffer
		if err := p.pdf.Output(&buf); err != nil {
			return fmt.Errorf("statement: %s: %w", title, err)
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	return nil
}

// heading draws the title and the fund's name.
func heading(p *pen, title string) {
	p.pdf.SetTextColor(105, 28, 50)
	p.font("B", 15)
	p.multiCell(0, 8, title, "", "L", false)
	p.font("", 10)
	p.cell(0, 6, fundName, "", 1, "L", false)
	p.pdf.Ln(3)
	p.pdf.SetTextColor(33, 33, 33)
}

// section draws a section heading.
func section(p *pen, s string) {
	p.pdf.Ln(1.5)
	p.pdf.SetTextColor(105, 28, 50)
	p.font("B", 12)
	p.cell(0, 7, s, "", 1, "L", false)
	p.pdf.SetTextColor(33, 33, 33)
}

// fields draws label: value lines; a long value wraps under its label's
// column, never cut.
func fields(p *pen, labelW float64, rows [][2]string) {
	for _, r := range rows {
		p.font("", 10)
		p.cell(labelW, 5.5, r[0]+":", "", 0, "L", false)
		p.font("B", 10)
		x := p.pdf.GetX()
		pageW, _ := p.pdf.GetPageSize()
		_, _, right, _ := p.pdf.GetMargins()
		p.multiCellAt(x, pageW-right-x, 5.5, r[1])
	}
}

// paragraph draws running text.
func paragraph(p *pen, size float64, s string) {
	p.font("", size)
	p.multiCell(0, size*0.5, s, "", "L", false)
	p.pdf.Ln(1.5)
}

// note draws small grey text.
func note(p *pen, s string) {
	p.pdf.SetTextColor(84, 84, 84)
	p.font("", 8.5)
	p.multiCell(0, 4, s, "", "L", false)
	p.pdf.SetTextColor(33, 33, 33)
	p.pdf.Ln(1)
}

// InterestStatement is what the constancia de intereses shows: the
// year's figures (credit.ComputeInterest) for a borrower and credit.
// Everything but Verified is the document's input: the caller encodes it
// to key the issued document.
type InterestStatement struct {
	Name         string
	RFC          string
	CreditNumber string
	credit.InterestCertificate
	Uncertain bool     // a reference value is still to be verified
	Sources   []string // where the INPC and UDI come from
	Verified  Verified `json:"-"`
}

// WriteInterestStatement renders the constancia de intereses.
func WriteInterestStatement(w io.Writer, s *InterestStatement) error {
	if s == nil || s.Year == 0 || strings.TrimSpace(s.CreditNumber) == "" {
		return fmt.Errorf("statement: incomplete constancia")
	}
	ic := s.InterestCertificate
	if ic.Real != max(ic.Nominal-ic.Adjustment, 0) || ic.Deductible > ic.Real {
		return fmt.Errorf("statement: constancia %d of credit %s does not add up", ic.Year, s.CreditNumber)
	}
	title := fmt.Sprintf("Constancia de intereses %d", s.Year)
	y, prev := strconv.Itoa(s.Year), strconv.Itoa(s.Year-1)
	return writeIssued(w, title, s.Verified, func(p *pen, box func()) {
		paragraph(p, 10, "Intereses reales de tu crédito de vivienda pagados en el ejercicio fiscal "+y+", para tu declaración anual (artículo 151, fracción IV, de la Ley del Impuesto sobre la Renta).")
		denomination := "Pesos"
		if s.VSM {
			denomination = "Veces Salario Mínimo (VSM)"
		}
		rfc := s.RFC
		if rfc == "" {
			rfc = "no registrado"
		}
		fields(p, 44, [][2]string{
			{"Titular del crédito", s.Name},
			{"RFC", rfc},
			{"Número de crédito", s.CreditNumber},
			{"Denominación", denomination},
			{"Ejercicio fiscal", y + " (del 1 de enero al 31 de diciembre)"},
		})

		section(p, "Intereses del ejercicio")
		udis := ic.CapUDIsText() + " UDIS con la UDI de " + ic.UDIText()
		capLabel := "Saldo al 31 de diciembre de " + prev
		if ic.CapFromDisbursement {
			capLabel = "Monto del crédito otorgado en " + y
		}
		share := "100% (el saldo no excede 750,000 UDIS)"
		if ic.Proportional {
			share = ic.ProportionText() + " (750,000 UDIS entre el saldo en UDIS)"
		}
		rows := []struct {
			label, value string
			bold         bool
		}{
			{"Intereses nominales pagados en " + y, ic.Nominal.String(), false},
			{"Saldo promedio mensual de " + y, ic.Average.String(), false},
			{"Factor de ajuste: INPC dic " + y + " (" + credit.IndexText(ic.INPC) + ") ÷ INPC dic " + prev + " (" + credit.IndexText(ic.INPCPrev) + ") − 1", ic.FactorText(), false},
			{"(−) Ajuste anual por inflación (saldo promedio × factor)", ic.Adjustment.String(), false},
			{"(=) Intereses reales", ic.Real.String(), false},
			{capLabel + " (" + udis + ")", ic.CapBalance.String(), false},
			{"Parte deducible", share, false},
			{"Intereses reales deducibles", ic.Deductible.String(), true},
			{"Saldo de tu crédito al 31 de diciembre de " + y, ic.Closing.String(), false},
		}
		pdf := p.pdf
		pdf.SetFillColor(244, 242, 239)
		pdf.SetDrawColor(105, 28, 50)
		for i, r := range rows {
			style, border := "", ""
			if r.bold {
				style, border = "B", "T"
			}
			p.font(style, 9.5)
			fill := i%2 == 0
			label := p.fit(r.label, 128)
			p.cell(130, 5.8, label, border, 0, "L", fill)
			p.cell(0, 5.8, r.value, border, 1, "R", fill)
		}
		pdf.SetDrawColor(0, 0, 0)

		section(p, "Saldo al cierre de cada mes de "+y)
		// Three columns of four months each.
		p.font("B", 9)
		for col := 0; col < 3; col++ {
			p.cell(26, 5.5, "Mes", "B", 0, "L", false)
			p.cell(30, 5.5, "Saldo", "B", 0, "R", false)
			if col < 2 {
				p.cell(3, 5.5, "", "", 0, "L", false)
			}
		}
		pdf.Ln(-1)
		p.font("", 9)
		for i := 0; i < 4; i++ {
			for col := 0; col < 3; col++ {
				m := col*4 + i
				p.cell(26, 5, capitalize(portal.MonthName(time.Month(m+1))), "", 0, "L", false)
				p.cell(30, 5, ic.MonthEnd[m].String(), "", 0, "R", false)
				if col < 2 {
					p.cell(3, 5, "", "", 0, "L", false)
				}
			}
			pdf.Ln(-1)
		}
		// The verification box before the notes, so the figures and the
		// box share the first page.
		box()

		section(p, "Cómo se calcularon")
		note(p, "Intereses nominales: la parte de tus pagos de "+y+" que cubrió intereses. Cada pago se aplica primero al seguro y las comisiones pendientes, luego a los intereses pendientes (los más antiguos primero) y el resto al capital. Los intereses de diciembre que pagues en enero cuentan en el año siguiente.")
		note(p, "Ajuste anual por inflación (artículo 257 del Reglamento de la Ley del ISR): promedio de tus saldos al último día de cada mes, multiplicado por el factor de ajuste. Intereses reales: los nominales menos el ajuste; si el ajuste es mayor, son cero.")
		note(p, "Tope: si tu saldo al 31 de diciembre del año anterior excede 750,000 UDIS, solo es deducible la parte proporcional. Cada cifra está redondeada al centavo; el ajuste y la parte deducible se calculan con los valores exactos y se redondean una sola vez.")
		if s.VSM {
			note(p, "Tu crédito está en Veces Salario Mínimo (VSM). La ley no precisa cómo calcular los intereses reales de estos créditos: estas cifras se calcularon con los importes en pesos de tus movimientos, como para un crédito en pesos. Confírmalas con tu asesor fiscal o con el SAT antes de usarlas.")
		}
		if s.Uncertain {
			note(p, "Algunos valores de referencia están por confirmar con su fuente oficial: "+strings.Join(s.Sources, "; ")+".")
		}
		note(p, "Revisa que tu nombre y tu RFC estén completos y correctos antes de presentar tu declaración. Las deducciones personales tienen un límite global en la declaración anual.")
	})
}
