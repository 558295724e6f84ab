package statement

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	_ "image/png" // pdftoppm's output
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/testutil/need"
)

const testFolio = "7K2Q-M9XA-RT8H-ZP3W-N6C1"

func testVerified(validUntil portal.Date) Verified {
	// 18:30 UTC is 12:30 in Mexico City.
	return Verified{Folio: testFolio, Issued: time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC), ValidUntil: validUntil,
		VerifyURL: "https://micuenta.example/verificar/" + testFolio}
}

// exampleInterest is credit's example A (internal/credit/interest_test.go)
// as the constancia shows it: nominal 59,800.00, average 498,845.00,
// adjustment 18,406.23, real and deductible 41,393.77.
func exampleInterest() *InterestStatement {
	return &InterestStatement{Name: "José Ángel Muñoz Güémez", RFC: "MUGA800517AB1", CreditNumber: "1512345678",
		InterestCertificate: credit.InterestCertificate{Year: 2025, Nominal: 5_980_000,
			MonthEnd: [12]portal.Money{50380000, 50281500, 50181500, 50083000, 50583000, 49884500, 49784500, 49686000, 49586000, 49487500, 49387500, 49289000},
			Average:  49_884_500, INPC: 143_039_000, INPCPrev: 137_949_000, Adjustment: 1_840_623, Real: 4_139_377,
			CapBalance: 50_480_000, UDI: 8_340_909, CapUDIsE2: 6_052_098, Deductible: 4_139_377, Closing: 49_289_000},
		Uncertain: true, Sources: []string{"UDI al 31 de diciembre de 2024: Banxico; verificar"},
		Verified: testVerified(portal.Date{})}
}

func render(t *testing.T, write func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	return buf.Bytes()
}

// pdfText is the PDF's text as pdftotext reads it, every run of spaces
// and line breaks made one space.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return regexp.MustCompile(`\s+`).ReplaceAllString(slipPDFText(t, pdf), " ")
}

func wantAll(t *testing.T, text string, wants []string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
}

// The constancia's text: every figure of example A, the Spanish letters,
// the month-end balances, the verification box.
func TestInterestStatementPDF(t *testing.T) {
	s := exampleInterest()
	pdf := render(t, func(b *bytes.Buffer) error { return WriteInterestStatement(b, s) })
	text := pdfText(t, pdf)
	wantAll(t, text, []string{
		"Constancia de intereses 2025",
		"Fondo Nacional de Vivienda para los Trabajadores",
		"José Ángel Muñoz Güémez", "MUGA800517AB1", "1512345678",
		"Intereses nominales pagados en 2025 $59,800.00",
		"Saldo promedio mensual de 2025 $498,845.00",
		"INPC dic 2025 (143.039) ÷ INPC dic 2024 (137.949) − 1 0.036898",
		"(−) Ajuste anual por inflación (saldo promedio × factor) $18,406.23",
		"(=) Intereses reales $41,393.77",
		"Saldo al 31 de diciembre de 2024 (60,520.98 UDIS con la UDI de 8.340909) $504,800.00",
		"100% (el saldo no excede 750,000 UDIS)",
		"Intereses reales deducibles $41,393.77",
		"Saldo de tu crédito al 31 de diciembre de 2025 $492,890.00",
		"Enero $503,800.00 Mayo $505,830.00 Septiembre $495,860.00",
		"Abril $500,830.00 Agosto $496,860.00 Diciembre $492,890.00",
		"Banxico; verificar",
		"Verifica este documento", "Folio: " + testFolio,
		"Emitido el 2 dic 2026 a las 12:30 (hora del centro de México)",
		"https://micuenta.example/verificar/" + testFolio,
	})
	if strings.Contains(text, "VSM") || strings.Contains(text, "Vigente hasta") {
		t.Error("a peso constancia without expiry mentions VSM or a validity")
	}
	// Over the cap (credit's example B) and a VSM credit say so.
	s.Proportional, s.CapBalance, s.CapUDIsE2, s.Nominal, s.Adjustment, s.Real, s.Deductible, s.VSM =
		true, 700_000_000, 83_923_707, 70_000_000, 26_043_622, 43_956_378, 39_282_445, true
	text = pdfText(t, render(t, func(b *bytes.Buffer) error { return WriteInterestStatement(b, s) }))
	wantAll(t, text, []string{"89.3669% (750,000 UDIS entre el saldo en UDIS)", "Intereses reales deducibles $392,824.45",
		"Veces Salario Mínimo (VSM)", "La ley no precisa cómo calcular los intereses reales"})
	// Figures that do not add up are refused.
	s.Real++
	if err := WriteInterestStatement(&bytes.Buffer{}, s); err == nil {
		t.Error("a constancia that does not add up rendered")
	}
}

