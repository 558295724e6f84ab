package account

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"
)

// One-time codes (issue 4): 6 digits from a CSPRNG, stored only as a keyed
// hash, single use, bound to the flow and purpose that asked for them,
// valid 10 minutes, void after 5 wrong entries, and a new code voids the
// previous one.
const (
	CodeDigits      = 6
	CodeTTL         = 10 * time.Minute
	CodeMaxAttempts = 5
	// CodeSendsPerWindow codes at most may be sent per flow and purpose in
	// CodeSendWindow.
	CodeSendsPerWindow = 5
	CodeSendWindow     = 15 * time.Minute
)

// NewCode draws a uniformly random 6-digit code.
func NewCode() string {
	var b [8]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic("account: no randomness: " + err.Error())
		}
		// Rejection sampling keeps every code equally likely.
		v := binary.BigEndian.Uint64(b[:])
		const limit = ^uint64(0) - ^uint64(0)%1_000_000
		if v < limit {
			return fmt.Sprintf("%06d", v%1_000_000)
		}
	}
}

// HashCode binds a code to its flow and purpose with a server key, so a
// leaked table reveals no code and a code cannot be replayed elsewhere.
func HashCode(key []byte, flowID, purpose, code string) []byte {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "%s\x00%s\x00%s", flowID, purpose, code)
	return m.Sum(nil)
}

// CodeMatches compares in constant time.
func CodeMatches(key []byte, flowID, purpose, code string, stored []byte) bool {
	return hmac.Equal(HashCode(key, flowID, purpose, code), stored)
}
