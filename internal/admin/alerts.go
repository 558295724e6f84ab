package admin

import (
	"net/http"
	"strconv"

	"micuenta/internal/alert"
	"micuenta/internal/portal"
)

// alertsPage is /admin/alertas.
type alertsPage struct{ Alerts []alertRow }

type alertRow struct{ When, Rule, Subject, Events, Detail string }

func (h *Handler) showAlerts(w http.ResponseWriter, r *http.Request) {
	as, err := h.alerts.Recent(r.Context(), 200)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	var page alertsPage
	for _, a := range as {
		page.Alerts = append(page.Alerts, alertRow{When: portal.DateOf(a.RaisedAt).Spanish() + " " + a.RaisedAt.In(portal.MexicoCity).Format("15:04"),
			Rule: alert.Titles[a.Rule], Subject: a.Subject, Events: strconv.Itoa(a.Events), Detail: a.Detail})
	}
	h.render.Render(w, r, http.StatusOK, "alertas", page)
}
