package admin

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"micuenta/internal/chart"
	"micuenta/internal/figures"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/web"
)

// dashboardPage is /admin/tablero.
type dashboardPage struct {
	Form  *web.Form
	D     *figures.Dashboard
	Range string // "del 3 de noviembre de 2026 al 2 de diciembre de 2026"
	AsOf  string

	Total, Active, ActiveShare  string
	NewYTD, PrevClose, Growth   string
	PrevYear                    int
	States                      []countRow
	TopStates                   []countRow
	Months                      []countRow
	Quarters                    []countRow
	Days                        []dayRow
	AvgDailyActive, Visits, Avg string
	Requests, Pages             []countRow
	Funnel                      []funnelRow
	Codes                       []codeRow

	ActiveChart, NewChart *chart.Bars
	CSV                   string
	Presets               []web.NavLink
}

type countRow struct{ Name, Value, Share string }

type dayRow struct{ Day, NewAccounts, Active string }

type funnelRow struct{ Step, Value, Drop string }

type codeRow struct{ Channel, Sent, Failed, Rate string }

// defaultRangeDays is the range shown when none is asked for.
const defaultRangeDays = 30

// dashboardRange reads desde/hasta (or dias) from the query; an invalid
// one fails at its field and the default range is shown instead.
func (h *Handler) dashboardRange(r *http.Request) (*web.Form, portal.Date, portal.Date) {
	today := portal.DateOf(h.now())
	q := r.URL.Query()
	f := web.NewForm()
	to, from := today, today.AddDays(-(defaultRangeDays - 1))
	if n, err := strconv.Atoi(q.Get("dias")); err == nil && n >= 1 && n <= figures.MaxRangeDays {
		from = today.AddDays(-(n - 1))
	}
	if q.Get("desde") == "" && q.Get("hasta") == "" {
		f.Set("desde", from.String())
		f.Set("hasta", to.String())
		return f, from, to
	}
	f.Set("desde", q.Get("desde"))
	f.Set("hasta", q.Get("hasta"))
	d1, err1 := portal.ParseDate(q.Get("desde"))
	if err1 != nil {
		f.Fail("desde", "Escribe la fecha inicial como AAAA-MM-DD, por ejemplo 2026-11-01.")
	}
	d2, err2 := portal.ParseDate(q.Get("hasta"))
	if err2 != nil {
		f.Fail("hasta", "Escribe la fecha final como AAAA-MM-DD, por ejemplo 2026-11-30.")
	}
	switch {
	case err1 != nil || err2 != nil:
	case today.Before(d2):
		f.Fail("hasta", "La fecha final no puede ser posterior a hoy.")
	case d2.Before(d1):
		f.Fail("hasta", "La fecha final debe ser igual o posterior a la inicial.")
	case d1.AddDays(figures.MaxRangeDays).Before(d2):
		f.Fail("desde", fmt.Sprintf("El periodo puede abarcar hasta %d días.", figures.MaxRangeDays))
	}
	if f.HasErrors() {
		return f, from, to
	}
	return f, d1, d2
}

