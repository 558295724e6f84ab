package ident

import (
	"strings"
	"time"
)

// CURP is a Clave Única de Registro de Población: 18 characters
// (domain.md §1.2).
type CURP struct{ s string }

// Sex is the CURP's sex code.
type Sex byte

// Sex codes. X (non-binary) is accepted as domain.md recommends, though its
// official use is uncertain.
const (
	SexHombre    Sex = 'H'
	SexMujer     Sex = 'M'
	SexNoBinario Sex = 'X'
)

// Label is the code's Spanish name.
func (s Sex) Label() string {
	switch s {
	case SexHombre:
		return "Hombre"
	case SexMujer:
		return "Mujer"
	case SexNoBinario:
		return "No binario"
	}
	return ""
}

// curpAlphabet gives each character its value for the check digit.
const curpAlphabet = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"

var curpValue = alphabetValues(curpAlphabet)

func alphabetValues(a string) map[rune]int {
	m := map[rune]int{}
	i := 0
	for _, r := range a {
		m[r] = i
		i++
	}
	return m
}

// ParseCURP normalises and checks a CURP: structure, real birth date
// (century from position 17: a digit means 19xx, a letter 20xx), sex,
// state, inconvenient words and the check digit, all strict.
func ParseCURP(s string) (CURP, error) {
	n, err := Normalize(s)
	if err != nil {
		return CURP{}, fail("CURP", err)
	}
	rs := []rune(n)
	if len(rs) != 18 {
		return CURP{}, fail("CURP", ErrLength)
	}
	for _, r := range rs {
		if r == '&' {
			return CURP{}, fail("CURP", ErrCharset)
		}
	}
	for i, r := range rs {
		var ok bool
		switch {
		case i < 4, i >= 10 && i < 16:
			ok = isLetter(r)
		case i < 10, i == 17:
			ok = isDigit(r)
		case i == 16:
			ok = isDigit(r) || isLetter(r) && r != 'Ñ'
		}
		if !ok {
			return CURP{}, fail("CURP", ErrFormat)
		}
	}
	switch Sex(rs[10]) {
	case SexHombre, SexMujer, SexNoBinario:
	default:
		return CURP{}, fail("CURP", ErrSex)
	}
	if !State(string(rs[11:13])).Valid() {
		return CURP{}, fail("CURP", ErrState)
	}
	century := 1900
	if isLetter(rs[16]) {
		century = 2000
	}
	if _, ok := civilDate(century, string(rs[4:10])); !ok {
		return CURP{}, fail("CURP", ErrDate)
	}
	if curpWords[string(rs[0:4])] {
		return CURP{}, fail("CURP", ErrWord)
	}
	dv, _ := CURPCheckDigit(string(rs[:17]))
	if byte(rs[17]) != dv {
		return CURP{}, fail("CURP", ErrCheckDigit)
	}
	return CURP{n}, nil
}

// CURPCheckDigit computes position 18 from the first 17 characters:
// values from 0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ, weights 18 down to 2,
// digit = (10 − sum mod 10) mod 10.
func CURPCheckDigit(first17 string) (byte, error) {
	rs := []rune(first17)
	if len(rs) != 17 {
		return 0, fail("CURP", ErrLength)
	}
	sum := 0
	for i, r := range rs {
		v, ok := curpValue[r]
		if !ok {
			return 0, fail("CURP", ErrCharset)
		}
		sum += v * (18 - i)
	}
	return byte('0' + (10-sum%10)%10), nil
}

// civilDate reads YYMMDD in a century and reports whether it exists.
func civilDate(century int, yymmdd string) (time.Time, bool) {
	y := century + int(yymmdd[0]-'0')*10 + int(yymmdd[1]-'0')
	m := time.Month(int(yymmdd[2]-'0')*10 + int(yymmdd[3]-'0'))
	d := int(yymmdd[4]-'0')*10 + int(yymmdd[5]-'0')
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t, m >= 1 && m <= 12 && t.Month() == m && t.Day() == d
}

// String is the canonical 18 characters.
func (c CURP) String() string { return c.s }

// IsZero reports whether c is the zero value.
func (c CURP) IsZero() bool { return c.s == "" }

// Masked keeps the first four and last two characters: HEGG************04.
func (c CURP) Masked() string {
	rs := []rune(c.s)
	if len(rs) != 18 {
		return ""
	}
	return string(rs[:4]) + strings.Repeat("*", 12) + string(rs[16:])
}

// BirthDate is the date in positions 5–10, in UTC.
func (c CURP) BirthDate() time.Time {
	rs := []rune(c.s)
	century := 1900
	if isLetter(rs[16]) {
		century = 2000
	}
	t, _ := civilDate(century, string(rs[4:10]))
	return t
}

// Sex is position 11.
func (c CURP) Sex() Sex { return Sex([]rune(c.s)[10]) }

// State is the birth entity, positions 12–13.
func (c CURP) State() State { return State(string([]rune(c.s)[11:13])) }
