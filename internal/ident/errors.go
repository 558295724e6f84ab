// Package ident parses and checks the three identifiers every trámite
// starts from — NSS (IMSS), CURP (RENAPO) and RFC (SAT) — exactly as the
// issuing authorities define them (domain.md §1), and derives from a
// person's name and birth date what their CURP and RFC should begin with,
// to catch typos; and the CLABE a refund is deposited to. It is pure: no
// I/O, standard library only.
package ident

import (
	"errors"
	"fmt"
)

// Why an identifier was refused; test with errors.Is.
var (
	ErrLength     = errors.New("wrong length")
	ErrCharset    = errors.New("character outside the identifier's alphabet")
	ErrFormat     = errors.New("characters in the wrong places")
	ErrDate       = errors.New("the date in it does not exist")
	ErrState      = errors.New("unknown state code")
	ErrSex        = errors.New("unknown sex code")
	ErrWord       = errors.New("its first letters form an inconvenient word, which the authority never assigns")
	ErrCheckDigit = errors.New("the check digit does not match")
)

// ParseError says which identifier failed and why. It never holds the
// input itself: identifiers are personal data and errors end up in logs.
type ParseError struct {
	Kind string // "NSS", "CURP", "RFC" or "CLABE"
	Err  error  // one of the sentinel errors above
}

func (e *ParseError) Error() string { return fmt.Sprintf("ident: %s: %v", e.Kind, e.Err) }

// Unwrap lets errors.Is find the sentinel.
func (e *ParseError) Unwrap() error { return e.Err }

func fail(kind string, err error) error { return &ParseError{Kind: kind, Err: err} }
