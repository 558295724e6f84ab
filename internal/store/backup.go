package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"micuenta/internal/config"
)

// ErrNotSQLite is returned by the SQLite-only backup helpers on
// PostgreSQL, whose own tools (pg_dump, continuous archiving) do the job
// better than anything micuenta could.
var ErrNotSQLite = errors.New("only a SQLite database can be copied by micuenta; on PostgreSQL use pg_dump or continuous archiving (see docs/operations.md)")

// BackupTo writes a consistent copy of the SQLite database to path, which
// must not exist or be an empty file, while the portal keeps serving.
// VACUUM INTO reads one snapshot (WAL lets writers carry on beside it) and
// writes a compact, self-contained file with no -wal beside it.
//
// It runs on a connection of its own: the reader pool is query_only, which
// SQLite applies to VACUUM INTO as well, and the single writer must not be
// held for the minutes a large copy takes.
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if db.engine != config.SQLite {
		return ErrNotSQLite
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	var src string
	if err := db.read.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&src); err != nil {
		return fmt.Errorf("store: backup: find the database file: %w", mapError(err))
	}
	conn, err := sql.Open("sqlite", sqliteURI(src)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	// An absolute path never starts with "file:", so SQLite cannot take it
	// for a URI with options of its own.
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, mapError(err))
	}
	return nil
}

// NewestSchemaVersion is the newest migration this binary knows for
// SQLite: a backup whose schema is newer cannot be served by it.
func NewestSchemaVersion() (int, error) {
	ms, err := migrations(config.SQLite)
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	return ms[len(ms)-1].Version, nil
}

// SQLiteFileInfo describes a SQLite file that is not open as a DB.
type SQLiteFileInfo struct {
	// SchemaVersion is the highest applied migration (0: none).
	SchemaVersion int
	// Problems is what PRAGMA integrity_check reported, when asked and
	// not "ok" (at most the first ten lines).
	Problems []string
}

// InspectSQLiteFile opens the SQLite file at path read-only and returns
// its schema version and, when check is set, the result of PRAGMA
// integrity_check. It never creates or changes a file: read-only mode on a
// rollback-journal file (what VACUUM INTO writes) leaves nothing behind.
func InspectSQLiteFile(ctx context.Context, path string, check bool) (SQLiteFileInfo, error) {
	var info SQLiteFileInfo
	abs, err := filepath.Abs(path)
	if err != nil {
		return info, err
	}
	if _, err := os.Stat(abs); err != nil {
		return info, err
	}
	conn, err := sql.Open("sqlite", sqliteURI(abs)+"?mode=ro")
	if err != nil {
		return info, err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if check {
		rows, err := conn.QueryContext(ctx, "PRAGMA integrity_check(10)")
		if err != nil {
			return info, fmt.Errorf("not a readable SQLite database: %w", err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return info, err
			}
			if line != "ok" {
				info.Problems = append(info.Problems, line)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return info, fmt.Errorf("not a readable SQLite database: %w", err)
		}
	}
	var has int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").Scan(&has); err != nil {
		return info, fmt.Errorf("not a readable SQLite database: %w", err)
	}
	if has > 0 {
		if err := conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&info.SchemaVersion); err != nil {
			return info, fmt.Errorf("cannot read the schema version: %w", err)
		}
	}
	return info, nil
}

// sqliteURI is the file: URI of a path, escaped as Open escapes it so a
// '?' or '#' in a directory name cannot start the options.
func sqliteURI(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath()
}
