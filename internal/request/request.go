package request

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"micuenta/internal/notify"
	"micuenta/internal/portal"
)

// Request is one trámite.
type Request struct {
	ID         int64
	Folio      string
	Kind       string // the type's prefix, e.g. COR
	PersonID   int64
	State      State
	Data       []byte // the type's own fields, JSON (sealed at rest)
	ReceivedAt time.Time
	DueOn      portal.Date
	UpdatedAt  time.Time
}

// Event is one line of a request's timeline.
type Event struct {
	At       time.Time
	Actor    Actor
	ActorID  int64 // the operator, when one acted
	From, To State
	Message  string // what the person is told, or the operator's reason
}

// Store keeps requests.
type Store interface {
	// NextFolioNumber hands out the next sequence number of a kind and
	// year, inside the caller's transaction.
	NextFolioNumber(ctx context.Context, kind string, year int) (int64, error)
	CreateRequest(ctx context.Context, r *Request) error
	// FindRequest returns ENOTFOUND for an unknown folio.
	FindRequest(ctx context.Context, folio string) (*Request, error)
	// SetRequestState moves a request only if it is still in from
	// (ECONFLICT otherwise: someone else moved it first).
	SetRequestState(ctx context.Context, id int64, from, to State, at time.Time) error
	AddRequestEvent(ctx context.Context, requestID int64, e Event) error
	RequestEvents(ctx context.Context, requestID int64) ([]Event, error)
	// RequestsOf lists a person's requests, newest first.
	RequestsOf(ctx context.Context, personID int64) ([]Request, error)
}

// Type declares a request type once (issue 6): its folio prefix, its name
// and its service level in working days.
type Type struct {
	Prefix  string
	Name    string
	DueDays int
}

// Contacts tells the service where a person's notices go.
type Contacts interface {
	// ContactsOf returns the e-mail of the person's account, "" when the
	// person has none.
	ContactsOf(ctx context.Context, personID int64) (email string, err error)
}

// Corrector changes the fund's record of a person when a correction is
// approved, keeping the old value in its history.
type Corrector interface {
	ApplyCorrection(ctx context.Context, personID int64, field, value, source string) error
}

// Service files and moves requests.
type Service struct {
	tx        portal.TxRunner
	store     Store
	contacts  Contacts
	corrector Corrector
	outbox    *notify.Outbox
	calendar  *Calendar
	now       func() time.Time
}

// NewService builds the service.
func NewService(tx portal.TxRunner, s Store, c Contacts, corr Corrector, o *notify.Outbox, cal *Calendar, now func() time.Time) *Service {
	return &Service{tx: tx, store: s, contacts: c, corrector: corr, outbox: o, calendar: cal, now: now}
}

// File records a new request of type t for a person, with its folio, its
// due date and the first event of its timeline, and tells the person.
func (s *Service) File(ctx context.Context, t Type, personID int64, data []byte) (*Request, error) {
	now := s.now().UTC()
	today := portal.DateOf(now)
	r := &Request{Kind: t.Prefix, PersonID: personID, State: Recibida, Data: data, ReceivedAt: now, UpdatedAt: now,
		DueOn: s.calendar.AddWorkingDays(today, t.DueDays)}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		n, err := s.store.NextFolioNumber(ctx, t.Prefix, today.Y)
		if err != nil {
			return err
		}
		r.Folio = NewFolio(t.Prefix, today.Y, n)
		if err := s.store.CreateRequest(ctx, r); err != nil {
			return err
		}
		msg := "Recibimos tu trámite " + t.Name + ". Te responderemos a más tardar el " + r.DueOn.Spanish() + "."
		if err := s.store.AddRequestEvent(ctx, r.ID, Event{At: now, Actor: Owner, To: Recibida, Message: msg}); err != nil {
			return err
		}
		return s.tell(ctx, r, "Recibimos tu trámite "+r.Folio, msg)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Move takes a request to another state for an actor, with a message for
// the timeline, and tells the owner. The domain refuses what the state
// rules do not allow; a request moved meanwhile by someone else answers
// ECONFLICT.
func (s *Service) Move(ctx context.Context, folio string, to State, actor Actor, actorID int64, message string) (*Request, error) {
	var r *Request
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.store.FindRequest(ctx, folio); err != nil {
			return err
		}
		if err := Move(r.State, to, actor); err != nil {
			return err
		}
		now := s.now().UTC()
		if err := s.store.SetRequestState(ctx, r.ID, r.State, to, now); err != nil {
			return err
		}
		if err := s.apply(ctx, r, to); err != nil {
			return err
		}
		from := r.State
		r.State, r.UpdatedAt = to, now
		if err := s.store.AddRequestEvent(ctx, r.ID, Event{At: now, Actor: actor, ActorID: actorID, From: from, To: to, Message: message}); err != nil {
			return err
		}
		text := "Tu trámite " + r.Folio + " ahora está: " + Names[to] + "."
		if message != "" {
			text += "\n\n" + message
		}
		return s.tell(ctx, r, "Tu trámite "+r.Folio+": "+Names[to], text)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// apply makes what an approval means happen, in the same transaction: an
// approved RFC or CURP correction changes the person's record. (Name
// corrections are approved here and applied by an operator, who splits
// the name into its parts.)
func (s *Service) apply(ctx context.Context, r *Request, to State) error {
	if to != Aprobada || r.Kind != Correccion.Prefix || s.corrector == nil {
		return nil
	}
	var d CorrectionData
	if err := json.Unmarshal(r.Data, &d); err != nil {
		return fmt.Errorf("request %s: %w", r.Folio, err)
	}
	if d.Field != FieldRFC && d.Field != FieldCURP {
		return nil
	}
	return s.corrector.ApplyCorrection(ctx, r.PersonID, d.Field, d.Value, r.Folio)
}

// tell queues an e-mail to the owner's account, when there is one.
func (s *Service) tell(ctx context.Context, r *Request, subject, body string) error {
	email, err := s.contacts.ContactsOf(ctx, r.PersonID)
	if err != nil || email == "" {
		return err
	}
	_, err = s.outbox.Enqueue(ctx, notify.Message{Channel: notify.Email, To: email, Priority: notify.PriorityNotice,
		Subject: subject, Body: "Hola:\n\n" + body + "\n\nConsulta el detalle en Mi Cuenta > Mis trámites.\n\nMi Cuenta\n"})
	return err
}

// Timeline returns a request's events, oldest first.
func (s *Service) Timeline(ctx context.Context, r *Request) ([]Event, error) {
	return s.store.RequestEvents(ctx, r.ID)
}

// Find returns a request by folio.
func (s *Service) Find(ctx context.Context, folio string) (*Request, error) {
	if _, _, _, err := ParseFolio(folio); err != nil {
		return nil, portal.Errorf(portal.ENOTFOUND, "No encontramos un trámite con ese folio.")
	}
	return s.store.FindRequest(ctx, folio)
}

// Mine lists a person's requests, newest first.
func (s *Service) Mine(ctx context.Context, personID int64) ([]Request, error) {
	return s.store.RequestsOf(ctx, personID)
}
