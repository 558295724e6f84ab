package statement

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
)

func testCredit() credit.Credit {
	return credit.Credit{ID: 7, Number: "1234567890", PersonID: 3, Product: "tradicional", Denomination: credit.DenomPesos,
		Origination: portal.NewDate(2026, time.September, 15), OriginalAmount: portal.Pesos(500000, 0), AnnualRateBP: 1045,
		TermMonths: 360, MonthlyPayment: portal.Pesos(4321, 9), State: credit.StateVigente}
}

func mv(kind string, y int, m time.Month, d int, amount portal.Money) credit.Movement {
	return credit.Movement{CreditID: 7, Kind: kind, ValueDate: portal.NewDate(y, m, d), Amount: amount}
}

// testLedger is a hand-made ledger around November 2026, with movements
// on both edges of the month and on the days just outside it.
func testLedger() []credit.Movement {
	return []credit.Movement{
		mv(credit.KindDisposicion, 2026, 9, 15, portal.Pesos(500000, 0)),
		mv(credit.KindInteres, 2026, 9, 30, portal.Pesos(4354, 17)),
		mv(credit.KindDescuentoNomina, 2026, 10, 15, -portal.Pesos(4321, 9)),
		mv(credit.KindInteres, 2026, 10, 31, portal.Pesos(4354, 46)),
		mv(credit.KindSeguro, 2026, 10, 31, portal.Pesos(15, 0)),
		mv(credit.KindPagoDirecto, 2026, 11, 1, -portal.Pesos(1000, 0)),
		mv(credit.KindDescuentoNomina, 2026, 11, 15, -portal.Pesos(4321, 9)),
		mv(credit.KindInteres, 2026, 11, 30, portal.Pesos(4326, 55)),
		mv(credit.KindAjuste, 2026, 12, 1, -portal.Pesos(0, 50)),
	}
}

var (
	nov1  = portal.NewDate(2026, time.November, 1)
	nov30 = portal.NewDate(2026, time.November, 30)
	// 03:30 UTC on 3 December is 21:30 on 2 December in Mexico City.
	testGenerated = time.Date(2026, time.December, 3, 3, 30, 0, 0, time.UTC)
)

// November's statement, by hand: before 1 November the ledger adds up to
// 500,000.00 + 4,354.17 − 4,321.09 + 4,354.46 + 15.00 = 504,402.54; in
// November, 4,326.55 of interest and 1,000.00 + 4,321.09 = 5,321.09 paid,
// so it closes at 504,402.54 + 4,326.55 − 5,321.09 = 503,408.00. The
// adjustment of 1 December is not November's.
func TestBuildCreditStatement(t *testing.T) {
	s := BuildCreditStatement(testCredit(), testLedger(), nov1, nov30)
	if s.Opening != portal.Pesos(504402, 54) {
		t.Errorf("opening %s, want $504,402.54", s.Opening)
	}
	if s.Closing != portal.Pesos(503408, 0) {
		t.Errorf("closing %s, want $503,408.00", s.Closing)
	}
	charges, payments := s.Totals()
	if charges != portal.Pesos(4326, 55) || payments != -portal.Pesos(5321, 9) {
		t.Errorf("totals %s, %s; want $4,326.55, -$5,321.09", charges, payments)
	}
	var kinds []string
	for _, m := range s.Movements {
		kinds = append(kinds, m.Kind)
	}
	if got := strings.Join(kinds, ","); got != "pago_directo,descuento_nomina,interes" {
		t.Errorf("movements %s", got)
	}
	if s.Credit.Number != "1234567890" || s.From != nov1 || s.To != nov30 {
		t.Errorf("credit or period lost: %+v", s)
	}
	if s.OpeningVSM != 0 || s.ClosingVSM != 0 {
		t.Errorf("VSM figures on a peso credit: %d, %d", s.OpeningVSM, s.ClosingVSM)
	}

	// The whole history: opening zero, closing the sum of everything.
	h := BuildCreditStatement(testCredit(), testLedger(), portal.NewDate(2026, 9, 15), portal.NewDate(2026, 12, 2))
	if h.Opening != 0 || h.Closing != portal.Pesos(503407, 50) || len(h.Movements) != 9 {
		t.Errorf("history: opening %s, closing %s, %d movements", h.Opening, h.Closing, len(h.Movements))
	}
	// A month with no movements opens and closes at the same balance.
	e := BuildCreditStatement(testCredit(), testLedger(), portal.NewDate(2027, 1, 1), portal.NewDate(2027, 1, 31))
	if e.Opening != portal.Pesos(503407, 50) || e.Closing != e.Opening || len(e.Movements) != 0 {
		t.Errorf("empty month: opening %s, closing %s, %d movements", e.Opening, e.Closing, len(e.Movements))
	}
	// A period that ends before it starts has no movements.
	r := BuildCreditStatement(testCredit(), testLedger(), nov30, nov1)
	if len(r.Movements) != 0 || r.Closing != r.Opening {
		t.Errorf("reversed period: %d movements", len(r.Movements))
	}
	// The statement's movements are a copy: changing them leaves the ledger.
	all := testLedger()
	s = BuildCreditStatement(testCredit(), all, nov1, nov30)
	s.Movements[0].Amount = 1
	if all[5].Amount != -portal.Pesos(1000, 0) {
		t.Error("the statement shares the ledger's array")
	}
}

