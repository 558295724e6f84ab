// Package vault encrypts personal identifiers and contact data at rest and
// derives the keyed hashes through which they are found. The store seals a
// value before it writes it and opens it after it reads it; nothing else in
// micuenta sees ciphertext.
//
// Sealed values carry the id of the key that sealed them, so the data key
// can rotate: new writes use the current key, reads try the key named in
// the value (current or retired). Lookup hashes use a separate key that
// does not rotate, because changing it means recomputing every index.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"sync"
)

const (
	formatV1  = 1
	keyIDLen  = 4
	nonceLen  = 12
	headerLen = 1 + keyIDLen + nonceLen
	// IndexLen is the length of a lookup hash. 128 bits keep collisions
	// out of reach for any population while halving index size.
	IndexLen = 16
)

// ErrOpen means a sealed value could not be decrypted: unknown key,
// corrupted bytes, or a value moved from another column.
var ErrOpen = errors.New("vault: cannot open sealed value")

// Vault seals and opens values and computes lookup hashes.
type Vault struct {
	current uint32
	aeads   map[uint32]cipher.AEAD
	lookup  []byte

	indexMACs sync.Pool // of hmac.New(sha256.New, lookup)
}

// New builds a vault from the current data key, any retired data keys and
// the lookup key (each 32 bytes).
func New(dataKey []byte, retired [][]byte, lookupKey []byte) (*Vault, error) {
	if len(lookupKey) != 32 {
		return nil, fmt.Errorf("vault: lookup key must be 32 bytes, got %d", len(lookupKey))
	}
	v := &Vault{aeads: map[uint32]cipher.AEAD{}, lookup: append([]byte(nil), lookupKey...)}
	for i, k := range append([][]byte{dataKey}, retired...) {
		if len(k) != 32 {
			return nil, fmt.Errorf("vault: data key %d must be 32 bytes, got %d", i, len(k))
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("vault: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("vault: %w", err)
		}
		id := keyID(k)
		if i == 0 {
			v.current = id
		}
		v.aeads[id] = aead
	}
	return v, nil
}

// NewRandom builds a vault with fresh random keys, for demo mode and tests.
func NewRandom() *Vault {
	dk, lk := make([]byte, 32), make([]byte, 32)
	_, _ = rand.Read(dk)
	_, _ = rand.Read(lk)
	v, _ := New(dk, nil, lk)
	return v
}

func keyID(k []byte) uint32 {
	sum := sha256.Sum256(k)
	return binary.BigEndian.Uint32(sum[:keyIDLen])
}

// Seal encrypts plaintext for the column named by context (for example
// "person.nss"); the context is authenticated, so a value copied into
// another column will not open.
func (v *Vault) Seal(context, plaintext string) []byte {
	out := make([]byte, headerLen, headerLen+len(plaintext)+16)
	out[0] = formatV1
	binary.BigEndian.PutUint32(out[1:], v.current)
	if _, err := rand.Read(out[1+keyIDLen : headerLen]); err != nil {
		panic("vault: no randomness: " + err.Error())
	}
	return v.aeads[v.current].Seal(out, out[1+keyIDLen:headerLen], []byte(plaintext), []byte(context))
}

// Open decrypts a value sealed for the same context.
func (v *Vault) Open(context string, sealed []byte) (string, error) {
	if len(sealed) < headerLen+16 || sealed[0] != formatV1 {
		return "", ErrOpen
	}
	aead, ok := v.aeads[binary.BigEndian.Uint32(sealed[1:])]
	if !ok {
		return "", fmt.Errorf("%w: sealed with a key that is not configured (add it to MICUENTA_RETIRED_DATA_KEYS)", ErrOpen)
	}
	pt, err := aead.Open(nil, sealed[1+keyIDLen:headerLen], sealed[headerLen:], []byte(context))
	if err != nil {
		return "", ErrOpen
	}
	return string(pt), nil
}

// NeedsReseal reports whether a sealed value was made with a retired key,
// so a rotation job can rewrite it with the current one.
func (v *Vault) NeedsReseal(sealed []byte) bool {
	return len(sealed) >= headerLen && binary.BigEndian.Uint32(sealed[1:]) != v.current
}

// Index returns the lookup hash of a canonical value in a context. Equal
// values in the same context give equal hashes; nothing can be learned from
// the hash without the lookup key.
func (v *Vault) Index(context, canonical string) []byte {
	// Imports compute millions of these: a pooled HMAC saves the key
	// set-up and the allocations of each one.
	m, _ := v.indexMACs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, v.lookup)
	}
	m.Reset()
	m.Write([]byte(context))
	m.Write([]byte{0})
	m.Write([]byte(canonical))
	var sum [sha256.Size]byte
	out := m.Sum(sum[:0])[:IndexLen]
	v.indexMACs.Put(m)
	return append([]byte(nil), out...)
}

// DeriveKey returns a 32-byte key for one purpose ("one-time codes",
// "device cookies"), derived from the lookup key, so each purpose has its
// own key without another secret to configure.
func (v *Vault) DeriveKey(purpose string) []byte {
	m := hmac.New(sha256.New, v.lookup)
	m.Write([]byte("micuenta derived key\x00"))
	m.Write([]byte(purpose))
	return m.Sum(nil)
}
