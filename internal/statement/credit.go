package statement

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
)

// fundName heads the credit's documents.
const fundName = "Fondo Nacional de Vivienda para los Trabajadores"

// CreditStatement is a statement of a credit over a period: the monthly
// one (a calendar month) or the historical one (from the credit's start).
//
// BuildCreditStatement fills the credit, the period and the figures from
// the ledger; the caller fills the rest (Name, Historical, NextPayment,
// NextDue, Folio, Generated).
type CreditStatement struct {
	Name       string // borrower
	Credit     credit.Credit
	From, To   portal.Date // inclusive
	Historical bool
	Opening    portal.Money      // balance before From (pesos); for VSM also OpeningVSM
	OpeningVSM int64             // VSM × 10,000
	Movements  []credit.Movement // those dated From..To, in date order
	Closing    portal.Money
	ClosingVSM int64
	// The next payment and its due date; a zero NextDue leaves the
	// paragraph out (a settled credit).
	NextPayment portal.Money
	NextDue     portal.Date
	Folio       string // a verification folio printed on the document (given by the caller)
	Generated   time.Time
}

// Totals sums the period's movements in pesos: charges is the sum of the
// positive ones (interest, insurance, …), payments the sum of the negative
// ones (payments and credits), so it is zero or negative and
// Opening + charges + payments = Closing.
func (s *CreditStatement) Totals() (charges, payments portal.Money) {
	for _, m := range s.Movements {
		if m.Amount > 0 {
			charges += m.Amount
		} else {
			payments += m.Amount
		}
	}
	return charges, payments
}

// TotalsVSM is Totals in VSM × 10,000, for VSM credits.
func (s *CreditStatement) TotalsVSM() (charges, payments int64) {
	for _, m := range s.Movements {
		if m.AmountVSM > 0 {
			charges += m.AmountVSM
		} else {
			payments += m.AmountVSM
		}
	}
	return charges, payments
}

// vsm reports whether the statement's credit is denominated in VSM.
func (s *CreditStatement) vsm() bool { return s.Credit.Denomination == credit.DenomVSM }

// BuildCreditStatement slices a credit's ledger (all its movements, in
// date order) for the period [from, to]: the opening balance is the sum
// of the movements dated before from, the movements are those dated from
// to to (copied, in date order), and the closing balance is the opening
// plus them — in pesos and, in the same way, in VSM × 10,000. A period
// that ends before it starts has no movements.
func BuildCreditStatement(c credit.Credit, all []credit.Movement, from, to portal.Date) CreditStatement {
	s := CreditStatement{Credit: c, From: from, To: to}
	for _, m := range all {
		switch {
		case m.ValueDate.Before(from):
			s.Opening += m.Amount
			s.OpeningVSM += m.AmountVSM
		case !to.Before(m.ValueDate):
			s.Movements = append(s.Movements, m)
		}
	}
	// The ledger is kept in date order; a stable sort makes sure of it
	// without reordering movements of the same day.
	slices.SortStableFunc(s.Movements, func(a, b credit.Movement) int { return a.ValueDate.Time().Compare(b.ValueDate.Time()) })
	s.Closing, s.ClosingVSM = s.Opening, s.OpeningVSM
	for _, m := range s.Movements {
		s.Closing += m.Amount
		s.ClosingVSM += m.AmountVSM
	}
	return s
}

// check refuses a statement whose figures do not add up or whose
// movements fall outside its period: a statement is only printed when
// the reader can redo its arithmetic.
func (s *CreditStatement) check() error {
	if strings.TrimSpace(s.Folio) == "" {
		return errors.New("no verification folio")
	}
	if s.To.Before(s.From) {
		return fmt.Errorf("period %s to %s ends before it starts", s.From, s.To)
	}
	for _, m := range s.Movements {
		if m.ValueDate.Before(s.From) || s.To.Before(m.ValueDate) {
			return fmt.Errorf("movement %d dated %s is outside the period %s to %s", m.ID, m.ValueDate, s.From, s.To)
		}
	}
	charges, payments := s.Totals()
	if s.Opening+charges+payments != s.Closing {
		return fmt.Errorf("opening %s + movements %s ≠ closing %s", s.Opening, charges+payments, s.Closing)
	}
	if s.vsm() {
		cv, pv := s.TotalsVSM()
		if s.OpeningVSM+cv+pv != s.ClosingVSM {
			return fmt.Errorf("opening %s + movements %s ≠ closing %s", credit.FormatVSM(s.OpeningVSM), credit.FormatVSM(cv+pv), credit.FormatVSM(s.ClosingVSM))
		}
	}
	return nil
}

// creditStatementTitle is the document's title: "Estado de cuenta de tu
// crédito de noviembre de 2026", "Estado de cuenta histórico de tu
// crédito", or, for a period that is not a calendar month, "Estado de
// cuenta de tu crédito del 3 de noviembre de 2026 al 17 de noviembre de
// 2026".
func creditStatementTitle(s *CreditStatement) string {
	switch {
	case s.Historical:
		return "Estado de cuenta histórico de tu crédito"
	case s.From.D == 1 && s.To == portal.NewDate(s.From.Y, s.From.M+1, 0):
		return fmt.Sprintf("Estado de cuenta de tu crédito de %s de %d", portal.MonthName(s.From.M), s.From.Y)
	}
	return "Estado de cuenta de tu crédito del " + slipDate(s.From) + " al " + slipDate(s.To)
}

