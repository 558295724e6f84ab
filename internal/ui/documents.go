package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/document"
	"micuenta/internal/portal"
	"micuenta/internal/statement"
	"micuenta/internal/web"
)

// DocumentDeps are the credit's documents — the constancia de intereses,
// the avisos for the employer, the carta de cancelación — and their
// public verification (/verificar).
type DocumentDeps struct {
	// Issuer folios, records and verifies issued documents.
	Issuer *document.Service
	// Credit says what each document says.
	Credit *credit.Documents
}

// creditQS keeps ?credito= on the documents' links when the person chose
// one of their credits.
func creditQS(r *http.Request, v *credit.View) string {
	if r.URL.Query().Get("credito") == "" {
		return ""
	}
	return "?" + url.Values{"credito": {v.Credit.Number}}.Encode()
}

// requestOrigin is the scheme and host the request came to: the
// verification address when no --base-url is configured.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// issue gets an issued document for the signed-in person: the same folio
// and bytes for the same inputs, a new folio when they change.
func (h *Handler) issue(w http.ResponseWriter, r *http.Request, req document.Request, inputs any, file string, draw document.Draw) {
	in, err := json.Marshal(inputs)
	if err != nil {
		h.render.Error(w, r, fmt.Errorf("ui: document inputs: %w", err))
		return
	}
	req.Inputs, req.Origin, req.IP, req.UserAgent = in, requestOrigin(r), web.ClientIP(r), r.UserAgent()
	if s := session(r); s != nil {
		req.AccountID = s.AccountID
	}
	_, pdf, err := h.documents.Issuer.Issue(r.Context(), req, draw)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	attachment(w, "application/pdf", file)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf)
}

// verified is the part of a PDF that comes from its record.
func verified(d *document.Issued, verifyURL string) statement.Verified {
	return statement.Verified{Folio: d.Folio, Issued: d.IssuedAt, ValidUntil: d.ValidUntil, VerifyURL: verifyURL}
}

// figureRow is one line of a table of figures.
type figureRow struct {
	Label, Value string
	Strong       bool
}

// interestPage is /mi-cuenta/credito/constancia-intereses.
type interestPage struct {
	Form      *web.Form
	Number, Q string
	Years     []int
	Year      int
	// YearOptions are Years as the form's choices, Year selected.
	YearOptions template.HTML
	First       int    // first year the ledger covers
	Why         string // why the chosen year has no constancia
	VSM         bool
	Uncertain   bool
	Sources     []string
	Rows        []figureRow
	Months      []figureRow
	Deductible  portal.Money
	PDF         string
}

func (h *Handler) showInterest(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	form := web.NewForm()
	years, first := credit.InterestYears(v.Movements, v.Today)
	page := interestPage{Form: form, Number: v.Credit.Number, Q: creditQS(r, v), Years: years, First: first, VSM: v.Credit.Denomination == credit.DenomVSM}
	status := http.StatusOK
	if len(years) > 0 {
		page.Year = years[0]
	}
	// With no year to offer, the page explains why; a year asked for is
	// then moot.
	if typed, ok := r.URL.Query()["anio"]; ok && len(years) > 0 {
		form.Set("anio", typed[0])
		y, err := strconv.Atoi(strings.TrimSpace(typed[0]))
		found := false
		for _, x := range years {
			found = found || (err == nil && x == y)
		}
		if !found {
			form.Fail("anio", "Elige un año de la lista.")
			status = http.StatusBadRequest
		} else {
			page.Year = y
		}
	}
	if page.Year != 0 {
		f, err := h.documents.Credit.Interest(r.Context(), v, page.Year)
		switch {
		case portal.ErrorCode(err) == portal.ENOTFOUND:
			page.Why = portal.ErrorMessage(err)
		case err != nil:
			h.render.Error(w, r, err)
			return
		default:
			page.fill(f)
			page.PDF = fmt.Sprintf("/mi-cuenta/credito/constancia-intereses/%d.pdf%s", page.Year, page.Q)
		}
	}
	page.YearOptions = web.YearOptions(page.Years, page.Year)
	h.render.Render(w, r, status, "credito-constancia", page)
}

