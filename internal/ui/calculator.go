package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/employment"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/savings"
	"micuenta/internal/web"
)

// calculatorPage is /mi-cuenta/ahorro/calculadora.
type calculatorPage struct {
	Form      *web.Form
	Rows      []projectionRow
	Final     portal.Money
	Chart     *chart
	YieldNote string // where the default yield comes from, and whether it is uncertain
	FirstYear int
	LastYear  int
}

// chart is a bar chart of the balance, drawn on the server as SVG.
type chart struct {
	Width, Height int
	Bars          []chartBar
	Ticks         []chartTick
	Label         string
}

type projectionRow struct {
	Year                          int
	Contributions, Yield, Balance portal.Money
}

type chartBar struct {
	X, Y, W, H int
	Title      string
}

type chartTick struct {
	Y    int
	Text string
}

const (
	chartW, chartH   = 640, 260
	chartLeft        = 80 // room for the axis labels
	chartTop, chartB = 10, 30
)

func newChart(rows []savings.ProjectionYear, firstYear int) *chart {
	if len(rows) == 0 {
		return nil
	}
	top := int64(rows[len(rows)-1].Balance)
	for _, r := range rows {
		top = max(top, int64(r.Balance))
	}
	top = niceCeil(max(top, 100))
	c := &chart{Width: chartW, Height: chartH,
		Label: fmt.Sprintf("Gráfica del saldo proyectado de %d a %d: termina en %s.", firstYear, firstYear+len(rows)-1, rows[len(rows)-1].Balance)}
	plotH := chartH - chartTop - chartB
	slot := (chartW - chartLeft) / len(rows)
	for i, r := range rows {
		h := int(int64(plotH) * max(int64(r.Balance), 0) / top)
		c.Bars = append(c.Bars, chartBar{X: chartLeft + i*slot + slot/8, Y: chartTop + plotH - h, W: max(1, slot*3/4), H: h,
			Title: fmt.Sprintf("%d: %s", firstYear+i, r.Balance)})
	}
	for k := 0; k <= 4; k++ {
		v := top * int64(k) / 4
		c.Ticks = append(c.Ticks, chartTick{Y: chartTop + plotH - int(int64(plotH)*v/top), Text: shortPesos(v)})
	}
	return c
}

// niceCeil rounds centavos up to 1, 2 or 5 times a power of ten pesos.
func niceCeil(c int64) int64 {
	p := int64(100)
	for p*10 <= c {
		p *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		if m*p >= c {
			return m * p
		}
	}
	return 10 * p
}

// shortPesos writes an axis label: $850 mil, $1.2 millones.
func shortPesos(c int64) string {
	p := c / 100
	switch {
	case p >= 1_000_000:
		s := strconv.FormatFloat(float64(p)/1e6, 'f', 1, 64)
		return "$" + strings.TrimSuffix(s, ".0") + " mill."
	case p >= 1000:
		return "$" + strconv.FormatInt(p/1000, 10) + " mil"
	}
	return "$" + strconv.FormatInt(p, 10)
}

// parsePercent reads "4.5" or "4,5" (%) into basis points.
func parsePercent(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(strings.ReplaceAll(s, ",", ".")), "%")
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || f < 0 {
		return 0, false
	}
	return w*100 + f, true
}

func percentText(bp int) string {
	s := fmt.Sprintf("%d.%02d", bp/100, bp%100)
	return strings.TrimSuffix(strings.TrimSuffix(s, "0"), ".0")
}

func (h *Handler) showCalculator(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pid, err := h.personID(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	ref, err := reference.Load(ctx, h.refs)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	today := portal.DateOf(time.Now())
	uma, err := ref.At(reference.UMADiaria, today)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	form := web.NewForm()
	page := calculatorPage{Form: form, FirstYear: today.Y + 1}
	q := r.URL.Query()
	// Defaults: the person's balance and last salary, the last published
	// yield, and the UMA's last yearly rise as the salary growth.
	defaults := map[string]string{"anios": "20"}
	if sum, err := h.savings.Summary(ctx, pid); err == nil {
		defaults["saldo"] = sum.Total.Decimal()
	}
	if js, err := h.jobs.JobsOf(ctx, pid); err == nil && len(js) > 0 {
		employment.SortJobs(js)
		defaults["salario"] = js[0].DailySalary.Decimal()
	}
	if y, err := ref.At(reference.RendimientoSCV, today); err == nil {
		defaults["rendimiento"] = percentText(int(y.E6 / 100))
		page.YieldNote = fmt.Sprintf("El rendimiento propuesto es el último publicado para la Subcuenta de Vivienda (%s%%).", percentText(int(y.E6/100)))
		if y.Uncertain {
			page.YieldNote += " Es una cifra aproximada: la fuente no publica el dato de cada año."
		}
	}
	defaults["crecimiento"] = "4"
	if prev, err := ref.At(reference.UMADiaria, today.AddDays(-366)); err == nil && prev.E6 > 0 {
		defaults["crecimiento"] = percentText(int((uma.E6 - prev.E6) * 10_000 / prev.E6))
	}
	for _, k := range []string{"saldo", "salario", "anios", "crecimiento", "rendimiento"} {
		v := q.Get(k)
		if !q.Has(k) {
			v = defaults[k]
		}
		form.Set(k, v)
	}
	in := savings.ProjectionInput{UMADaily: uma.Centavos()}
	var ok bool
	if in.Start, err = portal.ParseMoney(form.Get("saldo")); err != nil || in.Start < 0 || in.Start > 100_000_000_000 {
		form.Fail("saldo", "Escribe tu saldo actual en pesos, por ejemplo 85000.00 (puede ser 0).")
	}
	if in.DailySalary, err = portal.ParseMoney(form.Get("salario")); err != nil || in.DailySalary <= 0 || in.DailySalary > 10_000_000 {
		form.Fail("salario", "Escribe tu salario diario en pesos, mayor que 0, por ejemplo 450.00.")
	}
	if in.Years, err = strconv.Atoi(strings.TrimSpace(form.Get("anios"))); err != nil || in.Years < 1 || in.Years > savings.MaxProjectionYears {
		form.Fail("anios", fmt.Sprintf("Escribe cuántos años quieres proyectar, de 1 a %d.", savings.MaxProjectionYears))
	}
	if in.GrowthBP, ok = parsePercent(form.Get("crecimiento")); !ok || in.GrowthBP > savings.MaxRateBP {
		form.Fail("crecimiento", "Escribe el aumento anual de tu salario en porcentaje, de 0 a 20, por ejemplo 4.5.")
	}
	if in.YieldBP, ok = parsePercent(form.Get("rendimiento")); !ok || in.YieldBP > savings.MaxRateBP {
		form.Fail("rendimiento", "Escribe el rendimiento anual en porcentaje, de 0 a 20, por ejemplo 5.5.")
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusBadRequest
	} else {
		rows := savings.Project(in)
		for _, r := range rows {
			page.Rows = append(page.Rows, projectionRow{Year: page.FirstYear + r.Year - 1, Contributions: r.Contributions, Yield: r.Yield, Balance: r.Balance})
		}
		page.Final, page.LastYear = rows[len(rows)-1].Balance, page.FirstYear+len(rows)-1
		page.Chart = newChart(rows, page.FirstYear)
	}
	h.render.Render(w, r, status, "calculadora", page)
}
