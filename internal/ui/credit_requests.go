package ui

import (
	"fmt"
	"net/http"
	"strconv"

	"micuenta/internal/appointment"
	"micuenta/internal/credit"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/servicing"
	"micuenta/internal/web"
)

// The requests after the credit and the pensioner's refund (issue 8):
// each page says first whether the person may ask for it and why not,
// shows the figures from the fund's records, and files the request on the
// trámites workflow. The rules are internal/servicing's.

// uploadRoutes are the request forms outside /mi-cuenta/tramites/ that
// carry documents: they get the upload body limit (routes.go).
var uploadRoutes = map[string]bool{"/mi-cuenta/credito/devolucion-pagos-exceso": true, "/mi-cuenta/devolucion-ahorro": true}

// eligibilityView feeds the "eligibility" partial.
type eligibilityView struct {
	Eligible bool
	Title    string // what is asked for: "la conversión a pesos"
	Why      []string
	Folio    string
}

func eligibility(title string, st servicing.Status) eligibilityView {
	v := eligibilityView{Eligible: st.Eligible, Title: title, Why: st.Why}
	if st.Open != nil {
		v.Folio = st.Open.Folio
	}
	return v
}

// failFields puts a service's refusals at their fields, in page order.
func failFields(form *web.Form, errs map[string]string, order ...string) {
	for _, k := range order {
		if msg, ok := errs[k]; ok {
			form.Fail(k, msg)
		}
	}
}

// fileResult ends a filing: to the list with the new folio, or the page
// again with the refusal at its field (a person who may not file at all
// sees why at the eligibility box).
func (h *Handler) fileResult(w http.ResponseWriter, r *http.Request, q *request.Request, err error, form *web.Form, tpl string, page func() (any, error)) {
	if err == nil && !form.HasErrors() {
		http.Redirect(w, r, "/mi-cuenta/tramites?folio="+q.Folio, http.StatusSeeOther)
		return
	}
	data, perr := page()
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	if err != nil {
		h.formFailure(w, r, tpl, data, form, "elegibilidad", err)
		return
	}
	h.render.Render(w, r, http.StatusBadRequest, tpl, data)
}

// creditNumber is the credit a page is about (?credito=, or the form's).
func creditNumber(r *http.Request, form *web.Form) string {
	if form != nil && form.Get("credito") != "" {
		return form.Get("credito")
	}
	return r.URL.Query().Get("credito")
}

// compareRow is one line of the conversion's side-by-side table.
type compareRow struct{ Label, Stay, Convert string }

// conversionView is /mi-cuenta/credito/responsabilidad-compartida.
type conversionView struct {
	Form      *web.Form
	Status    eligibilityView
	Number    string
	Rows      []compareRow
	Regions   []choice
	NoSalary  bool
	Simulated string // the day of the simulation
}

func months(n int) string {
	if n == 1 {
		return "1 mes"
	}
	return strconv.Itoa(n) + " meses"
}

func (h *Handler) conversionData(r *http.Request, form *web.Form) (any, error) {
	pid := h.personID(r)
	p, err := h.servicing.Conversion(r.Context(), pid, creditNumber(r, form))
	if err != nil {
		return nil, err
	}
	v := conversionView{Form: form, Status: eligibility("la conversión de tu crédito a pesos", p.Status), NoSalary: p.NoSalary}
	if p.Credit != nil {
		v.Number = p.Credit.Number
	}
	for _, st := range ident.States() {
		if st != "NE" {
			v.Regions = append(v.Regions, choice{string(st), st.Name()})
		}
	}
	if pl := p.Plan; pl != nil {
		v.Simulated = pl.On.Spanish()
		stay := "Con tu mensualidad actual no alcanzas a liquidarlo: los intereses son mayores que tu pago"
		total := "—"
		if pl.StayMonths > 0 {
			stay, total = months(pl.StayMonths)+" más (aprox.)", pl.StayTotal.String()+" (aprox., si la UMI no cambia)"
		}
		v.Rows = []compareRow{
			{"Saldo", pl.Balance.String() + " (" + credit.FormatVSM(pl.BalanceVSME4) + ")",
				pl.NewBalance.String() + ", después de un descuento de " + pl.Discount.String() + " (" + portal.Percent(int64(pl.DiscountBP)) + "%)"},
			{"Tasa de interés", portal.Percent(int64(pl.CurrentRateBP)) + "% anual sobre el saldo en VSM", portal.Percent(int64(pl.RateBP)) + "% anual, fija"},
			{"Mensualidad", pl.CurrentPayment.String() + " (" + credit.FormatVSM(pl.CurrentPaymentVSME4) + "): sube cuando sube la UMI", pl.Payment.String() + ", fija"},
			{"Plazo para terminar de pagar", stay, months(pl.TermMonths) + ", hasta " + pl.Ends.MonthYear()},
			{"Total a pagar", total, pl.TotalToPay.String()},
			{"Actualización anual", "Sí: cada enero el saldo y la mensualidad en pesos siguen a la UMI (congelada en 2025 y 2026)", "No: tu saldo solo baja con tus pagos"},
		}
	}
	return v, nil
}

