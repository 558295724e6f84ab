package admin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"micuenta/internal/audit"
	"micuenta/internal/ident"
	"micuenta/internal/operator"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/servicing"
	"micuenta/internal/ui"
	"micuenta/internal/web"
)

// queuePage is /admin/tramites.
type queuePage struct {
	Kinds, States, Regions []option
	Kind, State, Region    string
	Overdue                bool
	RegionFixed            string // the operator's own state, when they have one
	Items                  []queueRow
	Supervisor             bool
}

type option struct{ Value, Label string }

type queueRow struct {
	Folio, Kind, State, Person, Region, Due, Assigned string
	Overdue                                           bool
}

func kindOptions() []option {
	out := []option{{"", "Todos"}}
	for _, t := range []request.Type{request.Correccion, request.ARCO, request.Conversion, request.Prorroga, request.ProteccionPagos,
		request.Escrituras, request.PagosExceso, request.DevolucionAhorro, request.SolicitudCredito} {
		out = append(out, option{t.Prefix, t.Title})
	}
	return out
}

func stateOptions() []option {
	out := []option{{"", "Abiertos"}}
	for _, s := range []request.State{request.Recibida, request.EnRevision, request.RequiereInfo, request.Aprobada, request.Rechazada, request.Concluida, request.Cancelada} {
		out = append(out, option{string(s), request.Names[s]})
	}
	return out
}

func regionOptions() []option {
	out := []option{{"", "Todo el país"}}
	for _, s := range ident.States() {
		if s != "NE" {
			out = append(out, option{string(s), s.Name()})
		}
	}
	return out
}

