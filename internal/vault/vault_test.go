package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

func key(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpenRoundTrip(t *testing.T) {
	v, err := New(key(t), nil, key(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"", "GODE561231GR8", "josé.muñoz@correo.mx"} {
		sealed := v.Seal("person.rfc", s)
		if bytes.Contains(sealed, []byte(s)) && s != "" {
			t.Fatalf("sealed value contains the plaintext")
		}
		got, err := v.Open("person.rfc", sealed)
		if err != nil || got != s {
			t.Fatalf("Open = %q, %v; want %q", got, err, s)
		}
	}
}

func TestSealIsRandomised(t *testing.T) {
	v, _ := New(key(t), nil, key(t))
	if bytes.Equal(v.Seal("c", "x"), v.Seal("c", "x")) {
		t.Fatal("two seals of the same value are equal: nonce reuse")
	}
}

func TestOpenRefusesOtherContextAndTampering(t *testing.T) {
	v, _ := New(key(t), nil, key(t))
	sealed := v.Seal("person.nss", "92919084431")
	if _, err := v.Open("person.curp", sealed); !errors.Is(err, ErrOpen) {
		t.Fatalf("open in another context: err = %v, want ErrOpen", err)
	}
	bad := append([]byte(nil), sealed...)
	bad[len(bad)-1] ^= 1
	if _, err := v.Open("person.nss", bad); !errors.Is(err, ErrOpen) {
		t.Fatalf("open tampered: err = %v, want ErrOpen", err)
	}
	for _, short := range [][]byte{nil, {1}, sealed[:headerLen]} {
		if _, err := v.Open("person.nss", short); !errors.Is(err, ErrOpen) {
			t.Fatalf("open short %d bytes: err = %v", len(short), err)
		}
	}
}

func TestRotation(t *testing.T) {
	oldKey, newKey, lk := key(t), key(t), key(t)
	before, _ := New(oldKey, nil, lk)
	sealed := before.Seal("c", "secreto")

	after, _ := New(newKey, [][]byte{oldKey}, lk)
	got, err := after.Open("c", sealed)
	if err != nil || got != "secreto" {
		t.Fatalf("rotated vault cannot read old value: %q %v", got, err)
	}
	if !after.NeedsReseal(sealed) {
		t.Fatal("value sealed with the retired key should need resealing")
	}
	if after.NeedsReseal(after.Seal("c", "x")) {
		t.Fatal("fresh value should not need resealing")
	}
	withoutOld, _ := New(newKey, nil, lk)
	if _, err := withoutOld.Open("c", sealed); !errors.Is(err, ErrOpen) {
		t.Fatalf("vault without the old key opened it: %v", err)
	}
	if !bytes.Equal(before.Index("c", "x"), after.Index("c", "x")) {
		t.Fatal("lookup hash changed with the data key")
	}
}

func TestIndex(t *testing.T) {
	v, _ := New(key(t), nil, key(t))
	a, b := v.Index("nss", "92919084431"), v.Index("nss", "92919084431")
	if !bytes.Equal(a, b) || len(a) != IndexLen {
		t.Fatal("index not deterministic or wrong length")
	}
	if bytes.Equal(a, v.Index("curp", "92919084431")) {
		t.Fatal("index ignores the context")
	}
	other, _ := New(key(t), nil, key(t))
	if bytes.Equal(a, other.Index("nss", "92919084431")) {
		t.Fatal("index does not depend on the lookup key")
	}
}

func TestNewRejectsBadKeys(t *testing.T) {
	if _, err := New(make([]byte, 16), nil, key(t)); err == nil {
		t.Fatal("16-byte data key accepted")
	}
	if _, err := New(key(t), nil, nil); err == nil {
		t.Fatal("missing lookup key accepted")
	}
}
