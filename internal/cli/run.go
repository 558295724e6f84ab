// Package cli is micuenta's command line: one function per subcommand,
// each with its own flag set. Run is what main calls; it takes its
// arguments and output streams as parameters so tests can drive it.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	_ "time/tzdata" // America/Mexico_City without depending on the host's zoneinfo

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/store"
)

// Env is what a command receives from the outside world.
type Env struct {
	Stdin          io.Reader // nil: the process's standard input
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve the portal (add --demo for a throwaway demo)", serve},
		{"worker", "deliver queued e-mail and SMS (for scale-out; serve runs one itself)", worker},
		{"import", "post a batch file from the fund's systems (people, employment, contributions)", importCmd},
		{"post-yield", "post a month's yield to every housing subaccount", postYield},
		{"accrue", "post a month's interest and insurance to every live credit", accrue},
		{"admin", "create-operator: add a back-office operator (the first administrator, say)", adminCmd},
		{"migrate", "apply pending database migrations (status: show them)", migrate},
		{"seed", "load a synthetic population of people and their histories", seed},
		{"backup", "back up a SQLite database and the documents while the portal serves", backupCmd},
		{"restore", "restore a backup made by micuenta backup (checked before anything is replaced)", restoreCmd},
		{"config", "check: validate the configuration and print it, secrets redacted", configCmd},
		{"version", "print the version", version},
	}
}

// Run executes the command in args and returns the process exit status:
// 0 on success, 2 when the command line, the configuration or the database
// is unusable (the message says what to do), 1 when the work itself failed.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := Env{Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}
	return RunEnv(ctx, args, env)
}

// RunEnv is Run with an explicit environment, for tests.
func RunEnv(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, env, args[1:])
			return report(env.Stderr, c.name, err)
		}
	}
	fmt.Fprintf(env.Stderr, "micuenta: unknown command %q; run `micuenta help` to see the commands\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "micuenta — the housing fund's self-service portal")
	fmt.Fprintln(w, "\nUsage: micuenta COMMAND [flags]   (micuenta COMMAND -h for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery flag also reads an environment variable: --db reads MICUENTA_DB, and so on.")
}

// startupError marks failures of the command line, configuration or
// database that the operator must fix before anything can run: exit 2.
type startupError struct{ err error }

func (e startupError) Error() string { return e.err.Error() }
func (e startupError) Unwrap() error { return e.err }

func startup(err error) error {
	if err == nil {
		return nil
	}
	return startupError{err}
}

func report(w io.Writer, name string, err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(w, "micuenta %s: interrupted\n", name)
		return 1
	}
	fmt.Fprintf(w, "micuenta %s: %s\n", name, oneLine(err))
	if errors.Is(err, store.ErrStorageFull) {
		fmt.Fprintf(w, "  the database has no room left: free space on its disk (or raise its quota), then run the command again\n")
	}
	var se startupError
	if errors.As(err, &se) {
		return 2
	}
	return 1
}

// oneLine keeps a multi-error on separate indented lines.
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "\n  ")
}

// newFlags makes a subcommand's flag set that writes its help to stderr.
func newFlags(env Env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: micuenta %s\n\nFlags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and refuses stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return startup(err)
	}
	if fs.NArg() > 0 {
		return startup(fmt.Errorf("unexpected argument %q; run with -h to see the flags", fs.Arg(0)))
	}
	return nil
}

// loadConfig binds the shared options, parses args and validates.
func loadConfig(env Env, fs *flag.FlagSet, args []string, cfg *config.Config, demo bool) error {
	bindErr := cfg.Bind(fs, env.Getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg.Demo = demo
	if err := errors.Join(bindErr, cfg.Validate()); err != nil {
		return startup(fmt.Errorf("the configuration is not usable:\n%w", err))
	}
	return nil
}

// newLogger writes structured logs to stderr.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openBatchApp builds the app for a batch command. On SQLite the command owns
// the file and migrates it; on PostgreSQL a stale schema is refused with
// advice to run `micuenta migrate`.
func openBatchApp(ctx context.Context, env Env, cfg config.Config) (*app.App, error) {
	engine, _, _ := config.ParseDB(cfg.DB)
	cfg.DocumentsDir = "" // batch work never touches documents
	a, err := app.New(ctx, cfg, newLogger(cfg, env.Stderr), app.Options{Migrate: engine == config.SQLite})
	if err != nil {
		return nil, startup(err)
	}
	return a, nil
}
