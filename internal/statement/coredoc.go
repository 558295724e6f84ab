package statement

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"

	"micuenta/internal/portal"
)

// Documents drawn with the PDF's standard fonts — Helvetica, and Symbol
// for the minus sign — need no font embedded: fpdf neither parses nor
// subsets nor compresses a TrueType font for them, which makes them some
// fifteen times cheaper to render than newDoc's. Their text is encoded in
// cp1252 (WinAnsiEncoding), which holds every Spanish letter and sign
// (á é í ó ú ü ñ ¿ ¡ …) but not every name: a document that meets a rune
// cp1252 lacks is drawn again with newDoc (see pen.lost).

const (
	coreFamily   = "helvetica"
	symbolFamily = "symbol-core" // Symbol itself; fpdf takes "symbol" for ZapfDingbats
)

// symbolRunes are the runes cp1252 lacks that the Symbol font draws, by
// their code in its built-in encoding (text extraction reads the glyph's
// name, "minus", back as U+2212).
var symbolRunes = map[rune]byte{'−': '-'}

// symbolFont is fpdf's definition of the standard Symbol font, with the
// widths of the codes in symbolRunes (the rest are the space's).
var symbolFont = func() []byte {
	cw := make([]string, 256)
	for i := range cw {
		cw[i] = "250"
	}
	cw['-'] = "549" // minus
	return []byte(`{"Tp":"Core","Name":"Symbol","Up":-100,"Ut":50,"Cw":[` + strings.Join(cw, ",") + `]}`)
}()

// pen draws a document's text: with the standard fonts (core), each
// string encoded in cp1252 on its way, or with newDoc's embedded Go
// fonts, as it is.
type pen struct {
	pdf    *fpdf.Fpdf
	family string
	core   bool
	lost   bool // core: a string had a rune neither cp1252 nor Symbol holds
}

// newCoreDoc is newDoc with the standard fonts: the same A4 page,
// metadata, margins, page break, {total} alias and footer.
func newCoreDoc(title string, issued time.Time) *pen {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(title, true)
	pdf.SetAuthor("Mi Cuenta", true)
	pdf.SetCreator("micuenta", true)
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AliasNbPages("{total}")
	p := &pen{pdf: pdf, family: coreFamily, core: true}
	pages := p.text("Mi Cuenta · " + title + " · Página ")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont(p.family, "", 8)
		pdf.SetTextColor(84, 84, 84)
		pdf.CellFormat(0, 5, pages+strconv.Itoa(pdf.PageNo())+" de {total}", "", 0, "C", false, 0, "")
	})
	return p
}

// newPen starts a document titled title: newCoreDoc's when core, else
// newDoc's.
func newPen(core bool, title string, issued time.Time) *pen {
	if core {
		return newCoreDoc(title, issued)
	}
	return &pen{pdf: newDoc(title, issued), family: "go"}
}

// text is s as the current font takes it: encoded in cp1252 for the
// standard fonts, a rune it lacks recorded in p.lost and drawn as "?".
func (p *pen) text(s string) string {
	if !p.core {
		return s
	}
	t, ok := encode1252(s)
	if !ok {
		p.lost = true
	}
	return t
}

// encode1252 encodes s in cp1252, each rune it lacks as "?"; ok reports
// that there was none. (fpdf's UnicodeTranslatorFromDescriptor("") does
// the same but gives no sign of a lost rune.)
func encode1252(s string) (string, bool) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s, true
	}
	b := make([]byte, 0, len(s))
	ok := true
	for _, r := range s {
		c, found := charmap.Windows1252.EncodeRune(r)
		if !found || r >= 0x80 && r < 0xa0 { // C1 controls: codes cp1252 gives to … – € and the like
			c, ok = '?', false
		}
		b = append(b, c)
	}
	return string(b), ok
}

// font sets the document's font: the pen's family in style ("" or "B").
func (p *pen) font(style string, size float64) { p.pdf.SetFont(p.family, style, size) }

// width is the width of s in the current font.
func (p *pen) width(s string) float64 {
	if !p.core {
		return p.pdf.GetStringWidth(s)
	}
	var w float64
	for _, r := range p.runs(s) {
		w += p.runWidth(r)
	}
	return w
}

// run is a stretch of text in one of the standard fonts, encoded for it.
type run struct {
	text   string
	symbol bool
}

