package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
)

// Seal contexts: a sealed value only opens in the column it was written to.
const (
	sealNSS  = "people.nss"
	sealCURP = "people.curp"
	sealRFC  = "people.rfc"
)

const personColumns = "id, nss_sealed, curp_sealed, rfc_sealed, given_names, first_surname, second_surname, birth_date, sex, state, pension_status, pension_law, created_at, updated_at"

// personRows lays people out as rows of the people table with their ids,
// identifiers sealed and indexed.
func (db *DB) personRows(ps []*person.Person, now time.Time) bulkRows {
	b := bulkRows{table: "people", n: len(ps), cols: []string{"id", "nss_index", "curp_index", "rfc_index", "nss_sealed", "curp_sealed", "rfc_sealed",
		"given_names", "first_surname", "second_surname", "birth_date", "sex", "state", "pension_status", "pension_law",
		"created_at", "updated_at"}}
	b.args = make([]any, 0, len(ps)*len(b.cols))
	for _, p := range ps {
		nss, curp, rfc := p.NSS.String(), p.CURP.String(), p.RFC.String()
		b.args = append(b.args, p.ID,
			db.vault.Index(sealNSS, nss), db.vault.Index(sealCURP, curp), db.vault.Index(sealRFC, rfc),
			db.vault.Seal(sealNSS, nss), db.vault.Seal(sealCURP, curp), db.vault.Seal(sealRFC, rfc),
			p.GivenNames, p.FirstSurname, p.SecondSurname, p.BirthDate, p.Sex, p.State, p.PensionStatus, p.PensionLaw,
			now, now)
	}
	return b
}

// FindPersonByID implements person.Store.
func (db *DB) FindPersonByID(ctx context.Context, id int64) (*person.Person, error) {
	return db.findPerson(ctx, "id = ?", id)
}

// FindPersonByNSS implements person.Store.
func (db *DB) FindPersonByNSS(ctx context.Context, nss ident.NSS) (*person.Person, error) {
	return db.findPerson(ctx, "nss_index = ?", db.vault.Index(sealNSS, nss.String()))
}

// FindPersonByCURP finds a person by CURP; ENOTFOUND when there is none.
func (db *DB) FindPersonByCURP(ctx context.Context, curp ident.CURP) (*person.Person, error) {
	return db.findPerson(ctx, "curp_index = ?", db.vault.Index(sealCURP, curp.String()))
}

func (db *DB) findPerson(ctx context.Context, where string, arg any) (*person.Person, error) {
	p, err := db.scanPerson(db.queryRow(ctx, "SELECT "+personColumns+" FROM people WHERE "+where, arg))
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return nil, portal.Wrap(portal.ENOTFOUND, err, "No encontramos a esa persona.")
		}
		return nil, fmt.Errorf("store: find person: %w", err)
	}
	return p, nil
}

// CountPeople implements person.Store.
func (db *DB) CountPeople(ctx context.Context) (int, error) {
	var n int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM people").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count people: %w", err)
	}
	return n, nil
}

// MaxPersonID returns the highest person id, 0 for an empty registry.
func (db *DB) MaxPersonID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	if err := db.queryRow(ctx, "SELECT MAX(id) FROM people").Scan(&id); err != nil {
		return 0, fmt.Errorf("store: max person id: %w", err)
	}
	return id.Int64, nil
}

type scanner interface{ Scan(dest ...any) error }

func (db *DB) scanPerson(s scanner) (*person.Person, error) {
	var p person.Person
	var nss, curp, rfc []byte
	var created, updated timeValue
	if err := s.Scan(&p.ID, &nss, &curp, &rfc, &p.GivenNames, &p.FirstSurname, &p.SecondSurname, &p.BirthDate,
		&p.Sex, &p.State, &p.PensionStatus, &p.PensionLaw, &created, &updated); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = created.t, updated.t
	var err error
	if p.NSS, err = openAs(db, sealNSS, nss, ident.ParseNSS); err != nil {
		return nil, err
	}
	if p.CURP, err = openAs(db, sealCURP, curp, ident.ParseCURP); err != nil {
		return nil, err
	}
	s2, err := db.vault.Open(sealRFC, rfc)
	if err != nil {
		return nil, fmt.Errorf("store: person %d rfc: %w", p.ID, err)
	}
	// The fund's own records are trusted even when an RFC fails its check
	// digit, as about 1.5% of real RFCs do (domain.md §1.3).
	r, err := ident.ParseRFC(s2)
	if err != nil && !errors.Is(err, ident.ErrCheckDigit) {
		return nil, fmt.Errorf("store: person %d rfc: %w", p.ID, err)
	}
	p.RFC = r
	return &p, nil
}

func openAs[T any](db *DB, context string, sealed []byte, parse func(string) (T, error)) (T, error) {
	var zero T
	s, err := db.vault.Open(context, sealed)
	if err != nil {
		return zero, fmt.Errorf("store: %s: %w", context, err)
	}
	v, err := parse(s)
	if err != nil {
		return zero, fmt.Errorf("store: %s: %w", context, err)
	}
	return v, nil
}

// timeValue scans an instant from either engine: PostgreSQL gives
// time.Time; SQLite gives time.Time for TIMESTAMP columns and text for
// expressions such as MAX(created_at).
type timeValue struct{ t time.Time }

func (v *timeValue) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		v.t = time.Time{}
	case time.Time:
		v.t = x.UTC()
	case string:
		return v.parse(x)
	case []byte:
		return v.parse(string(x))
	default:
		return fmt.Errorf("store: cannot scan %T as a time", src)
	}
	return nil
}

func (v *timeValue) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			v.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("store: cannot parse time %q", s)
}

// nullDate stores a zero date as NULL.
func nullDate(d portal.Date) any {
	if d.IsZero() {
		return nil
	}
	return d
}

// nullID stores a zero foreign key as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
