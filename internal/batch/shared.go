package batch

import (
	"context"
	"fmt"
	"strings"

	"micuenta/internal/employment"
)

// What the layouts share: the employer columns, the unknown-person
// rejection, the employer cache and the posted/duplicate count.

// rejectUnknownPerson answers a well-formed NSS that is not in the registry.
const rejectUnknownPerson = "No hay una persona con ese NSS en el registro del Fondo."

// parseEmployer reads the registro patronal and razón social columns.
func parseEmployer(registro, name string) (employment.Employer, string) {
	e := employment.Employer{RegistroPatronal: strings.ToUpper(registro), RazonSocial: name}
	if !validRegistroPatronal(e.RegistroPatronal) {
		return e, "El registro patronal no es válido (una letra o dígito y 10 dígitos)."
	}
	if e.RazonSocial == "" || len(e.RazonSocial) > 200 {
		return e, "Falta la razón social del patrón o es demasiado larga (máximo 200 caracteres)."
	}
	return e, ""
}

// employerCache remembers employers' ids across a file's chunks, so each
// registro patronal is looked up (or created) once per file.
type employerCache map[string]int64

// resolve makes sure every employer of es has an id, asking the store for
// the ones not seen yet in this file.
func (c employerCache) resolve(ctx context.Context, lookup func(context.Context, []employment.Employer) ([]int64, error), es []employment.Employer) error {
	var unknown []employment.Employer
	for _, e := range es {
		if _, ok := c[e.RegistroPatronal]; !ok {
			c[e.RegistroPatronal] = 0
			unknown = append(unknown, e)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	ids, err := lookup(ctx, unknown)
	if err != nil {
		return err
	}
	for i, e := range unknown {
		if ids[i] == 0 {
			return fmt.Errorf("employer %s was not stored", e.RegistroPatronal)
		}
		c[e.RegistroPatronal] = ids[i]
	}
	return nil
}

// count adds a transaction's answer to the summary: each row new or a
// duplicate.
func (s *Summary) count(posted []bool) {
	for _, ok := range posted {
		if ok {
			s.Posted++
		} else {
			s.Duplicates++
		}
	}
}
