package account

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Password rules (issue 4, from the real portal and NIST SP 800-63B): either
// the real portal's rule — at least 8 characters with an upper-case letter,
// a lower-case letter, a digit and a special character — or a passphrase of
// 15 or more characters with no composition rule. At most 128 characters.
// Refused when common or guessable, or when it contains the person's name,
// NSS, CURP, RFC or e-mail.
const (
	MinPasswordLen   = 8
	MinPassphraseLen = 15
	MaxPasswordLen   = 128
)

// PersonalData is what a password must not contain.
type PersonalData struct {
	Names          []string // given names and surnames
	NSS, CURP, RFC string
	Email          string
}

// CheckPassword returns "" when pw is acceptable, otherwise the Spanish
// message to show at the password field.
func CheckPassword(pw string, pd PersonalData) string {
	n := utf8.RuneCountInString(pw)
	if !utf8.ValidString(pw) {
		return "La contraseña tiene caracteres no válidos."
	}
	if n > MaxPasswordLen {
		return "La contraseña puede tener como máximo 128 caracteres."
	}
	if n < MinPassphraseLen {
		if n < MinPasswordLen {
			return "La contraseña debe tener al menos 8 caracteres (o 15 si es una frase)."
		}
		var upper, lower, digit, special bool
		for _, r := range pw {
			switch {
			case unicode.IsUpper(r):
				upper = true
			case unicode.IsLower(r):
				lower = true
			case unicode.IsDigit(r):
				digit = true
			case !unicode.IsSpace(r):
				special = true
			}
		}
		if !upper || !lower || !digit || !special {
			return "Usa al menos una mayúscula, una minúscula, un número y un carácter especial (por ejemplo ! # $ %), o escribe una frase de 15 caracteres o más."
		}
	}
	folded := fold(pw)
	if guessable(folded) {
		return "Esa contraseña es muy común o fácil de adivinar. Elige otra."
	}
	for _, s := range personalTokens(pd) {
		if strings.Contains(folded, s) {
			return "La contraseña no debe contener tu nombre, tu NSS, tu CURP, tu RFC ni tu correo."
		}
	}
	return ""
}

// fold lower-cases and removes accents, so "Contraseña" and "contrasena"
// compare equal.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func personalTokens(pd PersonalData) []string {
	var out []string
	for _, n := range pd.Names {
		for _, w := range strings.Fields(fold(n)) {
			w = strings.Trim(w, ".")
			if utf8.RuneCountInString(w) >= 3 && w != "del" && w != "las" && w != "los" {
				out = append(out, w)
			}
		}
	}
	for _, id := range []string{pd.NSS, pd.CURP, pd.RFC} {
		if len(id) >= 10 {
			out = append(out, fold(id[:10])) // the distinctive part; the rest adds nothing
		}
	}
	if local, _, ok := strings.Cut(fold(pd.Email), "@"); ok && utf8.RuneCountInString(local) >= 3 {
		out = append(out, local)
	}
	return out
}

// guessable reports common passwords, their variants with digits and
// symbols around a common word, and trivial patterns.
func guessable(folded string) bool {
	if commonPasswords[folded] {
		return true
	}
	core := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, folded)
	if utf8.RuneCountInString(core) >= 4 && commonPasswords[core] {
		return true
	}
	return trivialPattern(folded)
}

// trivialPattern finds one repeated character, or a run of consecutive
// characters ("12345678", "abcdefgh", "87654321").
func trivialPattern(s string) bool {
	rs := []rune(s)
	if len(rs) < 2 {
		return true
	}
	same, up, down := true, true, true
	for i := 1; i < len(rs); i++ {
		same = same && rs[i] == rs[0]
		up = up && (rs[i] == rs[i-1]+1 || rs[i-1] == '9' && rs[i] == '0')
		down = down && rs[i] == rs[i-1]-1
	}
	return same || up || down
}
