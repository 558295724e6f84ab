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

// accrue implements `micuenta accrue --period YYYY-MM`: the month's
// interest and insurance on every live credit (internal/credit/ledger.go).
// Idempotent per period and crash-safe: run it again to finish.
func accrue(ctx context.Context, env Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "accrue", "accrue --period YYYY-MM [flags]")
	periodText := fs.String("period", "", "the month to accrue, YYYY-MM; it must have ended")
	chunk := fs.Int64("credits-per-transaction", store.AccrueChunk, "credits whose movements one transaction posts")
	if err := loadConfig(env, fs, args, &cfg, false); err != nil {
		return err
	}
	month, err := parseMonth(*periodText)
	if err != nil {
		return startup(err)
	}
	today := portal.DateOf(time.Now())
	if !portal.NewDate(month.Y, month.M+1, 1).Before(today.AddDays(1)) {
		return startup(fmt.Errorf("--period %s has not ended yet; a month's interest is accrued after its last day", *periodText))
	}
	if *chunk < 1 {
		return startup(fmt.Errorf("--credits-per-transaction must be at least 1"))
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
	umi, err := ref.At(reference.UMIDiaria, portal.NewDate(month.Y, month.M+1, 1).AddDays(-1))
	if err != nil {
		return startup(fmt.Errorf("no UMI in the reference values for %s (it values VSM credits' interest); add one (kind %s) and run again", *periodText, reference.UMIDiaria))
	}
	p := newProgress(env.Stderr, "accrue")
	started := false
	start := time.Now()
	n, err := a.DB.Accrue(ctx, month, (umi.E6+5_000)/10_000, *chunk, func(done, total int64) {
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
	months := [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
	notices, err := a.DB.AddStatementNotices(ctx, month, fmt.Sprintf("%s de %d", months[month.M-1], month.Y))
	if err != nil {
		return fmt.Errorf("%w; the movements are posted, and running the same command again sends the notices", err)
	}
	fmt.Fprintf(env.Stdout, "accrue %s: %d movements posted, %d statement notices, in %s\n", *periodText, n, notices, time.Since(start).Round(time.Millisecond))
	return nil
}