// A VSM credit's statement adds up in VSM × 10,000 the same way.
func TestBuildCreditStatementVSM(t *testing.T) {
	s := BuildCreditStatement(vsmCredit(), vsmLedger(), nov1, nov30)
	if s.OpeningVSM != 1_234_567 || s.ClosingVSM != 1_234_567+10_288-38_000 {
		t.Errorf("VSM opening %d, closing %d", s.OpeningVSM, s.ClosingVSM)
	}
	cv, pv := s.TotalsVSM()
	if cv != 10_288 || pv != -38_000 {
		t.Errorf("VSM totals %d, %d", cv, pv)
	}
	if s.Opening != portal.Pesos(420000, 0) || s.Closing != portal.Pesos(420000, 0)+portal.Pesos(3500, 12)-portal.Pesos(12927, 16) {
		t.Errorf("pesos opening %s, closing %s", s.Opening, s.Closing)
	}
}

func vsmCredit() credit.Credit {
	c := testCredit()
	c.Number, c.Denomination, c.AnnualRateBP, c.State = "0987654321", credit.DenomVSM, 900, credit.StateEnProrroga
	c.MonthlyPaymentVSME4 = 19_000
	return c
}

func vsmLedger() []credit.Movement {
	vm := func(kind string, y int, m time.Month, d int, amount portal.Money, e4 int64) credit.Movement {
		x := mv(kind, y, m, d, amount)
		x.AmountVSM = e4
		return x
	}
	return []credit.Movement{
		vm(credit.KindApertura, 2026, 10, 31, portal.Pesos(420000, 0), 1_234_567),
		vm(credit.KindDescuentoNomina, 2026, 11, 15, -portal.Pesos(6463, 58), -19_000),
		vm(credit.KindDescuentoNomina, 2026, 11, 29, -portal.Pesos(6463, 58), -19_000),
		vm(credit.KindInteres, 2026, 11, 30, portal.Pesos(3500, 12), 10_288),
	}
}

func monthlyStatement() *CreditStatement {
	s := BuildCreditStatement(testCredit(), testLedger(), nov1, nov30)
	s.Name = "María Fernanda Muñoz Peña"
	s.NextPayment = portal.Pesos(4321, 9)
	s.NextDue = portal.NewDate(2026, time.December, 31)
	s.Folio = "EC-2026-11-0000123-Ñ7Q"
	s.Generated = testGenerated
	return &s
}

