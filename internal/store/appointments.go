package store

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/appointment"
	"micuenta/internal/portal"
)

const sealAppointmentContact = "appointments.contact"

// LoadCentres adds the centres of the embedded data that the database
// does not have yet, with their places; centres already there keep the
// fund's edits.
func (db *DB) LoadCentres(ctx context.Context, cs []appointment.Centre) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		for _, c := range cs {
			res, err := db.exec(ctx, `INSERT INTO service_centres (code, name, state, municipality, address, zone, opens, closes, slot_minutes)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`, c.Code, c.Name, c.State, c.Municipality, c.Address, c.Zone,
				int(c.Opens), int(c.Closes), c.SlotMinutes)
			if err != nil {
				return fmt.Errorf("store: load centres: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			for s, places := range c.Places {
				if _, err := db.exec(ctx, `INSERT INTO centre_services (centre_code, service, places) VALUES (?, ?, ?)`, c.Code, string(s), places); err != nil {
					return fmt.Errorf("store: load centres: %w", err)
				}
			}
		}
		return nil
	})
}

// Centres implements appointment.Store.
func (db *DB) Centres(ctx context.Context) ([]appointment.Centre, error) {
	return db.centres(ctx, "")
}

// FindCentre implements appointment.Store.
func (db *DB) FindCentre(ctx context.Context, code string) (*appointment.Centre, error) {
	cs, err := db.centres(ctx, code)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, portal.Errorf(portal.ENOTFOUND, "No encontramos ese centro de servicio.")
	}
	return &cs[0], nil
}

func (db *DB) centres(ctx context.Context, code string) ([]appointment.Centre, error) {
	q := `SELECT c.code, c.name, c.state, c.municipality, c.address, c.zone, c.opens, c.closes, c.slot_minutes, s.service, s.places
		FROM service_centres c LEFT JOIN centre_services s ON s.centre_code = c.code`
	var args []any
	if code != "" {
		q, args = q+" WHERE c.code = ?", append(args, code)
	}
	rows, err := db.query(ctx, q+" ORDER BY c.state, c.name, c.code, s.service", args...)
	if err != nil {
		return nil, fmt.Errorf("store: centres: %w", err)
	}
	defer rows.Close()
	var out []appointment.Centre
	for rows.Next() {
		var c appointment.Centre
		var opens, closes int
		var service *string
		var places *int
		if err := rows.Scan(&c.Code, &c.Name, &c.State, &c.Municipality, &c.Address, &c.Zone, &opens, &closes, &c.SlotMinutes, &service, &places); err != nil {
			return nil, fmt.Errorf("store: centres: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Code != c.Code {
			c.Opens, c.Closes, c.Places = appointment.Clock(opens), appointment.Clock(closes), map[appointment.Service]int{}
			out = append(out, c)
		}
		if service != nil && places != nil {
			out[len(out)-1].Places[appointment.Service(*service)] = *places
		}
	}
	return out, mapError(rows.Err())
}

// SetPlaces changes the places per slot a centre offers for a service
// (0 stops offering it); slots already booked keep their bookings.
func (db *DB) SetPlaces(ctx context.Context, code string, s appointment.Service, places int, after time.Time) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, `INSERT INTO centre_services (centre_code, service, places) VALUES (?, ?, ?)
			ON CONFLICT (centre_code, service) DO UPDATE SET places = excluded.places`, code, string(s), places); err != nil {
			return fmt.Errorf("store: set places: %w", err)
		}
		if _, err := db.exec(ctx, `UPDATE appointment_slots SET capacity = ? WHERE centre_code = ? AND service = ? AND starts_at > ?`,
			places, code, string(s), after.UTC()); err != nil {
			return fmt.Errorf("store: set places: %w", err)
		}
		return nil
	})
}

// AddClosure closes a centre for a day.
func (db *DB) AddClosure(ctx context.Context, code string, day portal.Date, reason string) error {
	_, err := db.exec(ctx, `INSERT INTO centre_closures (centre_code, day, reason) VALUES (?, ?, ?)
		ON CONFLICT (centre_code, day) DO UPDATE SET reason = excluded.reason`, code, day, reason)
	if err != nil {
		return fmt.Errorf("store: add closure: %w", err)
	}
	return nil
}

// RemoveClosure reopens a centre on a day.
func (db *DB) RemoveClosure(ctx context.Context, code string, day portal.Date) error {
	if _, err := db.exec(ctx, `DELETE FROM centre_closures WHERE centre_code = ? AND day = ?`, code, day); err != nil {
		return fmt.Errorf("store: remove closure: %w", err)
	}
	return nil
}

