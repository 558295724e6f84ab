package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
)

// monthly describes a month-end batch over ranges of ids (post-yield,
// accrue): its flags, and the work that posts the month.
type monthly struct {
	name, usage, what     string // command, usage line, "a month's yield is posted"
	chunkFlag, chunkUsage string
	chunkDefault          int64
	work                  func(ctx context.Context, a *app.App, ref *reference.Table, month portal.Date, chunk int64, progress func(done, total int64)) (string, error)
}

// run parses the period and the range size, refuses a month that has not
// ended, opens the app, runs the work with a progress bar and prints its
// summary. Every such batch is idempotent per month and crash-safe, so a
// failure says to run it again.
func (m monthly) run(ctx context.Context, env Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, m.name, m.usage)
	periodText := fs.String("period", "", "the month to post, YYYY-MM; it must have ended")
	chunk := fs.Int64(m.chunkFlag, m.chunkDefault, m.chunkUsage)
	if err := loadConfig(env, fs, args, &cfg, false); err != nil {
		return err
	}
	month, err := parseMonth(*periodText)
	if err != nil {
		return startup(err)
	}
	today := portal.DateOf(time.Now())
	if !portal.NewDate(month.Y, month.M+1, 1).Before(today.AddDays(1)) {
		return startup(fmt.Errorf("--period %s has not ended yet; %s after its last day", *periodText, m.what))
	}
	if *chunk < 1 {
		return startup(fmt.Errorf("--%s must be at least 1", m.chunkFlag))
	}
	a, err := openBatchApp(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	ref, err := reference.Load(ctx, a.DB)
	if err != nil {
		return err
	}
	p := newProgress(env.Stderr, m.name).recordTo(ctx, a.DB, m.name, *periodText)
	started := false
	start := time.Now()
	summary, err := m.work(ctx, a, ref, month, *chunk, func(done, total int64) {
		if !started {
			p.Start(total)
			started = true
		}
		p.Set(done)
	})
	if started {
		p.Finish()
	}
	if err != nil {
		if isStartup(err) {
			return err
		}
		return fmt.Errorf("%w; what was posted stays, and running the same command again completes the month", err)
	}
	fmt.Fprintf(env.Stdout, "%s %s: %s in %s\n", m.name, *periodText, summary, time.Since(start).Round(time.Millisecond))
	return nil
}

func isStartup(err error) bool {
	var s startupError
	return errors.As(err, &s)
}
