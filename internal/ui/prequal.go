package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"micuenta/internal/chart"
	"micuenta/internal/origination"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
	"micuenta/internal/web"
)

// Pre-qualification and the credit simulator (issue 9): the figures are
// internal/origination's (the records → applicant mapping and the pages'
// answers) on internal/prequal's rules; here they are laid out.

// prequalPage is /mi-cuenta/precalificacion.
type prequalPage struct {
	Today     string
	Records   []DetailRow // what was read from the records
	Model     string
	Blocks    []blockRow
	Points    int
	Max       int
	Products  []productRow
	General   []string // what stops every product
	Notes     []string // the model's approximations
	Qualifies bool
	Open      string // the folio of an application in course
	Borrower  bool   // a live credit
	Employed  bool
	Bimester  string // the bimester looked at
	Simulator string
	Applyable bool // the application page can be started
	Uncertain bool
}

type blockRow struct {
	Label       string
	Points, Max int
	Approx      bool
}

type productRow struct {
	Code, Name, Description string
	MinPoints, MinBimesters int
	Points, Bonus           int
	Qualifies               bool
	Why                     []string
	Missing                 string
	Approx                  bool
}

// missingText says roughly how long a person would need, from
// prequal.ProductResult.MissingBimesters.
func missingText(k int) string {
	switch {
	case k < 0:
		return "Con tus datos de hoy no alcanzarías lo que pide este crédito en los próximos 10 años."
	case k == 0:
		return ""
	}
	return fmt.Sprintf("Si trabajas con un patrón que pague tus aportaciones, te faltan unos %d bimestres de cotización continua (%s).", k, spanAbout(2*k))
}

// spanAbout writes a number of months as people say it.
func spanAbout(months int) string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	}
	if months < 12 {
		return "unos " + plural(months, "mes", "meses")
	}
	s := "unos " + plural(months/12, "año", "años")
	if m := months % 12; m > 0 {
		s += " y " + plural(m, "mes", "meses")
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "Sí"
	}
	return "No"
}

