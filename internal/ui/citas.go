package ui

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/appointment"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/web"
)

// appointmentsPage is /mi-cuenta/citas.
type appointmentsPage struct {
	Coming, Past []appointmentRow
	Cancelled    string // the code just cancelled
}

type appointmentRow struct {
	Code, Service, Centre, When, State string
	Open                               bool
}

func (h *Handler) appointmentRows(r *http.Request, as []appointment.Appointment) (coming, past []appointmentRow, err error) {
	for i := len(as) - 1; i >= 0; i-- { // the store lists newest first; coming ones read best soonest first
		a := as[i]
		c, err := h.bookings.Centre(r.Context(), a.Centre)
		if err != nil {
			return nil, nil, err
		}
		row := appointmentRow{Code: a.Code, Service: a.Service.Name(), Centre: c.Name, When: c.When(a.Start), State: appointment.StateNames[a.State],
			Open: h.bookings.Upcoming(&a)}
		if row.Open {
			coming = append(coming, row)
		} else {
			past = append([]appointmentRow{row}, past...)
		}
	}
	return coming, past, nil
}

func (h *Handler) showAppointments(w http.ResponseWriter, r *http.Request) {
	pid := h.personID(r)
	as, err := h.bookings.Mine(r.Context(), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page := appointmentsPage{Cancelled: r.URL.Query().Get("cancelada")}
	if page.Coming, page.Past, err = h.appointmentRows(r, as); err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "citas", page)
}

// newAppointmentPage is /mi-cuenta/citas/nueva: choose the service and the
// state, then a slot among the next free ones of that state's centres.
type newAppointmentPage struct {
	Form     *web.Form
	Services []choice
	Regions  []choice
	Service  string
	Region   string
	Folio    string
	Move     string // the code of the appointment being moved
	Centres  []centreOffer
	Searched bool
	Action   string // where the search and slot forms go
	Public   bool   // /citas, without an account
}

type centreOffer struct {
	Code, Name, Address string
	Slots               []slotChoice
}

type slotChoice struct{ Value, Label string }

// slotsShown bounds the slots listed per centre: the next ones are what
// people pick; the rest are a click away on another day.
const slotsShown = 8

func appointmentChoices() (services, regions []choice) {
	for _, s := range appointment.Services {
		services = append(services, choice{string(s.Kind), s.Kind.Name()})
	}
	for _, st := range ident.States() {
		if st != "NE" {
			regions = append(regions, choice{string(st), st.Name()})
		}
	}
	return services, regions
}

// offers lists the state's centres offering the service, with their next
// free slots.
func (h *Handler) offers(r *http.Request, service appointment.Service, region string) ([]centreOffer, error) {
	cs, err := h.bookings.CentresIn(r.Context(), region)
	if err != nil {
		return nil, err
	}
	var out []centreOffer
	for i := range cs {
		c := &cs[i]
		if c.Places[service] == 0 {
			continue
		}
		free, err := h.bookings.Free(r.Context(), c, service)
		if err != nil {
			return nil, err
		}
		o := centreOffer{Code: c.Code, Name: c.Name, Address: c.Address + ", " + c.Municipality}
		for j, f := range free {
			if j == slotsShown {
				break
			}
			o.Slots = append(o.Slots, slotChoice{Value: c.Code + "@" + strconv.FormatInt(f.Start.Unix(), 10),
				Label: c.When(f.Start) + " · " + places(f.Free)})
		}
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Slots) > 0 && len(out[j].Slots) == 0 })
	return out, nil
}

func places(n int) string {
	if n == 1 {
		return "1 lugar"
	}
	return strconv.Itoa(n) + " lugares"
}

// newAppointmentData fills the booking page for personID (whose state is
// the default), posting the chosen slot to action.
func (h *Handler) newAppointmentData(r *http.Request, form *web.Form, q url.Values, personID int64, action string) (newAppointmentPage, error) {
	page := newAppointmentPage{Form: form, Service: q.Get("servicio"), Region: q.Get("entidad"), Folio: q.Get("folio"), Move: q.Get("cambiar"),
		Action: action, Public: action == "/citas/horario"}
	page.Services, page.Regions = appointmentChoices()
	if page.Region == "" {
		if p, err := h.people.FindPersonByID(r.Context(), personID); err == nil {
			page.Region = p.State
		}
	}
	if _, _, _, err := request.ParseFolio(page.Folio); err != nil {
		page.Folio = ""
	}
	if q.Has("servicio") {
		page.Searched = true
		s := appointment.Service(page.Service)
		if !s.Valid() {
			form.Fail("servicio", "Elige el servicio que necesitas.")
		}
		if !ident.State(page.Region).Valid() || page.Region == "NE" {
			form.Fail("entidad", "Elige tu estado.")
		}
		if form.HasErrors() {
			return page, nil
		}
		var err error
		if page.Centres, err = h.offers(r, s, page.Region); err != nil {
			return page, err
		}
	}
	return page, nil
}

