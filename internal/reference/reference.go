// Package reference owns the reference values the fund's rules depend on:
// UMA, minimum wages, UMI, INPC, the yearly VSM adjustment and the
// subaccount's yield (domain.md §2.3 and §3). They are data loaded from the
// database, never constants in code, because the authorities publish new
// ones every year.
package reference

import (
	"context"
	"fmt"
	"sort"

	"micuenta/internal/portal"
)

// Kind names a series of reference values.
type Kind string

// The series micuenta knows.
const (
	UMADiaria         Kind = "uma_diaria"
	SalarioMinimo     Kind = "salario_minimo"
	SalarioMinimoZLFN Kind = "salario_minimo_zlfn"
	UMIDiaria         Kind = "umi_diaria"
	AjusteVSM         Kind = "ajuste_vsm"
	RendimientoSCV    Kind = "rendimiento_scv"
	INPC              Kind = "inpc"
	// UDI is the Unidad de Inversión (Banxico), kept for 31 December of
	// each year: the constancia de intereses' 750,000-UDIS cap test.
	UDI Kind = "udi"
)

// Scale is the fixed-point scale of Value.E6.
const Scale = 1_000_000

// Value is one published figure, in force from ValidFrom until the next
// figure of the same kind.
type Value struct {
	Kind      Kind
	ValidFrom portal.Date
	E6        int64 // the figure times 1,000,000
	Uncertain bool  // sources disagree or the figure was derived; say so on screen
	Source    string
}

// Centavos returns a peso figure as Money, rounded half away from zero.
func (v Value) Centavos() portal.Money { return portal.Money(portal.RoundDiv(v.E6, 10_000)) }

// Store reads the reference values.
type Store interface {
	ReferenceValues(ctx context.Context) ([]Value, error)
}

// Table answers "what was the figure on this date" for every kind.
type Table struct {
	series map[Kind][]Value // ascending by ValidFrom
}

// NewTable indexes values by kind and date.
func NewTable(values []Value) *Table {
	t := &Table{series: map[Kind][]Value{}}
	for _, v := range values {
		t.series[v.Kind] = append(t.series[v.Kind], v)
	}
	for _, s := range t.series {
		sort.Slice(s, func(i, j int) bool { return s[i].ValidFrom.Before(s[j].ValidFrom) })
	}
	return t
}

// Load reads the table from the store.
func Load(ctx context.Context, s Store) (*Table, error) {
	vs, err := s.ReferenceValues(ctx)
	if err != nil {
		return nil, fmt.Errorf("reference: load: %w", err)
	}
	return NewTable(vs), nil
}

// At returns the value of kind in force on date d. Before the first
// published value it is an ENOTFOUND error.
func (t *Table) At(kind Kind, d portal.Date) (Value, error) {
	s := t.series[kind]
	i := sort.Search(len(s), func(i int) bool { return d.Before(s[i].ValidFrom) })
	if i == 0 {
		return Value{}, portal.Errorf(portal.ENOTFOUND, "No hay un valor de %s vigente el %s.", kind, d.Spanish())
	}
	return s[i-1], nil
}

// Series returns every value of a kind, oldest first.
func (t *Table) Series(kind Kind) []Value { return append([]Value(nil), t.series[kind]...) }
