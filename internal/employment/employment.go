// Package employment owns employers and the employment relations between
// them and people (the IMSS altas and bajas the fund receives): who
// employed whom, from when to when, and the last reported salary.
package employment

import "micuenta/internal/portal"

// Employer is a company known by its IMSS registro patronal.
type Employer struct {
	ID               int64
	RegistroPatronal string // 11 characters: letter + 10 digits
	RazonSocial      string
	State            string // CURP two-letter state code
}

// Relation is one period of employment.
type Relation struct {
	ID          int64
	PersonID    int64
	EmployerID  int64
	Start       portal.Date
	End         portal.Date // zero while the relation is current
	DailySalary portal.Money
}

// Current reports whether the relation has not ended.
func (r Relation) Current() bool { return r.End.IsZero() }
