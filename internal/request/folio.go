package request

import (
	"fmt"
	"strconv"
	"strings"

	"micuenta/internal/portal"
)

// A folio is what a person reads over the phone: a type prefix, the year,
// a sequence and a check character — COR-2026-000123-K. The check
// character is a weighted sum modulo 31 (a prime) written with 31 symbols:
// the ten digits and the letters but I, L, O, S and Z, so no symbol can be
// mistaken for another. Within a well-formed folio (letters, then digits)
// it catches every single mistyped character and every swap of two
// neighbours: weights 1..16 are non-zero modulo 31, and two characters of
// the same kind differ by less than 31.
// folioAlphabet are the characters a folio's body may hold, valued 0..36.
const folioAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"

// NewFolio builds the folio of the seq-th request of a type in a year.
func NewFolio(prefix string, year int, seq int64) string {
	body := fmt.Sprintf("%s-%04d-%06d", strings.ToUpper(prefix), year, seq)
	return body + "-" + string(checkChar(body))
}

// checkChar is Σ (position+1) × value(c) modulo 31 over the body, mapped
// to a symbol. Weights 1..n are all non-zero modulo 31 for bodies shorter
// than 31 characters, and differ for neighbours, so one wrong character
// or two swapped neighbours change the sum.
func checkChar(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		v := strings.IndexByte(folioAlphabet, body[i])
		sum += (i + 1) * (v + 1)
	}
	return checkSymbols[sum%31]
}

// checkSymbols are the 31 symbols of the check character.
const checkSymbols = "0123456789ABCDEFGHJKMNPQRTUVWXY"

// ParseFolio checks a folio typed by a person: its shape and its check
// character. Spaces and lower case are forgiven.
func ParseFolio(s string) (prefix string, year int, seq int64, err error) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	parts := strings.Split(s, "-")
	bad := portal.Errorf(portal.EINVALID, "El folio no tiene la forma correcta, por ejemplo COR-2026-000123-K.")
	if len(parts) != 4 || len(parts[0]) < 2 || len(parts[0]) > 4 || len(parts[1]) != 4 || len(parts[2]) != 6 || len(parts[3]) != 1 {
		return "", 0, 0, bad
	}
	for _, c := range parts[0] {
		if c < 'A' || c > 'Z' {
			return "", 0, 0, bad
		}
	}
	y, err1 := strconv.Atoi(parts[1])
	n, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || n < 1 {
		return "", 0, 0, bad
	}
	body := strings.Join(parts[:3], "-")
	if checkChar(body) != parts[3][0] {
		return "", 0, 0, portal.Errorf(portal.EINVALID, "El folio no es válido: revisa que lo hayas copiado completo y sin errores.")
	}
	return parts[0], y, n, nil
}