// historicalLedger is n movements from April 1996: the loan, then each
// month interest, insurance in even months and a payroll discount, with
// amounts that vary to the centavo.
func historicalLedger(n int) []credit.Movement {
	moves := []credit.Movement{mv(credit.KindDisposicion, 1996, time.April, 10, portal.Pesos(250000, 0))}
	for month := 0; len(moves) < n; month++ {
		first := portal.NewDate(1996, time.May+time.Month(month), 1)
		end := portal.NewDate(first.Y, first.M+1, 0)
		moves = append(moves, mv(credit.KindDescuentoNomina, first.Y, first.M, 17, -portal.Money(180_000+month*37%10_000)))
		if len(moves) < n {
			moves = append(moves, mv(credit.KindInteres, end.Y, end.M, end.D, portal.Money(170_000-month*53%9_000)))
		}
		if len(moves) < n && first.M%2 == 0 {
			moves = append(moves, mv(credit.KindSeguro, end.Y, end.M, end.D, credit.InsurancePerBimester))
		}
	}
	return moves
}

func historicalStatement(n int) *CreditStatement {
	moves := historicalLedger(n)
	c := testCredit()
	c.Origination = moves[0].ValueDate
	s := BuildCreditStatement(c, moves, c.Origination, moves[len(moves)-1].ValueDate)
	s.Historical = true
	s.Name = "José Ángel Núñez Güémez"
	s.NextPayment = portal.Pesos(1800, 0)
	s.NextDue = portal.NewDate(2026, time.December, 31)
	s.Folio = "EH-0001-ÁÉÍ"
	s.Generated = testGenerated
	return &s
}

func renderCredit(t *testing.T, s *CreditStatement) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCreditStatement(&buf, s); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	return buf.Bytes()
}

// statementRow is a movement row read back from a statement's text.
type statementRow struct {
	date, what     string
	charge, credit portal.Money
}

var (
	tableHeader = regexp.MustCompile(`Fecha +Movimiento +Cargo +Abono`)
	rowLine     = regexp.MustCompile(`^\s*(\d{1,2} [a-z]{3} \d{4})\s{2,}(\S.*?)\s{2,}(\$[\d,]+\.\d\d)\s*(-?[\d.]+ VSM)?\s*$`)
	moneyIn     = regexp.MustCompile(`-?\$[\d,]+\.\d\d`)
)

// readRows reads the movement rows of a statement's text, page by page,
// telling charges from credits by the column the amount ends under; it
// fails the test on a page whose rows have no header above them.
func readRows(t *testing.T, text string) []statementRow {
	t.Helper()
	var rows []statementRow
	for p, page := range strings.Split(text, "\f") {
		lines := strings.Split(page, "\n")
		cargoEnd, abonoEnd := -1, -1
		for _, line := range lines {
			if loc := tableHeader.FindStringIndex(line); loc != nil {
				cargoEnd = strings.Index(line, "Cargo") + len("Cargo")
				abonoEnd = loc[1]
				continue
			}
			m := rowLine.FindStringSubmatchIndex(line)
			if m == nil {
				continue
			}
			if cargoEnd < 0 {
				t.Fatalf("page %d: a movement row with no header above it: %q", p+1, line)
			}
			amount, err := portal.ParseMoney(line[m[6]:m[7]])
			if err != nil {
				t.Fatal(err)
			}
			r := statementRow{date: line[m[2]:m[3]], what: line[m[4]:m[5]]}
			// The amount is right-aligned under its column's heading.
			if end := m[7]; abs(end-cargoEnd) < abs(end-abonoEnd) {
				r.charge = amount
			} else {
				r.credit = amount
			}
			rows = append(rows, r)
		}
	}
	return rows
}

func abs(x int) int { return max(x, -x) }

