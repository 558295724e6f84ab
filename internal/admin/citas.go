package admin

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/appointment"
	"micuenta/internal/ident"
	"micuenta/internal/operator"
	"micuenta/internal/portal"
	"micuenta/internal/web"
)

// CentreAdmin is what supervisors change about a centre.
type CentreAdmin interface {
	SetPlaces(ctx context.Context, code string, s appointment.Service, places int, after time.Time) error
	AddClosure(ctx context.Context, code string, day portal.Date, reason string) error
	RemoveClosure(ctx context.Context, code string, day portal.Date) error
}

// agendaPage is /admin/citas: a centre's appointments of one day.
type agendaPage struct {
	Form       *web.Form
	Centres    []option
	Centre     string
	CentreName string
	Day        string
	DayName    string
	Prev, Next string
	Rows       []agendaRow
	Supervisor bool
	Done       string
	Problem    string // why the last action was refused
}

type agendaRow struct {
	Code, Time, Service, Person, Folio, State, Result string
	CanArrive, CanFinish                              bool
}

// centresFor lists the centres of the operator's territory.
func (h *Handler) centresFor(r *http.Request, o *operator.Operator) ([]appointment.Centre, error) {
	all, err := h.bookings.AllCentres(r.Context())
	if err != nil {
		return nil, err
	}
	var out []appointment.Centre
	for _, c := range all {
		if o.Covers(c.State) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (h *Handler) agendaData(r *http.Request, form *web.Form) (agendaPage, error) {
	o := current(r).op
	cs, err := h.centresFor(r, o)
	if err != nil {
		return agendaPage{}, err
	}
	q := r.URL.Query()
	page := agendaPage{Form: form, Centre: q.Get("centro"), Supervisor: o.Can(operator.Reassign), Done: q.Get("hecho"), Problem: refusal(q.Get("error"))}
	var centre *appointment.Centre
	for i := range cs {
		c := &cs[i]
		page.Centres = append(page.Centres, option{c.Code, ident.State(c.State).Name() + " · " + c.Name})
		if c.Code == page.Centre {
			centre = c
		}
	}
	if centre == nil {
		if len(cs) == 0 {
			return page, nil
		}
		centre, page.Centre = &cs[0], cs[0].Code
	}
	page.CentreName = centre.Name
	day, err := portal.ParseDate(q.Get("dia"))
	if err != nil {
		if q.Get("dia") != "" {
			form.Fail("dia", "Escribe el día como 2026-12-24. Te mostramos el de hoy.")
		}
		day = portal.CivilDate(h.now().In(centre.Location()))
	}
	page.Day, page.DayName = day.String(), day.Spanish()
	page.Prev, page.Next = day.AddDays(-1).String(), day.AddDays(1).String()
	as, err := h.bookings.Agenda(r.Context(), centre, day)
	if err != nil {
		return page, err
	}
	for _, a := range as {
		p, err := h.people.FindPersonByID(r.Context(), a.PersonID)
		if err != nil {
			return page, err
		}
		page.Rows = append(page.Rows, agendaRow{Code: a.Code, Time: a.Start.In(centre.Location()).Format("15:04"), Service: a.Service.Name(),
			Person: p.FullName() + " · NSS " + p.NSS.String(), Folio: a.Folio, State: appointment.StateNames[a.State], Result: a.Result,
			CanArrive: a.State == appointment.Booked, CanFinish: a.State == appointment.Booked || a.State == appointment.Arrived})
	}
	return page, nil
}

func (h *Handler) showAgenda(w http.ResponseWriter, r *http.Request) {
	page, err := h.agendaData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if len(page.Rows) > 0 {
		if err := h.viewed(r, "agenda.viewed", 0, page.Centre+" "+page.Day); err != nil {
			h.render.Error(w, r, err)
			return
		}
	}
	status := http.StatusOK
	if page.Form.HasErrors() {
		status = http.StatusBadRequest
	}
	h.render.Render(w, r, status, "citas", page)
}

// markAppointment records arrival, attendance (with the result, noted on
// the request the visit was for) or a no-show.
func (h *Handler) markAppointment(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.render.FormError(w, r, err)
		return
	}
	o := current(r).op
	code := r.PathValue("code")
	a, c, err := h.bookings.Lookup(r.Context(), code)
	if err != nil || !o.Covers(c.State) {
		h.render.Error(w, r, portal.Errorf(portal.ENOTFOUND, "No encontramos esa cita en tus centros."))
		return
	}
	to := map[string]appointment.State{"llego": appointment.Arrived, "atendida": appointment.Attended, "no_asistio": appointment.NoShow}[form.Get("accion")]
	result := strings.TrimSpace(form.Get("resultado"))
	back := "/admin/citas?centro=" + url.QueryEscape(c.Code) + "&dia=" + portal.CivilDate(a.Start.In(c.Location())).String()
	problem := ""
	switch {
	case to == "":
		problem = "accion"
	case to == appointment.Attended && (result == "" || len([]rune(result)) > 1000):
		problem = "resultado"
	default:
		_, err = h.bookings.Mark(r.Context(), code, to, result)
		if portal.ErrorCode(err) == portal.ECONFLICT {
			problem, err = "estado", nil
		}
	}
	if problem != "" {
		http.Redirect(w, r, back+"&error="+problem+"#cita-"+code, http.StatusSeeOther)
		return
	}
	if err == nil && to == appointment.Attended && a.Folio != "" {
		if q, ferr := h.requests.Find(r.Context(), a.Folio); ferr == nil && q.PersonID == a.PersonID {
			err = h.requests.Note(r.Context(), q, o.ID, "Cita "+a.Code+" atendida en "+c.Name+": "+result)
		}
	}
	if err == nil {
		err = h.viewed(r, "appointment.marked", a.PersonID, a.Code+" "+string(to))
	}
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	http.Redirect(w, r, back+"&hecho="+url.QueryEscape(a.Code), http.StatusSeeOther)
}

// centrePage is /admin/centros/{code} (supervisors): places per slot for
// each service, and closures.
type centrePage struct {
	Form     *web.Form
	Code     string
	Name     string
	Services []placeRow
	Closures []closureRow
	Done     bool
}

type placeRow struct {
	Service, Name  string
	Places, PerDay int
}

type closureRow struct{ Day, Name, Reason string }

func (h *Handler) centreData(r *http.Request, form *web.Form) (centrePage, error) {
	c, err := h.bookings.Centre(r.Context(), r.PathValue("code"))
	if err != nil || !current(r).op.Covers(c.State) {
		return centrePage{}, portal.Errorf(portal.ENOTFOUND, "No encontramos ese centro entre los tuyos.")
	}
	page := centrePage{Form: form, Code: c.Code, Name: c.Name, Done: r.URL.Query().Get("hecho") == "1"}
	for _, s := range appointment.Services {
		page.Services = append(page.Services, placeRow{Service: string(s.Kind), Name: s.Kind.Name(), Places: c.Places[s.Kind],
			PerDay: c.Places[s.Kind] * c.SlotsPerDay()})
	}
	today := portal.DateOf(h.now())
	closed, err := h.bookings.Closures(r.Context(), c.Code, today, today.AddDays(366))
	if err != nil {
		return page, err
	}
	for d, reason := range closed {
		page.Closures = append(page.Closures, closureRow{Day: d.String(), Name: d.Spanish(), Reason: reason})
	}
	sort.Slice(page.Closures, func(i, j int) bool { return page.Closures[i].Day < page.Closures[j].Day })
	return page, nil
}

func (h *Handler) showCentre(w http.ResponseWriter, r *http.Request) {
	page, err := h.centreData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "centro", page)
}

