package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
)

// identities hands out identifiers that are valid (ident parses them) and
// unique across the population. Uniqueness needs state — how many people
// already share an NSS prefix or a CURP root — so identities are made in
// order, one person after another, and the same order always gives the
// same identifiers.
type identities struct {
	nssNext  map[uint32]uint16 // subdelegación, affiliation YY, birth YY → next consecutive
	curpNext map[string]uint8  // first 16 CURP characters → next homonymy character
}

func newIdentities(n int) *identities {
	return &identities{
		nssNext:  make(map[uint32]uint16, min(n, 1_000_000)),
		curpNext: make(map[string]uint8, n),
	}
}

// person makes the identity of person id; rng is that person's own stream.
func (g *Generator) person(id int64, rng *rand.Rand) *person.Person {
	asOf := g.p.AsOf
	p := &person.Person{ID: id}
	switch r := rng.Float64(); {
	case r < 0.0005:
		p.Sex = "X"
	case r < 0.58:
		p.Sex = "H" // formal employment is 58% men
	default:
		p.Sex = "M"
	}
	names := namesHombre
	if p.Sex == "M" || (p.Sex == "X" && rng.IntN(2) == 0) {
		names = namesMujer
	}
	p.GivenNames = pick(rng, names)
	p.FirstSurname = pick(rng, surnames)
	if rng.Float64() >= 0.02 {
		p.SecondSurname = pick(rng, surnames)
	}
	// Ages 18–70, denser between 25 and 45 as in formal employment.
	age := 18 + int(52*betaish(rng))
	birth := asOf.Time().AddDate(-age, 0, -rng.IntN(365))
	birthState := "NE"
	if rng.Float64() >= 0.005 {
		birthState = pick(rng, stateWeights)
	}
	p.State = birthState
	if birthState == "NE" || rng.Float64() < 0.2 {
		p.State = pick(rng, stateWeights)
	}
	if age >= 60 && rng.Float64() < 0.4 {
		p.PensionStatus = person.Pensionado
		if rng.Float64() < 0.15 {
			p.PensionStatus = person.PensionEnTramite
		}
	}

	name := ident.Name{Given: p.GivenNames, First: p.FirstSurname, Second: p.SecondSurname}
	for {
		curp, ok := g.ids.curp(name, birth, p.Sex, birthState)
		if ok {
			p.CURP = curp
			break
		}
		// Every homonymy character of this root is taken: a real RENAPO
		// would not have this many homonyms on one day; move the birthday.
		birth = birth.AddDate(0, 0, 1)
	}
	p.BirthDate = portal.CivilDate(birth)
	p.RFC = mustRFC(name, birth)
	affYear := birth.Year() + 16 + rng.IntN(max(1, min(14, asOf.Y-birth.Year()-17)))
	p.NSS = g.ids.nss(rng, affYear, birth.Year())
	if p.PensionStatus != "" {
		// Ley 73 for those affiliated before July 1997, Ley 97 after.
		p.PensionLaw = "97"
		if affYear < 1997 {
			p.PensionLaw = "73"
		}
	}
	return p
}

// betaish returns a value in [0,1) skewed toward the low end.
func betaish(rng *rand.Rand) float64 {
	x := (rng.Float64() + rng.Float64() + rng.Float64()) / 3
	return x * x * 1.6 / (1 + 0.6*x)
}

func (ids *identities) curp(n ident.Name, birth time.Time, sex, state string) (ident.CURP, bool) {
	root := ident.CURPPrefix(n, birth) + sex + state + ident.CURPConsonants(n)
	next := ids.curpNext[root]
	var diff byte
	if birth.Year() < 2000 {
		if next >= 10 {
			return ident.CURP{}, false
		}
		diff = '0' + next
	} else {
		if next >= 26 {
			return ident.CURP{}, false
		}
		diff = 'A' + next
	}
	ids.curpNext[root] = next + 1
	first17 := root + string(diff)
	dv, err := ident.CURPCheckDigit(first17)
	if err != nil {
		panic(fmt.Sprintf("synth: CURP check digit of %s: %v", first17, err))
	}
	c, err := ident.ParseCURP(first17 + string(dv))
	if err != nil {
		panic(fmt.Sprintf("synth: generated CURP %s does not parse: %v", first17+string(dv), err))
	}
	return c, true
}

func mustRFC(n ident.Name, birth time.Time) ident.RFC {
	first12 := ident.RFCPrefix(n, birth) + ident.RFCHomoclave(n)
	dv, err := ident.RFCCheckDigit(first12)
	if err != nil {
		panic(fmt.Sprintf("synth: RFC check digit of %s: %v", first12, err))
	}
	r, err := ident.ParseRFC(first12 + string(dv))
	if err != nil {
		panic(fmt.Sprintf("synth: generated RFC %s does not parse: %v", first12+string(dv), err))
	}
	return r
}

func (ids *identities) nss(rng *rand.Rand, affYear, birthYear int) ident.NSS {
	sub := 1 + rng.IntN(97)
	for {
		key := uint32(sub)<<16 | uint32(affYear%100)<<8 | uint32(birthYear%100)
		next := ids.nssNext[key]
		if next < 10000 {
			ids.nssNext[key] = next + 1
			first10 := fmt.Sprintf("%02d%02d%02d%04d", sub, affYear%100, birthYear%100, next)
			dv, err := ident.NSSCheckDigit(first10)
			if err != nil {
				panic(fmt.Sprintf("synth: NSS check digit of %s: %v", first10, err))
			}
			n, err := ident.ParseNSS(first10 + string(dv))
			if err != nil {
				panic(fmt.Sprintf("synth: generated NSS does not parse: %v", err))
			}
			return n
		}
		sub = sub%97 + 1
	}
}

// pick draws from a weighted list.
func pick(rng *rand.Rand, list []weighted) string {
	total := 0
	for _, x := range list {
		total += x.w
	}
	r := rng.IntN(total)
	for _, x := range list {
		if r < x.w {
			return x.s
		}
		r -= x.w
	}
	return list[len(list)-1].s
}
