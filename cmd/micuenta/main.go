// Command micuenta is the housing fund's self-service portal: the web
// server and every batch and maintenance command, in one binary.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"micuenta/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