// fill puts a constancia's figures in the page's tables.
func (p *interestPage) fill(f *credit.InterestFigures) {
	ic := f.InterestCertificate
	y, prev := strconv.Itoa(ic.Year), strconv.Itoa(ic.Year-1)
	capLabel := "Saldo al 31 de diciembre de " + prev
	if ic.CapFromDisbursement {
		capLabel = "Monto del crédito otorgado en " + y
	}
	share := "100%: el saldo no excede 750,000 UDIS"
	if ic.Proportional {
		share = ic.ProportionText() + ": tu saldo excede 750,000 UDIS y solo es deducible la parte proporcional"
	}
	p.Uncertain, p.Sources, p.Deductible, p.VSM = f.Uncertain, f.Sources, ic.Deductible, ic.VSM
	p.Rows = []figureRow{
		{Label: "Intereses nominales pagados en " + y, Value: ic.Nominal.String()},
		{Label: "Saldo promedio mensual de " + y, Value: ic.Average.String()},
		{Label: "Factor de ajuste: INPC de diciembre de " + y + " (" + credit.IndexText(ic.INPC) + ") entre INPC de diciembre de " + prev + " (" + credit.IndexText(ic.INPCPrev) + "), menos 1", Value: ic.FactorText()},
		{Label: "Ajuste anual por inflación (saldo promedio por el factor)", Value: ic.Adjustment.String()},
		{Label: "Intereses reales (nominales menos el ajuste)", Value: ic.Real.String()},
		{Label: capLabel + " (" + ic.CapUDIsText() + " UDIS con la UDI de " + ic.UDIText() + ")", Value: ic.CapBalance.String()},
		{Label: "Parte deducible", Value: share},
		{Label: "Intereses reales deducibles", Value: ic.Deductible.String(), Strong: true},
		{Label: "Saldo de tu crédito al 31 de diciembre de " + y, Value: ic.Closing.String()},
	}
	for i, b := range ic.MonthEnd {
		p.Months = append(p.Months, figureRow{Label: portal.NewDate(ic.Year, time.Month(i+1), 1).MonthYear(), Value: b.String()})
	}
}

func (h *Handler) interestPDF(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	year, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("archivo"), ".pdf"))
	if err != nil || !strings.HasSuffix(r.PathValue("archivo"), ".pdf") {
		h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "Esa constancia no existe. Elige un año en la página de tu constancia de intereses."))
		return
	}
	f, err := h.documents.Credit.Interest(r.Context(), v, year)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	p, err := h.people.FindPersonByID(r.Context(), v.Credit.PersonID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	doc := statement.InterestStatement{Name: p.FullName(), RFC: p.RFC.String(), CreditNumber: v.Credit.Number,
		InterestCertificate: f.InterestCertificate, Uncertain: f.Uncertain, Sources: f.Sources}
	req := document.Request{Kind: document.KindConstancia, PersonID: p.ID, CreditNumber: v.Credit.Number,
		Detail: "Ejercicio fiscal " + strconv.Itoa(year), Holder: p.FullName(), Layout: statement.LayoutConstancia}
	h.issue(w, r, req, doc, fmt.Sprintf("constancia-intereses-%d-%s.pdf", year, v.Credit.Number), func(d *document.Issued, url string) ([]byte, error) {
		doc.Verified = verified(d, url)
		var buf bytes.Buffer
		err := statement.WriteInterestStatement(&buf, &doc)
		return buf.Bytes(), err
	})
}

// avisosPage is /mi-cuenta/credito/avisos.
type avisosPage struct {
	Number, Q string
	Avisos    []avisoRow
}

type avisoRow struct {
	Title, WhyNot, PDF string
	Fields             []figureRow
}

// avisoFiles name each aviso's PDF.
var avisoFiles = map[string]string{credit.AvisoRetencion: "retencion.pdf", credit.AvisoModificacion: "modificacion.pdf", credit.AvisoSuspension: "suspension.pdf"}

// avisoKinds are the issued documents' kinds of the avisos.
var avisoKinds = map[string]string{credit.AvisoRetencion: document.KindRetencion, credit.AvisoModificacion: document.KindModificacion, credit.AvisoSuspension: document.KindSuspension}

func (h *Handler) showAvisos(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	ss, err := h.documents.Credit.Avisos(r.Context(), v)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page := avisosPage{Number: v.Credit.Number, Q: creditQS(r, v)}
	for _, s := range ss {
		row := avisoRow{Title: s.Title, WhyNot: s.WhyNot}
		if a := s.Aviso; a != nil {
			row.PDF = "/mi-cuenta/credito/avisos/" + avisoFiles[s.Kind] + page.Q
			employer := "Sin patrón registrado"
			if a.Employer != nil {
				employer = a.Employer.Name + " (registro patronal " + a.Employer.Registro + ")"
			}
			start := "No disponible"
			if !a.Start.IsZero() {
				start = a.Start.Spanish()
			}
			startLabel := "Fecha de inicio"
			if s.Kind == credit.AvisoSuspension {
				startLabel = "Crédito liquidado el"
			}
			row.Fields = []figureRow{{Label: "Para", Value: employer}, {Label: "Tipo de descuento", Value: credit.DiscountTypeNames[a.DiscountType]},
				{Label: "Valor del descuento", Value: credit.DiscountValue(a.DiscountType, a.FactorE4)}, {Label: startLabel, Value: start}, {Label: "Motivo", Value: a.Reason}}
		}
		page.Avisos = append(page.Avisos, row)
	}
	h.render.Render(w, r, http.StatusOK, "credito-avisos", page)
}

