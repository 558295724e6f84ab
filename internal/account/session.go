package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"sync/atomic"
	"time"

	"micuenta/internal/ident"
	"micuenta/internal/portal"
)

// Session time-outs (issue 4; NIST SP 800-63B AAL2 allows up to 12 h
// absolute): 15 minutes idle, with a warning two minutes before, and 12
// hours in all, whatever the activity.
const (
	IdleTimeout     = 15 * time.Minute
	IdleWarning     = 2 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	// TouchEvery limits last-seen writes to one per half minute per
	// session: a page that loads ten resources must not write ten times.
	// So the server's idle clock may have started up to this long before
	// a page loaded; the page's warning allows for it.
	TouchEvery = 30 * time.Second
	// TouchFlush is how often a serving process writes the last-seen
	// times it has batched (Sessions.BatchTouches), all in one
	// transaction: another process may see a time up to this much older.
	TouchFlush = 5 * time.Second
)

// Session is a signed-in browser.
type Session struct {
	ID         int64
	TokenHash  []byte
	AccountID  int64
	PersonID   int64  // the account's person, read with the session
	Holder     Holder // and how pages name them
	DeviceID   int64
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end
}

// Holder is the person a session's account belongs to, as signed-in
// pages greet them: full name and NSS (shown masked).
type Holder struct {
	Name string
	NSS  ident.NSS
}

// IdleDeadline is when the session ends if nothing more happens.
func (s *Session) IdleDeadline() time.Time {
	d := s.LastSeenAt.Add(IdleTimeout)
	if d.After(s.ExpiresAt) {
		return s.ExpiresAt
	}
	return d
}

// SessionStore keeps sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session of a token, or ENOTFOUND. It fills
	// in what checking it and greeting the person need (ID, AccountID,
	// PersonID, Holder, DeviceID, LastSeenAt, ExpiresAt), not the token
	// hash, IP, user agent or start, which AccountSessions gives.
	FindSession(ctx context.Context, tokenHash []byte) (*Session, error)
	// TouchSessions records when each session was last seen, in one
	// transaction, never moving a time back.
	TouchSessions(ctx context.Context, seen map[int64]time.Time) error
	DeleteSession(ctx context.Context, id int64) error
	// DeleteAccountSessions ends every session of an account but keepID
	// (0 to end all) and returns how many it ended.
	DeleteAccountSessions(ctx context.Context, accountID, keepID int64) (int, error)
	AccountSessions(ctx context.Context, accountID int64) ([]Session, error)
}

// Sessions starts, checks and ends sessions.
type Sessions struct {
	store SessionStore
	now   func() time.Time
	// touches, once BatchTouches is called, holds the last-seen times not
	// yet written.
	touches atomic.Pointer[touchBatch]
}

// NewSessions builds the session service.
func NewSessions(s SessionStore, now func() time.Time) *Sessions {
	return &Sessions{store: s, now: now}
}

// ErrSessionEnded is what a request with a missing, unknown or timed-out
// session gets: sign in again.
var ErrSessionEnded = portal.Errorf(portal.EUNAUTHORIZED, "Tu sesión terminó. Ingresa de nuevo para continuar.")

// NewToken returns 256 random bits, URL-safe, for cookies.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("account: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenHash is what the database keeps of a token.
func TokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Start opens a session and returns the token for the cookie. Call it
// after a successful sign-in: a fresh token each time is what protects
// against session fixation.
func (ss *Sessions) Start(ctx context.Context, accountID, deviceID int64, ip, userAgent string) (string, *Session, error) {
	token := NewToken()
	now := ss.now().UTC()
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	s := &Session{TokenHash: TokenHash(token), AccountID: accountID, DeviceID: deviceID, IP: ip, UserAgent: userAgent,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(AbsoluteTimeout)}
	if err := ss.store.CreateSession(ctx, s); err != nil {
		return "", nil, err
	}
	return token, s, nil
}