// Closed implements appointment.Store.
func (db *DB) Closed(ctx context.Context, code string, from, to portal.Date) (map[portal.Date]string, error) {
	rows, err := db.query(ctx, `SELECT day, reason FROM centre_closures WHERE centre_code = ? AND day >= ? AND day < ? ORDER BY day`, code, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: closures: %w", err)
	}
	defer rows.Close()
	out := map[portal.Date]string{}
	for rows.Next() {
		var d portal.Date
		var reason string
		if err := rows.Scan(&d, &reason); err != nil {
			return nil, fmt.Errorf("store: closures: %w", err)
		}
		out[d] = reason
	}
	return out, mapError(rows.Err())
}

// BookedPlaces implements appointment.Store.
func (db *DB) BookedPlaces(ctx context.Context, code string, s appointment.Service, from, to time.Time) (map[time.Time]int, error) {
	rows, err := db.query(ctx, `SELECT starts_at, booked FROM appointment_slots WHERE centre_code = ? AND service = ? AND starts_at >= ? AND starts_at < ?`,
		code, string(s), from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: booked places: %w", err)
	}
	defer rows.Close()
	out := map[time.Time]int{}
	for rows.Next() {
		var at timeValue
		var n int
		if err := rows.Scan(&at, &n); err != nil {
			return nil, fmt.Errorf("store: booked places: %w", err)
		}
		out[at.t] = n
	}
	return out, mapError(rows.Err())
}

// TakePlace implements appointment.Store: the slot row is created if new,
// then one place is taken by a conditional UPDATE, which each engine
// applies to the row one transaction at a time — the check and the
// increment are one statement, so no two bookings can both see the last
// place free.
func (db *DB) TakePlace(ctx context.Context, code string, s appointment.Service, start time.Time, capacity int) (int64, error) {
	if _, err := db.exec(ctx, `INSERT INTO appointment_slots (centre_code, service, starts_at, capacity) VALUES (?, ?, ?, ?)
		ON CONFLICT (centre_code, service, starts_at) DO NOTHING`, code, string(s), start.UTC(), capacity); err != nil {
		return 0, fmt.Errorf("store: take place: %w", err)
	}
	var id int64
	err := db.queryRowW(ctx, `UPDATE appointment_slots SET booked = booked + 1
		WHERE centre_code = ? AND service = ? AND starts_at = ? AND booked < capacity RETURNING id`, code, string(s), start.UTC()).Scan(&id)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return 0, portal.Errorf(portal.ECONFLICT, "Ese horario ya está lleno.")
	}
	if err != nil {
		return 0, fmt.Errorf("store: take place: %w", err)
	}
	return id, nil
}

// ReleasePlace implements appointment.Store.
func (db *DB) ReleasePlace(ctx context.Context, slotID int64) error {
	if _, err := db.exec(ctx, `UPDATE appointment_slots SET booked = booked - 1 WHERE id = ? AND booked > 0`, slotID); err != nil {
		return fmt.Errorf("store: release place: %w", err)
	}
	return nil
}

// LockHolder implements appointment.Store: an upsert of the person's row,
// which holds its lock until the transaction ends.
func (db *DB) LockHolder(ctx context.Context, personID int64, at time.Time) error {
	_, err := db.exec(ctx, `INSERT INTO appointment_holders (person_id, touched_at) VALUES (?, ?)
		ON CONFLICT (person_id) DO UPDATE SET touched_at = excluded.touched_at`, personID, at.UTC())
	if err != nil {
		return fmt.Errorf("store: lock holder: %w", err)
	}
	return nil
}

// OpenAppointments implements appointment.Store.
func (db *DB) OpenAppointments(ctx context.Context, personID int64, after time.Time) (int, error) {
	var n int
	err := db.queryRowW(ctx, `SELECT COUNT(*) FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id
		WHERE a.person_id = ? AND a.state = 'agendada' AND s.starts_at > ?`, personID, after.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: open appointments: %w", err)
	}
	return n, nil
}