// figure reads the amount that follows a label on the same line.
func figure(t *testing.T, text, label string) portal.Money {
	t.Helper()
	i := strings.Index(text, label)
	if i < 0 {
		t.Fatalf("no %q in:\n%s", label, text)
	}
	line, _, _ := strings.Cut(text[i+len(label):], "\n")
	found := moneyIn.FindString(line)
	m, err := portal.ParseMoney(found)
	if err != nil {
		t.Fatalf("%q: %q: %v", label, line, err)
	}
	return m
}

// checkArithmetic reads the summary and the rows back from the text and
// checks that the rows add up to the totals and the opening balance plus
// the movements to the closing one.
func checkArithmetic(t *testing.T, text string, s *CreditStatement) {
	t.Helper()
	opening, charges, payments, closing := figure(t, text, "Saldo inicial"), figure(t, text, "(+) Cargos"), figure(t, text, "(−) Pagos y abonos"), figure(t, text, "(=) Saldo final")
	if opening != s.Opening || closing != s.Closing {
		t.Errorf("printed opening %s and closing %s, want %s and %s", opening, closing, s.Opening, s.Closing)
	}
	if opening+charges-payments != closing {
		t.Errorf("printed %s + %s − %s ≠ %s", opening, charges, payments, closing)
	}
	rows := readRows(t, text)
	if len(rows) != len(s.Movements) {
		t.Fatalf("%d rows read back, want %d", len(rows), len(s.Movements))
	}
	var sumC, sumP portal.Money
	for i, r := range rows {
		m := s.Movements[i]
		want := statementRow{date: m.ValueDate.Spanish(), what: credit.KindName(m.Kind)}
		if m.Amount > 0 {
			want.charge = m.Amount
		} else {
			want.credit = -m.Amount
		}
		if r != want {
			t.Errorf("row %d reads %+v, want %+v", i+1, r, want)
		}
		sumC += r.charge
		sumP += r.credit
	}
	if sumC != charges || sumP != payments {
		t.Errorf("rows add up to %s and %s, the summary says %s and %s", sumC, sumP, charges, payments)
	}
	if got := figure(t, text, "Totales del periodo"); got != charges {
		t.Errorf("totals row: %s, want %s", got, charges)
	}
}

func TestCreditStatementMonthlyPDF(t *testing.T) {
	s := monthlyStatement()
	text := slipPDFText(t, renderCredit(t, s))
	for _, want := range []string{
		"Estado de cuenta de tu crédito de noviembre de 2026",
		"Fondo Nacional de Vivienda para los Trabajadores",
		"Titular del crédito: María Fernanda Muñoz Peña",
		"Tradicional", "Pesos", "10.45% anual", "Vigente",
		"del 1 de noviembre de 2026 al 30 de noviembre de 2026",
		"Resumen del periodo",
		"$504,402.54", "$4,326.55", "$5,321.09", "$503,408.00",
		"Saldo al 30 de noviembre de 2026: $503,408.00",
		"Tu próximo pago: $4,321.09, a más tardar el 31 de diciembre de 2026.",
		"Folio de verificación: EC-2026-11-0000123-Ñ7Q",
		"Generado el 2 dic 2026 a las 21:30 (hora del centro de México)",
		"Página 1 de 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the statement lacks %q:\n%s", want, text)
		}
	}
	for _, re := range []string{`Número de crédito:\s+1234567890`, `Tasa de interés:\s+10\.45% anual`, `Estado del crédito:\s+Vigente`,
		`1 nov 2026\s+Pago directo\s+\$1,000\.00`, `15 nov 2026\s+Descuento por nómina\s+\$4,321\.09`, `30 nov 2026\s+Intereses\s+\$4,326\.55`} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("the statement lacks /%s/:\n%s", re, text)
		}
	}
	for _, outside := range []string{"31 oct 2026", "1 dic 2026", "Sin movimientos", "VSM"} {
		if strings.Contains(text, outside) {
			t.Errorf("the statement shows %q", outside)
		}
	}
	checkArithmetic(t, text, s)
	if pages := strings.Count(text, "\f"); pages != 1 {
		t.Errorf("%d pages, want 1", pages)
	}
}

