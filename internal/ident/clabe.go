package ident

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// CLABE is a Clave Bancaria Estandarizada: the 18 digits every Mexican
// bank account has for interbank transfers (SPEI), BBB PPP CCCCCCCCCCC D —
// the bank's code, the plaza, the account and a check digit. The fund
// deposits refunds (pagos en exceso, the pensioner's savings) only to a
// CLABE in the person's own name (domain.md §9.4, §9.5).
type CLABE struct{ s string }

// ErrBank means the first three digits are no bank's code.
var ErrBank = errors.New("no bank has that code")

// ParseCLABE normalises and checks a CLABE: 18 digits (spaces and dashes
// between groups are forgiven), a known bank code and the check digit.
func ParseCLABE(s string) (CLABE, error) {
	n, err := Normalize(s)
	if err != nil {
		return CLABE{}, fail("CLABE", err)
	}
	for _, r := range n {
		if !isDigit(r) {
			return CLABE{}, fail("CLABE", ErrCharset)
		}
	}
	if len(n) != 18 {
		return CLABE{}, fail("CLABE", ErrLength)
	}
	if _, ok := Banks()[n[:3]]; !ok {
		return CLABE{}, fail("CLABE", ErrBank)
	}
	if dv, _ := CLABECheckDigit(n[:17]); n[17] != dv {
		return CLABE{}, fail("CLABE", ErrCheckDigit)
	}
	return CLABE{n}, nil
}

// CLABECheckDigit computes the 18th digit from the first 17 (Banxico's
// rule): each digit times its weight — 3, 7, 1, repeating from the left —
// keeping only the last digit of each product; the check digit is 10 minus
// the last digit of their sum, and 0 when that is 10.
func CLABECheckDigit(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fail("CLABE", ErrLength)
	}
	weights := [3]int{3, 7, 1}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, fail("CLABE", ErrCharset)
		}
		sum += int(c-'0') * weights[i%3] % 10
	}
	return byte('0' + (10-sum%10)%10), nil
}

// String is the canonical 18 digits.
func (c CLABE) String() string { return c.s }

// IsZero reports whether c is the zero value.
func (c CLABE) IsZero() bool { return c.s == "" }

// BankCode is the first three digits.
func (c CLABE) BankCode() string { return c.s[:3] }

// Bank is the bank's name as people know it.
func (c CLABE) Bank() string { return Banks()[c.s[:3]] }

// Masked hides all but the last four digits, as a page or an e-mail shows
// an account: "**************1234".
func (c CLABE) Masked() string {
	if len(c.s) != 18 {
		return ""
	}
	return strings.Repeat("*", 14) + c.s[14:]
}

// banks.csv lists the SPEI participants' codes (the last three digits of
// Banxico's five-digit participant key are a CLABE's first three). It is
// data: a new bank is a line there, not a code change.
//
//go:embed banks.csv
var banksCSV string

var (
	banksOnce sync.Once
	banks     map[string]string
)

// Banks maps a CLABE's first three digits to the bank's name.
func Banks() map[string]string {
	banksOnce.Do(func() {
		var err error
		if banks, err = parseBanks(banksCSV); err != nil {
			panic(err) // the embedded file is tested
		}
	})
	return banks
}

func parseBanks(text string) (map[string]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("ident: banks.csv: %w", err)
	}
	out := map[string]string{}
	for i, row := range rows {
		if i == 0 {
			continue // header
		}
		if len(row) != 2 || len(row[0]) != 3 || strings.Trim(row[0], "0123456789") != "" || row[1] == "" {
			return nil, fmt.Errorf("ident: banks.csv line %d: want a 3-digit code and a name", i+1)
		}
		if _, dup := out[row[0]]; dup {
			return nil, fmt.Errorf("ident: banks.csv line %d: code %s twice", i+1, row[0])
		}
		out[row[0]] = row[1]
	}
	return out, nil
}
