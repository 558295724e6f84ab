package request

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/notify"
	"micuenta/internal/portal"
	"micuenta/internal/upload"
)

// Request is one trámite.
type Request struct {
	ID         int64
	Folio      string
	AssignedTo int64  // the operator working it, 0 for none
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
	Internal bool   // an operator's note, never shown to the owner
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
	// AssignRequest changes who works a request, only if it is still
	// assigned to from (ECONFLICT otherwise).
	AssignRequest(ctx context.Context, id, from, to int64) error
	QueueRequests(ctx context.Context, f QueueFilter) ([]QueueItem, error)
	AddRequestDocument(ctx context.Context, d *Document) error
	RequestDocuments(ctx context.Context, requestID int64) ([]Document, error)
	// LockPerson holds the person's record until the transaction ends.
	LockPerson(ctx context.Context, personID int64) error
}

// QueueFilter selects requests for the back office queue.
type QueueFilter struct {
	Kind       string      // a type prefix, "" for all
	State      State       // "" for every open state
	Region     string      // the person's state of the country, "" for all
	Overdue    bool        // only those past their due date
	AssignedTo int64       // only those of one operator (0: any)
	Unassigned bool        // with AssignedTo: also those nobody has taken
	Today      portal.Date // for Overdue; the service fills it in
	Limit      int
}

// QueueItem is one line of the queue.
type QueueItem struct {
	Request
	PersonName string
	Region     string
}

// Recipient is where a person's request notices go.
type Recipient struct {
	Email  string
	Mobile string
	BySMS  bool // the person also wants request notices by SMS
}

// Contacts tells the service where a person's notices go.
type Contacts interface {
	// RequestRecipient returns the contacts of the person's account; ok is
	// false when the person has no account.
	RequestRecipient(ctx context.Context, personID int64) (r Recipient, ok bool, err error)
}

// Inbox keeps the portal's own copy of every notice, shown at
// /mi-cuenta/notificaciones whatever the channels.
type Inbox interface {
	AddNotice(ctx context.Context, personID int64, kind, key, subject, body string) error
}

// Corrector changes the fund's record of a person when a correction is
// approved, keeping the old value in its history.
type Corrector interface {
	ApplyCorrection(ctx context.Context, personID int64, field, value, source string) error
	ApplyName(ctx context.Context, personID int64, name NameParts, source string) error
}

// Deps are what the service works with.
type Deps struct {
	Tx        portal.TxRunner
	Store     Store
	Contacts  Contacts
	Inbox     Inbox
	Corrector Corrector
	Outbox    *notify.Outbox
	Files     upload.Storage
	Calendar  *Calendar
	Now       func() time.Time
}

// Service files and moves requests.
type Service struct {
	appliers  map[string]Applier // what approving each type does, by prefix (applier.go)
	tx        portal.TxRunner
	store     Store
	contacts  Contacts
	inbox     Inbox
	corrector Corrector
	outbox    *notify.Outbox
	files     upload.Storage
	calendar  *Calendar
	now       func() time.Time
}

// NewService builds the service.
func NewService(d Deps) *Service {
	return &Service{tx: d.Tx, store: d.Store, contacts: d.Contacts, inbox: d.Inbox, corrector: d.Corrector,
		outbox: d.Outbox, files: d.Files, calendar: d.Calendar, now: d.Now}
}

// Upload is a checked file a person or operator attaches, with the name
// it had on their device (for display only).
type Upload struct {
	Doc      *upload.Document
	FileName string
}

