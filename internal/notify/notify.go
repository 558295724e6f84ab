// Package notify owns the messages the portal sends people: an outbox in
// the database (so a message commits with the change that caused it and
// survives a crash), the e-mail (SMTP) and SMS (HTTP gateway) channels, and
// the worker that delivers with retries and back-off. Codes go before
// notices. In demo mode nothing leaves the machine: messages are only
// kept, and /dev/buzon shows them.
package notify

import (
	"context"
	"errors"
	"time"
)

// Channel names how a message travels.
type Channel string

// The channels.
const (
	Email Channel = "email"
	SMS   Channel = "sms"
)

// Priorities: lower goes first.
const (
	PriorityCode   = 0 // one-time codes: someone is waiting at the screen
	PriorityNotice = 1 // security and trámite notices
	PriorityBulk   = 2 // contribution notices and other mass mailings
)

// Message states.
const (
	StatePending = "pending"
	StateSending = "sending"
	StateSent    = "sent"
	StateFailed  = "failed"
)

// Message is one e-mail or SMS.
type Message struct {
	ID       int64
	Channel  Channel
	To       string // e-mail address or 10-digit mobile number
	Subject  string // e-mail only
	Body     string // plain text, in Spanish
	Priority int
	// DedupKey, when set, makes enqueueing exactly-once: a second message
	// with the same key is dropped.
	DedupKey  string
	State     string
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    time.Time
}

// Sender delivers one message over one channel.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrPermanent marks a failure that retrying cannot fix (an address the
// server refuses, a number the gateway rejects): the message fails at once.
var ErrPermanent = errors.New("notify: permanent failure")

// Store keeps the outbox.
type Store interface {
	// EnqueueMessages stores messages to send, skipping those whose
	// DedupKey is already present, and returns how many it stored.
	EnqueueMessages(ctx context.Context, ms []Message) (int, error)
	// ClaimMessages leases up to limit due messages to one worker until
	// leaseUntil; a worker that dies releases them when the lease ends.
	ClaimMessages(ctx context.Context, now, leaseUntil time.Time, limit int) ([]Message, error)
	// MarkSent records a delivery.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkRetry records a failed attempt: the message is due again at
	// next, or failed for good when final.
	MarkRetry(ctx context.Context, id int64, attempts int, next time.Time, lastError string, final bool) error
	// RecentMessages lists the newest messages, for the demo mailbox.
	RecentMessages(ctx context.Context, limit int) ([]Message, error)
}

// Outbox enqueues messages. Call Enqueue with the ctx of the transaction
// that makes the change the message tells about.
type Outbox struct{ store Store }

// NewOutbox builds an Outbox.
func NewOutbox(s Store) *Outbox { return &Outbox{store: s} }

// Enqueue stores messages for the worker; see Store.EnqueueMessages.
func (o *Outbox) Enqueue(ctx context.Context, ms ...Message) (int, error) {
	for i := range ms {
		if ms[i].Priority == 0 && ms[i].Channel == "" {
			return 0, errors.New("notify: message without a channel")
		}
	}
	return o.store.EnqueueMessages(ctx, ms)
}

// Recent lists the newest messages (demo mailbox).
func (o *Outbox) Recent(ctx context.Context, limit int) ([]Message, error) {
	return o.store.RecentMessages(ctx, limit)
}
