package request

import (
	"encoding/json"
	"errors"
	"strings"

	"micuenta/internal/ident"
	"micuenta/internal/portal"
)

// Correccion is the first request type (issue 6; domain.md §10.4): the
// person states the right RFC, CURP or name; an operator checks it against
// the supporting document and, on approval, the fund's record changes.
var Correccion = Type{Prefix: "COR", Name: "corrección de datos", Title: "Corrección de datos", DueDays: 10,
	Documents:    DocumentsRequired,
	DocumentHint: "Para el RFC, tu Constancia de Situación Fiscal; para la CURP, tu constancia de CURP de RENAPO; para el nombre, tu acta de nacimiento. En PDF, JPG o PNG, hasta 10 MB."}

// NameParts are a corrected name split into its parts, which only a
// person reading the birth certificate can do reliably (compound given
// names, particles such as "DE LA").
type NameParts struct {
	GivenNames    string
	FirstSurname  string
	SecondSurname string
}

// Check validates the parts against the name the person asked for: the
// parts, joined, must be that name.
func (n NameParts) Check(requested string) (NameParts, error) {
	clean := func(s string) string { return strings.Join(strings.Fields(strings.ToUpper(s)), " ") }
	n = NameParts{clean(n.GivenNames), clean(n.FirstSurname), clean(n.SecondSurname)}
	if n.GivenNames == "" || n.FirstSurname == "" {
		return n, portal.Errorf(portal.EINVALID, "Escribe al menos el nombre y el primer apellido.")
	}
	if strings.Join(strings.Fields(n.GivenNames+" "+n.FirstSurname+" "+n.SecondSurname), " ") != clean(requested) {
		return n, portal.Errorf(portal.EINVALID, "El nombre separado no coincide con el que pidió la persona (%s). Sepáralo sin cambiar letras.", clean(requested))
	}
	return n, nil
}

// Correction fields.
const (
	FieldRFC    = "rfc"
	FieldCURP   = "curp"
	FieldNombre = "nombre"
)

// CorrectionData is what a correction request carries.
type CorrectionData struct {
	Field  string `json:"campo"`
	Value  string `json:"valor"`
	Reason string `json:"motivo"`
}

// FieldNames are the correctable data as people read them.
var FieldNames = map[string]string{FieldRFC: "RFC", FieldCURP: "CURP", FieldNombre: "Nombre"}

// ParseCorrection validates a correction form; errs maps form fields to
// Spanish messages.
func ParseCorrection(field, value, reason string) (data []byte, errs map[string]string) {
	errs = map[string]string{}
	value = strings.ToUpper(strings.TrimSpace(value))
	switch field {
	case FieldRFC:
		r, err := ident.ParseRFC(value)
		if err != nil && !errors.Is(err, ident.ErrCheckDigit) || r.IsMoral() || r.IsGeneric() {
			errs["valor"] = "Escribe tu RFC de persona física completo, con homoclave: 13 caracteres."
		}
	case FieldCURP:
		if _, err := ident.ParseCURP(value); err != nil {
			errs["valor"] = "Escribe tu CURP completa: 18 caracteres, como aparece en tu constancia de RENAPO."
		}
	case FieldNombre:
		if len([]rune(value)) < 3 || len([]rune(value)) > 150 || strings.ContainsAny(value, "0123456789<>@") {
			errs["valor"] = "Escribe tu nombre completo como aparece en tu acta de nacimiento: nombre(s) y apellidos, sin números."
		}
	default:
		errs["campo"] = "Elige qué dato quieres corregir."
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 500 {
		errs["motivo"] = "Explica el motivo en 500 caracteres o menos."
	}
	if len(errs) > 0 {
		return nil, errs
	}
	data, _ = json.Marshal(CorrectionData{Field: field, Value: value, Reason: reason})
	return data, nil
}
