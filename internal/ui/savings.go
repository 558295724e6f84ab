package ui

import (
	"bytes"
	"encoding/csv"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/employment"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
	"micuenta/internal/statement"
	"micuenta/internal/web"
)

// movementsPerPage is the page size of the movement lists (savings and
// credit): 20 rows, the page DESIGN.md's performance budget is set for.
const movementsPerPage = 20

// savingsPage is /mi-cuenta/ahorro.
type savingsPage struct {
	Form    *web.Form
	Summary *savings.Summary
	Buckets []bucketRow
	Rows    template.HTML // the movements' table rows (web.TableRows)
	Total   int
	Page    int
	Pages   int
	// The filter's choices (web.YearOptions, kindOptions).
	YearOptions, KindOptions template.HTML
	PrevURL                  string
	NextURL                  string
	CSVURL                   string
	PDFURL                   string
	Filtered                 bool
}

type bucketRow struct {
	Name    string
	Balance portal.Money
}

// personID is the signed-in person, read with the session.
func (h *Handler) personID(r *http.Request) int64 { return session(r).PersonID }

// savingsFilter reads ?anio=&tipo=&pagina= and says which were wrong.
func savingsFilter(q url.Values, form *web.Form) (savings.Filter, int) {
	var f savings.Filter
	var page int
	f.Year, f.Kind, page = movementFilter(q, form, savings.ValidKind)
	f.Offset, f.Limit = (page-1)*movementsPerPage, movementsPerPage
	return f, page
}

// kindOptions are the choices of a movement-kind filter.
func kindOptions(kinds []struct{ Kind, Name string }, selected string) template.HTML {
	opts := make([]web.Option, len(kinds))
	for i, k := range kinds {
		opts[i] = web.Option{Value: k.Kind, Label: k.Name}
	}
	return web.Options(opts, selected)
}

// movementFilter reads the year, kind and page of a movements list
// (savings, credit), putting what is wrong at the form's fields.
func movementFilter(q url.Values, form *web.Form, validKind func(string) bool) (year int, kind string, page int) {
	page = 1
	if y := q.Get("anio"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1972 || n > 2100 {
			form.Fail("anio", "Elige un año de la lista.")
		} else {
			year = n
		}
	}
	if k := q.Get("tipo"); k != "" && !validKind(k) {
		form.Fail("tipo", "Elige un tipo de movimiento de la lista.")
	} else {
		kind = k
	}
	if p := q.Get("pagina"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100000 {
			form.Fail("anio", "Esa página no existe; vuelve a la primera.")
		} else {
			page = n
		}
	}
	return year, kind, page
}

func (h *Handler) showSavings(w http.ResponseWriter, r *http.Request) {
	pid := h.personID(r)
	form := web.NewForm()
	q := r.URL.Query()
	for _, k := range []string{"anio", "tipo"} {
		form.Set(k, q.Get(k))
	}
	f, pageNo := savingsFilter(q, form)
	status := http.StatusOK
	if form.HasErrors() {
		status, f, pageNo = http.StatusBadRequest, savings.Filter{Limit: movementsPerPage}, 1
	}
	sum, err := h.savings.Summary(r.Context(), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	entries, total, err := h.savings.Entries(r.Context(), pid, f)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	years := sum.Years()
	page := savingsPage{Form: form, Summary: sum, Total: total, Page: pageNo, Pages: max(1, (total+movementsPerPage-1)/movementsPerPage),
		YearOptions: web.YearOptions(years, f.Year), KindOptions: kindOptions(savings.KindNames, f.Kind), Filtered: f.Year != 0 || f.Kind != ""}
	for _, b := range sum.Buckets {
		page.Buckets = append(page.Buckets, bucketRow{Name: savings.BucketNames[b.Bucket], Balance: b.Balance})
	}
	rows := make([][]web.Cell, len(entries))
	for i, e := range entries {
		rows[i] = []web.Cell{{Text: e.ValueDate.Spanish()}, {Text: savings.KindName(e.Kind)}, {Text: statement.Describe(e)},
			{Text: e.Amount.String(), Num: true}}
	}
	page.Rows = web.TableRows(rows)
	link := func(p int) string {
		v := filterQuery(f)
		if p > 1 {
			v.Set("pagina", strconv.Itoa(p))
		}
		if len(v) == 0 {
			return "/mi-cuenta/ahorro#movimientos"
		}
		return "/mi-cuenta/ahorro?" + v.Encode() + "#movimientos"
	}
	if pageNo > 1 {
		page.PrevURL = link(pageNo - 1)
	}
	if pageNo < page.Pages {
		page.NextURL = link(pageNo + 1)
	}
	page.CSVURL, page.PDFURL = "/mi-cuenta/ahorro/movimientos.csv", "/mi-cuenta/ahorro/movimientos.pdf"
	if q := filterQuery(f).Encode(); q != "" {
		page.CSVURL += "?" + q
		page.PDFURL += "?" + q
	}
	h.render.Render(w, r, status, "ahorro", page)
}

// savingsCSV downloads the filtered movements, every page of them.
func (h *Handler) savingsCSV(w http.ResponseWriter, r *http.Request) {
	pid, f, ok := h.downloadFilter(w, r)
	if !ok {
		return
	}
	f.Offset, f.Limit = 0, 1000
	attachment(w, "text/csv; charset=utf-8", "movimientos-subcuenta-vivienda.csv")
	_, _ = w.Write([]byte("\xef\xbb\xbf")) // so spreadsheet programs read the accents as UTF-8
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"fecha", "movimiento", "detalle", "subcuenta", "importe"})
	for {
		entries, _, err := h.savings.Entries(r.Context(), pid, f)
		if err != nil {
			h.log.Error("savings csv", "err", err)
			return
		}
		for _, e := range entries {
			_ = cw.Write([]string{e.ValueDate.String(), savings.KindName(e.Kind), csvText(statement.Describe(e)), savings.BucketNames[e.Bucket], e.Amount.Decimal()})
		}
		if len(entries) < f.Limit {
			break
		}
		f.Offset += f.Limit
	}
	cw.Flush()
}

