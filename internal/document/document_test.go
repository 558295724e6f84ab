package document

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"

	"micuenta/internal/portal"
)

func TestNewFolio(t *testing.T) {
	// All-zero and all-one bits give the alphabet's ends.
	if f, _ := NewFolio(bytes.NewReader(make([]byte, 13))); f != "0000-0000-0000-0000-0000" {
		t.Errorf("zeros: %s", f)
	}
	if f, _ := NewFolio(bytes.NewReader(bytes.Repeat([]byte{0xff}, 13))); f != "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ" {
		t.Errorf("ones: %s", f)
	}
	// 0x08 = 00001 000…: the first symbol is 1, the rest 0.
	if f, _ := NewFolio(bytes.NewReader(append([]byte{0x08}, make([]byte, 12)...))); f != "1000-0000-0000-0000-0000" {
		t.Errorf("one bit: %s", f)
	}
	if _, err := NewFolio(bytes.NewReader(make([]byte, 5))); err == nil {
		t.Error("a short read gave a folio")
	}
	seen := map[string]bool{}
	for range 2000 {
		f, err := NewFolio(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if len(f) != 24 || seen[f] {
			t.Fatalf("folio %q (len %d, repeated %v)", f, len(f), seen[f])
		}
		seen[f] = true
		if back, err := ParseFolio(f); err != nil || back != f {
			t.Fatalf("ParseFolio(%q) = %q, %v", f, back, err)
		}
	}
}

func TestParseFolio(t *testing.T) {
	const want = "7K2Q-M9XA-RT8H-ZP3W-N6C1"
	for _, typed := range []string{want, "7k2q-m9xa-rt8h-zp3w-n6c1", "7K2QM9XART8HZP3WN6C1", " 7K2Q M9XA RT8H ZP3W N6CI ", "7K2Q-M9XA-RT8H-ZP3W-N6CL"} {
		if got, err := ParseFolio(typed); err != nil || got != want {
			t.Errorf("%q: %q, %v", typed, got, err)
		}
	}
	if got, _ := ParseFolio("O000-0000-0000-0000-0000"); got != "0000-0000-0000-0000-0000" {
		t.Errorf("O for zero: %q", got)
	}
	for _, bad := range []string{"", "7K2Q", want + "X", "7K2Q-M9XA-RT8H-ZP3W-N6CU", "7K2Q-M9XA-RT8H-ZP3W-N6C?", "ÑK2Q-M9XA-RT8H-ZP3W-N6C1", "../../etc/passwd", "EDC-1512345678-202611"} {
		if _, err := ParseFolio(bad); portal.ErrorCode(err) != portal.EINVALID {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{
		"JUAN PÉREZ LÓPEZ":     "J*** P*** L***",
		"Ángela  Núñez":        "Á*** N***",
		"MARÍA DE LOS ÁNGELES": "M*** D*** L*** Á***",
		"":                     "",
	} {
		if got := MaskName(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestParseSHA256(t *testing.T) {
	const hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	for _, typed := range []string{hex, strings.ToUpper(hex), " " + hex[:32] + " " + hex[32:] + "\n", "9F:86" + hex[4:]} {
		if b, err := ParseSHA256(typed); err != nil || len(b) != 32 || b[0] != 0x9f {
			t.Errorf("%q: %v", typed, err)
		}
	}
	for _, bad := range []string{"", hex[:63], hex + "0", "zz" + hex[2:], "sha256:" + hex} {
		if _, err := ParseSHA256(bad); portal.ErrorCode(err) != portal.EINVALID {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestExpired(t *testing.T) {
	d := Issued{ValidUntil: portal.NewDate(2027, 5, 31)}
	if d.Expired(portal.NewDate(2027, 5, 31)) || !d.Expired(portal.NewDate(2027, 6, 1)) {
		t.Error("validity through its last day")
	}
	if (&Issued{}).Expired(portal.NewDate(2100, 1, 1)) {
		t.Error("a document without expiry expired")
	}
}
