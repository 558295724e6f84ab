package cli

import (
	"context"
	"fmt"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/synth"
)

// seed implements `micuenta seed --people N [--seed S] [--as-of DATE] [--years Y]`.
func seed(ctx context.Context, env Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "seed", "seed --people N [--seed S] [--as-of YYYY-MM-DD] [--years Y] [--db DSN]")
	people := fs.Int("people", 1000, "how many people to create")
	seedValue := fs.Uint64("seed", 1, "random seed: the same seed gives the same population")
	asOf := fs.String("as-of", "", "the population's today, YYYY-MM-DD (default today in Mexico City)")
	years := fs.Int("years", synth.DefaultYears, "years of bimonthly contributions per person (1 to 5); earlier savings come as balances brought forward")
	if err := loadConfig(env, fs, args, &cfg, false); err != nil {
		return err
	}
	params, err := seedParams(*people, *seedValue, *asOf, *years)
	if err != nil {
		return startup(err)
	}
	a, err := openBatchApp(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	return runSeed(ctx, env, a, params)
}

func seedParams(people int, seed uint64, asOf string, years int) (synth.Params, error) {
	p := synth.Params{People: people, Seed: seed, AsOf: synth.DefaultAsOf(), Years: years}
	if people < 1 || people > 99_999_999 {
		return p, fmt.Errorf("--people %d: give a number from 1 to 99,999,999", people)
	}
	if years < 1 || years > synth.DefaultYears {
		return p, fmt.Errorf("--years %d: give a number of years from 1 to %d", years, synth.DefaultYears)
	}
	if asOf != "" {
		d, err := portal.ParseDate(asOf)
		if err != nil {
			return p, fmt.Errorf("--as-of %q: use the form YYYY-MM-DD", asOf)
		}
		p.AsOf = d
	}
	return p, nil
}

// runSeed makes and loads the population, printing progress and a summary.
func runSeed(ctx context.Context, env Env, a *app.App, p synth.Params) error {
	ref, err := reference.Load(ctx, a.DB)
	if err != nil {
		return err
	}
	gen, err := synth.NewGenerator(p, ref)
	if err != nil {
		return startup(err)
	}
	start := time.Now()
	sum, err := gen.Run(ctx, a.DB, newProgress(env.Stderr, "seed"))
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	rows := sum.People + sum.Relations + sum.Savings + sum.Credits + sum.CreditMovements
	fmt.Fprintf(env.Stderr, "seed: %d people (%d already present), %d employment relations, %d savings movements, %d credits, %d credit movements; %d rows in %s (%.0f rows/s)\n",
		sum.People, sum.Skipped, sum.Relations, sum.Savings, sum.Credits, sum.CreditMovements, rows, elapsed.Round(time.Millisecond), float64(rows)/max(elapsed.Seconds(), 0.001))
	return nil
}
