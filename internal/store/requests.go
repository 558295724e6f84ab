package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/upload"
)

const sealRequestData = "requests.data"

// NextFolioNumber implements request.Store: an upsert that returns the new
// number, so two requests filed at once never share one.
func (db *DB) NextFolioNumber(ctx context.Context, kind string, year int) (int64, error) {
	var n int64
	err := db.queryRowW(ctx, `INSERT INTO request_sequences (kind, year, last) VALUES (?, ?, 1)
		ON CONFLICT (kind, year) DO UPDATE SET last = request_sequences.last + 1 RETURNING last`, kind, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: next folio: %w", err)
	}
	return n, nil
}

// CreateRequest implements request.Store.
func (db *DB) CreateRequest(ctx context.Context, r *request.Request) error {
	err := db.queryRowW(ctx, `INSERT INTO requests (folio, kind, person_id, state, data_sealed, received_at, due_on, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.Folio, r.Kind, r.PersonID, string(r.State),
		db.vault.Seal(sealRequestData, string(r.Data)), r.ReceivedAt.UTC(), r.DueOn, r.UpdatedAt.UTC()).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: create request: %w", err)
	}
	return nil
}

const requestColumns = "id, folio, kind, person_id, state, data_sealed, received_at, due_on, updated_at, assigned_to"

func (db *DB) scanRequest(s scanner) (*request.Request, error) {
	var r request.Request
	var state string
	var data []byte
	var received, updated timeValue
	if err := s.Scan(&r.ID, &r.Folio, &r.Kind, &r.PersonID, &state, &data, &received, &r.DueOn, &updated, &r.AssignedTo); err != nil {
		return nil, err
	}
	r.State, r.ReceivedAt, r.UpdatedAt = request.State(state), received.t, updated.t
	text, err := db.vault.Open(sealRequestData, data)
	if err != nil {
		return nil, fmt.Errorf("store: request %s data: %w", r.Folio, err)
	}
	r.Data = []byte(text)
	return &r, nil
}

// FindRequest implements request.Store.
func (db *DB) FindRequest(ctx context.Context, folio string) (*request.Request, error) {
	r, err := db.scanRequest(db.queryRow(ctx, "SELECT "+requestColumns+" FROM requests WHERE folio = ?", folio))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, portal.Wrap(portal.ENOTFOUND, err, "No encontramos un trámite con ese folio.")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find request: %w", err)
	}
	return r, nil
}

// SetRequestState implements request.Store.
func (db *DB) SetRequestState(ctx context.Context, id int64, from, to request.State, at time.Time) error {
	res, err := db.exec(ctx, "UPDATE requests SET state = ?, updated_at = ? WHERE id = ? AND state = ?", string(to), at.UTC(), id, string(from))
	if err != nil {
		return fmt.Errorf("store: set request state: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return portal.Errorf(portal.ECONFLICT, "Alguien más acaba de cambiar este trámite. Vuelve a cargarlo para ver su estado.")
	}
	return nil
}

// AddRequestEvent implements request.Store.
func (db *DB) AddRequestEvent(ctx context.Context, requestID int64, e request.Event) error {
	_, err := db.exec(ctx, `INSERT INTO request_events (request_id, at, actor, actor_id, from_state, to_state, message, internal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		requestID, e.At.UTC(), string(e.Actor), e.ActorID, string(e.From), string(e.To), e.Message, boolInt(e.Internal))
	if err != nil {
		return fmt.Errorf("store: add request event: %w", err)
	}
	return nil
}

// RequestEvents implements request.Store.
func (db *DB) RequestEvents(ctx context.Context, requestID int64) ([]request.Event, error) {
	rows, err := db.query(ctx, `SELECT at, actor, actor_id, from_state, to_state, message, internal FROM request_events WHERE request_id = ? ORDER BY at, id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("store: request events: %w", err)
	}
	defer rows.Close()
	var out []request.Event
	for rows.Next() {
		var e request.Event
		var at timeValue
		var actor, from, to string
		var internal int
		if err := rows.Scan(&at, &actor, &e.ActorID, &from, &to, &e.Message, &internal); err != nil {
			return nil, fmt.Errorf("store: request events: %w", err)
		}
		e.At, e.Actor, e.From, e.To, e.Internal = at.t, request.Actor(actor), request.State(from), request.State(to), internal != 0
		out = append(out, e)
	}
	return out, mapError(rows.Err())
}

// RequestsOf implements request.Store.
func (db *DB) RequestsOf(ctx context.Context, personID int64) ([]request.Request, error) {
	rows, err := db.query(ctx, "SELECT "+requestColumns+" FROM requests WHERE person_id = ? ORDER BY received_at DESC, id DESC", personID)
	if err != nil {
		return nil, fmt.Errorf("store: requests of: %w", err)
	}
	defer rows.Close()
	var out []request.Request
	for rows.Next() {
		r, err := db.scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("store: requests of: %w", err)
		}
		out = append(out, *r)
	}
	return out, mapError(rows.Err())
}

// RequestRecipient implements request.Contacts.
func (db *DB) RequestRecipient(ctx context.Context, personID int64) (request.Recipient, bool, error) {
	acc, err := db.FindAccountByPerson(ctx, personID)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return request.Recipient{}, false, nil
	}
	if err != nil {
		return request.Recipient{}, false, err
	}
	var sms int
	err = db.queryRow(ctx, "SELECT requests_sms FROM notification_prefs WHERE account_id = ?", acc.ID).Scan(&sms)
	if err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
		return request.Recipient{}, false, fmt.Errorf("store: request recipient: %w", err)
	}
	return request.Recipient{Email: acc.Email, Mobile: acc.Mobile, BySMS: sms != 0}, true, nil
}

// AddNotice implements request.Inbox.
func (db *DB) AddNotice(ctx context.Context, personID int64, kind, key, subject, body string) error {
	_, err := db.exec(ctx, `INSERT INTO notices (person_id, kind, dedup_key, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (dedup_key) DO NOTHING`, personID, kind, key, subject, body, db.clock.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: add notice: %w", err)
	}
	return nil
}

// AssignRequest implements request.Store.
func (db *DB) AssignRequest(ctx context.Context, id, from, to int64) error {
	res, err := db.exec(ctx, "UPDATE requests SET assigned_to = ? WHERE id = ? AND assigned_to = ?", to, id, from)
	if err != nil {
		return fmt.Errorf("store: assign request: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return portal.Errorf(portal.ECONFLICT, "Alguien más acaba de asignar este trámite. Vuelve a cargarlo.")
	}
	return nil
}

// QueueRequests implements request.Store: open requests (or those in one
// state), oldest due first, with the person's name and state of the
// country for the operator's list.
func (db *DB) QueueRequests(ctx context.Context, f request.QueueFilter) ([]request.QueueItem, error) {
	q := "SELECT r." + strings.ReplaceAll(requestColumns, ", ", ", r.") + `, p.given_names, p.first_surname, p.second_surname, p.state
		FROM requests r JOIN people p ON p.id = r.person_id WHERE `
	var where []string
	var args []any
	if f.State != "" {
		where, args = append(where, "r.state = ?"), append(args, string(f.State))
	} else {
		where = append(where, "r.state NOT IN ('concluida', 'cancelada')")
	}
	if f.Kind != "" {
		where, args = append(where, "r.kind = ?"), append(args, f.Kind)
	}
	if f.Region != "" {
		where, args = append(where, "p.state = ?"), append(args, f.Region)
	}
	if f.Overdue {
		where, args = append(where, "r.due_on < ?"), append(args, f.Today)
	}
	if f.AssignedTo != 0 {
		if f.Unassigned {
			where, args = append(where, "r.assigned_to IN (?, 0)"), append(args, f.AssignedTo)
		} else {
			where, args = append(where, "r.assigned_to = ?"), append(args, f.AssignedTo)
		}
	}
	q += strings.Join(where, " AND ") + " ORDER BY r.due_on, r.id LIMIT ?"
	rows, err := db.query(ctx, q, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: queue: %w", err)
	}
	defer rows.Close()
	var out []request.QueueItem
	for rows.Next() {
		var it request.QueueItem
		var state string
		var data []byte
		var received, updated timeValue
		var given, first, second string
		r := &it.Request
		if err := rows.Scan(&r.ID, &r.Folio, &r.Kind, &r.PersonID, &state, &data, &received, &r.DueOn, &updated, &r.AssignedTo,
			&given, &first, &second, &it.Region); err != nil {
			return nil, fmt.Errorf("store: queue: %w", err)
		}
		// The queue shows no request data, so it is not unsealed here.
		r.State, r.ReceivedAt, r.UpdatedAt = request.State(state), received.t, updated.t
		it.PersonName = strings.Join(strings.Fields(given+" "+first+" "+second), " ")
		out = append(out, it)
	}
	return out, mapError(rows.Err())
}

// AddRequestDocument implements request.Store.
func (db *DB) AddRequestDocument(ctx context.Context, d *request.Document) error {
	err := db.queryRowW(ctx, `INSERT INTO request_documents (request_id, storage_name, file_name, kind, size, sha256, uploaded_by, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, d.RequestID, d.StorageName, d.FileName, string(d.Kind), d.Size, d.SHA256,
		string(d.UploadedBy), d.UploadedAt.UTC()).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("store: add request document: %w", err)
	}
	return nil
}

// RequestDocuments implements request.Store.
func (db *DB) RequestDocuments(ctx context.Context, requestID int64) ([]request.Document, error) {
	rows, err := db.query(ctx, `SELECT id, request_id, storage_name, file_name, kind, size, sha256, uploaded_by, uploaded_at
		FROM request_documents WHERE request_id = ? ORDER BY id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("store: request documents: %w", err)
	}
	defer rows.Close()
	var out []request.Document
	for rows.Next() {
		var d request.Document
		var kind, by string
		var at timeValue
		if err := rows.Scan(&d.ID, &d.RequestID, &d.StorageName, &d.FileName, &kind, &d.Size, &d.SHA256, &by, &at); err != nil {
			return nil, fmt.Errorf("store: request documents: %w", err)
		}
		d.Kind, d.UploadedBy, d.UploadedAt = upload.Kind(kind), request.Actor(by), at.t
		out = append(out, d)
	}
	return out, mapError(rows.Err())
}

// ApplyName implements request.Corrector: the person's name changes, the
// old one kept in person_history.
func (db *DB) ApplyName(ctx context.Context, personID int64, n request.NameParts, source string) error {
	p, err := db.FindPersonByID(ctx, personID)
	if err != nil {
		return err
	}
	now := db.clock.Now().UTC()
	if _, err := db.exec(ctx, "UPDATE people SET given_names = ?, first_surname = ?, second_surname = ?, updated_at = ? WHERE id = ?",
		n.GivenNames, n.FirstSurname, n.SecondSurname, now, personID); err != nil {
		return fmt.Errorf("store: apply name: %w", err)
	}
	return db.addPersonHistory(ctx, personID, request.FieldNombre, p.FullName(), strings.Join(strings.Fields(n.GivenNames+" "+n.FirstSurname+" "+n.SecondSurname), " "), now, source)
}

func (db *DB) addPersonHistory(ctx context.Context, personID int64, field, old, value string, at time.Time, source string) error {
	if _, err := db.exec(ctx, `INSERT INTO person_history (person_id, field, old_sealed, new_sealed, changed_at, source) VALUES (?, ?, ?, ?, ?, ?)`,
		personID, field, db.vault.Seal("person_history", old), db.vault.Seal("person_history", value), at, source); err != nil {
		return fmt.Errorf("store: person history: %w", err)
	}
	return nil
}

// ApplyCorrection implements request.Corrector: it changes a person's RFC
// or CURP and keeps the old value in person_history, in the caller's
// transaction. A CURP that belongs to someone else answers ECONFLICT.
func (db *DB) ApplyCorrection(ctx context.Context, personID int64, field, value, source string) error {
	p, err := db.FindPersonByID(ctx, personID)
	if err != nil {
		return err
	}
	var old, col, seal string
	switch field {
	case request.FieldRFC:
		old, col, seal = p.RFC.String(), "rfc", sealRFC
	case request.FieldCURP:
		old, col, seal = p.CURP.String(), "curp", sealCURP
	default:
		return portal.Errorf(portal.EINVALID, "Ese dato no se corrige en automático.")
	}
	now := db.clock.Now().UTC()
	if _, err := db.exec(ctx, "UPDATE people SET "+col+"_index = ?, "+col+"_sealed = ?, updated_at = ? WHERE id = ?",
		db.vault.Index(seal, value), db.vault.Seal(seal, value), now, personID); err != nil {
		if portal.ErrorCode(err) == portal.ECONFLICT {
			return portal.Errorf(portal.ECONFLICT, "Esa %s ya pertenece a otra persona en el registro del Fondo; revisa el documento antes de aprobar.", strings.ToUpper(col))
		}
		return fmt.Errorf("store: apply correction: %w", err)
	}
	return db.addPersonHistory(ctx, personID, field, old, value, now, source)
}

// DocumentStored reports whether a stored file belongs to a request.
func (db *DB) DocumentStored(ctx context.Context, storageName string) (bool, error) {
	return db.exists(ctx, "SELECT COUNT(*) FROM request_documents WHERE storage_name = ?", storageName)
}
