package ident

import (
	"strings"
	"time"
)

// Name is a person's name as the registries write it.
type Name struct {
	Given  string // nombre(s)
	First  string // primer apellido
	Second string // segundo apellido; empty when there is none
}

// particles are dropped from the front of compound names (domain.md §1.2).
var particles = set("DA", "DAS", "DE", "DEL", "DER", "DI", "DIE", "DD", "EL", "LA", "LOS", "LAS", "LE", "LES", "MAC", "MC", "VAN", "VON", "Y")

// skippedGiven are first given names passed over when another follows.
var skippedGiven = set("MARIA", "MA.", "MA", "M.", "M", "JOSE", "J.", "J")

// foldAccents upper-cases and removes accents, keeping Ñ.
func foldAccents(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case 'Á', 'À', 'Â', 'Ä':
			r = 'A'
		case 'É', 'È', 'Ê', 'Ë':
			r = 'E'
		case 'Í', 'Ì', 'Î', 'Ï':
			r = 'I'
		case 'Ó', 'Ò', 'Ô', 'Ö':
			r = 'O'
		case 'Ú', 'Ù', 'Û', 'Ü':
			r = 'U'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// usedWord returns the word of a surname or given name that the keys are
// built from: particles dropped, and for given names MARIA/JOSE skipped
// when another name follows.
func usedWord(s string, given bool) []rune {
	words := strings.Fields(foldAccents(s))
	if given && len(words) > 1 && skippedGiven[words[0]] {
		words = words[1:]
	}
	for len(words) > 1 && particles[words[0]] {
		words = words[1:]
	}
	if len(words) == 0 {
		return nil
	}
	return []rune(words[0])
}

func isVowel(r rune) bool { return r == 'A' || r == 'E' || r == 'I' || r == 'O' || r == 'U' }

// keyChar is how a character of a name enters a key: letters stay, Ñ and
// anything else (/, -, ., ') become X.
func keyChar(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r
	}
	return 'X'
}

// firstLetter of a word for a key; X when the word is missing.
func firstLetter(w []rune) rune {
	if len(w) == 0 {
		return 'X'
	}
	return keyChar(w[0])
}

// internal finds the first character after the first that satisfies want;
// a special character met first gives X (JUAN JOSE D/AMICO → DX…).
func internal(w []rune, want func(rune) bool) rune {
	for _, r := range w[min(1, len(w)):] {
		switch {
		case r == 'Ñ' && want('N'):
			return 'X'
		case r >= 'A' && r <= 'Z':
			if want(r) {
				return r
			}
		case r != 'Ñ':
			return 'X'
		}
	}
	return 'X'
}

func isConsonant(r rune) bool { return r >= 'A' && r <= 'Z' && !isVowel(r) }

// CURPPrefix is the first ten characters a CURP should have for a name and
// birth date: initial and first internal vowel of the first surname,
// initial of the second surname (X if none), initial of the given name,
// then YYMMDD; an inconvenient word gets X in position 2.
func CURPPrefix(n Name, birth time.Time) string {
	first, second, given := usedWord(n.First, false), usedWord(n.Second, false), usedWord(n.Given, true)
	k := []rune{firstLetter(first), internal(first, isVowel), firstLetter(second), firstLetter(given)}
	if curpWords[string(k)] {
		k[1] = 'X'
	}
	return string(k) + birth.Format("060102")
}

// CURPConsonants is positions 14–16: the first internal consonant of the
// first surname, the second surname and the given name, X where missing.
func CURPConsonants(n Name) string {
	first, second, given := usedWord(n.First, false), usedWord(n.Second, false), usedWord(n.Given, true)
	out := []rune{internal(first, isConsonant), 'X', internal(given, isConsonant)}
	if len(second) > 0 {
		out[1] = internal(second, isConsonant)
	}
	return string(out)
}

// RFCPrefix is the first ten characters a person's RFC should have. The
// rules differ from the CURP's (domain.md §1.3): one surname gives initial
// + first vowel + two letters of the name; a first surname of one or two
// letters gives its initial, the second surname's and two of the name; a
// leading CH or LL counts as C or L; an inconvenient word gets X in its
// last letter (domain.md marks this last rule uncertain; "last letter" is
// the better-supported reading).
func RFCPrefix(n Name, birth time.Time) string {
	first, second, given := usedWord(n.First, false), usedWord(n.Second, false), usedWord(n.Given, true)
	if len(first) == 0 && len(second) > 0 {
		first, second = second, nil
	}
	first = digraph(first)
	var k []rune
	switch {
	case len(second) == 0:
		k = []rune{firstLetter(first), internal(first, isVowel), firstLetter(given), secondLetter(given)}
	case len(first) <= 2:
		k = []rune{firstLetter(first), firstLetter(second), firstLetter(given), secondLetter(given)}
	default:
		k = []rune{firstLetter(first), internal(first, isVowel), firstLetter(second), firstLetter(given)}
	}
	if rfcWords[string(k)] {
		k[3] = 'X'
	}
	return string(k) + birth.Format("060102")
}

func digraph(w []rune) []rune {
	if len(w) >= 2 && (w[0] == 'C' && w[1] == 'H' || w[0] == 'L' && w[1] == 'L') {
		return append([]rune{w[0]}, w[2:]...)
	}
	return w
}

func secondLetter(w []rune) rune {
	if len(w) < 2 {
		return 'X'
	}
	return keyChar(w[1])
}
