package credit

import (
	"context"
	"fmt"

	"micuenta/internal/employment"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
)

// Documents derives what a credit's documents say — the constancia de
// intereses, the avisos for the employer, the carta de cancelación — from
// the ledger, the reference values, the borrower's jobs and the recorded
// discount changes. It issues nothing itself: package document folios and
// records the PDFs.
type Documents struct {
	refs  reference.Store
	store DocumentStore
	jobs  employment.Store
}

// NewDocuments builds the documents' figures service.
func NewDocuments(refs reference.Store, store DocumentStore, jobs employment.Store) *Documents {
	return &Documents{refs: refs, store: store, jobs: jobs}
}

// InterestFigures is a year's constancia with the reference values it
// used and whether any of them is still to be verified.
type InterestFigures struct {
	InterestCertificate
	Uncertain bool     // a reference value is marked uncertain
	Sources   []string // where the INPC and UDI figures come from
}

// Interest computes the constancia of year for the view's credit. A
// year the page does not offer (see InterestYears) is ENOTFOUND, and so
// is a year whose INPC or UDI is not loaded yet, with what is missing.
func (d *Documents) Interest(ctx context.Context, v *View, year int) (*InterestFigures, error) {
	years, first := InterestYears(v.Movements, v.Today)
	offered := false
	for _, y := range years {
		offered = offered || y == year
	}
	if !offered {
		switch {
		case year >= v.Today.Y:
			return nil, portal.Errorf(portal.ENOTFOUND, "La constancia de %d estará disponible a partir del 1 de enero de %d.", year, year+1)
		case first != 0 && year < first:
			return nil, portal.Errorf(portal.ENOTFOUND, "Tu historial en Mi Cuenta empieza en %d: para la constancia de %d llama a Infonatel al 800 008 3900 o acude a un Centro de Servicio (CESI).", first, year)
		}
		return nil, portal.Errorf(portal.ENOTFOUND, "Tu crédito no tuvo saldo ni movimientos en %d: no hay constancia de ese año.", year)
	}
	t, err := reference.Load(ctx, d.refs)
	if err != nil {
		return nil, err
	}
	inpc, okN := exactly(t, reference.INPC, portal.NewDate(year, 12, 1))
	prev, okP := exactly(t, reference.INPC, portal.NewDate(year-1, 12, 1))
	udi, okU := exactly(t, reference.UDI, portal.NewDate(year-1, 12, 31))
	switch {
	case !okN:
		return nil, portal.Errorf(portal.ENOTFOUND, "Todavía no tenemos el INPC de diciembre de %d, que el INEGI publica en la primera quincena de enero. Vuelve a consultar tu constancia después del 15 de enero.", year)
	case !okP:
		return nil, portal.Errorf(portal.ENOTFOUND, "Nos falta el INPC de diciembre de %d para calcular tu constancia. Llama a Infonatel al 800 008 3900.", year-1)
	case !okU:
		return nil, portal.Errorf(portal.ENOTFOUND, "Nos falta el valor de la UDI al 31 de diciembre de %d para calcular tu constancia. Llama a Infonatel al 800 008 3900.", year-1)
	}
	ic, err := ComputeInterest(v.Credit, v.Movements, year, InterestRefs{INPC: inpc.E6, INPCPrev: prev.E6, UDI: udi.E6})
	if err != nil {
		return nil, fmt.Errorf("credit: constancia %d: %w", year, err)
	}
	f := &InterestFigures{InterestCertificate: ic, Uncertain: inpc.Uncertain || prev.Uncertain || udi.Uncertain}
	for _, r := range []struct {
		what string
		v    reference.Value
	}{{fmt.Sprintf("INPC de diciembre de %d", year), inpc}, {fmt.Sprintf("INPC de diciembre de %d", year-1), prev},
		{fmt.Sprintf("UDI al 31 de diciembre de %d", year-1), udi}} {
		f.Sources = append(f.Sources, r.what+": "+r.v.Source)
	}
	return f, nil
}

// exactly finds the value of kind published for day d itself.
func exactly(t *reference.Table, kind reference.Kind, d portal.Date) (reference.Value, bool) {
	for _, v := range t.Series(kind) {
		if v.ValidFrom == d && v.E6 > 0 {
			return v, true
		}
	}
	return reference.Value{}, false
}

// Avisos says which avisos apply to the view's credit, for the person
// who holds it.
func (d *Documents) Avisos(ctx context.Context, v *View) ([]AvisoStatus, error) {
	jobs, err := d.jobs.JobsOf(ctx, v.Credit.PersonID)
	if err != nil {
		return nil, err
	}
	changes, err := d.store.DiscountChanges(ctx, v.Credit.ID)
	if err != nil {
		return nil, err
	}
	sortChanges(changes)
	in := AvisoInputs{Changes: changes, Today: v.Today}
	var current *employment.Job
	for i := range jobs {
		j := &jobs[i]
		if j.EmployerID == v.Credit.EmployerID && v.Credit.EmployerID != 0 && in.Discounter == nil {
			in.Discounter = &Employer{Name: j.RazonSocial, Registro: j.RegistroPatronal, Since: j.Start}
		}
		if !j.Current() || v.Today.Before(j.Start) {
			continue
		}
		// The job with the employer that discounts the credit, or else
		// the newest.
		switch {
		case current == nil,
			j.EmployerID == v.Credit.EmployerID && current.EmployerID != v.Credit.EmployerID,
			(j.EmployerID == v.Credit.EmployerID) == (current.EmployerID == v.Credit.EmployerID) && current.Start.Before(j.Start):
			current = j
		}
	}
	if current != nil {
		in.Current = &Employer{Name: current.RazonSocial, Registro: current.RegistroPatronal, Since: current.Start}
	}
	return Avisos(v.Credit, v.Movements, in), nil
}
