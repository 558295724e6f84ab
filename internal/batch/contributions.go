package batch

import (
	"fmt"
	"strconv"

	"micuenta/internal/ident"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/savings"
)

// ContributionsHeader is the contributions layout (docs/imports.md).
var ContributionsHeader = []string{"nss", "registro_patronal", "razon_social", "bimestre", "salario_diario", "dias", "aportacion", "amortizacion", "fecha_pago"}

// Contribution is one accepted row of a contributions file: what an
// employer paid into a worker's housing subaccount for a bimester, and
// what it discounted from the payroll toward the worker's mortgage.
type Contribution struct {
	Line             int
	NSS              ident.NSS
	RegistroPatronal string
	RazonSocial      string
	Bimestre         portal.Bimestre
	DailySalary      portal.Money
	Days             int
	Amount           portal.Money // to the subaccount
	Amortization     portal.Money // to the credit, 0 when none
	PaidOn           portal.Date
}

// Tolerance of the 5% check: a contribution that differs from 5% of the
// capped salary × days by more than this is flagged (posted anyway: the
// fund's systems, not the portal, decide what was due).
const (
	toleranceCentavos = 100 // one peso
	tolerancePercent  = 1
)

// contributionRules validate one row against the calendar and the UMA.
type contributionRules struct {
	today portal.Date
	ref   *reference.Table

	// What depends on the bimester alone, for the last one seen: a file
	// is almost always one bimester, and working out its first day, its
	// length and its UMA on every line had been most of the parsing.
	last *bimesterFacts
}

type bimesterFacts struct {
	b       portal.Bimestre
	first   portal.Date
	days    int
	uma     portal.Money // umaOK false when the table has none
	umaOK   bool
	started bool // today is on or after the first day
}

func (r *contributionRules) facts(b portal.Bimestre) *bimesterFacts {
	if r.last != nil && r.last.b == b {
		return r.last
	}
	f := &bimesterFacts{b: b, first: b.First(), days: b.Days()}
	f.started = !r.today.Before(f.first)
	if uma, err := r.ref.At(reference.UMADiaria, f.first); err == nil {
		f.uma, f.umaOK = uma.Centavos(), true
	}
	r.last = f
	return f
}

// before is Date.Before without building a time.Time for each side.
func before(a, b portal.Date) bool {
	if a.Y != b.Y {
		return a.Y < b.Y
	}
	if a.M != b.M {
		return a.M < b.M
	}
	return a.D < b.D
}

// parse turns the fields of one line into a Contribution, or the reason it
// is rejected; warn is set when it is accepted but looks wrong.
func (r *contributionRules) parse(n int, f []string) (c Contribution, reject, warn string) {
	c.Line = n
	nss, err := ident.ParseNSS(f[0])
	if err != nil {
		return c, "El NSS no es válido (11 dígitos con dígito verificador).", ""
	}
	c.NSS = nss
	e, reject := parseEmployer(f[1], f[2])
	if reject != "" {
		return c, reject, ""
	}
	c.RegistroPatronal, c.RazonSocial = e.RegistroPatronal, e.RazonSocial
	b, err := portal.ParseBimestre(f[3])
	if err != nil {
		return c, "El bimestre no es válido; usa AAAA-B con B del 1 al 6.", ""
	}
	bf := r.facts(b)
	if !bf.started {
		return c, fmt.Sprintf("El bimestre %s todavía no empieza.", b), ""
	}
	c.Bimestre = b
	var ok bool
	if c.DailySalary, ok = parseAmount(f[4]); !ok {
		return c, "El salario diario no es una cantidad con dos decimales, por ejemplo 520.00.", ""
	}
	days, err := strconv.Atoi(f[5])
	if err != nil || days < 0 || days > bf.days {
		return c, fmt.Sprintf("Los días deben ser un número entero de 0 a %d (los días del bimestre).", bf.days), ""
	}
	c.Days = days
	if c.Amount, ok = parseAmount(f[6]); !ok {
		return c, "La aportación no es una cantidad no negativa con dos decimales, por ejemplo 1586.00.", ""
	}
	if c.Amortization, ok = parseAmount(f[7]); !ok {
		return c, "La amortización no es una cantidad no negativa con dos decimales (0.00 si no hay crédito).", ""
	}
	if c.Amount == 0 && c.Amortization == 0 {
		return c, "La línea no trae aportación ni amortización.", ""
	}
	paid, err := portal.ParseDate(f[8])
	if err != nil {
		return c, "La fecha de pago no es una fecha AAAA-MM-DD válida.", ""
	}
	if before(r.today, paid) {
		return c, "La fecha de pago es posterior a hoy.", ""
	}
	if before(paid, bf.first) {
		return c, "La fecha de pago es anterior al bimestre que paga.", ""
	}
	c.PaidOn = paid
	if bf.umaOK && c.Amount > 0 {
		want := savings.Contribution(c.DailySalary, bf.uma, c.Days)
		diff := c.Amount - want
		if diff < 0 {
			diff = -diff
		}
		if diff > toleranceCentavos && int64(diff)*100 > int64(want)*tolerancePercent {
			warn = fmt.Sprintf("La aportación (%s) no corresponde al 5%% del salario topado por los días (%s); se registró como llegó.", c.Amount, want)
		}
	}
	return c, "", warn
}
