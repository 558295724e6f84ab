package ui

import (
	"encoding/csv"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/web"
)

// creditPage is /mi-cuenta/credito: the summary and the movements.
type creditPage struct {
	Form          *web.Form
	Number        string
	State         string
	Product       string
	VSM           bool
	BalanceVSM    string
	Balance       portal.Money
	Payoff        portal.Money
	Monthly       portal.Money
	MonthlyVSM    string
	Arrears       portal.Money
	ArrearsMonths int
	NextDue       string
	Discounting   bool
	Live          bool
	LastPayment   string
	Today         string
	// Protection in course (issue 8): the last month of a prórroga, of
	// the Fondo de Protección de Pagos' cover.
	DeferredUntil, FPPUntil string

	Rows             template.HTML // the movements' table rows (web.TableRows)
	Total, Page      int
	Pages            int
	YearOptions      template.HTML // the filter's choices (web.YearOptions, kindOptions)
	KindOptions      template.HTML
	Filtered         bool
	PrevURL, NextURL string
	CSVURL           string
}

// creditFilter reads ?anio=&tipo=&pagina=.
func creditFilter(q url.Values, form *web.Form) (credit.Filter, int) {
	var f credit.Filter
	var page int
	f.Year, f.Kind, page = movementFilter(q, form, func(k string) bool { return credit.KindName(k) != "" })
	return f, page
}

func creditQuery(f credit.Filter) url.Values {
	v := url.Values{}
	if f.Year != 0 {
		v.Set("anio", strconv.Itoa(f.Year))
	}
	if f.Kind != "" {
		v.Set("tipo", f.Kind)
	}
	return v
}

// myCredit loads the signed-in person's credit; people without one get
// a page that says so (a 404 with the reason).
func (h *Handler) myCredit(r *http.Request) (*credit.View, error) {
	pid := h.personID(r)
	return h.credits.MineByNumber(r.Context(), pid, r.URL.Query().Get("credito"))
}

func (h *Handler) showCredit(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	form := web.NewForm()
	q := r.URL.Query()
	for _, k := range []string{"anio", "tipo"} {
		form.Set(k, q.Get(k))
	}
	f, pageNo := creditFilter(q, form)
	status := http.StatusOK
	if form.HasErrors() {
		status, f, pageNo = http.StatusBadRequest, credit.Filter{}, 1
	}
	c, s := v.Credit, v.Summary
	page := creditPage{Form: form, Number: c.Number, State: credit.StateNames[c.State], Product: c.Product, VSM: c.Denomination == credit.DenomVSM,
		Balance: s.Balance, Payoff: s.Payoff, Monthly: c.MonthlyPayment, Arrears: s.Arrears, ArrearsMonths: s.ArrearsMonths,
		NextDue: s.NextDue.Spanish(), Discounting: s.Discounting, Live: c.Live(),
		Today: v.Today.Spanish(), YearOptions: web.YearOptions(v.Years(), f.Year), KindOptions: kindOptions(credit.KindNames, f.Kind), Filtered: f.Year != 0 || f.Kind != ""}
	if page.VSM {
		page.BalanceVSM, page.MonthlyVSM = credit.FormatVSM(s.BalanceVSME4), credit.FormatVSM(c.MonthlyPaymentVSME4)
		page.Monthly = v.MonthlyPayment()
	}
	if !s.DeferredUntil.IsZero() {
		page.DeferredUntil = s.DeferredUntil.MonthYear()
	}
	if !s.FPPUntil.IsZero() {
		page.FPPUntil = s.FPPUntil.MonthYear()
	}
	if lp := s.LastPayment; lp != nil {
		page.LastPayment = lp.ValueDate.Spanish() + " · " + credit.KindName(lp.Kind) + " · " + (-lp.Amount).String()
	}
	all := v.Filtered(f)
	page.Total = len(all)
	page.Pages = max(1, (len(all)+movementsPerPage-1)/movementsPerPage)
	page.Page = min(pageNo, page.Pages)
	from := (page.Page - 1) * movementsPerPage
	var rows [][]web.Cell
	for _, m := range all[from:min(from+movementsPerPage, len(all))] {
		row := []web.Cell{{Text: m.ValueDate.Spanish()}, {Text: credit.KindName(m.Kind)}, {Text: m.Amount.String(), Num: true}}
		if page.VSM {
			vsm := ""
			if m.AmountVSM != 0 {
				vsm = credit.FormatVSM(m.AmountVSM)
			}
			row = append(row, web.Cell{Text: vsm, Num: true})
		}
		rows = append(rows, row)
	}
	page.Rows = web.TableRows(rows)
	link := func(p int) string {
		q := creditQuery(f)
		if p > 1 {
			q.Set("pagina", strconv.Itoa(p))
		}
		if len(q) == 0 {
			return "/mi-cuenta/credito#movimientos"
		}
		return "/mi-cuenta/credito?" + q.Encode() + "#movimientos"
	}
	if page.Page > 1 {
		page.PrevURL = link(page.Page - 1)
	}
	if page.Page < page.Pages {
		page.NextURL = link(page.Page + 1)
	}
	page.CSVURL = "/mi-cuenta/credito/movimientos.csv"
	if q := creditQuery(f); len(q) > 0 {
		page.CSVURL += "?" + q.Encode()
	}
	h.render.Render(w, r, status, "credito", page)
}

