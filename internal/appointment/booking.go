package appointment

import (
	"context"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/notify"
	"micuenta/internal/portal"
	"micuenta/internal/request"
)

// Rules of booking (issue 10).
const (
	// MaxOpen is how many future appointments one person may hold.
	MaxOpen = 2
	// ChangeUntil is how long before the visit it can still be moved or
	// cancelled by the person.
	ChangeUntil = 2 * time.Hour
	// Lead is how soon a slot can be booked: the centre must know who is
	// coming, and whatever is booked can still be moved or cancelled
	// (ChangeUntil) for a while after.
	Lead = 3 * time.Hour
	// Horizon is how far ahead slots are offered, in calendar days.
	Horizon = 21
)

// State is where an appointment stands.
type State string

// The states.
const (
	Booked    State = "agendada"
	Cancelled State = "cancelada"
	Arrived   State = "llego"
	Attended  State = "atendida"
	NoShow    State = "no_asistio"
)

// StateNames are the states as people read them.
var StateNames = map[State]string{Booked: "Agendada", Cancelled: "Cancelada", Arrived: "En el centro", Attended: "Atendida", NoShow: "No asistió"}

// Via says how an appointment was booked.
const (
	ViaAccount = "cuenta"
	ViaPublic  = "publico"
)

// Appointment is one booked visit.
type Appointment struct {
	ID         int64
	Code       string // CIT-2026-000123-K, to quote at the centre
	Centre     string // centre code
	Service    Service
	Start      time.Time // UTC
	PersonID   int64
	Folio      string // the request the visit is for, if any
	State      State
	Via        string
	Contact    string // for public bookings: the e-mail or mobile given
	Result     string // what the centre recorded at the visit
	RemindedAt time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Store keeps centres, slots and appointments.
type Store interface {
	Centres(ctx context.Context) ([]Centre, error)
	FindCentre(ctx context.Context, code string) (*Centre, error)
	Closed(ctx context.Context, code string, from, to portal.Date) (map[portal.Date]string, error)
	// BookedPlaces returns how many places are taken in each slot of a
	// centre and service that has bookings, between two instants.
	BookedPlaces(ctx context.Context, code string, s Service, from, to time.Time) (map[time.Time]int, error)
	// TakePlace takes one place of a slot, creating the slot with
	// capacity if it is new; ECONFLICT when the slot is full. The
	// database decides, so concurrent bookings never overfill a slot.
	TakePlace(ctx context.Context, code string, s Service, start time.Time, capacity int) (slotID int64, err error)
	// ReleasePlace gives a slot's place back.
	ReleasePlace(ctx context.Context, slotID int64) error
	// LockHolder serialises a person's bookings until the transaction ends.
	LockHolder(ctx context.Context, personID int64, at time.Time) error
	// OpenAppointments counts a person's booked appointments still to come.
	OpenAppointments(ctx context.Context, personID int64, after time.Time) (int, error)
	NextFolioNumber(ctx context.Context, kind string, year int) (int64, error)
	CreateAppointment(ctx context.Context, a *Appointment, slotID int64) error
	FindAppointment(ctx context.Context, code string) (*Appointment, error)
	// SetAppointmentState moves an appointment only if it is still in
	// from (ECONFLICT otherwise).
	SetAppointmentState(ctx context.Context, id int64, from, to State, result string, at time.Time) error
	AppointmentSlot(ctx context.Context, id int64) (int64, error)
	AppointmentsOf(ctx context.Context, personID int64) ([]Appointment, error)
	Agenda(ctx context.Context, code string, from, to time.Time) ([]Appointment, error)
	// DueReminders lists booked appointments starting in [from, to) not
	// yet reminded; ClaimReminder marks one reminded, once.
	DueReminders(ctx context.Context, from, to time.Time, limit int) ([]Appointment, error)
	ClaimReminder(ctx context.Context, id int64, at time.Time) (bool, error)
}

// Recipient is where a person's appointment messages go.
type Recipient struct{ Email, Mobile string }

// Contacts finds a person's account contacts; ok false without an account.
type Contacts interface {
	AppointmentRecipient(ctx context.Context, personID int64) (r Recipient, ok bool, err error)
}

// Deps are what the booking service works with.
type Deps struct {
	Tx       portal.TxRunner
	Store    Store
	Contacts Contacts
	Outbox   *notify.Outbox
	Calendar *request.Calendar
	BaseURL  string
	Now      func() time.Time
}

// Bookings books, moves and cancels appointments and reminds people.
type Bookings struct {
	tx       portal.TxRunner
	store    Store
	contacts Contacts
	outbox   *notify.Outbox
	calendar *request.Calendar
	baseURL  string
	now      func() time.Time
}

// NewBookings builds the service.
func NewBookings(d Deps) *Bookings {
	return &Bookings{tx: d.Tx, store: d.Store, contacts: d.Contacts, outbox: d.Outbox, calendar: d.Calendar, baseURL: d.BaseURL, now: d.Now}
}

// Offer is a slot with the places still free.
type Offer struct {
	Slot
	Free int
}

// closedDays adapts the store's closures of a date range to Closures.
type closedDays map[portal.Date]string

func (c closedDays) Closed(_ string, day portal.Date) bool { _, ok := c[day]; return ok }

// Free lists the slots of a centre and service over the booking horizon
// that still have places.
func (b *Bookings) Free(ctx context.Context, c *Centre, s Service) ([]Offer, error) {
	now := b.now().UTC()
	today := portal.DateOf(now)
	closed, err := b.store.Closed(ctx, c.Code, today, today.AddDays(Horizon+1))
	if err != nil {
		return nil, err
	}
	slots := c.Next(now, s, Horizon, b.calendar, closedDays(closed), Lead)
	if len(slots) == 0 {
		return nil, nil
	}
	taken, err := b.store.BookedPlaces(ctx, c.Code, s, slots[0].Start, slots[len(slots)-1].Start.Add(time.Minute))
	if err != nil {
		return nil, err
	}
	var out []Offer
	for _, sl := range slots {
		if free := sl.Places - taken[sl.Start]; free > 0 {
			out = append(out, Offer{Slot: sl, Free: free})
		}
	}
	return out, nil
}

// Request is what a booking needs.
type Request struct {
	PersonID int64
	Centre   string
	Service  Service
	Start    time.Time
	Folio    string
	Via      string
	Contact  string // public bookings: where the confirmation goes
}

var (
	errFull    = portal.Errorf(portal.ECONFLICT, "Ese horario se acaba de llenar. Elige otro.")
	errTooMany = portal.Errorf(portal.ECONFLICT, "Ya tienes dos citas por venir. Cancela o cambia una antes de agendar otra.")
	errNoSlot  = portal.Errorf(portal.EINVALID, "Ese horario no está disponible. Elige uno de la lista.")
	errTooLate = portal.Errorf(portal.ECONFLICT, "Tu cita es en menos de dos horas: ya no se puede cambiar ni cancelar aquí. Si no puedes asistir, simplemente no acudas; puedes agendar otra después.")
)

// Book books a visit: the slot must be one the centre offers, with a
// place free, and the person must hold fewer than MaxOpen appointments.
// The confirmation is queued in the same transaction.
func (b *Bookings) Book(ctx context.Context, r Request) (*Appointment, error) {
	c, err := b.store.FindCentre(ctx, r.Centre)
	if err != nil {
		return nil, errNoSlot
	}
	slot, err := b.offered(ctx, c, r.Service, r.Start)
	if err != nil {
		return nil, err
	}
	var a *Appointment
	err = b.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		a, err = b.book(ctx, c, slot, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (b *Bookings) book(ctx context.Context, c *Centre, slot Slot, r Request) (*Appointment, error) {
	now := b.now().UTC()
	if err := b.store.LockHolder(ctx, r.PersonID, now); err != nil {
		return nil, err
	}
	n, err := b.store.OpenAppointments(ctx, r.PersonID, now)
	if err != nil {
		return nil, err
	}
	if n >= MaxOpen {
		return nil, errTooMany
	}
	slotID, err := b.store.TakePlace(ctx, c.Code, slot.Service, slot.Start, slot.Places)
	if portal.ErrorCode(err) == portal.ECONFLICT {
		return nil, errFull
	}
	if err != nil {
		return nil, err
	}
	seq, err := b.store.NextFolioNumber(ctx, "CIT", portal.DateOf(now).Y)
	if err != nil {
		return nil, err
	}
	a := &Appointment{Code: request.NewFolio("CIT", portal.DateOf(now).Y, seq), Centre: c.Code, Service: slot.Service, Start: slot.Start,
		PersonID: r.PersonID, Folio: r.Folio, State: Booked, Via: r.Via, Contact: r.Contact, CreatedAt: now, UpdatedAt: now}
	if err := b.store.CreateAppointment(ctx, a, slotID); err != nil {
		return nil, err
	}
	change := "Puedes cambiarla o cancelarla en Mi Cuenta > Mis citas hasta dos horas antes."
	if a.Via == ViaPublic {
		change = "Si no puedes asistir, llama a Infonatel al 800 008 3900 para cancelarla."
	}
	return a, b.tell(ctx, a, c, "Tu cita "+a.Code+" está agendada",
		"Agendamos tu cita para "+slot.Service.Name()+".\n\nCuándo: "+c.When(a.Start)+"\nDónde: "+c.Name+", "+c.Address+"\nFolio de la cita: "+a.Code+
			"\n\nLleva una identificación oficial vigente y tu NSS. "+change+b.calendarLink(a))
}

// offered checks that start is a slot the centre offers for s.
func (b *Bookings) offered(ctx context.Context, c *Centre, s Service, start time.Time) (Slot, error) {
	if !s.Valid() {
		return Slot{}, errNoSlot
	}
	now := b.now().UTC()
	local := portal.CivilDate(start.In(c.Location()))
	closed, err := b.store.Closed(ctx, c.Code, local, local.AddDays(1))
	if err != nil {
		return Slot{}, err
	}
	for _, sl := range c.Day(local, s, b.calendar, closedDays(closed)) {
		if sl.Start.Equal(start) && !sl.Start.Before(now.Add(Lead)) && sl.Start.Before(now.AddDate(0, 0, Horizon+1)) {
			return sl, nil
		}
	}
	return Slot{}, errNoSlot
}

// Cancel cancels a person's appointment up to two hours before it.
func (b *Bookings) Cancel(ctx context.Context, code string, personID int64) error {
	return b.tx.InTx(ctx, func(ctx context.Context) error {
		a, c, err := b.own(ctx, code, personID)
		if err != nil {
			return err
		}
		if err := b.cancel(ctx, a); err != nil {
			return err
		}
		return b.tell(ctx, a, c, "Cancelaste tu cita "+a.Code, "Cancelamos tu cita del "+c.When(a.Start)+" en "+c.Name+". Puedes agendar otra cuando lo necesites.")
	})
}

func (b *Bookings) cancel(ctx context.Context, a *Appointment) error {
	now := b.now().UTC()
	if a.State != Booked {
		return portal.Errorf(portal.ECONFLICT, "Esta cita ya está %s.", strings.ToLower(StateNames[a.State]))
	}
	if !now.Add(ChangeUntil).Before(a.Start) {
		return errTooLate
	}
	if err := b.store.SetAppointmentState(ctx, a.ID, Booked, Cancelled, "", now); err != nil {
		return err
	}
	slotID, err := b.store.AppointmentSlot(ctx, a.ID)
	if err != nil {
		return err
	}
	a.State = Cancelled
	return b.store.ReleasePlace(ctx, slotID)
}

// Move changes a person's appointment to another slot, in one
// transaction: the old place is freed only if the new one is taken.
func (b *Bookings) Move(ctx context.Context, code string, personID int64, centre string, start time.Time) (*Appointment, error) {
	var moved *Appointment
	err := b.tx.InTx(ctx, func(ctx context.Context) error {
		old, _, err := b.own(ctx, code, personID)
		if err != nil {
			return err
		}
		c, err := b.store.FindCentre(ctx, centre)
		if err != nil {
			return errNoSlot
		}
		slot, err := b.offered(ctx, c, old.Service, start)
		if err != nil {
			return err
		}
		if err := b.cancel(ctx, old); err != nil {
			return err
		}
		moved, err = b.book(ctx, c, slot, Request{PersonID: personID, Centre: c.Code, Service: old.Service, Start: start, Folio: old.Folio, Via: old.Via, Contact: old.Contact})
		return err
	})
	if err != nil {
		return nil, err
	}
	return moved, nil
}

// own loads a person's appointment; anyone else's is ENOTFOUND.
func (b *Bookings) own(ctx context.Context, code string, personID int64) (*Appointment, *Centre, error) {
	a, err := b.store.FindAppointment(ctx, code)
	if err != nil || a.PersonID != personID {
		return nil, nil, portal.Errorf(portal.ENOTFOUND, "No encontramos esa cita entre las tuyas.")
	}
	c, err := b.store.FindCentre(ctx, a.Centre)
	if err != nil {
		return nil, nil, err
	}
	return a, c, nil
}

// Find returns a person's appointment and its centre.
func (b *Bookings) Find(ctx context.Context, code string, personID int64) (*Appointment, *Centre, error) {
	return b.own(ctx, code, personID)
}

// Mine lists a person's appointments, the next first.
func (b *Bookings) Mine(ctx context.Context, personID int64) ([]Appointment, error) {
	return b.store.AppointmentsOf(ctx, personID)
}

// Mark records what happened at the centre: arrived, attended (with the
// result) or did not come.
func (b *Bookings) Mark(ctx context.Context, code string, to State, result string) (*Appointment, error) {
	allowed := map[State][]State{Booked: {Arrived, NoShow, Attended}, Arrived: {Attended}}
	var a *Appointment
	err := b.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if a, err = b.store.FindAppointment(ctx, code); err != nil {
			return err
		}
		ok := false
		for _, s := range allowed[a.State] {
			ok = ok || s == to
		}
		if !ok {
			return portal.Errorf(portal.ECONFLICT, "Una cita %s no puede pasar a %s.", strings.ToLower(StateNames[a.State]), strings.ToLower(StateNames[to]))
		}
		if to != Arrived && b.now().Before(a.Start.Add(-30*time.Minute)) && to == NoShow {
			return portal.Errorf(portal.ECONFLICT, "Aún no es la hora de la cita: no se puede marcar como no asistida.")
		}
		if err := b.store.SetAppointmentState(ctx, a.ID, a.State, to, result, b.now().UTC()); err != nil {
			return err
		}
		a.State, a.Result = to, result
		return nil
	})
	return a, err
}

// Remind queues the day-before reminders: appointments starting between
// 12 and 36 hours from now, each claimed before its message is queued, in
// one transaction, so however often and wherever it runs a person gets
// one reminder. It is an outbox producer and returns how many it queued.
func (b *Bookings) Remind(ctx context.Context) (int, error) {
	now := b.now().UTC()
	sent := 0
	for {
		due, err := b.store.DueReminders(ctx, now.Add(12*time.Hour), now.Add(36*time.Hour), reminderBatch)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		for i := range due {
			a := &due[i]
			err := b.tx.InTx(ctx, func(ctx context.Context) error {
				claimed, err := b.store.ClaimReminder(ctx, a.ID, now)
				if err != nil || !claimed {
					return err
				}
				c, err := b.store.FindCentre(ctx, a.Centre)
				if err != nil {
					return err
				}
				sent++
				return b.tell(ctx, a, c, "Recordatorio: tu cita es mañana", "Te esperamos el "+c.When(a.Start)+" en "+c.Name+", "+c.Address+
					".\nFolio de la cita: "+a.Code+"\n\nLleva una identificación oficial vigente y tu NSS. Si no puedes asistir, cancélala para que alguien más use el lugar.")
			})
			if err != nil {
				return sent, err
			}
		}
		if len(due) < reminderBatch {
			return sent, nil
		}
	}
}

// reminderBatch is how many reminders one pass reads at a time.
const reminderBatch = 200

// tell sends an appointment message by e-mail and SMS to the account's
// contacts, or to the contact given at a public booking.
func (b *Bookings) tell(ctx context.Context, a *Appointment, c *Centre, subject, body string) error {
	var to Recipient
	if a.Via == ViaPublic {
		if strings.Contains(a.Contact, "@") {
			to.Email = a.Contact
		} else {
			to.Mobile = a.Contact
		}
	} else {
		r, ok, err := b.contacts.AppointmentRecipient(ctx, a.PersonID)
		if err != nil || !ok {
			return err
		}
		to = r
	}
	if to.Email != "" {
		if _, err := b.outbox.Enqueue(ctx, notify.Message{Channel: notify.Email, To: to.Email, Priority: notify.PriorityNotice,
			Subject: subject, Body: "Hola:\n\n" + body + "\n\nMi Cuenta\n"}); err != nil {
			return err
		}
	}
	if to.Mobile != "" {
		sms := fmt.Sprintf("Mi Cuenta: %s. %s %s, %s.", strings.ToLower(subject[:1])+subject[1:], a.Code, c.When(a.Start), c.Name)
		if _, err := b.outbox.Enqueue(ctx, notify.Message{Channel: notify.SMS, To: to.Mobile, Priority: notify.PriorityNotice, Body: sms}); err != nil {
			return err
		}
	}
	return nil
}

func (b *Bookings) calendarLink(a *Appointment) string {
	if a.Via != ViaAccount || b.baseURL == "" {
		return ""
	}
	return "\n\nAgrégala a tu calendario: " + b.baseURL + "/mi-cuenta/citas/" + a.Code + "/cita.ics"
}

// CalendarFile is the appointment as an .ics file.
func CalendarFile(a *Appointment, c *Centre) []byte {
	return ICS(ICSEvent{UID: a.Code + "@micuenta", Summary: "Cita en " + c.Name + ": " + a.Service.Name(),
		Description: "Folio de la cita: " + a.Code + ". Lleva una identificación oficial vigente y tu NSS.",
		Location:    c.Name + ", " + c.Address, Start: a.Start, End: a.Start.Add(time.Duration(c.SlotMinutes) * time.Minute), Created: a.CreatedAt})
}

// Centre returns a centre by code.
func (b *Bookings) Centre(ctx context.Context, code string) (*Centre, error) {
	return b.store.FindCentre(ctx, code)
}

// CentresIn lists the centres of a state of the country.
func (b *Bookings) CentresIn(ctx context.Context, region string) ([]Centre, error) {
	all, err := b.store.Centres(ctx)
	if err != nil {
		return nil, err
	}
	var out []Centre
	for _, c := range all {
		if c.State == region {
			out = append(out, c)
		}
	}
	return out, nil
}

// Upcoming reports whether an appointment is booked and still to come.
func (b *Bookings) Upcoming(a *Appointment) bool {
	return a.State == Booked && a.Start.After(b.now())
}

// Changeable reports whether the person may still move or cancel it.
func (b *Bookings) Changeable(a *Appointment) bool {
	return a.State == Booked && b.now().Add(ChangeUntil).Before(a.Start)
}

// AllCentres lists every centre.
func (b *Bookings) AllCentres(ctx context.Context) ([]Centre, error) { return b.store.Centres(ctx) }

// Lookup returns any appointment by code with its centre (the back
// office; the caller checks the operator's territory).
func (b *Bookings) Lookup(ctx context.Context, code string) (*Appointment, *Centre, error) {
	a, err := b.store.FindAppointment(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	c, err := b.store.FindCentre(ctx, a.Centre)
	if err != nil {
		return nil, nil, err
	}
	return a, c, nil
}

// Agenda lists a centre's appointments of one local day.
func (b *Bookings) Agenda(ctx context.Context, c *Centre, day portal.Date) ([]Appointment, error) {
	loc := c.Location()
	from := time.Date(day.Y, time.Month(day.M), day.D, 0, 0, 0, 0, loc)
	return b.store.Agenda(ctx, c.Code, from, from.AddDate(0, 0, 1))
}

// Closures lists a centre's closures in [from, to).
func (b *Bookings) Closures(ctx context.Context, code string, from, to portal.Date) (map[portal.Date]string, error) {
	return b.store.Closed(ctx, code, from, to)
}

// Location is the centre's time zone (Mexico City if its zone is unknown,
// which DefaultCentres never lets happen).
func (c Centre) Location() *time.Location {
	loc, err := location(c.Zone)
	if err != nil {
		return portal.MexicoCity
	}
	return loc
}

// SlotsPerDay is how many slots the centre's hours hold: a service's
// capacity per day is its places per slot times this.
func (c Centre) SlotsPerDay() int {
	if c.SlotMinutes <= 0 {
		return 0
	}
	return (int(c.Closes) - int(c.Opens)) / c.SlotMinutes
}
