package ui

import (
	"context"
	"net/http"

	"micuenta/internal/portal"
	"micuenta/internal/savings"
	"micuenta/internal/web"
)

// NoticeStore is what /mi-cuenta/notificaciones reads and writes.
type NoticeStore interface {
	NoticesOf(ctx context.Context, personID int64, limit int) ([]savings.Notice, error)
	NoticePrefs(ctx context.Context, accountID int64) (byEmail, bySMS bool, err error)
	SetNoticePrefs(ctx context.Context, accountID int64, byEmail, bySMS bool) error
	RequestSMS(ctx context.Context, accountID int64) (bool, error)
	SetRequestSMS(ctx context.Context, accountID int64, on bool) error
}

// noticesShown is how many past notices the page lists.
const noticesShown = 50

type noticesPage struct {
	Form           *web.Form
	ByEmail, BySMS bool
	RequestsBySMS  bool
	Saved          bool
	Notices        []noticeRow
}

type noticeRow struct{ When, Subject, Body string }

func (h *Handler) noticesData(r *http.Request, form *web.Form) (noticesPage, error) {
	s := session(r)
	pid := h.personID(r)
	page := noticesPage{Form: form, Saved: r.URL.Query().Get("guardado") == "1"}
	var err error
	if page.ByEmail, page.BySMS, err = h.notices.NoticePrefs(r.Context(), s.AccountID); err != nil {
		return page, err
	}
	if page.RequestsBySMS, err = h.notices.RequestSMS(r.Context(), s.AccountID); err != nil {
		return page, err
	}
	ns, err := h.notices.NoticesOf(r.Context(), pid, noticesShown)
	if err != nil {
		return page, err
	}
	for _, n := range ns {
		page.Notices = append(page.Notices, noticeRow{When: portal.DateOf(n.At).Spanish(), Subject: n.Subject, Body: n.Body})
	}
	return page, nil
}

func (h *Handler) showNotices(w http.ResponseWriter, r *http.Request) {
	page, err := h.noticesData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "notificaciones", page)
}

func (h *Handler) submitNotices(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	// Unchecked boxes are simply absent; anything but "si" is a tampered form.
	for _, k := range []string{"correo", "celular", "tramites_celular"} {
		if v := form.Get(k); v != "" && v != "si" {
			form.Fail(k, "Marca o desmarca la casilla.")
		}
	}
	if form.HasErrors() {
		page, err := h.noticesData(r, form)
		if err != nil {
			h.render.Error(w, r, err)
			return
		}
		h.render.Render(w, r, http.StatusBadRequest, "notificaciones", page)
		return
	}
	if err := h.notices.SetNoticePrefs(r.Context(), session(r).AccountID, form.Get("correo") == "si", form.Get("celular") == "si"); err != nil {
		h.render.Error(w, r, err)
		return
	}
	if err := h.notices.SetRequestSMS(r.Context(), session(r).AccountID, form.Get("tramites_celular") == "si"); err != nil {
		h.render.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/mi-cuenta/notificaciones?guardado=1", http.StatusSeeOther)
}
