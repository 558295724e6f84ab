package cli

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/config"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/store"
)

// postYield implements `micuenta post-yield --period YYYY-MM`: the month's
// yield on every subaccount, from the rate in the reference values.
// Idempotent per period and crash-safe: run it again to finish.
func postYield(ctx context.Context, env Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "post-yield", "post-yield --period YYYY-MM [flags]")
	periodText := fs.String("period", "", "the month to post, YYYY-MM; it must have ended")
	chunk := fs.Int64("people-per-transaction", store.YieldChunk, "people whose yields one transaction posts")
	if err := loadConfig(env, fs, args, &cfg, false); err != nil {
		return err
	}
	month, err := parseMonth(*periodText)
	if err != nil {
		return startup(err)
	}
	today := portal.DateOf(time.Now())
	if !portal.NewDate(month.Y, month.M+1, 1).Before(today.AddDays(1)) {
		return startup(fmt.Errorf("--period %s has not ended yet; a month's yield is posted after its last day", *periodText))
	}
	if *chunk < 1 {
		return startup(fmt.Errorf("--people-per-transaction must be at least 1"))
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
	rate, err := ref.At(reference.RendimientoSCV, month)
	if err != nil {
		return startup(fmt.Errorf("no yield rate in the reference values for %s; add one (reference_values, kind %s) and run again", *periodText, reference.RendimientoSCV))
	}
	p := newProgress(env.Stderr, "post-yield")
	started := false
	start := time.Now()
	n, err := a.DB.PostYield(ctx, month, rate.E6, *chunk, func(done, total int64) {
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
		return fmt.Errorf("%w; what was posted stays, and running the same command again completes the month", err)
	}
	note := ""
	if rate.Uncertain {
		note = " (the reference value is marked uncertain)"
	}
	fmt.Fprintf(env.Stdout, "post-yield %s: %d yields posted at %.2f%% a year%s in %s\n", *periodText, n, float64(rate.E6)/1e4, note, time.Since(start).Round(time.Millisecond))
	return nil
}

func parseMonth(s string) (portal.Date, error) {
	d, err := portal.ParseDate(s + "-01")
	if err != nil || len(s) != 7 {
		return portal.Date{}, fmt.Errorf("--period %q: use the form YYYY-MM, for example 2026-10", s)
	}
	return d, nil
}
