package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"time"

	"micuenta/internal/backup"
	"micuenta/internal/config"
	"micuenta/internal/store"
)

// postgresBackupAdvice is the answer to `micuenta backup` on PostgreSQL:
// the engine's own tools copy a live cluster better than micuenta could.
const postgresBackupAdvice = "backup copies SQLite databases; on PostgreSQL use the engine's own tools: " +
	"`pg_dump -Fc` for a nightly dump (restored with pg_restore), or continuous archiving for point-in-time recovery; " +
	"back up the documents directory beside it (docs/operations.md explains both)"

// backupCmd implements `micuenta backup --out DIR [--keep N]`: an online
// backup of a SQLite database and the documents directory (docs/operations.md).
func backupCmd(ctx context.Context, env Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "backup", "backup --out DIR [--keep N] [flags]")
	out := fs.String("out", env.Getenv("MICUENTA_BACKUP_DIR"), "directory for the backups, created 0700 when missing (env MICUENTA_BACKUP_DIR)")
	keepDefault, keepErr := envInt(env, "MICUENTA_BACKUP_KEEP", 7)
	keep := fs.Int("keep", keepDefault, "backups to keep in --out; older ones are deleted (0 keeps them all) (env MICUENTA_BACKUP_KEEP)")
	// Keys are not needed: the copy keeps the data sealed as it is.
	if err := loadConfig(env, fs, args, &cfg, true); err != nil {
		return err
	}
	if keepErr != nil {
		return startup(keepErr)
	}
	if *out == "" {
		return startup(errors.New("--out is required: give the directory for the backups, ideally on another disk (or set MICUENTA_BACKUP_DIR)"))
	}
	if *keep < 0 {
		return startup(fmt.Errorf("--keep %d: give how many backups to keep, at least 1 (0 keeps them all)", *keep))
	}
	engine, path, _ := config.ParseDB(cfg.DB)
	if engine == config.Postgres {
		return startup(errors.New(postgresBackupAdvice))
	}
	// store.Open would create a missing database, and backing up an
	// empty new one would hide the mistake.
	if _, err := os.Stat(path); err != nil {
		return startup(fmt.Errorf("no database at %s (%v): check --db; backup never creates one", path, unwrapPathErr(err)))
	}
	db, err := store.Open(ctx, cfg.DB, nil, store.Options{ReadConns: 1})
	if err != nil {
		return startup(err)
	}
	defer db.Close()
	start := time.Now()
	m, err := backup.Run(ctx, db, cfg.DocumentsDir, *out, *keep, start, buildVersion())
	if err != nil {
		var ie *backup.InputError
		if errors.As(err, &ie) {
			return startup(err)
		}
		if m == nil {
			return fmt.Errorf("%w; nothing was kept from this attempt", err)
		}
	}
	printBackup(env, m, cfg.DocumentsDir, *keep)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backup: done in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// printBackup writes one line per file of the backup, and one per older
// backup deleted.
func printBackup(env Env, m *backup.Manifest, documentsDir string, keep int) {
	dir := m.Dir()
	for _, f := range m.Files {
		switch f.Kind {
		case backup.KindDatabase:
			fmt.Fprintf(env.Stdout, "database   %s  %s (%s uncompressed, schema %04d)\n", filepath.Join(dir, f.Name), byteSize(f.Size), byteSize(m.DatabaseSize), m.SchemaVersion)
		case backup.KindDocuments:
			fmt.Fprintf(env.Stdout, "documents  %s  %s (%s, %s)\n", filepath.Join(dir, f.Name), byteSize(f.Size), plural(m.Documents, "file"), byteSize(m.DocumentsSize))
		}
	}
	if _, ok := m.File(backup.KindDocuments); !ok {
		fmt.Fprintf(env.Stdout, "documents  none: %s is empty or missing\n", documentsDir)
	}
	if st, err := os.Stat(m.Path); err == nil {
		fmt.Fprintf(env.Stdout, "manifest   %s  %s\n", m.Path, byteSize(st.Size()))
	}
	fmt.Fprintf(env.Stdout, "checksum   %s.sha256\n", m.Path)
	for _, r := range m.Removed {
		fmt.Fprintf(env.Stdout, "removed    %s (keeping the newest %d)\n", filepath.Join(dir, r), keep)
	}
}

// buildVersion is the version line's release and commit, for manifests.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return Version + " " + s.Value[:12]
			}
		}
	}
	return Version
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func envInt(env Env, name string, def int) (int, error) {
	v := env.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, fmt.Errorf("%s=%q is not a whole number", name, v)
	}
	return n, nil
}

func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