// creditCSV downloads the filtered movements.
func (h *Handler) creditCSV(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	form := web.NewForm()
	f, _ := creditFilter(r.URL.Query(), form)
	if form.HasErrors() {
		h.render.Error(w, r, portal.Errorf(portal.EINVALID, "Ese filtro no es válido. Vuelve a la página de tu crédito y elige de las listas."))
		return
	}
	attachment(w, "text/csv; charset=utf-8", "movimientos-credito-"+v.Credit.Number+".csv")
	_, _ = w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	head := []string{"fecha", "movimiento", "importe"}
	vsm := v.Credit.Denomination == credit.DenomVSM
	if vsm {
		head = append(head, "importe_vsm")
	}
	_ = cw.Write(head)
	for _, m := range v.Filtered(f) {
		row := []string{m.ValueDate.String(), credit.KindName(m.Kind), m.Amount.Decimal()}
		if vsm {
			row = append(row, strconv.FormatFloat(float64(m.AmountVSM)/10_000, 'f', 4, 64))
		}
		_ = cw.Write(row)
	}
	cw.Flush()
}

// howToPayPage is /mi-cuenta/credito/como-pagar.
type howToPayPage struct {
	Form                       *web.Form
	Number, Reference, NextDue string
	Monthly, Arrears, Payoff   portal.Money
	Discounting                bool
	Live                       bool
	Channels                   []credit.Channel
	Checked                    string // a reference the person checked and is theirs
}

func (h *Handler) showHowToPay(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	ref, err := credit.PaymentReference(v.Credit.Number)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	monthly := v.MonthlyPayment()
	page := howToPayPage{Form: web.NewForm(), Number: v.Credit.Number, Reference: credit.FormatReference(ref),
		NextDue: v.Summary.NextDue.Spanish(), Monthly: monthly, Arrears: v.Summary.Arrears, Payoff: v.Summary.Payoff,
		Discounting: v.Summary.Discounting, Live: v.Credit.Live(),
		Channels: credit.Channels}
	status := http.StatusOK
	// "Comprueba una referencia": a reference typed from a slip or a
	// receipt is checked the same way a bank would (its check digits) and
	// against the person's own credit.
	if typed, ok := r.URL.Query()["referencia"]; ok {
		page.Form.Set("referencia", typed[0])
		number, err := credit.ParseReference(typed[0])
		switch {
		case err != nil:
			page.Form.Fail("referencia", portal.ErrorMessage(err))
		case number != v.Credit.Number:
			page.Form.Fail("referencia", "Esa referencia es válida pero no es la de tu crédito: revisa que sea tu ficha.")
		default:
			page.Checked = credit.FormatReference(typed[0])
		}
		if page.Form.HasErrors() {
			status = http.StatusBadRequest
		}
	}
	h.render.Render(w, r, status, "credito-como-pagar", page)
}
