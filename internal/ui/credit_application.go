package ui

import (
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"micuenta/internal/ident"
	"micuenta/internal/origination"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
	"micuenta/internal/upload"
	"micuenta/internal/web"
)

// The credit application (issue 9), in two steps that work without
// JavaScript: first the product, the term and, for Unamos Créditos, the
// other person's figures (a GET form, like the simulator, which links
// here with them filled in); then the offer and the application itself —
// the dwelling, the seller, the appraisal, the other person's NSS and one
// file per document the product asks for (a multipart POST). The rules
// are internal/origination's; the request then follows its stages at
// /mi-cuenta/tramites/{folio}.

const applicationPath = "/mi-cuenta/solicitud-credito"

// maxApplicationBody bounds the application's body: one file of the
// largest size per document, and the form.
const maxApplicationBody = origination.MaxDocuments*upload.MaxSize + 1<<20

// applicationPage is /mi-cuenta/solicitud-credito.
type applicationPage struct {
	Form      *web.Form
	Status    eligibilityView
	Choices   []applicationChoice
	Others    []applicationChoice // the products the person does not qualify for, with why
	Sexes     []choice
	Regions   []choice
	Offer     *offerView
	Documents []documentField
	Points    int
	Model     string
	Joint     bool // a product the person may choose takes two people
}

type applicationChoice struct {
	Value, Label, Hint string
	Joint              bool
	Why                []string
}

// offerView is the second step's summary of the credit and what the form
// carries over from the first.
type offerView struct {
	Product, Rate                      string
	Mejora, Joint                      bool
	Credit, JointCredit                portal.Money
	Balance, Total, Payment, Insurance portal.Money
	TermYears                          int
	Hidden                             []hiddenField // the first step's fields, carried over
	ChangeURL                          string
}

type documentField struct{ Field, Label, Hint string }

type hiddenField struct{ Name, Value string }

// choiceFields are the first step's fields in page order.
var choiceFields = []string{origination.FieldProduct, origination.FieldTerm, origination.FieldCoSalary, origination.FieldCoBalance,
	origination.FieldCoAge, origination.FieldCoSex}

// applicationFields are the second step's fields in page order.
var applicationFields = []string{origination.FieldAddress, origination.FieldState, origination.FieldPostalCode, origination.FieldValue,
	origination.FieldSeller, origination.FieldAppraisal, origination.FieldCoNSS}

// applicationData builds the page for a form: the first step when
// chosen is false or the choice has problems, the second otherwise.
func (h *Handler) applicationData(r *http.Request, form *web.Form, chosen bool) (applicationPage, error) {
	pid := h.personID(r)
	a, err := h.origination.Application(r.Context(), pid, origination.SimulatorFormFrom(form.Get), chosen)
	if err != nil {
		return applicationPage{}, err
	}
	page := applicationPage{Form: form, Sexes: sexChoices(), Model: a.Prequal.Result.Model.Name,
		Status: eligibilityView{Eligible: a.Eligible, Title: "un crédito", Why: a.Why}}
	if a.Open != nil {
		page.Status.Folio = a.Open.Folio
	}
	for _, c := range a.Choices {
		row := applicationChoice{Value: c.Product.Code, Label: c.Product.Name, Hint: c.Product.Description, Joint: c.Joint, Why: c.Why}
		if c.Qualifies {
			page.Joint = page.Joint || c.Joint
			page.Choices = append(page.Choices, row)
		} else {
			page.Others = append(page.Others, row)
		}
	}
	for _, k := range choiceFields {
		if msg, ok := a.Errors[k]; ok {
			form.Fail(k, msg)
		}
	}
	o := a.Offer
	if o == nil {
		return page, nil
	}
	if pr, ok := a.Prequal.Product(o.Product.Code); ok {
		page.Points = pr.Points
	}
	v := &offerView{Product: o.Product.Name, Rate: prequal.Percent(o.Part.RateE6), Mejora: o.Mejora(), Joint: len(o.Quote.Parts) > 1,
		Credit: o.Part.Credit, Balance: o.Balance, Total: o.Part.Credit + o.Balance, Payment: o.Payment, Insurance: o.Rules.InsuranceBimester,
		TermYears: o.Part.TermYears}
	if v.Joint {
		v.JointCredit = o.Quote.Credit
	}
	q := url.Values{}
	for _, k := range choiceFields {
		if val := form.Get(k); val != "" && (v.Joint || !strings.HasPrefix(k, "co_")) {
			v.Hidden = append(v.Hidden, hiddenField{k, val})
			q.Set(k, val)
		}
	}
	v.ChangeURL = applicationPath + "?" + q.Encode()
	page.Offer = v
	for _, st := range ident.States() {
		if st != "NE" {
			page.Regions = append(page.Regions, choice{string(st), st.Name()})
		}
	}
	for _, d := range o.Documents {
		page.Documents = append(page.Documents, documentField{Field: origination.DocumentField + d.Code, Label: d.Label, Hint: d.Hint})
	}
	return page, nil
}

