package ident

import "sort"

// State is a two-letter entidad federativa code as used in the CURP, or NE
// for people born abroad.
type State string

var stateNames = map[State]string{
	"AS": "Aguascalientes", "BC": "Baja California", "BS": "Baja California Sur", "CC": "Campeche",
	"CL": "Coahuila", "CM": "Colima", "CS": "Chiapas", "CH": "Chihuahua", "DF": "Ciudad de México",
	"DG": "Durango", "GT": "Guanajuato", "GR": "Guerrero", "HG": "Hidalgo", "JC": "Jalisco",
	"MC": "Estado de México", "MN": "Michoacán", "MS": "Morelos", "NT": "Nayarit", "NL": "Nuevo León",
	"OC": "Oaxaca", "PL": "Puebla", "QT": "Querétaro", "QR": "Quintana Roo", "SP": "San Luis Potosí",
	"SL": "Sinaloa", "SR": "Sonora", "TC": "Tabasco", "TS": "Tamaulipas", "TL": "Tlaxcala",
	"VZ": "Veracruz", "YN": "Yucatán", "ZS": "Zacatecas", "NE": "Nacido en el extranjero",
}

// Name is the entity's name in Spanish; empty for an unknown code.
func (s State) Name() string { return stateNames[s] }

// Valid reports whether s is one of the 32 entities or NE.
func (s State) Valid() bool { _, ok := stateNames[s]; return ok }

// States lists the 32 entities (not NE), ordered by name.
func States() []State {
	out := make([]State, 0, 32)
	for code := range stateNames {
		if code != "NE" {
			out = append(out, code)
		}
	}
	sort.Slice(out, func(i, j int) bool { return collateKey(out[i].Name()) < collateKey(out[j].Name()) })
	return out
}

// collateKey orders Spanish names with accents as their plain letters.
func collateKey(s string) string { return foldAccents(s) }