func exampleNotice(kind string) *DiscountNotice {
	return &DiscountNotice{Kind: kind, Name: "María Fernanda Peña Ibáñez", NSS: "41800500014", CURP: "PEIM800517MDFXXX09", CreditNumber: "1512345678",
		EmployerName: "PANADERÍA LA ESPIGA, S.A. DE C.V.", EmployerRegistro: "B9876543210", DiscountType: credit.DiscountCuotaFija,
		DiscountFactorE4: 4_354_17, Start: portal.NewDate(2024, 8, 16), Reason: "Cambio de patrón", Verified: testVerified(portal.Date{})}
}

// Each aviso: its title, the employer, the worker, the discount as the
// SUA names it, the start date, the signature lines, the folio.
func TestDiscountNoticePDF(t *testing.T) {
	text := pdfText(t, render(t, func(b *bytes.Buffer) error { return WriteDiscountNotice(b, exampleNotice(credit.AvisoRetencion)) }))
	wantAll(t, text, []string{"Aviso de retención de descuentos", "A: PANADERÍA LA ESPIGA, S.A. DE C.V. (registro patronal B9876543210)",
		"artículo 29, fracción III", "a partir del 16 de agosto de 2024", "Número de crédito: 1512345678",
		"Persona trabajadora: María Fernanda Peña Ibáñez", "NSS: 41800500014", "CURP: PEIM800517MDFXXX09",
		"Tipo de descuento: PESOS (cuota fija mensual)", "Valor del descuento: $4,354.17 al mes",
		"Fecha de inicio del descuento: 16 de agosto de 2024", "Motivo: Cambio de patrón",
		"Nombre, firma y sello:", "Folio: " + testFolio})

	n := exampleNotice(credit.AvisoModificacion)
	n.DiscountType, n.DiscountFactorE4, n.Start, n.Reason = credit.DiscountPorcentaje, 2500, portal.NewDate(2025, 3, 1), "Reestructura"
	text = pdfText(t, render(t, func(b *bytes.Buffer) error { return WriteDiscountNotice(b, n) }))
	wantAll(t, text, []string{"Aviso de modificación de descuentos", "A partir del 1 de marzo de 2025, aplique", "en lugar del anterior", "Tipo de descuento: PORCENTAJE del salario diario integrado",
		"Valor del descuento: 25.00%", "Fecha de inicio del descuento: 1 de marzo de 2025", "Motivo: Reestructura"})

	n = exampleNotice(credit.AvisoSuspension)
	n.DiscountType, n.DiscountFactorE4, n.Start, n.Reason, n.EmployerName = credit.DiscountVSM, 123_456, portal.NewDate(2025, 8, 14), "Liquidación del crédito", ""
	text = pdfText(t, render(t, func(b *bytes.Buffer) error { return WriteDiscountNotice(b, n) }))
	wantAll(t, text, []string{"Aviso de suspensión de descuentos", "Al patrón de la persona trabajadora", "está liquidado desde el 14 de agosto de 2025",
		"Tipo de descuento: CUOTA FIJA EN VSM", "Valor del descuento: 12.3456 VSM al mes", "Crédito liquidado el: 14 de agosto de 2025"})

	for _, bad := range []*DiscountNotice{nil, {Kind: "otro", Name: "X", CreditNumber: "1"}, {Kind: credit.AvisoRetencion, CreditNumber: "1"},
		{Kind: credit.AvisoRetencion, Name: "X", CreditNumber: "1", DiscountType: "nada", Verified: testVerified(portal.Date{})}} {
		if err := WriteDiscountNotice(&bytes.Buffer{}, bad); err == nil {
			t.Errorf("%+v rendered", bad)
		}
	}
}