func (h *Handler) showQueue(w http.ResponseWriter, r *http.Request) {
	o := current(r).op
	q := r.URL.Query()
	f := request.QueueFilter{Kind: q.Get("tipo"), State: request.State(q.Get("estado")), Overdue: q.Get("vencidos") == "si",
		Region: q.Get("entidad")}
	if _, ok := request.Types[f.Kind]; !ok {
		f.Kind = ""
	}
	if !f.State.Valid() {
		f.State = ""
	}
	if !ident.State(f.Region).Valid() {
		f.Region = ""
	}
	// Operators see their own territory only; the filter cannot widen it.
	if o.Region != "" {
		f.Region = o.Region
	}
	if !o.Can(operator.SeeAllInRegion) {
		f.AssignedTo, f.Unassigned = o.ID, true
	}
	items, err := h.requests.Queue(r.Context(), f)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	names, err := h.operatorNames(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	today := portal.DateOf(h.now())
	page := queuePage{Kinds: kindOptions(), States: stateOptions(), Regions: regionOptions(), Kind: f.Kind, State: string(f.State),
		Region: f.Region, Overdue: f.Overdue, Supervisor: o.Can(operator.SeeAllInRegion)}
	if o.Region != "" {
		page.RegionFixed = ident.State(o.Region).Name()
	}
	for _, it := range items {
		assigned := "Sin asignar"
		if it.AssignedTo != 0 {
			assigned = names[it.AssignedTo]
		}
		page.Items = append(page.Items, queueRow{Folio: it.Folio, Kind: request.Types[it.Kind].Title, State: request.Names[it.State],
			Person: it.PersonName, Region: ident.State(it.Region).Name(), Due: it.DueOn.Spanish(), Assigned: assigned,
			Overdue: !it.State.Final() && it.DueOn.Before(today)})
	}
	h.render.Render(w, r, http.StatusOK, "tramites", page)
}

// operatorNames maps operator ids to names for the queue and timelines.
func (h *Handler) operatorNames(r *http.Request) (map[int64]string, error) {
	ops, err := h.operators.Workers(r.Context(), "")
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, o := range ops {
		out[o.ID] = o.Name
	}
	return out, nil
}

// requestPage is /admin/tramites/{folio}.
type requestPage struct {
	Form       *web.Form
	Folio      string
	Kind       string
	State      string
	Due        string
	Assigned   string
	Detail     []ui.DetailRow
	Facts      []servicing.Section // what to decide on, from the records now (the requests after the credit)
	Person     []ui.DetailRow
	Others     []option // the person's other requests
	Events     []eventRow
	Documents  []ui.DocumentRow
	Actions    actionSet
	Steps      []request.Step // the stages of a request that has them (a credit application)
	Advance    string         // the label of the action that finishes the current stage
	NameParts  bool           // an approval must split the name
	Workers    []option
	Mine       bool
	Supervisor bool
}

type eventRow struct {
	When, State, Who, Message string
	Internal                  bool
}

type actionSet struct{ Take, Approve, Reject, Ask, Close, Note, Advance bool }

// loadRequest finds a request the operator may see, with its person; what
// they may not see is the same 404 as what does not exist.
func (h *Handler) loadRequest(r *http.Request) (*request.Request, *person.Person, error) {
	notFound := portal.Errorf(portal.ENOTFOUND, "No encontramos ese trámite en tu bandeja. Revisa el folio.")
	q, err := h.requests.Find(r.Context(), r.PathValue("folio"))
	if err != nil {
		return nil, nil, notFound
	}
	p, err := h.people.FindPersonByID(r.Context(), q.PersonID)
	if err != nil {
		return nil, nil, err
	}
	if !current(r).op.MaySee(q.AssignedTo, p.State) {
		return nil, nil, notFound
	}
	return q, p, nil
}

func (h *Handler) requestData(r *http.Request, q *request.Request, p *person.Person, form *web.Form) (requestPage, error) {
	o := current(r).op
	names, err := h.operatorNames(r)
	if err != nil {
		return requestPage{}, err
	}
	may := o.MayAct(q.AssignedTo, p.State)
	page := requestPage{Form: form, Folio: q.Folio, Kind: request.Types[q.Kind].Title, State: request.Names[q.State], Due: q.DueOn.Spanish(),
		Detail: ui.RequestDetail(q), Mine: q.AssignedTo == o.ID, Supervisor: o.Can(operator.Reassign),
		Person: []ui.DetailRow{{Label: "Nombre", Value: p.FullName()}, {Label: "NSS", Value: p.NSS.String()},
			{Label: "CURP", Value: p.CURP.String()}, {Label: "RFC", Value: p.RFC.String()},
			{Label: "Fecha de nacimiento", Value: p.BirthDate.Spanish()}, {Label: "Entidad", Value: ident.State(p.State).Name()}}}
	page.Assigned = "Sin asignar"
	if q.AssignedTo != 0 {
		page.Assigned = names[q.AssignedTo]
	}
	page.Actions = actionSet{
		Take:    q.AssignedTo != o.ID && (q.AssignedTo == 0 || o.Can(operator.Reassign)) && !q.State.Final(),
		Approve: may && request.CanMove(q.State, request.Aprobada, request.Operator),
		Reject:  may && request.CanMove(q.State, request.Rechazada, request.Operator),
		Ask:     may && request.CanMove(q.State, request.RequiereInfo, request.Operator),
		Close:   may && request.CanMove(q.State, request.Concluida, request.Operator),
		Note:    true,
	}
	page.NameParts = isNameCorrection(q)
	if h.stages != nil {
		if page.Steps, page.Advance, err = h.stages.Steps(r.Context(), q); err != nil {
			return page, err
		}
		if page.Steps != nil {
			// Such a request is approved by finishing its last stage.
			page.Actions.Approve = false
			page.Actions.Advance = may && page.Advance != "" && q.State == request.EnRevision
		}
	}
	if h.facts != nil {
		if page.Facts, err = h.facts.Facts(r.Context(), q); err != nil {
			return page, err
		}
	}
	if page.Supervisor {
		ws, err := h.operators.Workers(r.Context(), p.State)
		if err != nil {
			return page, err
		}
		for _, wk := range ws {
			page.Workers = append(page.Workers, option{strconv.FormatInt(wk.ID, 10), wk.Name})
		}
	}
	events, err := h.requests.FullTimeline(r.Context(), q)
	if err != nil {
		return page, err
	}
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		who := map[request.Actor]string{request.Owner: "La persona titular", request.System: "Mi Cuenta"}[e.Actor]
		if e.Actor == request.Operator {
			who = names[e.ActorID]
			if who == "" {
				who = "Operador " + strconv.FormatInt(e.ActorID, 10)
			}
		}
		page.Events = append(page.Events, eventRow{When: portal.DateOf(e.At).Spanish() + " " + e.At.In(portal.MexicoCity).Format("15:04"),
			State: request.Names[e.To], Who: who, Message: e.Message, Internal: e.Internal})
	}
	docs, err := h.requests.Documents(r.Context(), q)
	if err != nil {
		return page, err
	}
	page.Documents = ui.DocumentRows(docs)
	others, err := h.requests.Mine(r.Context(), p.ID)
	if err != nil {
		return page, err
	}
	for _, x := range others {
		if x.Folio != q.Folio {
			page.Others = append(page.Others, option{x.Folio, request.Types[x.Kind].Title + " · " + request.Names[x.State]})
		}
	}
	return page, nil
}

