package cli

import (
	"context"
	"fmt"

	"micuenta/internal/app"
	"micuenta/internal/config"
)

// worker implements `micuenta worker [--once]`: the outbox worker alone,
// for deployments that run several serve processes on PostgreSQL (each
// started with --worker=false) and deliver messages from separate
// processes. Workers share the queue safely: a message is claimed under a
// lease, and a dead worker's claims come back (internal/notify).
func worker(ctx context.Context, env Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "worker", "worker [--once] [flags]")
	once := fs.Bool("once", false, "deliver what is due now and exit (for cron or a one-off drain) instead of running until stopped")
	if err := loadConfig(env, fs, args, &cfg, false); err != nil {
		return err
	}
	log := newLogger(cfg, env.Stderr)
	cfg.DocumentsDir = "" // delivering messages never touches documents
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return startup(err)
	}
	defer a.Close()
	if *once {
		if err := a.Worker.Produce(ctx); err != nil {
			return err
		}
		total := 0
		for {
			n, err := a.Worker.RunOnce(ctx)
			if err != nil {
				return err
			}
			total += n
			if n == 0 {
				break
			}
		}
		fmt.Fprintf(env.Stdout, "micuenta worker: %d message(s) handled\n", total)
		return nil
	}
	fmt.Fprintln(env.Stdout, "micuenta worker: delivering messages; stop with Ctrl+C")
	log.Info("worker running", "db", config.RedactDSN(cfg.DB))
	return a.Worker.Run(ctx)
}