// The carta: who it is addressed to, the credit, when it was settled,
// its 180-day validity, the four steps.
func TestCancellationLetterPDF(t *testing.T) {
	l := &CancellationLetter{Name: "Juan Pérez López", CreditNumber: "0712345678", Origination: portal.NewDate(2007, 4, 20),
		SettledOn: portal.NewDate(2025, 8, 14), Verified: testVerified(portal.NewDate(2027, 5, 31))}
	text := pdfText(t, render(t, func(b *bytes.Buffer) error { return WriteCancellationLetter(b, l) }))
	wantAll(t, text, []string{"Carta de instrucción de cancelación de hipoteca", "A la notaría pública o al Registro Público de la Propiedad",
		"crédito número 0712345678, otorgado el 20 de abril de 2007,", "Juan Pérez López", "fue liquidado en su totalidad el 14 de agosto de 2025",
		"hasta el 31 de mayo de 2027", "Vigente hasta el 31 de mayo de 2027 (inclusive)",
		"1. Confirma que tu saldo es cero", "2. Entrega el aviso de suspensión de descuentos a tu patrón",
		"3. Solicita la cancelación de tu hipoteca", "4. Recoge tus escrituras", "conyugal", "Folio: " + testFolio})
	l.Verified.ValidUntil = portal.Date{}
	if err := WriteCancellationLetter(&bytes.Buffer{}, l); err == nil {
		t.Error("a carta without validity rendered")
	}
	l.Verified = Verified{Folio: testFolio, Issued: time.Now(), ValidUntil: portal.NewDate(2027, 1, 1), VerifyURL: "https://otro.example/verificar/OTRO"}
	if err := WriteCancellationLetter(&bytes.Buffer{}, l); err == nil {
		t.Error("a QR code pointing to another folio rendered")
	}
}

// Every document gives the same bytes for the same input, and its inputs
// (the JSON the issuer keys it by) leave out the folio and dates.
func TestIssuedDocumentsAreStable(t *testing.T) {
	letter := &CancellationLetter{Name: "Juan Pérez López", CreditNumber: "0712345678", SettledOn: portal.NewDate(2025, 8, 14), Verified: testVerified(portal.NewDate(2027, 5, 31))}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"constancia": func(b *bytes.Buffer) error { return WriteInterestStatement(b, exampleInterest()) },
		"aviso":      func(b *bytes.Buffer) error { return WriteDiscountNotice(b, exampleNotice(credit.AvisoRetencion)) },
		"carta":      func(b *bytes.Buffer) error { return WriteCancellationLetter(b, letter) },
	} {
		a, b := render(t, write), render(t, write)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", name)
		}
	}
	in, _ := json.Marshal(exampleInterest())
	if bytes.Contains(in, []byte(testFolio)) || bytes.Contains(in, []byte("2026-12-02")) {
		t.Errorf("the constancia's inputs carry its folio or issue time: %s", in)
	}
}