func (h *Handler) showApplication(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	form := web.NewForm()
	for _, k := range choiceFields {
		form.Set(k, q.Get(k))
	}
	chosen := q.Has(origination.FieldProduct) || q.Get("paso") != ""
	page, err := h.applicationData(r, form, chosen)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusBadRequest
	}
	h.render.Render(w, r, status, "solicitud-credito", page)
}

func (h *Handler) submitApplication(w http.ResponseWriter, r *http.Request) {
	form, files, err := web.ParseMultipart(r, maxApplicationBody)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	pid := h.personID(r)
	f := origination.ApplicationForm{Choice: origination.SimulatorFormFrom(form.Get), Address: form.Get(origination.FieldAddress),
		State: form.Get(origination.FieldState), PostalCode: form.Get(origination.FieldPostalCode), Value: form.Get(origination.FieldValue),
		Seller: form.Get(origination.FieldSeller), Appraisal: form.Get(origination.FieldAppraisal), CoNSS: form.Get(origination.FieldCoNSS),
		Accept: form.Get(origination.FieldAccept)}
	f.Documents, f.Refused = h.applicationUploads(r, files)
	q, errs, err := h.origination.File(r.Context(), pid, f)
	if err == nil && len(errs) == 0 {
		http.Redirect(w, r, "/mi-cuenta/tramites?folio="+q.Folio, http.StatusSeeOther)
		return
	}
	page, perr := h.applicationData(r, form, true)
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	if err != nil {
		h.formFailure(w, r, "solicitud-credito", page, form, "elegibilidad", err)
		return
	}
	fields := append([]string{}, applicationFields...)
	for _, d := range page.Documents {
		fields = append(fields, d.Field)
	}
	fields = append(fields, origination.FieldAccept)
	failFields(form, errs, append(choiceFields, fields...)...)
	h.render.Render(w, r, http.StatusBadRequest, "solicitud-credito", page)
}

// applicationUploads checks the files of the document fields (doc_…), one
// each, by content; a refusal is returned by field.
func (h *Handler) applicationUploads(r *http.Request, files map[string][]*multipart.FileHeader) (map[string]request.Upload, map[string]string) {
	ups, refused := map[string]request.Upload{}, map[string]string{}
	n := 0
	for field, fhs := range files {
		code, ok := strings.CutPrefix(field, origination.DocumentField)
		if !ok || code == "" {
			continue
		}
		var real []*multipart.FileHeader
		for _, fh := range fhs {
			if fh.Filename != "" || fh.Size > 0 {
				real = append(real, fh)
			}
		}
		switch {
		case len(real) == 0:
			continue
		case len(real) > 1:
			refused[field] = "Adjunta un solo archivo para este documento."
			continue
		case n >= origination.MaxDocuments:
			refused[field] = "Son demasiados archivos: adjunta solo los documentos de la lista."
			continue
		}
		n++
		doc, err := h.openAndCheck(r, real[0])
		if err != nil {
			refused[field] = real[0].Filename + ": " + portal.ErrorMessage(err)
			continue
		}
		ups[code] = request.Upload{Doc: doc, FileName: real[0].Filename}
	}
	return ups, refused
}