func (h *Handler) showNewAppointment(w http.ResponseWriter, r *http.Request) {
	pid := h.personID(r)
	form := web.NewForm()
	page, err := h.newAppointmentData(r, form, r.URL.Query(), pid, "/mi-cuenta/citas/nueva")
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusBadRequest
	}
	h.render.Render(w, r, status, "cita-nueva", page)
}

// parseSlot reads a slot choice "CENTRE@unix".
func parseSlot(v string) (centre string, start time.Time, ok bool) {
	code, unix, found := strings.Cut(v, "@")
	n, err := strconv.ParseInt(unix, 10, 64)
	if !found || err != nil || code == "" || len(code) > 20 {
		return "", time.Time{}, false
	}
	return code, time.Unix(n, 0).UTC(), true
}

func (h *Handler) submitNewAppointment(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	pid := h.personID(r)
	q := url.Values{"servicio": {form.Get("servicio")}, "entidad": {form.Get("entidad")}, "folio": {form.Get("folio")}, "cambiar": {form.Get("cambiar")}}
	centre, start, ok := parseSlot(form.Get("horario"))
	var a *appointment.Appointment
	switch {
	case !ok:
		err = portal.Errorf(portal.EINVALID, "Elige un horario de la lista.")
	case form.Get("cambiar") != "":
		a, err = h.bookings.Move(r.Context(), form.Get("cambiar"), pid, centre, start)
	default:
		a, err = h.bookings.Book(r.Context(), appointment.Request{PersonID: pid, Centre: centre, Service: appointment.Service(form.Get("servicio")),
			Start: start, Folio: q.Get("folio"), Via: appointment.ViaAccount})
	}
	if err == nil {
		http.Redirect(w, r, "/mi-cuenta/citas/"+a.Code+"?agendada=1", http.StatusSeeOther)
		return
	}
	page, perr := h.newAppointmentData(r, form, q, pid, "/mi-cuenta/citas/nueva")
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	h.formFailure(w, r, "cita-nueva", page, form, "horario", err)
}

// appointmentPage is /mi-cuenta/citas/{code}.
type appointmentPage struct {
	Form                                 *web.Form
	Code, Service, Centre, Address, When string
	State, Folio, Region, ServiceCode    string
	Open                                 bool
	JustBooked                           bool
}

func (h *Handler) appointmentData(r *http.Request, form *web.Form) (appointmentPage, error) {
	pid := h.personID(r)
	a, c, err := h.bookings.Find(r.Context(), r.PathValue("code"), pid)
	if err != nil {
		return appointmentPage{}, err
	}
	open := h.bookings.Changeable(a)
	return appointmentPage{Form: form, Code: a.Code, Service: a.Service.Name(), ServiceCode: string(a.Service), Centre: c.Name,
		Address: c.Address + ", " + c.Municipality + ", " + ident.State(c.State).Name(), When: c.When(a.Start),
		State: appointment.StateNames[a.State], Folio: a.Folio, Open: open, Region: c.State, JustBooked: r.URL.Query().Get("agendada") == "1"}, nil
}

func (h *Handler) showAppointment(w http.ResponseWriter, r *http.Request) {
	page, err := h.appointmentData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "cita", page)
}

func (h *Handler) cancelAppointment(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	pid := h.personID(r)
	code := r.PathValue("code")
	if err = h.bookings.Cancel(r.Context(), code, pid); err == nil {
		http.Redirect(w, r, "/mi-cuenta/citas?cancelada="+url.QueryEscape(code), http.StatusSeeOther)
		return
	}
	page, perr := h.appointmentData(r, form)
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	h.formFailure(w, r, "cita", page, form, "accion", err)
}

// appointmentICS sends the appointment as a calendar file.
func (h *Handler) appointmentICS(w http.ResponseWriter, r *http.Request) {
	pid := h.personID(r)
	a, c, err := h.bookings.Find(r.Context(), r.PathValue("code"), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", web.Attachment("cita-"+a.Code+".ics"))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(appointment.CalendarFile(a, c))
}
