// Package statement renders the PDFs people download: the housing
// subaccount's movements now, the credit's statements and certificates
// later. Fonts are the Go fonts, embedded, so every accent and ñ renders
// with no font files on the machine.
package statement

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"micuenta/internal/portal"
	"micuenta/internal/savings"
)

// SavingsStatement is what the movements PDF shows.
type SavingsStatement struct {
	Name      string // the holder's full name
	MaskedNSS string
	Summary   *savings.Summary
	Filter    string // how the list is filtered, in words ("todos los movimientos")
	Entries   []savings.Entry
	Issued    time.Time
}

// newDoc starts an A4 document with the Go fonts and fixed metadata, so
// the same input gives the same bytes.
func newDoc(title string, issued time.Time) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetTitle(title, true)
	pdf.SetAuthor("Mi Cuenta", true)
	pdf.SetCreator("micuenta", true)
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AliasNbPages("{total}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont("go", "", 8)
		pdf.SetTextColor(84, 84, 84)
		pdf.CellFormat(0, 5, fmt.Sprintf("Mi Cuenta · %s · Página %d de {total}", title, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	return pdf
}

// WriteSavings renders the movements of a housing subaccount.
func WriteSavings(w io.Writer, s SavingsStatement) error {
	const title = "Movimientos de la Subcuenta de Vivienda"
	pdf := newDoc(title, s.Issued)
	pdf.AddPage()
	pdf.SetTextColor(105, 28, 50)
	pdf.SetFont("go", "B", 15)
	pdf.CellFormat(0, 9, title, "", 1, "L", false, 0, "")
	pdf.SetTextColor(33, 33, 33)
	pdf.SetFont("go", "", 10)
	issued := s.Issued.In(portal.MexicoCity)
	for _, line := range []string{
		"Titular: " + s.Name,
		"NSS: " + s.MaskedNSS,
		"Emitido el " + portal.DateOf(issued).Spanish() + " a las " + issued.Format("15:04") + " (hora del centro de México)",
		"Movimientos: " + s.Filter,
	} {
		pdf.CellFormat(0, 6, line, "", 1, "L", false, 0, "")
	}
	pdf.Ln(3)
	if s.Summary != nil && len(s.Summary.Buckets) > 0 {
		pdf.SetFont("go", "B", 11)
		asOf := ""
		if !s.Summary.AsOf.IsZero() {
			asOf = " al " + s.Summary.AsOf.Spanish()
		}
		pdf.CellFormat(0, 7, "Saldo"+asOf+": "+s.Summary.Total.String(), "", 1, "L", false, 0, "")
		pdf.SetFont("go", "", 10)
		for _, b := range s.Summary.Buckets {
			pdf.CellFormat(60, 6, savings.BucketNames[b.Bucket], "", 0, "L", false, 0, "")
			pdf.CellFormat(40, 6, b.Balance.String(), "", 1, "R", false, 0, "")
		}
		pdf.Ln(3)
	}
	widths := []float64{28, 48, 72, 26}
	header := func() {
		pdf.SetFont("go", "B", 9)
		pdf.SetFillColor(244, 242, 239)
		for i, h := range []string{"Fecha", "Movimiento", "Detalle", "Importe"} {
			align := "L"
			if i == 3 {
				align = "R"
			}
			pdf.CellFormat(widths[i], 7, h, "B", 0, align, true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("go", "", 9)
	}
	header()
	if len(s.Entries) == 0 {
		pdf.CellFormat(0, 7, "No hay movimientos.", "", 1, "L", false, 0, "")
	}
	for _, e := range s.Entries {
		if pdf.GetY() > 270 {
			pdf.AddPage()
			header()
		}
		cells := []string{e.ValueDate.Spanish(), savings.KindName(e.Kind), fit(pdf, Describe(e), widths[2]-2), e.Amount.String()}
		for i, c := range cells {
			align := "L"
			if i == 3 {
				align = "R"
			}
			pdf.CellFormat(widths[i], 6, c, "", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// fit shortens text to a cell's width with an ellipsis.
func fit(pdf *fpdf.Fpdf, s string, width float64) string {
	if pdf.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && pdf.GetStringWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// Describe is a movement's detail: the employer and bimester of a
// contribution; the month of a monthly yield, the year of a yearly one
// (kept as December's period, domain.md §2.3, and told apart by the days
// it covers).
func Describe(e savings.Entry) string {
	switch e.Kind {
	case savings.KindAportacion:
		return e.EmployerName + " · " + portal.BimestreFromKey(e.Period).Spanish()
	case savings.KindRendimiento:
		if e.Period > 9999 {
			y, m := e.Period/100, e.Period%100
			if e.Days > 31 { // a yearly yield covers the whole year
				return fmt.Sprintf("Año %d", y)
			}
			return fmt.Sprintf("%s %d", portal.MonthName(time.Month((m+11)%12+1)), y)
		}
	}
	return ""
}