// The historical statement of 400 movements runs over several pages:
// each repeats the table's header and the footer with the folio, and the
// rows read back from every page still add up.
func TestCreditStatementHistoricalPDF(t *testing.T) {
	s := historicalStatement(400)
	if len(s.Movements) != 400 || s.Opening != 0 {
		t.Fatalf("%d movements, opening %s", len(s.Movements), s.Opening)
	}
	text := slipPDFText(t, renderCredit(t, s))
	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	if len(pages) < 5 {
		t.Fatalf("400 movements on %d pages", len(pages))
	}
	if !strings.Contains(pages[0], "Estado de cuenta histórico de tu crédito") || !strings.Contains(pages[0], "Titular del crédito: José Ángel Núñez Güémez") {
		t.Errorf("first page:\n%s", pages[0])
	}
	if !strings.Contains(pages[0], "del 10 de abril de 1996 al") {
		t.Errorf("the period does not start at the credit's start:\n%s", pages[0])
	}
	for i, page := range pages {
		if !tableHeader.MatchString(page) {
			t.Errorf("page %d has no table header:\n%s", i+1, page)
		}
		if i > 0 && !strings.Contains(page, "Crédito 1234567890 · movimientos (continuación)") {
			t.Errorf("page %d does not say it continues", i+1)
		}
		for _, want := range []string{"Folio de verificación: EH-0001-ÁÉÍ", fmt.Sprintf("Página %d de %d", i+1, len(pages))} {
			if !strings.Contains(page, want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
	}
	checkArithmetic(t, text, s)
	last := pages[len(pages)-1]
	if !strings.Contains(last, "Saldo al "+slipDate(s.To)+": "+s.Closing.String()) || !strings.Contains(last, "Tu próximo pago: $1,800.00") {
		t.Errorf("last page:\n%s", last)
	}
}

// A month with no movements still renders, says so, and its closing
// balance is its opening one.
func TestCreditStatementNoMovements(t *testing.T) {
	s := BuildCreditStatement(testCredit(), testLedger(), portal.NewDate(2027, 1, 1), portal.NewDate(2027, 1, 31))
	s.Name, s.Folio, s.Generated = "Ana Ñandú", "F-1", testGenerated
	text := slipPDFText(t, renderCredit(t, &s))
	for _, want := range []string{"Estado de cuenta de tu crédito de enero de 2027", "Sin movimientos en el periodo.", "Saldo al 31 de enero de 2027: $503,407.50", "Página 1 de 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the statement lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Tu próximo pago") {
		t.Error("a next payment with no due date")
	}
	checkArithmetic(t, text, &s)
	if figure(t, text, "(+) Cargos") != 0 || figure(t, text, "(−) Pagos y abonos") != 0 {
		t.Error("charges or payments in an empty month")
	}
}

// A VSM credit shows the VSM figures beside the pesos.
func TestCreditStatementVSMPDF(t *testing.T) {
	s := BuildCreditStatement(vsmCredit(), vsmLedger(), nov1, nov30)
	s.Name, s.Folio, s.Generated = "Rosa Elena Ibáñez", "V-9", testGenerated
	s.NextPayment, s.NextDue = portal.Pesos(6463, 58), portal.NewDate(2026, 12, 31)
	text := slipPDFText(t, renderCredit(t, &s))
	for _, re := range []string{
		`Denominación:\s+Veces Salario Mínimo \(VSM\)`, `9\.00% anual`, `En prórroga`,
		`Saldo inicial\s+\$420,000\.00\s+123\.4567 VSM`,
		`\(\+\) Cargos \(intereses, seguros…\)\s+\$3,500\.12\s+1\.0288 VSM`,
		`\(−\) Pagos y abonos\s+\$12,927\.16\s+3\.8000 VSM`,
		`\(=\) Saldo final\s+\$410,572\.96\s+120\.6855 VSM`,
		`Fecha\s+Movimiento\s+Cargo\s+Abono\s+En VSM`,
		`15 nov 2026\s+Descuento por nómina\s+\$6,463\.58\s+-1\.9000 VSM`,
		`30 nov 2026\s+Intereses\s+\$3,500\.12\s+1\.0288 VSM`,
		`Saldo al 30 de noviembre de 2026: \$410,572\.96 \(120\.6855 VSM\)`,
	} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("the statement lacks /%s/:\n%s", re, text)
		}
	}
	checkArithmetic(t, text, &s)
}