// runs splits s into stretches of cp1252 and of Symbol text.
func (p *pen) runs(s string) []run {
	var out []run
	for s != "" {
		i := strings.IndexFunc(s, func(r rune) bool { _, ok := symbolRunes[r]; return ok })
		if i < 0 {
			return append(out, run{text: p.text(s)})
		}
		if i > 0 {
			out = append(out, run{text: p.text(s[:i])})
		}
		var sym []byte
		for _, r := range s[i:] {
			c, ok := symbolRunes[r]
			if !ok {
				break
			}
			sym = append(sym, c)
			i += utf8.RuneLen(r)
		}
		out = append(out, run{text: string(sym), symbol: true})
		s = s[i:]
	}
	return out
}

// runWidth is the width of a run at the current font's size.
func (p *pen) runWidth(r run) float64 {
	if !r.symbol {
		return p.pdf.GetStringWidth(r.text)
	}
	family, style := p.pdf.GetFontFamily(), p.pdf.GetFontStyle()
	size, _ := p.pdf.GetFontSize()
	p.pdf.AddFontFromBytes(symbolFamily, "", symbolFont, nil)
	p.pdf.SetFont(symbolFamily, "", size)
	w := p.pdf.GetStringWidth(r.text)
	p.pdf.SetFont(family, style, size)
	return w
}

// cell is fpdf's CellFormat (with no link) for s.
func (p *pen) cell(w, h float64, s, border string, ln int, align string, fill bool) {
	if !p.core || !strings.ContainsFunc(s, func(r rune) bool { _, ok := symbolRunes[r]; return ok }) {
		p.pdf.CellFormat(w, h, p.text(s), border, ln, align, fill, 0, "")
		return
	}
	// Text in two fonts: the cell's box, then each run where CellFormat
	// would have put the text (vertically centred).
	pdf := p.pdf
	if w == 0 {
		pageW, _ := pdf.GetPageSize()
		_, _, right, _ := pdf.GetMargins()
		w = pageW - right - pdf.GetX()
	}
	x := pdf.GetX() // where the cell begins, even after a page break
	pdf.CellFormat(w, h, "", border, ln, align, fill, 0, "")
	y := pdf.GetY() // the cell's top, or its bottom once the cell moved the cursor to the next line
	if ln != 0 {
		y -= h
	}
	runs := p.runs(s)
	var total float64
	for _, r := range runs {
		total += p.runWidth(r)
	}
	switch {
	case strings.Contains(align, "R"):
		x += w - pdf.GetCellMargin() - total
	case strings.Contains(align, "C"):
		x += (w - total) / 2
	default:
		x += pdf.GetCellMargin()
	}
	family, style := pdf.GetFontFamily(), pdf.GetFontStyle()
	_, size := pdf.GetFontSize()
	baseline := y + .5*h + .3*size
	for _, r := range runs {
		wr := p.runWidth(r)
		if r.symbol {
			pdf.SetFont(symbolFamily, "", 0)
		}
		pdf.Text(x, baseline, r.text)
		if r.symbol {
			pdf.SetFont(family, style, 0)
		}
		x += wr
	}
}

// multiCell is fpdf's MultiCell for s.
func (p *pen) multiCell(w, h float64, s, border, align string, fill bool) {
	p.pdf.MultiCell(w, h, p.text(s), border, align, fill)
}

// fit shortens s to a cell's width with an ellipsis (see fit).
func (p *pen) fit(s string, width float64) string {
	if !p.core {
		return fit(p.pdf, s, width)
	}
	if p.width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && p.width(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// verifiedFooter replaces the document's footer with one that also
// prints, on every page, the document's verification folio and when it
// was generated (hour of Mexico City), and leaves room for the extra
// line.
func (p *pen) verifiedFooter(title, folio string, generated time.Time) {
	at := generated.In(portal.MexicoCity)
	line := p.text("Folio de verificación: " + folio + " · Generado el " + portal.DateOf(at).Spanish() + " a las " + at.Format("15:04") + " (hora del centro de México)")
	pages := p.text("Mi Cuenta · " + title + " · Página ")
	pdf := p.pdf
	pdf.SetAutoPageBreak(true, 26)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-21)
		pdf.SetFont(p.family, "", 8)
		pdf.SetTextColor(84, 84, 84)
		pdf.CellFormat(0, 5, line, "", 1, "C", false, 0, "")
		pdf.CellFormat(0, 5, pages+strconv.Itoa(pdf.PageNo())+" de {total}", "", 0, "C", false, 0, "")
	})
}