func (h *Handler) avisoPDF(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	kind := ""
	for k, file := range avisoFiles {
		if r.PathValue("archivo") == file {
			kind = k
		}
	}
	if kind == "" {
		h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "Ese aviso no existe. Elige uno en la página de avisos para tu patrón."))
		return
	}
	ss, err := h.documents.Credit.Avisos(r.Context(), v)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	var st credit.AvisoStatus
	for _, s := range ss {
		if s.Kind == kind {
			st = s
		}
	}
	if st.Aviso == nil {
		h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "%s", st.WhyNot))
		return
	}
	p, err := h.people.FindPersonByID(r.Context(), v.Credit.PersonID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	a := st.Aviso
	doc := statement.DiscountNotice{Kind: kind, Name: p.FullName(), NSS: p.NSS.String(), CURP: p.CURP.String(), CreditNumber: v.Credit.Number,
		DiscountType: a.DiscountType, DiscountFactorE4: a.FactorE4, Start: a.Start, Reason: a.Reason}
	if a.Employer != nil {
		doc.EmployerName, doc.EmployerRegistro = a.Employer.Name, a.Employer.Registro
	}
	req := document.Request{Kind: avisoKinds[kind], PersonID: p.ID, CreditNumber: v.Credit.Number, Detail: doc.EmployerRegistro,
		Holder: p.FullName(), Layout: statement.LayoutAviso}
	h.issue(w, r, req, doc, "aviso-"+avisoFiles[kind][:len(avisoFiles[kind])-4]+"-"+v.Credit.Number+".pdf", func(d *document.Issued, url string) ([]byte, error) {
		doc.Verified = verified(d, url)
		var buf bytes.Buffer
		err := statement.WriteDiscountNotice(&buf, &doc)
		return buf.Bytes(), err
	})
}

// cancellationPage is /mi-cuenta/credito/cancelacion-hipoteca.
type cancellationPage struct {
	Number, Q string
	credit.Cancellation
	Steps []stepRow
	PDF   string
}

type stepRow struct {
	Title, Detail, Status string
	Done                  bool
}

// cartaValidDays is how long a carta de cancelación is valid (domain.md
// §9.2): 180 calendar days.
const cartaValidDays = 180

func (h *Handler) showCancellation(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	c := credit.CancellationOf(v)
	page := cancellationPage{Number: v.Credit.Number, Q: creditQS(r, v), Cancellation: c}
	suspension, err := h.documents.Issuer.HasIssued(r.Context(), v.Credit.PersonID, v.Credit.Number, document.KindSuspension)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	carta, err := h.documents.Issuer.HasIssued(r.Context(), v.Credit.PersonID, v.Credit.Number, document.KindCarta)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	// What the portal knows of each step: the balance, and whether the
	// aviso and the carta were downloaded; the deeds are up to the person.
	status := []struct {
		done    bool
		yes, no string
	}{
		{c.PaidOff, "Hecho", "Pendiente"},
		{suspension, "Aviso descargado", "Pendiente"},
		{carta, "Carta descargada", "Pendiente"},
		{false, "", "Cuando tengas tu carta"},
	}
	for i, s := range statement.LiquidationSteps {
		row := stepRow{Title: s.Title, Detail: s.Detail, Done: status[i].done, Status: status[i].no}
		if row.Done {
			row.Status = status[i].yes
		}
		page.Steps = append(page.Steps, row)
	}
	if c.PaidOff {
		page.PDF = "/mi-cuenta/credito/cancelacion-hipoteca/carta.pdf" + page.Q
	}
	h.render.Render(w, r, http.StatusOK, "credito-cancelacion", page)
}

func (h *Handler) cancellationPDF(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	c := credit.CancellationOf(v)
	if !c.PaidOff {
		h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "%s", c.WhyNot))
		return
	}
	p, err := h.people.FindPersonByID(r.Context(), v.Credit.PersonID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	doc := statement.CancellationLetter{Name: p.FullName(), CreditNumber: v.Credit.Number, Origination: v.Credit.Origination, SettledOn: c.SettledOn}
	req := document.Request{Kind: document.KindCarta, PersonID: p.ID, CreditNumber: v.Credit.Number, Holder: p.FullName(),
		Layout: statement.LayoutCancellation, ValidDays: cartaValidDays}
	h.issue(w, r, req, doc, "carta-cancelacion-hipoteca-"+v.Credit.Number+".pdf", func(d *document.Issued, url string) ([]byte, error) {
		doc.Verified = verified(d, url)
		var buf bytes.Buffer
		err := statement.WriteCancellationLetter(&buf, &doc)
		return buf.Bytes(), err
	})
}
