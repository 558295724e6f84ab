package statement

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/boombuler/barcode/qr"

	"micuenta/internal/portal"
)

// The documents issued with a verification folio (constancia, avisos,
// carta) carry a QR code of their public verification address. It is
// drawn as vector rectangles — one per run of dark modules in a row — not
// as an image: nothing to encode or embed, the same bytes every time, and
// sharp at any zoom.

// qrModules is the QR code of text (error correction M) as rows of
// modules, true for dark.
func qrModules(text string) ([][]bool, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("statement: QR code: %w", err)
	}
	n := code.Bounds().Dx()
	rows := make([][]bool, n)
	for y := range rows {
		rows[y] = make([]bool, n)
		for x := range rows[y] {
			r, _, _, _ := code.At(x, y).RGBA()
			rows[y][x] = r == 0
		}
	}
	return rows, nil
}

// drawQR draws text's QR code with its top-left corner at (x, y), size mm
// wide, the quiet zone (four modules) included.
func drawQR(p *pen, text string, x, y, size float64) error {
	rows, err := qrModules(text)
	if err != nil {
		return err
	}
	const quiet = 4
	m := size / float64(len(rows)+2*quiet)
	pdf := p.pdf
	pdf.SetFillColor(255, 255, 255)
	pdf.Rect(x, y, size, size, "F")
	pdf.SetFillColor(0, 0, 0)
	for r, row := range rows {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			pdf.Rect(x+float64(quiet+start)*m, y+float64(quiet+r)*m, float64(c-start)*m, m, "F")
		}
	}
	return nil
}

// Verified is what a document issued with a folio prints about it.
type Verified struct {
	Folio      string
	Issued     time.Time   // when it was issued (printed in Mexico City's time)
	ValidUntil portal.Date // zero: no expiry
	VerifyURL  string      // where the QR code points: …/verificar/{folio}
}

func (v Verified) check() error {
	switch {
	case strings.TrimSpace(v.Folio) == "":
		return errors.New("no folio")
	case v.Issued.IsZero():
		return errors.New("no issue time")
	case !strings.HasSuffix(v.VerifyURL, "/verificar/"+v.Folio):
		return fmt.Errorf("verification address %q is not the folio's", v.VerifyURL)
	}
	return nil
}

// issuedText is "2 dic 2026 a las 12:30 (hora del centro de México)".
func issuedText(t time.Time) string {
	at := t.In(portal.MexicoCity)
	return portal.DateOf(at).Spanish() + " a las " + at.Format("15:04") + " (hora del centro de México)"
}

// verificationBox draws, kept together on one page, the QR code beside
// the folio, the issue date, the validity and how to check the document.
func verificationBox(p *pen, v Verified) error {
	pdf := p.pdf
	const size = 28.0
	_, pageH := pdf.GetPageSize()
	_, bottom := pdf.GetAutoPageBreak()
	if pdf.GetY()+3+size+6 > pageH-bottom {
		pdf.AddPage()
	}
	pdf.Ln(3)
	left, _, right, _ := pdf.GetMargins()
	pageW, _ := pdf.GetPageSize()
	top := pdf.GetY()
	if err := drawQR(p, v.VerifyURL, left+2, top+2, size); err != nil {
		return err
	}
	textX := left + size + 6
	width := pageW - right - textX - 2
	pdf.SetXY(textX, top+2)
	pdf.SetTextColor(105, 28, 50)
	p.font("B", 10)
	p.cell(width, 5, "Verifica este documento", "", 2, "L", false)
	pdf.SetTextColor(33, 33, 33)
	p.font("", 9)
	p.cell(width, 4.5, "Folio: "+v.Folio, "", 2, "L", false)
	p.cell(width, 4.5, "Emitido el "+issuedText(v.Issued), "", 2, "L", false)
	if !v.ValidUntil.IsZero() {
		p.cell(width, 4.5, "Vigente hasta el "+slipDate(v.ValidUntil)+" (inclusive)", "", 2, "L", false)
	}
	p.multiCellAt(textX, width, 4, "Escanea el código o entra a "+v.VerifyURL+" para confirmar que el Fondo lo emitió y que el archivo no fue modificado.")
	height := max(size+4, pdf.GetY()-top+2)
	pdf.SetDrawColor(105, 28, 50)
	pdf.SetLineWidth(0.3)
	pdf.Rect(left, top, pageW-left-right, height, "D")
	pdf.SetLineWidth(0.2)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetXY(left, top+height+1)
	return nil
}

// multiCellAt is multiCell in a column starting at x.
func (p *pen) multiCellAt(x, w, h float64, s string) {
	left, top, right, _ := p.pdf.GetMargins()
	p.pdf.SetLeftMargin(x)
	p.pdf.SetX(x)
	p.multiCell(w, h, s, "", "L", false)
	p.pdf.SetMargins(left, top, right)
	p.pdf.SetX(left)
}
