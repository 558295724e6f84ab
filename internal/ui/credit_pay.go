package ui

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"

	"micuenta/internal/credit"
	"micuenta/internal/payment"
	"micuenta/internal/portal"
	"micuenta/internal/statement"
	"micuenta/internal/web"
)

// payPage is /mi-cuenta/credito/pagar.
type payPage struct {
	Form                     *web.Form
	Number                   string
	Enabled                  bool
	Monthly, Arrears, Payoff portal.Money
	HasArrears               bool
	MinOnline                portal.Money
}

func (h *Handler) payData(r *http.Request, form *web.Form) (payPage, *credit.View, error) {
	v, err := h.myCredit(r)
	if err != nil {
		return payPage{}, nil, err
	}
	monthly, _ := credit.Amount(v, credit.PayMonthly, "")
	return payPage{Form: form, Number: v.Credit.Number, Enabled: h.payments.Enabled(), Monthly: monthly, Arrears: v.Summary.Arrears,
		Payoff: v.Summary.Payoff, HasArrears: v.Summary.Arrears >= credit.MinOnline, MinOnline: credit.MinOnline}, v, nil
}

func (h *Handler) showPay(w http.ResponseWriter, r *http.Request) {
	page, _, err := h.payData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "credito-pagar", page)
}

func (h *Handler) submitPay(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	pid := h.personID(r)
	_, url, err := h.payments.Start(r.Context(), pid, form.Get("concepto"), form.Get("importe"))
	if err == nil {
		http.Redirect(w, r, url, http.StatusSeeOther)
		return
	}
	page, _, perr := h.payData(r, form)
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	field := "concepto"
	if form.Get("concepto") == credit.PayOther {
		field = "importe"
	}
	if portal.ErrorCode(err) == portal.EUNAVAILABLE {
		form.Fail(field, portal.ErrorMessage(err))
		h.render.Render(w, r, http.StatusServiceUnavailable, "credito-pagar", page)
		return
	}
	h.formFailure(w, r, "credito-pagar", page, form, field, err)
}

// paymentPage is /mi-cuenta/credito/pagos/{intent}: where the person comes
// back from the processor.
type paymentPage struct {
	IntentID, State, Paid string
	Amount                portal.Money
	Done, Pending, Failed bool
}

func (h *Handler) showPayment(w http.ResponseWriter, r *http.Request) {
	pid := h.personID(r)
	op, err := h.payments.Find(r.Context(), pid, r.PathValue("intent"))
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page := paymentPage{IntentID: op.IntentID, Amount: op.Amount, State: op.State, Done: op.State == credit.PaymentPaid,
		Pending: op.State == credit.PaymentPending, Failed: op.State == credit.PaymentFailed || op.State == credit.PaymentCancelled}
	if page.Done {
		page.Paid = portal.DateOf(op.PaidAt).Spanish() + " " + op.PaidAt.In(portal.MexicoCity).Format("15:04")
	}
	h.render.Render(w, r, http.StatusOK, "credito-pago", page)
}

// paymentNotice is the processor's webhook. It answers 200 once the
// payment is posted (or was already), 401 to a bad signature or a stale
// notice, 400 to a body that does not parse, and 503 when the ledger
// cannot be written, so the processor tries again.
func (h *Handler) paymentNotice(w http.ResponseWriter, r *http.Request) {
	if h.gateway == nil {
		http.NotFound(w, r)
		return
	}
	ev, err := h.gateway.Verify(r, h.payments.Now())
	switch {
	case errors.Is(err, payment.ErrUnsupportedType):
		w.WriteHeader(http.StatusOK) // nothing for us; stop resending
		return
	case portal.ErrorCode(err) == portal.EUNAUTHORIZED:
		h.log.Warn("payment notice refused", "err", err, "ip", web.ClientIP(r))
		http.Error(w, "firma no válida", http.StatusUnauthorized)
		return
	case err != nil:
		h.log.Warn("payment notice unreadable", "err", err)
		http.Error(w, "aviso no válido", http.StatusBadRequest)
		return
	}
	if err := h.payments.Confirm(r.Context(), ev); err != nil {
		if errors.Is(err, credit.ErrUnknownIntent) {
			h.log.Warn("payment notice for an unknown intent", "intent", ev.IntentID, "payment", ev.PaymentID)
			http.Error(w, "pago desconocido", http.StatusNotFound)
			return
		}
		h.log.Error("payment notice not posted", "err", err, "intent", ev.IntentID)
		http.Error(w, "intenta de nuevo", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// sandboxPage is the demo's stand-in for a processor's checkout page.
type sandboxPage struct {
	IntentID string
	Amount   portal.Money
}

func (h *Handler) showSandbox(w http.ResponseWriter, r *http.Request) {
	op, err := h.payments.Lookup(r.Context(), r.PathValue("intent"))
	if err != nil || op.State != credit.PaymentPending {
		h.render.ErrorStatus(w, r, http.StatusNotFound)
		return
	}
	h.render.Render(w, r, http.StatusOK, "pago-sandbox", sandboxPage{IntentID: op.IntentID, Amount: op.Amount})
}

// submitSandbox plays the processor: it signs a notice exactly as a real
// one would and delivers it to the portal's own webhook handler, then
// sends the person back.
func (h *Handler) submitSandbox(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	op, err := h.payments.Lookup(r.Context(), r.PathValue("intent"))
	if err != nil {
		h.render.ErrorStatus(w, r, http.StatusNotFound)
		return
	}
	status := payment.StatusPaid
	if form.Get("accion") == "cancelar" {
		status = payment.StatusCancelled
	}
	body, sig := h.sandbox.Complete(payment.Intent{ID: op.IntentID, Amount: op.Amount}, status, h.payments.Now())
	notice := httptest.NewRequest(http.MethodPost, "/pagos/notificaciones", bytes.NewReader(body))
	notice.Header.Set(payment.SignatureHeader, sig)
	rec := httptest.NewRecorder()
	h.paymentNotice(rec, notice)
	if rec.Code != http.StatusOK {
		h.render.Error(w, r, portal.Errorf(portal.EUNAVAILABLE, "No pudimos registrar el pago de prueba. Intenta de nuevo."))
		return
	}
	http.Redirect(w, r, "/mi-cuenta/credito/pagos/"+op.IntentID, http.StatusSeeOther)
}

// creditSlip downloads the payment slip with the reference.
func (h *Handler) creditSlip(w http.ResponseWriter, r *http.Request) {
	v, err := h.myCredit(r)
	if err == nil && !v.Credit.Live() {
		err = portal.Errorf(portal.ENOTFOUND, "Tu crédito está %s: no tiene pagos pendientes.", strings.ToLower(credit.StateNames[v.Credit.State]))
	}
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	p, err := h.people.FindPersonByID(r.Context(), v.Credit.PersonID)
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
	var buf bytes.Buffer
	if err := statement.PaymentSlip(&buf, statement.Slip{Name: p.FullName(), CreditNumber: v.Credit.Number, Reference: ref, MonthlyPayment: monthly,
		Payoff: v.Summary.Payoff, Arrears: v.Summary.Arrears, DueDate: v.Summary.NextDue, Generated: h.payments.Now()}); err != nil {
		h.render.Error(w, r, err)
		return
	}
	attachment(w, "application/pdf", "ficha-de-pago-"+v.Credit.Number+".pdf")
	_, _ = w.Write(buf.Bytes())
}