func (h *Handler) submitConversion(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	pid := h.personID(r)
	q, errs, err := h.servicing.FileConversion(r.Context(), pid, form.Get("credito"), form.Get("estado"), form.Get("codigo_postal"), form.Get("acepto"))
	failFields(form, errs, "estado", "codigo_postal", "acepto")
	h.fileResult(w, r, q, err, form, "credito-responsabilidad", func() (any, error) { return h.conversionData(r, form) })
}

// protectionView is /mi-cuenta/credito/proteccion.
type protectionView struct {
	Form                    *web.Form
	Number                  string
	Prorroga, FPP           eligibilityView
	Used, Limit, Available  int
	MonthChoices            []int
	JobEnded, From          string
	Payment, FundPays, Own  portal.Money
	FPPMonths               string // the months the fund would cover
	LastUsed, NextAllowed   string
	Employed                bool
	Employer                string
	Deferred, DeferredUntil string // a prórroga in course
}

func (h *Handler) protectionData(r *http.Request, form *web.Form) (any, error) {
	pid := h.personID(r)
	p, err := h.servicing.Protection(r.Context(), pid, creditNumber(r, form))
	if err != nil {
		return nil, err
	}
	pr := servicing.Status{Eligible: p.Prorroga.Eligible, Why: p.Prorroga.Why, Open: p.OpenProrroga}
	fp := servicing.Status{Eligible: p.FPP.Eligible, Why: p.FPP.Why, Open: p.OpenFPP}
	if pr.Open == nil {
		pr.Open = p.OpenFPP
	}
	if fp.Open == nil {
		fp.Open = p.OpenProrroga
	}
	v := protectionView{Form: form, Prorroga: eligibility("una prórroga", pr), FPP: eligibility("el Fondo de Protección de Pagos", fp)}
	if p.Credit == nil {
		return v, nil
	}
	v.Number, v.Used, v.Limit, v.Available = p.Credit.Number, p.Prorroga.Used, p.Prorroga.Limit, p.Prorroga.Available
	v.JobEnded, v.From, v.Employed, v.Employer = p.Employment.LastEnd.Spanish(), p.Prorroga.From.MonthYear(), p.Employment.Employed, p.Employment.Employer
	v.Payment, v.FundPays, v.Own = p.FPP.Payment, p.FPP.FundPays, p.FPP.OwnShare
	v.FPPMonths = credit.ProtectionMonths(p.FPP.From, credit.FPPMonths)
	if !p.FPP.LastUsed.IsZero() {
		v.LastUsed, v.NextAllowed = p.FPP.LastUsed.MonthYear(), p.FPP.NextAllowed.MonthYear()
	}
	for i := 1; i <= p.Prorroga.Available; i++ {
		v.MonthChoices = append(v.MonthChoices, i)
	}
	return v, nil
}

func (h *Handler) submitProtection(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	pid := h.personID(r)
	var q *request.Request
	var errs map[string]string
	switch form.Get("medida") {
	case "prorroga":
		q, errs, err = h.servicing.FileProrroga(r.Context(), pid, form.Get("credito"), form.Get("meses"))
	case "fpp":
		q, errs, err = h.servicing.FileFPP(r.Context(), pid, form.Get("credito"), form.Get("acepto_fpp"))
	default:
		err = portal.Errorf(portal.EINVALID, "Elige la medida de protección que quieres solicitar.")
	}
	failFields(form, errs, "meses", "acepto_fpp")
	h.fileResult(w, r, q, err, form, "credito-proteccion", func() (any, error) { return h.protectionData(r, form) })
}

// deedsView is /mi-cuenta/credito/escrituras.
type deedsView struct {
	Form       *web.Form
	Status     eligibilityView
	Number     string
	Originated string
}

func (h *Handler) deedsData(r *http.Request, form *web.Form) (any, error) {
	pid := h.personID(r)
	p, err := h.servicing.Deeds(r.Context(), pid, creditNumber(r, form))
	if err != nil {
		return nil, err
	}
	v := deedsView{Form: form, Status: eligibility("la entrega de tus escrituras", p.Status)}
	if p.Credit != nil {
		v.Number, v.Originated = p.Credit.Number, p.Credit.Origination.Spanish()
	}
	return v, nil
}

func (h *Handler) submitDeeds(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	pid := h.personID(r)
	q, errs, err := h.servicing.FileDeeds(r.Context(), pid, form.Get("credito"), form.Get("domicilio"))
	failFields(form, errs, "domicilio")
	h.fileResult(w, r, q, err, form, "credito-escrituras", func() (any, error) { return h.deedsData(r, form) })
}

// refundView is the refunds' pages: the overpayment's and the savings'.
type refundView struct {
	Form   *web.Form
	Status eligibilityView
	Type   request.Type // for the documents field
	Number string
	Amount portal.Money
	// The savings: per bucket, and the law.
	Lines []refundLine
	Law   string
}

type refundLine struct {
	Name, Where string
	Balance     portal.Money
	Refunded    bool
}