// maxStatementRows bounds a PDF; more than this is what the CSV is for.
const maxStatementRows = 5000

// savingsPDF downloads the filtered movements as a PDF statement.
func (h *Handler) savingsPDF(w http.ResponseWriter, r *http.Request) {
	pid, f, ok := h.downloadFilter(w, r)
	if !ok {
		return
	}
	p, err := h.people.FindPersonByID(r.Context(), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	sum, err := h.savings.Summary(r.Context(), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	f.Offset, f.Limit = 0, maxStatementRows
	entries, _, err := h.savings.Entries(r.Context(), pid, f)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	what := "todos"
	if f.Kind != "" {
		what = savings.KindName(f.Kind)
	}
	if f.Year != 0 {
		what += " de " + strconv.Itoa(f.Year)
	}
	var buf bytes.Buffer
	if err := statement.WriteSavings(&buf, statement.SavingsStatement{Name: p.FullName(), MaskedNSS: p.NSS.Masked(), Summary: sum,
		Filter: what, Entries: entries, Issued: time.Now()}); err != nil {
		h.render.Error(w, r, err)
		return
	}
	attachment(w, "application/pdf", "movimientos-subcuenta-vivienda.pdf")
	_, _ = w.Write(buf.Bytes())
}

// downloadFilter reads a download's person and filter; a bad filter gets
// the error page.
func (h *Handler) downloadFilter(w http.ResponseWriter, r *http.Request) (int64, savings.Filter, bool) {
	pid := h.personID(r)
	form := web.NewForm()
	f, _ := savingsFilter(r.URL.Query(), form)
	if form.HasErrors() {
		h.render.Error(w, r, portal.Errorf(portal.EINVALID, "El filtro de la descarga no es válido. Vuelve a tu ahorro y elige año y tipo de la lista."))
		return 0, savings.Filter{}, false
	}
	return pid, f, true
}

// filterQuery writes a filter back as the page's query (year and kind).
func filterQuery(f savings.Filter) url.Values {
	v := url.Values{}
	if f.Year != 0 {
		v.Set("anio", strconv.Itoa(f.Year))
	}
	if f.Kind != "" {
		v.Set("tipo", f.Kind)
	}
	return v
}

// attachment marks a response as a personal file to save, never cached.
func attachment(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
}

// csvText keeps a text cell from being read as a formula by a spreadsheet
// (an employer's name comes from the fund's files and could start with
// "=", "+", "-" or "@"): such a cell gets a leading apostrophe.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// jobsPage is /mi-cuenta/relaciones-laborales.
type jobsPage struct {
	Jobs []jobRow
	Gaps []gapRow
}

type jobRow struct {
	Employer, Registro, Start, End, Salary string
	Current                                bool
}

type gapRow struct{ From, To, Days string }

func (h *Handler) showJobs(w http.ResponseWriter, r *http.Request) {
	pid := h.personID(r)
	js, err := h.jobs.JobsOf(r.Context(), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	gaps := employment.Gaps(js, portal.DateOf(time.Now()))
	employment.SortJobs(js)
	var page jobsPage
	for _, j := range js {
		row := jobRow{Employer: j.RazonSocial, Registro: j.RegistroPatronal, Start: j.Start.Spanish(), Salary: j.DailySalary.String(), Current: j.Current()}
		if !j.Current() {
			row.End = j.End.Spanish()
		}
		page.Jobs = append(page.Jobs, row)
	}
	for i := len(gaps) - 1; i >= 0; i-- {
		g := gaps[i]
		page.Gaps = append(page.Gaps, gapRow{From: g.From.Spanish(), To: g.To.Spanish(), Days: strconv.Itoa(g.Days)})
	}
	h.render.Render(w, r, http.StatusOK, "relaciones-laborales", page)
}
