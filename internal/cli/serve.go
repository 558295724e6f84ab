package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/synth"
	"micuenta/internal/vault"
)

// servingGCPercent is the collector's target for `serve` when GOGC is not
// set. A portal's live heap is small (tens of MB) while every page
// allocates about 25 KB, so at Go's default of 100 the collector runs
// every few hundred pages; at 400 it runs a quarter as often, for about a
// tenth less CPU per page and a heap that can reach five times the live
// one (BENCHMARKS.md, "Load"). GOGC in the environment still decides.
const servingGCPercent = 400

// demoPeople is the size of the demo population: enough for every kind of
// person to appear, small enough to be ready in a few seconds.
const demoPeople = 3000

// serve implements `micuenta serve [--demo]`.
func serve(ctx context.Context, env Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "serve", "serve [--demo] [flags]")
	demo := fs.Bool("demo", false, "serve a throwaway demo: a fresh database in a temporary directory, a synthetic population, random keys, and messages kept at /dev/buzon")
	embedded := fs.Bool("worker", true, "run the outbox worker inside this process; set --worker=false when separate `micuenta worker` processes deliver the messages")
	// --demo must be known before validation (it waives the keys), so
	// look for it first.
	isDemo := hasFlag(args, "demo")
	if err := loadConfig(env, fs, args, &cfg, isDemo); err != nil {
		return err
	}
	log := newLogger(cfg, env.Stderr)
	if env.Getenv("GOGC") == "" {
		debug.SetGCPercent(servingGCPercent)
	}
	opts := app.Options{}
	var demoLogin, demoRegister, demoOperator string
	if *demo {
		dir, err := os.MkdirTemp("", "micuenta-demo-*")
		if err != nil {
			return startup(fmt.Errorf("cannot create a temporary directory for the demo: %w", err))
		}
		defer os.RemoveAll(dir)
		cfg.DB = "sqlite:" + filepath.Join(dir, "micuenta.db")
		cfg.DocumentsDir = filepath.Join(dir, "documentos")
		opts.Vault = vault.NewRandom()
	}
	engine, _, _ := config.ParseDB(cfg.DB)
	// SQLite belongs to this one process, so it migrates itself; on
	// PostgreSQL several instances share the schema and an operator
	// migrates it once, on purpose.
	opts.Migrate = engine == config.SQLite
	a, err := app.New(ctx, cfg, log, opts)
	if err != nil {
		return startup(err)
	}
	defer a.Close()
	a.EmbeddedWorker = *embedded
	a.Version = buildVersion()
	if *demo {
		params, _ := seedParams(demoPeople, 1, "", synth.DefaultYears)
		if err := runSeed(ctx, env, a, params); err != nil {
			return err
		}
		email, password, err := a.CreateDemoAccount(ctx)
		if err != nil {
			return err
		}
		demoLogin = fmt.Sprintf("demo login: %s %s", email, password)
		opEmail, opPassword, err := a.CreateDemoOperator(ctx)
		if err != nil {
			return err
		}
		if _, err := a.CreateDemoRequests(ctx); err != nil {
			return err
		}
		if _, err := a.CreateDemoActivity(ctx); err != nil {
			return err
		}
		demoOperator = fmt.Sprintf("back office login: %s %s (enrol an authenticator app at the first sign-in)", opEmail, opPassword)
		if p, err := a.DemoRegistrant(ctx); err == nil {
			demoRegister = fmt.Sprintf("to try /registro: NSS %s CURP %s RFC %s (%s)", p.NSS, p.CURP, p.RFC, p.FullName())
		}
	}
	ln, err := a.Listen()
	if err != nil && *demo && !addrGiven(args, env) {
		// A newcomer's demo should not fail because 8080 is taken.
		a.Config.Addr = "localhost:0"
		ln, err = a.Listen()
	}
	if err != nil {
		return startup(err)
	}
	adminLn, err := a.ListenAdmin()
	if err != nil && *demo && !flagGiven(args, env, "admin-addr", "MICUENTA_ADMIN_ADDR") {
		a.Config.AdminAddr = "localhost:0"
		adminLn, err = a.ListenAdmin()
	}
	if err != nil {
		ln.Close()
		return startup(err)
	}
	a.AdminListener = adminLn
	url := "http://" + displayAddr(ln.Addr())
	if *demo {
		fmt.Fprintf(env.Stdout, "micuenta demo: %s (data is synthetic and is deleted when you stop it with Ctrl+C)\n", url)
		fmt.Fprintln(env.Stdout, demoLogin)
		fmt.Fprintf(env.Stdout, "codes for a new device: %s/dev/buzon\n", url)
		if demoRegister != "" {
			fmt.Fprintln(env.Stdout, demoRegister)
		}
	} else {
		fmt.Fprintf(env.Stdout, "micuenta: serving at %s\n", url)
	}
	if adminLn != nil {
		fmt.Fprintf(env.Stdout, "back office: http://%s/admin/\n", displayAddr(adminLn.Addr()))
		if demoOperator != "" {
			fmt.Fprintln(env.Stdout, demoOperator)
		}
	}
	log.Info("serving", "addr", ln.Addr().String(), "db", config.RedactDSN(cfg.DB), "demo", *demo)
	if err := a.Serve(ctx, ln); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		a = strings.TrimLeft(a, "-")
		if a == name || a == name+"=true" || a == name+"=1" {
			return true
		}
	}
	return false
}

func addrGiven(args []string, env Env) bool { return flagGiven(args, env, "addr", "MICUENTA_ADDR") }

// flagGiven reports whether a flag was set on the command line or through
// its environment variable.
func flagGiven(args []string, env Env, flag, envName string) bool {
	if env.Getenv(envName) != "" {
		return true
	}
	for _, a := range args {
		a = strings.TrimLeft(a, "-")
		if a == flag || strings.HasPrefix(a, flag+"=") {
			return true
		}
	}
	return false
}

// displayAddr shows a loopback listener as localhost, which people can
// click; other addresses stay as they are.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if ok && tcp.IP.IsLoopback() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}
