package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"micuenta/internal/config"
	"micuenta/internal/portal"
)

// Migrations are forward-only SQL files embedded in the binary, named
// NNNN_name.sql. A file NNNN_name.sqlite.sql or NNNN_name.postgres.sql
// replaces the generic one on that engine; otherwise the generic file is
// used on both, translated by translateDDL for PostgreSQL. Each file runs in
// its own transaction together with its row in schema_migrations, so a
// crash leaves either all of a migration or none of it.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one schema version.
type Migration struct {
	Version int
	Name    string
	file    string
}

// MigrationStatus describes the schema of a database against this binary.
type MigrationStatus struct {
	Applied []int       // versions recorded in the database, ascending
	Pending []Migration // known to the binary, not yet applied
	Newest  int         // the newest version this binary knows
	// Unknown lists applied versions this binary does not know: the
	// database was migrated by a newer micuenta.
	Unknown []int
}

// UpToDate reports whether nothing is pending and nothing is unknown.
func (s MigrationStatus) UpToDate() bool { return len(s.Pending) == 0 && len(s.Unknown) == 0 }

// migrations lists the embedded migrations for an engine, in order.
func migrations(engine config.Engine) ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	byVersion := map[int]Migration{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		variant := ""
		for _, eng := range []config.Engine{config.SQLite, config.Postgres} {
			if strings.HasSuffix(name, "."+string(eng)) {
				variant = string(eng)
				name = strings.TrimSuffix(name, "."+string(eng))
			}
		}
		num, label, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration file %s is not named NNNN_name.sql", e.Name())
		}
		if variant != "" && variant != string(engine) {
			continue
		}
		m, seen := byVersion[v]
		if seen && m.Name != label {
			return nil, fmt.Errorf("store: two migrations numbered %d: %s and %s", v, m.Name, label)
		}
		// The engine's own file wins over the generic one.
		if !seen || variant != "" {
			byVersion[v] = Migration{Version: v, Name: label, file: "migrations/" + e.Name()}
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

func (db *DB) ensureMigrationsTable(ctx context.Context) error {
	_, err := db.write.ExecContext(ctx, translateDDL(db.engine,
		"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"))
	if err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", mapError(err))
	}
	return nil
}

// Status compares the database's schema with the binary's migrations.
func (db *DB) Status(ctx context.Context) (MigrationStatus, error) {
	var st MigrationStatus
	known, err := migrations(db.engine)
	if err != nil {
		return st, err
	}
	if len(known) > 0 {
		st.Newest = known[len(known)-1].Version
	}
	if err := db.ensureMigrationsTable(ctx); err != nil {
		return st, err
	}
	rows, err := db.write.QueryContext(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return st, fmt.Errorf("store: read schema_migrations: %w", mapError(err))
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return st, fmt.Errorf("store: read schema_migrations: %w", err)
		}
		applied[v] = true
		st.Applied = append(st.Applied, v)
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("store: read schema_migrations: %w", err)
	}
	knownSet := map[int]bool{}
	for _, m := range known {
		knownSet[m.Version] = true
		if !applied[m.Version] {
			st.Pending = append(st.Pending, m)
		}
	}
	for _, v := range st.Applied {
		if !knownSet[v] {
			st.Unknown = append(st.Unknown, v)
		}
	}
	return st, nil
}

// ErrSchemaNewer is returned when the database was migrated by a newer
// binary; running an older one against it could corrupt data.
var ErrSchemaNewer = portal.Errorf(portal.EUNAVAILABLE, "La base de datos es de una versión más nueva del portal.")

// CheckSchema refuses a database whose schema does not match this binary,
// saying what to do.
func (db *DB) CheckSchema(ctx context.Context) error {
	st, err := db.Status(ctx)
	if err != nil {
		return err
	}
	if len(st.Unknown) > 0 {
		return fmt.Errorf("the database schema has version %d, newer than this binary knows (%d): upgrade micuenta to a release that includes it: %w", st.Unknown[len(st.Unknown)-1], st.Newest, ErrSchemaNewer)
	}
	if len(st.Pending) > 0 {
		return fmt.Errorf("the database schema is out of date (%d migration(s) pending, first %04d_%s): run `micuenta migrate --db ...` first", len(st.Pending), st.Pending[0].Version, st.Pending[0].Name)
	}
	return nil
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the ones it applied. On PostgreSQL an advisory lock makes
// concurrent migrators wait for each other instead of colliding.
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	st, err := db.Status(ctx)
	if err != nil {
		return nil, err
	}
	if len(st.Unknown) > 0 {
		return nil, fmt.Errorf("the database schema has version %d, newer than this binary knows (%d): upgrade micuenta instead of migrating: %w", st.Unknown[len(st.Unknown)-1], st.Newest, ErrSchemaNewer)
	}
	var done []Migration
	for _, m := range st.Pending {
		body, err := migrationFiles.ReadFile(m.file)
		if err != nil {
			return done, fmt.Errorf("store: read %s: %w", m.file, err)
		}
		applied, err := db.applyMigration(ctx, m, string(body))
		if err != nil {
			return done, err
		}
		if applied {
			done = append(done, m)
		}
	}
	return done, nil
}

func (db *DB) applyMigration(ctx context.Context, m Migration, body string) (bool, error) {
	applied := false
	err := db.InTx(ctx, func(ctx context.Context) error {
		if db.engine == config.Postgres {
			if _, err := db.exec(ctx, "SELECT pg_advisory_xact_lock(7345001)"); err != nil {
				return err
			}
		}
		// Another process may have applied it while we waited.
		var n int
		if err := db.queryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		for i, stmt := range splitStatements(translateDDL(db.engine, body)) {
			if _, err := db.writer(ctx).ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("store: migration %04d_%s, statement %d: %w", m.Version, m.Name, i+1, err)
			}
		}
		_, err := db.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.Version, m.Name, db.clock.Now().UTC())
		applied = err == nil
		return err
	})
	return applied, err
}

// splitStatements splits a migration on semicolons that end a line, after
// dropping -- comments. Migrations keep to that form (no semicolons inside
// string literals at a line's end), which lets both engines run them one
// statement at a time.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		if i := strings.Index(line, "--"); i >= 0 && !strings.Contains(line[:i], "'") {
			line = line[:i]
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if s := strings.TrimSpace(cur.String()); s != ";" {
				out = append(out, strings.TrimSuffix(s, ";"))
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
