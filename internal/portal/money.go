package portal

import (
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in centavos. Every amount in micuenta is an integer
// number of centavos so that sums are exact; fractions only appear inside a
// calculation and are rounded once, by RoundDiv, before they become Money.
type Money int64

// Pesos builds Money from whole pesos and centavos (both with the same sign).
func Pesos(pesos, centavos int64) Money { return Money(pesos*100 + centavos) }

// String formats the amount the Mexican way: "$1,234.56", "-$5.00".
func (m Money) String() string {
	neg := m < 0
	v := int64(m)
	if neg {
		v = -v
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('$')
	b.WriteString(Grouped(v / 100))
	fmt.Fprintf(&b, ".%02d", v%100)
	return b.String()
}

// Grouped writes a whole number with thousands separated by commas, as
// figures are written in Mexico: 9,116,784.
func Grouped(n int64) string {
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
		digits = digits[1:]
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Percent writes basis points as a percentage without the sign and
// without trailing zeros: 1234 → "12.34", 450 → "4.5", 300 → "3".
func Percent(bp int64) string {
	neg := ""
	if bp < 0 {
		neg, bp = "-", -bp
	}
	s := fmt.Sprintf("%d.%02d", bp/100, bp%100)
	return neg + strings.TrimSuffix(strings.TrimSuffix(s, "0"), ".0")
}

// Decimal formats the amount as plain "1234.56", the form used in files.
func (m Money) Decimal() string {
	v := int64(m)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// ParseMoney reads an amount in pesos written with at most two decimals and
// an optional thousands separator: "1234.5", "1,234.56", "$ 80". It refuses
// more than two decimals rather than rounding, because an amount that does
// not fit centavos is a data error, not something to fix silently.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "$")
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || len(s) > 18 {
		return 0, Errorf(EINVALID, "Escribe una cantidad en pesos, por ejemplo 1250.50.")
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if hasDot && (len(frac) == 0 || len(frac) > 2) {
		return 0, Errorf(EINVALID, "La cantidad admite como máximo dos decimales (centavos).")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, Errorf(EINVALID, "Escribe la cantidad solo con números, por ejemplo 1250.50.")
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1e15 {
		return 0, Errorf(EINVALID, "La cantidad es demasiado grande.")
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return Money(v), nil
}

// RoundDiv returns num/den rounded to the nearest integer, halves away from
// zero (the rounding rule of every amount micuenta derives). den must be > 0.
func RoundDiv(num, den int64) int64 {
	if den <= 0 {
		panic("portal: RoundDiv with non-positive denominator")
	}
	q, r := num/den, num%den
	if r < 0 {
		r = -r
	}
	if 2*r >= den {
		if num < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}