// Check returns the live session of a token and records the activity. An
// idle or expired session is deleted and answers ErrSessionEnded.
func (ss *Sessions) Check(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrSessionEnded
	}
	s, err := ss.store.FindSession(ctx, TokenHash(token))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, ErrSessionEnded
	}
	if err != nil {
		return nil, err
	}
	now := ss.now().UTC()
	b := ss.touches.Load()
	if b != nil {
		if seen, ok := b.latest(s.ID); ok && seen.After(s.LastSeenAt) {
			s.LastSeenAt = seen
		}
	}
	if !now.Before(s.IdleDeadline()) {
		_ = ss.store.DeleteSession(ctx, s.ID)
		return nil, ErrSessionEnded
	}
	if now.Sub(s.LastSeenAt) >= TouchEvery {
		if b != nil {
			b.put(s.ID, now)
		} else if err := ss.store.TouchSessions(ctx, map[int64]time.Time{s.ID: now}); err != nil {
			return nil, err
		}
		s.LastSeenAt = now
	}
	return s, nil
}

// BatchTouches makes Check keep last-seen times in memory until
// FlushTouches writes them together; call FlushTouches every TouchFlush
// and once more after the last request. A serving process touches every
// active session twice a minute, and on SQLite every commit empties each
// reader's page cache (in WAL mode a reader starts afresh whenever the
// database has changed): one commit every few seconds instead of one per
// touch is what lets the readers' caches serve. Until it is called, Check
// writes each touch at once.
func (ss *Sessions) BatchTouches() {
	ss.touches.CompareAndSwap(nil, &touchBatch{pending: map[int64]time.Time{}})
}

// FlushTouches writes the batched last-seen times in one transaction. On
// failure they stay batched for the next call.
func (ss *Sessions) FlushTouches(ctx context.Context) error {
	b := ss.touches.Load()
	if b == nil {
		return nil
	}
	seen := b.take()
	if len(seen) == 0 {
		return nil
	}
	err := ss.store.TouchSessions(ctx, seen)
	b.done(seen, err != nil)
	return err
}

// touchBatch is the last-seen times a process has yet to write: pending
// ones, and those a flush is writing now. Check reads both, so a session
// is never judged idle on a time older than its own process knows.
type touchBatch struct {
	mu      sync.Mutex
	pending map[int64]time.Time
	writing map[int64]time.Time
}

func (b *touchBatch) put(id int64, at time.Time) {
	b.mu.Lock()
	b.pending[id] = at
	b.mu.Unlock()
}

func (b *touchBatch) latest(id int64) (time.Time, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	at, ok := b.pending[id]
	if w, wok := b.writing[id]; wok && (!ok || w.After(at)) {
		at, ok = w, true
	}
	return at, ok
}

// take hands the pending times to a flush, which keeps them visible as
// being written until done.
func (b *touchBatch) take() map[int64]time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.pending
	if len(out) > 0 {
		b.pending, b.writing = map[int64]time.Time{}, out
	}
	return out
}

// done ends a flush; a failed one puts its times back unless a newer one
// was batched meanwhile.
func (b *touchBatch) done(seen map[int64]time.Time, failed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writing = nil
	if !failed {
		return
	}
	for id, at := range seen {
		if cur, ok := b.pending[id]; !ok || at.After(cur) {
			b.pending[id] = at
		}
	}
}

// End signs a session out.
func (ss *Sessions) End(ctx context.Context, id int64) error { return ss.store.DeleteSession(ctx, id) }

// EndOthers ends every other session of the account (after a password
// change, or "cerrar las demás sesiones").
func (ss *Sessions) EndOthers(ctx context.Context, accountID, keepID int64) (int, error) {
	return ss.store.DeleteAccountSessions(ctx, accountID, keepID)
}

// EndAll ends every session of the account (after recovery).
func (ss *Sessions) EndAll(ctx context.Context, accountID int64) (int, error) {
	return ss.store.DeleteAccountSessions(ctx, accountID, 0)
}

// List returns the account's live sessions, newest first.
func (ss *Sessions) List(ctx context.Context, accountID int64) ([]Session, error) {
	all, err := ss.store.AccountSessions(ctx, accountID)
	if err != nil {
		return nil, err
	}
	now := ss.now()
	live := all[:0]
	for _, s := range all {
		if now.Before(s.IdleDeadline()) {
			live = append(live, s)
		}
	}
	return live, nil
}
