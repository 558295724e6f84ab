package ident

import (
	"strings"
	"unicode/utf8"
)

// maxInput bounds the work done on any input: no identifier with its
// separators is anywhere near this long.
const maxInput = 64

// Normalize puts an identifier as typed into canonical form: surrounding
// white space trimmed, inner spaces, '-' and '_' removed, letters upper-
// cased (ñ becomes Ñ). Any other character — accents, punctuation, control
// characters, look-alikes from other scripts — is an error, never dropped:
// an identifier with a stray character is not the same identifier.
// Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) (string, error) {
	if len(s) > maxInput {
		return "", ErrLength
	}
	if !utf8.ValidString(s) {
		return "", ErrCharset
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == 'Ñ', r == '&':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r == 'ñ':
			b.WriteRune('Ñ')
		case r == ' ', r == '-', r == '_':
			// separators people type between groups
		default:
			return "", ErrCharset
		}
	}
	return b.String(), nil
}

// isLetter reports the letters identifiers use: A–Z and Ñ.
func isLetter(r rune) bool { return r >= 'A' && r <= 'Z' || r == 'Ñ' }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
