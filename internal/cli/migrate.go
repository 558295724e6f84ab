package cli

import (
	"context"
	"fmt"

	"micuenta/internal/config"
	"micuenta/internal/store"
)

// migrate implements `micuenta migrate [status]`. It needs no keys: the
// schema is the same whatever the data is sealed with.
func migrate(ctx context.Context, env Env, args []string) error {
	statusOnly := len(args) > 0 && args[0] == "status"
	if statusOnly {
		args = args[1:]
	}
	var cfg config.Config
	fs := newFlags(env, "migrate", "migrate [status] [--db DSN]")
	// Keys are not needed to migrate, so validate as demo does.
	if err := loadConfig(env, fs, args, &cfg, true); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB, nil, store.Options{})
	if err != nil {
		return startup(err)
	}
	defer db.Close()
	st, err := db.Status(ctx)
	if err != nil {
		return startup(err)
	}
	if statusOnly {
		fmt.Fprintf(env.Stdout, "database %s: %d migration(s) applied, %d pending, newest known %04d\n",
			config.RedactDSN(cfg.DB), len(st.Applied), len(st.Pending), st.Newest)
		for _, m := range st.Pending {
			fmt.Fprintf(env.Stdout, "  pending %04d_%s\n", m.Version, m.Name)
		}
		if len(st.Unknown) > 0 {
			fmt.Fprintf(env.Stdout, "  the database has version %d, unknown to this binary: upgrade micuenta\n", st.Unknown[len(st.Unknown)-1])
		}
		return nil
	}
	applied, err := db.Migrate(ctx)
	for _, m := range applied {
		fmt.Fprintf(env.Stdout, "applied %04d_%s\n", m.Version, m.Name)
	}
	if err != nil {
		return startup(err)
	}
	if len(applied) == 0 {
		fmt.Fprintln(env.Stdout, "the schema is up to date")
	}
	return nil
}