func (h *Handler) overpaidData(r *http.Request, form *web.Form) (any, error) {
	pid := h.personID(r)
	p, err := h.servicing.Overpaid(r.Context(), pid, creditNumber(r, form))
	if err != nil {
		return nil, err
	}
	v := refundView{Form: form, Status: eligibility("la devolución de tus pagos en exceso", p.Status), Type: request.PagosExceso, Amount: p.Amount}
	if p.Credit != nil {
		v.Number = p.Credit.Number
	}
	return v, nil
}

// refundForm reads a refund's multipart form and its documents; ok is
// false when the body could not be read (already answered).
func (h *Handler) refundForm(w http.ResponseWriter, r *http.Request) (*web.Form, []request.Upload, bool) {
	form, files, err := web.ParseMultipart(r, maxUploadBody)
	if err != nil {
		h.formError(w, r, err)
		return nil, nil, false
	}
	return form, h.readUploads(r, files, form), true
}

// checkRefundFields answers at the fields when the documents were refused
// before the service was asked: the CLABE too, so every error shows.
func checkRefundFields(form *web.Form) {
	if form.Error("documentos") == "" {
		return
	}
	if _, msg := request.ParseCLABEField(form.Get("clabe")); msg != "" {
		form.Fail("clabe", msg)
	}
}

func (h *Handler) submitOverpaid(w http.ResponseWriter, r *http.Request) {
	form, ups, ok := h.refundForm(w, r)
	if !ok {
		return
	}
	pid := h.personID(r)
	var q *request.Request
	var err error
	if form.HasErrors() {
		checkRefundFields(form)
	} else {
		var errs map[string]string
		q, errs, err = h.servicing.FileOverpaid(r.Context(), pid, form.Get("credito"), form.Get("clabe"), ups)
		failFields(form, errs, "clabe", "documentos")
	}
	h.fileResult(w, r, q, err, form, "credito-pagos-exceso", func() (any, error) { return h.overpaidData(r, form) })
}

func (h *Handler) refundData(r *http.Request, form *web.Form) (any, error) {
	pid := h.personID(r)
	p, err := h.servicing.Refund(r.Context(), pid)
	if err != nil {
		return nil, err
	}
	v := refundView{Form: form, Status: eligibility("la devolución de tu ahorro", p.Status), Type: request.DevolucionAhorro, Amount: p.Plan.Total, Law: p.Law}
	for _, l := range p.Plan.Lines {
		v.Lines = append(v.Lines, refundLine{Name: l.Name, Where: l.Where, Balance: l.Balance, Refunded: l.Refunded})
	}
	return v, nil
}

func (h *Handler) submitRefund(w http.ResponseWriter, r *http.Request) {
	form, ups, ok := h.refundForm(w, r)
	if !ok {
		return
	}
	pid := h.personID(r)
	var q *request.Request
	var err error
	if form.HasErrors() {
		checkRefundFields(form)
	} else {
		var errs map[string]string
		q, errs, err = h.servicing.FileRefund(r.Context(), pid, form.Get("clabe"), ups)
		failFields(form, errs, "clabe", "documentos")
	}
	h.fileResult(w, r, q, err, form, "devolucion-ahorro", func() (any, error) { return h.refundData(r, form) })
}

// nextStep is what a person does next on an answered request.
type nextStep struct {
	Text, Link, Label string
}

// requestNextStep: an approved deed delivery is collected at a service
// centre, booked with the appointments flow and the request's folio
// (domain.md §9.3: the fund first finds the deed, then the person goes
// for it), or the appointment already booked for it.
func (h *Handler) requestNextStep(r *http.Request, q *request.Request) (*nextStep, error) {
	if q.Kind != request.Escrituras.Prefix || (q.State != request.Aprobada && q.State != request.Concluida) || h.bookings == nil {
		return nil, nil
	}
	as, err := h.bookings.Mine(r.Context(), q.PersonID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.Folio == q.Folio && a.State != appointment.Cancelled {
			return &nextStep{Text: fmt.Sprintf("Tu cita para recoger tus escrituras: %s.", appointment.StateNames[a.State]),
				Link: "/mi-cuenta/citas/" + a.Code, Label: "Ver mi cita " + a.Code}, nil
		}
	}
	if q.State == request.Concluida {
		return nil, nil
	}
	return &nextStep{Text: "Tus escrituras están en el Centro de Servicio. Agenda una cita para recogerlas y lleva una identificación oficial vigente.",
		Link: "/mi-cuenta/citas/nueva?servicio=" + string(appointment.Deeds) + "&folio=" + q.Folio, Label: "Agendar mi cita para recoger las escrituras"}, nil
}

// showForm renders a page whose data a builder makes from the form (empty
// on GET; the submitted one, with its errors, after a failed POST).
func (h *Handler) showForm(template string, data func(*http.Request, *web.Form) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, err := data(r, web.NewForm())
		if err != nil {
			h.render.Error(w, r, err)
			return
		}
		h.render.Render(w, r, http.StatusOK, template, page)
	}
}