func TestCreditStatementTitle(t *testing.T) {
	cases := []struct {
		from, to   portal.Date
		historical bool
		want       string
	}{
		{nov1, nov30, false, "Estado de cuenta de tu crédito de noviembre de 2026"},
		{portal.NewDate(2028, 2, 1), portal.NewDate(2028, 2, 29), false, "Estado de cuenta de tu crédito de febrero de 2028"},
		{portal.NewDate(2026, 11, 3), nov30, false, "Estado de cuenta de tu crédito del 3 de noviembre de 2026 al 30 de noviembre de 2026"},
		{portal.NewDate(2026, 2, 1), portal.NewDate(2026, 2, 28), true, "Estado de cuenta histórico de tu crédito"},
	}
	for _, c := range cases {
		if got := creditStatementTitle(&CreditStatement{From: c.from, To: c.to, Historical: c.historical}); got != c.want {
			t.Errorf("%s–%s: %q, want %q", c.from, c.to, got, c.want)
		}
	}
}

// A statement whose figures do not add up, with a movement outside its
// period, or with no folio is refused, and nothing is written.
func TestCreditStatementRefusesInconsistent(t *testing.T) {
	for name, spoil := range map[string]func(s *CreditStatement){
		"closing off by a centavo": func(s *CreditStatement) { s.Closing++ },
		"opening off":              func(s *CreditStatement) { s.Opening -= 100 },
		"movement outside":         func(s *CreditStatement) { s.Movements[0].ValueDate = portal.NewDate(2026, 10, 31) },
		"no folio":                 func(s *CreditStatement) { s.Folio = " " },
		"reversed period":          func(s *CreditStatement) { s.From, s.To = s.To, s.From },
		"VSM off": func(s *CreditStatement) {
			s.Credit.Denomination = credit.DenomVSM
			s.ClosingVSM = 1
		},
	} {
		s := monthlyStatement()
		spoil(s)
		var buf bytes.Buffer
		if err := WriteCreditStatement(&buf, s); err == nil {
			t.Errorf("%s: rendered", name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: %d bytes written", name, buf.Len())
		}
	}
	if err := WriteCreditStatement(&bytes.Buffer{}, nil); err == nil {
		t.Error("a nil statement rendered")
	}
}

// The same statement gives the same bytes.
func TestCreditStatementIsStable(t *testing.T) {
	if !bytes.Equal(renderCredit(t, monthlyStatement()), renderCredit(t, monthlyStatement())) {
		t.Fatal("two renders of the same statement differ")
	}
}

func TestVSMFigureAndRate(t *testing.T) {
	for e4, want := range map[int64]string{0: "0.0000 VSM", 1_234_567: "123.4567 VSM", -19_000: "-1.9000 VSM", 5: "0.0005 VSM"} {
		if got := credit.FormatVSM(e4); got != want {
			t.Errorf("FormatVSM(%d) = %q, want %q", e4, got, want)
		}
	}
	for bp, want := range map[int]string{1045: "10.45% anual", 900: "9.00% anual", 5: "0.05% anual"} {
		if got := rateText(bp); got != want {
			t.Errorf("rateText(%d) = %q, want %q", bp, got, want)
		}
	}
}
