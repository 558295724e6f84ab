package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/statement"
)

// statementsPage is /mi-cuenta/credito/estados-de-cuenta.
type statementsPage struct {
	Number string
	Months []monthLink
	// Historical is whether the credit has movements for the statement
	// since its start (a credit just granted has none yet).
	Historical bool
}

type monthLink struct{ Name, Href string }

// statementMonths are the months a statement exists for: from the
// credit's first movement to the last month that has ended, newest first.
func statementMonths(v *credit.View) []portal.Date {
	if len(v.Movements) == 0 {
		return nil
	}
	first := v.Movements[0].ValueDate
	var out []portal.Date
	for m := portal.NewDate(v.Today.Y, v.Today.M-1, 1); !m.Before(portal.NewDate(first.Y, first.M, 1)); m = portal.NewDate(m.Y, m.M-1, 1) {
		out = append(out, m)
	}
	return out
}

func (h *Handler) showStatements(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page := statementsPage{Number: v.Credit.Number, Historical: len(v.Movements) > 0}
	for _, m := range statementMonths(v) {
		page.Months = append(page.Months, monthLink{Name: m.MonthYear(),
			Href: fmt.Sprintf("/mi-cuenta/credito/estados-de-cuenta/%04d-%02d.pdf", m.Y, int(m.M))})
	}
	h.render.Render(w, r, http.StatusOK, "credito-estados", page)
}

// statementPDF sends the monthly statement of /…/YYYY-MM.pdf or the
// historical one of /…/historico.pdf. A month that has not ended, or
// one before the credit began, gets a page that says so.
func (h *Handler) statementPDF(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	p, err := h.people.FindPersonByID(r.Context(), v.Credit.PersonID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	name := strings.TrimSuffix(r.PathValue("mes"), ".pdf")
	var from, to portal.Date
	historical := name == "historico"
	switch {
	case historical:
		if len(v.Movements) == 0 {
			h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "Tu crédito todavía no tiene movimientos."))
			return
		}
		from, to = v.Movements[0].ValueDate, v.Today
	default:
		m, perr := portal.ParseDate(name + "-01")
		if perr != nil || len(name) != 7 {
			h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "Ese estado de cuenta no existe. Elige un mes de la lista."))
			return
		}
		months := statementMonths(v)
		switch {
		case !m.Before(portal.NewDate(v.Today.Y, v.Today.M, 1)):
			h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "El estado de cuenta de %s estará listo cuando termine el mes.", m.MonthYear()))
			return
		case len(months) == 0 || m.Before(months[len(months)-1]):
			h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "Tu crédito no tiene movimientos antes de %s: elige un mes de la lista.", months[len(months)-1].MonthYear()))
			return
		}
		from, to = m, portal.NewDate(m.Y, m.M+1, 1).AddDays(-1)
	}
	s := statement.BuildCreditStatement(v.Credit, v.Movements, from, to)
	monthly := v.MonthlyPayment()
	s.Name, s.Historical, s.NextPayment, s.NextDue, s.Generated = p.FullName(), historical, monthly, v.Summary.NextDue, h.payments.Now()
	s.Folio = fmt.Sprintf("EDC-%s-%04d%02d", v.Credit.Number, to.Y, int(to.M))
	if !v.Credit.Live() {
		s.NextPayment, s.NextDue = 0, portal.Date{}
	}
	var buf bytes.Buffer
	if err := statement.WriteCreditStatement(&buf, &s); err != nil {
		h.render.Error(w, r, err)
		return
	}
	file := "estado-de-cuenta-" + v.Credit.Number + "-" + name + ".pdf"
	attachment(w, "application/pdf", file)
	_, _ = w.Write(buf.Bytes())
}

// paymentReceipt sends the receipt of a paid online payment.
func (h *Handler) paymentReceipt(w http.ResponseWriter, r *http.Request) {
	pid := h.personID(r)
	op, err := h.payments.Find(r.Context(), pid, r.PathValue("intent"))
	if err == nil && op.State != credit.PaymentPaid {
		err = portal.Errorf(portal.ENOTFOUND, "Este pago no se completó: no tiene comprobante.")
	}
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v, err := h.myCredit(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	p, err := h.people.FindPersonByID(r.Context(), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	var buf bytes.Buffer
	err = statement.WriteReceipt(&buf, statement.Receipt{Name: p.FullName(), CreditNumber: v.Credit.Number, PaymentID: op.ProviderPaymentID,
		IntentID: op.IntentID, Amount: op.Amount, PaidAt: op.PaidAt, Method: "Pago en línea", BalanceAfter: v.Summary.Balance,
		Folio: "PAG-" + op.IntentID, Generated: h.payments.Now()})
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	attachment(w, "application/pdf", "comprobante-de-pago-"+op.IntentID+".pdf")
	_, _ = w.Write(buf.Bytes())
}
