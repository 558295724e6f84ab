// Package idgen makes valid identifiers for a made-up person, for tests
// that need someone who is not in the seeded population.
package idgen

import (
	"time"

	"micuenta/internal/ident"
)

// For returns an NSS, CURP and RFC for a name, birth date, sex (H or M) and
// state, with correct check digits; nss10 is the NSS without its digit.
func For(n ident.Name, birth time.Time, sex, state, nss10 string) (nss, curp, rfc string) {
	homoclave := "0"
	if birth.Year() >= 2000 {
		homoclave = "A"
	}
	c17 := ident.CURPPrefix(n, birth) + sex + state + ident.CURPConsonants(n) + homoclave
	cd, _ := ident.CURPCheckDigit(c17)
	r12 := ident.RFCPrefix(n, birth) + ident.RFCHomoclave(n)
	rd, _ := ident.RFCCheckDigit(r12)
	nd, _ := ident.NSSCheckDigit(nss10)
	return nss10 + string(nd), c17 + string(cd), r12 + string(rd)
}
