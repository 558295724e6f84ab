package batch

import (
	"strconv"
	"strings"

	"micuenta/internal/portal"
)

// splitCSV splits one line into fields: commas separate, a field may be
// quoted with double quotes ("" is a quote inside). It returns ok=false
// for an unterminated quote. Quoted line breaks are not supported: every
// record is one line (docs/imports.md).
func splitCSV(s string, into []string) ([]string, bool) {
	out := into[:0]
	for {
		if strings.HasPrefix(s, `"`) {
			var b strings.Builder
			s = s[1:]
			for {
				i := strings.IndexByte(s, '"')
				if i < 0 {
					return out, false
				}
				b.WriteString(s[:i])
				s = s[i+1:]
				if strings.HasPrefix(s, `"`) {
					b.WriteByte('"')
					s = s[1:]
					continue
				}
				break
			}
			out = append(out, b.String())
			if s == "" {
				return out, true
			}
			if s[0] != ',' {
				return out, false
			}
			s = s[1:]
			continue
		}
		i := strings.IndexByte(s, ',')
		if i < 0 {
			return append(out, s), true
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
}

// parseAmount reads pesos with exactly two decimals, "1234.56", the
// layout's only form: anything else is a data error, not a value to guess.
func parseAmount(s string) (portal.Money, bool) {
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 || whole == "" || len(whole) > 13 {
		return 0, false
	}
	w, err1 := strconv.ParseUint(whole, 10, 64)
	f, err2 := strconv.ParseUint(frac, 10, 64)
	if err1 != nil || err2 != nil || whole[0] == '+' || frac[0] == '+' {
		return 0, false
	}
	return portal.Money(w*100 + f), true
}

// validRegistroPatronal checks the IMSS employer registration's shape: a
// letter or digit, then ten digits.
func validRegistroPatronal(s string) bool {
	if len(s) != 11 {
		return false
	}
	c := s[0]
	if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
		return false
	}
	for i := 1; i < 11; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