// viewed writes an operator's view of a person's data to the audit log.
func (h *Handler) viewed(r *http.Request, action string, personID int64, detail string) error {
	return h.audit.Record(r.Context(), audit.Entry{Action: action, OperatorID: current(r).op.ID, PersonID: personID,
		IP: web.ClientIP(r), UserAgent: r.UserAgent(), Detail: detail})
}

func (h *Handler) showRequest(w http.ResponseWriter, r *http.Request) {
	q, p, err := h.loadRequest(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if err := h.viewed(r, audit.PersonViewed, p.ID, q.Folio); err != nil {
		h.render.Error(w, r, err)
		return
	}
	page, err := h.requestData(r, q, p, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "tramite", page)
}

// actOnRequest carries out one of the request page's actions. The role
// and assignment are checked here; the state rules by the domain.
func (h *Handler) actOnRequest(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.render.FormError(w, r, err)
		return
	}
	q, p, err := h.loadRequest(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	o := current(r).op
	action := form.Get("accion")
	field := "mensaje"
	act := request.Action{Actor: request.Operator, ActorID: o.ID, Message: form.Get("mensaje")}
	switch action {
	case "tomar":
		err = h.take(r, q, o)
	case "asignar":
		field = "operador"
		err = h.reassign(r, q, o, p.State, form.Get("operador"))
	case "nota":
		field = "nota"
		err = h.requests.Note(r.Context(), q, o.ID, form.Get("nota"))
	case "etapa":
		switch {
		case h.stages == nil:
			err = portal.Errorf(portal.EINVALID, "Esa acción no existe. Vuelve a cargar la página.")
		case !o.MayAct(q.AssignedTo, p.State):
			err = portal.Errorf(portal.EFORBIDDEN, "Toma el trámite antes de resolverlo: está asignado a otra persona o a nadie.")
		case len([]rune(act.Message)) > 2000:
			err = portal.Errorf(portal.EINVALID, "Escribe el mensaje para la persona en 2000 caracteres o menos.")
		default:
			err = h.stages.Advance(r.Context(), q, o.ID, act.Message)
		}
	case "aprobar", "rechazar", "pedir_info", "concluir":
		if !o.MayAct(q.AssignedTo, p.State) {
			err = portal.Errorf(portal.EFORBIDDEN, "Toma el trámite antes de resolverlo: está asignado a otra persona o a nadie.")
			break
		}
		act.To = map[string]request.State{"aprobar": request.Aprobada, "rechazar": request.Rechazada,
			"pedir_info": request.RequiereInfo, "concluir": request.Concluida}[action]
		if n := len([]rune(act.Message)); (action == "rechazar" || action == "pedir_info") && n == 0 || n > 2000 {
			err = portal.Errorf(portal.EINVALID, "Escribe el mensaje para la persona (hasta 2000 caracteres): el motivo del rechazo o lo que necesitas.")
			break
		}
		if action == "aprobar" && isNameCorrection(q) {
			field = "nombres"
			act.Name = &request.NameParts{GivenNames: form.Get("nombres"), FirstSurname: form.Get("primer_apellido"), SecondSurname: form.Get("segundo_apellido")}
		}
		_, err = h.requests.Act(r.Context(), q.Folio, act)
	default:
		err = portal.Errorf(portal.EINVALID, "Esa acción no existe. Vuelve a cargar la página.")
	}
	if err == nil {
		if aerr := h.viewed(r, operator.AuditRequestAct, p.ID, q.Folio+" "+action); aerr != nil {
			h.render.Error(w, r, aerr)
			return
		}
		http.Redirect(w, r, "/admin/tramites/"+url.PathEscape(q.Folio)+"?hecho="+url.QueryEscape(action), http.StatusSeeOther)
		return
	}
	if portal.ErrorCode(err) == portal.EFORBIDDEN {
		h.render.Error(w, r, err)
		return
	}
	if fresh, ferr := h.requests.Find(r.Context(), q.Folio); ferr == nil {
		q = fresh
	}
	page, perr := h.requestData(r, q, p, form)
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	h.render.FormFailure(w, r, "tramite", page, form, field, err)
}

// take assigns the request to the operator and starts its review.
func (h *Handler) take(r *http.Request, q *request.Request, o *operator.Operator) error {
	if q.AssignedTo != 0 && q.AssignedTo != o.ID && !o.Can(operator.Reassign) {
		return portal.Errorf(portal.EFORBIDDEN, "Este trámite ya lo tiene otra persona. Pide a tu supervisor que te lo asigne.")
	}
	if q.AssignedTo != o.ID {
		if err := h.requests.Assign(r.Context(), q, q.AssignedTo, o.ID); err != nil {
			return err
		}
	}
	if q.State == request.Recibida {
		_, err := h.requests.Act(r.Context(), q.Folio, request.Action{To: request.EnRevision, Actor: request.Operator, ActorID: o.ID})
		return err
	}
	return nil
}

// reassign gives the request to another operator (supervisors).
func (h *Handler) reassign(r *http.Request, q *request.Request, o *operator.Operator, region, to string) error {
	if !o.Can(operator.Reassign) {
		return portal.Errorf(portal.EFORBIDDEN, "Solo una persona supervisora puede reasignar trámites.")
	}
	id, _ := strconv.ParseInt(to, 10, 64)
	target, err := h.operators.Find(r.Context(), id)
	if err != nil || !target.Can(operator.WorkRequests) || !target.Covers(region) {
		return portal.Errorf(portal.EINVALID, "Elige a una persona operadora de la lista.")
	}
	return h.requests.Assign(r.Context(), q, q.AssignedTo, target.ID)
}

// requestDocument sends a request's file to an operator, as a download,
// and logs the view.
func (h *Handler) requestDocument(w http.ResponseWriter, r *http.Request) {
	q, p, err := h.loadRequest(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, rc, err := h.requests.OpenDocument(r.Context(), q, id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	defer rc.Close()
	if err := h.viewed(r, operator.AuditDocumentView, p.ID, q.Folio+" documento "+strconv.FormatInt(d.ID, 10)); err != nil {
		h.render.Error(w, r, err)
		return
	}
	ui.SendDocument(w, d, rc)
}

// isNameCorrection reports whether approving q needs the name's parts.
func isNameCorrection(q *request.Request) bool {
	var d request.CorrectionData
	return q.Kind == request.Correccion.Prefix && json.Unmarshal(q.Data, &d) == nil && d.Field == request.FieldNombre
}
