package cli

import (
	"context"
	"errors"
	"fmt"

	"micuenta/internal/config"
)

// configCmd implements `micuenta config check`: it validates the
// configuration from flags and environment and prints it with secrets
// redacted, so an operator can see what a server would run with.
func configCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return startup(errors.New("usage: micuenta config check [flags]"))
	}
	var cfg config.Config
	fs := newFlags(env, "config check", "config check [flags]")
	bindErr := cfg.Bind(fs, env.Getenv)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	cfg.Print(env.Stdout)
	if err := errors.Join(bindErr, cfg.Validate()); err != nil {
		return startup(fmt.Errorf("the configuration is not usable:\n%w", err))
	}
	fmt.Fprintln(env.Stdout, "configuration OK")
	return nil
}