// File records a new request of type t for a person, with its folio, its
// due date, its documents and the first event of its timeline, and tells
// the person. A type that resolves instantly is approved in the same
// transaction.
func (s *Service) File(ctx context.Context, t Type, personID int64, data []byte, files []Upload) (*Request, error) {
	if t.Documents == DocumentsRequired && len(files) == 0 {
		return nil, portal.Errorf(portal.EINVALID, "Adjunta el documento que respalda tu solicitud.")
	}
	now := s.now().UTC()
	today := portal.DateOf(now)
	r := &Request{Kind: t.Prefix, PersonID: personID, State: Recibida, Data: data, ReceivedAt: now, UpdatedAt: now,
		DueOn: s.calendar.AddWorkingDays(today, t.DueDays)}
	stored, err := s.storeFiles(ctx, files)
	if err != nil {
		return nil, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.refuseSecond(ctx, t, personID); err != nil {
			return err
		}
		n, err := s.store.NextFolioNumber(ctx, t.Prefix, today.Y)
		if err != nil {
			return err
		}
		r.Folio = NewFolio(t.Prefix, today.Y, n)
		if err := s.store.CreateRequest(ctx, r); err != nil {
			return err
		}
		if err := s.addDocuments(ctx, r.ID, stored, Owner, now); err != nil {
			return err
		}
		msg := "Recibimos tu trámite de " + t.Name + ". Te responderemos a más tardar el " + r.DueOn.Spanish() + "."
		if err := s.store.AddRequestEvent(ctx, r.ID, Event{At: now, Actor: Owner, To: Recibida, Message: msg}); err != nil {
			return err
		}
		if err := s.tell(ctx, r, "Recibimos tu trámite "+r.Folio, msg, now); err != nil {
			return err
		}
		if t.Instant != nil && t.Instant(data) {
			return s.move(ctx, r, Action{To: Aprobada, Actor: System, Message: t.InstantMessage})
		}
		return nil
	})
	if err != nil {
		s.discard(ctx, stored)
		return nil, err
	}
	return r, nil
}

// refuseSecond enforces Type.OneInCourse inside the filing transaction:
// with the person's record locked, two forms sent at the same instant
// file one request, and the second is told which folio is in course.
func (s *Service) refuseSecond(ctx context.Context, t Type, personID int64) error {
	if !t.OneInCourse {
		return nil
	}
	if err := s.store.LockPerson(ctx, personID); err != nil {
		return err
	}
	mine, err := s.store.RequestsOf(ctx, personID)
	if err != nil {
		return err
	}
	for _, q := range mine {
		if q.Kind == t.Prefix && q.State.InCourse() {
			return portal.Errorf(portal.ECONFLICT, "Ya tienes un trámite de %s en curso: folio %s. Consulta su avance en Mis trámites.", t.Name, q.Folio)
		}
	}
	return nil
}

// Action is one move of a request: where to, by whom, what the owner is
// told, and what an approval needs (the parts of a corrected name).
type Action struct {
	To      State
	Actor   Actor
	ActorID int64
	Message string
	Name    *NameParts
}

// Move takes a request to another state for an actor, with a message for
// the timeline, and tells the owner.
func (s *Service) Move(ctx context.Context, folio string, to State, actor Actor, actorID int64, message string) (*Request, error) {
	return s.Act(ctx, folio, Action{To: to, Actor: actor, ActorID: actorID, Message: message})
}

// Act carries out an action. The domain refuses what the state rules do
// not allow; a request moved meanwhile by someone else answers ECONFLICT.
func (s *Service) Act(ctx context.Context, folio string, a Action) (*Request, error) {
	var r *Request
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.store.FindRequest(ctx, folio); err != nil {
			return err
		}
		return s.move(ctx, r, a)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Service) move(ctx context.Context, r *Request, a Action) error {
	if err := Move(r.State, a.To, a.Actor); err != nil {
		return err
	}
	now := s.now().UTC()
	if err := s.store.SetRequestState(ctx, r.ID, r.State, a.To, now); err != nil {
		return err
	}
	note, err := s.applyApproval(ctx, r, a)
	if err != nil {
		return err
	}
	if note != "" {
		a.Message = strings.TrimSpace(a.Message + "\n\n" + note)
	}
	from := r.State
	r.State, r.UpdatedAt = a.To, now
	if err := s.store.AddRequestEvent(ctx, r.ID, Event{At: now, Actor: a.Actor, ActorID: a.ActorID, From: from, To: a.To, Message: a.Message}); err != nil {
		return err
	}
	text := "Tu trámite " + r.Folio + " ahora está: " + Names[a.To] + "."
	if a.Message != "" {
		text += "\n\n" + a.Message
	}
	return s.tell(ctx, r, "Tu trámite "+r.Folio+": "+Names[a.To], text, now)
}

