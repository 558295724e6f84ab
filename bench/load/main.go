// Command load is micuenta's load benchmark: it starts the portal as
// production runs it (`micuenta serve`, one or more instances, on a
// seeded database), drives it over HTTP on loopback and writes a report:
// throughput, latency percentiles per route, errors, the servers' CPU and
// memory, its own CPU, and the throughput of the signed-in summary page
// and of the movements page against a bare Go "hello" handler measured in
// the same run, before and after them.
//
//	go build -o /tmp/micuenta ./cmd/micuenta
//	export MICUENTA_DATA_KEY=… MICUENTA_LOOKUP_KEY=…   # the keys seed used
//	/tmp/micuenta seed --people 100000 --db sqlite:/tmp/load/100k.db
//	go run ./bench/load --bin /tmp/micuenta --db sqlite:/tmp/load/100k.db
//
// BENCHMARKS.md holds the figures, the commands and the mix.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// options are the run's settings.
type options struct {
	bin, db, out, label string
	wrk                 string // wrk's path, to drive the saturated phases with
	instances           int
	users, registrants  int
	sessions            int
	conns               int
	saturate            time.Duration
	rounds              int
	summaryRate         int
	summaryFor          time.Duration
	mixRate             float64
	mixFor              time.Duration
	think               time.Duration
	seed                uint64
}

func main() {
	if addr := os.Getenv(helloEnv); addr != "" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		defer stop()
		_ = serveHello(ctx, addr)
		return
	}
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.StringVar(&o.bin, "bin", "", "the micuenta binary to run (build it with `go build -o /tmp/micuenta ./cmd/micuenta`)")
	fs.StringVar(&o.db, "db", "", "the seeded database: sqlite:PATH or postgres://…")
	fs.StringVar(&o.out, "out", "", "also write the report to this file")
	fs.StringVar(&o.label, "label", "", "what this run is, for the report's heading")
	fs.IntVar(&o.instances, "instances", 1, "serve processes sharing the database (PostgreSQL only above 1); with more than one, a separate `micuenta worker` delivers messages")
	fs.IntVar(&o.users, "users", 2000, "people given an account and a proved browser for the run")
	fs.IntVar(&o.registrants, "registrants", 400, "people without an account set aside to register during the run")
	fs.IntVar(&o.sessions, "sessions", 200, "signed-in sessions the summary-page phases spread over")
	fs.IntVar(&o.conns, "conns", 32, "requests in flight in the saturation phases")
	wrk, _ := exec.LookPath("wrk")
	fs.StringVar(&o.wrk, "wrk", wrk, "wrk's `path`: it drives the saturated phases, one wrk per instance (found on PATH by default; install it with apt-get install wrk); --wrk= drives them with Go's HTTP client instead, which costs about three times the CPU a request (BENCHMARKS.md)")
	fs.DurationVar(&o.saturate, "saturate", 10*time.Second, "length of each saturation phase (hello, the summary page, the movements page), split over --rounds")
	fs.IntVar(&o.rounds, "rounds", 5, "rounds the saturation phases alternate in (hello, summary page, movements page), each ratio taken within its round")
	fs.IntVar(&o.summaryRate, "summary-rate", 500, "requests per second of the summary page in the fixed-rate phase")
	fs.DurationVar(&o.summaryFor, "summary-for", 30*time.Second, "length of the fixed-rate phase")
	fs.Float64Var(&o.mixRate, "mix-rate", 20, "visits starting per second in the mixed phase")
	fs.DurationVar(&o.mixFor, "mix-for", 60*time.Second, "how long visits keep starting in the mixed phase")
	fs.DurationVar(&o.think, "think", 2*time.Second, "mean time a visitor reads a page before the next")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed of the visitors' choices")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if err := o.check(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var out io.Writer = os.Stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		defer f.Close()
		out = io.MultiWriter(os.Stdout, f)
	}
	if err := run(ctx, o, out); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func (o options) check() error {
	switch {
	case o.bin == "":
		return fmt.Errorf("--bin is required: build the portal with `go build -o /tmp/micuenta ./cmd/micuenta` and pass --bin /tmp/micuenta")
	case o.db == "":
		return fmt.Errorf("--db is required: the database `micuenta seed` filled, e.g. --db sqlite:/tmp/load/100k.db")
	case os.Getenv("MICUENTA_DATA_KEY") == "" || os.Getenv("MICUENTA_LOOKUP_KEY") == "":
		return fmt.Errorf("set MICUENTA_DATA_KEY and MICUENTA_LOOKUP_KEY to the keys `micuenta seed` used for the dataset")
	case o.instances < 1:
		return fmt.Errorf("--instances %d: give 1 or more", o.instances)
	case o.instances > 1 && strings.HasPrefix(o.db, "sqlite:"):
		return fmt.Errorf("--instances %d needs PostgreSQL: a SQLite database belongs to one serve process", o.instances)
	case o.wrk != "" && o.conns < o.instances:
		return fmt.Errorf("--conns %d: wrk needs at least one connection for each of the %d instances", o.conns, o.instances)
	case o.wrk != "" && o.saturate/time.Duration(max(o.rounds, 1)) < time.Second:
		return fmt.Errorf("wrk runs for whole seconds: give --saturate at least a second a round (--saturate %s over --rounds %d), or --wrk= for Go's client", o.saturate, o.rounds)
	case o.users < o.sessions || o.sessions < 1:
		return fmt.Errorf("--sessions %d must be from 1 to --users (%d)", o.sessions, o.users)
	case o.rounds < 1 || o.saturate/time.Duration(o.rounds) < 500*time.Millisecond:
		return fmt.Errorf("--saturate %s over --rounds %d: give at least one round and half a second a slice", o.saturate, o.rounds)
	case o.summaryRate < 1 || o.mixRate <= 0:
		return fmt.Errorf("--summary-rate and --mix-rate must be above zero")
	}
	return nil
}
