package cli

import (
	"context"
	"fmt"

	"micuenta/internal/app"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/store"
)

// postYield implements `micuenta post-yield --period YYYY-MM`: the month's
// yield on every subaccount, from the rate in the reference values.
// Idempotent per period and crash-safe: run it again to finish.
var postYield = monthly{name: "post-yield", usage: "post-yield --period YYYY-MM [flags]", what: "a month's yield is posted",
	chunkFlag: "people-per-transaction", chunkDefault: store.YieldChunk, chunkUsage: "people whose yields one transaction posts",
	work: func(ctx context.Context, a *app.App, ref *reference.Table, month portal.Date, chunk int64, progress func(done, total int64)) (string, error) {
		rate, err := ref.At(reference.RendimientoSCV, month)
		if err != nil {
			return "", startup(fmt.Errorf("no yield rate in the reference values for %04d-%02d; add one (reference_values, kind %s) and run again",
				month.Y, int(month.M), reference.RendimientoSCV))
		}
		n, err := a.DB.PostYield(ctx, month, rate.E6, chunk, progress)
		if err != nil {
			return "", err
		}
		note := ""
		if rate.Uncertain {
			note = " (the reference value is marked uncertain)"
		}
		return fmt.Sprintf("%d yields posted at %.2f%% a year%s", n, float64(rate.E6)/1e4, note), nil
	}}.run

func parseMonth(s string) (portal.Date, error) {
	d, err := portal.ParseDate(s + "-01")
	if err != nil || len(s) != 7 {
		return portal.Date{}, fmt.Errorf("--period %q: use the form YYYY-MM, for example 2026-10", s)
	}
	return d, nil
}
