package store

import "context"

// InsertMigrationRecordForTest pretends a migration was applied, to test
// how a database from a newer binary is refused.
func (db *DB) InsertMigrationRecordForTest(ctx context.Context, version int, name string) error {
	_, err := db.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", version, name, db.clock.Now())
	return err
}

// RawPersonColumnsForTest returns every stored byte of a person's row.
func (db *DB) RawPersonColumnsForTest(ctx context.Context, id int64) ([]byte, error) {
	var nss, curp, rfc, ni, ci, ri []byte
	err := db.queryRow(ctx, "SELECT nss_sealed, curp_sealed, rfc_sealed, nss_index, curp_index, rfc_index FROM people WHERE id = ?", id).
		Scan(&nss, &curp, &rfc, &ni, &ci, &ri)
	var all []byte
	for _, b := range [][]byte{nss, curp, rfc, ni, ci, ri} {
		all = append(all, b...)
	}
	return all, err
}

// InsertMetaStrictForTest inserts without ON CONFLICT, to provoke a
// uniqueness violation.
func (db *DB) InsertMetaStrictForTest(ctx context.Context, key, value string) error {
	_, err := db.exec(ctx, "INSERT INTO meta (key, value) VALUES (?, ?)", key, value)
	return err
}
