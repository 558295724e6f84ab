package store

import (
	"context"
	"fmt"

	"micuenta/internal/portal"
	"micuenta/internal/reference"
)

// ReferenceValues returns every reference value, for reference.Load.
func (db *DB) ReferenceValues(ctx context.Context) ([]reference.Value, error) {
	rows, err := db.query(ctx, "SELECT kind, valid_from, value_e6, uncertain, source FROM reference_values ORDER BY kind, valid_from")
	if err != nil {
		return nil, fmt.Errorf("store: reference values: %w", err)
	}
	defer rows.Close()
	var out []reference.Value
	for rows.Next() {
		var v reference.Value
		var kind string
		var uncertain int
		if err := rows.Scan(&kind, &v.ValidFrom, &v.E6, &uncertain, &v.Source); err != nil {
			return nil, fmt.Errorf("store: reference values: %w", err)
		}
		v.Kind, v.Uncertain = reference.Kind(kind), uncertain != 0
		out = append(out, v)
	}
	return out, mapError(rows.Err())
}

// PutReferenceValue records a value, replacing the one of the same kind and
// date: publishing a corrected figure is an update, not a second row.
func (db *DB) PutReferenceValue(ctx context.Context, v reference.Value) error {
	uncertain := 0
	if v.Uncertain {
		uncertain = 1
	}
	_, err := db.exec(ctx, `INSERT INTO reference_values (kind, valid_from, value_e6, uncertain, source) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, valid_from) DO UPDATE SET value_e6 = excluded.value_e6, uncertain = excluded.uncertain, source = excluded.source`,
		string(v.Kind), v.ValidFrom, v.E6, uncertain, v.Source)
	if err != nil {
		return fmt.Errorf("store: put reference value: %w", err)
	}
	return nil
}

// Meta reads a fact about this database; ENOTFOUND when absent.
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.queryRow(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("store: meta %s: %w", key, err)
	}
	return v, nil
}

// SetMeta records a fact about this database.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := db.exec(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("store: set meta %s: %w", key, err)
	}
	return nil
}
