package prequal

import (
	"fmt"
	"strconv"

	"micuenta/internal/chart"
	"micuenta/internal/portal"
)

// ScheduleChart lays out a schedule as bars of what is still owed: at
// signing, then at the end of each year. The layout (scale, round axis,
// bar geometry) is the shared one of package chart, so the credit chart
// looks like the savings calculator's.
func ScheduleChart(credit portal.Money, rows []YearRow) *chart.Bars {
	if credit <= 0 || len(rows) == 0 {
		return nil
	}
	points := make([]chart.Point, 0, len(rows)+1)
	points = append(points, chart.Point{Value: int64(credit), Title: fmt.Sprintf("Al firmar: debes %s", credit)})
	for _, r := range rows {
		points = append(points, chart.Point{Value: int64(r.Balance), Title: fmt.Sprintf("Al terminar el año %d: debes %s", r.Year, r.Balance)})
	}
	label := fmt.Sprintf("Gráfica de lo que debes del crédito, año por año: empieza en %s y llega a %s en %s.",
		credit, rows[len(rows)-1].Balance, years(len(rows)))
	return chart.New(points, label, 100, chart.Pesos)
}

// QuoteChart lays out a quote's schedule for the page (drawn by the
// sites' bar-chart partial), described by the payment, term, rate and
// total interest; nil for a quote that is not eligible. id must be unique
// on the page.
func QuoteChart(q Quote, id string) *chart.Bars {
	c := ScheduleChart(q.Credit, q.Schedule)
	if c == nil {
		return nil
	}
	var paid, interest portal.Money
	for _, y := range q.Schedule {
		paid += y.Payments
		interest += y.Interest
	}
	c.ID = id
	c.Desc = fmt.Sprintf("Pagas %s al mes durante %s. En total pagas %s, de los que %s son intereses.",
		q.MonthlyPayment, years(q.TermYears), paid, interest)
	if len(q.Parts) == 1 {
		c.Desc = fmt.Sprintf("Pagas %s al mes durante %s, con una tasa fija de %s anual. En total pagas %s, de los que %s son intereses.",
			q.MonthlyPayment, years(q.TermYears), Percent(q.Parts[0].RateE6), paid, interest)
	}
	return c
}

func years(n int) string {
	if n == 1 {
		return "1 año"
	}
	return strconv.Itoa(n) + " años"
}

// Percent writes a rate or share (times Scale) for people, to 0.01
// percentage points without trailing zeros: 104500 → "10.45%", 35000 →
// "3.5%", 900000 → "90%".
func Percent(e6 int64) string { return portal.Percent(portal.RoundDiv(e6, 100)) + "%" }
