package ui

import (
	"fmt"
	"micuenta/internal/chart"
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
	Chart     *chart.Bars
	YieldNote string // where the default yield comes from, and whether it is uncertain
	FirstYear int
	LastYear  int
}

type projectionRow struct {
	Year                          int
	Contributions, Yield, Balance portal.Money
}

// newChart draws the projected balance year by year.
func newChart(rows []savings.ProjectionYear, firstYear int) *chart.Bars {
	if len(rows) == 0 {
		return nil
	}
	points := make([]chart.Point, len(rows))
	for i, r := range rows {
		points[i] = chart.Point{Value: int64(r.Balance), Title: fmt.Sprintf("%d: %s", firstYear+i, r.Balance)}
	}
	return chart.New(points, fmt.Sprintf("Gráfica del saldo proyectado de %d a %d: termina en %s.", firstYear, firstYear+len(rows)-1, rows[len(rows)-1].Balance),
		100, chart.Pesos)
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

func percentText(bp int) string { return portal.Percent(int64(bp)) }

func (h *Handler) showCalculator(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pid := h.personID(r)
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