// apply makes what an approval means happen, in the same transaction: an
// approved correction changes the person's record. A name correction
// needs the operator to split the name into its parts.
func (s *Service) apply(ctx context.Context, r *Request, a Action) error {
	if a.To != Aprobada || r.Kind != Correccion.Prefix || s.corrector == nil {
		return nil
	}
	var d CorrectionData
	if err := json.Unmarshal(r.Data, &d); err != nil {
		return fmt.Errorf("request %s: %w", r.Folio, err)
	}
	if d.Field != FieldNombre {
		return s.corrector.ApplyCorrection(ctx, r.PersonID, d.Field, d.Value, r.Folio)
	}
	if a.Name == nil {
		return portal.Errorf(portal.EINVALID, "Para aprobar una corrección de nombre escribe el nombre separado en nombre(s) y apellidos.")
	}
	n, err := a.Name.Check(d.Value)
	if err != nil {
		return err
	}
	return s.corrector.ApplyName(ctx, r.PersonID, n, r.Folio)
}

// Note adds an operator's internal note to a request's timeline; the
// owner never sees it and is not told.
func (s *Service) Note(ctx context.Context, r *Request, operatorID int64, text string) error {
	text = strings.TrimSpace(text)
	if n := len([]rune(text)); n == 0 || n > 2000 {
		return portal.Errorf(portal.EINVALID, "Escribe la nota, en 2000 caracteres o menos.")
	}
	return s.store.AddRequestEvent(ctx, r.ID, Event{At: s.now().UTC(), Actor: Operator, ActorID: operatorID,
		From: r.State, To: r.State, Message: text, Internal: true})
}

// Assign gives a request to an operator (0 returns it to the queue),
// only if it is still assigned as the caller saw it.
func (s *Service) Assign(ctx context.Context, r *Request, from, to int64) error {
	return s.store.AssignRequest(ctx, r.ID, from, to)
}

// tell tells the owner of a change: always in their inbox, by e-mail when
// they have an account, and by SMS too when they chose it.
func (s *Service) tell(ctx context.Context, r *Request, subject, body string, at time.Time) error {
	if s.inbox != nil {
		key := fmt.Sprintf("tramite:%s:%s:%d", r.Folio, r.State, at.UnixNano())
		if err := s.inbox.AddNotice(ctx, r.PersonID, "tramite", key, subject, body); err != nil {
			return err
		}
	}
	to, ok, err := s.contacts.RequestRecipient(ctx, r.PersonID)
	if err != nil || !ok {
		return err
	}
	if to.Email != "" {
		if _, err := s.outbox.Enqueue(ctx, notify.Message{Channel: notify.Email, To: to.Email, Priority: notify.PriorityNotice,
			Subject: subject, Body: "Hola:\n\n" + body + "\n\nConsulta el detalle en Mi Cuenta > Mis trámites.\n\nMi Cuenta\n"}); err != nil {
			return err
		}
	}
	if to.BySMS && to.Mobile != "" {
		sms := "Mi Cuenta: tu tramite " + r.Folio + " ahora esta: " + Names[r.State] + ". Detalles en Mi Cuenta > Mis tramites."
		if _, err := s.outbox.Enqueue(ctx, notify.Message{Channel: notify.SMS, To: to.Mobile, Priority: notify.PriorityNotice, Body: sms}); err != nil {
			return err
		}
	}
	return nil
}

// Timeline returns a request's events the owner may see, oldest first.
func (s *Service) Timeline(ctx context.Context, r *Request) ([]Event, error) {
	all, err := s.store.RequestEvents(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if !e.Internal {
			out = append(out, e)
		}
	}
	return out, nil
}

// FullTimeline returns every event, internal notes included (operators).
func (s *Service) FullTimeline(ctx context.Context, r *Request) ([]Event, error) {
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

// Queue lists requests for the back office.
func (s *Service) Queue(ctx context.Context, f QueueFilter) ([]QueueItem, error) {
	if f.Today.IsZero() {
		f.Today = portal.DateOf(s.now())
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 100
	}
	return s.store.QueueRequests(ctx, f)
}
