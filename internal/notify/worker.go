package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// WorkerConfig tunes delivery.
type WorkerConfig struct {
	Batch        int           // messages claimed at a time (default 50)
	Lease        time.Duration // how long a claim holds (default 2 min)
	PollInterval time.Duration // wait when nothing is due (default 1 s)
	MaxAttempts  int           // then the message fails for good (default 8)
	BaseBackoff  time.Duration // first retry delay, doubling each time (default 30 s)
	MaxBackoff   time.Duration // cap on the delay (default 1 h)
	// BulkPerSecond bounds deliveries of bulk messages (contribution
	// notices) per second, so a million of them do not flood the mail
	// relay or the SMS gateway; codes and security notices are never held
	// back (0 = unbounded).
	BulkPerSecond float64
}

func (c *WorkerConfig) defaults() {
	if c.Batch <= 0 {
		c.Batch = 50
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.BaseBackoff <= 0 {
		c.BaseBackoff = 30 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Hour
	}
}

// Worker delivers the outbox. Several workers (in several processes on
// PostgreSQL) may run at once: each claim is a lease, so a message goes to
// one worker at a time.
type Worker struct {
	store   Store
	senders map[Channel]Sender
	cfg     WorkerConfig
	now     func() time.Time
	log     *slog.Logger

	producers []Producer
	// lastRound is when Run last finished a delivery round (UnixNano),
	// for Ping.
	lastRound atomic.Int64
}

// Producer turns something that happened into messages in the outbox
// (contribution notices from the ledger); the worker runs each one before
// every delivery round and returns how many it produced.
type Producer func(ctx context.Context) (int, error)

// AddProducer registers a producer. Call it before Run.
func (w *Worker) AddProducer(p Producer) { w.producers = append(w.producers, p) }

// Produce runs every producer once.
func (w *Worker) Produce(ctx context.Context) error {
	for _, p := range w.producers {
		if _, err := p(ctx); err != nil {
			return err
		}
	}
	return nil
}

// NewWorker builds a worker; senders maps each channel to its transport.
func NewWorker(s Store, senders map[Channel]Sender, cfg WorkerConfig, now func() time.Time, log *slog.Logger) *Worker {
	cfg.defaults()
	return &Worker{store: s, senders: senders, cfg: cfg, now: now, log: log}
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	for {
		if err := w.Produce(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("outbox: producing messages failed", "err", err)
		}
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Error("outbox: delivery round failed", "err", err)
		} else if err == nil {
			w.lastRound.Store(w.now().UnixNano())
		}
		if ctx.Err() != nil {
			return nil
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(w.cfg.PollInterval):
			}
		}
	}
}

// RunOnce claims one batch and tries each message once; it returns how
// many it handled.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	now := w.now()
	ms, err := w.store.ClaimMessages(ctx, now, now.Add(w.cfg.Lease), w.cfg.Batch)
	if err != nil {
		return 0, fmt.Errorf("notify: claim: %w", err)
	}
	var pace <-chan time.Time
	if w.cfg.BulkPerSecond > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / w.cfg.BulkPerSecond))
		defer t.Stop()
		pace = t.C
	}
	bulkSent := false
	for i, m := range ms {
		if pace != nil && m.Priority >= PriorityBulk {
			if bulkSent {
				select {
				case <-ctx.Done():
					return i, nil
				case <-pace:
				}
			}
			bulkSent = true
		}
		w.deliver(ctx, m)
	}
	return len(ms), nil
}

func (w *Worker) deliver(ctx context.Context, m Message) {
	sender, ok := w.senders[m.Channel]
	var err error
	if !ok {
		err = fmt.Errorf("%w: no sender configured for %s", ErrPermanent, m.Channel)
	} else {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = sender.Send(sctx, m)
		cancel()
	}
	if err == nil {
		if err := w.store.MarkSent(ctx, m.ID, w.now()); err != nil {
			w.log.Error("outbox: mark sent", "id", m.ID, "err", err)
		}
		return
	}
	attempts := m.Attempts + 1
	final := errors.Is(err, ErrPermanent) || attempts >= w.cfg.MaxAttempts
	next := w.now().Add(w.backoff(attempts))
	w.log.Warn("outbox: delivery failed", "id", m.ID, "channel", m.Channel, "attempt", attempts, "final", final, "err", err)
	if err := w.store.MarkRetry(ctx, m.ID, attempts, next, truncate(err.Error(), 500), final); err != nil {
		w.log.Error("outbox: mark retry", "id", m.ID, "err", err)
	}
}

// backoff doubles from BaseBackoff up to MaxBackoff, with ±20% jitter so
// many failed messages do not retry in lockstep.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.cfg.BaseBackoff << min(attempts-1, 20)
	if d > w.cfg.MaxBackoff || d <= 0 {
		d = w.cfg.MaxBackoff
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Ping reports the worker unhealthy when it has not completed a delivery
// round for a minute beyond its poll interval (a stuck database, a
// crashed loop): /readyz then fails and the instance is taken out of
// rotation. Before its first round it is healthy.
func (w *Worker) Ping(ctx context.Context) error {
	last := w.lastRound.Load()
	if last == 0 {
		return nil
	}
	if age := w.now().Sub(time.Unix(0, last)); age > w.cfg.PollInterval+time.Minute {
		return fmt.Errorf("outbox worker: no delivery round for %s", age.Round(time.Second))
	}
	return nil
}
