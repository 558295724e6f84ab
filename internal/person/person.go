// Package person owns the fund's record of a person: identifiers, names,
// birth date, sex, state of residence and pension status. These records
// come from the fund's systems; the portal reads them and, through
// approved correction requests, changes them with history.
package person

import (
	"context"
	"strings"
	"time"

	"micuenta/internal/ident"
	"micuenta/internal/portal"
)

// Pension statuses.
const (
	PensionNone      = ""
	PensionEnTramite = "en_tramite"
	Pensionado       = "pensionado"
)

// Person is one person in the fund's registry.
type Person struct {
	ID            int64
	NSS           ident.NSS
	CURP          ident.CURP
	RFC           ident.RFC
	GivenNames    string // nombre(s)
	FirstSurname  string // primer apellido
	SecondSurname string // segundo apellido; empty when the person has one
	BirthDate     portal.Date
	Sex           string // H, M or X, as in the CURP
	State         string // state of residence, CURP two-letter code
	PensionStatus string // PensionNone, PensionEnTramite or Pensionado
	PensionLaw    string // "73" or "97" for pensioners
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// FullName is the name as the fund writes it: given names then surnames.
func (p *Person) FullName() string {
	return strings.Join(strings.Fields(p.GivenNames+" "+p.FirstSurname+" "+p.SecondSurname), " ")
}

// MaskedName shows each word's first letters only, so a person can
// recognise their name without it being disclosed to whoever typed
// someone else's identifiers: "JOSÉ LUIS PÉREZ" → "JO** LU** PÉ***".
func (p *Person) MaskedName() string {
	words := strings.Fields(p.FullName())
	for i, w := range words {
		r := []rune(w)
		keep := 2
		if len(r) <= 2 {
			keep = 1
		}
		words[i] = string(r[:keep]) + strings.Repeat("*", len(r)-keep)
	}
	return strings.Join(words, " ")
}

// Store is the persistence the person domain needs.
type Store interface {
	// FindPersonByID returns ENOTFOUND when there is no such person.
	FindPersonByID(ctx context.Context, id int64) (*Person, error)
	// FindPersonByNSS returns ENOTFOUND when no person has that NSS.
	FindPersonByNSS(ctx context.Context, nss ident.NSS) (*Person, error)
	// CountPeople counts the registry.
	CountPeople(ctx context.Context) (int, error)
}