// WriteCreditStatement renders a credit statement: the credit's terms, a
// summary of the period (opening balance, charges, payments, closing
// balance, and the same in VSM for VSM credits), the movements — the
// table's header repeated on every page — the next payment, and on every
// page the verification folio and when it was generated. It refuses a
// statement whose figures do not add up (see BuildCreditStatement).
//
// It is drawn with the standard fonts (newCoreDoc), or, when a name or
// folio has a letter they cannot show, with the embedded ones (newDoc).
func WriteCreditStatement(w io.Writer, s *CreditStatement) error {
	if s == nil {
		return errors.New("statement: no credit statement")
	}
	if err := s.check(); err != nil {
		return fmt.Errorf("statement: credit %s: %w", s.Credit.Number, err)
	}
	pdf := drawCreditStatement(s, true)
	if pdf == nil {
		pdf = drawCreditStatement(s, false)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// drawCreditStatement draws a checked statement with the standard fonts
// (core) or the embedded ones; nil when core and a string had a rune the
// standard fonts lack.
func drawCreditStatement(s *CreditStatement, core bool) *fpdf.Fpdf {
	vsm := s.vsm()
	title := creditStatementTitle(s)
	p := newPen(core, title, s.Generated)
	pdf := p.pdf
	p.verifiedFooter(title, s.Folio, s.Generated)
	pdf.AddPage()

	// Heading and the credit's terms.
	pdf.SetTextColor(105, 28, 50)
	p.font("B", 15)
	p.multiCell(0, 8, title, "", "L", false)
	p.font("", 10)
	p.cell(0, 6, fundName, "", 1, "L", false)
	pdf.Ln(2)
	pdf.SetTextColor(33, 33, 33)
	p.multiCell(0, 6, "Titular del crédito: "+s.Name, "", "L", false)
	denomination := "Pesos"
	if vsm {
		denomination = "Veces Salario Mínimo (VSM)"
	}
	state := credit.StateNames[s.Credit.State]
	if state == "" {
		state = s.Credit.State
	}
	terms := [][2]string{
		{"Número de crédito", s.Credit.Number},
		{"Producto", capitalize(s.Credit.Product)},
		{"Denominación", denomination},
		{"Tasa de interés", rateText(s.Credit.AnnualRateBP)},
		{"Estado del crédito", state},
	}
	if !s.Credit.Origination.IsZero() {
		terms = append(terms, [2]string{"Otorgado el", s.Credit.Origination.Spanish()})
	}
	for i, t := range terms { // two to a line
		p.font("", 10)
		p.cell(36, 6, t[0]+":", "", 0, "L", false)
		p.font("B", 10)
		ln := 0
		if i%2 == 1 || i == len(terms)-1 {
			ln = 1
		}
		p.cell(51, 6, t[1], "", ln, "L", false)
	}
	p.font("", 10)
	p.cell(36, 6, "Periodo:", "", 0, "L", false)
	p.font("B", 10)
	p.cell(0, 6, "del "+slipDate(s.From)+" al "+slipDate(s.To), "", 1, "L", false)
	pdf.Ln(4)

	// The summary box.
	charges, payments := s.Totals()
	cv, pv := s.TotalsVSM()
	pdf.SetTextColor(105, 28, 50)
	p.font("B", 12)
	p.cell(0, 8, "Resumen del periodo", "", 1, "L", false)
	pdf.SetTextColor(33, 33, 33)
	pdf.SetFillColor(244, 242, 239)
	pdf.SetDrawColor(105, 28, 50)
	pdf.SetLineWidth(0.3)
	summary := []struct {
		label string
		pesos portal.Money
		vsm   int64
		bold  bool
	}{
		{"Saldo inicial", s.Opening, s.OpeningVSM, false},
		{"(+) Cargos (intereses, seguros…)", charges, cv, false},
		{"(−) Pagos y abonos", -payments, -pv, false},
		{"(=) Saldo final", s.Closing, s.ClosingVSM, true},
	}
	labelW, pesosW := 104.0, 70.0
	if vsm {
		labelW, pesosW = 82, 46
	}
	left, _, right, _ := pdf.GetMargins()
	pageW, _ := pdf.GetPageSize()
	top := pdf.GetY()
	for _, row := range summary {
		style, border := "", ""
		if row.bold {
			style, border = "B", "T" // the closing balance under a rule
		}
		p.font(style, 10)
		p.cell(labelW, 7, row.label, border, 0, "L", true)
		if !vsm {
			p.cell(pesosW, 7, row.pesos.String(), border, 1, "R", true)
			continue
		}
		p.cell(pesosW, 7, row.pesos.String(), border, 0, "R", true)
		p.cell(0, 7, credit.FormatVSM(row.vsm), border, 1, "R", true)
	}
	pdf.Rect(left, top, pageW-left-right, pdf.GetY()-top, "D")
	pdf.SetLineWidth(0.2)
	pdf.SetDrawColor(0, 0, 0)
	if vsm {
		p.font("", 8)
		pdf.SetTextColor(84, 84, 84)
		p.multiCell(0, 4.5, "Tu crédito está en Veces Salario Mínimo (VSM): lo que debes se lleva en VSM y su valor en pesos se actualiza cada año con la UMI.", "", "L", false)
		pdf.SetTextColor(33, 33, 33)
	}
	pdf.Ln(4)

	// The movements.
	pdf.SetTextColor(105, 28, 50)
	p.font("B", 12)
	p.cell(0, 8, "Movimientos", "", 1, "L", false)
	pdf.SetTextColor(33, 33, 33)
	heads := []string{"Fecha", "Movimiento", "Cargo", "Abono"}
	widths := []float64{28, 78, 34, 34}
	if vsm {
		heads = append(heads, "En VSM")
		widths = []float64{26, 54, 30, 30, 34}
	}
	header := func() {
		p.font("B", 9)
		pdf.SetFillColor(244, 242, 239)
		for i, h := range heads {
			align := "R"
			if i < 2 {
				align = "L"
			}
			p.cell(widths[i], 7, h, "B", 0, align, true)
		}
		pdf.Ln(-1)
		p.font("", 9)
	}
	const rowH = 6
	_, pageH := pdf.GetPageSize()
	_, bottom := pdf.GetAutoPageBreak()
	room := func(h float64) bool { return pdf.GetY()+h <= pageH-bottom }
	if !room(7 + rowH) { // never a header alone at the foot of a page
		pdf.AddPage()
	}
	header()
	if len(s.Movements) == 0 {
		p.cell(0, 7, "Sin movimientos en el periodo.", "", 1, "L", false)
	}
	for _, m := range s.Movements {
		if !room(rowH) {
			pdf.AddPage()
			p.font("", 9)
			pdf.SetTextColor(84, 84, 84)
			p.cell(0, 6, "Crédito "+s.Credit.Number+" · movimientos (continuación)", "", 1, "L", false)
			pdf.SetTextColor(33, 33, 33)
			header()
		}
		what := credit.KindName(m.Kind)
		if what == "" {
			what = m.Kind
		}
		cells := []string{m.ValueDate.Spanish(), p.fit(what, widths[1]-2), "", ""}
		if m.Amount > 0 || m.Amount == 0 && m.AmountVSM >= 0 {
			cells[2] = m.Amount.String()
		} else {
			cells[3] = (-m.Amount).String()
		}
		if vsm {
			v := ""
			if m.AmountVSM != 0 {
				v = credit.FormatVSM(m.AmountVSM)
			}
			cells = append(cells, v)
		}
		for i, c := range cells {
			align := "R"
			if i < 2 {
				align = "L"
			}
			p.cell(widths[i], rowH, c, "", 0, align, false)
		}
		pdf.Ln(-1)
	}
	// The period's totals, under the columns they add up.
	if !room(7) {
		pdf.AddPage()
	}
	p.font("B", 9)
	p.cell(widths[0]+widths[1], 7, "Totales del periodo", "T", 0, "L", false)
	p.cell(widths[2], 7, charges.String(), "T", 0, "R", false)
	p.cell(widths[3], 7, (-payments).String(), "T", 0, "R", false)
	if vsm {
		p.cell(widths[4], 7, credit.FormatVSM(cv+pv), "T", 0, "R", false)
	}
	pdf.Ln(-1)
	pdf.Ln(4)

	// The closing balance and the next payment, kept together.
	if !room(26) {
		pdf.AddPage()
	}
	p.font("B", 11)
	closing := "Saldo al " + slipDate(s.To) + ": " + s.Closing.String()
	if vsm {
		closing += " (" + credit.FormatVSM(s.ClosingVSM) + ")"
	}
	p.multiCell(0, 7, closing, "", "L", false)
	if !s.NextDue.IsZero() {
		p.font("", 10)
		p.multiCell(0, 6, "Tu próximo pago: "+s.NextPayment.String()+", a más tardar el "+slipDate(s.NextDue)+".", "", "L", false)
	}
	if p.lost {
		return nil
	}
	return pdf
}

// verifiedFooter replaces newDoc's footer with one that also prints, on
// every page, the document's verification folio and when it was
// generated (hour of Mexico City), and leaves room for the extra line.
func verifiedFooter(pdf *fpdf.Fpdf, title, folio string, generated time.Time) {
	(&pen{pdf: pdf, family: "go"}).verifiedFooter(title, folio, generated)
}

// rateText writes an annual rate in basis points: "10.45% anual".
func rateText(bp int) string {
	return fmt.Sprintf("%d.%02d%% anual", bp/100, bp%100)
}

// capitalize upper-cases a text's first letter: "tradicional" →
// "Tradicional".
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