// Spanish is drawn with the standard fonts (cp1252: no font embedded):
// á é í ó ú ñ ü ¿ ¡ and the minus sign come back from the text. A name
// they cannot show is drawn with the embedded fonts, whole, and as
// stable.
func TestIssuedDocumentsSpanishAndAnyName(t *testing.T) {
	n := exampleNotice(credit.AvisoRetencion)
	n.Name, n.EmployerName = "Begoña Güell Núñez", "¡PAN Y CAFÉ! ¿SOCIEDAD ÚNICA?, S.A."
	pdf := render(t, func(b *bytes.Buffer) error { return WriteDiscountNotice(b, n) })
	if bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Error("a Spanish document embedded a font")
	}
	wantAll(t, pdfText(t, pdf), []string{"Persona trabajadora: Begoña Güell Núñez", "A: ¡PAN Y CAFÉ! ¿SOCIEDAD ÚNICA?, S.A.", "Aviso de retención", "patrón"})

	n.Name = "Nguyễn Thị Đặng"
	write := func(b *bytes.Buffer) error { return WriteDiscountNotice(b, n) }
	pdf = render(t, write)
	if !bytes.Contains(pdf, []byte("/FontFile2")) || !bytes.Equal(pdf, render(t, write)) {
		t.Error("a name outside cp1252: not embedded, or not stable")
	}
	wantAll(t, pdfText(t, pdf), []string{"Persona trabajadora: Nguyễn Thị Đặng", "Folio: " + testFolio})
}

// The QR code in the PDF is the verification address's: the page is
// rasterised with pdftoppm and each module's centre is read back and
// compared with the encoder's modules.
func TestQRCodeInThePDF(t *testing.T) {
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		need.Unavailable(t, "pdftoppm", "install poppler-utils")
		return
	}
	v := testVerified(portal.Date{})
	pdf := render(t, func(b *bytes.Buffer) error { return WriteDiscountNotice(b, exampleNotice(credit.AvisoRetencion)) })
	dir := t.TempDir()
	in := filepath.Join(dir, "aviso.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	// 600 dpi: a module of 28 mm / (modules + 8) is several pixels wide.
	if out, err := exec.Command(pdftoppm, "-r", "600", "-png", "-gray", "-f", "1", "-l", "1", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	if len(matches) != 1 {
		t.Fatalf("pages: %v", matches)
	}
	f, err := os.Open(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := qrModules(v.VerifyURL)
	if err != nil {
		t.Fatal(err)
	}
	// Find the QR code: the first place, near the left margin, where the
	// top-left finder pattern (a dark 7×7 ring around a dark 3×3 square,
	// with the light quiet zone to its left) is read at module centres.
	dpmm := 600 / 25.4
	module := 28.0 / float64(len(rows)+8) * dpmm
	dark := func(x, y float64) bool {
		c := color.GrayModel.Convert(img.At(int(x), int(y))).(color.Gray)
		return c.Y < 128
	}
	finder := func(x, y float64) bool {
		if dark(x-module/2, y+3.5*module) {
			return false
		}
		for i := 0; i < 7; i++ {
			for j := 0; j < 7; j++ {
				want := i == 0 || i == 6 || j == 0 || j == 6 || (i >= 2 && i <= 4 && j >= 2 && j <= 4)
				if dark(x+(float64(j)+0.5)*module, y+(float64(i)+0.5)*module) != want {
					return false
				}
			}
		}
		return true
	}
	bounds := img.Bounds()
	ox, oy := -1.0, -1.0
	for y := 0; y < bounds.Max.Y && ox < 0; y++ {
		for x := int(19 * dpmm); x < int(30*dpmm); x++ {
			if finder(float64(x), float64(y)) {
				ox, oy = float64(x), float64(y)
				break
			}
		}
	}
	if ox < 0 {
		t.Fatal("no QR code on the page")
	}
	// The first match samples just inside the modules' top and left
	// edges; centre the origin in the range of offsets that still match.
	y1 := oy
	for finder(ox, y1+1) {
		y1++
	}
	oy = (oy + y1) / 2
	x0, x1 := ox, ox
	for finder(x0-1, oy) {
		x0--
	}
	for finder(x1+1, oy) {
		x1++
	}
	ox = (x0 + x1) / 2
	wrong := 0
	for r, row := range rows {
		for c, want := range row {
			if dark(ox+(float64(c)+0.5)*module, oy+(float64(r)+0.5)*module) != want {
				wrong++
			}
		}
	}
	if wrong > 0 {
		t.Fatalf("%d of %d modules differ from the encoder's", wrong, len(rows)*len(rows))
	}
}
