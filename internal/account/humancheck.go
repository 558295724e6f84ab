package account

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// The registration's human check ("dato de seguridad") asks no puzzle of
// the person (WCAG 2.2 SC 3.3.8): their browser proves some work instead —
// it finds a counter whose SHA-256 with the server's signed challenge
// starts with PowBits zero bits, about 16,000 hashes, a second or two on a
// cheap phone and a real cost to a bot registering by the thousand.
// Without JavaScript the form is accepted when it was served at least
// PowMinAge earlier and its hidden trap field is empty, under a tighter
// per-address limit.
const (
	PowBits   = 14
	PowMaxAge = 30 * time.Minute
	PowMinAge = 3 * time.Second
)

// HumanCheck issues and verifies challenges, signed so the server keeps no
// state until one is spent.
type HumanCheck struct {
	key []byte
	now func() time.Time
}

// NewHumanCheck builds the check with its signing key.
func NewHumanCheck(key []byte, now func() time.Time) *HumanCheck {
	return &HumanCheck{key: key, now: now}
}

// Challenge returns a new signed challenge: "unix-seconds.nonce.signature".
func (h *HumanCheck) Challenge() string {
	nonce := make([]byte, 12)
	_, _ = rand.Read(nonce)
	body := strconv.FormatInt(h.now().Unix(), 10) + "." + base64.RawURLEncoding.EncodeToString(nonce)
	return body + "." + h.sign(body)
}

func (h *HumanCheck) sign(body string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("human-check\x00" + body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// Verdict says how a form passed the check.
type Verdict int

// Verdicts.
const (
	Failed     Verdict = iota
	ByWork             // the browser did the work
	ByPatience         // no JavaScript: old enough, trap empty
)

// Verify checks a submitted challenge with the browser's counter (empty
// without JavaScript) and the trap field. It returns the challenge's nonce
// so the caller can make sure it is spent only once.
func (h *HumanCheck) Verify(challenge, counter, trap string) (Verdict, string) {
	parts := strings.Split(challenge, ".")
	if len(parts) != 3 || len(challenge) > 200 || trap != "" {
		return Failed, ""
	}
	body := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(parts[2]), []byte(h.sign(body))) {
		return Failed, ""
	}
	issued, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return Failed, ""
	}
	age := h.now().Sub(time.Unix(issued, 0))
	if age < 0 || age > PowMaxAge {
		return Failed, ""
	}
	if counter == "" {
		if age < PowMinAge {
			return Failed, ""
		}
		return ByPatience, parts[1]
	}
	if len(counter) > 12 || !WorkDone(challenge, counter, PowBits) {
		return Failed, ""
	}
	return ByWork, parts[1]
}

// WorkDone reports whether SHA-256(challenge + ":" + counter) starts with
// at least n zero bits. The browser's script does the same computation.
func WorkDone(challenge, counter string, n int) bool {
	sum := sha256.Sum256([]byte(challenge + ":" + counter))
	zeros := 0
	for i := 0; i < len(sum); i += 8 {
		w := binary.BigEndian.Uint64(sum[i:])
		if w == 0 {
			zeros += 64
			continue
		}
		zeros += bits.LeadingZeros64(w)
		break
	}
	return zeros >= n
}

// SolveWork finds a counter the slow way; tests and the load generator
// use it as a browser would.
func SolveWork(challenge string, n int) string {
	for i := 0; ; i++ {
		c := fmt.Sprint(i)
		if WorkDone(challenge, c, n) {
			return c
		}
	}
}