func (h *Handler) submitCentre(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.render.FormError(w, r, err)
		return
	}
	page, err := h.centreData(r, form)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	ctx := r.Context()
	switch form.Get("accion") {
	case "lugares":
		for _, s := range appointment.Services {
			v := form.Get("lugares_" + string(s.Kind))
			n, perr := strconv.Atoi(v)
			if perr != nil || n < 0 || n > 50 {
				form.Fail("lugares_"+string(s.Kind), "Escribe un número de lugares por turno, de 0 a 50.")
				continue
			}
			if err := h.centres.SetPlaces(ctx, page.Code, s.Kind, n, h.now()); err != nil {
				h.render.Error(w, r, err)
				return
			}
		}
	case "cerrar":
		day, perr := portal.ParseDate(form.Get("dia"))
		switch {
		case perr != nil || day.Before(portal.DateOf(h.now())):
			form.Fail("dia", "Escribe una fecha de hoy en adelante, como 2026-12-24.")
		case len([]rune(form.Get("motivo"))) > 200:
			form.Fail("motivo", "Escribe el motivo en 200 caracteres o menos.")
		default:
			if err := h.centres.AddClosure(ctx, page.Code, day, form.Get("motivo")); err != nil {
				h.render.Error(w, r, err)
				return
			}
		}
	case "abrir":
		day, perr := portal.ParseDate(form.Get("dia"))
		if perr == nil {
			if err := h.centres.RemoveClosure(ctx, page.Code, day); err != nil {
				h.render.Error(w, r, err)
				return
			}
		}
	default:
		form.Fail("dia", "Esa acción no existe. Vuelve a cargar la página.")
	}
	if form.HasErrors() {
		h.render.Render(w, r, http.StatusBadRequest, "centro", page)
		return
	}
	http.Redirect(w, r, "/admin/centros/"+page.Code+"?hecho=1", http.StatusSeeOther)
}

// refusals are the messages an agenda action may come back with; the
// query carries a key, never text a link could forge.
var refusals = map[string]string{
	"resultado": "Escribe el resultado de la visita (hasta 1000 caracteres) antes de marcarla como atendida.",
	"estado":    "Esa cita ya no admite ese registro: alguien la cambió o ya se registró. Revisa su estado.",
	"accion":    "Esa acción no existe. Vuelve a cargar la página.",
}

func refusal(key string) string { return refusals[key] }
