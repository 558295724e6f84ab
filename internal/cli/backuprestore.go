package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"micuenta/internal/backup"
	"micuenta/internal/config"
)

// restoreCmd implements `micuenta restore MANIFEST --db sqlite:PATH
// [--documents-dir DIR] [--force]`. Unlike the other commands it reads no
// MICUENTA_* variable: a restore replaces data, so its target is named on
// the command line, on purpose, never picked up from the environment.
func restoreCmd(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "restore", "restore MANIFEST --db sqlite:PATH [--documents-dir DIR] [--force]")
	dbFlag := fs.String("db", "", "the SQLite database to create (or, with --force, replace): sqlite:PATH")
	docs := fs.String("documents-dir", "", "where to restore the backup's documents (empty: leave them out)")
	force := fs.Bool("force", false, "replace an existing database, and documents whose bytes differ from the backup's")
	// MANIFEST may come before or after the flags: the flag package stops
	// at the first argument that is not a flag, so parse what follows it
	// again.
	var pos []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return startup(err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) != 1 {
		return startup(errors.New("give one manifest: micuenta restore DIR/micuenta-YYYYMMDDTHHMMSSZ-manifest.json --db sqlite:PATH"))
	}
	if *dbFlag == "" {
		return startup(errors.New("--db is required: name the SQLite file to restore into, for example --db sqlite:data/micuenta.db (restore never reads MICUENTA_DB)"))
	}
	engine, path, err := config.ParseDB(*dbFlag)
	if err != nil {
		return startup(err)
	}
	if engine != config.SQLite {
		return startup(errors.New("restore writes SQLite databases; restore PostgreSQL from its own dump with pg_restore (docs/operations.md)"))
	}
	start := time.Now()
	res, err := backup.Restore(ctx, pos[0], backup.RestoreOptions{DBPath: path, DocumentsDir: *docs, Force: *force})
	if err != nil {
		var ie *backup.InputError
		if errors.As(err, &ie) {
			return startup(fmt.Errorf("%w; nothing was changed", err))
		}
		return err
	}
	m := res.Manifest
	fmt.Fprintf(env.Stdout, "database   %s restored from the backup of %s (schema %04d, integrity ok)\n", path, m.CreatedAt.Format(time.RFC3339), m.SchemaVersion)
	if m.SchemaVersion < res.Newest {
		fmt.Fprintf(env.Stdout, "           this micuenta knows schema %04d: `micuenta migrate --db %s` (or serve) brings it up to date\n", res.Newest, *dbFlag)
	}
	switch {
	case res.DocumentsLeft:
		fmt.Fprintf(env.Stdout, "documents  not restored (%s in the backup): give --documents-dir DIR to restore them\n", plural(m.Documents, "file"))
	case *docs == "":
	case m.Documents == 0:
		fmt.Fprintln(env.Stdout, "documents  none in the backup")
	default:
		same := ""
		if res.Unchanged > 0 {
			same = fmt.Sprintf(" (%s already there, identical, kept)", plural(res.Unchanged, "file"))
		}
		fmt.Fprintf(env.Stdout, "documents  %s restored into %s%s\n", plural(res.Documents, "file"), *docs, same)
	}
	fmt.Fprintf(env.Stdout, "restore: done in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
