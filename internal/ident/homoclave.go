package ident

import (
	"strconv"
	"strings"
)

// homoclaveChars are the 34 characters of the homoclave (no 0, no O).
const homoclaveChars = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"

// RFCHomoclave is the two-character homonymy code SAT derives from the
// full name "PATERNO MATERNO NOMBRE" (domain.md §1.3): each character
// becomes a two-digit code, a 0 is prefixed, and the sum over adjacent
// digits of (two-digit number) × (second digit), modulo 1000, indexes the
// 34-character table twice. Ñ is coded 40 (one implementation uses 10;
// domain.md marks it uncertain). Characters outside the table are left out.
func RFCHomoclave(n Name) string {
	full := strings.Join(strings.Fields(foldAccents(n.First+" "+n.Second+" "+n.Given)), " ")
	var digits strings.Builder
	digits.WriteByte('0')
	for _, r := range full {
		var code int
		switch {
		case r == ' ':
			code = 0
		case r >= '0' && r <= '9':
			code = int(r - '0')
		case r == '&':
			code = 10
		case r >= 'A' && r <= 'I':
			code = 11 + int(r-'A')
		case r >= 'J' && r <= 'R':
			code = 21 + int(r-'J')
		case r >= 'S' && r <= 'Z':
			code = 32 + int(r-'S')
		case r == 'Ñ':
			code = 40
		default:
			continue
		}
		if code < 10 {
			digits.WriteByte('0')
		}
		digits.WriteString(strconv.Itoa(code))
	}
	d := digits.String()
	sum := 0
	for i := 0; i+1 < len(d); i++ {
		pair := int(d[i]-'0')*10 + int(d[i+1]-'0')
		sum += pair * int(d[i+1]-'0')
	}
	v := sum % 1000
	return string([]byte{homoclaveChars[v/34], homoclaveChars[v%34]})
}
