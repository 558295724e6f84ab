package ident

import (
	"strings"
	"time"
)

// RFC is a Registro Federal de Contribuyentes: 13 characters for a person
// (persona física), 12 for a company (persona moral) (domain.md §1.3).
type RFC struct{ s string }

// The generic RFCs SAT uses for the public at large and for foreigners.
// They parse, and IsGeneric reports them, because registration must refuse
// them while invoices and records legitimately carry them.
const (
	RFCPublicoGeneral = "XAXX010101000"
	RFCExtranjero     = "XEXX010101000"
)

const rfcAlphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"

var rfcValue = alphabetValues(rfcAlphabet)

// ParseRFC normalises and checks an RFC. A wrong check digit still returns
// the parsed RFC, with an error wrapping ErrCheckDigit: about 1.5% of RFCs
// in real use fail it, so callers that trust the fund's own records may
// accept it. Every other failure returns the zero RFC.
func ParseRFC(s string) (RFC, error) {
	n, err := Normalize(s)
	if err != nil {
		return RFC{}, fail("RFC", err)
	}
	if n == RFCPublicoGeneral || n == RFCExtranjero {
		return RFC{n}, nil
	}
	rs := []rune(n)
	if len(rs) != 12 && len(rs) != 13 {
		return RFC{}, fail("RFC", ErrLength)
	}
	letters := len(rs) - 9
	for i, r := range rs {
		var ok bool
		switch {
		case i < letters:
			ok = isLetter(r) || r == '&'
		case i < letters+6:
			ok = isDigit(r)
		case i == letters+6: // homoclave, first: [1-9A-V]
			ok = r >= '1' && r <= '9' || r >= 'A' && r <= 'V'
		case i == letters+7: // homoclave, second: [1-9A-Z]
			ok = r >= '1' && r <= '9' || r >= 'A' && r <= 'Z'
		default: // check digit: [0-9A]
			ok = isDigit(r) || r == 'A'
		}
		if !ok {
			return RFC{}, fail("RFC", ErrFormat)
		}
	}
	yymmdd := string(rs[letters : letters+6])
	if _, ok := civilDate(1900, yymmdd); !ok {
		if _, ok := civilDate(2000, yymmdd); !ok {
			return RFC{}, fail("RFC", ErrDate)
		}
	}
	if letters == 4 && rfcWords[string(rs[:4])] {
		return RFC{}, fail("RFC", ErrWord)
	}
	dv, _ := RFCCheckDigit(string(rs[:len(rs)-1]))
	if byte(rs[len(rs)-1]) != dv {
		return RFC{n}, fail("RFC", ErrCheckDigit)
	}
	return RFC{n}, nil
}

// RFCCheckDigit computes the last character from the first 12 (física) or
// 11 (moral, padded with a leading space): values from
// 0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ␠Ñ, weights 13 down to 2,
// digit = 11 − sum mod 11, with 11 → '0' and 10 → 'A'.
func RFCCheckDigit(first string) (byte, error) {
	rs := []rune(first)
	if len(rs) == 11 {
		rs = append([]rune{' '}, rs...)
	}
	if len(rs) != 12 {
		return 0, fail("RFC", ErrLength)
	}
	sum := 0
	for i, r := range rs {
		v, ok := rfcValue[r]
		if !ok {
			return 0, fail("RFC", ErrCharset)
		}
		sum += v * (13 - i)
	}
	switch dv := 11 - sum%11; dv {
	case 11:
		return '0', nil
	case 10:
		return 'A', nil
	default:
		return byte('0' + dv), nil
	}
}

// String is the canonical form.
func (r RFC) String() string { return r.s }

// IsZero reports whether r is the zero value.
func (r RFC) IsZero() bool { return r.s == "" }

// IsGeneric reports the generic RFCs for the public and for foreigners.
func (r RFC) IsGeneric() bool { return r.s == RFCPublicoGeneral || r.s == RFCExtranjero }

// IsMoral reports a company's RFC (12 characters).
func (r RFC) IsMoral() bool { return len([]rune(r.s)) == 12 }

// Masked keeps the letters' first part and the homoclave: GODE******GR8.
func (r RFC) Masked() string {
	rs := []rune(r.s)
	if len(rs) < 12 {
		return ""
	}
	letters := len(rs) - 9
	return string(rs[:letters]) + strings.Repeat("*", 6) + string(rs[letters+6:])
}

// Date is the date in the RFC (birth or incorporation). An RFC carries no
// century: two-digit years up to 29 are read as 20xx, the rest as 19xx.
func (r RFC) Date() time.Time {
	rs := []rune(r.s)
	letters := len(rs) - 9
	yymmdd := string(rs[letters : letters+6])
	century := 1900
	if yy := int(yymmdd[0]-'0')*10 + int(yymmdd[1]-'0'); yy <= 29 {
		century = 2000
	}
	t, ok := civilDate(century, yymmdd)
	if !ok {
		t, _ = civilDate(3900-century, yymmdd)
	}
	return t
}
