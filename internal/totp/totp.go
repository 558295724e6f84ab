// Package totp implements time-based one-time passwords (RFC 6238) for the
// operators' back office, where a second factor is mandatory.
//
// The parameters are fixed at what every authenticator app supports without
// asking: HMAC-SHA1, 6 digits, 30-second steps, 20-byte secrets. Making
// them configurable would only create enrolments that some phones cannot
// follow.
//
// Enrolment shows the secret both as a QR code of the otpauth:// key URI
// (URI, QRPNG) and as text for people to type (EncodeGrouped). Sign-in
// checks a code with Verify, which also refuses codes already used: the
// caller stores the step Verify returns and passes it back next time.
package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode"
)

const (
	// SecretSize is the length of a secret from NewSecret: 160 bits, the
	// size RFC 4226 recommends and the HMAC-SHA1 output size.
	SecretSize = 20
	// Digits is the length of a code.
	Digits = 6
	// Period is the length of a time step in seconds.
	Period = 30
	// MinSecretSize is the shortest secret Verify accepts (RFC 4226 requires
	// at least 128 bits). It guards against a truncated or empty stored
	// secret quietly turning into a factor anyone can compute.
	MinSecretSize = 16
	// drift is how many steps either side of the current one Verify accepts,
	// to tolerate phone clocks that are off by up to a step and codes typed
	// just as they rolled over.
	drift = 1
)

// b32 is the encoding authenticator apps expect: the RFC 4648 alphabet,
// upper case, no padding.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a new random secret of SecretSize bytes.
func NewSecret() ([]byte, error) {
	s := make([]byte, SecretSize)
	if _, err := rand.Read(s); err != nil {
		return nil, err
	}
	return s, nil
}

// Encode returns secret as unpadded upper-case base32, the form the key
// URI and authenticator apps use.
func Encode(secret []byte) string {
	return b32.EncodeToString(secret)
}

// EncodeGrouped returns Encode(secret) in groups of four characters
// separated by spaces, because people typing 32 characters into a phone
// lose their place without them. Decode accepts this form.
func EncodeGrouped(secret []byte) string {
	s := Encode(secret)
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// Decode parses a base32 secret as people and other systems write it:
// white space and hyphens anywhere (group separators), lower case, with or
// without padding. An empty secret is an error, since it would make every
// code predictable.
//
// Beyond that it is strict. The standard library's unpadded decoder drops
// an incomplete final group of characters without complaint ("ABC" decodes
// to nothing), so a key typed with a character missing would quietly
// become a different secret and the enrolment would fail later, with no
// hint why. Decode therefore insists that the input is exactly the
// encoding of what it decodes to.
func Decode(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r) || r == '-':
			return -1
		case 'a' <= r && r <= 'z':
			// ASCII only: unicode.ToUpper would turn "ı" into "I" and "ſ"
			// into "S", accepting characters no app ever shows.
			return r - 'a' + 'A'
		}
		return r
	}, s)
	clean = strings.TrimRight(clean, "=")
	if clean == "" {
		return nil, errors.New("totp: empty secret")
	}
	secret, err := b32.DecodeString(clean)
	if err != nil || len(secret) == 0 || b32.EncodeToString(secret) != clean {
		return nil, errors.New("totp: secret is not valid base32")
	}
	return secret, nil
}

// Step returns the RFC 6238 time step that t falls in (Unix time / 30).
func Step(t time.Time) int64 {
	return t.Unix() / Period
}

// Code returns the 6-digit code for secret at time t, zero-padded.
func Code(secret []byte, t time.Time) string {
	return hotp(secret, uint64(Step(t)), Digits)
}

// Verify reports whether code is valid for secret at time t. It accepts the
// code of t's step or of one step either side, but only for a step greater
// than lastStep, so that a code seen once (over a shoulder, in a proxy log,
// or submitted twice) cannot sign anyone in again. On success it returns
// the matched step, which the caller must store as the new lastStep; for an
// account that has never verified a code, pass 0.
//
// Spaces in code are ignored ("123 456"); anything that is not then exactly
// six ASCII digits is refused.
func Verify(secret []byte, code string, t time.Time, lastStep int64) (step int64, ok bool) {
	if len(secret) < MinSecretSize {
		return 0, false
	}
	c, valid := normalizeCode(code)
	if !valid {
		return 0, false
	}
	now := Step(t)
	// Every candidate step is computed and compared, rather than stopping at
	// the first match, so the time taken does not depend on which step (if
	// any) matched. If two steps happen to share a code, the later one is
	// returned, which refuses more replays rather than fewer.
	for d := int64(-drift); d <= drift; d++ {
		s := now + d
		match := subtle.ConstantTimeCompare([]byte(hotp(secret, uint64(s), Digits)), []byte(c)) == 1
		if match && s > lastStep {
			step, ok = s, true
		}
	}
	return step, ok
}

// normalizeCode removes spaces from code and reports whether what remains
// is exactly Digits ASCII digits. Only ASCII digits count: unicode.IsDigit
// would let other scripts' digits through, which never equal a real code
// and only widen what reaches the comparison.
func normalizeCode(code string) (string, bool) {
	c := strings.ReplaceAll(code, " ", "")
	if len(c) != Digits {
		return "", false
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return "", false
		}
	}
	return c, true
}

// hotp is the RFC 4226 HOTP value of secret at counter, as a zero-padded
// decimal string of the given length (at most 9, so the modulus fits). It
// takes the number of digits so that the RFC's 8-digit test vectors can be
// checked directly.
func hotp(secret []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	// Dynamic truncation (RFC 4226 section 5.3): the low nibble of the last
	// byte picks four bytes; the top bit is dropped so the value is the same
	// whether read as signed or unsigned.
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	v %= mod
	out := make([]byte, digits)
	for i := digits - 1; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return string(out)
}

// URI returns the otpauth:// key URI for secret in Google Authenticator's
// Key Uri Format, which every common app reads from a QR code:
//
//	otpauth://totp/Issuer:account?algorithm=SHA1&digits=6&issuer=Issuer&period=30&secret=...
//
// The issuer appears both in the label (older apps read only that) and as
// a parameter (newer apps prefer it). With an empty issuer the label is
// just the account and the parameter is left out.
func URI(issuer, account string, secret []byte) string {
	label := escapeLabelPart(account)
	if issuer != "" {
		label = escapeLabelPart(issuer) + ":" + label
	}
	q := url.Values{}
	q.Set("secret", Encode(secret))
	if issuer != "" {
		q.Set("issuer", issuer)
	}
	q.Set("algorithm", "SHA1")
	q.Set("digits", "6")
	q.Set("period", "30")
	// url.Values writes a space as "+", which several authenticator apps
	// show literally ("Mi+Cuenta"); the format asks for RFC 3986 encoding,
	// so spaces become %20. A literal "+" was already escaped as %2B, so
	// every "+" left is a space.
	query := strings.ReplaceAll(q.Encode(), "+", "%20")
	return "otpauth://totp/" + label + "?" + query
}

// labelEscaper escapes what url.PathEscape leaves alone but apps misread
// in a label: a colon inside the issuer or account would be taken as the
// separator between them, and some apps decode "+" as a space (as in a
// query), which would change an e-mail address such as ana+ops@example.mx.
var labelEscaper = strings.NewReplacer(":", "%3A", "+", "%2B")

// escapeLabelPart escapes one side of the label.
func escapeLabelPart(s string) string {
	return labelEscaper.Replace(url.PathEscape(s))
}
