package ident

import "strings"

// NSS is a Número de Seguridad Social: 11 digits, SS YY BB CCCC D —
// subdelegación, affiliation year, birth year, consecutive, check digit
// (domain.md §1.1).
type NSS struct{ s string }

// ParseNSS normalises and checks an NSS; the check digit is strict.
func ParseNSS(s string) (NSS, error) {
	n, err := Normalize(s)
	if err != nil {
		return NSS{}, fail("NSS", err)
	}
	for _, r := range n {
		if !isDigit(r) {
			return NSS{}, fail("NSS", ErrCharset)
		}
	}
	if len(n) != 11 {
		return NSS{}, fail("NSS", ErrLength)
	}
	dv, _ := NSSCheckDigit(n[:10])
	if n[10] != dv {
		return NSS{}, fail("NSS", ErrCheckDigit)
	}
	return NSS{n}, nil
}

// NSSCheckDigit computes the check digit of the first ten digits: Luhn
// (weights 1,2,1,2… from the left, doubled products above 9 reduced by 9).
func NSSCheckDigit(first10 string) (byte, error) {
	if len(first10) != 10 {
		return 0, fail("NSS", ErrLength)
	}
	sum := 0
	for i := 0; i < 10; i++ {
		c := first10[i]
		if c < '0' || c > '9' {
			return 0, fail("NSS", ErrCharset)
		}
		d := int(c - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10), nil
}

// String is the canonical 11 digits.
func (n NSS) String() string { return n.s }

// IsZero reports whether n is the zero value.
func (n NSS) IsZero() bool { return n.s == "" }

// Masked hides all but the last four digits: "*******4431".
func (n NSS) Masked() string {
	if len(n.s) != 11 {
		return ""
	}
	return strings.Repeat("*", 7) + n.s[7:]
}

// Subdelegacion is the IMSS office of first registration, two digits.
func (n NSS) Subdelegacion() string { return n.s[0:2] }

// AffiliationYY is the last two digits of the year of first affiliation.
func (n NSS) AffiliationYY() int { return int(n.s[2]-'0')*10 + int(n.s[3]-'0') }

// BirthYY is the last two digits of the birth year.
func (n NSS) BirthYY() int { return int(n.s[4]-'0')*10 + int(n.s[5]-'0') }

// AffiliationYear resolves the two-digit affiliation year to the latest
// year not after maxYear (pass the current year): IMSS numbers carry no
// century, and nobody is affiliated in the future.
func (n NSS) AffiliationYear(maxYear int) int { return resolveYY(n.AffiliationYY(), maxYear) }

// BirthYear resolves the two-digit birth year the same way.
func (n NSS) BirthYear(maxYear int) int { return resolveYY(n.BirthYY(), maxYear) }

func resolveYY(yy, maxYear int) int {
	y := maxYear - maxYear%100 + yy
	if y > maxYear {
		y -= 100
	}
	return y
}
