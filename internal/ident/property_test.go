package ident

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

var letters = []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

func randomNSS(rng *rand.Rand) string {
	first := fmt.Sprintf("%010d", rng.Int64N(10_000_000_000))
	dv, _ := NSSCheckDigit(first)
	return first + string(dv)
}

func randomCURP(rng *rand.Rand) string {
	for {
		b := make([]rune, 0, 18)
		for range 4 {
			b = append(b, letters[rng.IntN(26)])
		}
		birth := time.Date(1930+rng.IntN(95), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365))
		b = append(b, []rune(birth.Format("060102"))...)
		b = append(b, []rune("HMX")[rng.IntN(3)])
		states := States()
		b = append(b, []rune(string(states[rng.IntN(len(states))]))...)
		for range 3 {
			b = append(b, letters[rng.IntN(26)])
		}
		if birth.Year() < 2000 {
			b = append(b, rune('0'+rng.IntN(10)))
		} else {
			b = append(b, letters[rng.IntN(26)])
		}
		if curpWords[string(b[:4])] {
			continue
		}
		dv, _ := CURPCheckDigit(string(b))
		return string(append(b, rune(dv)))
	}
}

func randomRFC(rng *rand.Rand) string {
	for {
		var b []rune
		for range 4 {
			b = append(b, letters[rng.IntN(26)])
		}
		birth := time.Date(1930+rng.IntN(90), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365))
		b = append(b, []rune(birth.Format("060102"))...)
		b = append(b, rune(homoclaveChars[rng.IntN(30)]), rune(homoclaveChars[rng.IntN(34)]))
		if rfcWords[string(b[:4])] {
			continue
		}
		dv, _ := RFCCheckDigit(string(b))
		return string(append(b, rune(dv)))
	}
}

func TestGeneratedIdentifiersParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		if s := randomNSS(rng); nssErr(s) != nil {
			t.Fatalf("valid NSS %s refused: %v", s, nssErr(s))
		}
		if s := randomCURP(rng); curpErr(s) != nil {
			t.Fatalf("valid CURP %s refused: %v", s, curpErr(s))
		}
		if s := randomRFC(rng); rfcErr(s) != nil {
			t.Fatalf("valid RFC %s refused: %v", s, rfcErr(s))
		}
	}
}

// Luhn catches every single-digit substitution, so any change to one
// digit of a valid NSS is refused.
func TestNSSSingleSubstitutionIsRefused(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		s := []byte(randomNSS(rng))
		for i := range s {
			orig := s[i]
			for c := byte('0'); c <= '9'; c++ {
				if c == orig {
					continue
				}
				s[i] = c
				if _, err := ParseNSS(string(s)); err == nil {
					t.Fatalf("NSS %s accepted after changing position %d", s, i+1)
				}
			}
			s[i] = orig
		}
	}
}

// The CURP's check digit is a weighted sum modulo 10 with weights 18…2,
// so it cannot see a change whose value difference times the position's
// weight is a multiple of 10 (weight 10 at position 9 sees none; even
// weights miss differences of 5; A→K, a difference of 10, is invisible
// everywhere). Such changes are still refused when they break the
// structure, the date, the state, the sex or the word list. The property
// that holds, and that this test checks exhaustively on random CURPs, is:
// a single-character change is accepted only when the check digit is
// mathematically blind to it.
func TestCURPSingleSubstitution(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	accepted, tried := 0, 0
	for range 300 {
		s := []rune(randomCURP(rng))
		for i := range s {
			orig := s[i]
			for _, c := range curpAlphabet {
				if c == orig {
					continue
				}
				s[i] = c
				tried++
				if _, err := ParseCURP(string(s)); err == nil {
					accepted++
					if i == 17 {
						t.Fatalf("CURP %s accepted with another check digit", string(s))
					}
					blind := ((curpValue[c]-curpValue[orig])*(18-i))%10 == 0
					if !blind {
						t.Fatalf("CURP %s accepted after changing position %d although the check digit sees it", string(s), i+1)
					}
				}
			}
			s[i] = orig
		}
	}
	t.Logf("%d of %d single substitutions go unseen by the CURP's check digit and structure", accepted, tried)
}

func TestRFCCheckDigitFailureKeepsValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 500 {
		s := []rune(randomRFC(rng))
		good := s[12]
		for _, c := range "0123456789A" {
			if c == good {
				continue
			}
			s[12] = c
			r, err := ParseRFC(string(s))
			if !errors.Is(err, ErrCheckDigit) || r.String() != string(s) {
				t.Fatalf("%s: %v %v", string(s), r, err)
			}
		}
	}
}
