package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/request"
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

const requestColumns = "id, folio, kind, person_id, state, data_sealed, received_at, due_on, updated_at"

func (db *DB) scanRequest(s scanner) (*request.Request, error) {
	var r request.Request
	var state string
	var data []byte
	var received, updated timeValue
	if err := s.Scan(&r.ID, &r.Folio, &r.Kind, &r.PersonID, &state, &data, &received, &r.DueOn, &updated); err != nil {
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
	_, err := db.exec(ctx, `INSERT INTO request_events (request_id, at, actor, actor_id, from_state, to_state, message) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		requestID, e.At.UTC(), string(e.Actor), e.ActorID, string(e.From), string(e.To), e.Message)
	if err != nil {
		return fmt.Errorf("store: add request event: %w", err)
	}
	return nil
}

// RequestEvents implements request.Store.
func (db *DB) RequestEvents(ctx context.Context, requestID int64) ([]request.Event, error) {
	rows, err := db.query(ctx, `SELECT at, actor, actor_id, from_state, to_state, message FROM request_events WHERE request_id = ? ORDER BY at, id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("store: request events: %w", err)
	}
	defer rows.Close()
	var out []request.Event
	for rows.Next() {
		var e request.Event
		var at timeValue
		var actor, from, to string
		if err := rows.Scan(&at, &actor, &e.ActorID, &from, &to, &e.Message); err != nil {
			return nil, fmt.Errorf("store: request events: %w", err)
		}
		e.At, e.Actor, e.From, e.To = at.t, request.Actor(actor), request.State(from), request.State(to)
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

// ContactsOf implements request.Contacts.
func (db *DB) ContactsOf(ctx context.Context, personID int64) (string, error) {
	acc, err := db.FindAccountByPerson(ctx, personID)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return acc.Email, nil
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
	if _, err := db.exec(ctx, `INSERT INTO person_history (person_id, field, old_sealed, new_sealed, changed_at, source) VALUES (?, ?, ?, ?, ?, ?)`,
		personID, field, db.vault.Seal("person_history", old), db.vault.Seal("person_history", value), now, source); err != nil {
		return fmt.Errorf("store: apply correction: %w", err)
	}
	return nil
}