func (h *Handler) showPrequal(w http.ResponseWriter, r *http.Request) {
	pid := h.personID(r)
	p, err := h.origination.Prequalify(r.Context(), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	res, st := p.Result, p.Standing
	page := prequalPage{Today: p.Today.Spanish(), Model: res.Model.Name, Points: res.Points, Notes: p.Notes, Qualifies: p.Qualifies(),
		Borrower: st.Credit != nil, Employed: st.Applicant.Employed, Bimester: st.Through.Spanish(), Simulator: "/mi-cuenta/precalificacion/simulador",
		Uncertain: res.Uncertain}
	if p.Open != nil {
		page.Open = p.Open.Folio
	}
	page.Applyable = page.Qualifies && p.Open == nil && st.Credit == nil
	age := "Tu fecha de nacimiento no está registrada o no es válida"
	if res.Age > 0 {
		age = strconv.Itoa(res.Age) + " años"
	}
	salary := "No hay un empleo en tus registros"
	if j := st.Job; j != nil {
		salary = j.DailySalary.String() + " al día, de " + j.RazonSocial
		switch {
		case st.Applicant.Employed:
			salary += " (empleo actual)"
		case j.Current():
			salary += " (empleo que empezó este bimestre)"
		default:
			salary += " (último empleo, terminó el " + j.End.Spanish() + ")"
		}
	}
	paying := "No aplica: no tienes un empleo vigente"
	if st.Applicant.Employed {
		paying = yesNo(st.Applicant.EmployerPaying)
	}
	bimesters := strconv.Itoa(st.Applicant.ContinuousBimesters) + ", hasta el " + st.Through.Spanish()
	if !st.Applicant.Employed && st.Applicant.ContinuousBimesters > 0 {
		bimesters += ". Sin un empleo vigente no cuentan: vuelven a contar con un nuevo patrón"
	}
	creditText := "No"
	switch {
	case st.Credit != nil:
		creditText = "Sí: crédito " + st.Credit.Number + " vigente"
	case p.Open != nil:
		creditText = "Solicitud en trámite, folio " + p.Open.Folio
	}
	page.Records = []DetailRow{{"Edad", age}, {"Salario diario", salary},
		{"Relación laboral vigente en el bimestre anterior", yesNo(st.Applicant.Employed)},
		{"Tu patrón pagó tus aportaciones del bimestre anterior", paying},
		{"Bimestres de cotización continua", bimesters},
		{"Ahorro en la Subcuenta de Vivienda", st.Balance.String()},
		{"Crédito Infonavit vigente o en trámite", creditText},
		{"Pensión en trámite", yesNo(st.Applicant.PensionInProcess)}}
	for _, b := range res.Blocks {
		page.Blocks = append(page.Blocks, blockRow{Label: b.Label, Points: b.Points, Max: b.Max, Approx: b.Uncertain})
		page.Max += b.Max
	}
	for _, why := range res.Reasons {
		page.General = append(page.General, why.Text)
	}
	for _, pr := range res.Products {
		row := productRow{Code: pr.Product.Code, Name: pr.Product.Name, Description: pr.Product.Description, MinPoints: pr.MinPoints,
			MinBimesters: pr.MinBimesters, Points: pr.Points, Bonus: pr.Bonus, Qualifies: pr.Qualifies, Approx: pr.Uncertain}
		for _, why := range pr.Reasons {
			row.Why = append(row.Why, why.Text)
		}
		if !pr.Qualifies {
			row.Missing = missingText(pr.MissingBimesters)
		}
		page.Products = append(page.Products, row)
	}
	h.render.Render(w, r, http.StatusOK, "precalificacion", page)
}

// simulatorPage is /mi-cuenta/precalificacion/simulador.
type simulatorPage struct {
	Form     *web.Form
	Products []productChoice
	Sexes    []choice
	Result   *quoteView
}

type productChoice struct {
	Value, Label, Hint string
	Joint              bool
}

// quoteView lays out a prequal.Quote: the figures, each person's part,
// the schedule and its chart.
type quoteView struct {
	Product                string
	Eligible               bool
	Reasons                []string
	Credit, Balance, Total portal.Money
	Payment, Insurance     portal.Money
	Ceiling, MinAmount     portal.Money
	Rate                   string // one person's rate; "" for several
	TermYears              int
	Parts                  []partRow
	Schedule               []prequal.YearRow
	Chart                  *chart.Bars
	Note                   string // the rules' approximation, when uncertain
	RulesFrom              string
	AddsBalance, Joint     bool
	ApplyURL               string
}

type partRow struct {
	Who, Rate, Share, LimitedBy       string
	Age, TermYears, MaxTermYears      int
	Salary, Capacity, Credit, Payment portal.Money
}

var limitNames = map[string]string{
	prequal.LimitCapacidad: "lo que el salario puede pagar al mes",
	prequal.LimitTope:      "el monto máximo del crédito",
	prequal.LimitSaldo:     "el porcentaje del ahorro que puede prestarse",
	prequal.LimitTramo:     "el límite del tramo de monto de su tasa",
}

// sexChoices are the CURP's sex codes, for the forms.
func sexChoices() []choice {
	out := []choice{{"", "Elige una opción"}}
	for _, k := range []string{"M", "H", "X"} {
		out = append(out, choice{k, request.SexNames[k]})
	}
	return out
}

// newQuoteView lays out a quote; salaries are the monthly ones asked.
func newQuoteView(q *prequal.Quote, salaries []portal.Money, chartID string) *quoteView {
	v := &quoteView{Product: q.Product.Name, Eligible: q.Eligible, Credit: q.Credit, Balance: q.Balance, Total: q.Total, Payment: q.MonthlyPayment,
		Insurance: q.Insurance, Ceiling: q.Ceiling, MinAmount: q.MinAmount, TermYears: q.TermYears, Schedule: q.Schedule,
		RulesFrom: q.Rules.ValidFrom.Spanish(), AddsBalance: q.Rules.AddsBalance, Joint: len(q.Parts) > 1}
	for _, r := range q.Reasons {
		v.Reasons = append(v.Reasons, r.Text)
	}
	if q.Rules.Uncertain {
		v.Note = q.Rules.Note
	}
	for i, p := range q.Parts {
		who := "Tú"
		if i > 0 {
			who = "La otra persona"
		}
		row := partRow{Who: who, Rate: prequal.Percent(p.RateE6), Share: prequal.Percent(p.ShareE6), LimitedBy: limitNames[p.LimitedBy],
			Age: p.Age, TermYears: p.TermYears, MaxTermYears: p.MaxTermYears, Capacity: p.Capacity, Credit: p.Credit, Payment: p.MonthlyPayment}
		if i < len(salaries) {
			row.Salary = salaries[i]
		}
		v.Parts = append(v.Parts, row)
	}
	if len(q.Parts) == 1 && q.Eligible {
		v.Rate = prequal.Percent(q.Parts[0].RateE6)
	}
	if q.Eligible {
		v.Chart = prequal.QuoteChart(*q, chartID)
	}
	return v
}

// simulatorFields are the simulator's fields in page order.
var simulatorFields = []string{origination.FieldProduct, origination.FieldTerm, origination.FieldSalary, origination.FieldBalance,
	origination.FieldAge, origination.FieldSex, origination.FieldCoSalary, origination.FieldCoBalance, origination.FieldCoAge, origination.FieldCoSex}

func (h *Handler) showSimulator(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pid := h.personID(r)
	defaults, err := h.origination.SimulatorDefaults(ctx, pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	form := web.NewForm()
	dv := defaults.Values()
	for _, k := range simulatorFields {
		v := q.Get(k)
		if !q.Has(k) {
			v = dv[k]
		}
		form.Set(k, v)
	}
	sim, err := h.origination.Simulate(ctx, pid, origination.SimulatorFormFrom(form.Get))
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page := simulatorPage{Form: form, Sexes: sexChoices()}
	for _, p := range sim.Products {
		page.Products = append(page.Products, productChoice{Value: p.Code, Label: p.Name, Hint: p.Description, Joint: sim.JointProducts[p.Code]})
	}
	// The first visit of someone whose records lack a figure (no job, so
	// no salary) shows the form to fill in, not errors for what they did
	// not type.
	if len(q) > 0 {
		for _, k := range simulatorFields {
			if msg, ok := sim.Errors[k]; ok {
				form.Fail(k, msg)
			}
		}
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusBadRequest
	} else if sim.Quote != nil {
		salaries := []portal.Money{mustMoney(form.Get(origination.FieldSalary))}
		if sim.Joint {
			salaries = append(salaries, mustMoney(form.Get(origination.FieldCoSalary)))
		}
		page.Result = newQuoteView(sim.Quote, salaries, "grafica-credito")
		if page.Result.Eligible {
			v := url.Values{origination.FieldProduct: {form.Get(origination.FieldProduct)}}
			if t := form.Get(origination.FieldTerm); t != "" {
				v.Set(origination.FieldTerm, t)
			}
			if sim.Joint {
				for _, k := range []string{origination.FieldCoSalary, origination.FieldCoBalance, origination.FieldCoAge, origination.FieldCoSex} {
					v.Set(k, form.Get(k))
				}
			}
			page.Result.ApplyURL = applicationPath + "?" + v.Encode()
		}
	}
	h.render.Render(w, r, status, "simulador", page)
}

// mustMoney reads an amount the service already checked.
func mustMoney(s string) portal.Money {
	m, _ := portal.ParseMoney(s)
	return m
}
