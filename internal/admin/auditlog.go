package admin

import (
	"net/http"
	"strconv"

	"micuenta/internal/audit"
	"micuenta/internal/portal"
)

// auditPage is /admin/auditoria (auditors).
type auditPage struct {
	Action   string
	Operator string
	Person   string
	Entries  []auditRow
}

type auditRow struct {
	When, Action, Operator, Person, Account, IP, Detail string
}

// auditShown bounds one page of the log.
const auditShown = 200

func (h *Handler) showAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := audit.Filter{Action: q.Get("accion"), Limit: auditShown}
	f.OperatorID, _ = strconv.ParseInt(q.Get("operador"), 10, 64)
	f.PersonID, _ = strconv.ParseInt(q.Get("persona"), 10, 64)
	entries, err := h.auditLog.RecentAudit(r.Context(), f)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page := auditPage{Action: f.Action, Operator: q.Get("operador"), Person: q.Get("persona")}
	id := func(n int64) string {
		if n == 0 {
			return "—"
		}
		return strconv.FormatInt(n, 10)
	}
	for _, e := range entries {
		page.Entries = append(page.Entries, auditRow{When: portal.DateOf(e.At).Spanish() + " " + e.At.In(portal.MexicoCity).Format("15:04:05"),
			Action: e.Action, Operator: id(e.OperatorID), Person: id(e.PersonID), Account: id(e.AccountID), IP: e.IP, Detail: e.Detail})
	}
	h.render.Render(w, r, http.StatusOK, "auditoria", page)
}
