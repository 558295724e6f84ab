package totp

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// FuzzVerify checks that Verify never panics on any secret, code, time or
// lastStep, and that whatever it accepts obeys its contract.
func FuzzVerify(f *testing.F) {
	f.Add(rfcSecret, "287082", int64(59), int64(0))
	f.Add(rfcSecret, "081 804", int64(1111111109), int64(0))
	f.Add(rfcSecret, "081804", int64(1111111109), int64(0x23523EC))
	f.Add([]byte{}, "", int64(0), int64(-1))
	f.Add(rfcSecret, "１２３４５６", int64(-1<<63), int64(1<<63-1))
	f.Add(rfcSecret, "000000", int64(1<<63-1), int64(-1<<63))
	f.Fuzz(func(t *testing.T, secret []byte, code string, unix, lastStep int64) {
		now := time.Unix(unix, 0)
		step, ok := Verify(secret, code, now, lastStep)
		if !ok {
			return
		}
		s := Step(now)
		if step <= lastStep {
			t.Fatalf("accepted step %d not after lastStep %d", step, lastStep)
		}
		if step < s-drift || step > s+drift {
			t.Fatalf("accepted step %d outside %d±%d", step, s, drift)
		}
		if got, want := strings.ReplaceAll(code, " ", ""), hotp(secret, uint64(step), Digits); got != want {
			t.Fatalf("accepted %q for step %d whose code is %s", code, step, want)
		}
		if _, again := Verify(secret, code, now, step); again && hotp(secret, uint64(step+1), Digits) != hotp(secret, uint64(step), Digits) {
			t.Fatalf("code %q accepted again after step %d was stored", code, step)
		}
	})
}

// FuzzDecode checks that Decode never panics and that whatever it accepts
// survives a round trip through both encodings.
func FuzzDecode(f *testing.F) {
	f.Add("ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567")
	f.Add("gezdgnbvgy3tqojqgezdgnbvgy3tqojq")
	f.Add("MZXW6===")
	f.Add("")
	f.Add("=\u00a0-")
	f.Add("ı") // dotless i upper-cases to I, which is base32
	f.Fuzz(func(t *testing.T, s string) {
		secret, err := Decode(s)
		if err != nil {
			return
		}
		if len(secret) == 0 {
			t.Fatalf("Decode(%q) accepted an empty secret", s)
		}
		for _, enc := range []string{Encode(secret), EncodeGrouped(secret)} {
			back, err := Decode(enc)
			if err != nil || !bytes.Equal(back, secret) {
				t.Fatalf("Decode(%q) = %x; round trip via %q gave %x, %v", s, secret, enc, back, err)
			}
		}
	})
}
