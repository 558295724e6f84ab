package credit

// Payment references.
//
// A borrower who pays without payroll deduction (domain.md §10.7) quotes a
// reference that says which credit the money is for. A reference that is
// mistyped by one digit, or with two neighbouring digits swapped, must be
// caught when it is typed, not after the money has gone to someone else's
// credit. So the reference carries two check digits.
//
// Format. A reference is exactly 12 decimal digits:
//
//	CCCCCCCCCC KK
//
// where CCCCCCCCCC is the 10-digit credit number (Credit.Number, leading
// zeros kept) and KK are two check digits computed with ISO 7064
// MOD 97-10, the scheme of the IBAN:
//
//  1. Read the credit number as a decimal integer N (0 ≤ N < 10¹⁰).
//  2. Append "00", that is, take N × 100.
//  3. r = (N × 100) mod 97, so 0 ≤ r ≤ 96.
//  4. KK = 98 − r, written with two digits (it is always 02 to 98).
//
// A 12-digit string D is a valid reference when both:
//
//   - D, read as a decimal integer, satisfies D mod 97 = 1, and
//   - its last two digits KK are between 02 and 98.
//
// Every reference built as above passes: D = N×100 + 98 − r ≡ r + 98 − r =
// 98 ≡ 1 (mod 97). The second rule is ISO 7064's (and the IBAN's): when r
// is 0, 1 or 96, a second pair also gives D mod 97 = 1 (01 beside 98, 00
// beside 97, 99 beside 02), and only the pair step 4 produces is accepted,
// so each credit has exactly one reference. Together the two rules are the
// same as recomputing KK from the first ten digits and comparing.
//
// The remainder is computed digit by digit (r ← (10r + d) mod 97 for each
// digit d from the left), which is exact for any length and is how it is
// done by hand.
//
// Why it catches the errors that matter: changing the digit of weight 10ᵏ
// from a to b changes D by (b − a)·10ᵏ; swapping neighbouring digits a, b
// at weights 10ᵏ⁺¹ and 10ᵏ changes D by (a − b)·9·10ᵏ. 97 is prime and
// divides none of 1–9, 9·(1–9) or 10ᵏ, so neither change leaves D mod 97 at
// 1: every single-digit substitution and every adjacent transposition,
// check digits included, is rejected.
//
// Reading. People may group the digits with spaces or hyphens ("1234 5678
// 9012", "1234-5678-9012", "1234567890-92"); ParseReference ignores ASCII
// spaces and hyphens anywhere and white space around the whole reference.
// Any other character is refused, as is any count of digits other than 12,
// before the check digits are looked at. FormatReference prints the
// reference in three groups of four.
//
// Worked examples (digit-by-digit remainders of N × 100):
//
//	credit 1234567890: digits 1 2 3 4 5 6 7 8 9 0 0 0 give remainders
//	1 12 26 70 26 72 48 3 39 2 20 6, so r = 6, KK = 98 − 6 = 92:
//	reference 123456789092 ("1234 5678 9092").
//	credit 0000000001: 100 mod 97 = 3, KK = 95: reference 000000000195.
//	credit 1000000095: r = 96, KK = 02: reference 100000009502.
//	credit 2814005017: r = 0, KK = 98: reference 281400501798.

import (
	"strings"

	"micuenta/internal/portal"
)

// Lengths of a credit number and of a payment reference, in digits.
const (
	CreditNumberLen = 10
	ReferenceLen    = 12
)

// PaymentReference returns the 12-digit payment reference of a credit: its
// 10-digit number followed by two MOD 97-10 check digits. It refuses a
// credit number that is not exactly 10 digits, with no separators.
func PaymentReference(creditNumber string) (string, error) {
	if len(creditNumber) != CreditNumberLen || !onlyASCIIDigits(creditNumber) {
		return "", portal.Errorf(portal.EINVALID, "El número de crédito tiene 10 números.")
	}
	check := 98 - iso7064Mod97(creditNumber+"00")
	return creditNumber + string([]byte{byte('0' + check/10), byte('0' + check%10)}), nil
}

// ParseReference reads a payment reference as a person typed it and
// returns the credit number it identifies. Spaces and hyphens between the
// digits are ignored; it must then be exactly 12 digits whose check digits
// are right. Every error is EINVALID with a message to show as it is.
func ParseReference(s string) (creditNumber string, err error) {
	digits, ok := referenceDigits(s)
	if !ok {
		return "", portal.Errorf(portal.EINVALID, "La referencia solo lleva números; puedes separarlos con espacios o guiones.")
	}
	if len(digits) != ReferenceLen {
		return "", portal.Errorf(portal.EINVALID, "La referencia tiene 12 números; revisa que la copiaste completa.")
	}
	if kk := digits[CreditNumberLen:]; iso7064Mod97(digits) != 1 || kk < "02" || kk > "98" {
		return "", portal.Errorf(portal.EINVALID, "La referencia no es válida: revisa que no hayas cambiado ningún número.")
	}
	return digits[:CreditNumberLen], nil
}

// FormatReference groups a 12-digit reference in fours for reading and
// printing: "1234 5678 9092". Spaces and hyphens in ref are dropped first;
// anything that is then not 12 digits is returned unchanged, so a bad
// value is shown as it is rather than disguised. It does not check the
// check digits.
func FormatReference(ref string) string {
	digits, ok := referenceDigits(ref)
	if !ok || len(digits) != ReferenceLen {
		return ref
	}
	return digits[0:4] + " " + digits[4:8] + " " + digits[8:12]
}

// referenceDigits drops white space around s and spaces and hyphens
// inside it, and reports whether what is left is only ASCII digits.
func referenceDigits(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-':
		default:
			return "", false
		}
	}
	return b.String(), true
}

// iso7064Mod97 returns the decimal number written in digits (ASCII
// digits only) modulo 97, one digit at a time so that any length is exact.
func iso7064Mod97(digits string) int {
	r := 0
	for i := 0; i < len(digits); i++ {
		r = (r*10 + int(digits[i]-'0')) % 97
	}
	return r
}

// onlyASCIIDigits reports whether s is made of the digits 0 to 9 alone.
func onlyASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
