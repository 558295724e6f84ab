package store

import (
	"context"
	"fmt"

	"micuenta/internal/credit"
	"micuenta/internal/document"
	"micuenta/internal/portal"
)

const issuedColumns = `folio, kind, person_id, credit_number, detail, issued_at, valid_until, sha256, holder_masked, doc_key, generation`

func scanIssued(s scanner) (*document.Issued, error) {
	var d document.Issued
	var issued timeValue
	var until *portal.Date
	if err := s.Scan(&d.Folio, &d.Kind, &d.PersonID, &d.CreditNumber, &d.Detail, &issued, &until, &d.SHA256, &d.HolderMasked, &d.Key, &d.Generation); err != nil {
		return nil, err
	}
	d.IssuedAt = issued.t
	if until != nil {
		d.ValidUntil = *until
	}
	return &d, nil
}

// InsertIssuedDocument implements document.Store.
func (db *DB) InsertIssuedDocument(ctx context.Context, d *document.Issued) error {
	_, err := db.exec(ctx, `INSERT INTO issued_documents (`+issuedColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.Folio, d.Kind, d.PersonID, d.CreditNumber, d.Detail, d.IssuedAt.UTC(), nullDate(d.ValidUntil), d.SHA256, d.HolderMasked, d.Key, d.Generation)
	if err != nil {
		return fmt.Errorf("store: insert issued document: %w", err)
	}
	return nil
}

// LatestIssuedDocument implements document.Store.
func (db *DB) LatestIssuedDocument(ctx context.Context, key string) (*document.Issued, error) {
	d, err := scanIssued(db.queryRow(ctx, "SELECT "+issuedColumns+" FROM issued_documents WHERE doc_key = ? ORDER BY generation DESC LIMIT 1", key))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest issued document: %w", err)
	}
	return d, nil
}

// IssuedDocument implements document.Store.
func (db *DB) IssuedDocument(ctx context.Context, folio string) (*document.Issued, error) {
	d, err := scanIssued(db.queryRow(ctx, "SELECT "+issuedColumns+" FROM issued_documents WHERE folio = ?", folio))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: issued document: %w", err)
	}
	return d, nil
}

// NewerIssuedDocument implements document.Store.
func (db *DB) NewerIssuedDocument(ctx context.Context, d *document.Issued) (bool, error) {
	return db.exists(ctx, `SELECT COUNT(*) FROM issued_documents WHERE person_id = ? AND credit_number = ? AND kind = ? AND detail = ?
		AND (issued_at > ? OR (issued_at = ? AND folio <> ? AND doc_key = ? AND generation > ?))`,
		d.PersonID, d.CreditNumber, d.Kind, d.Detail, d.IssuedAt.UTC(), d.IssuedAt.UTC(), d.Folio, d.Key, d.Generation)
}

// HasIssuedDocument implements document.Store.
func (db *DB) HasIssuedDocument(ctx context.Context, personID int64, creditNumber, kind string) (bool, error) {
	return db.exists(ctx, "SELECT COUNT(*) FROM issued_documents WHERE person_id = ? AND credit_number = ? AND kind = ?", personID, creditNumber, kind)
}

// DiscountChanges implements credit.DocumentStore.
func (db *DB) DiscountChanges(ctx context.Context, creditID int64) ([]credit.DiscountChange, error) {
	rows, err := db.query(ctx, `SELECT credit_id, effective_date, discount_type, discount_factor_e4, reason FROM credit_discount_changes
		WHERE credit_id = ? ORDER BY effective_date`, creditID)
	if err != nil {
		return nil, fmt.Errorf("store: discount changes: %w", err)
	}
	defer rows.Close()
	var out []credit.DiscountChange
	for rows.Next() {
		var c credit.DiscountChange
		if err := rows.Scan(&c.CreditID, &c.Effective, &c.Type, &c.FactorE4, &c.Reason); err != nil {
			return nil, fmt.Errorf("store: discount changes: %w", err)
		}
		out = append(out, c)
	}
	return out, mapError(rows.Err())
}

// AddDiscountChange records a change of a credit's payroll discount; the
// same credit and date again replaces it (a corrected record).
func (db *DB) AddDiscountChange(ctx context.Context, c credit.DiscountChange) error {
	_, err := db.exec(ctx, `INSERT INTO credit_discount_changes (credit_id, effective_date, discount_type, discount_factor_e4, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (credit_id, effective_date) DO UPDATE SET discount_type = excluded.discount_type,
		discount_factor_e4 = excluded.discount_factor_e4, reason = excluded.reason`,
		c.CreditID, c.Effective, c.Type, c.FactorE4, c.Reason, db.clock.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: add discount change: %w", err)
	}
	return nil
}