// CreateAppointment implements appointment.Store.
func (db *DB) CreateAppointment(ctx context.Context, a *appointment.Appointment, slotID int64) error {
	var contact any
	if a.Contact != "" {
		contact = db.vault.Seal(sealAppointmentContact, a.Contact)
	}
	err := db.queryRowW(ctx, `INSERT INTO appointments (code, slot_id, person_id, folio, state, via, contact_sealed, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.Code, slotID, a.PersonID, a.Folio, string(a.State), a.Via, contact,
		a.CreatedAt.UTC(), a.UpdatedAt.UTC()).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("store: create appointment: %w", err)
	}
	return nil
}

const appointmentColumns = `a.id, a.code, s.centre_code, s.service, s.starts_at, a.person_id, a.folio, a.state, a.via, a.contact_sealed, a.result,
	a.reminded_at, a.created_at, a.updated_at`

func (db *DB) scanAppointment(sc scanner) (*appointment.Appointment, error) {
	var a appointment.Appointment
	var service, state string
	var contact []byte
	var start, reminded, created, updated timeValue
	if err := sc.Scan(&a.ID, &a.Code, &a.Centre, &service, &start, &a.PersonID, &a.Folio, &state, &a.Via, &contact, &a.Result,
		&reminded, &created, &updated); err != nil {
		return nil, err
	}
	a.Service, a.State, a.Start, a.RemindedAt, a.CreatedAt, a.UpdatedAt = appointment.Service(service), appointment.State(state), start.t, reminded.t, created.t, updated.t
	if contact != nil {
		text, err := db.vault.Open(sealAppointmentContact, contact)
		if err != nil {
			return nil, fmt.Errorf("store: appointment %s contact: %w", a.Code, err)
		}
		a.Contact = text
	}
	return &a, nil
}

func (db *DB) appointments(ctx context.Context, where string, args ...any) ([]appointment.Appointment, error) {
	rows, err := db.query(ctx, "SELECT "+appointmentColumns+" FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: appointments: %w", err)
	}
	defer rows.Close()
	var out []appointment.Appointment
	for rows.Next() {
		a, err := db.scanAppointment(rows)
		if err != nil {
			return nil, fmt.Errorf("store: appointments: %w", err)
		}
		out = append(out, *a)
	}
	return out, mapError(rows.Err())
}

// FindAppointment implements appointment.Store.
func (db *DB) FindAppointment(ctx context.Context, code string) (*appointment.Appointment, error) {
	as, err := db.appointments(ctx, "a.code = ?", code)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, portal.Errorf(portal.ENOTFOUND, "No encontramos esa cita.")
	}
	return &as[0], nil
}

// SetAppointmentState implements appointment.Store.
func (db *DB) SetAppointmentState(ctx context.Context, id int64, from, to appointment.State, result string, at time.Time) error {
	res, err := db.exec(ctx, `UPDATE appointments SET state = ?, result = CASE WHEN ? <> '' THEN ? ELSE result END, updated_at = ?
		WHERE id = ? AND state = ?`, string(to), result, result, at.UTC(), id, string(from))
	if err != nil {
		return fmt.Errorf("store: set appointment state: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return portal.Errorf(portal.ECONFLICT, "Alguien más acaba de cambiar esta cita. Vuelve a cargarla.")
	}
	return nil
}

// AppointmentSlot implements appointment.Store.
func (db *DB) AppointmentSlot(ctx context.Context, id int64) (int64, error) {
	var slot int64
	if err := db.queryRowW(ctx, "SELECT slot_id FROM appointments WHERE id = ?", id).Scan(&slot); err != nil {
		return 0, fmt.Errorf("store: appointment slot: %w", err)
	}
	return slot, nil
}

// AppointmentsOf implements appointment.Store: the coming ones first, then
// the past, newest first.
func (db *DB) AppointmentsOf(ctx context.Context, personID int64) ([]appointment.Appointment, error) {
	return db.appointments(ctx, "a.person_id = ? ORDER BY s.starts_at DESC, a.id DESC", personID)
}

// Agenda implements appointment.Store.
func (db *DB) Agenda(ctx context.Context, code string, from, to time.Time) ([]appointment.Appointment, error) {
	return db.appointments(ctx, "s.centre_code = ? AND s.starts_at >= ? AND s.starts_at < ? AND a.state <> 'cancelada' ORDER BY s.starts_at, a.id",
		code, from.UTC(), to.UTC())
}

// DueReminders implements appointment.Store.
func (db *DB) DueReminders(ctx context.Context, from, to time.Time, limit int) ([]appointment.Appointment, error) {
	return db.appointments(ctx, "a.state = 'agendada' AND a.reminded_at IS NULL AND s.starts_at >= ? AND s.starts_at < ? ORDER BY a.id LIMIT ?",
		from.UTC(), to.UTC(), limit)
}

// ClaimReminder implements appointment.Store.
func (db *DB) ClaimReminder(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := db.exec(ctx, "UPDATE appointments SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL", at.UTC(), id)
	if err != nil {
		return false, fmt.Errorf("store: claim reminder: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// AppointmentRecipient implements appointment.Contacts.
func (db *DB) AppointmentRecipient(ctx context.Context, personID int64) (appointment.Recipient, bool, error) {
	r, ok, err := db.RequestRecipient(ctx, personID)
	return appointment.Recipient{Email: r.Email, Mobile: r.Mobile}, ok, err
}
