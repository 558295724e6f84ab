package portal

import (
	"context"
	"time"
)

// Clock tells the time. Services take a Clock instead of calling time.Now so
// tests can move time (code expiry, session time-outs, due dates).
type Clock interface{ Now() time.Time }

// SystemClock is the real clock, in UTC.
type SystemClock struct{}

// Now returns the current instant in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// TxRunner runs fn inside one database transaction: every store call made
// with the ctx that fn receives joins it, and it commits only if fn returns
// nil. Services use it so that a change, its audit entry and its outbox
// message commit together.
type TxRunner interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}
