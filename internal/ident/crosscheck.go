package ident

// Warning is a soft inconsistency between identifiers: worth showing to
// the person ("¿escribiste bien tu RFC?") but never a reason to refuse,
// because CURP, RFC and NSS legitimately differ sometimes (domain.md §1.4).
type Warning struct {
	Code        string // stable, for programs and Spanish messages
	Description string // English, for logs
}

// Warning codes.
const (
	WarnCURPRFCPrefix = "curp_rfc_prefix" // the first ten characters differ
	WarnNSSBirthYear  = "nss_birth_year"  // the NSS's birth year is not the CURP's
)

// CrossCheck compares the identifiers it is given; a zero value is skipped.
func CrossCheck(n NSS, c CURP, r RFC) []Warning {
	var out []Warning
	if !c.IsZero() && !r.IsZero() && !r.IsMoral() && !r.IsGeneric() {
		if string([]rune(c.s)[:10]) != string([]rune(r.s)[:10]) {
			out = append(out, Warning{WarnCURPRFCPrefix, "the CURP and the RFC differ in their first ten characters"})
		}
	}
	if !n.IsZero() && !c.IsZero() && n.BirthYY() != c.BirthDate().Year()%100 {
		out = append(out, Warning{WarnNSSBirthYear, "the NSS birth year differs from the CURP birth date"})
	}
	return out
}