func (h *Handler) showDashboard(w http.ResponseWriter, r *http.Request) {
	f, from, to := h.dashboardRange(r)
	d, err := h.figures.Dashboard(r.Context(), from, to)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	p := dashboardPage{Form: f, D: d, Range: "del " + from.Spanish() + " al " + to.Spanish(),
		Total: portal.Grouped(d.Total), Active: portal.Grouped(d.Active), ActiveShare: portal.Percent(figures.RatioBP(d.Active, d.Total)),
		NewYTD: portal.Grouped(d.NewYTD), PrevClose: portal.Grouped(d.PrevClose), Growth: portal.Percent(d.GrowthBP),
		AvgDailyActive: portal.Grouped(d.AvgDailyActive), Visits: portal.Grouped(d.Visits), Avg: minutesSeconds(int64(d.AvgVisit.Seconds())),
		PrevYear: d.Year - 1,
		CSV:      "/admin/tablero.csv?" + url.Values{"desde": {from.String()}, "hasta": {to.String()}}.Encode()}
	if !d.AsOf.IsZero() {
		p.AsOf = d.AsOf.Spanish()
	}
	for _, s := range d.States {
		row := countRow{ident.State(s.Name).Name(), portal.Grouped(s.Value), portal.Percent(figures.RatioBP(s.Value, d.Total))}
		p.States = append(p.States, row)
		if len(p.TopStates) < 5 {
			p.TopStates = append(p.TopStates, row)
		}
	}
	for _, m := range d.NewByMonth {
		p.Months = append(p.Months, countRow{Name: m.Name, Value: portal.Grouped(m.Value)})
	}
	for _, q := range d.NewByQuarter {
		p.Quarters = append(p.Quarters, countRow{q.Name, portal.Grouped(q.Value), portal.Percent(q.ShareBP)})
	}
	var active, created []chart.Point
	for i, day := range d.DailyActive {
		n := d.NewByDay[i].Value
		p.Days = append(p.Days, dayRow{day.Day.Spanish(), portal.Grouped(n), portal.Grouped(day.Value)})
		active = append(active, chart.Point{Value: day.Value, Title: fmt.Sprintf("%s: %s", day.Day.Spanish(), portal.Grouped(day.Value))})
		created = append(created, chart.Point{Value: n, Title: fmt.Sprintf("%s: %s", day.Day.Spanish(), portal.Grouped(n))})
	}
	p.ActiveChart = chart.New(active, fmt.Sprintf("Cuentas que ingresaron cada día %s; promedio %s al día.", p.Range, p.AvgDailyActive), 1, chart.Count)
	p.NewChart = chart.New(created, fmt.Sprintf("Cuentas nuevas cada día %s.", p.Range), 1, chart.Count)
	for _, c := range d.Requests {
		name := c.Name
		if t, ok := request.Types[c.Name]; ok {
			name = t.Title
		}
		p.Requests = append(p.Requests, countRow{Name: name, Value: portal.Grouped(c.Value)})
	}
	for _, c := range d.Pages {
		p.Pages = append(p.Pages, countRow{Name: c.Name, Value: portal.Grouped(c.Value)})
	}
	for i, s := range d.Funnel {
		row := funnelRow{Step: s.Step.Label, Value: portal.Grouped(s.Value), Drop: "—"}
		if i > 0 {
			row.Drop = portal.Percent(s.DropBP) + " %"
		}
		p.Funnel = append(p.Funnel, row)
	}
	for _, c := range d.Codes {
		name := map[string]string{"email": "Correo electrónico", "sms": "SMS"}[c.Channel]
		p.Codes = append(p.Codes, codeRow{name, portal.Grouped(c.Sent), portal.Grouped(c.Failed), portal.Percent(c.FailureBP) + " %"})
	}
	for _, n := range []int{30, 90, 365} {
		p.Presets = append(p.Presets, web.NavLink{Href: "/admin/tablero?dias=" + strconv.Itoa(n), Label: fmt.Sprintf("Últimos %d días", n)})
	}
	status := http.StatusOK
	if f.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	h.render.Render(w, r, status, "tablero", p)
}

// dashboardCSV exports every stored figure of the range, one per line.
func (h *Handler) dashboardCSV(w http.ResponseWriter, r *http.Request) {
	f, from, to := h.dashboardRange(r)
	if f.HasErrors() {
		h.render.Error(w, r, portal.Errorf(portal.EINVALID, "El periodo no es válido: %s", f.Summary()[0].Message))
		return
	}
	rows, err := h.figures.Rows(r.Context(), from, to)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", web.Attachment("cifras-"+from.String()+"-a-"+to.String()+".csv"))
	out := csv.NewWriter(w)
	_ = out.Write([]string{"dia", "cifra", "dimension", "valor"})
	for _, row := range rows {
		_ = out.Write([]string{row.Day.String(), row.Figure, row.Dim, strconv.FormatInt(row.Value, 10)})
	}
	out.Flush()
}

// minutesSeconds writes a duration as "6 min 54 s".
func minutesSeconds(s int64) string {
	return fmt.Sprintf("%d min %02d s", s/60, s%60)
}
