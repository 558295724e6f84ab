package cli

import (
	"context"
	"fmt"

	"micuenta/internal/app"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/store"
)

// accrue implements `micuenta accrue --period YYYY-MM`: the month's
// interest and insurance on every live credit (internal/credit/ledger.go),
// then the notices that the month's statements are ready, and the end of
// the prórrogas that month closed. Idempotent per
// period and crash-safe: run it again to finish.
var accrue = monthly{name: "accrue", usage: "accrue --period YYYY-MM [flags]", what: "a month's interest is accrued",
	chunkFlag: "credits-per-transaction", chunkDefault: store.AccrueChunk, chunkUsage: "credits whose movements one transaction posts",
	work: func(ctx context.Context, a *app.App, ref *reference.Table, month portal.Date, chunk int64, progress func(done, total int64)) (string, error) {
		umi, err := ref.At(reference.UMIDiaria, portal.NewDate(month.Y, month.M+1, 1).AddDays(-1))
		if err != nil {
			return "", startup(fmt.Errorf("no UMI in the reference values for %04d-%02d (it values VSM credits' interest); add one (kind %s) and run again",
				month.Y, int(month.M), reference.UMIDiaria))
		}
		n, err := a.DB.Accrue(ctx, month, (umi.E6+5_000)/10_000, chunk, progress)
		if err != nil {
			return "", err
		}
		notices, err := a.DB.AddStatementNotices(ctx, month, month.MonthYear())
		if err != nil {
			return "", fmt.Errorf("%w; the movements are posted, and running the same command again sends the notices", err)
		}
		// A prórroga whose last month this was ends: the credit is vigente
		// again and its payments fall due from next month.
		ended, err := a.DB.EndProrrogas(ctx, month)
		if err != nil {
			return "", fmt.Errorf("%w; the movements are posted, and running the same command again ends them", err)
		}
		return fmt.Sprintf("%d movements posted, %d statement notices, %d prórrogas ended,", n, notices, ended), nil
	}}.run
